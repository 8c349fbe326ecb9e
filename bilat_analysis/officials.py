"""Find the officials named in the text, with their titles and the partner they represent.

Offline and rule-based. A *name* is a run of two to four capitalised words ("Vikram
Misri", "Anne-Marie Descôtes", "Hoang Xuan Chien", "Ursula von der Leyen") that are
not partner names, titles, months or words of ``data/not_names.csv``. A name is an
official when a title stands next to it: before it in the same clause ("Foreign
Secretary Vikram Misri", "Secretary-General of the French Ministry for Europe and
Foreign Affairs Ms. Anne-Marie Descôtes", "le Premier ministre Narendra Modi"), or
after it ("Muanpuii Saiawi, secrétaire conjoint ...", "Shahbaz Sharif became the Prime
Minister"). Title words come from ``data/official_titles.csv``, in English, French,
Spanish, German, Italian, Portuguese and Russian (and a few Turkish and Indonesian):
whole words, stems for Russian cases ("министр" -> "министром") and endings for German
compounds ("Außenministerin", "Bundeskanzler"). Names are found by their capitals, so
not in Arabic, Chinese or Japanese text. A second pass finds the officials already
known anywhere in the corpus, by full name or surname alone ("Chien", "Rufo"), accent-
and case-insensitively (Descôtes = Descotes); the forms of one person are merged across
scripts by :func:`name_key` (Сергей Лавров = Sergey Lavrov).

The partner an official represents is read from the text when it says it: a partner
named in the official's title ("French President", "Ministry for the Armed Forces,
France", "du MEA") or right before "was represented by", "was led by", "dirigée par".
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from anyascii import anyascii

from bilat_analysis.dyads import ACTOR_KINDS
from bilat_analysis.lexicons import (
    read_languages,
    read_months,
    read_not_names,
    read_official_titles,
    read_partners,
)
from bilat_analysis.parallel import available_cores, map_chunks
from bilat_analysis.tagging import (
    MULTILINGUAL,
    Lexicon,
    LexiconMatcher,
    _codes,
    _decode,
    _word_char,
    find_all,
    fold_table,
    fold_text,
    tag_partners,
)

OFFICIAL_COLUMNS = ["doc_id", "official", "title", "partner", "match", "start", "end"]

_TOKEN = re.compile(r"[^\W\d_][\w’'\-]*|\d+|[^\w\s]")
_WORD_TOKEN = re.compile(r"[^\W\d_][\w’'\-]*")  # the tokens of _TOKEN that start with a letter
_ELISION = re.compile(r"^(?:l|d|qu|dall|dell|all|nell|sull)'")  # l'ambassadrice, dall'ambasciatrice
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
        "sr",
        "sra",
        "hr",
        "sig",
        "dott",
    }
)
_CLAUSE_END = frozenset({".", ";", ":", "!", "?", "(", ")", "[", "]", '"', "“", "”"})
_LINKING_VERBS = frozenset(
    {"became", "becomes", "become", "is", "was", "devient", "est", "es", "ist", "è", "é"}
)
# words that end a title phrase looking back from a name, in the supported languages
_BY_WITH = frozenset(
    {"by", "par", "with", "avec", "por", "con", "von", "mit", "com", "da", "с", "со"}
)
_AND = frozenset({"and", "et", "&", "y", "und", "e", "и"})
_ARTICLES = frozenset({"the", "le", "la", "el", "der", "die", "il", "o", "a"})
_REPRESENTED = re.compile(
    r"(?:was|were|is|are)\s+(?:represented|led|headed)\s+by\s*\Z"
    r"|délégation\s+\S+\s+(?:était\s+)?(?:dirigée|conduite)\s+par\s*\Z"
    r"|(?:était|est|a été)\s+(?:dirigée?|représentée?|conduite?)\s+par\s*\Z"
    r"|(?:encabezad|representad|dirigid|liderad|chefiad|encabeçad)[oa]s?\s+(?:por|pel[oa])\s*\Z"
    r"|(?:guidat|rappresentat|presiedut)[oaie]\s+(?:da(?:l|lla|llo)?\s*)?\Z"  # it: dall'...
    r"|(?:angeführt|geleitet|vertreten)\s+(?:von|durch)\s*\Z|unter\s+(?:der\s+)?leitung\s+von\s*\Z"
    r"|во\s+главе\s+с(?:о)?\s*\Z",  # ru
    re.IGNORECASE,
)
_TRAILING_ARTICLE = re.compile(r"\b(?:the|la|el|le|les|o|a|die|der|den|il|lo)\s*\Z", re.IGNORECASE)
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")
MAX_TITLE_TOKENS = 16  # tokens between a title word and the name it introduces
HEADLINE_MAX_CHARS = 160  # a Title Case line longer than this is prose, not a headline


class _Vocabulary(NamedTuple):
    titles: frozenset[str]  # title words, whole
    prefixes: tuple[str, ...]  # title stems: Russian cases (министр -> министра, министром)
    suffixes: tuple[str, ...]  # title endings: German compounds (Außenministerin)
    blocked: frozenset[str]  # words that are never part of a name
    stems: tuple[str, ...]  # partner stems ("российск"): no word they start is a name
    names: dict[str, bool]  # tokens already judged: name token or not
    judged: set[str]  # tokens already judged: title word or not
    titled: set[str]  # those of them that are title words


class _Lexicons(NamedTuple):
    titles: dict[str, set[str]]  # folded title words by match mode: word, prefix, suffix
    aliases: dict[str, list[tuple[str, str]]]  # partner aliases by language: (alias, match)
    others: frozenset[str]  # months and not-names, folded
    languages: frozenset[str]  # the supported languages


@cache
def _lexicons() -> _Lexicons:
    """Read the lexicons the vocabularies are made of, once."""
    table = read_official_titles()
    match = table["match"] if "match" in table.columns else pd.Series("", table.index)
    titles: dict[str, set[str]] = {"word": set(), "prefix": set(), "suffix": set()}
    for word, how in zip(table["word"].tolist(), match.tolist(), strict=True):
        titles[how if how in {"prefix", "suffix"} else "word"].add(fold_text(word).rstrip("."))
    partners = read_partners()
    modes = partners["match"] if "match" in partners.columns else pd.Series("", partners.index)
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for alias, lang, how in zip(
        partners["alias"].tolist(), partners["language"].tolist(), modes.tolist(), strict=True
    ):
        aliases[lang].append((alias, how))
    others = {fold_text(n) for n in read_months()["name"].tolist()}
    others |= {fold_text(w) for w in read_not_names()["word"].tolist()}
    languages = frozenset(read_languages()["language"].tolist())
    return _Lexicons(titles, dict(aliases), frozenset(others), languages)


def _vocabulary(language: str | None = None) -> _Vocabulary:
    """Title words and blocked words for documents in ``language``.

    Partner aliases block the words of their own language, English and ``mul`` ones
    (all supported languages' when the language is unknown): Vietnamese "Phần Lan"
    (Finland) must not block the name "Phan" in an English text, nor Swahili "Misri"
    (Egypt) the surname Misri.
    """
    return _vocabulary_of(language if language in _lexicons().languages else None)


@cache
def _vocabulary_of(language: str | None) -> _Vocabulary:
    lexicons = _lexicons()
    own = {language, "en", "mul"} if language is not None else {*lexicons.languages, "mul"}
    aliases = [row for lang in sorted(own, key=str) for row in lexicons.aliases.get(lang, [])]
    blocked = {fold_text(w) for alias, _ in aliases for w in alias.split()}
    stems = {fold_text(a) for a, how in aliases if how == "prefix" and " " not in a}
    blocked |= lexicons.others
    blocked |= {w for words in lexicons.titles.values() for w in words}
    return _Vocabulary(
        frozenset(lexicons.titles["word"]),
        tuple(sorted(lexicons.titles["prefix"])),
        tuple(sorted(lexicons.titles["suffix"])),
        frozenset(blocked),
        tuple(sorted(stems)),
        {},
        set(),
        set(),
    )


def _title_word(token: str, vocabulary: _Vocabulary) -> bool:
    """Whether a token is a title word: whole, a stem's form, or a compound's ending."""
    word = _ELISION.sub("", fold_text(token))  # "l'ambassadrice"
    if word in vocabulary.titles:
        return True
    if vocabulary.prefixes and word.startswith(vocabulary.prefixes):
        return True
    # a German compound noun is capitalised: "Außenministerin", never "administer"
    return bool(vocabulary.suffixes) and token[:1].isupper() and word.endswith(vocabulary.suffixes)


def _tokens(text: str, words: list[str] | None = None) -> list[tuple[str, int, int]]:
    """Tokens with their offsets: ``(token, start, end)``.

    Two passes of the tokeniser in C (the tokens, then the gaps between them) and one
    cumulative sum, instead of one match object per token.

    Examples
    --------
    >>> _tokens("M. Jean-Pierre  l'ambassadrice")
    [('M', 0, 1), ('.', 1, 2), ('Jean-Pierre', 3, 14), ("l'ambassadrice", 16, 30)]
    """
    words = _TOKEN.findall(text) if words is None else words
    if not words:
        return []
    gaps = _TOKEN.split(text)
    lengths = np.empty(2 * len(words), dtype=np.int64)
    lengths[0::2] = [len(g) for g in gaps[:-1]]
    lengths[1::2] = [len(w) for w in words]
    offsets = np.cumsum(lengths).tolist()
    return list(zip(words, offsets[0::2], offsets[1::2], strict=True))


def _title_tokens(words: list[str], vocabulary: _Vocabulary) -> bool:
    """Whether any token is a title word (no title word, no official from the first pass).

    Tokens are judged once per vocabulary; a document's new tokens only are looked at.
    """
    tokens = set(words)
    if len(vocabulary.judged) > _MEMO_LIMIT:
        vocabulary.judged.clear()
    for token in tokens - vocabulary.judged:
        vocabulary.judged.add(token)
        if _title_word(token, vocabulary):
            vocabulary.titled.add(token)
    return not tokens.isdisjoint(vocabulary.titled)


_MEMO_LIMIT = 500_000  # tokens remembered per vocabulary; the memo is emptied beyond


def _memo(memo: dict[str, bool]) -> dict[str, bool]:
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    return memo


def _is_name_token(token: str, vocabulary: _Vocabulary) -> bool:
    found = vocabulary.names.get(token)
    if found is None:
        found = _memo(vocabulary.names)[token] = _name_token(token, vocabulary)
    return found


def _name_token(token: str, vocabulary: _Vocabulary) -> bool:
    return (
        token[0].isupper()
        and len(token) > 1
        and not token.isupper()
        and not any(
            part in vocabulary.blocked or part.startswith(vocabulary.stems)
            for part in fold_text(token).split()
        )
        and not _title_word(token, vocabulary)
    )


def _name_spans(
    tokens: list[tuple[str, int, int]], vocabulary: _Vocabulary
) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of runs of 2-4 name tokens (particles allowed inside)."""
    spans, position = [], 0
    # a name token starts with a capital: only those tokens can start a run
    for i in [k for k, token in enumerate(tokens) if token[0][0].isupper()]:
        if i < position or not _is_name_token(tokens[i][0], vocabulary):
            continue
        j = i + 1
        while j < len(tokens):
            token = tokens[j][0]
            adjacent = tokens[j][1] - tokens[j - 1][2] <= 1
            if not adjacent:
                break
            if _is_name_token(token, vocabulary):
                j += 1
            elif token in _PARTICLES:
                k = j
                while k < len(tokens) and tokens[k][0] in _PARTICLES:
                    k += 1
                if k < len(tokens) and _is_name_token(tokens[k][0], vocabulary):
                    j = k + 1
                else:
                    break
            else:
                break
        words = sum(1 for t in tokens[i:j] if t[0] not in _PARTICLES)
        if 2 <= words <= 4:
            spans.append((i, j))
        position = j
    return spans


def _is_title(tokens: list[tuple[str, int, int]], k: int, vocabulary: _Vocabulary) -> bool:
    if not _title_word(tokens[k][0], vocabulary):
        return False
    if len(fold_text(tokens[k][0])) == 1:  # "M." (Monsieur) only with its dot: "10.7M" is no title
        return k + 1 < len(tokens) and tokens[k + 1][0] == "."
    return True


def _clause_end(tokens: list[tuple[str, int, int]], k: int) -> bool:
    token = tokens[k][0]
    if token != ".":
        return token in _CLAUSE_END
    return not (k > 0 and fold_text(tokens[k - 1][0]) in _ABBREVIATIONS)


def _title_before(tokens, i: int, floor: int, titles: _Vocabulary) -> int | None:
    """Index of the first token of the title phrase ending right before token i.

    The phrase reaches back to the farthest title word of the clause, then over the
    capitalised words just before it ("French President", "Foreign Secretary", "MEA
    spokesperson"); it stops at a clause end, at "by"/"par", at ", and", and, once a
    title word is found, at another person's name ("Bundeskanzler Scholz empfing den
    Präsidenten X": the title of X is "Präsidenten").
    """
    first = None
    for k in range(i - 1, max(floor, i - MAX_TITLE_TOKENS) - 1, -1):
        word = fold_text(tokens[k][0])
        if _clause_end(tokens, k) or word in _BY_WITH:
            break
        if first is not None and _is_name_token(tokens[k][0], titles):
            break
        if word in _AND and k > 0 and tokens[k - 1][0] == ",":
            break
        if _is_title(tokens, k, titles):
            first = k
    if first is None:
        return None
    while (
        first - 1 >= max(floor, 0)
        and tokens[first - 1][0][:1].isupper()
        and fold_text(tokens[first - 1][0]) not in _ARTICLES  # "Die Außenministerin"
    ):
        first -= 1
    return first


def _only_courtesy(tokens, first: int, i: int) -> bool:
    return all(fold_text(t[0]) in _ABBREVIATIONS or t[0] == "." for t in tokens[first:i])


def _title_after(tokens, j: int, titles: _Vocabulary) -> tuple[int, int] | None:
    """Token range of an apposition title after a name ("X, Secretary General of ...")."""
    k = j
    if k < len(tokens) and tokens[k][0] in _LINKING_VERBS:
        k += 1
        if k < len(tokens) and fold_text(tokens[k][0]) in _ARTICLES:
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
    before = _TRAILING_ARTICLE.sub("", text[max(0, start - 80) : start])  # "por la embajadora"
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
    n_jobs: int | None = None,
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
        Needs ``doc_id`` and ``text``; a ``language`` column picks the partner aliases
        that are not names (those of the document's language, English and ``mul``).
    partners : str, pathlib.Path, pandas.DataFrame, optional
        Partner lexicon (default the bundled one).
    partner_mentions : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_partners`; computed when not given.
    n_jobs : int, optional
        Processes to use on large corpora; default every core available.

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
    n_jobs = available_cores(n_jobs)
    titled = find_titled_officials(
        corpus, partners=partners, partner_mentions=partner_mentions, n_jobs=n_jobs
    )
    return find_officials([corpus], titled, n_jobs=n_jobs)


def find_titled_officials(
    corpus: pd.DataFrame,
    *,
    partners: Lexicon = None,
    partner_mentions: pd.DataFrame | None = None,
    n_jobs: int | None = None,
) -> list[tuple]:
    """Find the officials named with a title: the first pass of :func:`tag_officials`.

    Each document is read on its own, so a large corpus can be read batch by batch
    and the results added up before :func:`find_officials`.

    Parameters
    ----------
    corpus, partners, partner_mentions, n_jobs
        As for :func:`tag_officials`.

    Returns
    -------
    list of tuple
        One ``(doc_id, key, match, start, end, title, partner)`` per titled mention.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["President Emmanuel Macron spoke."]})
    >>> [hit[2] for hit in find_titled_officials(corpus)]
    ['Emmanuel Macron']
    """
    n_jobs = available_cores(n_jobs)
    if partner_mentions is None:
        partner_mentions = tag_partners(corpus, lexicon=partners, n_jobs=n_jobs)
    actors = partner_mentions[partner_mentions["kind"].isin(ACTOR_KINDS)]
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, code in zip(
        actors["doc_id"], actors["start"], actors["end"], actors["partner"], strict=True
    ):
        by_doc[doc_id].append((start, end, code))
    languages = (
        corpus["language"].tolist() if "language" in corpus.columns else [None] * len(corpus)
    )
    documents = list(
        zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), languages, strict=True)
    )
    for language in {lang if isinstance(lang, str) else None for _, _, lang in documents}:
        _vocabulary(language)  # built once here, not in each worker process
    parts = map_chunks(_first_pass, documents, payload=by_doc, n_jobs=n_jobs)
    return [hit for part in parts for hit in part]


def _first_pass(
    by_doc: dict[str, list[tuple[int, int, str]]],
    documents: list[tuple[str, str, object]],
) -> list[tuple]:
    """Find officials named with a title: doc_id, key, match, start, end, title, partner."""
    found = []
    for doc_id, text, language in documents:
        found += titled_in_document(doc_id, text, language, by_doc.get(doc_id, []))
    return found


def titled_in_document(
    doc_id: str,
    text: str,
    language: object,
    mentions: list[tuple[int, int, str]],
    *,
    has_title: bool = False,
) -> list[tuple]:
    """One document's officials named with a title: the first pass of :func:`tag_officials`.

    Parameters
    ----------
    doc_id : str
        The document's id, first in each hit.
    text : str
        The document.
    language : str or None
        Its language (None or NaN when unknown).
    mentions : list of tuple
        ``(start, end, code)`` of its state and bloc mentions, in text order.
    has_title : bool, default False
        The caller knows a token is a title word (:func:`title_screen` found one):
        the tokens are not looked through for one first.

    Returns
    -------
    list of tuple
        One ``(doc_id, key, match, start, end, title, partner)`` per titled mention.

    Examples
    --------
    >>> text = "French President Emmanuel Macron met him."
    >>> [hit[2:] for hit in titled_in_document("a", text, "en", [(0, 6, "FRA")])]
    [('Emmanuel Macron', 17, 32, 'French President', 'FRA')]
    """
    vocabulary = _vocabulary(language if isinstance(language, str) else None)
    if not has_title and not _title_tokens(_WORD_TOKEN.findall(text), vocabulary):
        return []  # every official of this pass stands next to a title word
    found = []
    tokens = _tokens(text)
    headline = None  # read only when a titled name is found
    previous_end = 0
    for i, j in _name_spans(tokens, vocabulary):
        start, end = tokens[i][1], tokens[j - 1][2]
        title_span = None
        first = _title_before(tokens, i, previous_end, vocabulary)
        if first is not None:
            title_span = (tokens[first][1], start)
        if first is None or _only_courtesy(tokens, first, i):
            after = _title_after(tokens, j, vocabulary)
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


# The title screen: which documents may hold a title word (a token _title_word accepts),
# read from the text folded for matching, so that the first pass skips the others.
NO_TITLE, MAYBE_TITLE, TITLE = 0, 1, 2


@cache
def title_matcher() -> LexiconMatcher:
    """Return the title words and stems as one lexicon (any case, every language).

    A document where it finds nothing holds no whole title word and no stem at a
    word start; :func:`title_screen` checks what an automaton over words cannot see.

    Returns
    -------
    bilat_analysis.tagging.LexiconMatcher
        Whole words (``word``) and stems (``prefix``) of ``data/official_titles.csv``.

    Examples
    --------
    >>> [(start, end) for start, end, _ in title_matcher().find("le ministre a parlé")]
    [(3, 11)]
    """
    titles = _lexicons().titles
    words, prefixes = sorted(titles["word"]), sorted(titles["prefix"])
    table = pd.DataFrame(
        {
            "term": words + prefixes,
            "case": "any",
            "match": ["word"] * len(words) + ["prefix"] * len(prefixes),
            "language": MULTILINGUAL,
        }
    )
    return LexiconMatcher(table, "term")


@cache
def title_ending_matcher() -> LexiconMatcher:
    """Return the endings of German compound titles as a lexicon found anywhere in a word.

    What :func:`title_screen` looks for when no title word was found, as a lexicon that
    can share the automaton pass of the others.

    Returns
    -------
    bilat_analysis.tagging.LexiconMatcher
        The endings (``suffix``) of ``data/official_titles.csv``, matched ``within`` words.

    Examples
    --------
    >>> [(start, end) for start, end, _ in title_ending_matcher().find("die Außenministerin")]
    [(9, 19)]
    """
    suffixes = sorted(_lexicons().titles["suffix"])
    table = pd.DataFrame(
        {"term": suffixes, "case": "any", "match": "within", "language": MULTILINGUAL}
    )
    return LexiconMatcher(table, "term")


def _stray_word_characters() -> list[str]:
    """Return the characters outside tokens whose folded form is a word character.

    The automaton reads the folded text: such a character would join the word next to
    it there, and not in the tokens. Only characters that folding changes can be one
    (an unchanged word character is a token character); there are none with today's
    folding, and the list is computed so that it stays exact.
    """
    kept = re.compile(r"[\w’'\-]")
    return [
        chr(code)
        for code, folded in fold_table().items()
        if not kept.match(chr(code)) and _word_char(folded)
    ]


@cache
def _boundary_fallbacks() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Compile where the automaton's words may start or end elsewhere than the tokens.

    In the folded text, a decimal digit right before a title word or stem
    ("3minister": a token starts at "m", the automaton sees no word start there); in
    the text, a character of :func:`_stray_word_characters`.
    """
    titles = _lexicons().titles
    keys = sorted(titles["word"] | titles["prefix"], key=lambda k: (-len(k), k))
    glued = re.compile(r"\d(?=" + "|".join(re.escape(k) for k in keys) + ")")
    strays = "".join(re.escape(ch) for ch in _stray_word_characters())
    return glued, re.compile(f"[{strays}]") if strays else None


def title_screen(text: str, folded: str, hits: bool, endings: bool | None = None) -> int:
    """Whether a document may hold a title word, for the first pass of :func:`tag_officials`.

    Exact in one direction: a document where a token is a title word (whole, a stem's
    form, or a German compound's ending) never gets ``NO_TITLE``.

    Parameters
    ----------
    text : str
        The document.
    folded : str
        ``fold_text(text)``.
    hits : bool
        :func:`title_matcher` found a title word or stem in the text.
    endings : bool, optional
        :func:`title_ending_matcher` found an ending in the text; when not given, the
        text is searched for one.

    Returns
    -------
    int
        ``TITLE`` when the automaton found one (a token is a title word); ``MAYBE_TITLE``
        when a German compound ending is in the text, or the automaton's word edges may
        differ from the tokens' next to a title word (the tokens decide); ``NO_TITLE``
        when no token can be a title word (the first pass would find nothing).

    Examples
    --------
    >>> text = "Bundeskanzler Olaf Scholz"
    >>> title_screen(text, fold_text(text), False), title_screen("Nothing.", "nothing.", False)
    (1, 0)
    """
    if hits:
        return TITLE
    if endings is None:
        endings = bool(title_ending_matcher().find(text))
    if endings:
        return MAYBE_TITLE
    glued, strays = _boundary_fallbacks()
    if _has_digit(folded) and glued.search(folded):
        return MAYBE_TITLE
    return MAYBE_TITLE if strays is not None and strays.search(text) else NO_TITLE


@cache
def _decimal_digits() -> np.ndarray:
    """Flag each decimal digit (``str.isdecimal``: the regex digits) among every code point."""
    digits = np.zeros(sys.maxunicode + 1, dtype=bool)
    # one regex scan of a string of every code point, not two calls per code point
    every = _decode(np.arange(sys.maxunicode + 1, dtype=np.uint32))
    digits[[match.start() for match in re.finditer(r"\d", every)]] = True
    return digits


def _warm_title_screen() -> None:
    """Build what :func:`title_screen` reads, once (before worker processes are forked)."""
    title_ending_matcher(), _boundary_fallbacks(), _decimal_digits()


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit: cheaper than a regex scan of a text with none."""
    if text.isascii():
        return any(digit in text for digit in "0123456789")
    return bool(_decimal_digits()[_codes(text)].any())


# spellings of one sound in the usual romanisations (Russian, German, French, Arabic), folded
# before the vowels go: "Шольц" -> "sholts" and "Scholz" -> "sholz" both give "shlz"
_NAME_FOLDS = (
    ("tsz", "j"),  # Russian transcription of Chinese: Цзиньпин = Jinping
    ("ng", "n"),  # Chinese: Ван = Wang, Цзиньпин = Jinping
    ("dzh", "j"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("tz", "z"),
    ("ts", "z"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
)
_C_HARD = re.compile(r"c(?!h)")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_INSTRUMENTAL = re.compile(r"(?:ом|ем|ём|ым|им)$")  # Russian names after "с", "министром"
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")


def name_key(name: str) -> str:
    """Return a person's name as a key that is the same in every script and spelling.

    The name is transliterated to ASCII (``anyascii``: Лавров -> Lavrov, محمد -> mhmd,
    王毅 -> WangYi), lower-cased, and reduced to its consonants after folding the
    spellings that romanisations disagree on ("kh"/"h", "dzh"/"j", "ts"/"tz"/"z",
    "c"/"k", "w"/"v"): Arabic writes no short vowels, and Sergey, Sergei and Sergueï
    differ only in vowels; Russian case endings go ("Лаврова", "Фиданом"), and Chinese
    names meet in their Russian transcription ("Си Цзиньпин"). Spaces go too ("Xi
    Jinping" and 习近平 -> "XiJinPing"). Two spellings of one name share a key; two
    names rarely do, but short names may ("Ali", "Ola"). Japanese names written in
    kanji are read in their Chinese reading by ``anyascii`` and do not meet their
    romanisation.

    Parameters
    ----------
    name : str
        A name in any script.

    Returns
    -------
    str
        The key; empty when the name has no letter.

    Examples
    --------
    >>> name_key("Сергей Лавров") == name_key("Sergey Lavrov") == name_key("Sergueï Lavrov")
    True
    >>> name_key("Олаф Шольц") == name_key("Olaf Scholz"), name_key("Си Цзиньпин")
    (True, 'sjnpn')
    >>> name_key("Си Цзиньпин") == name_key("Xi Jinping") == name_key("习近平")
    True
    >>> name_key("محمد بن سلمان") == name_key("Mohammed bin Salman")
    True
    >>> name_key("...")
    ''
    """
    words = []
    for word in _WORD.findall(name):
        if _CYRILLIC.match(word) and len(word) > 5:
            word = _INSTRUMENTAL.sub("", word)  # "с Хаканом Фиданом" (with Hakan Fidan)
        latin = "".join(re.findall(r"[a-z]+", anyascii(word).lower().replace("'", "")))
        words.append("s" + latin[1:] if latin.startswith("x") else latin)  # Chinese Xi = Си
    text = "".join(words)
    for spelling, sound in _NAME_FOLDS:
        text = text.replace(spelling, sound)
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", _C_HARD.sub("k", text)))


def _latin(form: str) -> bool:
    return all(ord(c) < 0x250 for c in form if c.isalpha())


def _canonical(forms: Counter[str]) -> str:
    """Pick the name's label: a Latin-script form, then one with accents, then the most used."""
    return max(forms, key=lambda f: (_latin(f), any(ord(c) > 127 for c in f), forms[f], f))


def find_officials(
    batches: Iterable[pd.DataFrame], found: list[tuple], *, n_jobs: int | None = None
) -> pd.DataFrame:
    """Find known officials anywhere, by full name or surname; merge forms of one person.

    The second pass of :func:`tag_officials`. Forms of one person are those with one
    :func:`name_key` (Descôtes = Descotes, Лавров = Lavrov); each form, and each
    surname that belongs to one person only, is looked for in every document.

    Parameters
    ----------
    batches : iterable of pandas.DataFrame
        The corpus (``doc_id``, ``text``), whole or in consecutive batches.
    found : list of tuple
        :func:`find_titled_officials` of the whole corpus.
    n_jobs : int, optional
        Processes to use on large batches; default every core available.

    Returns
    -------
    pandas.DataFrame
        As :func:`tag_officials`.

    Examples
    --------
    >>> first = pd.DataFrame({"doc_id": ["a"], "text": ["President Emmanuel Macron spoke."]})
    >>> second = pd.DataFrame({"doc_id": ["b"], "text": ["Macron left."]})
    >>> titled = find_titled_officials(first)
    >>> find_officials([first, second], titled)[["doc_id", "official"]].to_numpy().tolist()
    [['a', 'Emmanuel Macron'], ['b', 'Emmanuel Macron']]
    """
    n_jobs = available_cores(n_jobs)
    forms: dict[str, Counter[str]] = defaultdict(Counter)  # person -> forms as written
    owner: dict[str, str] = {}  # folded form -> person
    for _, folded, match, *_ in found:
        person = name_key(match) or folded
        forms[person][match] += 1
        owner.setdefault(folded, person)
    surnames: dict[str, set[str]] = defaultdict(set)
    for folded, person in owner.items():
        surnames[folded.split()[-1]].add(person)
    owner |= {
        s: next(iter(o))
        for s, o in surnames.items()
        if len(o) == 1 and len(s) > 3 and s not in owner
    }
    terms = sorted(owner)
    titled = {(d, s): (t, p) for d, _, _, s, _, t, p in found}
    # names hold in every language: one automaton, whatever the documents' languages
    matcher = LexiconMatcher(
        pd.DataFrame({"term": terms, "case": "title", "language": MULTILINGUAL}), "term"
    )
    rows = []
    for corpus in batches:
        if not terms:  # no official named with a title anywhere: none to look for
            continue
        texts = corpus["text"].array  # listed by the workers; a text read here where found
        hits = find_all(matcher, texts, n_jobs=n_jobs)
        for i, (doc_id, found_in) in enumerate(zip(corpus["doc_id"].tolist(), hits, strict=True)):
            text = texts[i] if found_in else ""
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
    table["official"] = table["key"].map({k: _canonical(forms[k]) for k in forms})
    return table[OFFICIAL_COLUMNS].astype({"start": "int64", "end": "int64"})
