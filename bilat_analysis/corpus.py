"""Load a corpus into pandas: read, decode, date, identify the language, strip boilerplate.

One row per document. Every input is either loaded or reported as skipped with its
reason (:func:`read_corpus` returns both; :func:`load_corpus` returns the documents
and warns about the skipped inputs).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from functools import cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from bilat_analysis.lexicons import read_boilerplate, read_months
from bilat_analysis.parallel import map_chunks
from bilat_analysis.paths import SEEDS_DIR
from bilat_analysis.validation import missing_column_message

#: Columns of the corpus frame, in order.
COLUMNS = [
    "doc_id",
    "text",
    "source",
    "date",
    "date_source",
    "language",
    "title",
    "n_words",
    "encoding",
    "boilerplate",
]
SKIPPED_COLUMNS = ["source", "reason"]

TEXT_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")

#: Column names tried, in order, when the caller does not name one.
DEFAULT_COLUMNS = {
    "text": ("text", "body", "content", "article"),
    "id": ("doc_id", "id"),
    "date": ("date", "published", "pub_date", "published_at"),
    "title": ("title", "headline"),
    "language": ("language", "lang"),
}

LANGUAGE_PREFIX = 1000  # characters given to the language identifier
TRAILING_MIN_LETTERS = 40  # a trailing paragraph shorter than this is never judged
TRAILING_MIN_PROBABILITY = 0.9  # confidence needed to call a trailing paragraph foreign
FURNITURE_MAX_CHARS = 200  # web-page furniture is a short paragraph

_HEADER = re.compile(r"\A\s*date[ \t]*:?[ \t]+(\d{4}-\d{1,2}-\d{1,2})\b[ \t]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_WORD = re.compile(r"\w+")
_TITLE_END = re.compile(r"[.!?:;,\"”»)]\s*\Z")


class CorpusWarning(UserWarning):
    """A problem with an input that did not stop the load (bad date, skipped file)."""


class LoadedCorpus(NamedTuple):
    """What :func:`read_corpus` returns: the documents and the inputs it skipped."""

    documents: pd.DataFrame
    skipped: pd.DataFrame


class SkipInputError(Exception):
    """Raised inside the readers for an input that cannot become a document."""


# --------------------------------------------------------------------------- reading


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes, trying UTF-8 (with or without BOM) and UTF-16 (with BOM).

    Falls back to Windows-1252 (then Latin-1) when the bytes are not UTF-8; the
    encoding actually used is returned so that it can be recorded.

    Parameters
    ----------
    data : bytes
        The raw file content.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding used.

    Raises
    ------
    SkipInputError
        For binary content (NUL bytes without a UTF-16 byte-order mark, or many
        control characters).

    Examples
    --------
    >>> decode_bytes("café".encode("latin-1"))
    ('café', 'cp1252')
    """
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif b"\x00" in data:
        raise SkipInputError("binary file (contains NUL bytes; UTF-16 needs a byte-order mark)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if text and controls / len(text) > 0.05:
        raise SkipInputError(f"binary file ({controls} control characters)")
    return text, encoding


class _Record(NamedTuple):
    doc_id: str
    source: str
    text: str
    encoding: str | None = None
    date: object = None
    title: object = None
    language: object = None
    from_table: bool = False


def _pick_column(
    columns: list[str], wanted: str | None, role: str, path: str, *, required: bool
) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise ValueError(missing_column_message(path, role, repr(wanted), columns))
        return wanted
    for candidate in DEFAULT_COLUMNS[role]:
        if candidate in columns:
            return candidate
    if required:
        tried = " or ".join(repr(c) for c in DEFAULT_COLUMNS[role])
        raise ValueError(missing_column_message(path, role, tried, columns))
    return None


def _read_table(path: Path) -> tuple[pd.DataFrame, str | None]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            try:
                return pd.read_csv(path, encoding="utf-8-sig", dtype=str), "utf-8"
            except UnicodeDecodeError:
                return pd.read_csv(path, encoding="cp1252", dtype=str), "cp1252"
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, engine="pyarrow"), "utf-8"
        return pd.read_parquet(path), None
    except (ValueError, OSError, pd.errors.ParserError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        raise ValueError(f"{path.name}: cannot read as {suffix[1:]} ({first_line})") from error


def _table_records(
    path: Path, name: str, columns: dict[str, str | None]
) -> tuple[list[_Record], list[tuple[str, str]]]:
    table, encoding = _read_table(path)
    names = [str(c) for c in table.columns]
    text_col = _pick_column(names, columns["text"], "text", name, required=True)
    picked = {
        role: _pick_column(names, columns[role], role, name, required=False)
        for role in ("id", "date", "title", "language")
    }
    records, skipped = [], []
    values = {role: table[col].tolist() for role, col in picked.items() if col is not None}
    for row, text in enumerate(table[text_col].tolist(), start=1):
        source = f"{name}:{row}"
        if not isinstance(text, str) or not text.strip():
            skipped.append((source, "empty text"))
            continue
        doc_id = values["id"][row - 1] if "id" in values else None
        doc_id = f"{Path(name).stem}_{row}" if doc_id is None or pd.isna(doc_id) else str(doc_id)
        records.append(
            _Record(
                doc_id=doc_id,
                source=source,
                text=text,
                encoding=encoding,
                date=values.get("date", [None] * row)[row - 1],
                title=values.get("title", [None] * row)[row - 1],
                language=values.get("language", [None] * row)[row - 1],
                from_table=True,
            )
        )
    return records, skipped


def _iter_files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*") if p.is_file())


def _collect(
    source: Path, columns: dict[str, str | None]
) -> tuple[list[_Record], list[tuple[str, str]]]:
    """Read every input below ``source``: records for documents, (source, reason) for skips."""
    single = source.is_file()
    base = source.parent
    records: list[_Record] = []
    skipped: list[tuple[str, str]] = []
    for path in [source] if single else _iter_files(source):
        name = path.relative_to(base).as_posix()
        suffix = path.suffix.lower()
        try:
            if suffix in TEXT_SUFFIXES:
                data = path.read_bytes()
                if not data:
                    raise SkipInputError("empty file")
                text, encoding = decode_bytes(data)
                if not text.strip():
                    raise SkipInputError("only white space")
                records.append(_Record(path.stem, name, text, encoding))
            elif suffix in TABLE_SUFFIXES:
                table_records, table_skipped = _table_records(path, name, columns)
                records.extend(table_records)
                skipped.extend(table_skipped)
            else:
                raise SkipInputError(
                    f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                    f"expected one of {', '.join(TEXT_SUFFIXES + TABLE_SUFFIXES)}"
                )
        except SkipInputError as reason:
            skipped.append((name, str(reason)))
        except (ValueError, OSError) as error:
            if single:
                raise
            skipped.append((name, str(error)))
    return records, skipped


# --------------------------------------------------------------------------- cleaning


@cache
def _date_pattern() -> re.Pattern[str]:
    names = read_months()["name"].tolist()
    month = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(
        rf"\b(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}})\b"
        rf"|\b(?P<m2>{month})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})\b"
        r"|\b(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})\b",
        re.IGNORECASE,
    )


_YEAR = re.compile(r"\d{4}")
_LONG_SPACE = re.compile(r"\s{40}")


@cache
def _date_reach() -> int:
    """Longest stretch a date can span before its year, when no white-space run reaches 40."""
    longest_month = max(len(name) for name in read_months()["name"])
    return 2 + 2 + 39 + longest_month + 2 + 39 + 1


def _date_search_start(text: str) -> int:
    """Where the first date can start: just before the first 4-digit year, or the end.

    Every date holds a 4-digit year, so nothing before ``_date_reach()`` characters ahead
    of the first one can start a date (unless a long white-space run stretches a date,
    then the whole text is read). The result is the one a search from the start gives.
    """
    year = _YEAR.search(text)
    if year is None:
        return len(text)
    start = year.start() - _date_reach()
    if start <= 0 or _LONG_SPACE.search(text, 0, year.start()):
        return 0
    return start


@cache
def _month_numbers() -> dict[str, int]:
    months = read_months()
    return {
        name.casefold(): int(n) for name, n in zip(months["name"], months["month"], strict=True)
    }


def find_text_date(text: str) -> dt.date | None:
    """Return the first complete, valid calendar date written in ``text``.

    Recognised forms: "February 10, 2023", "10 February 2023", "5 octobre 2023",
    "1er janvier 2024", abbreviations ("Feb. 10, 2023") and ISO "2023-02-10". Month
    names come from ``data/months.csv`` (add a language there). Dates without a
    year ("14 January") are incomplete and ignored. Numeric dates other than ISO
    ("13.02.2023", "03/04/2023") are ignored on purpose: day-month and month-day
    orders cannot be told apart, and a wrong date is worse than none.

    Parameters
    ----------
    text : str
        The document text.

    Returns
    -------
    datetime.date or None
        The first date found, or None.

    Examples
    --------
    >>> find_text_date("jeudi (5 octobre 2023), le 13.02.2023")
    datetime.date(2023, 10, 5)
    >>> find_text_date("held on 14 January") is None
    True
    """
    months = _month_numbers()
    for match in _date_pattern().finditer(text, _date_search_start(text)):
        groups = match.groupdict()
        for k in "123":
            if groups[f"y{k}"] is None:
                continue
            month = groups[f"m{k}"]
            number = int(month) if month.isdigit() else months[month.casefold()]
            try:
                return dt.date(int(groups[f"y{k}"]), number, int(groups[f"d{k}"]))
            except ValueError:
                break
    return None


@cache
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str, *, prefix: int = LANGUAGE_PREFIX) -> tuple[str | None, float]:
    """Identify the language of ``text`` from its first ``prefix`` characters.

    Uses py3langid's bundled model (nothing is downloaded). Reading a bounded
    prefix keeps the cost per document constant, whatever its length.

    Parameters
    ----------
    text : str
        The text.
    prefix : int, default 1000
        How many leading characters to read.

    Returns
    -------
    tuple of (str or None, float)
        ISO 639-1 code and its probability; ``(None, 0.0)`` for text without letters.

    Examples
    --------
    >>> identify_language("L'Inde et l'UE ont discuté de la coopération.")[0]
    'fr'
    """
    sample = text[:prefix]
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    language, probability = _language_identifier().classify(sample)
    return str(language), float(probability)


