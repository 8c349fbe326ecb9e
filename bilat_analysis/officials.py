"""Find the officials named in the text, with their titles and the partner they represent.

Offline and rule-based. A *name* is a run of two to four capitalised words ("Vikram
Misri", "Anne-Marie Descôtes", "Hoang Xuan Chien", "Ursula von der Leyen") that are
not partner names, titles, months or words of ``data/not_names.csv``. A name is an
official when a title stands next to it: before it in the same clause ("Foreign
Secretary Vikram Misri", "Secretary-General of the French Ministry for Europe and
Foreign Affairs Ms. Anne-Marie Descôtes", "le Premier ministre Narendra Modi"), or
after it ("Muanpuii Saiawi, secrétaire conjoint ...", "Shahbaz Sharif became the Prime
Minister"). Title words come from ``data/official_titles.csv``. A second pass finds
the officials already known anywhere in the corpus, by full name or surname alone
("Chien", "Rufo"), accent- and case-insensitively (Descôtes = Descotes).

The partner an official represents is read from the text when it says it: a partner
named in the official's title ("French President", "Ministry for the Armed Forces,
France", "du MEA") or right before "was represented by", "was led by", "dirigée par".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

import pandas as pd

from bilat_analysis.dyads import ACTOR_KINDS
from bilat_analysis.lexicons import read_months, read_not_names, read_official_titles, read_partners
from bilat_analysis.parallel import map_chunks
from bilat_analysis.tagging import Lexicon, Matcher, find_all, fold_text, tag_partners

OFFICIAL_COLUMNS = ["doc_id", "official", "title", "partner", "match", "start", "end"]

_TOKEN = re.compile(r"[^\W\d_][\w’'\-]*|\d+|[^\w\s]")
_ELISION = re.compile(r"^(?:l|d|qu)'")
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "du", "da", "bin", "al", "ben", "el"})
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "ms",
        "mrs",
        "dr",
        "gen",
        "lieut",
        "sen",
        "col",
        "adm",
        "m",
        "mme",
        "st",
        "h",
        "e",
        "secy",
    }
)
_CLAUSE_END = frozenset({".", ";", ":", "!", "?", "(", ")", "[", "]", '"', "“", "”"})
_LINKING_VERBS = frozenset({"became", "becomes", "become", "is", "was", "devient", "est"})
_REPRESENTED = re.compile(
    r"(?:was|were|is|are)\s+(?:represented|led|headed)\s+by\s*\Z"
    r"|délégation\s+\S+\s+(?:était\s+)?(?:dirigée|conduite)\s+par\s*\Z"
    r"|(?:était|est|a été)\s+(?:dirigée?|représentée?|conduite?)\s+par\s*\Z",
    re.IGNORECASE,
)
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")
MAX_TITLE_TOKENS = 16  # tokens between a title word and the name it introduces
HEADLINE_MAX_CHARS = 160  # a Title Case line longer than this is prose, not a headline


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    title_words = frozenset(fold_text(w).rstrip(".") for w in read_official_titles()["word"])
    partners = read_partners()
    blocked = {fold_text(w) for alias in partners["alias"] for w in alias.split()}
    blocked |= {fold_text(n) for n in read_months()["name"]}
    blocked |= {fold_text(w) for w in read_not_names()["word"]}
    blocked |= title_words
    return title_words, frozenset(blocked)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_name_token(token: str, blocked: frozenset[str]) -> bool:
    return (
        token[0].isupper()
        and len(token) > 1
        and not token.isupper()
        and not any(part in blocked for part in fold_text(token).split())
    )


def _name_spans(
    tokens: list[tuple[str, int, int]], blocked: frozenset[str]
) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of runs of 2-4 name tokens (particles allowed inside)."""
    spans, i = [], 0
    while i < len(tokens):
        if not _is_name_token(tokens[i][0], blocked):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            token = tokens[j][0]
            adjacent = tokens[j][1] - tokens[j - 1][2] <= 1
            if not adjacent:
                break
            if _is_name_token(token, blocked):
                j += 1
            elif token in _PARTICLES:
                k = j
                while k < len(tokens) and tokens[k][0] in _PARTICLES:
                    k += 1
                if k < len(tokens) and _is_name_token(tokens[k][0], blocked):
                    j = k + 1
                else:
                    break
            else:
                break
        words = sum(1 for t in tokens[i:j] if t[0] not in _PARTICLES)
        if 2 <= words <= 4:
            spans.append((i, j))
        i = j
    return spans


