"""Find partners and themes in the text, with offsets, and show them in context (KWIC).

One engine serves every lexicon: all aliases of a lexicon go into one Aho-Corasick
automaton (pyahocorasick), run once per document over a *folded* copy of the text
(lower case, accents stripped, hyphens and white space as spaces, curly apostrophes
straight). Folding maps each character to exactly one character, so an offset in
the folded text is the same offset in ``text``: ``text[start:end]`` is the match.
Candidates are kept when they sit on word boundaries and pass their alias's case
rule; overlapping candidates resolve leftmost-longest ("Indian Ocean" beats
"Indian", "Ministry for Europe and Foreign Affairs" beats "Europe").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import ahocorasick
import pandas as pd

from bilat_analysis.lexicons import (
    prepare_lexicon,
    read_formats,
    read_partners,
    read_themes,
    read_title_words,
)
from bilat_analysis.parallel import map_chunks
from bilat_analysis.validation import invalid_value_message

PARTNER_MENTION_COLUMNS = [
    "doc_id",
    "partner",
    "kind",
    "alias_type",
    "language",
    "match",
    "start",
    "end",
]
THEME_MENTION_COLUMNS = ["doc_id", "theme", "language", "match", "start", "end", "in_title"]
FORMAT_MENTION_COLUMNS = ["doc_id", "format", "match", "start", "end"]
KWIC_COLUMNS = ["doc_id", "tag", "left", "match", "right", "start", "end"]

_SPACES = " \t\n\r\f\v\u00a0\u2007\u202f\u2028\u2029"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4"


def _fold_char(ch: str, *, keep_case: bool) -> str:
    if ch in _SPACES or ch in _HYPHENS:
        return " "
    if ch in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFD", ch)[0]
    if not keep_case:
        lowered = base.lower()
        base = lowered if len(lowered) == 1 else base
    return base


@cache
def _fold_table(keep_case: bool) -> dict[int, str]:
    table = {}
    for code in range(0x3000):
        ch = chr(code)
        folded = _fold_char(ch, keep_case=keep_case)
        if folded != ch:
            table[code] = folded
    return table


def fold_text(text: str, *, keep_case: bool = False) -> str:
    """Fold text for matching: same length, one character for one character.

    Lower case (unless ``keep_case``), accents stripped, every hyphen or dash and
    every white-space character made a plain space, curly apostrophes straight.

    Parameters
    ----------
    text : str
        Any text.
    keep_case : bool, default False
        Keep upper case (used to check case-sensitive aliases).

    Returns
    -------
    str
        The folded text, ``len(fold_text(t)) == len(t)``.

    Examples
    --------
    >>> fold_text("l\u2019Union Européenne, Hà Nội, Indo-Pacific")
    "l'union europeenne, ha noi, indo pacific"
    """
    return text.translate(_fold_table(keep_case))


class Matcher:
    """A compiled lexicon: one automaton over the folded terms.

    Parameters
    ----------
    terms : sequence of str
        The aliases or keywords.
    cases : sequence of str
        Each term's case rule: ``exact``, ``title`` or ``any``.

    Examples
    --------
    >>> matcher = Matcher(["UN", "United Nations"], ["exact", "title"])
    >>> matcher.find("un accord à l'ONU et à l'UN, United Nations")
    [(25, 27, 0), (29, 43, 1)]
    """

    def __init__(self, terms: Sequence[str], cases: Sequence[str]) -> None:
        self._exact = [fold_text(t.strip(), keep_case=True) for t in terms]
        self._cases = list(cases)
        keys: dict[str, list[int]] = {}
        for row, term in enumerate(terms):
            key = fold_text(term.strip())
            if key:
                keys.setdefault(key, []).append(row)
        self._automaton = ahocorasick.Automaton()
        for key, rows in keys.items():
            self._automaton.add_word(key, (len(key), key[0].isalnum(), key[-1].isalnum(), rows))
        self._automaton.make_automaton()
        self._empty = not keys

    def _case_ok(self, row: int, original: str) -> bool:
        rule = self._cases[row]
        if rule == "any":
            return True
        if rule == "title":
            return original[:1].isupper()
        return fold_text(original, keep_case=True) == self._exact[row]

    def find(self, text: str, folded: str | None = None) -> list[tuple[int, int, int]]:
        """Return ``(start, end, row)`` for each match in ``text``, leftmost-longest.

        Parameters
        ----------
        text : str
            The text to search.
        folded : str, optional
            ``fold_text(text)``, when the caller already has it.

        Returns
        -------
        list of tuple of int
            Non-overlapping matches in text order; ``row`` indexes the terms.
        """
        if self._empty:
            return []
        folded = fold_text(text) if folded is None else folded
        size = len(folded)
        candidates = []
        for last, (length, check_start, check_end, rows) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if check_start and start > 0 and folded[start - 1].isalnum():
                continue
            if check_end and end < size and folded[end].isalnum():
                continue
            original = text[start:end]
            for row in rows:
                if self._case_ok(row, original):
                    candidates.append((start, end, row))
                    break
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        kept, reach = [], 0
        for start, end, row in candidates:
            if start >= reach:
                kept.append((start, end, row))
                reach = end
        return kept


def _find_in(matchers: Sequence[Matcher], texts: Sequence[str]) -> list[list[list[tuple]]]:
    found: list[list[list[tuple]]] = [[] for _ in matchers]
    for text in texts:
        folded = fold_text(text)  # once per text, whatever the number of lexicons
        for hits, matcher in zip(found, matchers, strict=True):
            hits.append(matcher.find(text, folded))
    return found


def find_all(
    matchers: Matcher | Sequence[Matcher], texts: list[str], *, n_jobs: int = 1
) -> list[list[tuple]] | list[list[list[tuple]]]:
    """Run one or several matchers over many texts in one pass, optionally on several processes.

    Parameters
    ----------
    matchers : Matcher or sequence of Matcher
        The compiled lexicons.
    texts : list of str
        The documents.
    n_jobs : int, default 1
        Processes to use; 1 runs in this process.

    Returns
    -------
    list
        For one matcher, each text's matches; for a sequence, that list per matcher.

    Examples
    --------
    >>> find_all(Matcher(["India"], ["title"]), ["India", "none"])
    [[(0, 5, 0)], []]
    """
    many = not isinstance(matchers, Matcher)
    group = tuple(matchers) if many else (matchers,)
    found: list[list[list[tuple]]] = [[] for _ in group]
    for part in map_chunks(_find_in, texts, payload=group, n_jobs=n_jobs):
        for hits, more in zip(found, part, strict=True):
            hits.extend(more)
    return found if many else found[0]


Lexicon = str | Path | pd.DataFrame | None


#: Each lexicon kind: its reader and the column holding the terms.
LEXICONS = {
    "partners": (read_partners, "alias"),
    "themes": (read_themes, "keyword"),
    "formats": (read_formats, "keyword"),
}


@cache
def _bundled_matcher(kind: str) -> tuple[pd.DataFrame, Matcher]:
    reader, column = LEXICONS[kind]
    table = reader()
    return table, Matcher(table[column].tolist(), table["case"].tolist())


def compile_lexicon(kind: str, lexicon: Lexicon = None) -> tuple[pd.DataFrame, Matcher]:
    """Read a lexicon and compile it (the bundled ones are compiled once per process).

    Parameters
    ----------
    kind : {"partners", "themes", "formats"}
        Which lexicon.
    lexicon : str, pathlib.Path, pandas.DataFrame or None
        A user's CSV file or table with the lexicon's columns; None for the bundled one.

    Returns
    -------
    tuple of (pandas.DataFrame, Matcher)
        The lexicon table and its matcher (row ``i`` of the table is term ``i``).

    Raises
    ------
    ValueError
        For an unknown ``kind``.

    Examples
    --------
    >>> table, matcher = compile_lexicon("themes")
    >>> table.loc[matcher.find("cyber security")[0][2], "theme"]
    'cyber_digital'
    """
    if kind not in LEXICONS:
        raise ValueError(invalid_value_message("kind", kind, LEXICONS))
    if lexicon is None:
        return _bundled_matcher(kind)
    reader, column = LEXICONS[kind]
    if isinstance(lexicon, pd.DataFrame):
        table = prepare_lexicon(kind, lexicon.reset_index(drop=True), "the lexicon table")
    else:
        table = reader(lexicon)
    return table, Matcher(table[column].tolist(), table["case"].tolist())


def _mentions(
    corpus: pd.DataFrame, found: list[list[tuple[int, int, int]]]
) -> tuple[list[str], list[str], list[int], list[int], list[int]]:
    texts = corpus["text"].tolist()
    doc_ids, matches, rows, starts, ends = [], [], [], [], []
    for doc_id, text, hits in zip(corpus["doc_id"].tolist(), texts, found, strict=True):
        for start, end, row in hits:
            doc_ids.append(doc_id)
            matches.append(text[start:end])
            rows.append(row)
            starts.append(start)
            ends.append(end)
    return doc_ids, matches, rows, starts, ends


def tag_partners(corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int = 1) -> pd.DataFrame:
    """Find every mention of a partner (state, bloc, organisation) or region.

    Regions ("Indian Ocean", "Indo-Pacific", "West Asia", "East Sea") are tagged as
    ``kind == "region"`` so that they are never read as states; drop them with
    ``mentions[mentions["kind"] != "region"]``. A capital keeps ``alias_type ==
    "capital"``: it is often only the venue ("held in Paris"), so the dyad inference
    and the per-document counts leave capitals out by default, and analyses can
    count or drop them.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A partner lexicon with the columns of :func:`bilat_analysis.lexicons.read_partners`;
        default the bundled one.
    n_jobs : int, default 1
        Processes to use on large corpora.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``doc_id``, ``partner`` (code), ``kind``, ``alias_type``,
        ``language`` (of the alias), ``match`` (the text matched), ``start``, ``end``
        (``text[start:end] == match``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["L'Inde et l'UE, à Bruxelles."]})
    >>> tag_partners(corpus)[["partner", "match", "start", "end"]].values.tolist()
    [['IND', 'Inde', 2, 6], ['EU', 'UE', 12, 14], ['BEL', 'Bruxelles', 18, 27]]
    """
    table, matcher = compile_lexicon("partners", lexicon)
    found = find_all(matcher, corpus["text"].tolist(), n_jobs=n_jobs)
    return _partner_frame(corpus, table, found)


def _partner_frame(corpus: pd.DataFrame, table: pd.DataFrame, found: list) -> pd.DataFrame:
    doc_ids, matches, rows, starts, ends = _mentions(corpus, found)
    picked = table.iloc[rows]
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "partner": picked["code"].to_numpy(),
            "kind": picked["kind"].to_numpy(),
            "alias_type": picked["alias_type"].to_numpy(),
            "language": picked["language"].to_numpy(),
            "match": matches,
            "start": starts,
            "end": ends,
        },
        columns=PARTNER_MENTION_COLUMNS,
    ).astype({"start": "int64", "end": "int64"})


_CONNECTORS = frozenset(
    "of for the and on in at de du des la le les l d et en aux au national nationale "
    "general generale deputy adjoint adjointe".split()
)
_TITLE_LOOKBACK = 120  # characters searched before a theme keyword for a title word
_TITLE_MAX_WORDS = 8  # words allowed between the title word and the keyword
_TOKENS = re.compile(r"[^\W\d_]+|[.,;:!?()\[\]\"“”]")


@cache
def _title_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    titles = frozenset(fold_text(w) for w in read_title_words()["word"])
    keyword_words = frozenset(
        word for keyword in read_themes()["keyword"] for word in fold_text(keyword).split()
    )
    return titles, keyword_words | _CONNECTORS


def in_title_context(text: str, start: int) -> bool:
    """Whether the keyword starting at ``start`` sits inside a job title or ministry name.

    It does when, reading back from the keyword within the clause, a title word
    (``data/title_words.csv``: minister, ministry, director, directrice, ...) is
    reached through at most 8 words that are connectors ("of", "de la"), other theme
    words, or capitalised words: "Deputy Minister of Defence", "directrice de la
    sécurité et de la défense". Punctuation or any other word ends the search.

    Parameters
    ----------
    text : str
        The document text.
    start : int
        Offset of the keyword.

    Returns
    -------
    bool
        True inside a title.

    Examples
    --------
    >>> text = "Deputy Minister of Defence Chien said defence ties grew."
    >>> in_title_context(text, 19), in_title_context(text, 38)
    (True, False)
    """
    titles, passable = _title_vocabulary()
    window = text[max(0, start - _TITLE_LOOKBACK) : start]
    folded_window = fold_text(window)
    between = 0
    for match in reversed(list(_TOKENS.finditer(window))):
        token = match.group()
        folded = folded_window[match.start() : match.end()]
        if folded in titles:
            return True
        if not token[0].isalpha():
            return False
        if folded not in passable and not token[0].isupper():
            return False
        between += 1
        if between > _TITLE_MAX_WORDS:
            return False
    return False


def tag_themes(corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int = 1) -> pd.DataFrame:
    """Find every theme keyword or phrase, with offsets, flagging those inside job titles.

    The longest phrase wins, so "civil nuclear energy" is ``nuclear_energy`` (not
    ``energy``), "cyber security" is ``cyber_digital`` and "maritime terrorism" is
    ``maritime_security``. How mentions are weighed: a keyword inside a job title
    or a ministry's name ("Director of Security and Defence", "Minister of National
    Defence"; see :func:`in_title_context`) is kept with ``in_title = True`` but not
    counted by :func:`bilat_analysis.dyads.annotate_documents`: titles say who spoke,
    not what was discussed.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A theme lexicon (columns ``keyword, theme, language, case``); default the bundled one.
    n_jobs : int, default 1
        Processes to use on large corpora.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``doc_id``, ``theme``, ``language``, ``match``, ``start``,
        ``end``, ``in_title``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Talks on civil nuclear energy."]})
    >>> tag_themes(corpus)[["theme", "match"]].values.tolist()
    [['nuclear_energy', 'civil nuclear energy']]
    """
    table, matcher = compile_lexicon("themes", lexicon)
    found = find_all(matcher, corpus["text"].tolist(), n_jobs=n_jobs)
    return _theme_frame(corpus, table, found)


def _theme_frame(corpus: pd.DataFrame, table: pd.DataFrame, found: list) -> pd.DataFrame:
    doc_ids, matches, rows, starts, ends = _mentions(corpus, found)
    texts = dict(zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), strict=True))
    picked = table.iloc[rows]
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "theme": picked["theme"].to_numpy(),
            "language": picked["language"].to_numpy(),
            "match": matches,
            "start": starts,
            "end": ends,
            "in_title": [
                in_title_context(texts[d], s) for d, s in zip(doc_ids, starts, strict=True)
            ],
        },
        columns=THEME_MENTION_COLUMNS,
    ).astype({"start": "int64", "end": "int64", "in_title": "bool"})


def tag_formats(corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int = 1) -> pd.DataFrame:
    """Find the meeting formats a text names: consultations, strategic dialogue, 2+2, summit, ...

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A format lexicon (columns ``keyword, format, language, case``); default the bundled one.
    n_jobs : int, default 1
        Processes to use on large corpora.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``doc_id``, ``format``, ``match``, ``start``, ``end``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["the 2+2 dialogue and a summit"]})
    >>> tag_formats(corpus)["format"].tolist()
    ['two_plus_two', 'summit']
    """
    table, matcher = compile_lexicon("formats", lexicon)
    found = find_all(matcher, corpus["text"].tolist(), n_jobs=n_jobs)
    doc_ids, matches, rows, starts, ends = _mentions(corpus, found)
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "format": table["format"].to_numpy()[rows] if rows else [],
            "match": matches,
            "start": starts,
            "end": ends,
        },
        columns=FORMAT_MENTION_COLUMNS,
    ).astype({"start": "int64", "end": "int64"})


def tag_corpus(
    corpus: pd.DataFrame,
    *,
    partners: Lexicon = None,
    themes: Lexicon = None,
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tag partners and themes in one pass over the texts (each text folded once).

    Same tables as :func:`tag_partners` and :func:`tag_themes`, at about the cost of one.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    partners, themes : str, pathlib.Path, pandas.DataFrame, optional
        Lexicons; default the bundled ones.
    n_jobs : int, default 1
        Processes to use on large corpora.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame)
        The partner mentions and the theme mentions.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["India and France: defence."]})
    >>> [len(table) for table in tag_corpus(corpus)]
    [2, 1]
    """
    partner_table, partner_matcher = compile_lexicon("partners", partners)
    theme_table, theme_matcher = compile_lexicon("themes", themes)
    found_partners, found_themes = find_all(
        [partner_matcher, theme_matcher], corpus["text"].tolist(), n_jobs=n_jobs
    )
    return (
        _partner_frame(corpus, partner_table, found_partners),
        _theme_frame(corpus, theme_table, found_themes),
    )