@cache
def _furniture_pattern() -> re.Pattern[str]:
    patterns = read_boilerplate()["pattern"].tolist()
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _is_furniture(paragraph: str) -> bool:
    flat = " ".join(paragraph.split())
    return len(flat) <= FURNITURE_MAX_CHARS and _furniture_pattern().fullmatch(flat) is not None


def _looks_like_title(paragraph: str) -> bool:
    return (
        "\n" not in paragraph
        and len(paragraph) <= 150
        and len(paragraph.split()) <= 20
        and _TITLE_END.search(paragraph) is None
    )


def split_boilerplate(paragraphs: list[str], language: str | None) -> tuple[list[str], list[str]]:
    """Separate a document's paragraphs into body and boilerplate.

    Boilerplate is (a) web-page furniture: a short paragraph that wholly matches a
    pattern of ``data/boilerplate.csv`` ("Similar Posts", "This post is also
    available in: ..."), and (b) trailing paragraphs confidently identified as
    another language than the document's (an author bio in Turkish at the end of
    an English article). The body always keeps at least one paragraph.

    Parameters
    ----------
    paragraphs : list of str
        The document's paragraphs, in order.
    language : str or None
        The document's language; None disables check (b).

    Returns
    -------
    tuple of (list of str, list of str)
        Body paragraphs and boilerplate paragraphs, each in document order.

    Examples
    --------
    >>> split_boilerplate(["Similar Posts", "India and France met."], "en")
    (['India and France met.'], ['Similar Posts'])
    """
    body = [p for p in paragraphs if not _is_furniture(p)] or paragraphs[:1]
    furniture = [p for p in paragraphs if p not in body]
    trailing: list[str] = []
    while language is not None and len(body) > 1:
        last = body[-1]
        if sum(ch.isalpha() for ch in last) < TRAILING_MIN_LETTERS:
            break
        found, probability = identify_language(last)
        if found == language or probability < TRAILING_MIN_PROBABILITY:
            break
        trailing.insert(0, body.pop())
    return body, furniture + trailing


