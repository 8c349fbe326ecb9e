"""Find partners and themes in the text, with offsets, and show them in context (KWIC).

One engine serves every lexicon: all aliases of a lexicon go into one Aho-Corasick
automaton (ahocorasick_rs: a DFA), run once per document over a *folded* copy of the text
(lower case, accents stripped, hyphens and white space as spaces, curly apostrophes
straight). Folding maps each character to exactly one character, so an offset in
the folded text is the same offset in ``text``: ``text[start:end]`` is the match.
Candidates are kept when they sit on word boundaries and pass their alias's case
rule; overlapping candidates resolve leftmost-longest ("Indian Ocean" beats
"Indian", "Ministry for Europe and Foreign Affairs" beats "Europe").

Speed, without changing what is found: a long non-ASCII text is folded through an
array lookup; the automaton runs over a copy of the folded text whose words' first
characters are marked (:func:`_mark_words`), so that a term that must start a word is
never reported inside one ("un" in "fund"); partners and themes share one automaton
per set of lexicon rows (:func:`tag_corpus`), built once per process before any worker
starts, with the title words found anywhere in a word, so that the job-title check reads
only the keywords that have one within reach; that check and the name and food rules
(:func:`drop_non_partner_uses`) read the folded document in the worker that tagged it,
on the hits, before any table is built; :func:`bilat_analysis.dyads.annotate_documents`
goes on from there to the dyad and the counts in the same worker, without mention tables.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs
import numpy as np
import pandas as pd

from bilat_analysis.lexicons import (
    prepare_lexicon,
    read_formats,
    read_languages,
    read_partners,
    read_themes,
    read_title_words,
)
from bilat_analysis.parallel import Rows, available_cores, map_chunks
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

#: A document in a language not supported is read with these languages' rows (plus ``mul``
#: rows and any rows written for its own language code); see :func:`document_languages`.
FALLBACK_LANGUAGES = ("en",)
MULTILINGUAL = "mul"
ALL_LANGUAGES = "*"
MATCH_MODES = ("word", "prefix")
TITLE_CASE_ACRONYM = 4  # an acronym this long also matches in title case ("Asean", "Otan")

# Check at a term's edge: none (Han, Kana or punctuation), a word boundary, or a word
# boundary that Arabic proclitics may precede ("والصين", "بالسعودية"); the last kind is
# for the variant of an "ال" term after the preposition "ل" ("للصين" = ل + الصين).
_NO_CHECK, _BOUNDARY, _ARABIC, _ARABIC_LAM = 0, 1, 2, 3
# Check at a term's end (after _NO_CHECK): a word boundary, or one unless the row is a prefix.
_WORD_END, _PREFIX_END = 1, 2
_PROCLITICS = re.compile("(?:[\u0648\u0641]?[\u0628\u0643\u0644]?(?:\u0627\u0644)?)\\Z")
_LAM_PROCLITICS = re.compile("(?:[\u0648\u0641]?)\\Z")
_WORD_BEFORE = re.compile(r"(\w+)\W{1,3}\Z")
_WORD_AFTER = re.compile(r"\W{1,3}(\w+)")


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


def fold_table(*, keep_case: bool = False) -> dict[int, str]:
    """Return the translation table of :func:`fold_text` (a copy: extend it freely).

    Parameters
    ----------
    keep_case : bool, default False
        The table that keeps upper case.

    Returns
    -------
    dict
        Code point -> replacement, for ``str.translate``.

    Examples
    --------
    >>> "Été-2023".translate(fold_table())
    'ete 2023'
    """
    return dict(_fold_table(keep_case))


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
    if keep_case or text.isascii() or len(text) < _ARRAY_FOLD_MIN:
        return text.translate(_fold_table(keep_case))  # CPython's ASCII path is fast
    return _decode(_fold_lookup()[_codes(text)])


DFA_MAX_KEYS = 5000  # larger sets of keys are compiled into an NFA (_automaton)
_ARRAY_FOLD_MIN = 40  # below this many characters a dict lookup per character is cheaper
_ENCODING = "utf-32-le"  # one 32-bit code unit per character: offsets survive the round trip
_BMP = 0x10000
_MARK = 0x100000  # a word's first character is moved to plane 16 (private use) by _mark_words
_UNMARKED = 0xFFFF  # stands for any character of plane 16 in a marked text (a noncharacter)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(_ENCODING, "surrogatepass"), dtype=np.uint32)


def _decode(codes: np.ndarray) -> str:
    return codes.tobytes().decode(_ENCODING, "surrogatepass")


@cache
def _fold_lookup() -> np.ndarray:
    """:func:`fold_text`'s table as an array over every code point."""
    lookup = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for code, folded in _fold_table(False).items():
        lookup[code] = ord(folded)
    return lookup


@cache
def _word_lookup() -> np.ndarray:
    """1 for each word character (:func:`_word_char`) of the Basic Multilingual Plane, else 0.

    Indexed by a code point of the plane (U+FFFF, the last, is no word character).
    """
    word_char = _word_char.__wrapped__  # each code point once: not kept in the cache
    return np.array([word_char(chr(code)) for code in range(_BMP)], dtype=np.uint8)


def _mark_words(folded: np.ndarray) -> np.ndarray:
    """Move the first character of every word to plane 16, keeping the offsets.

    The automaton runs over this copy with its terms marked the same way, so that a
    term that must start a word is only reported where a word starts: most candidates
    ("un" inside "fund") are never produced. The mark depends on a character and the
    one before it, so a term's inner characters are marked alike in the term and in
    the text, and a term whose first character is marked needs no check of the
    character before it (:func:`_word_char` decides, beyond the Basic Multilingual
    Plane too). Characters beyond that plane are never marked (a mark would take them
    past the last code point): the checks in :meth:`Matcher.find` decide there. A
    character of plane 16 in the text becomes U+FFFF, so that it never passes for a mark.
    """
    words = _word_lookup().take(folded, mode="clip")  # clipped to U+FFFF: no word character
    beyond = folded.size and folded.max() >= _BMP
    if beyond:  # rare: read those characters one by one
        high = np.flatnonzero(folded >= _BMP)
        words[high] = [_word_char(chr(code)) for code in folded[high].tolist()]
    starts = np.empty(words.size, dtype=np.uint32)
    starts[:1] = words[:1]
    np.greater(words[1:], words[:-1], out=starts[1:])  # a word character after none
    if beyond:
        starts[high] = 0
    starts <<= 20  # 1 << 20 is _MARK
    starts += folded
    if beyond:
        starts[folded >= _MARK] = _UNMARKED
    return starts


def _fold_for_matching(text: str) -> tuple[str, str]:
    """Return :func:`fold_text` of ``text`` and its copy with the words' first characters marked."""
    folded = _fold_lookup().take(_codes(text))
    return _decode(folded), _decode(_mark_words(folded))


def _marked_terms(terms: list[str]) -> list[str]:
    """:func:`_marked` of each folded term, in one array pass (a NUL between terms is no word)."""
    if not terms or any("\0" in term for term in terms):
        return [_marked(term) for term in terms]
    return _decode(_mark_words(_codes("\0".join(terms)))).split("\0")


def _marked(folded: str) -> str:
    """:func:`_mark_words` on a short folded string (a term), without arrays."""
    out, previous = [], False
    for ch in folded:
        code = ord(ch)
        word = _word_char(ch)
        out.append(chr(code + _MARK) if word and not previous and code < _BMP else ch)
        if code >= _MARK:
            out[-1] = chr(_UNMARKED)
        previous = word
    return "".join(out)


def _ideographic(ch: str) -> bool:
    """Han, Kana and the CJK blocks: written without spaces, so no word boundary is tested."""
    return "\u3040" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002ffff"


@cache  # read at the edges of every candidate: a few hundred distinct characters
def _word_char(ch: str) -> bool:
    return ch.isalnum() and not _ideographic(ch)


