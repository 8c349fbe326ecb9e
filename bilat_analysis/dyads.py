"""Which pair each document is about, who hosted, and per-document partner and theme counts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from itertools import combinations, pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from bilat_analysis.lexicons import read_official_titles, read_title_words
from bilat_analysis.parallel import Rows, available_cores, collector_paused, map_chunks
from bilat_analysis.tagging import (
    ALL_LANGUAGES,
    Lexicon,
    LexiconMatcher,
    _blank_food_words,
    _document_partners,
    _fold_lookup,
    _food_word_lexicon,
    _joint_matcher,
    _languages_of,
    _partner_columns,
    _PartnerColumns,
    _tag_document,
    _title_words,
    _warm_not_partner_words,
    _with_title_words,
    _word_lookup,
    compile_lexicon,
    document_languages,
    fold_text,
    tag_corpus,
    tag_formats,
    tag_partners,
)

DYAD_COLUMNS = ["doc_id", "dyad", "dyad_score", "host", "evidence"]
ACTOR_KINDS = ("state", "bloc")

PAIR_WEIGHT = 3  # one "India-France" is worth three plain mentions
TITLE_BONUS = 2
LEAD_BONUS = 1
LEAD_CHARS = 400
THIRD_PARTY_RATIO = 0.75  # without a pair, a third partner this strong makes it not bilateral
COUNTERPART_SPAN = 60  # characters from a partner to "his counterpart" (then to the next partner)
SUMMIT_GAP = 12  # characters between a bloc and a summit word: "ASEAN summit", "KTT ke-43 ASEAN"

_TIGHT_LINK = re.compile(r"\s*(?:[-\u2010-\u2015/\u30fb\u00b7]\s*)?\Z")  # "India-France", 中俄
_LIST_LINK = re.compile(r"\s*[,;\u3001\u060c\uff0c]\s*(?:the\s+|l['\u2019]|la\s+|le\s+|les\s+)?\Z")
_ARTICLES = (
    r"(?:l['\u2019]|(?:the|la|le|les|el|los|las|il|lo|gli|o|os|a|as|die|der|den|dem|das)\s+)?"
)
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f](?:\s|\Z)|[\u3002\uff01\uff1f]|\n")
_WORD_BEFORE_PERIOD = re.compile(r"(\w+)\Z")
_BRACKETED = re.compile(r"\s*[\[(]\s*\Z")
_CLOSE = re.compile(r"\s*[\])]")
_DATELINE = re.compile(r"\A\s*[\[(,\-\u2013\u2014]")
_VENUE = re.compile(
    r"\b(?:held|hosted|took place|convened|met|meeting|talks|visit|dialogue|consultations|"
    r"summit|round)\b[^.;!?]{0,40}\b(?:in|at)\s+\Z"
    r"|\b(?:tenue?s?|réunie?s?|réunis|organisée?s?|déroulée?s?|lieu|visite|sommet|dialogue|"
    r"consultations)\b[^.;!?]{0,40}\bà\s+\Z",
    re.IGNORECASE,
)


Mention = tuple[str, int, int, str, str]  # partner, start, end, alias_type, match


@cache
def _and_link(language: str) -> re.Pattern[str]:
    """Match an "and" between two partners: "l'Inde et l'UE", "Russland und die Türkei"."""
    words = read_title_words()
    conjunctions = words.loc[words["kind"] == "conjunction", ["word", "language"]]
    if language != ALL_LANGUAGES:
        conjunctions = conjunctions[conjunctions["language"].isin([language, "en", "fr"])]
    alternatives = "|".join(
        re.escape(w) for w in sorted(set(conjunctions["word"]), key=len, reverse=True)
    )
    return re.compile(rf"\s*(?:{alternatives})\s*{_ARTICLES}\Z", re.IGNORECASE)


def _links(
    text: str,
    mentions: list[Mention],
    language: object = None,
    *,
    lead_end: int | None = None,
    starts: frozenset[int] = frozenset(),
) -> tuple[Counter, int, list[str], set[str]]:
    """Pair evidence ("India-France", "l'Inde et l'UE"), lists, and pairs missing a side.

    Mentions joined by hyphens, "and" or commas form a chain. A chain of two partners
    joined by a hyphen or "and" is pair evidence; a chain of three or more partners
    with at least one "and" or hyphen ("India, France and Australia") is a list, and
    the links inside it are not pair evidence. Only lists that start in the lead
    (before ``lead_end``) count: a list further down names the others around a pair.
    A partner written as one side of a pair whose other side is no known partner
    ("deutsch-xyz", "polnische und litauische" without "litauische", "India and
    Freedonia") is returned as dangling; ``starts`` holds the start of every mention,
    so that a region or an organisation on the other side is not mistaken for one.
    """
    code = document_languages(language)[0]
    and_link = _and_link(code)
    counterpart = _counterpart(code)
    dangling_after = _dangling(code)
    pairs: Counter[tuple[str, str]] = Counter()
    multilateral = 0
    examples: list[str] = []
    dangling: set[str] = set()
    chain: list[Mention] = []
    paired = False

    def close() -> None:
        nonlocal multilateral
        distinct = [chain[0][0]] if len(chain) == 1 else list(dict.fromkeys(m[0] for m in chain))
        if len(distinct) >= 3 and paired:
            if lead_end is None or chain[0][1] < lead_end:
                multilateral += 1
        elif len(distinct) == 2 and paired:
            pairs[tuple(sorted(distinct))] += 1
            if len(examples) < 3:
                examples.append(text[chain[0][1] : chain[-1][2]])
        elif len(distinct) == 1:
            last = chain[-1]
            other = dangling_after.match(text, last[2])
            if other and other.start(1) not in starts and _pair_side(last[4], other.group(1)):
                dangling.add(last[0])

    for mention in mentions:
        if chain:
            # what lies between the two mentions, text[low:high], read in place (the
            # link patterns look at nothing outside it); overlapping ones: nothing
            low = chain[-1][2]
            high = max(low, mention[1])
            if (
                _TIGHT_LINK.match(text, low, high)
                or and_link.match(text, low, high)
                or _counterparts(text, low, high, mention[2], counterpart)
            ):
                paired = True
                chain.append(mention)
                continue
            if _LIST_LINK.match(text, low, high):
                chain.append(mention)
                continue
            close()
        chain, paired = [mention], False
    if chain:
        close()
    return pairs, multilateral, examples, dangling


class _CounterpartPatterns(NamedTuple):
    """The patterns of "his counterpart" in one language (see :func:`_counterpart`)."""

    with_word: re.Pattern[str]  # the text between two partners, holding the word
    clause: re.Pattern[str]  # the text between two partners, without the word
    after: re.Pattern[str]  # the word right after the second partner
    # a sentence end as ``with_word`` reads it, which ``clause`` sees too, and the word
    # alone: None when a word holds a character of a sentence end
    sentence_end: re.Pattern[str] | None
    word: re.Pattern[str]


@cache
def _counterpart(language: str) -> _CounterpartPatterns:
    """Match "his counterpart" between two partners, or right after the second one.

    "Il ministro italiano e il suo omologo giapponese", "Indian minister S. Jaishankar
    met his Japanese counterpart".
    """
    words = read_title_words()
    rows = words[words["kind"] == "counterpart"]
    if language != ALL_LANGUAGES:
        rows = rows[rows["language"].isin([language, "en", "fr"])]
    alternatives = "|".join(
        re.escape(w) + (r"\w*" if m == "prefix" else r"\b")
        for w, m in sorted(zip(rows["word"], rows["match"], strict=True), reverse=True)
    )
    end = r"[;!?\u3002\n]|(?<!\b[A-Z])\.\s"  # a sentence end ("S. Jaishankar" is none)
    clause = rf"(?:(?!{end}).)"
    return _CounterpartPatterns(
        re.compile(
            rf"\A{clause}{{0,{COUNTERPART_SPAN}}}?\b(?:{alternatives}){clause}*\Z", re.IGNORECASE
        ),
        re.compile(rf"\A{clause}{{0,{2 * COUNTERPART_SPAN}}}\Z"),
        re.compile(rf"\s*(?:{alternatives})", re.IGNORECASE),
        None
        if any(set(word) & set(";!?\u3002\n.") for word in rows["word"])
        else re.compile(end, re.IGNORECASE),  # a period after "s" ends none either
        re.compile(rf"\b(?:{alternatives})", re.IGNORECASE),
    )


def _counterparts(text: str, low: int, high: int, end: int, patterns: _CounterpartPatterns) -> bool:
    """Whether "his counterpart" links two mentions (``text[low:high]`` between them).

    ``end`` is where the second mention ends.
    """
    if high - low > 2 * COUNTERPART_SPAN:
        return False
    between = text[low:high]  # sliced: the patterns anchor at its start and look behind
    if patterns.sentence_end is None:
        if patterns.with_word.match(between):
            return True
    else:
        # Found at once, where the patterns try each start: a sentence end rules out
        # both; without one, ``with_word`` matches when the word starts within its span.
        if patterns.sentence_end.search(between):
            return False
        found = patterns.word.search(between)
        if found and found.start() <= COUNTERPART_SPAN:
            return True
    return (
        patterns.after.match(text, end) is not None and patterns.clause.match(between) is not None
    )


@cache
def _dangling(language: str) -> re.Pattern[str]:
    and_words = _and_link(language).pattern.split("(?:", 1)[1].split(")", 1)[0]
    return re.compile(rf"(?:[-\u2010\u2011]|\s*(?:{and_words})\s+{_ARTICLES})(\w+)", re.IGNORECASE)


@cache
def _not_a_side() -> frozenset[str]:
    """Words after "and" that open a person's title or a body: "France and President Macron"."""
    words = list(read_official_titles()["word"]) + list(read_title_words()["word"])
    return frozenset(fold_text(w).rstrip(".") for w in words) | {
        "the",
        "its",
        "his",
        "her",
        "their",
    }


def _pair_side(match: str, word: str) -> bool:
    """Whether ``word`` after "and" or a hyphen reads as the other side of a pair with ``match``."""
    if not word[:1].isalpha() or fold_text(word) in _not_a_side():
        return False
    if word[:1].isupper() and not match[:1].islower():
        return True  # "India and Freedonia"
    return len(word) > 4 and len(match) > 4 and word[-3:].lower() == match[-3:].lower()


def dateline_venues(text: str, mentions: list[Mention]) -> set[int]:
    """Return the starts of mentions naming a venue's country in brackets: "Brussels [Belgium]".

    A state named in brackets right after a capital ("New Delhi [India], Jan 5") is
    where the dateline places the story, not a partner.

    Parameters
    ----------
    text : str
        The document.
    mentions : list of tuple
        ``(partner, start, end, alias_type, match)`` in text order.

    Returns
    -------
    set of int
        The ``start`` of each such mention.

    Examples
    --------
    >>> text = "Brussels [Belgium], May 2: India and the EU met."
    >>> mentions = [("BEL", 0, 8, "capital", "Brussels"), ("BEL", 10, 17, "name", "Belgium")]
    >>> dateline_venues(text, mentions)
    {10}
    """
    venues = set()
    for previous, mention in pairwise(mentions):
        if (
            previous[3] == "capital"
            and _BRACKETED.match(text[previous[2] : mention[1]])
            and _CLOSE.match(text, mention[2])
        ):
            venues.add(mention[1])
    return venues


@cache
def _format_codes() -> list[str]:
    """Return the bundled format lexicon's codes, row by row (read once, not per document)."""
    return compile_lexicon("formats")[0]["format"].tolist()


def _summits(
    text: str, language: object, folded: tuple[str, str] | None = None
) -> list[tuple[int, int]]:
    """Return the spans of the words for a summit ("summit", "sommet", "KTT", 峰会) in ``text``.

    ``folded`` is the text folded and marked for matching (``_fold_for_matching``), when
    the caller has it.
    """
    _, matcher = compile_lexicon("formats")
    formats = _format_codes()
    folded_text, marked = folded or (None, None)
    found = matcher.find(text, folded_text, language=language, marked=marked)
    return [(s, e) for s, e, row in found if formats[row] == "summit"]


def _multilateral_lead(
    text: str,
    lead_end: int,
    dyad: tuple[str, str],
    evidenced: bool,
    in_lead: set[str],
    first_organisation: int,
    blocs_in_lead: list[tuple[str, int, int]],
    language: object,
    folded: tuple[str, str] | None = None,
) -> bool:
    """Whether the lead is about a multilateral meeting rather than the pair.

    It is when neither member of the pair is in the title or the lead while the lead
    names an organisation or a summit (the Ibero-American summit, the OSCE
    ministerial); or, without pair evidence, when an organisation or a member of the
    pair that is a bloc is named next to a summit word ("KTT ASEAN", "ASEAN summit",
    "il vertice del G7"): the bloc is the forum, not a party. ``blocs_in_lead`` holds
    ``(code, start, end)`` of blocs, and ``(None, start, end)`` of organisations.
    The lead is searched for summit words only when the answer depends on them;
    ``folded`` is the whole text folded and marked (``_fold_for_matching``), when the
    caller has it.
    """
    lead = folded and (folded[0][:lead_end], folded[1][:lead_end])
    summits = None
    if not set(dyad) & in_lead:
        if first_organisation < lead_end:
            return True
        summits = _summits(text[:lead_end], language, lead)
        if summits:
            return True
    if evidenced or not blocs_in_lead:
        return False
    if summits is None:
        summits = _summits(text[:lead_end], language, lead)
    return any(
        (code in dyad or code is None)
        and (0 <= s - end <= SUMMIT_GAP or 0 <= start - e <= SUMMIT_GAP)
        for code, start, end in blocs_in_lead
        for s, e in summits
    )


def in_dateline_bracket(corpus: pd.DataFrame, mentions: pd.DataFrame) -> pd.Series:
    """Flag the mentions :func:`dateline_venues` finds ("Brussels [Belgium]"): venues, not partners.

    Only a mention right after a capital in the same document can be one, so the texts
    are read for those candidates alone (linear in the mentions: a tagger's table is
    already in document and offset order, and is sorted only when it is not).

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``doc_id`` and ``text`` of the tagged documents.
    mentions : pandas.DataFrame
        Partner mentions (:func:`bilat_analysis.tagging.tag_partners` columns).

    Returns
    -------
    pandas.Series
        True for each mention in a dateline bracket, on the mentions' index.

    Raises
    ------
    ValueError
        When a mention to be read is of a doc_id the corpus does not have.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["BRUSSELS [Belgium] - India met France."]})
    >>> mentions = tag_partners(corpus)
    >>> mentions.loc[in_dateline_bracket(corpus, mentions), "partner"].tolist()
    ['BEL']
    """
    flags = np.zeros(len(mentions), dtype=bool)
    if mentions.empty:
        return pd.Series(flags, index=mentions.index)
    codes, doc_ids = pd.factorize(mentions["doc_id"], use_na_sentinel=False)
    starts = mentions["start"].to_numpy()
    in_order = bool(
        np.all((codes[1:] > codes[:-1]) | ((codes[1:] == codes[:-1]) & (starts[1:] >= starts[:-1])))
    )
    order = np.arange(len(codes)) if in_order else np.lexsort((starts, codes))
    sorted_codes = codes[order]
    capital = (mentions["alias_type"] == "capital").to_numpy(dtype=bool, na_value=False)[order]
    after_capital = np.zeros(len(order), dtype=bool)
    after_capital[1:] = (sorted_codes[1:] == sorted_codes[:-1]) & capital[:-1]
    if not after_capital.any():
        return pd.Series(flags, index=mentions.index)
    candidates = np.flatnonzero(after_capital)
    rows, previous = order[candidates], order[candidates - 1]
    # the arrays of the candidates only: a take of the whole table's rows (its columns of
    # strings) cost more than reading the texts
    known, at = pd.Index(corpus["doc_id"]), np.arange(len(corpus))
    if not known.is_unique:  # a doc_id's first document (its mentions cannot say which)
        first = ~known.duplicated()
        known, at = known[first], at[first]
    found = known.get_indexer(doc_ids)[codes[rows]]
    if (found < 0).any():
        missing = doc_ids[codes[rows][found < 0][0]]
        raise ValueError(f"a mention's doc_id is not in the corpus: {missing!r}")
    rows_of_texts, which = np.unique(at[found], return_inverse=True)
    distinct = _texts_at(corpus["text"], rows_of_texts)  # each text read once
    ends = mentions["end"].to_numpy()
    for row, text, start, end, previous_end in zip(
        rows.tolist(),
        [distinct[i] for i in which.tolist()],
        starts[rows].tolist(),
        ends[rows].tolist(),
        ends[previous].tolist(),
        strict=True,
    ):
        if _BRACKETED.match(text[previous_end:start]) and _CLOSE.match(text, end):
            flags[row] = True
    return pd.Series(flags, index=mentions.index)


def _texts_at(column: pd.Series, positions: np.ndarray) -> list[str]:
    """Read the texts at these positions of a column, one by one, without copying the column.

    A column in Arrow is read from its chunks: a take (``column.iloc[positions]``) joins
    the chunks first, the first time 0.9 s for 13,500 of 100,000 prepared articles, and
    ``column.iloc[i]`` costs 17-30 us a text (0.23-0.41 s), against 0.07-0.16 s here.

    Examples
    --------
    >>> _texts_at(pd.Series(["a", "b", "c"], dtype="string[pyarrow]"), np.array([0, 2]))
    ['a', 'c']
    """
    dtype = column.dtype
    if not (
        isinstance(dtype, pd.ArrowDtype)
        or (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")
    ):
        values = column.to_numpy()
        return [values[i] for i in positions.tolist()]
    arrow = pa.array(column)  # the column's own arrays
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    lengths = np.array([len(chunk) for chunk in chunks])
    ends = np.cumsum(lengths)
    chunk = np.searchsorted(ends, positions, side="right")
    offset = positions - (ends - lengths)[chunk]
    return [chunks[k][i].as_py() for k, i in zip(chunk.tolist(), offset.tolist(), strict=True)]


def _first_sentence_end(text: str) -> int:
    """Return the end of the first sentence.

    A period after a day number ("1. Dezember"), an abbreviation ("Sept.", "Dr.") or
    before a lower-case word does not end one.
    """
    for found in _SENTENCE_END.finditer(text, 1):
        if found.group().startswith("."):
            # the word before: its length matters up to 4 letters, so 5 are read
            before = _WORD_BEFORE_PERIOD.search(text, max(0, found.start() - 5), found.start())
            after = text[found.end() : found.end() + 1]
            word = before.group(1) if before else ""
            if (word.isdigit() and len(word) <= 2) or (word[:1].isupper() and len(word) <= 4):
                continue
            if after[:1].islower():
                continue
        return found.end()
    return len(text)


def _host(text: str, mentions: pd.DataFrame, dyad: tuple[str, str], seats: dict[str, str]) -> tuple:
    venues: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for partner, start, end, alias_type, match in mentions:
        if alias_type != "capital":
            continue
        dateline = start < 3 and _DATELINE.match(text[end:]) is not None
        if not dateline and not _VENUE.search(text[max(0, start - 80) : start]):
            continue
        hosts = [partner] if partner in dyad else []
        hosts += [s for s in seats.get(match.casefold(), "").split("|") if s in dyad]
        for host in hosts[:1]:
            venues[host] += 1
            first_seen.setdefault(host, start)
    if not venues:
        return None, None
    host = max(venues, key=lambda h: (venues[h], -first_seen[h]))
    return host, venues[host]


def _choose_dyad(
    scores: Counter[str],
    pairs: Counter[tuple[str, str]],
    multilateral: int,
    *,
    first: dict[str, int] | None = None,
    dangling: frozenset[str] | set[str] = frozenset(),
) -> tuple[tuple[str, str] | None, str]:
    """Apply the rule of :func:`infer_dyads` to one document's scores and pair evidence."""
    if len([s for s in scores.values() if s > 0]) < 2 and not pairs:
        return None, "fewer than two partners"
    first = first or {}
    top = [code for code, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    candidates = set(pairs) | {tuple(sorted(p)) for p in combinations(top, 2)}
    best = max(
        candidates,
        key=lambda p: (
            PAIR_WEIGHT * pairs[p] + scores[p[0]] + scores[p[1]],
            -max(first.get(p[0], 0), first.get(p[1], 0)),
            p,
        ),
    )
    others = [s for c, s in scores.items() if c not in best]
    if multilateral > pairs[best]:
        return None, f"{multilateral} list(s) of three or more partners"
    if not pairs[best]:
        if dangling:
            named = ", ".join(sorted(dangling))
            return None, f"{named} written in a pair whose other side is not known"
    weaker = min(scores[best[0]], scores[best[1]])
    if not pairs[best] and others and max(others) >= THIRD_PARTY_RATIO * weaker:
        return None, "three or more comparable partners"
    return best, ""


def infer_dyads(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    lexicon: Lexicon = None,
    count_capitals: bool = False,
) -> pd.DataFrame:
    """Infer, for each document, the unordered pair of partners it is about, and the host.

    The rule. Only states and blocs can form a dyad (organisations such as the UN or
    G20 are fora, regions are places). Each partner gets a score: its mentions
    (capitals left out unless ``count_capitals``: "held in Paris" names a venue; a
    country in a dateline bracket, "Brussels [Belgium]", is left out too), plus 2
    when it is in the title and 1 when it is in the lead (the first sentence, at most
    400 characters). Pair evidence is two partners written as a pair, in the
    document's language: "India-France", "Paris-Islamabad", "India and France",
    "l'Inde et l'UE", "Russland und die Türkei", "российско-турецкие", 中俄, 日豪,
    "Sino-Indian"; each counts 3. The dyad is the pair with the highest ``3 * pair
    evidence + score_a + score_b`` among the evidenced pairs and the top five
    partners (ties: the pair named first). There is none when fewer than two partners
    are named; when lists of three or more partners that start in the lead ("India,
    France and Australia", "India-France-Australia") outnumber the best pair's
    evidence (a list further down, "officials in Japan, Vietnam and Malaysia were
    briefed", surrounds a pair and leaves it); without pair evidence, when a partner
    is written as one side of a pair whose other side is no known partner ("India and
    Freedonia": a partner named elsewhere must not take that side's place), or when a
    third partner scores at least 0.75 of the weaker of the two; and when the lead is
    about a multilateral meeting (see :func:`_multilateral_lead`: an organisation or
    a summit in the lead and neither member of the pair there, or "ASEAN summit",
    "il vertice del G7" without pair evidence).

    ``dyad_score`` is the share of all partner score held by the dyad (0-1). The
    ``host`` is the dyad member whose capital is named as the venue ("held in Paris",
    "à Bruxelles", a dateline "Paris [France], January 21"); a bloc's seat counts for
    the bloc (Brussels for the EU). Several venues: the most named, then the first.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id``, ``text``; ``title`` is used when present.
    mentions : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_partners`; computed when not given.
    lexicon : str, pathlib.Path, pandas.DataFrame, optional
        Partner lexicon (default the bundled one).
    count_capitals : bool, default False
        Count capitals as mentions of their state.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``dyad`` (tuple of two sorted codes, or None), ``dyad_score``,
        ``host`` (code or None), ``evidence`` (a readable summary).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["India-France talks were held in Paris."]})
    >>> infer_dyads(corpus)[["dyad", "host"]].values.tolist()
    [[('FRA', 'IND'), 'FRA']]
    """
    table, matcher = compile_lexicon("partners", lexicon)
    if mentions is None:
        mentions = tag_partners(corpus, lexicon=lexicon)
    context = _dyad_context(table, matcher, count_capitals=count_capitals)
    all_starts: dict[str, set[int]] = {}
    for doc_id, start in zip(mentions["doc_id"].tolist(), mentions["start"].tolist(), strict=True):
        all_starts.setdefault(doc_id, set()).add(start)
    organisations = mentions[mentions["kind"] == "organisation"]
    organisation_spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in zip(
        organisations["doc_id"].tolist(),
        organisations["start"].tolist(),
        organisations["end"].tolist(),
        strict=True,
    ):
        organisation_spans.setdefault(doc_id, []).append((start, end))
    actors = mentions[mentions["kind"].isin(ACTOR_KINDS)].sort_values(["doc_id", "start"])
    by_doc: dict[str, list[Mention]] = {}
    for doc_id, *mention in zip(
        actors["doc_id"].tolist(),
        actors["partner"].tolist(),
        actors["start"].tolist(),
        actors["end"].tolist(),
        actors["alias_type"].tolist(),
        actors["match"].tolist(),
        strict=True,
    ):
        by_doc.setdefault(doc_id, []).append(tuple(mention))
    titles = corpus["title"].tolist() if "title" in corpus.columns else [None] * len(corpus)
    rows = [
        (
            doc_id,
            *_dyad_row(
                context,
                text,
                title,
                language,
                by_doc.get(doc_id, []),
                all_starts.get(doc_id, frozenset()),
                organisation_spans.get(doc_id, []),
            ),
        )
        for doc_id, text, title, language in zip(
            corpus["doc_id"].tolist(),
            corpus["text"].tolist(),
            titles,
            _languages_of(corpus),
            strict=True,
        )
    ]
    return pd.DataFrame(rows, columns=DYAD_COLUMNS)


class _DyadContext(NamedTuple):
    """What the dyad rule reads besides a document: the partner lexicon and its options."""

    matcher: LexiconMatcher
    codes: list[str]
    kinds: list[str]
    blocs: frozenset[str]
    seats: dict[str, str]  # a capital's alias, case-folded -> the partners it is the seat of
    count_capitals: bool


def _dyad_context(
    table: pd.DataFrame, matcher: LexiconMatcher, *, count_capitals: bool
) -> _DyadContext:
    seats = {
        alias.casefold(): seat
        for alias, seat in zip(table["alias"].tolist(), table["seat_of"].tolist(), strict=True)
        if isinstance(seat, str) and seat
    }
    kinds = table["kind"].tolist()
    codes = table["code"].tolist()
    blocs = frozenset(code for code, kind in zip(codes, kinds, strict=True) if kind == "bloc")
    return _DyadContext(matcher, codes, kinds, blocs, seats, count_capitals)


def _dyad_row(
    context: _DyadContext,
    text: str,
    title: object,
    language: object,
    found: list[Mention],
    all_starts: frozenset[int] | set[int],
    organisation_spans: list[tuple[int, int]],
    *,
    evidence: bool = True,
    folded: tuple[str, str] | None = None,
) -> tuple[tuple[str, str] | None, float | None, str | None, str | None]:
    """Apply the rule of :func:`infer_dyads` to one document: dyad, score, host, evidence.

    ``found`` holds the document's state and bloc mentions in text order, ``all_starts``
    the start of every partner mention, ``organisation_spans`` the organisations'
    ``(start, end)``. Without ``evidence`` the summary is not written (None). ``folded``
    is the text folded and marked for matching, when the caller has it.
    """
    codes, kinds = context.codes, context.kinds
    count_capitals = context.count_capitals
    venues = dateline_venues(text, found)
    found = [m for m in found if m[1] not in venues]
    counted = [m for m in found if count_capitals or m[3] != "capital"]
    scores = Counter(m[0] for m in counted)
    in_title: set[str] = set()
    if isinstance(title, str):
        in_title = {
            codes[row]
            for _, _, row in context.matcher.find(title, language=language)
            if kinds[row] in ACTOR_KINDS
        }
        for code in in_title:
            scores[code] += TITLE_BONUS
    lead_end = min(LEAD_CHARS, _first_sentence_end(text))
    for code in {m[0] for m in counted if m[1] < lead_end}:
        scores[code] += LEAD_BONUS
    first: dict[str, int] = {}
    for m in counted:
        first.setdefault(m[0], m[1])
    pairs, multilateral, examples, dangling = _links(
        text, found, language, lead_end=lead_end, starts=all_starts
    )
    dyad, reason = _choose_dyad(
        scores,
        pairs,
        multilateral,
        first=first,
        dangling=dangling,
    )
    in_lead = {m[0] for m in counted if m[1] < lead_end} | in_title
    blocs_in_lead = [(m[0], m[1], m[2]) for m in found if m[0] in context.blocs and m[1] < lead_end]
    blocs_in_lead += [(None, s, e) for s, e in organisation_spans if s < lead_end]
    forum = min((s for s, _ in organisation_spans), default=lead_end)
    if dyad and _multilateral_lead(
        text,
        lead_end,
        dyad,
        pairs[dyad] > 0,
        in_lead,
        forum,
        blocs_in_lead,
        language,
        folded,
    ):
        dyad, reason = None, "the lead is about a multilateral meeting, not this pair"
    total = sum(scores.values())
    score = round((scores[dyad[0]] + scores[dyad[1]]) / total, 2) if dyad and total else None
    host, venue_count = _host(text, found, dyad, context.seats) if dyad else (None, None)
    if not evidence:
        return dyad, score, host, None
    top = [code for code, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    parts = []
    if pairs:
        parts.append("pairs: " + ", ".join(f"{a}-{b} x{n}" for (a, b), n in pairs.most_common(3)))
    if examples:
        parts.append("e.g. " + " | ".join(repr(e) for e in examples[:2]))
    parts.append("scores: " + ", ".join(f"{c} {scores[c]}" for c in top))
    if host:
        parts.append(f"host {host} (venue named x{venue_count})")
    if reason:
        parts.append(f"no dyad: {reason}")
    return dyad, score, host, "; ".join(parts)


def _counts(mentions: pd.DataFrame, column: str, doc_ids: list[str]) -> list[dict[str, int]]:
    counted = mentions.groupby(["doc_id", column], sort=False).size()
    per_doc: dict[str, dict[str, int]] = {d: {} for d in doc_ids}
    for (doc_id, tag), n in counted.items():
        per_doc[doc_id][tag] = int(n)
    return [dict(sorted(per_doc[d].items(), key=lambda kv: (-kv[1], kv[0]))) for d in doc_ids]


def annotate_documents(
    corpus: pd.DataFrame,
    *,
    partners: Lexicon = None,
    themes: Lexicon = None,
    count_capitals: bool = False,
    n_jobs: int | None = None,
    partner_mentions: pd.DataFrame | None = None,
    theme_mentions: pd.DataFrame | None = None,
    dyads: pd.DataFrame | None = None,
    formats: pd.DataFrame | None = None,
    officials: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add the dyad, host, partner, theme and official counts and main format of each document.

    The columns added: ``dyad``, ``dyad_score``, ``host``, ``partners``, ``themes``,
    ``officials``, ``format``. ``partners`` maps each partner code (states, blocs,
    organisations; not regions; not capitals unless ``count_capitals``) to its mention
    count; ``themes`` maps each theme to its mentions outside job titles (see
    :func:`bilat_analysis.tagging.tag_themes`); ``officials`` maps each official (the
    ``official`` column of :func:`bilat_analysis.officials.tag_officials`) to their
    mentions. All three are sorted by count. ``format`` is the meeting format the
    document names most (:func:`bilat_analysis.events.main_formats`; None when it
    names none). Same-meeting grouping reads the officials and formats.

    Without mention tables given (and with unique doc_ids), each document is tagged,
    given its dyad and counted in one go, on ``n_jobs`` processes (partners, themes,
    formats and title words found in one pass over the text, the officials named with a
    title read in the same go, and looked for in every document after): the same columns
    as from :func:`bilat_analysis.tagging.tag_corpus`,
    :func:`bilat_analysis.tagging.tag_formats`, :func:`infer_dyads`,
    :func:`bilat_analysis.officials.tag_officials` and the counts of the mention tables,
    without building those tables.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame; it is not modified.
    partners, themes : str, pathlib.Path, pandas.DataFrame, optional
        Lexicons; default the bundled ones.
    count_capitals : bool, default False
        Count capitals as mentions of their state.
    n_jobs : int, optional
        Processes for tagging; default every core available.
    partner_mentions, theme_mentions : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_corpus` (or a prepared corpus): given,
        the texts are not tagged again.
    dyads : pandas.DataFrame, optional
        From :func:`infer_dyads` on the same mentions; computed when not given.
    formats : pandas.DataFrame, optional
        Format mentions from :func:`bilat_analysis.tagging.tag_formats`, read with the
        mention tables; tagged when not given.
    officials : pandas.DataFrame, optional
        From :func:`bilat_analysis.officials.tag_officials` (or a prepared corpus), read
        with the mention tables; tagged when not given.

    Returns
    -------
    pandas.DataFrame
        A copy of ``corpus`` with the seven columns added.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> annotated = annotate_documents(load_corpus())
    >>> annotated["dyad"].tolist()
    [('FRA', 'IND'), ('FRA', 'IND'), ('EU', 'IND'), ('FRA', 'VNM'), ('FRA', 'PAK')]
    """
    n_jobs = available_cores(n_jobs)
    if (
        partner_mentions is None
        and theme_mentions is None
        and dyads is None
        and formats is None
        and officials is None
        and len(corpus)
        and corpus["doc_id"].is_unique
    ):
        return _annotate(corpus, partners, themes, count_capitals=count_capitals, n_jobs=n_jobs)
    if partner_mentions is None or theme_mentions is None:
        tagged = tag_corpus(corpus, partners=partners, themes=themes, n_jobs=n_jobs)
        partner_mentions = tagged[0] if partner_mentions is None else partner_mentions
        theme_mentions = tagged[1] if theme_mentions is None else theme_mentions
    if dyads is None:
        dyads = infer_dyads(
            corpus, partner_mentions, lexicon=partners, count_capitals=count_capitals
        )
    counted = partner_mentions[
        (partner_mentions["kind"] != "region") & ~in_dateline_bracket(corpus, partner_mentions)
    ]
    if not count_capitals:
        counted = counted[counted["alias_type"] != "capital"]
    from bilat_analysis.events import main_formats  # events reads this module

    doc_ids = corpus["doc_id"].tolist()
    if formats is None:
        formats = tag_formats(corpus, n_jobs=n_jobs)
    if officials is None:
        from bilat_analysis.officials import tag_officials  # officials reads this module

        officials = tag_officials(corpus, partner_mentions=partner_mentions, n_jobs=n_jobs)
    return corpus.assign(
        dyad=dyads["dyad"].to_numpy(),
        dyad_score=dyads["dyad_score"].to_numpy(),
        host=dyads["host"].to_numpy(),
        partners=_counts(counted, "partner", doc_ids),
        themes=_counts(theme_mentions[~theme_mentions["in_title"]], "theme", doc_ids),
        officials=_counts(officials, "official", doc_ids),
        format=_format_column(main_formats(corpus, formats).tolist(), corpus.index),
    )


def _format_column(formats: list[object], index: pd.Index) -> pd.Series:
    """Each document's main format as an object column: None, never NaN, where there is none."""
    return pd.Series(formats, index=index, dtype=object)


class _AnnotationJob(NamedTuple):
    """What each document is annotated with (see :func:`_annotate`)."""

    # partners, themes, formats, title words and title endings (officials.title_matcher,
    # officials.title_ending_matcher), food words (tagging._food_word_lexicon)
    matchers: tuple[LexiconMatcher, ...]
    partners: _PartnerColumns
    counted: list[bool]  # each partner row: counted in ``partners`` (no region, capital or gap)
    themes: list[str | None]  # each theme row's theme; None for a phrase that is no theme
    formats: list[str]  # each format row's format
    context: _DyadContext
    # the partner, theme and format tables when each document's hits and dyad evidence
    # are wanted too (annotate_with_tables), else None
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None


def _annotate(
    corpus: pd.DataFrame,
    partners: Lexicon,
    themes: Lexicon,
    *,
    count_capitals: bool,
    n_jobs: int,
) -> pd.DataFrame:
    """:func:`annotate_documents` without mention tables: each document done in one go.

    Each worker tags a document (partners, themes, formats, title words, the endings
    of compound titles and food words in one automaton pass), keeps its partner hits as
    :func:`tag_partners` does (the food rule read only where a food word is), applies
    the dyad rule, counts the partners and themes, picks the main format and, when the
    document may hold a title word
    (:func:`bilat_analysis.officials.title_screen`), finds the officials named with a
    title, so that a few values per document come back and no mention table is built.
    The officials found are then looked for in every document
    (:func:`bilat_analysis.officials.find_officials`) and counted. The result is the
    one of tagging, :func:`infer_dyads`,
    :func:`bilat_analysis.officials.tag_officials`, counting the tables and
    :func:`bilat_analysis.events.main_formats` (doc_ids unique).
    """
    from bilat_analysis.officials import find_officials  # officials reads this module

    job = _annotation_job(partners, themes, count_capitals=count_capitals)
    with collector_paused():  # the documents' values live on: no collection while they come
        rows = _annotated_rows(corpus, job, n_jobs)
        titled = [hit for row in rows for hit in row[6]]
        officials = find_officials([corpus], titled, n_jobs=n_jobs)
        counts = _counts(officials, "official", corpus["doc_id"].tolist())
        return _with_annotations(corpus, rows, counts)


def _annotated_rows(corpus: pd.DataFrame, job: _AnnotationJob, n_jobs: int) -> list[tuple]:
    """Each document's row of :func:`_annotate_document`, worked out on ``n_jobs`` processes."""
    languages = _languages_of(corpus)
    _warm_caches(job, languages)
    titles = corpus["title"].tolist() if "title" in corpus.columns else [None] * len(corpus)
    # the texts are listed by the workers, each its own part
    documents = Rows(corpus["text"].array, languages, titles, corpus["doc_id"].tolist())
    return [
        row
        for part in map_chunks(_annotate_chunk, documents, payload=job, n_jobs=n_jobs)
        for row in part
    ]


def _with_annotations(corpus: pd.DataFrame, rows: list[tuple], officials: list) -> pd.DataFrame:
    """Give the corpus with the columns of :func:`annotate_documents`, from the rows."""
    dyads = pd.DataFrame(
        [(None, dyad, score, host, None) for dyad, score, host, *_ in rows], columns=DYAD_COLUMNS
    )
    return corpus.assign(
        dyad=dyads["dyad"].to_numpy(),
        dyad_score=dyads["dyad_score"].to_numpy(),
        host=dyads["host"].to_numpy(),
        partners=[row[3] for row in rows],
        themes=[row[4] for row in rows],
        officials=officials,
        format=_format_column([row[5] for row in rows], corpus.index),
    )


class AnnotatedTables(NamedTuple):
    """What :func:`annotate_with_tables` gives: the annotated corpus and what it was read from."""

    documents: pd.DataFrame  # annotate_documents' columns; ``officials`` left empty
    partners: pd.DataFrame  # the mention tables of tag_corpus and tag_formats
    themes: pd.DataFrame
    formats: pd.DataFrame
    dyads: pd.DataFrame  # infer_dyads' table, with its evidence
    titled: list[tuple]  # the officials named with a title (find_titled_officials)


def annotate_with_tables(
    corpus: pd.DataFrame,
    *,
    partners: Lexicon = None,
    themes: Lexicon = None,
    n_jobs: int | None = None,
) -> AnnotatedTables:
    """Annotate the documents and keep the mention tables, reading each text once.

    What ``prepare`` stores for a batch of documents: the columns of
    :func:`annotate_documents` (each document tagged, given its dyad and counted in one
    go, as there) and the tables the other way builds them from:
    :func:`bilat_analysis.tagging.tag_corpus`, :func:`bilat_analysis.tagging.tag_formats`,
    :func:`infer_dyads` and the first pass of
    :func:`bilat_analysis.officials.tag_officials`. The officials are not looked for in
    every document: that needs every batch (:func:`bilat_analysis.officials.find_officials`),
    and the ``officials`` column is left empty.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame (unique doc_ids); it is not modified.
    partners, themes : str, pathlib.Path, pandas.DataFrame, optional
        Lexicons; default the bundled ones.
    n_jobs : int, optional
        Processes; default every core available.

    Returns
    -------
    AnnotatedTables
        ``documents``, ``partners``, ``themes``, ``formats``, ``dyads``, ``titled``.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> tables = annotate_with_tables(load_corpus())
    >>> tables.documents["dyad"].tolist()[2], len(tables.partners) > 0, tables.titled[0][2]
    (('EU', 'IND'), True, 'Vikram Misri')
    """
    from bilat_analysis.tagging import _format_frame, _partner_table, _theme_frame

    n_jobs = available_cores(n_jobs)
    job = _annotation_job(partners, themes, count_capitals=False, tables=True)
    partner_table, theme_table, format_table = job.tables
    doc_ids, texts = corpus["doc_id"].tolist(), corpus["text"].tolist()
    with collector_paused():  # the documents' values live on: no collection while they come
        rows = _annotated_rows(corpus, job, n_jobs)
        partner_hits, theme_hits, flags, format_hits, evidence = (
            zip(*(row[7] for row in rows), strict=True) if rows else ([],) * 5
        )
        dyads = pd.DataFrame(
            [
                (doc_id, dyad, score, host, summary)
                for doc_id, (dyad, score, host, *_), summary in zip(
                    doc_ids, rows, evidence, strict=True
                )
            ],
            columns=DYAD_COLUMNS,
        )
        return AnnotatedTables(
            _with_annotations(corpus, rows, [{} for _ in doc_ids]),  # officials: none yet
            _partner_table(doc_ids, texts, partner_table, partner_hits),
            _theme_frame(doc_ids, texts, theme_table, list(theme_hits), list(flags)),
            _format_frame(doc_ids, texts, format_table, format_hits),
            dyads,
            [hit for row in rows for hit in row[6]],
        )


def _annotation_job(
    partners: Lexicon, themes: Lexicon, *, count_capitals: bool, tables: bool = False
) -> _AnnotationJob:
    """Compile what each document is annotated with (the lexicons, the dyad rule's context).

    With ``tables``, the job keeps the lexicon tables, and each document gives its hits too.
    """
    from bilat_analysis.officials import (  # officials reads this module
        title_ending_matcher,
        title_matcher,
    )

    partner_table, partner_matcher = compile_lexicon("partners", partners)
    theme_table, theme_matcher = compile_lexicon("themes", themes)
    format_table, format_matcher = compile_lexicon("formats")
    columns = _partner_columns(partner_table)
    codes = partner_table["code"]
    counted = (
        codes.notna()
        & (partner_table["kind"] != "region")
        & (count_capitals | (partner_table["alias_type"] != "capital"))
    ).tolist()
    theme_names = [
        theme if isinstance(theme, str) and theme else None
        for theme in theme_table["theme"].tolist()
    ]
    return _AnnotationJob(
        (
            partner_matcher,
            theme_matcher,
            format_matcher,
            title_matcher(),
            title_ending_matcher(),
            _food_word_lexicon(),
        ),
        columns,
        counted,
        theme_names,
        format_table["format"].tolist(),
        _dyad_context(partner_table, partner_matcher, count_capitals=count_capitals),
        (partner_table, theme_table, format_table) if tables else None,
    )


def _warm_caches(job: _AnnotationJob, languages: list[object]) -> None:
    """Compile the automata and read the word lists the documents need, before any fork.

    The name and food words are read for the documents' own languages; those of other
    aliases a document may match (one of unknown language reads every alias) are read
    by the workers when met.
    """
    from bilat_analysis.officials import _vocabulary, _warm_title_screen  # it reads this module

    _fold_lookup(), _word_lookup(), _not_a_side(), _format_codes(), _warm_title_screen()
    _blank_food_words()
    for language in set(languages):
        _vocabulary(language if isinstance(language, str) else None)
    _, formats = compile_lexicon("formats")
    by_rows = {document_languages(lang): lang for lang in languages}
    for codes, language in by_rows.items():
        _joint_matcher(_with_title_words(job.matchers, 1), language)
        _title_words(codes)
        job.context.matcher.matcher(language)
        formats.matcher(language)
        _and_link(codes[0]), _counterpart(codes[0]), _dangling(codes[0])
    _warm_not_partner_words(by_rows)


def _annotate_chunk(
    job: _AnnotationJob, documents: Sequence[tuple[str, object, object, str]]
) -> list[tuple]:
    from bilat_analysis.officials import title_screen, titled_in_document

    return [
        _annotate_document(job, *document, screen=title_screen, titled=titled_in_document)
        for document in documents
    ]


def _annotate_document(
    job: _AnnotationJob,
    text: str,
    language: object,
    title: object,
    doc_id: str,
    *,
    screen: Callable[[str, str, bool, bool], int],
    titled: Callable[..., list[tuple]],
) -> tuple:
    """One document's dyad, score, host, partner and theme counts, main format, titled officials.

    ``screen`` and ``titled`` are :func:`bilat_analysis.officials.title_screen` and
    :func:`bilat_analysis.officials.titled_in_document` (that module imports this one).
    """
    (partner_hits, theme_hits, format_hits, title_hits, endings, foods), flags, folded = (
        _tag_document(job.matchers, 1, text, language)
    )
    if partner_hits:
        partner_hits = _document_partners(
            text, partner_hits, job.partners, folded[0], foods=bool(foods) or _blank_food_words()
        )
    codes, kinds, alias_types = job.partners.codes, job.partners.kinds, job.partners.alias_types
    found: list[Mention] = []
    organisations: list[tuple[int, int]] = []
    starts: set[int] = set()
    partner_counts: Counter[str] = Counter()
    capital_end = None  # the end of the mention before, when it is a capital
    for start, end, row in partner_hits:
        kind, alias_type = kinds[row], alias_types[row]
        if kind in ACTOR_KINDS:
            found.append((codes[row], start, end, alias_type, text[start:end]))
        elif kind == "organisation":
            organisations.append((start, end))
        starts.add(start)
        if (
            job.counted[row]
            and not (  # a state in a dateline bracket (in_dateline_bracket)
                capital_end is not None
                and _BRACKETED.match(text[capital_end:start])
                and _CLOSE.match(text, end)
            )
        ):
            partner_counts[codes[row]] += 1
        capital_end = end if alias_type == "capital" else None
    dyad, score, host, summary = _dyad_row(
        job.context,
        text,
        title,
        language,
        found,
        starts,
        organisations,
        evidence=job.tables is not None,
        folded=folded,
    )
    theme_counts: Counter[str] = Counter(
        theme
        for (_, _, row), in_title in zip(theme_hits, flags, strict=True)
        if not in_title and (theme := job.themes[row]) is not None
    )
    officials = []
    # the first pass of tag_officials, given tag_partners' state and bloc mentions
    if screen(text, folded[0], bool(title_hits), bool(endings)):
        mentions = [(start, end, code) for code, start, end, _, _ in found]
        officials = titled(doc_id, text, language, mentions, has_title=bool(title_hits))
    row = (
        dyad,
        score,
        host,
        _by_count(partner_counts),
        _by_count(theme_counts),
        _main_format(format_hits, job.formats),
        officials,
    )
    if job.tables is not None:  # the hits the mention tables are built from, and the evidence
        return (*row, (partner_hits, theme_hits, flags, format_hits, summary))
    return row


def _main_format(hits: list[tuple[int, int, int]], formats: list[str]) -> str | None:
    """Pick the format named most, then first (hits in text order), as ``main_formats`` does."""
    if not hits:  # most documents name none
        return None
    counts: Counter[str] = Counter(formats[row] for _, _, row in hits)
    first: dict[str, int] = {}
    for start, _, row in hits:
        first.setdefault(formats[row], start)
    return min(counts, key=lambda f: (-counts[f], first[f]), default=None)


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