def _clean_record(record: _Record) -> dict[str, object]:
    text = unicodedata.normalize("NFC", record.text.replace("\r\n", "\n").replace("\r", "\n"))
    date, date_source = pd.NaT, None
    if record.date is not None and not (isinstance(record.date, float) and pd.isna(record.date)):
        date = pd.to_datetime(record.date, errors="coerce")
        if pd.isna(date):
            warnings.warn(
                f"{record.source}: date {record.date!r} is not a valid date; looking in the text",
                CorpusWarning,
                stacklevel=4,
            )
        else:
            date_source = "column"
    header = _HEADER.match(text)
    if header:
        text = text[header.end() :]
        if date_source is None:
            try:
                date, date_source = (
                    pd.Timestamp(dt.date.fromisoformat(_pad_iso(header[1]))),
                    "header",
                )
            except ValueError:
                warnings.warn(
                    f"{record.source}: header date {header[1]!r} is not a valid date; "
                    "looking in the text",
                    CorpusWarning,
                    stacklevel=4,
                )
        if not text.strip():
            raise SkipInputError("date header but no text")
    paragraphs = [
        "\n".join(line.rstrip() for line in p.splitlines())
        for p in _PARAGRAPH_BREAK.split(text.strip())
        if p.strip()
    ]
    title = record.title if isinstance(record.title, str) and record.title.strip() else None
    if title is None and not record.from_table and len(paragraphs) > 1:
        if _looks_like_title(paragraphs[0]):
            title = paragraphs.pop(0)
    language = record.language if isinstance(record.language, str) and record.language else None
    if language is None:
        candidates = [p for p in paragraphs if not _is_furniture(p)] or paragraphs
        language = identify_language("\n\n".join(candidates))[0]
    body, boilerplate = split_boilerplate(paragraphs, language)
    body_text = "\n\n".join(body)
    if date_source is None:
        found = find_text_date(body_text if title is None else f"{title}\n\n{body_text}")
        if found is not None:
            date, date_source = pd.Timestamp(found), "text"
    return {
        "doc_id": record.doc_id,
        "text": body_text,
        "source": record.source,
        "date": date,
        "date_source": date_source,
        "language": language,
        "title": title,
        "n_words": len(_WORD.findall(body_text)),
        "encoding": record.encoding,
        "boilerplate": "\n\n".join(boilerplate) if boilerplate else None,
    }