def _is_title(tokens: list[tuple[str, int, int]], k: int, titles: frozenset[str]) -> bool:
    word = _ELISION.sub("", fold_text(tokens[k][0]))  # "l'ambassadrice"
    if word not in titles:
        return False
    if len(word) == 1:  # "M." (Monsieur) only with its dot: "10.7M" is no title
        return k + 1 < len(tokens) and tokens[k + 1][0] == "."
    return True


def _clause_end(tokens: list[tuple[str, int, int]], k: int) -> bool:
    token = tokens[k][0]
    if token != ".":
        return token in _CLAUSE_END
    return not (k > 0 and fold_text(tokens[k - 1][0]) in _ABBREVIATIONS)


def _title_before(tokens, i: int, floor: int, titles: frozenset[str]) -> int | None:
    """Index of the first token of the title phrase ending right before token i.

    The phrase reaches back to the farthest title word of the clause, then over the
    capitalised words just before it ("French President", "Foreign Secretary", "MEA
    spokesperson"); it stops at a clause end, at "by"/"par", and at ", and".
    """
    first = None
    for k in range(i - 1, max(floor, i - MAX_TITLE_TOKENS) - 1, -1):
        word = fold_text(tokens[k][0])
        if _clause_end(tokens, k) or word in {"by", "par", "with", "avec"}:
            break
        if word in {"and", "et", "&"} and k > 0 and tokens[k - 1][0] == ",":
            break
        if _is_title(tokens, k, titles):
            first = k
    if first is None:
        return None
    while first - 1 >= max(floor, 0) and tokens[first - 1][0][:1].isupper():
        first -= 1
    return first


def _only_courtesy(tokens, first: int, i: int) -> bool:
    return all(fold_text(t[0]) in _ABBREVIATIONS or t[0] == "." for t in tokens[first:i])


def _title_after(tokens, j: int, titles: frozenset[str]) -> tuple[int, int] | None:
    """Token range of an apposition title after a name ("X, Secretary General of ...")."""
    k = j
    if k < len(tokens) and tokens[k][0] in _LINKING_VERBS:
        k += 1
        if k < len(tokens) and fold_text(tokens[k][0]) in {"the", "le", "la"}:
            k += 1
    elif k < len(tokens) and tokens[k][0] == ",":
        k += 1
    else:
        return None
    if not any(_is_title(tokens, m, titles) for m in range(k, min(k + 3, len(tokens)))):
        return None
    end = k
    while end < len(tokens) and not _clause_end(tokens, end):
        if tokens[end][0] == "," and end + 1 < len(tokens) and tokens[end + 1][0][:1].islower():
            break
        end += 1
    return k, end


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of the lines written in Title Case (headlines, reference lists).

    In "PM Shehbaz Meets President Macron, Other Leaders" every word is capitalised
    (a line of at most 160 characters, 85% of whose six or more words of four letters
    or more are capitalised), so capitalised runs say nothing about names there; known officials
    are still found on such lines by the second pass. Longer lines are never read word by word.
    """
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if len(line) <= HEADLINE_MAX_CHARS:
            words = _HEADLINE_WORD.findall(line)
            capitalised = sum(w[0].isupper() for w in words)
            if len(words) >= 6 and capitalised / len(words) >= 0.85:
                spans.append((start, end))
        start = end
    return spans


def _in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _partner_in(start: int, end: int, mentions: list[tuple[int, int, str]]) -> str | None:
    for m_start, m_end, code in mentions:
        if start <= m_start and m_end <= end:
            return code
    return None


def _represented_by(text: str, start: int, mentions: list[tuple[int, int, str]]) -> str | None:
    before = text[max(0, start - 80) : start]
    match = _REPRESENTED.search(before)
    if not match:
        return None
    window_start = max(0, start - 80) + match.start()
    candidates = [code for m_start, _, code in mentions if window_start - 40 <= m_start < start]
    return candidates[-1] if candidates else None


def tag_officials(
    corpus: pd.DataFrame,
    *,
    partners: Lexicon = None,
    partner_mentions: pd.DataFrame | None = None,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Find every mention of an official: name, title, the partner represented, offsets.

    See the module's docstring for the rules. The ``official`` column holds one
    canonical form per person across the corpus (the spelling with accents when
    there is one: "Anne-Marie Descôtes" for "Anne-Marie Descotes"); ``title`` is the
    title phrase next to the mention when there is one; ``partner`` is the code the
    person represents, as the text says it in any of their mentions (most frequent).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    partners : str, pathlib.Path, pandas.DataFrame, optional
        Partner lexicon (default the bundled one).
    partner_mentions : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_partners`; computed when not given.
    n_jobs : int, default 1
        Processes to use on large corpora.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``official``, ``title``, ``partner``, ``match``, ``start``, ``end``.

    Examples
    --------
    >>> text = "French President Emmanuel Macron met him."
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    >>> tag_officials(corpus)[["official", "title", "partner"]].to_numpy().tolist()
    [['Emmanuel Macron', 'French President', 'FRA']]
    """
    titles, blocked = _vocabulary()
    if partner_mentions is None:
        partner_mentions = tag_partners(corpus, lexicon=partners, n_jobs=n_jobs)
    actors = partner_mentions[partner_mentions["kind"].isin(ACTOR_KINDS)]
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, code in zip(
        actors["doc_id"], actors["start"], actors["end"], actors["partner"], strict=True
    ):
        by_doc[doc_id].append((start, end, code))
    documents = list(zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), strict=True))
    parts = map_chunks(_first_pass, documents, payload=(titles, blocked, by_doc), n_jobs=n_jobs)
    return _second_pass(corpus, [hit for part in parts for hit in part], n_jobs=n_jobs)


