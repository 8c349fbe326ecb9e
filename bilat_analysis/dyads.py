"""Which pair each document is about, who hosted, and per-document partner and theme counts."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pandas as pd

from bilat_analysis.tagging import Lexicon, compile_lexicon, tag_corpus, tag_partners

DYAD_COLUMNS = ["doc_id", "dyad", "dyad_score", "host", "evidence"]
ACTOR_KINDS = ("state", "bloc")

PAIR_WEIGHT = 3  # one "India-France" is worth three plain mentions
TITLE_BONUS = 2
LEAD_BONUS = 1
LEAD_CHARS = 400
THIRD_PARTY_RATIO = 0.75  # without a pair, a third partner this strong makes it not bilateral

_PAIR_LINK = re.compile(
    r"\s*[-\u2010-\u2015/]\s*\Z|\s+(?:and|et|&)\s+(?:l'|l\u2019|la |le |les )?\Z"
)
_LIST_LINK = re.compile(r"\s*,\s*\Z")
_DATELINE = re.compile(r"\A\s*[\[(,\-\u2013\u2014]")
_VENUE = re.compile(
    r"\b(?:held|hosted|took place|convened|met|meeting|talks|visit|dialogue|consultations|"
    r"summit|round)\b[^.;!?]{0,40}\b(?:in|at)\s+\Z"
    r"|\b(?:tenue?s?|réunie?s?|réunis|organisée?s?|déroulée?s?|lieu|visite|sommet|dialogue|"
    r"consultations)\b[^.;!?]{0,40}\bà\s+\Z",
    re.IGNORECASE,
)


Mention = tuple[str, int, int, str, str]  # partner, start, end, alias_type, match


def _links(text: str, mentions: list[Mention]) -> tuple[Counter, int, list[str]]:
    """Pair evidence ("India-France", "l'Inde et l'UE") and multilateral chains."""
    pairs: Counter[tuple[str, str]] = Counter()
    multilateral = 0
    examples = []
    chain: list[str] = []
    has_pair_link = False
    previous = None

    def close() -> None:
        nonlocal multilateral
        distinct = list(dict.fromkeys(chain))
        if len(distinct) >= 3 and has_pair_link:
            multilateral += 1

    for partner, start, end, _, _ in mentions:
        if previous is not None:
            between = text[previous[2] : start]
            if _PAIR_LINK.match(between) or (_LIST_LINK.match(between) and chain):
                if _PAIR_LINK.match(between):
                    has_pair_link = True
                    if partner != previous[0]:
                        pairs[tuple(sorted((previous[0], partner)))] += 1
                        if len(examples) < 3:
                            examples.append(text[previous[1] : end])
                chain.append(partner)
                previous = (partner, start, end)
                continue
            close()
        chain, has_pair_link = [partner], False
        previous = (partner, start, end)
    if chain:
        close()
    return pairs, multilateral, examples


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
    scores: Counter[str], pairs: Counter[tuple[str, str]], multilateral: int
) -> tuple[tuple[str, str] | None, str]:
    """Apply the rule of :func:`infer_dyads` to one document's scores and pair evidence."""
    if len([s for s in scores.values() if s > 0]) < 2 and not pairs:
        return None, "fewer than two partners"
    top = [code for code, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    candidates = set(pairs) | {tuple(sorted(p)) for p in combinations(top, 2)}
    best = max(
        candidates,
        key=lambda p: (PAIR_WEIGHT * pairs[p] + scores[p[0]] + scores[p[1]], p),
    )
    others = [s for c, s in scores.items() if c not in best]
    if multilateral and multilateral >= max(1, pairs[best]):
        return None, f"{multilateral} list(s) of three or more partners"
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
    (capitals left out unless ``count_capitals``: "held in Paris" names a venue), plus
    2 when it is in the title and 1 when it is in the lead (first 400 characters).
    Pair evidence is two partners written as a pair: "India-France", "Vietnam - France",
    "Paris-Islamabad", "India and France", "l'Inde et l'UE"; each counts 3. The dyad
    is the pair with the highest ``3 * pair evidence + score_a + score_b`` among the
    evidenced pairs and the top five partners. There is none when fewer than two
    partners are named; when lists of three or more partners ("India, France and
    Australia", "India-France-Australia") are at least as frequent as the best pair's
    evidence; or, without pair evidence, when a third partner scores at least 0.75 of
    the weaker of the two.

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
    seats = {
        alias.casefold(): seat
        for alias, seat in zip(table["alias"], table["seat_of"], strict=True)
        if isinstance(seat, str) and seat
    }
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
    kinds = table["kind"].tolist()
    codes = table["code"].tolist()
    rows = []
    for doc_id, text, title in zip(corpus["doc_id"], corpus["text"], titles, strict=True):
        found = by_doc.get(doc_id, [])
        counted = [m for m in found if count_capitals or m[3] != "capital"]
        scores = Counter(m[0] for m in counted)
        if isinstance(title, str):
            in_title = {
                codes[row] for _, _, row in matcher.find(title) if kinds[row] in ACTOR_KINDS
            }
            for code in in_title:
                scores[code] += TITLE_BONUS
        for code in {m[0] for m in counted if m[1] < LEAD_CHARS}:
            scores[code] += LEAD_BONUS
        pairs, multilateral, examples = _links(text, found)
        dyad, reason = _choose_dyad(scores, pairs, multilateral)
        top = [code for code, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
        total = sum(scores.values())
        score = round((scores[dyad[0]] + scores[dyad[1]]) / total, 2) if dyad and total else None
        host, venue_count = _host(text, found, dyad, seats) if dyad else (None, None)
        parts = []
        if pairs:
            parts.append(
                "pairs: " + ", ".join(f"{a}-{b} x{n}" for (a, b), n in pairs.most_common(3))
            )
        if examples:
            parts.append("e.g. " + " | ".join(repr(e) for e in examples[:2]))
        parts.append("scores: " + ", ".join(f"{c} {scores[c]}" for c in top))
        if host:
            parts.append(f"host {host} (venue named x{venue_count})")
        if reason:
            parts.append(f"no dyad: {reason}")
        rows.append((doc_id, dyad, score, host, "; ".join(parts)))
    return pd.DataFrame(rows, columns=DYAD_COLUMNS)


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
    n_jobs: int = 1,
    partner_mentions: pd.DataFrame | None = None,
    theme_mentions: pd.DataFrame | None = None,
    dyads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add per-document columns ``dyad``, ``dyad_score``, ``host``, ``partners``, ``themes``.

    ``partners`` maps each partner code (states, blocs, organisations; not regions;
    not capitals unless ``count_capitals``) to its mention count; ``themes`` maps
    each theme to its mentions outside job titles (see
    :func:`bilat_analysis.tagging.tag_themes`). Both are sorted by count.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame; it is not modified.
    partners, themes : str, pathlib.Path, pandas.DataFrame, optional
        Lexicons; default the bundled ones.
    count_capitals : bool, default False
        Count capitals as mentions of their state.
    n_jobs : int, default 1
        Processes for tagging.
    partner_mentions, theme_mentions : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_corpus` (or a prepared corpus): given,
        the texts are not tagged again.
    dyads : pandas.DataFrame, optional
        From :func:`infer_dyads` on the same mentions; computed when not given.

    Returns
    -------
    pandas.DataFrame
        A copy of ``corpus`` with the five columns added.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> annotated = annotate_documents(load_corpus())
    >>> annotated["dyad"].tolist()
    [('FRA', 'IND'), ('FRA', 'IND'), ('EU', 'IND'), ('FRA', 'VNM'), ('FRA', 'PAK')]
    """
    if partner_mentions is None or theme_mentions is None:
        tagged = tag_corpus(corpus, partners=partners, themes=themes, n_jobs=n_jobs)
        partner_mentions = tagged[0] if partner_mentions is None else partner_mentions
        theme_mentions = tagged[1] if theme_mentions is None else theme_mentions
    if dyads is None:
        dyads = infer_dyads(
            corpus, partner_mentions, lexicon=partners, count_capitals=count_capitals
        )
    counted = partner_mentions[partner_mentions["kind"] != "region"]
    if not count_capitals:
        counted = counted[counted["alias_type"] != "capital"]
    doc_ids = corpus["doc_id"].tolist()
    return corpus.assign(
        dyad=dyads["dyad"].to_numpy(),
        dyad_score=dyads["dyad_score"].to_numpy(),
        host=dyads["host"].to_numpy(),
        partners=_counts(counted, "partner", doc_ids),
        themes=_counts(theme_mentions[~theme_mentions["in_title"]], "theme", doc_ids),
    )