def _clean_chunk(
    _: object, records: list[_Record]
) -> list[tuple[dict[str, object] | None, str | None, list[str]]]:
    """Clean records (in a worker process): each row, or why it was skipped, and its warnings."""
    out = []
    for record in records:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                row, reason = _clean_record(record), None
            except SkipInputError as error:
                row, reason = None, str(error)
        out.append((row, reason, [str(w.message) for w in caught]))
    return out


def _jobs(n_jobs: int | None) -> int:
    if n_jobs is not None:
        return n_jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _pad_iso(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _disambiguate(doc_ids: list[str], sources: list[str]) -> list[str]:
    counts = Counter(doc_ids)
    seen: Counter[str] = Counter()
    result, renamed = [], []
    for doc_id, source in zip(doc_ids, sources, strict=True):
        seen[doc_id] += 1
        if counts[doc_id] > 1 and seen[doc_id] > 1:
            new = f"{doc_id}~{seen[doc_id]}"
            while new in counts:
                new += "~"
            renamed.append(f"{source} -> {new}")
            doc_id = new
        result.append(doc_id)
    if renamed:
        warnings.warn(
            "duplicate doc_ids were made unique (the first keeps its id): " + "; ".join(renamed),
            CorpusWarning,
            stacklevel=3,
        )
    return result


# --------------------------------------------------------------------------- public API


def read_corpus(
    source: str | Path | None = None,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    n_jobs: int | None = None,
) -> LoadedCorpus:
    """Read a corpus and report every input it could not load.

    Same parameters and document frame as :func:`load_corpus`.

    Returns
    -------
    LoadedCorpus
        ``documents`` (the corpus frame) and ``skipped`` (columns ``source``,
        ``reason``: one row per file or table row that did not become a document).

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        When a single table file lacks its text column or cannot be parsed.

    Examples
    --------
    >>> loaded = read_corpus()
    >>> len(loaded.documents), len(loaded.skipped)
    (5, 0)
    """
    path = SEEDS_DIR if source is None else Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {source}")
    if (path / "manifest.json").is_file():  # a folder written by prepare_corpus
        from bilat_analysis.prepare import read_prepared

        prepared = read_prepared(path)
        return LoadedCorpus(prepared.documents, prepared.skipped)
    columns = {
        "text": text_column,
        "id": id_column,
        "date": date_column,
        "title": title_column,
        "language": language_column,
    }
    records, skipped = _collect(path, columns)
    rows = []
    cleaned = map_chunks(_clean_chunk, records, n_jobs=_jobs(n_jobs))
    for record, (row, reason, messages) in zip(records, chain.from_iterable(cleaned), strict=True):
        for message in messages:
            warnings.warn(message, CorpusWarning, stacklevel=3)
        if reason is None:
            rows.append(row)
        else:
            skipped.append((record.source, reason))
    documents = pd.DataFrame(rows, columns=COLUMNS)
    documents["doc_id"] = _disambiguate(documents["doc_id"].tolist(), documents["source"].tolist())
    documents["date"] = pd.to_datetime(documents["date"])
    documents["n_words"] = documents["n_words"].astype("int64")
    skipped_frame = pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)
    return LoadedCorpus(documents, skipped_frame)