def _first_pass(
    payload: tuple[frozenset[str], frozenset[str], dict[str, list[tuple[int, int, str]]]],
    documents: list[tuple[str, str]],
) -> list[tuple]:
    """Find officials named with a title: doc_id, key, match, start, end, title, partner."""
    titles, blocked, by_doc = payload
    found = []
    for doc_id, text in documents:
        tokens = _tokens(text)
        headline = None  # read only when a titled name is found
        mentions = by_doc.get(doc_id, [])
        previous_end = 0
        for i, j in _name_spans(tokens, blocked):
            start, end = tokens[i][1], tokens[j - 1][2]
            title_span = None
            first = _title_before(tokens, i, previous_end, titles)
            if first is not None:
                title_span = (tokens[first][1], start)
            if first is None or _only_courtesy(tokens, first, i):
                after = _title_after(tokens, j, titles)
                if after is not None:
                    title_span = (tokens[after[0]][1], tokens[after[1] - 1][2])
            previous_end = j
            if title_span is None:
                continue
            headline = _headline_lines(text) if headline is None else headline
            if _in_spans(tokens[i][1], headline):
                continue
            title = text[title_span[0] : title_span[1]].strip(" ,")
            phrase_start = min(title_span[0], start)
            partner = _partner_in(*title_span, mentions) or _represented_by(
                text, phrase_start, mentions
            )
            found.append(
                (doc_id, fold_text(text[start:end]), text[start:end], start, end, title, partner)
            )
    return found


def _canonical(forms: Counter[str]) -> str:
    return max(forms, key=lambda f: (any(ord(c) > 127 for c in f), forms[f], f))


def _second_pass(corpus: pd.DataFrame, found: list[tuple], *, n_jobs: int = 1) -> pd.DataFrame:
    """Find known officials anywhere, by full name or surname; merge forms of one person."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for _, key, match, *_ in found:
        forms[key][match] += 1
    keys = sorted(forms)
    surnames: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        surnames[key.split()[-1]].add(key)
    terms = keys + [s for s, owners in surnames.items() if len(owners) == 1 and len(s) > 3]
    owner = {key: key for key in keys} | {
        s: next(iter(o)) for s, o in surnames.items() if len(o) == 1
    }
    titled = {(d, s): (t, p) for d, _, _, s, _, t, p in found}
    matcher = Matcher(terms, ["title"] * len(terms))
    rows = []
    texts = corpus["text"].tolist()
    hits = find_all(matcher, texts, n_jobs=n_jobs)
    for doc_id, text, found_in in zip(corpus["doc_id"], texts, hits, strict=True):
        for start, end, row in found_in:
            key = owner[terms[row]]
            title, partner = titled.get((doc_id, start), (None, None))
            rows.append((doc_id, key, title, partner, text[start:end], start, end))
    table = pd.DataFrame(
        rows, columns=["doc_id", "key", "title", "partner", "match", "start", "end"]
    )
    represented = (
        table.dropna(subset=["partner"]).groupby("key")["partner"].agg(lambda s: s.mode().iloc[0])
    )
    table["partner"] = table["key"].map(represented)
    table["official"] = table["key"].map({k: _canonical(forms[k]) for k in keys})
    return table[OFFICIAL_COLUMNS].astype({"start": "int64", "end": "int64"})
