"""Find the date a document reports, written in its text, in every supported language.

Forms read (month names from ``data/months.csv``, generated from CLDR; numeric orders
from ``data/date_orders.csv``):

- day, month name, year: "10 February 2023", "1er janvier 2024", "4. September 2023",
  "14 de abril de 2023", "14 апреля 2023 г.", "22 Desember 2022", "14 Nisan 2023",
  "ngày 14 tháng 4 năm 2023", "14 نيسان/أبريل 2023";
- month name, day, year: "February 10, 2023", "Feb. 10, 2023";
- year first, numeric: ISO "2023-02-10", "2023/4/14", "2023.04.14" (year-month-day in
  every language), and 年月日: "2023年4月14日", "二〇二三年四月十四日", "令和5年4月14日";
- day, month, year, numeric ("04.09.2023", "14/4/2023"), only in a language whose
  numeric order is certain (German: day first). In English "03/04/2023" may be 3 April
  or 4 March, so it is ignored: a wrong date is worse than none.

Arabic-Indic (٠١٢), Persian (۰۱۲) and full-width (０１２) digits count as digits; case
and accents are ignored ("AOUT", "août"). A date without a year ("14 January", "4月14日")
is incomplete and ignored, and so is an impossible one ("31 February 2023").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import NamedTuple

from bilat_analysis.lexicons import read_date_orders, read_months

#: A date within this many characters of the start of one of the first two lines may be a dateline.
DATELINE_CHARS = 60
#: What may stand before a dateline on its line: a place, an agency, a week day, "le", "am",
#: "ngày", but no lower-case word of five letters or more (that is a sentence).
_DATELINE_PREFIX = re.compile(r"(?:(?![^\W\d_]*[a-zß-ÿа-я][^\W\d_]{4})[^\n])*")
#: A last line at most this long that holds a date is a sign-off ("New Delhi, 21 January 2025").
SIGN_OFF_CHARS = 80
#: No date written in the text is longer than this (for searching a window of the text).
MAX_DATE_CHARS = 60
PREFIX_CHARS = 4096  # characters first searched for a date; doubled until one is found
#: Language whose month names are read in every document (dates quoted in English).
ALWAYS = ("en",)

_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x07C0, 0x0966, 0xFF10)  # Arabic-Indic, Persian, NKo, ...
_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_HAN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}  # year 1 of the era = base + 1
_HAN_NUMBER = "[〇零一二三四五六七八九十]"
#: Every form read holds a digit or 年 (which folding never creates from other characters),
#: so a text without one holds no date: one fast scan instead of every pattern's.
_DATE_CHAR = re.compile(r"[\d年]")
# direction marks that Arabic text puts around the slashes of a numeric date ("14\u200f/04")
_BIDI = "[\u200e\u200f\u061c]?"
# words between the two days of a range, in the supported languages (folded: "và" -> "va")
_RANGE_WORDS = (
    r"(?:and|to|through|et|au|y|al|a|und|bis|e|ao|и|по|va|den|dan|hingga|sampai|ile|ve|و|الى)"
)


class Found(NamedTuple):
    """A date written in the text: where it starts and ends, and the date."""

    start: int
    end: int
    date: dt.date


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


@cache
def _fold_table() -> dict[int, str]:
    table = {code: _fold_char(chr(code)) for code in range(0x3000)}
    table = {code: folded for code, folded in table.items() if folded != chr(code)}
    for block in _DIGIT_BLOCKS:
        table |= {block + n: str(n) for n in range(10)}
    return table


def may_hold_date(text: str) -> bool:
    """Tell whether ``text`` may hold a date: it has a digit or 年 (every form read has one).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    bool
        False when :func:`find_text_date` finds nothing for certain.

    Examples
    --------
    >>> may_hold_date("no date here"), may_hold_date("٥ مايو")
    (False, True)
    """
    return _DATE_CHAR.search(text) is not None


def fold_digits(text: str) -> str:
    """Fold text for date matching: lower case, accents stripped, every digit made ASCII.

    One character for one character, so offsets in the folded text are offsets in
    ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The folded text, of the same length.

    Examples
    --------
    >>> fold_digits("١٤ أبريل ۲۰۲۳, 14 AOÛT ２０２３")
    '14 ابريل 2023, 14 aout 2023'
    """
    return text.translate(_fold_table())


def _names_pattern(names: list[str]) -> str:
    folded = {fold_digits(" ".join(name.split())) for name in names}
    ordered = sorted(folded, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)


@cache
def _month_numbers() -> dict[str, int]:
    months = read_months()
    return {
        " ".join(fold_digits(name).split()): int(n)
        for name, n in zip(months["name"], months["month"], strict=True)
    }


@cache
def _patterns(language: str | None) -> tuple[re.Pattern[str], ...]:
    months = read_months()
    known = set(months["language"])
    if language in known:
        months = months[months["language"].isin({language, *ALWAYS})]
    month = f"(?:{_names_pattern(months['name'].tolist())})"
    year = r"(?P<y>\d{4})(?!\d)"
    suffix = r"\.?(?:er|st|nd|rd|th|º|°|ª)?\.?"
    # the end of a range: the date is its first day ("9 et 10 octobre", "1-2 February")
    until = rf"(?:\s*(?:[-–—&]|{_RANGE_WORDS})\s*[0-3]?\d(?!\d){suffix})?"
    patterns = [
        # 10 February 2023, 1er janvier 2024, 4. September 2023, 14 de abril de 2023,
        # 14 نيسان/أبريل 2023, ngày 14 tháng 4 năm 2023
        rf"(?<![\d.,])(?P<d>[0-3]?\d)(?!\d){suffix}{until}\s+(?:(?:de|of|من)\s+)?"
        rf"(?P<m>{month})(?:\s*[/(]\s*{month}\s*\)?)?\.?,?\s+(?:(?:de|del|nam)\s+)?{year}",
        # February 10, 2023
        rf"(?<!\w)(?P<m>{month})\.?\s+(?P<d>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?{until},?\s+{year}",
        # 2023-02-10, 2023/4/14, 2023.04.14
        rf"(?<![\d.,/-])(?P<y>\d{{4}}){_BIDI}(?P<sep>[-/.]){_BIDI}(?P<m>[01]?\d){_BIDI}(?P=sep)"
        rf"{_BIDI}(?P<d>[0-3]?\d)(?![\d])",
        # 2023年4月14日, 二〇二三年四月十四日
        rf"(?P<y>\d{{4}}|{_HAN_NUMBER}{{4}})\s*年\s*(?P<m>\d{{1,2}}|{_HAN_NUMBER}{{1,2}})\s*月"
        rf"\s*(?P<d>\d{{1,2}}|{_HAN_NUMBER}{{1,3}})(?:\s*[-–~～〜至到]\s*\d{{1,2}})?\s*[日号號]",
        # 令和5年4月14日
        r"(?P<era>令和|平成|昭和)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",
    ]
    orders = read_date_orders()
    order = orders.loc[orders["language"] == language, "order"]
    numeric = rf"(?<![\d.,/:-])(?P<A>[0-3]?\d){_BIDI}(?P<sep>[-/.]){_BIDI}(?P<B>[01]?\d)"
    numeric += rf"{_BIDI}(?P=sep){_BIDI}" + year
    numeric += r"(?![.,/-]\d)"
    if len(order) and order.iloc[0] == "dmy":
        patterns.append(numeric.replace("<A>", "<d>").replace("<B>", "<m>"))
    elif len(order) and order.iloc[0] == "mdy":
        patterns.append(numeric.replace("<A>", "<m>").replace("<B>", "<d>"))
    return tuple(re.compile(p) for p in patterns)


def _han_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if "十" not in value:
        return int("".join(str(_HAN_DIGITS[ch]) for ch in value))
    tens, _, units = value.partition("十")
    return (_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[units] if units else 0)


def _to_date(groups: dict[str, str | None]) -> dt.date | None:
    month = groups["m"]
    number = _month_numbers().get(" ".join(month.split())) if month else None
    try:
        if number is None:
            number = _han_number(month)
        year = groups["y"]
        if groups.get("era"):
            year = _ERAS[groups["era"]] + (1 if year == "元" else int(year))
        else:
            year = _han_number(year)
        return dt.date(year, number, _han_number(groups["d"]))
    except (ValueError, KeyError):
        return None


def find_text_dates(text: str, *, language: str | None = None) -> list[Found]:
    """Return every complete, valid date written in ``text``, in text order.

    Parameters
    ----------
    text : str
        The text.
    language : str, optional
        The document's ISO 639-1 code: its month names (and English ones) are read,
        and numeric day-month-year dates when ``data/date_orders.csv`` makes its
        order certain. None (or a language without month names): every language's
        month names, no numeric day-month-year.

    Returns
    -------
    list of Found
        ``(start, end, date)`` tuples, overlapping matches left out.

    Examples
    --------
    >>> found = find_text_dates("Am 04.09.2023 und am 5. Mai 2024", language="de")
    >>> [f.date.isoformat() for f in found]
    ['2023-09-04', '2024-05-05']
    >>> find_text_dates("on 04.09.2023", language="en")
    []
    """
    return _dates(fold_digits(text), _base(language))


def _base(language: str | None) -> str | None:
    """Return the ISO 639-1 part of a language tag: "de-DE", "pt_BR", "EN" -> "de", "pt", "en"."""
    if not isinstance(language, str) or not language.strip():
        return None
    return re.split(r"[-_]", language.strip())[0].lower()


def _dates(
    folded: str, language: str | None, start: int = 0, end: int | None = None
) -> list[Found]:
    """Every date starting in ``folded[start:end]``, overlaps left out, in text order."""
    stop = len(folded) if end is None else min(len(folded), end + MAX_DATE_CHARS)
    found = []
    for pattern in _patterns(language):
        for match in pattern.finditer(folded, start, stop):
            date = _to_date(match.groupdict())
            if date is not None and (end is None or match.start() < end):
                found.append(Found(match.start(), match.end(), date))
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def _first_date(folded: str, language: str | None) -> Found | None:
    """Find the first date of the text: each pattern stops at its first valid match."""
    first = None
    for pattern in _patterns(language):
        for match in pattern.finditer(folded):
            if first is not None and match.start() > first.start:
                break
            date = _to_date(match.groupdict())
            if date is not None:
                item = Found(match.start(), match.end(), date)
                if first is None or (item.start, -item.end) < (first.start, -first.end):
                    first = item
                break
    return first


def _line_starts(text: str, count: int = 2, complete: bool = True) -> list[int]:
    """Offsets of the first ``count`` non-blank lines of ``text`` (reading no further).

    When ``text`` is only the start of the document (not ``complete``),
    :class:`_NeedMoreTextError` is raised if the lines run past it.
    """
    starts, offset = [], 0
    while offset < len(text) and len(starts) < count:
        end = text.find("\n", offset)
        if end < 0 and not complete:
            raise _NeedMoreTextError
        end = len(text) if end < 0 else end + 1
        if text[offset:end].strip():
            starts.append(offset)
        offset = end
    if not complete and len(starts) < count:
        raise _NeedMoreTextError
    return starts


def _first_date_in(
    text: str, language: str | None, complete: bool = True
) -> tuple[str, Found | None]:
    """Find the first date of ``text``; return it with the folded prefix read to find it.

    The text is folded and searched in growing prefixes (4k characters, doubled each
    time), so that a long document is read only as far as its first date: the cost
    follows the position of the date, not the length of the text. When ``text`` is
    only the start of the document (not ``complete``), :class:`_NeedMoreTextError` is
    raised where the document's next prefix would be needed.
    """
    size = PREFIX_CHARS
    while True:
        if not complete and size > len(text):
            raise _NeedMoreTextError
        folded = fold_digits(text[:size])
        first = _first_date(folded, language)
        whole = complete and size >= len(text)
        if whole or (first is not None and first.end <= size - MAX_DATE_CHARS):
            return folded, first
        size *= 2


def find_text_date(text: str, *, language: str | None = None) -> dt.date | None:
    r"""Return the date a document reports, as written in its text.

    Which date wins, when the text holds several:

    1. the **dateline**: a date at the start of the first or second line, after at most
       a place, an agency or a week day ("PARIS, 5 October 2023 –", "Berlin,
       04.09.2023 (dpa)", "Hà Nội, ngày 14 tháng 4 năm 2023"), not inside a sentence;
    2. else a **sign-off**: a date on a short last line, after at most a place
       ("New Delhi\nJanuary 21, 2025");
    3. else the **first** date of the text, which is the lead's when the lead has one.

    Why: the dateline and the sign-off date the report itself, and news puts the
    event in its lead; a date later in the body is most often another event (a past
    agreement, the next meeting). See the module's docstring for the forms read.

    Parameters
    ----------
    text : str
        The document text (headline first, when there is one).
    language : str, optional
        The document's ISO 639-1 code (see :func:`find_text_dates`).

    Returns
    -------
    datetime.date or None
        The date, or None when the text has no complete, valid date.

    Examples
    --------
    >>> find_text_date("jeudi (5 octobre 2023), le 13.02.2023", language="fr")
    datetime.date(2023, 10, 5)
    >>> find_text_date("Berlin, 04.09.2023 – Die Außenministerin ...", language="de")
    datetime.date(2023, 9, 4)
    >>> find_text_date("2023年4月14日、日中外相会談が行われた。", language="ja")
    datetime.date(2023, 4, 14)
    >>> find_text_date("held on 14 January", language="en") is None
    True
    """
    return _find_text_date(text, language, None)


class _NeedMoreTextError(Exception):
    """The start and the end given of a document do not decide its date."""


def find_text_date_of_parts(
    head: str, tail: str, *, language: str | None = None
) -> dt.date | None:
    r"""Give :func:`find_text_date` of a document known by its start and its end.

    For a document too long to hold as one string: the result is the date
    :func:`find_text_date` gives for the whole document, or ``LookupError`` when
    that needs more of it than ``head`` and ``tail``.

    Parameters
    ----------
    head : str
        The start of the document (a proper prefix of it).
    tail : str
        The end of the document (a suffix of it).
    language : str, optional
        As for :func:`find_text_date`.

    Returns
    -------
    datetime.date or None
        What :func:`find_text_date` gives for the whole document.

    Raises
    ------
    LookupError
        When ``head`` and ``tail`` are not enough to decide (call
        :func:`find_text_date` on the whole document).

    Examples
    --------
    >>> head = "PARIS, 5 October 2023 - Talks.\nMore.\n" + "x" * 5000
    >>> find_text_date_of_parts(head, "x\nThe end.", language="en")
    datetime.date(2023, 10, 5)
    """
    try:
        return _find_text_date(head, language, tail)
    except _NeedMoreTextError:
        raise LookupError("the start and the end do not decide the date") from None


def _find_text_date(text: str, language: str | None, tail: str | None) -> dt.date | None:
    """:func:`find_text_date`; ``text`` is only the document's start when ``tail`` is its end."""
    complete = tail is None
    if _DATE_CHAR.search(text) is None:
        if complete:
            return None
        raise _NeedMoreTextError
    language = _base(language)
    folded, first = _first_date_in(text, language, complete)
    if first is None:
        return None
    for line_start in _line_starts(text, complete=complete):
        if line_start + DATELINE_CHARS + MAX_DATE_CHARS > len(folded):
            if not complete and line_start + DATELINE_CHARS + MAX_DATE_CHARS > len(text):
                raise _NeedMoreTextError
            folded = fold_digits(text[: line_start + DATELINE_CHARS + MAX_DATE_CHARS])
        window = _dates(folded, language, line_start, line_start + DATELINE_CHARS)
        for item in window:
            if _DATELINE_PREFIX.fullmatch(text[line_start : item.start]):
                return item.date
    body = (text if tail is None else tail).rstrip()
    last_start = body.rfind("\n") + 1
    if not complete and last_start == 0:
        raise _NeedMoreTextError  # the last line may start before the tail
    if last_start > 0 and len(body[last_start:].strip()) <= SIGN_OFF_CHARS:
        last_line = fold_digits(body[last_start:])
        for item in _dates(last_line, language):
            if _DATELINE_PREFIX.fullmatch(body[last_start : last_start + item.start]):
                return item.date
    return first.date