def kwic(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    window: int = 40,
    doc_id: str | None = None,
) -> pd.DataFrame:
    """Keyword in context: every span behind a document's tags, with the words around it.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    mentions : pandas.DataFrame
        From :func:`tag_partners` or :func:`tag_themes` (its ``partner`` or ``theme``
        column becomes ``tag``).
    window : int, default 40
        Characters of context on each side (white space folded to single spaces).
    doc_id : str, optional
        Only this document.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``tag``, ``left``, ``match``, ``right``, ``start``, ``end``, in text order.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Talks on civil nuclear energy."]})
    >>> kwic(corpus, tag_themes(corpus), window=9)[["left", "match", "right"]].values.tolist()
    [['Talks on ', 'civil nuclear energy', '.']]
    """
    tag = "partner" if "partner" in mentions.columns else "theme"
    if doc_id is not None:
        mentions = mentions[mentions["doc_id"] == doc_id]
    texts = dict(zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), strict=True))
    rows = []
    for row_doc, row_tag, start, end in zip(
        mentions["doc_id"], mentions[tag], mentions["start"], mentions["end"], strict=True
    ):
        text = texts[row_doc]
        rows.append(
            (
                row_doc,
                row_tag,
                " ".join(text[max(0, start - window) : start].split(" ")).replace("\n", " "),
                text[start:end],
                text[end : end + window].replace("\n", " "),
                start,
                end,
            )
        )
    return (
        pd.DataFrame(rows, columns=KWIC_COLUMNS)
        .sort_values(["doc_id", "start"], kind="stable")
        .reset_index(drop=True)
    )