def load_corpus(
    source: str | Path | None = None,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    r"""Load a corpus into a DataFrame, one row per document.

    Sources: a folder (searched recursively; every ``.txt``, ``.csv``, ``.jsonl``
    and ``.parquet`` file in it is read, anything else is reported as skipped), or
    one such file. ``None`` loads the bundled sample corpus (the seeds).

    Text files may start with a header ``date YYYY-MM-DD`` (after optional white
    space) with the body on the same line. Table files give one document per row;
    their columns are found by name (``text``/``body``/``content``, ``doc_id``/``id``,
    ``date``/``published``, ``title``/``headline``, ``language``/``lang``) or named
    by the ``*_column`` options.

    Columns of the result:

    ``doc_id``
        File stem, or the id column, or ``<file stem>_<row>``. Duplicates get
        ``~2``, ``~3``... in load order, with a :class:`CorpusWarning`.
    ``text``
        Cleaned body: NFC-normalised, line endings unified, header, title and
        boilerplate removed, paragraphs separated by one blank line.
    ``source``
        Path relative to the folder's parent (or the file name), ``:row`` for tables.
    ``date``
        ``datetime64``; NaT when unknown.
    ``date_source``
        ``'column'``, ``'header'``, ``'text'`` (first complete date written in the
        text, see :func:`find_text_date`) or None. An impossible date (``date
        2021-13-45``) warns and falls through to the next source.
    ``language``
        ISO 639-1 code by py3langid on the first 1000 characters (or the table's
        language column).
    ``title``
        A text file's first line when it reads as a headline (one short line, no
        final punctuation, followed by more text), or the table's title; else None.
    ``n_words``
        Number of word tokens (``\\w+``) in ``text``.
    ``encoding``
        The encoding the file was decoded with (``cp1252`` marks the legacy fallback).
    ``boilerplate``
        What was removed from ``text`` (see :func:`split_boilerplate`), or None.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        Folder or file; default the bundled seeds.
    text_column, id_column, date_column, title_column, language_column : str, optional
        Column names in table files; default found by name as above.
    n_jobs : int, optional
        Processes cleaning the documents (language, dates, boilerplate); default every
        core available, from 1000 documents on.

    Returns
    -------
    pandas.DataFrame
        The documents, in file order. ``attrs["skipped"]`` lists the skipped
        inputs as ``{"source", "reason"}`` dicts, each also reported by a
        :class:`CorpusWarning`.

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        When no document could be loaded (the message gives each reason), or a
        table file lacks its text column (the message names the columns it has).

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus["language"].tolist()
    ['en', 'en', 'fr', 'en', 'en']
    """
    documents, skipped = read_corpus(
        source,
        text_column=text_column,
        id_column=id_column,
        date_column=date_column,
        title_column=title_column,
        language_column=language_column,
        n_jobs=n_jobs,
    )
    reasons = [f"{s}: {r}" for s, r in zip(skipped["source"], skipped["reason"], strict=True)]
    if documents.empty:
        detail = "; ".join(reasons) or "no input files"
        raise ValueError(f"no document could be loaded from {source or SEEDS_DIR.name}: {detail}")
    for reason in reasons:
        warnings.warn(f"skipped {reason}", CorpusWarning, stacklevel=2)
    documents.attrs["skipped"] = skipped.to_dict("records")
    return documents


def summarise_boilerplate(corpus: pd.DataFrame, *, preview: int = 60) -> pd.DataFrame:
    """One row per document from which boilerplate was removed.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`load_corpus`.
    preview : int, default 60
        Characters of each removed paragraph to show.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``paragraphs`` (how many were removed), ``characters``, and
        ``removed`` (the start of each removed paragraph, joined with " | ").

    Examples
    --------
    >>> summarise_boilerplate(load_corpus())["doc_id"].tolist()
    ['004_c3763a8b70dd2c1f']
    """
    stripped = corpus.dropna(subset=["boilerplate"])
    rows = []
    for doc_id, removed in zip(stripped["doc_id"], stripped["boilerplate"], strict=True):
        paragraphs = removed.split("\n\n")
        rows.append(
            {
                "doc_id": doc_id,
                "paragraphs": len(paragraphs),
                "characters": len(removed),
                "removed": " | ".join(
                    p if len(p) <= preview else p[: preview - 1] + "…" for p in paragraphs
                ),
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "paragraphs", "characters", "removed"])