@cache  # a few hundred characters, met once per term of every lexicon compiled
def _edge(ch: str) -> int:
    if "\u0620" <= ch <= "\u064a":
        return _ARABIC
    return _BOUNDARY if _word_char(ch) else _NO_CHECK


def _caseless(ch: str) -> bool:
    return ch.isalpha() and ch.lower() == ch.upper()


class Matcher:
    """A compiled lexicon: one automaton over the folded terms.

    The script rules are automatic: a term that begins or ends with a Han or Kana
    character needs no word boundary on that side (Chinese and Japanese are written
    without spaces); the capital-letter rule (``case == "title"``) holds only for
    scripts that have case; an Arabic term also matches after the attached proclitics
    و ف ب ك ل and the article ال ("والصين", "بالسعودية", "للصين"). An acronym of four
    letters or more (``case == "exact"``) also matches in title case ("Asean",
    "Otan"); an all-capital acronym next to a word in capitals, and not next to
    another match, is a headline word, not an acronym ("LET US KNOW", "UN AN
    APRÈS"; "US-ASEAN TALKS" keeps both). A ``prefix`` term may continue with more
    letters; the match then runs to the end of the word ("российск" matches
    "российско" in "российско-турецкие").

    Parameters
    ----------
    terms : sequence of str
        The aliases or keywords.
    cases : sequence of str
        Each term's case rule: ``exact``, ``title`` or ``any``.
    modes : sequence of str, optional
        Each term's match mode: ``word`` (default), ``prefix`` or ``within`` (anywhere,
        inside a word too).

    Examples
    --------
    >>> matcher = Matcher(["UN", "United Nations"], ["exact", "title"])
    >>> matcher.find("un accord à l'ONU et à l'UN, United Nations")
    [(25, 27, 0), (29, 43, 1)]
    >>> Matcher(["deutsch"], ["any"], ["prefix"]).find("die deutsch-indische Zusammenarbeit")
    [(4, 11, 0)]
    """

    def __init__(
        self,
        terms: Sequence[str],
        cases: Sequence[str],
        modes: Sequence[str] | None = None,
        groups: Sequence[int] | None = None,
        n_groups: int | None = None,
    ) -> None:
        self._exact = [fold_text(t.strip(), keep_case=True) for t in terms]
        self._title_acronym = [
            e[0] + e[1:].lower() if len(e) >= TITLE_CASE_ACRONYM and e.isupper() else None
            for e in self._exact
        ]
        self._cases = list(cases)
        modes = ["word"] * len(self._cases) if modes is None else list(modes)
        groups = [0] * len(self._cases) if groups is None else list(groups)
        self._n_groups = max(groups, default=0) + 1 if n_groups is None else n_groups
        # Each group is a lexicon of its own (see find): its keys, in term order; the
        # keys of ``within`` terms apart.
        keys: list[dict[str, list[tuple[int, str, bool]]]] = [{} for _ in range(self._n_groups)]
        within: list[dict[str, list[tuple[int, str, bool]]]] = [{} for _ in range(self._n_groups)]
        for row, (term, case, mode, group) in enumerate(
            zip(terms, self._cases, modes, groups, strict=True)
        ):
            key = fold_text(term.strip())
            if key:
                found_in = within if mode == "within" else keys
                found_in[group].setdefault(key, []).append((row, case, mode == "prefix"))
        # Terms are searched in the text with its words' first characters marked
        # (_mark_words), each term marked alike, unless a term holds a character that
        # marking changes (plane 16): then the plain folded text is searched.
        every_key = [key for group_keys in [*keys, *within] for key in group_keys]
        joined = "".join(every_key)
        self._marks = not joined or (ord(max(joined)) < _MARK and chr(_UNMARKED) not in joined)
        marked_keys = dict(zip(every_key, _marked_terms(every_key), strict=True))
        # Each entry: the check before the term (none when its first character is
        # marked: the text's mark says that no word character comes before), the check
        # after it (_WORD_END when a term that goes on inside a word is no match: no
        # prefix term), the lexicon rows and the group.
        entries: dict[str, list[tuple[int, int, list, int]]] = {}
        for group, group_keys in enumerate(keys):
            for key, rows in group_keys.items():
                check_end = _NO_CHECK
                if _edge(key[-1]) != _NO_CHECK:
                    check_end = _PREFIX_END if any(prefix for _, _, prefix in rows) else _WORD_END
                edge = _edge(key[0])
                marked = marked_keys[key] if self._marks else key
                marked_edge = _NO_CHECK if self._marks and ord(marked[0]) >= _MARK else edge
                entries.setdefault(marked, []).append((marked_edge, check_end, rows, group))
                if edge == _ARABIC and self._marks:  # also after a proclitic, inside a word
                    entries.setdefault(key[0] + marked[1:], []).append(
                        (edge, check_end, rows, group)
                    )
                if key.startswith("\u0627\u0644") and len(key) > 3:
                    variant = key[1:]  # "ال..." after "ل" is written "لل...": match "ل..."
                    if variant not in group_keys:
                        entries.setdefault(marked[1:], []).append(
                            (_ARABIC_LAM, check_end, rows, group)
                        )
        for group, group_keys in enumerate(within):  # no check, at a word start or inside
            for key, rows in group_keys.items():
                marked = marked_keys[key] if self._marks else key
                entries.setdefault(marked, []).append((_NO_CHECK, _NO_CHECK, rows, group))
                if marked[0] != key[0]:
                    entries.setdefault(key[0] + marked[1:], []).append(
                        (_NO_CHECK, _NO_CHECK, rows, group)
                    )
        self._keys = list(entries)  # the automaton's patterns, by number
        self._entries = [tuple(found) for found in entries.values()]  # what each one finds
        self._automaton = _automaton(self._keys)
        self._empty = not entries

    def __getstate__(self) -> dict[str, object]:
        """Pickle the matcher without its automaton (a Rust object), rebuilt when read."""
        return {**self.__dict__, "_automaton": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Read a pickled matcher, compiling its automaton again."""
        self.__dict__.update(state)
        self._automaton = _automaton(self._keys)

    def _case_ok(self, row: int, rule: str, original: str) -> bool:
        if rule == "any":
            return True
        if rule == "title":
            first = original[:1]
            return first.isupper() or _caseless(first)
        folded = fold_text(original, keep_case=True)
        return folded == self._exact[row] or folded == self._title_acronym[row]

    @staticmethod
    def _start_ok(folded: str, start: int, edge: int) -> bool:
        if edge == _ARABIC_LAM:
            if start == 0 or folded[start - 1] != "\u0644":
                return False
            start -= 1
        if start == 0 or not _word_char(folded[start - 1]):
            return True
        if edge == _BOUNDARY:
            return False
        word_start = start
        while word_start > 0 and _word_char(folded[word_start - 1]):
            word_start -= 1
        pattern = _LAM_PROCLITICS if edge == _ARABIC_LAM else _PROCLITICS
        return pattern.match(folded, word_start, start) is not None

    def find(
        self,
        text: str,
        folded: str | None = None,
        marked: str | None = None,
        *,
        groups: bool = False,
    ) -> list:
        """Return ``(start, end, row)`` for each match in ``text``, leftmost-longest.

        Several lexicons compiled into one automaton (``groups`` of terms) are found
        in one pass over the text, with the same matches as one automaton each:
        overlaps are resolved within a group, never across groups.

        Parameters
        ----------
        text : str
            The text to search.
        folded : str, optional
            ``fold_text(text)``, when the caller already has it.
        marked : str, optional
            ``folded`` with the first character of each word marked (from
            ``_fold_for_matching``), when the caller already has it.
        groups : bool, default False
            Return the matches of each group of terms (else those of the first).

        Returns
        -------
        list of tuple of int
            Non-overlapping matches in text order; ``row`` indexes the terms. With
            ``groups``, one such list per group.

        Examples
        --------
        >>> matcher = Matcher(["India", "Indian Ocean", "ocean"], ["title"] * 3, groups=[0, 0, 1])
        >>> matcher.find("the Indian Ocean", groups=True)
        [[(4, 16, 1)], [(11, 16, 2)]]
        """
        found = self._find_groups(text, folded, marked)
        return found if groups else found[0]

    def _find_groups(
        self, text: str, folded: str | None, marked: str | None
    ) -> list[list[tuple[int, int, int]]]:
        if self._empty:
            return [[] for _ in range(self._n_groups)]
        if folded is None:
            folded, marked = _fold_for_matching(text)
        searched = folded
        if self._marks:
            searched = _decode(_mark_words(_codes(folded))) if marked is None else marked
        size = len(folded)
        candidates: list[list[tuple[int, int, int]]] = [[] for _ in range(self._n_groups)]
        exact_seen = [False] * self._n_groups
        for index, start, end in _find_all(self._automaton, searched):
            for edge, check_end, rows, group in self._entries[index]:
                if edge and not self._start_ok(folded, start, edge):
                    continue
                bounded = True
                if check_end and end < size and _word_char(folded[end]):
                    if check_end == _WORD_END:
                        continue
                    bounded = False
                for row, rule, prefix in rows:
                    if not (bounded or prefix):
                        continue
                    if rule != "any":  # _case_ok, with the title rule inline
                        if rule == "title":
                            first = text[start]
                            if not (first.isupper() or _caseless(first)):
                                continue
                        elif not self._case_ok(row, rule, text[start:end]):
                            continue
                    stop = end
                    if prefix and check_end:  # (check_end is _PREFIX_END)
                        while stop < size and _word_char(folded[stop]):
                            stop += 1
                    candidates[group].append((start, stop, row))
                    exact_seen[group] = exact_seen[group] or rule == "exact"
                    break
        return [
            self._resolve(text, group, seen)
            for group, seen in zip(candidates, exact_seen, strict=True)
        ]

    def _resolve(
        self, text: str, candidates: list[tuple[int, int, int]], exact_seen: bool
    ) -> list[tuple[int, int, int]]:
        """Keep the leftmost-longest candidates, then drop headline words."""
        if not candidates:
            return candidates
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        kept, reach = [], 0
        for start, end, row in candidates:
            if start >= reach:
                kept.append((start, end, row))
                reach = end
        if exact_seen and any(self._cases[row] == "exact" for _, _, row in kept):
            kept = self._drop_headline_words(text, kept)
        return kept

    def _drop_headline_words(
        self, text: str, kept: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """Leave out capital acronyms inside a run of capital words ("LET US KNOW")."""
        starts = {start for start, _, _ in kept}
        ends = {end for _, end, _ in kept}
        out = []
        for start, end, row in kept:
            word = text[start:end]
            if self._cases[row] == "exact" and len(word) > 1 and word.isupper():
                before = _WORD_BEFORE.search(text, max(0, start - 40), start)
                after = _WORD_AFTER.match(text, end, min(len(text), end + 40))
                linked = (before and before.end(1) in ends) or (after and after.start(1) in starts)
                if not linked and (
                    (before and _headline_word(before.group(1)))
                    or (after and _headline_word(after.group(1)))
                ):
                    continue
            out.append((start, end, row))
        return out


def _automaton(keys: list[str]) -> ahocorasick_rs.AhoCorasick | None:
    """Compile the keys into an automaton that reports every match (None for no key).

    Up to :data:`DFA_MAX_KEYS` keys, a DFA: it reads a character in one step, half the
    time of pyahocorasick's trie or of the Rust crate's default (a contiguous NFA), for
    some 9 MiB a lexicon set of ~2,200 keys (one language's partners, themes, formats
    and titles) against 2 MiB. A larger set (every language's rows, for a document
    whose language is unknown: 45,000 keys) would take 380 MiB as a DFA; it is a
    contiguous NFA (44 MiB). Overlapping matches are all reported:
    :meth:`Matcher._resolve` chooses among them.
    """
    if not keys:
        return None
    implementation = ahocorasick_rs.Implementation
    return ahocorasick_rs.AhoCorasick(
        keys,
        matchkind=ahocorasick_rs.MatchKind.Standard,
        implementation=(
            implementation.DFA if len(keys) <= DFA_MAX_KEYS else implementation.ContiguousNFA
        ),
        store_patterns=False,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _find_all(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """Give ``(key, start, end)`` for every key in the text, offsets in characters.

    The automaton reads UTF-8, which has no lone surrogate: where the text holds one, it
    reads a copy with U+FFFD in its place (one character for one: the same offsets; no
    key holds either).
    """
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)


def _headline_word(word: str) -> bool:
    return len(word) > 1 and word.isupper() and not any(ch.isdigit() for ch in word)


def document_languages(language: object, supported: Sequence[str] | None = None) -> tuple[str, ...]:
    """Return the lexicon languages whose rows apply to a document in ``language``.

    A supported language (``data/languages.csv``) reads its own rows and the
    language-neutral ``mul`` rows (acronyms), so that Spanish "EU" (Estados Unidos)
    never fires in English and French "Maurice" never in English. A document in
    another language (Dutch, say) reads English, ``mul`` and any rows written for its
    own code (names a user or the CLDR build added). A document whose language is
    unknown (None, NaN, empty) reads every row (``("*",)``): nothing tells which
    rows to leave out, and :func:`bilat_analysis.corpus.load_corpus` always sets a
    language. Codes are compared in lower case without a region ("zh-TW" is "zh").

    Parameters
    ----------
    language : str or None
        The document's language code (NaN or None when unknown).
    supported : sequence of str, optional
        The supported codes; default :func:`bilat_analysis.lexicons.read_languages`.

    Returns
    -------
    tuple of str
        Lexicon language codes; ``("*",)`` for all.

    Examples
    --------
    >>> document_languages("es"), document_languages(None), document_languages("nl")
    (('es', 'mul'), ('*',), ('en', 'mul', 'nl'))
    """
    if not isinstance(language, str):
        return (ALL_LANGUAGES,)
    known = _supported() if supported is None else frozenset(supported)
    return _lexicon_languages(language, known)


@lru_cache(maxsize=1024)
def _lexicon_languages(language: str, known: frozenset[str]) -> tuple[str, ...]:
    code = re.split(r"[-_]", language.strip().lower())[0]
    if not code:
        return (ALL_LANGUAGES,)
    if code in known:
        return (code, MULTILINGUAL)
    return (*FALLBACK_LANGUAGES, MULTILINGUAL, *((code,) if code not in FALLBACK_LANGUAGES else ()))


@cache
def _supported() -> frozenset[str]:
    return frozenset(read_languages()["language"])


class LexiconMatcher:
    """A lexicon compiled per document language, each automaton built once, on first use.

    Parameters
    ----------
    table : pandas.DataFrame
        The lexicon (columns ``language``, ``case``, optional ``match``).
    column : str
        The column holding the terms.

    Examples
    --------
    >>> table = pd.DataFrame({"alias": ["EU", "EU"], "language": ["en", "es"],
    ...                       "case": ["exact", "exact"]})
    >>> matcher = LexiconMatcher(table, "alias")
    >>> matcher.find("EU", language="es"), matcher.find("EU", language="en")
    ([(0, 2, 1)], [(0, 2, 0)])
    """

    def __init__(self, table: pd.DataFrame, column: str) -> None:
        self._terms = table[column].tolist()
        self._cases = table["case"].tolist()
        self._modes = table["match"].tolist() if "match" in table.columns else None
        self._languages = table["language"].tolist()
        self._compiled: dict[tuple[str, ...], tuple[Matcher, list[int]]] = {}
        self._by_rows: dict[tuple[int, ...], tuple[Matcher, list[int]]] = {}
        self._joint: dict[tuple, tuple[Matcher, list[int]]] = {}  # by other lexicons, languages
        self._joint_rows: dict[tuple, tuple[Matcher, list[int]]] = {}  # by other lexicons, rows
        self._rows: dict[tuple[str, ...], list[int]] = {}

    def rows(self, language: object = None) -> list[int]:
        """Return the lexicon rows read in a document of ``language`` (see document_languages)."""
        key = document_languages(language)
        if key not in self._rows:
            wanted = set(key)
            self._rows[key] = (
                list(range(len(self._languages)))
                if ALL_LANGUAGES in wanted
                else [i for i, lang in enumerate(self._languages) if lang in wanted]
            )
        return self._rows[key]

    def matcher(self, language: object = None) -> tuple[Matcher, list[int]]:
        """Return the automaton for a document language and the lexicon rows of its terms."""
        key = document_languages(language)
        if key not in self._compiled:
            rows = self.rows(language)
            if tuple(rows) not in self._by_rows:  # languages without rows of their own
                modes = None if self._modes is None else [self._modes[i] for i in rows]
                compiled = Matcher(
                    [self._terms[i] for i in rows], [self._cases[i] for i in rows], modes
                )
                self._by_rows[tuple(rows)] = (compiled, rows)
            self._compiled[key] = self._by_rows[tuple(rows)]
        return self._compiled[key]

    def find(
        self,
        text: str,
        folded: str | None = None,
        *,
        language: object = None,
        marked: str | None = None,
    ) -> list[tuple[int, int, int]]:
        """Return ``(start, end, row)`` for each match, ``row`` indexing the lexicon table."""
        compiled, rows = self.matcher(language)
        found = compiled.find(text, folded, marked)
        return [(start, end, rows[row]) for start, end, row in found] if found else found


def _joint_matcher(
    matchers: tuple[LexiconMatcher, ...], language: object
) -> tuple[Matcher, list[int]]:
    """One automaton for several lexicons (a group each) and each term's row in its lexicon.

    Built once per set of rows (languages with the same rows share it) and kept by the
    first lexicon.
    """
    if len(matchers) == 1:
        return matchers[0].matcher(language)
    first, others = matchers[0], matchers[1:]
    key = (others, document_languages(language))
    if key not in first._joint:
        parts = [matcher.rows(language) for matcher in matchers]
        by_rows = (others, *(tuple(rows) for rows in parts))
        if by_rows not in first._joint_rows:
            terms, cases, modes, groups, rows = [], [], [], [], []
            for group, (matcher, lexicon_rows) in enumerate(zip(matchers, parts, strict=True)):
                terms += [matcher._terms[i] for i in lexicon_rows]
                cases += [matcher._cases[i] for i in lexicon_rows]
                modes += (
                    ["word"] * len(lexicon_rows)
                    if matcher._modes is None
                    else [matcher._modes[i] for i in lexicon_rows]
                )
                groups += [group] * len(lexicon_rows)
                rows += lexicon_rows
            first._joint_rows[by_rows] = (
                Matcher(terms, cases, modes, groups, n_groups=len(matchers)),
                rows,
            )
        first._joint[key] = first._joint_rows[by_rows]
    return first._joint[key]


def _tag_chunk(
    payload: tuple[Sequence[LexiconMatcher], int | None, _PartnerColumns | None],
    chunk: Sequence[tuple[str, object]],
) -> tuple[list, list[list[bool]]]:
    """Run the matchers over a chunk; flag the hits of matcher ``titled`` inside job titles.

    With partner columns, the first matcher's hits are a document's partner mentions,
    filtered here as the tables keep them (:func:`_document_partners`, on the folded
    text the matchers read): in the worker that found them, not after in this process.
    """
    matchers, titled, partners = payload
    found: list[list[list[tuple]]] = [[] for _ in matchers]
    flags: list[list[bool]] = []
    for text, language in chunk:
        groups, title_flags, folded = _tag_document(matchers, titled, text, language)
        if partners is not None and groups[0]:
            groups[0] = _document_partners(text, groups[0], partners, folded[0])
        for hits, group in zip(found, groups, strict=True):
            hits.append(group)
        if titled is not None:
            flags.append(title_flags)
    return found, flags


def _tag_document(
    matchers: tuple[LexiconMatcher, ...], titled: int | None, text: str, language: object
) -> tuple[list[list[tuple[int, int, int]]], list[bool], tuple[str, str]]:
    """One text's hits of each matcher, the title flags of matcher ``titled``, its folded copies.

    The last value is the text folded and marked for matching (:func:`_fold_for_matching`).
    With ``titled``, the title words are found in the same pass (:func:`_title_word_lexicon`),
    and only a keyword that has one within reach is read for a job title.
    """
    folded, marked = _fold_for_matching(text)  # once per text, whatever the lexicons
    compiled, rows = _joint_matcher(_with_title_words(matchers, titled), language)  # one pass
    found = [
        [(start, end, rows[row]) for start, end, row in group] if group else group
        for group in compiled.find(text, folded, marked, groups=True)
    ]
    flags: list[bool] = []
    if titled is not None:
        title_words = found.pop()
        if found[titled]:
            words = _title_words(document_languages(language))
            if title_words or words.ideographic:
                near = (
                    [start for start, _, _ in title_words],
                    [end for _, end, _ in title_words],
                )
                flags = [
                    _in_title(text, start, end, words, folded, near)
                    for start, end, _ in found[titled]
                ]
            else:  # but for a Han or Kana title, _in_title stands on a title word found
                flags = [False] * len(found[titled])
    return found, flags, (folded, marked)


def _with_title_words(
    matchers: tuple[LexiconMatcher, ...], titled: int | None
) -> tuple[LexiconMatcher, ...]:
    """Return the lexicons :func:`_tag_document` reads: with ``titled``, the title words last."""
    return matchers if titled is None else (*matchers, _title_word_lexicon())


@cache
def _title_word_lexicon() -> LexiconMatcher:
    """Return the title words and stems of ``data/title_words.csv``, found anywhere in a word.

    Each job-title check (:func:`_in_title`) stands on one of them: read from the text
    in the same automaton pass as the keywords, they tell which keywords need the check.
    """
    table = read_title_words()
    table = table[table["kind"] == "title"]
    return LexiconMatcher(
        pd.DataFrame(
            {
                "term": table["word"].tolist(),
                "case": "any",
                "match": "within",
                "language": table["language"].tolist(),
            }
        ),
        "term",
    )


def _run_matchers(
    group: Sequence[LexiconMatcher],
    texts: list[str],
    languages: Sequence[object] | None,
    n_jobs: int,
    titled: int | None = None,
    partners: _PartnerColumns | None = None,
) -> tuple[list[list[list[tuple]]], list[list[bool]]]:
    """:func:`find_all` for a group of matchers, with the job-title flags of matcher ``titled``.

    With ``partners`` (the first matcher's columns), its hits are filtered as the
    partner tables keep them (:func:`_tag_chunk`).
    """
    languages = [None] * len(texts) if languages is None else list(languages)
    _fold_lookup(), _word_lookup()  # built before any worker process starts
    by_rows = {document_languages(lang): lang for lang in languages}
    for codes, language in by_rows.items():
        # compiled before any worker process starts
        _joint_matcher(_with_title_words(tuple(group), titled), language)
        if titled is not None:
            _title_words(codes)
    if partners is not None:
        _warm_not_partner_words(by_rows)
    chunk = Rows(texts, languages)  # an array of texts is listed by the workers, in parts
    found: list[list[list[tuple]]] = [[] for _ in group]
    flags: list[list[bool]] = []
    for part, more_flags in map_chunks(
        _tag_chunk, chunk, payload=(tuple(group), titled, partners), n_jobs=n_jobs
    ):
        for hits, more in zip(found, part, strict=True):
            hits.extend(more)
        flags.extend(more_flags)
    return found, flags


def find_all(
    matchers: LexiconMatcher | Sequence[LexiconMatcher],
    texts: list[str],
    *,
    languages: Sequence[object] | None = None,
    n_jobs: int | None = None,
) -> list[list[tuple]] | list[list[list[tuple]]]:
    """Run one or several lexicons over many texts in one pass, optionally on several processes.

    Each text is read with the automaton of its language (see :func:`document_languages`).

    Parameters
    ----------
    matchers : LexiconMatcher or sequence of LexiconMatcher
        The compiled lexicons.
    texts : list of str
        The documents (or a text column's ``.array``: each worker lists its own part).
    languages : sequence, optional
        Each document's language code (None or NaN when unknown); default all unknown.
    n_jobs : int, optional
        Processes to use; 1 runs in this process; default every core available.

    Returns
    -------
    list
        For one matcher, each text's matches; for a sequence, that list per matcher.

    Examples
    --------
    >>> table = pd.DataFrame({"alias": ["India"], "language": ["en"], "case": ["title"]})
    >>> find_all(LexiconMatcher(table, "alias"), ["India", "none"])
    [[(0, 5, 0)], []]
    """
    n_jobs = available_cores(n_jobs)
    many = not isinstance(matchers, LexiconMatcher)
    group = tuple(matchers) if many else (matchers,)
    found, _ = _run_matchers(group, texts, languages, n_jobs)
    return found if many else found[0]


def _languages_of(corpus: pd.DataFrame) -> list[object]:
    if "language" in corpus.columns:
        return corpus["language"].tolist()
    return [None] * len(corpus)


Lexicon = str | Path | pd.DataFrame | None


#: Each lexicon kind: its reader and the column holding the terms.
LEXICONS = {
    "partners": (read_partners, "alias"),
    "themes": (read_themes, "keyword"),
    "formats": (read_formats, "keyword"),
}


@cache
def _bundled_matcher(kind: str) -> tuple[pd.DataFrame, LexiconMatcher]:
    reader, column = LEXICONS[kind]
    table = reader()
    return table, LexiconMatcher(table, column)


def compile_lexicon(kind: str, lexicon: Lexicon = None) -> tuple[pd.DataFrame, LexiconMatcher]:
    """Read a lexicon and compile it (the bundled ones are compiled once per process).

    Parameters
    ----------
    kind : {"partners", "themes", "formats"}
        Which lexicon.
    lexicon : str, pathlib.Path, pandas.DataFrame or None
        A user's CSV file or table with the lexicon's columns; None for the bundled one.

    Returns
    -------
    tuple of (pandas.DataFrame, LexiconMatcher)
        The lexicon table and its matcher (row ``i`` of the table is term ``i``).

    Raises
    ------
    ValueError
        For an unknown ``kind``.

    Examples
    --------
    >>> table, matcher = compile_lexicon("themes")
    >>> table.loc[matcher.find("cyber security", language="en")[0][2], "theme"]
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
    return table, LexiconMatcher(table, column)


def _mentions(
    doc_ids: list[str], texts: list[str], found: list[list[tuple[int, int, int]]]
) -> tuple[list[str], list[str], list[int], list[int], list[int]]:
    """Flatten each document's hits into the columns of a mention table."""
    flat = [hit for hits in found for hit in hits]
    return (
        [doc_id for doc_id, hits in zip(doc_ids, found, strict=True) for _ in hits],
        [
            text[start:end]
            for text, hits in zip(texts, found, strict=True)
            for start, end, _ in hits
        ],
        [row for _, _, row in flat],
        [start for start, _, _ in flat],
        [end for _, end, _ in flat],
    )


def _columns(corpus: pd.DataFrame) -> tuple[list[str], list[str]]:
    return corpus["doc_id"].tolist(), corpus["text"].tolist()


def tag_partners(
    corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int | None = None
) -> pd.DataFrame:
    """Find every mention of a partner (state, bloc, organisation) or region.

    Regions ("Indian Ocean", "Indo-Pacific", "West Asia", "East Sea") are tagged as
    ``kind == "region"`` so that they are never read as states; drop them with
    ``mentions[mentions["kind"] != "region"]``. A capital keeps ``alias_type ==
    "capital"``: it is often only the venue ("held in Paris"), so the dyad inference
    and the per-document counts leave capitals out by default, and analyses can
    count or drop them.

    Each document is read with the aliases of its ``language`` and the ``mul`` ones
    (see :func:`document_languages`; no ``language`` column: every alias). A row of
    kind ``none`` ("Deutsche Bank", "cochon d'Inde") takes its words and reports
    nothing; a row of alias type ``pair`` (a form that only occurs in pairs: "sino",
    "franco", 中 in 中俄) is reported only when it is joined to another partner by a
    hyphen or directly. An alias that is part of a person's name ("Maurice Lefèvre", the
    nisba in جمال المصري) or names a kind of food ("голландский сыр") is dropped too (see
    :func:`drop_non_partner_uses`).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``; ``language`` is used when present.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A partner lexicon with the columns of :func:`bilat_analysis.lexicons.read_partners`;
        default the bundled one.
    n_jobs : int, optional
        Processes to use on large corpora; default every core available.

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
    n_jobs = available_cores(n_jobs)
    table, matcher = compile_lexicon("partners", lexicon)
    doc_ids, texts = _columns(corpus)
    columns = _partner_columns(table)
    (found,), _ = _run_matchers((matcher,), texts, _languages_of(corpus), n_jobs, partners=columns)
    return _partner_table(doc_ids, texts, table, found)


_ADJACENT = re.compile(r"\s*[-\u2010-\u2015/\u30fb\u00b7]?\s*\Z")


def _pair_forms_linked(text: str, hits: list[tuple[int, int, int]], pair_rows: set[int]) -> list:
    """Keep a pair form ("sino", "franco", 中 in 中俄) only when joined to another partner."""
    kept = []
    for i, (start, end, row) in enumerate(hits):
        if row in pair_rows:
            before = i > 0 and _ADJACENT.match(text, hits[i - 1][1], start) is not None
            after = i + 1 < len(hits) and _ADJACENT.match(text, end, hits[i + 1][0]) is not None
            if not (before or after):
                continue
        kept.append((start, end, row))
    return kept


class _PartnerColumns(NamedTuple):
    """The partner lexicon's columns a document's hits are read with, row by row."""

    codes: list[str]
    kinds: list[str]
    alias_types: list[str]
    languages: list[object]
    none_rows: frozenset[int]  # phrases that are no partner
    pair_rows: frozenset[int]  # forms that only occur in pairs


def _partner_columns(table: pd.DataFrame) -> _PartnerColumns:
    kinds, alias_types = table["kind"].tolist(), table["alias_type"].tolist()
    return _PartnerColumns(
        table["code"].tolist(),
        kinds,
        alias_types,
        table["language"].tolist(),
        frozenset(i for i, kind in enumerate(kinds) if kind == "none"),
        frozenset(i for i, kind in enumerate(alias_types) if kind == "pair"),
    )


def _document_partners(
    text: str,
    hits: list[tuple[int, int, int]],
    columns: _PartnerColumns,
    folded: str | None = None,
    *,
    foods: bool = True,
) -> list[tuple[int, int, int]]:
    """One document's partner hits without ``none`` phrases, lone pair forms, names and foods.

    ``folded`` is ``fold_text(text)``, when the caller has it. Without ``foods`` the
    document holds no food word (:func:`_food_word_lexicon` found none), and the food
    rule is not read.
    """
    none_rows, pair_rows = columns.none_rows, columns.pair_rows
    rows = [row for _, _, row in hits]
    if not (none_rows.isdisjoint(rows) and pair_rows.isdisjoint(rows)):
        hits = _pair_forms_linked(text, [h for h in hits if h[2] not in none_rows], pair_rows)
    if not hits:
        return hits
    starts = {start for start, _, _ in hits}
    alias_types, languages = columns.alias_types, columns.languages
    return [
        (start, end, row)
        for start, end, row in hits
        if not _non_partner_use(
            text,
            starts,
            alias_types[row],
            languages[row],
            text[start:end],
            start,
            end,
            folded,
            foods=foods,
        )
    ]


def _partner_table(
    doc_ids: list[str], texts: list[str], table: pd.DataFrame, found: Sequence[list]
) -> pd.DataFrame:
    """Build the mention table from each document's hits, already filtered."""
    doc_ids, matches, rows, starts, ends = _mentions(doc_ids, texts, found)
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


_TITLE_LOOKBACK = 120  # characters searched before a theme keyword for a title word
_TITLE_MAX_WORDS = 8  # words allowed between the title word and the keyword
_TITLE_MAX_AFTER = 3  # words allowed between the keyword and a title word after it
_TOKENS = re.compile(r"[^\W\d_]+|[.,;:!?()\[\]\"“”«»،、。，；：]")


class _TitleWords(NamedTuple):
    titles: frozenset[str]
    stems: tuple[str, ...]  # prefix title words ("министр", "bakan")
    ideographic: tuple[str, ...]  # Han/Kana titles right after a keyword (部长, 大臣, 相)
    compound: tuple[str, ...]  # title words ending a compound ("Verteidigungsminister")
    before: frozenset[str]  # words a title may hold before the keyword
    after: frozenset[str]  # words allowed between the keyword and a title after it


@cache
def _title_words(languages: tuple[str, ...]) -> _TitleWords:
    if ALL_LANGUAGES not in languages:  # languages without rows change nothing
        languages = tuple(sorted(set(languages) & _title_languages()))
    return _title_words_of(languages)


@cache
def _title_languages() -> frozenset[str]:
    return frozenset(read_title_words()["language"]) | frozenset(read_themes()["language"])


@cache
def _title_words_of(languages: tuple[str, ...]) -> _TitleWords:
    table = read_title_words()
    themes = read_themes()
    if ALL_LANGUAGES not in languages:
        table = table[table["language"].isin(languages)]
        themes = themes[themes["language"].isin(languages)]
    folded = [fold_text(w.strip()) for w in table["word"]]
    kinds, modes = table["kind"].tolist(), table["match"].tolist()
    titles = [w for w, k in zip(folded, kinds, strict=True) if k == "title"]
    prefix = {
        w for w, k, m in zip(folded, kinds, modes, strict=True) if k == "title" and m == "prefix"
    }
    theme_words = frozenset(w for keyword in themes["keyword"] for w in fold_text(keyword).split())
    conjunctions = frozenset(w for w, k in zip(folded, kinds, strict=True) if k == "conjunction")
    connectors = frozenset(w for w, k in zip(folded, kinds, strict=True) if k == "connector")
    return _TitleWords(
        titles=frozenset(titles),
        stems=tuple(sorted(prefix)),
        ideographic=tuple(w for w in titles if w and _ideographic(w[0])),
        compound=tuple(w for w in titles if len(w) >= 6 and not _ideographic(w[0])),
        before=theme_words | connectors | conjunctions,
        after=theme_words | conjunctions,
    )


def _is_title(words: _TitleWords, folded: str) -> bool:
    return folded in words.titles or folded.startswith(words.stems)


def in_title_context(
    text: str, start: int, end: int | None = None, *, language: object = None
) -> bool:
    """Whether the keyword at ``text[start:end]`` sits inside a job title or a ministry's name.

    It does when (a) reading back from the keyword within the clause, a title word
    (``data/title_words.csv``: minister, ministry, directrice, министр, menteri, ...)
    is reached through at most 8 words that are connectors ("of", "de la"), other
    theme words, or capitalised words: "Deputy Minister of Defence", "directrice de
    la sécurité et de la défense", "министр обороны"; (b) reading on, a title word
    follows through at most 3 theme words, conjunctions or capitalised words: "Trade
    Minister Piyush Goyal", "Commerce and Industry Minister", "Savunma Bakanı";
    (c) the word holding the keyword ends in a title word ("Verteidigungsminister");
    (d) in Chinese and Japanese, a title follows the keyword directly (国防部长,
    防衛相). Punctuation or any other word ends the search. The title words are
    those of the document's language (all languages when it is unknown).

    Parameters
    ----------
    text : str
        The document text.
    start : int
        Offset of the keyword.
    end : int, optional
        End of the keyword; without it only (a) is checked.
    language : str, optional
        The document's language.

    Returns
    -------
    bool
        True inside a title.

    Examples
    --------
    >>> text = "Deputy Minister of Defence Chien said defence ties grew."
    >>> in_title_context(text, 19, 26), in_title_context(text, 38, 45)
    (True, False)
    >>> in_title_context("Trade Minister Piyush Goyal", 0, 5, language="en")
    True
    """
    return _in_title(text, start, end, _title_words(document_languages(language)))


def _in_title(
    text: str,
    start: int,
    end: int | None,
    words: _TitleWords,
    folded: str | None = None,
    near: tuple[list[int], list[int]] | None = None,
) -> bool:
    """:func:`in_title_context`; ``folded`` is ``fold_text(text)`` when the caller has it.

    ``near`` holds the starts and the ends of the title words and stems found in the
    folded text (the leftmost-longest, in text order), when the caller has them: but
    for a Han or Kana title right after the keyword, each way to a title reads one that
    starts in ``folded[lowest : stop + 120]`` (before the keyword, the token cut at
    ``lowest`` starts there; ``stop`` ends the keyword's word), so one found there or
    overlapping it is needed.
    """
    if end is not None and words.ideographic and text.startswith(words.ideographic, end):
        return True  # Han and Kana are not changed by folding
    lowest = max(0, start - _TITLE_LOOKBACK)
    while start > lowest and _word_char(text[start - 1]):
        start -= 1  # an Arabic proclitic or a prefix belongs to the keyword's word
    stop = start if end is None else end
    while stop < len(text) and _word_char(text[stop]):
        stop += 1
    if near is not None:
        first = bisect_right(near[1], lowest)  # the first title word ending after lowest
        if first == len(near[1]) or near[0][first] >= stop + _TITLE_LOOKBACK:
            return False
    if end is not None and _title_after(text, start, end, stop, words, folded):
        return True
    base = 0
    if folded is None:
        window = text[lowest:start]
        folded = window.lower() if window.isascii() else fold_text(window)
        base = lowest
    return _title_before(text, lowest, start, words, folded, base)


def _title_before(
    text: str, lowest: int, start: int, words: _TitleWords, folded: str, base: int
) -> bool:
    """Read the tokens back from ``start`` to ``lowest`` (``folded`` starts at ``base``).

    The stretch is tokenised reversed, one token at a time: its tokens (runs of
    letters, single punctuation marks) are the same read either way, and most
    keywords are decided by the word or two before them.
    """
    between = 0
    for match in _TOKENS.finditer(text[lowest:start][::-1]):
        low, high = start - match.end(), start - match.start()  # the token in ``text``
        word = folded[low - base : high - base]
        if _is_title(words, word):
            return True
        first = text[low]
        if not first.isalpha():
            return False
        if word not in words.before and not first.isupper():
            return False
        between += 1
        if between > _TITLE_MAX_WORDS:
            return False
    return False


def _title_after(
    text: str, start: int, end: int, stop: int, words: _TitleWords, folded: str | None = None
) -> bool:
    """Read on from the keyword ``text[start:end]``, whose word ends at ``stop`` (no Han title)."""
    if words.compound and stop - start > 6:
        word = fold_text(text[start:stop]) if folded is None else folded[start:stop]
        if " " not in word and word.endswith(words.compound) and not _is_title(words, word):
            return True
    tokens = _TOKENS.finditer(text, stop, min(len(text), stop + _TITLE_LOOKBACK))
    for count, match in enumerate(tokens):
        token = match.group()
        if not token[0].isalpha():
            return False
        if folded is not None:
            word = folded[match.start() : match.end()]
        else:
            word = token.lower() if token.isascii() else fold_text(token)
        if _is_title(words, word):
            return True
        if count >= _TITLE_MAX_AFTER or (word not in words.after and not token[0].isupper()):
            return False
    return False


def tag_themes(
    corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int | None = None
) -> pd.DataFrame:
    """Find every theme keyword or phrase, with offsets, flagging those inside job titles.

    The longest phrase wins, so "civil nuclear energy" is ``nuclear_energy`` (not
    ``energy``), "cyber security" is ``cyber_digital`` and "maritime terrorism" is
    ``maritime_security``. How mentions are weighed: a keyword inside a job title
    or a ministry's name ("Director of Security and Defence", "Minister of National
    Defence"; see :func:`in_title_context`) is kept with ``in_title = True`` but not
    counted by :func:`bilat_analysis.dyads.annotate_documents`: titles say who spoke,
    not what was discussed. A lexicon row with an empty ``theme`` is a phrase that
    is no theme ("security environment", "climat de confiance"): it takes its words
    and is not reported. Each document is read with the keywords of its language.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A theme lexicon (columns ``keyword, theme, language, case``); default the bundled one.
    n_jobs : int, optional
        Processes to use on large corpora; default every core available.

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
    n_jobs = available_cores(n_jobs)
    table, matcher = compile_lexicon("themes", lexicon)
    doc_ids, texts = _columns(corpus)
    (found,), flags = _run_matchers((matcher,), texts, _languages_of(corpus), n_jobs, titled=0)
    return _theme_frame(doc_ids, texts, table, found, flags)


def _theme_frame(
    doc_ids: list[str],
    texts: list[str],
    table: pd.DataFrame,
    found: list,
    flags: list[list[bool]],
) -> pd.DataFrame:
    doc_ids, matches, rows, starts, ends = _mentions(doc_ids, texts, found)
    in_title = [flag for doc_flags in flags for flag in doc_flags]
    picked = table.iloc[rows]
    frame = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "theme": picked["theme"].to_numpy(),
            "language": picked["language"].to_numpy(),
            "match": matches,
            "start": starts,
            "end": ends,
            "in_title": in_title,
        },
        columns=THEME_MENTION_COLUMNS,
    ).astype({"start": "int64", "end": "int64", "in_title": "bool"})
    blocked = frame["theme"].fillna("").eq("")  # phrases that are no theme ("security environment")
    return frame[~blocked].reset_index(drop=True) if blocked.any() else frame


def tag_formats(
    corpus: pd.DataFrame, *, lexicon: Lexicon = None, n_jobs: int | None = None
) -> pd.DataFrame:
    """Find the meeting formats a text names: consultations, strategic dialogue, 2+2, summit, ...

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        A format lexicon (columns ``keyword, format, language, case``); default the bundled one.
    n_jobs : int, optional
        Processes to use on large corpora; default every core available.

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
    n_jobs = available_cores(n_jobs)
    table, matcher = compile_lexicon("formats", lexicon)
    doc_ids, texts = _columns(corpus)
    found = find_all(matcher, texts, languages=_languages_of(corpus), n_jobs=n_jobs)
    return _format_frame(doc_ids, texts, table, found)


def _format_frame(
    doc_ids: list[str], texts: list[str], table: pd.DataFrame, found: Sequence[list]
) -> pd.DataFrame:
    """Build the format mention table from each document's hits."""
    doc_ids, matches, rows, starts, ends = _mentions(doc_ids, texts, found)
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
    n_jobs: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tag partners and themes in one pass over the texts (each text folded once).

    Same tables as :func:`tag_partners` and :func:`tag_themes`, at about the cost of one.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    partners, themes : str, pathlib.Path, pandas.DataFrame, optional
        Lexicons; default the bundled ones.
    n_jobs : int, optional
        Processes to use on large corpora; default every core available.

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
    n_jobs = available_cores(n_jobs)
    partner_table, partner_matcher = compile_lexicon("partners", partners)
    theme_table, theme_matcher = compile_lexicon("themes", themes)
    doc_ids, texts = _columns(corpus)
    (found_partners, found_themes), flags = _run_matchers(
        (partner_matcher, theme_matcher),
        texts,
        _languages_of(corpus),
        n_jobs,
        titled=1,
        partners=_partner_columns(partner_table),
    )
    return (
        _partner_table(doc_ids, texts, partner_table, found_partners),
        _theme_frame(doc_ids, texts, theme_table, found_themes, flags),
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


# --- Aliases that name no partner in their context: a person's name, a kind of food -----------
# (drop_non_partner_uses and its data, bilat_analysis/data/not_partner_context.csv)
_NAME_WORD = re.compile(r"[ \t\u00a0]+([^\W\d_][\w'\u2019-]*)")
_ARABIC_PREFIX = re.compile("[\u0648\u0641]?[\u0628\u0643\u0644]?(?:\u0627\u0644)?")  # و ف ب ك ل ال
_LETTERS = re.compile(r"[^\W\d_]+")
_AND_WORD = re.compile(r"\s+(\S+)\s+\S+")  # "и швейцарского": "and" and the next word
_OPENING = "(«\"“‘'"  # stripped from a word before a surname


@cache
def _not_partner_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the word lists of :func:`_not_partner_words`, once for every language."""
    from bilat_analysis.lexicons import read_lexicon, read_months, read_not_names
    from bilat_analysis.paths import data_file

    return (
        read_lexicon(data_file("not_partner_context.csv"), ("word", "role", "language")),
        read_title_words(),
        read_months(),
        read_not_names(),
    )


@cache
def _food_word_lexicon() -> LexiconMatcher:
    """Return the words of the food phrases of :func:`_not_partner_words`, found anywhere.

    The food rule (:func:`_food`) holds only where a food phrase of the alias's language
    is in the folded text, its words separated by white space. Read with a document's
    language, this lexicon holds the food words of every language its partner aliases
    can have (see :func:`document_languages`): where it finds none, no alias of the
    document names a food. Found in the automaton pass of the other lexicons.
    """
    table = _not_partner_tables()[0]
    food = table[table["role"] == "food"]
    words = [
        (w, lang)
        for phrase, lang in zip(food["word"], food["language"], strict=True)
        for w in fold_text(phrase).split()
    ]
    return LexiconMatcher(
        pd.DataFrame(
            {
                "term": [w for w, _ in words],
                "case": "any",
                "match": "within",
                "language": [lang for _, lang in words],
            },
            columns=["term", "case", "match", "language"],
        ),
        "term",
    )


@cache
def _blank_food_words() -> bool:
    """Whether a food phrase folds to white space only (it has no word to be found by)."""
    table = _not_partner_tables()[0]
    return any(not fold_text(w).split() for w in table.loc[table["role"] == "food", "word"])


def _warm_not_partner_words(codes: Iterable[tuple[str, ...]]) -> None:
    """Read the name and food rules' words of the aliases' languages, before any fork.

    ``codes`` are documents' :func:`document_languages`; those of other aliases a
    document may match (one of unknown language reads every alias) are read by the
    workers when met.
    """
    for language in set(chain.from_iterable(codes)) - {ALL_LANGUAGES, MULTILINGUAL}:
        _not_partner_words(language)


@cache
def _not_partner_words(language: str) -> dict:
    """Return one language's context words: first names, given names, foods, "and", not-names."""
    table, titles, months, not_names = _not_partner_tables()
    table = table[table["language"] == language]
    titles = titles[titles["language"].isin([language, MULTILINGUAL])]
    given = table.loc[table["role"] == "given_name", "word"].tolist()
    food = table[table["role"] == "food"]
    first = frozenset(fold_text(w) for w in table.loc[table["role"] == "first_name", "word"])
    return {
        "first": first,
        "first_lengths": frozenset(len(w) for w in first),
        "given": frozenset(given),
        "after": tuple(fold_text(w) for w in food.loc[food["side"] == "after", "word"]),
        "prefix": frozenset(fold_text(w) for w in food.loc[food["match"] == "prefix", "word"]),
        "before": frozenset(fold_text(w) for w in food.loc[food["side"] == "before", "word"]),
        "before_words": max(
            (len(w.split()) for w in food.loc[food["side"] == "before", "word"]), default=0
        ),
        "arabic": language == "ar",
        "and": frozenset(fold_text(w) for w in titles.loc[titles["kind"] == "conjunction", "word"]),
        "not_names": frozenset(
            fold_text(w)
            for w in [
                *not_names["word"],
                *titles.loc[titles["kind"] == "title", "word"],
                *months.loc[months["language"] == language, "name"],
            ]
        ),
    }


def drop_non_partner_uses(mentions: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Drop partner mentions that are part of a person's name or name a kind of food.

    Three rules read the words around each mention, with the words of
    ``bilat_analysis/data/not_partner_context.csv`` for the alias's language:

    - **first name**: an alias that is also a common given name ("Maurice", "Jordan"), in
      title case, followed by one or two capitalised words that are neither a title, a
      partner, a month nor a word of ``not_names.csv``, and then by a lower-case word,
      punctuation or the end ("Maurice Lefèvre élève", "Jordan Bardella,"); not in a
      title-case headline line.
    - **surname**: a capitalised alias right after a given name ("Michael Jordan"); in
      Arabic a nisba with the article right after one (جمال المصري, "Jamal al-Masri").
    - **food**: an alias next to a dish or food word on the side the language puts it
      ("Swiss cheese", "fromage hollandais", "голландского и швейцарского сыра" through
      "and" and another adjective, 土耳其冰淇淋).

    Phrases that are always no partner ("French fries", "cochon d'Inde") are rows of kind
    ``none`` in the partner lexicon instead; these rules catch the open-ended cases.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Partner mentions (:func:`tag_partners` columns).
    corpus : pandas.DataFrame
        The tagged documents: ``doc_id`` and ``text``.

    Returns
    -------
    pandas.DataFrame
        The mentions that name a partner (same columns, index reset).

    Examples
    --------
    >>> corpus = pd.DataFrame(
    ...     {"doc_id": ["a"], "text": ["Maurice Dupont vend du fromage suisse à Maurice."],
    ...      "language": ["fr"]})
    >>> tag_partners(corpus)[["partner", "start"]].values.tolist()
    [['MUS', 40]]
    """
    if mentions.empty:
        return mentions
    texts = dict(zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), strict=True))
    keep = _partner_uses(
        texts,
        mentions["doc_id"].tolist(),
        mentions["alias_type"].tolist(),
        mentions["language"].tolist(),
        mentions["match"].tolist(),
        mentions["start"].tolist(),
        mentions["end"].tolist(),
    )
    return mentions[keep].reset_index(drop=True)


def _partner_uses(
    texts: dict[str, str],
    doc_ids: list[str],
    alias_types: list[str],
    languages: list[object],
    matches: list[str],
    starts: list[int],
    ends: list[int],
) -> list[bool]:
    """:func:`drop_non_partner_uses` on the mention table's columns: True for each mention kept."""
    doc_starts: dict[str, set[int]] = {}
    for doc_id, start in zip(doc_ids, starts, strict=True):
        doc_starts.setdefault(doc_id, set()).add(start)
    return [
        not _non_partner_use(
            texts[doc_id], doc_starts[doc_id], alias_type, language, match, start, end
        )
        for doc_id, alias_type, language, match, start, end in zip(
            doc_ids, alias_types, languages, matches, starts, ends, strict=True
        )
    ]


def _non_partner_use(
    text: str,
    starts: set[int],
    alias_type: str,
    language: object,
    match: str,
    start: int,
    end: int,
    folded: str | None = None,
    *,
    foods: bool = True,
) -> bool:
    """Whether a mention is part of a name or names a food (``starts``: its document's hits).

    ``folded`` is ``fold_text(text)`` when the caller has it: folding is character by
    character, so a slice of it is the folded slice of the text. Without ``foods`` the
    text holds no food word, and the food rule is not read.
    """
    if not isinstance(language, str) or language == MULTILINGUAL:
        return False
    words = _not_partner_words(language)
    return (
        _first_name(words, starts, text, match, start, end)
        or _surname(words, alias_type, text, match, start)
        or (foods and _food(words, alias_type, text, start, end, folded))
    )


def _first_name(words: dict, starts: set[int], text: str, match: str, start: int, end: int) -> bool:
    # folding keeps the length: a match of no first name's length is none
    if len(match) not in words["first_lengths"] or fold_text(match) not in words["first"]:
        return False
    if not match.istitle():
        return False
    pos, names = end, 0
    while names < 3 and (found := _NAME_WORD.match(text, pos)):
        word = found[1]
        if not word[0].isupper() or word.isupper() or fold_text(word) in words["not_names"]:
            break
        if found.start(1) in starts:
            break
        names, pos = names + 1, found.end()
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    letters = _LETTERS.findall(text[text.rfind("\n", 0, start) + 1 : line_end])
    headline = len(letters) >= 4 and sum(w[0].isupper() for w in letters) >= 0.7 * len(letters)
    return 1 <= names <= 2 and not headline


def _surname(words: dict, alias_type: str, text: str, match: str, start: int) -> bool:
    if not words["given"] or alias_type in {"acronym", "pair"}:
        return False
    lowest, stop = max(0, start - 30), start  # the words before: text[lowest:stop]
    if match[:1].lower() == match[:1].upper():  # no case: Arabic nisba with the article
        if alias_type != "demonym" or not text.endswith("\u0627\u0644", lowest, start):
            return False
        stop -= 2
    elif not match[:1].isupper() or match.isupper():
        return False
    if stop <= lowest or not text[stop - 1].isspace():
        return False
    last = text[lowest:stop].rsplit(None, 2)[-2:]  # one or two words ("عبد الله")
    if not last:
        return False
    name = last[-1].lstrip(_OPENING)
    if name in words["given"]:
        return True
    return len(last) == 2 and f"{last[0].lstrip(_OPENING)} {name}" in words["given"]


def _folded_after(text: str, folded: str | None, start: int) -> str:
    """``fold_text(text[start : start + 24].lstrip())``, from ``folded`` when given."""
    after = text[start : start + 24]
    if folded is None:
        return fold_text(after.lstrip())
    return folded[start + len(after) - len(after.lstrip()) : start + 24]


def _food(
    words: dict, alias_type: str, text: str, start: int, end: int, folded: str | None = None
) -> bool:
    if alias_type in {"acronym", "pair", "institution"}:
        return False
    if words["after"]:  # the food word right after the alias, or after "и швейцарского"
        rest = _folded_after(text, folded, end)
        if words["and"] and rest.partition(" ")[0] in words["and"]:
            pair = _AND_WORD.match(text, end)
            rest = _folded_after(text, folded, pair.end()) if pair else rest
        if rest.startswith(words["after"]):
            for word in words["after"]:
                nxt = rest[len(word) : len(word) + 1]
                katakana = "\u30a0" <= nxt <= "\u30ff" and "\u30a0" <= word[-1] <= "\u30ff"
                goes_on = nxt.isalpha() and (nxt < "\u3040" or katakana)  # a longer word
                if rest.startswith(word) and (word in words["prefix"] or not goes_on):
                    return True
    if words["before"]:  # the food word right before, or before "hollandais et"
        head = (
            fold_text(text[max(0, start - 40) : start])
            if folded is None
            else folded[max(0, start - 40) : start]
        )
        before, attached = head.split(), ""
        if before and not head[-1].isspace():  # the alias starts inside a word: Arabic "وال"
            attached, before = before[-1], before[:-1]
        candidates = [before]
        if attached.startswith("\u0648"):
            candidates.append(before[:-1])
        elif before and before[-1] in words["and"]:
            candidates.append(before[:-2])
        for words_before in candidates:
            for size in range(1, words["before_words"] + 1):
                joined = " ".join(words_before[-size:])
                if joined in words["before"]:
                    return True
                if (
                    words["arabic"]
                    and joined[_ARABIC_PREFIX.match(joined).end() :] in words["before"]
                ):
                    return True
    return False
