"""Topic clustering that works across languages, NMF topics and a 2-D map.

Vectors: TF-IDF over words (stop words of every supported language removed, accents
folded, Arabic normalised, Chinese and Japanese cut into character bigrams, unigrams
and bigrams, sublinear tf) plus *concept features*: the partner and theme
tags of :mod:`bilat_analysis.tagging`, which are the same in every language, so that
"cybersécurité" and "cyber security" meet. Each block is L2-normalised, the concept
block weighed by ``concept_weight``, and the whole row normalised again, so a dot
product is a cosine similarity.

Clustering: k-means on these unit vectors (cosine k-means), k chosen by the cosine
silhouette over 2 .. min(n - 1, ``max_k``). Above ``scalable_threshold`` documents the
same call switches to a scalable path: hashed unigram TF-IDF (no vocabulary to hold),
a 64-dimension SVD (LSA), MiniBatchKMeans, and the silhouette on a seeded sample.
Above ``CHOOSE_K_SAMPLE`` documents, k is chosen on a seeded sample of that many and the
chosen k is then fitted on every document. Everything is seeded with ``random_state``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache, partial

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp
import stopwordsiso
from scipy import linalg
from sklearn import get_config
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.metrics import pairwise_distances, silhouette_score
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state, murmurhash3_32
from sklearn.utils.extmath import svd_flip
from threadpoolctl import ThreadpoolController

from bilat_analysis.dyads import annotate_documents
from bilat_analysis.events import group_events
from bilat_analysis.lexicons import read_languages, read_stop_words
from bilat_analysis.parallel import available_cores, map_chunks
from bilat_analysis.tagging import fold_table, fold_text

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # words of two letters or more; no numbers
SCALABLE_THRESHOLD = 1000  # exact k-means on unigram+bigram vectors: tens of seconds at 1,000 docs
SVD_COMPONENTS = 64
SILHOUETTE_SAMPLE = 2000
TERMS_SAMPLE = 1500  # documents read to name the clusters on the scalable path
_SAMPLE_WORDS = 50_000  # words of the terms sample kept at most (the most frequent)
_THREADED_ENTRIES = 10_000_000  # below (about 30,000 articles), threads saved nothing
_THREADED_TRANSPOSED_ENTRIES = 1_000_000  # fewer documents than words: from about 3,000 on
CHOOSE_K_SAMPLE = 20_000  # documents k is chosen on, on the scalable path
_SLICE = 1 << 24  # matrix entries weighed at a time (no corpus-sized temporary)
_ROWS = 20_000  # documents vectorised at a time on the scalable path


#: Arabic normalisation for topics: diacritics and tatweel out, one alef, taa marbuta as haa,
#: alef maqsura as yaa (alef with hamza or madda is already folded by :func:`fold_text`).
_ARABIC = {code: None for code in [*range(0x064B, 0x0653), 0x0670, 0x0640]} | {
    0x0671: "\u0627",  # alef wasla
    0x0629: "\u0647",  # taa marbuta
    0x0649: "\u064a",  # alef maqsura
}
_ARABIC_CHARS = re.compile("[" + "".join(map(chr, _ARABIC)) + "]")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_PART = re.compile(
    "(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+)|(?P<kana>[\u30a0-\u30ff]+)"
    "|[\u3040-\u309f]+"
)


@cache
def _topic_table() -> dict[int, str | None]:
    """:func:`fold_text`'s table and the Arabic normalisation, in one translation table."""
    return {**fold_table(), **_ARABIC}


def _cjk_tokens(match: re.Match[str]) -> str:
    tokens = []
    for part in _CJK_PART.finditer(match.group()):
        if part["han"]:
            run = part["han"]
            tokens += [run[i : i + 2] for i in range(max(1, len(run) - 1))]
        elif part["kana"]:
            tokens.append(part["kana"])
    return f" {' '.join(tokens)} "


def normalise_for_topics(text: str) -> str:
    """Prepare text for the word vectors, in every supported language.

    :func:`bilat_analysis.tagging.fold_text` (lower case, accents stripped), then
    Arabic normalisation (diacritics and tatweel removed; alef variants, taa marbuta
    and alef maqsura unified), then words for Chinese and Japanese, which write none
    with spaces: a run of Han characters becomes its overlapping character bigrams
    ("中法两国" -> "中法 法两 两国"), a Katakana run is one word (loanwords: "ウクライナ"),
    and Hiragana (Japanese particles and endings) is left out.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The normalised text, words separated by spaces.

    Examples
    --------
    >>> normalise_for_topics("中法两国外长在ウクライナについて会談した")
    ' 中法 法两 两国 国外 外长 长在 ウクライナ 会談 '
    >>> normalise_for_topics("الْعَلاقَاتُ الثنائيـة مع إيران")
    'العلاقات الثناييه مع ايران'
    """
    text = fold_text(text)  # then the Arabic rules: the same as one table, and much faster
    if text.isascii():  # isascii() costs nothing
        return text
    if _ARABIC_CHARS.search(text):
        text = text.translate(_ARABIC)
    if not _CJK_RUN.search(text):
        return text
    return _CJK_RUN.sub(_cjk_tokens, text)


def _analyse(text: str) -> list[str]:
    return re.findall(TOKEN_PATTERN, normalise_for_topics(text))


_WORD_RUN = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


def content_words(text: str) -> list[str]:
    """Give the words the hashed vectors count: :data:`TOKEN_PATTERN` tokens, stop words out.

    The same list as the vectoriser's own analysis (``preprocessor``, ``token_pattern``
    and ``stop_words`` of :func:`make_vectorizer`, unigrams), found faster: a run of
    word characters is a token when it has two letters or more and only letters.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        Normalised words, in order.

    Examples
    --------
    >>> content_words("The 2 Défense ministers met_up in Paris.")
    ['defense', 'ministers', 'paris']
    """
    stops = stop_words()
    return [
        word
        for word in _WORD_RUN.findall(normalise_for_topics(text))
        if len(word) > 1 and (word.isalpha() or _LETTERS.fullmatch(word)) and word not in stops
    ]


@cache
def stop_words() -> frozenset[str]:
    """Stop words of every supported language, normalised like the text.

    scikit-learn's English list, the stopwords-iso list of each other language of
    ``data/languages.csv``, and the words of ``data/stop_words.csv``; each split by the
    vectoriser's tokens, so that "quelqu'un" removes "quelqu" too and a Chinese stop
    word removes its bigrams. One list serves every document, whatever its language;
    a row of ``data/stop_words.csv`` with ``action`` "keep" names a content word that
    another language's list holds (English "sea", Spanish for "be"; French "ONU",
    Turkish for "him"): it is never a stop word.

    Returns
    -------
    frozenset of str
        The stop words.

    Examples
    --------
    >>> {"the", "les", "quelqu", "said", "lundi", "und", "что", "我们", "في"} <= stop_words()
    True
    >>> {"sea", "usa"} & stop_words()
    set()
    """
    languages = read_languages()["language"].tolist()
    words = set(ENGLISH_STOP_WORDS)
    for language in languages:
        if language != "en":
            words |= set(stopwordsiso.stopwords(language))
    added = read_stop_words()
    action = added["action"] if "action" in added.columns else pd.Series("", added.index)
    words |= set(added.loc[action != "keep", "word"])
    stop = {token for word in words for token in _analyse(word)}
    return frozenset(stop - {t for w in added.loc[action == "keep", "word"] for t in _analyse(w)})


def make_vectorizer(
    *,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    sublinear_tf: bool = True,
    max_features: int | None = None,
) -> TfidfVectorizer:
    """Make the TF-IDF vectoriser of the package: text normalised, stop words of every language.

    See :func:`normalise_for_topics` (Chinese and Japanese words, Arabic forms) and
    :func:`stop_words`.

    Parameters
    ----------
    ngram_range : tuple of int, default (1, 2)
        Unigrams and bigrams.
    min_df, max_df : int or float
        Document-frequency limits, as in scikit-learn.
    sublinear_tf : bool, default True
        Use 1 + log(tf).
    max_features : int, optional
        Keep only the most frequent terms.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
        Not fitted.

    Examples
    --------
    >>> X = make_vectorizer().fit_transform(["La coopération maritime", "maritime security"])
    >>> sorted(make_vectorizer().fit(["La coopération maritime"]).vocabulary_)
    ['cooperation', 'cooperation maritime', 'maritime']
    """
    return TfidfVectorizer(
        preprocessor=normalise_for_topics,
        stop_words=sorted(stop_words()),
        token_pattern=TOKEN_PATTERN,
        ngram_range=ngram_range,
        min_df=min_df,
        max_df=max_df,
        sublinear_tf=sublinear_tf,
        max_features=max_features,
        dtype=np.float32,
    )


def _hash_chunk(hasher: HashingVectorizer, texts: list[str]) -> sp.csr_matrix:
    """:func:`hash_counts` of some texts, in blocks of texts (:func:`_count_block`).

    Anything but a list of ``str`` (a missing text is NaN) goes through the vectoriser
    itself, which raises for it as before; so does a block :func:`_count_block` cannot
    read.
    """
    if not texts or not all(type(text) is str for text in texts):
        return hasher.transform(texts)
    blocks = []
    for block in _text_blocks(texts):  # the runs met are forgotten between blocks (_runs)
        counts = _count_block(block, _runs(hasher.n_features), hasher.n_features)
        blocks.append(hasher.transform(block) if counts is None else counts)
    counts = sp.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]
    return sp.csr_array(counts) if get_config().get("sparse_interface") == "sparray" else counts


def _text_blocks(texts: list[str]) -> Iterator[list[str]]:
    """Cut the texts into consecutive blocks of about :data:`_BLOCK_CHARS` characters."""
    start, size = 0, 0
    for end, text in enumerate(texts, 1):
        size += len(text) + 1
        if size >= _BLOCK_CHARS or end == len(texts):
            yield texts[start:end]
            start, size = end, 0


_BLOCK_CHARS = 1 << 22  # characters of text whose distinct words are found at once
_PIECE_CHARS = 1 << 18  # characters of a block read into arrays at a time
_MAX_RUNS = 1 << 18  # distinct runs a process remembers (some 35 MB), then forgets
_UTF32 = "utf-32-le"  # one code unit per character: offsets in characters, times 4
_WORD_OR_NUL = re.compile(r"\w+|\0")


@cache
def _word_chars() -> np.ndarray:
    r"""Read every code point as :func:`content_words` does: 1 in a word, 0 between words.

    A code point is in a word when :func:`normalise_for_topics`'s character rules
    (:func:`~bilat_analysis.tagging.fold_text`, then the Arabic rules) make it a word
    character of ``re``'s ``\w``, or delete it: a deleted character (an Arabic diacritic)
    joins the words on either side, so it goes with them; a run of such characters alone
    is a "word" that normalises to nothing. Each rule maps one character to one character
    or to none, and ``\w`` tests one character, so the words of the normalised text are
    the normalised words of the text cut at the 0s. (A 1 too many would only join two
    words into a run that :func:`content_words` cuts again; a 0 too many would be wrong.)
    2 marks a code point for which this would not hold (a rule giving two characters;
    there is none today): a block of texts holding one is counted text by text.
    """
    everything = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    text = everything.tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(everything.size, dtype=np.uint8)
    for run in _WORD_RUN.finditer(text):
        table[run.start() : run.end()] = 1
    for code in fold_table().keys() | _ARABIC.keys():
        mapped = fold_text(chr(code)).translate(_ARABIC)
        table[code] = 2 if len(mapped) > 1 else not mapped or bool(_WORD_RUN.fullmatch(mapped))
    return table


@cache
def _has_unsafe_chars() -> bool:
    """Whether :func:`_word_chars` marks any code point 2 (then each block is checked)."""
    return bool((_word_chars() > 1).any())


class _Runs:
    """The distinct runs of word characters met so far and the columns of their words.

    A run is the UTF-32 of a word as it stands in the text, numbered in the order met;
    the columns of the words of run ``i`` (given by ``columns_of``: :func:`_run_columns`,
    or a :class:`_Vocabulary`'s) are ``columns[ends[i]:ends[i + 1]]``, arrays grown by
    doubling.
    """

    def __init__(self, columns_of: Callable[[list[bytes]], tuple[np.ndarray, np.ndarray]]) -> None:
        self.columns_of = columns_of
        self.numbers: dict[bytes, int] = {}
        self.ends = np.zeros(1, dtype=np.int64)
        self.columns = np.zeros(0, dtype=np.int32)

    def number(self, runs: list[bytes]) -> np.ndarray:
        """Give each run its number, hashing the words of the runs not met before."""
        numbers = np.array([self.numbers.get(run, -1) for run in runs], dtype=np.int64)
        new = np.flatnonzero(numbers < 0)
        if new.size:
            known = len(self.numbers)
            numbers[new] = np.arange(known, known + new.size)
            fresh = [runs[i] for i in new]
            self.numbers.update(zip(fresh, numbers[new].tolist(), strict=True))
            lengths, columns = self.columns_of(fresh)
            used = self.ends[known]
            self.ends = _grown(self.ends, known + 1, used + np.cumsum(lengths))
            self.columns = _grown(self.columns, used, columns)
        return numbers

    def table(self, numbers: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
        """Count the words of the given runs, one row each, over the columns they use.

        The columns are numbered in order; returns the matrix and the hashed column
        of each of its columns.
        """
        starts, stops = self.ends[numbers], self.ends[numbers + 1]
        indptr = np.zeros(numbers.size + 1, dtype=np.int64)
        np.cumsum(stops - starts, out=indptr[1:])
        entries = np.arange(indptr[-1]) + np.repeat(starts - indptr[:-1], stops - starts)
        columns, inverse = np.unique(self.columns[entries], return_inverse=True)
        ones = np.ones(entries.size, dtype=np.float32)  # a word twice in a run: entered twice
        table = sp.csr_matrix((ones, inverse, indptr), shape=(numbers.size, columns.size))
        return table, columns


def _run_words(runs: list[bytes]) -> tuple[np.ndarray, list[str]]:
    """Read :func:`content_words` of runs of word characters (UTF-32), normalised all at once.

    The runs are joined by NUL, which :func:`normalise_for_topics` leaves alone and
    which no word run holds, and cut there again: each rule reads one character at a
    time, or a run of Han or Kana characters, which NUL ends. Returns the number of
    words of each run, and the words run after run.
    """
    stops = stop_words()
    normalised = normalise_for_topics(b"\0\0\0\0".join(runs).decode(_UTF32))
    kept = [
        token
        for token in _WORD_OR_NUL.findall(normalised)
        if token == "\0"
        or (
            len(token) > 1 and (token.isalpha() or _LETTERS.fullmatch(token)) and token not in stops
        )
    ]
    ends = np.fromiter(map("\0".__eq__, kept), dtype=bool, count=len(kept))
    lengths = np.bincount(np.cumsum(ends)[~ends], minlength=len(runs))
    return lengths, [token for token in kept if token != "\0"]


def _run_columns(runs: list[bytes], n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash the words of runs of word characters (:func:`_run_words`).

    A word's column is the vectoriser's (``FeatureHasher``, no alternate sign):
    ``abs(murmurhash3_32(word)) % n_features``, in Python integers (``abs(-2**31)``
    needs no special case here). Returns the number of words of each run, and their
    columns run after run.
    """
    lengths, words = _run_words(runs)
    hashes = np.fromiter(map(murmurhash3_32, words), dtype=np.int64, count=len(words))
    return lengths, (np.abs(hashes) % n_features).astype(np.int32)


class _Vocabulary(dict[str, int]):
    """Words numbered in the order met: the columns of the words of runs (:class:`_Runs`)."""

    def columns_of(self, runs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        lengths, words = _run_words(runs)
        numbers = (self.setdefault(word, len(self)) for word in words)
        return lengths, np.fromiter(numbers, dtype=np.int32, count=len(words))


def _grown(array: np.ndarray, used: int, values: np.ndarray) -> np.ndarray:
    """Put ``values`` after ``array[:used]``, in place if there is room, else in a larger copy."""
    if used + values.size > array.size:
        larger = np.empty(max(2 * array.size, used + values.size), dtype=array.dtype)
        larger[:used] = array[:used]
        array = larger
    array[used : used + values.size] = values
    return array


_RUNS: dict[int, _Runs] = {}  # the runs this process met, by number of columns (a cache)


def _runs(n_features: int) -> _Runs:
    """Return the runs this process has met (:data:`_RUNS`), forgotten past :data:`_MAX_RUNS`."""
    runs = _RUNS.get(n_features)
    if runs is None or len(runs.numbers) > _MAX_RUNS:
        runs = _RUNS[n_features] = _Runs(partial(_run_columns, n_features=n_features))
    return runs


def _count_block(texts: list[str], runs: _Runs, width: int) -> sp.csr_matrix | None:
    """Count the words of a few texts with arrays: each distinct word is read once.

    The texts are joined by a line break (no word character) and cut into alternate runs
    of other and word characters (:func:`_word_chars`); Arrow finds the distinct word
    runs, :func:`content_words` reads each one not met before (a word as it stands in the
    text, which may give several words: Chinese bigrams), and the counts are
    (texts x runs) @ (runs x columns), in the columns ``runs`` gives words (hashed, or
    numbered in a vocabulary; ``width`` of them). A Han or Katakana run gives the same
    words whether read whole or word by word, once words of one character are left out,
    as :func:`content_words` does. None for texts this cannot read (a lone surrogate; a
    code point :func:`_word_chars` marks 2).
    """
    joined = "\n".join(texts)
    try:
        data = joined.encode(_UTF32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    codes = np.frombuffer(data, dtype=np.uint32)
    pieces, previous = [[0]], np.zeros(1, dtype=np.uint8)
    for start in range(0, codes.size, _PIECE_CHARS):  # a piece at a time: in the CPU cache
        kinds = _word_chars()[codes[start : start + _PIECE_CHARS]]
        if _has_unsafe_chars() and kinds.max() > 1:
            return None
        changes = np.empty(kinds.size, dtype=bool)
        np.not_equal(kinds[:1], previous, out=changes[:1])
        np.not_equal(kinds[1:], kinds[:-1], out=changes[1:])
        pieces.append(np.flatnonzero(changes) + start)
        previous = kinds[-1:]
    pieces.append([codes.size, codes.size] if previous[0] else [codes.size])
    # 0, then where each word starts and ends, then the end: the bounds of alternate runs
    offsets = np.concatenate(pieces)
    edges = offsets[1:-1]
    encoded = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        offsets.size - 1,
        [None, pa.py_buffer(offsets * 4), pa.py_buffer(data)],
    ).dictionary_encode()
    words = encoded.indices.to_numpy()[1::2]
    word_runs = np.zeros(len(encoded.dictionary), dtype=bool)
    word_runs[words] = True  # the runs between words give no word: left out
    numbers = runs.number(encoded.dictionary.filter(word_runs).to_pylist())
    words = (np.cumsum(word_runs) - 1)[words]
    # the product over the block's own columns only, numbered in the same order
    hashed, columns = runs.table(numbers)
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(text) + 1 for text in texts], out=starts[1:])
    in_texts = sp.csr_matrix(
        (np.ones(words.size, dtype=np.float32), words, np.searchsorted(edges[::2], starts)),
        shape=(len(texts), hashed.shape[0]),
    )
    counts = (in_texts @ hashed).tocsc().tocsr()  # each conversion sorts, in linear time
    return sp.csr_matrix(
        (counts.data, columns[counts.indices].astype(np.int32), counts.indptr),
        shape=(len(texts), width),
    )


def hashed_words(corpus: pd.DataFrame, *, n_jobs: int | None = None) -> sp.csr_matrix:
    """Hash the documents' words into TF-IDF rows: the word block of the scalable path.

    Computed once, the matrix serves both :func:`cluster_documents` and
    :func:`bilat_analysis.events.group_events` (``hashed=``, ``words=``).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``text``.
    n_jobs : int, optional
        Processes; default every core available.

    Returns
    -------
    scipy.sparse.csr_matrix
        One row per document.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> hashed_words(load_corpus()).shape[0]
    5
    """
    n_jobs = available_cores(n_jobs)
    return _hashed_tfidf(corpus["text"], n_jobs=n_jobs)


#: The last texts hashed: their key (:func:`_texts_key`) -> (the texts, their matrix).
_LAST_HASHED: dict[object, tuple[object, sp.csr_matrix]] = {}


def _digest(texts: list[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def _texts_key(texts: pd.Series | list[str]) -> tuple[object, object]:
    """Give a key that tells the texts apart, and what must be kept alive for it to hold.

    A text column held in Arrow is known by where its buffers lie: Arrow buffers never
    change, and while the column is kept (the second value) no other buffer can take
    its place, so the same place means the same texts, whatever frame holds them. Any
    other texts are known by a digest of their contents.
    """
    if isinstance(texts, pd.Series):
        dtype = texts.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            column = texts.array.__arrow_array__()  # Arrow's protocol: no copy
            if isinstance(column, pa.Array):
                column = pa.chunked_array([column])
            places = tuple(
                (chunk.offset, len(chunk), *(b and (b.address, b.size) for b in chunk.buffers()))
                for chunk in column.chunks
            )
            return ("arrow", places), column
        texts = texts.tolist()
    return ("digest", _digest(texts)), None


def _hashed_tfidf(
    texts: pd.Series | list[str], *, n_jobs: int = 1, copy: bool = True
) -> sp.csr_matrix:
    """Hashed TF-IDF of the texts; the last texts' matrix is kept and handed out as a copy.

    Clustering and same-meeting grouping both start from it: called one after the
    other on the same corpus (as a user does), the words are hashed once. ``copy=False``
    hands out the kept matrix itself, for a caller that only reads it.
    """
    key, kept = _texts_key(texts)
    if key not in _LAST_HASHED:
        _LAST_HASHED.clear()
        # a column goes to the workers as it is, each lists its own part (map_chunks)
        column = texts.array if isinstance(texts, pd.Series) else texts
        _LAST_HASHED[key] = (kept, _hash_texts(column, n_jobs=n_jobs))
    matrix = _LAST_HASHED[key][1]
    return matrix.copy() if copy else matrix


def _hash_texts(
    texts: list[str] | pd.api.extensions.ExtensionArray, *, n_jobs: int = 1
) -> sp.csr_matrix:
    return weigh_hashed_counts(hash_counts(texts, n_jobs=n_jobs))


def hash_counts(
    texts: list[str] | pd.api.extensions.ExtensionArray, *, n_jobs: int | None = None
) -> sp.csr_matrix:
    """Count the words of each text in hashed columns (no vocabulary to hold).

    The counts of scikit-learn's ``HashingVectorizer`` reading the texts with
    :func:`content_words`, bit for bit, found faster: each distinct word of a block of
    texts is normalised and hashed once. Rows of consecutive batches stack
    (``scipy.sparse.vstack``) into those of the whole corpus; :func:`weigh_hashed_counts`
    then gives :func:`hashed_words`.

    Parameters
    ----------
    texts : list of str, or a text column's array
        The texts (``corpus["text"].array``: each worker lists its own part).
    n_jobs : int, optional
        Processes; default every core available.

    Returns
    -------
    scipy.sparse.csr_matrix
        Word counts (float32), one row per text.

    Examples
    --------
    >>> hash_counts(["Defence talks, defence deals."]).sum()
    np.float32(4.0)
    """
    n_jobs = available_cores(n_jobs)
    hasher = HashingVectorizer(
        analyzer=content_words,  # stop_words() is read here, before workers fork
        n_features=2**20,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    stop_words()
    _word_chars()  # built once, before workers fork
    if not len(texts):
        return sp.csr_matrix((0, hasher.n_features), dtype=np.float32)
    return sp.vstack(map_chunks(_hash_chunk, texts, payload=hasher, n_jobs=n_jobs)).tocsr()


def weigh_hashed_counts(counts: sp.csr_matrix, *, copy: bool = True) -> sp.csr_matrix:
    """Weigh the corpus's hashed counts by sublinear TF-IDF, rows L2-normalised (float32).

    The same values as ``TfidfTransformer(sublinear_tf=True).fit_transform(counts)``,
    computed a slice at a time, so that no temporary as large as the matrix is made.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        :func:`hash_counts` of every document.
    copy : bool, default True
        False: weigh ``counts`` in place (a corpus-sized matrix: one copy fewer).

    Returns
    -------
    scipy.sparse.csr_matrix
        The :func:`hashed_words` matrix.

    Examples
    --------
    >>> weigh_hashed_counts(hash_counts(["India", "India and France"])).shape[0]
    2
    """
    idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_
    weighted = counts.astype(np.float32, copy=copy)
    data, indices = weighted.data, weighted.indices
    np.log(data, out=data)  # sublinear tf, then idf, as TfidfTransformer.transform does
    data += 1.0
    for start in range(0, len(data), _SLICE):
        data[start : start + _SLICE] *= idf[indices[start : start + _SLICE]]
    return normalize(weighted, copy=False)


def concept_features(annotated: pd.DataFrame) -> tuple[sp.csr_matrix, list[str]]:
    """Language-neutral features from the tags: ``partner:FRA``, ``theme:cyber_digital``.

    Parameters
    ----------
    annotated : pandas.DataFrame
        From :func:`bilat_analysis.dyads.annotate_documents` (columns ``partners``, ``themes``).

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, list of str)
        Sublinear TF-IDF weights of the tag counts, and the feature names.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> matrix, names = concept_features(annotate_documents(load_corpus()))
    >>> matrix.shape[0], "theme:cyber_digital" in names
    (5, True)
    """
    partners, themes = annotated["partners"].tolist(), annotated["themes"].tolist()
    # each row's partners, then its themes (the order of the entries of a row, as given)
    with_partners = np.fromiter(map(len, partners), dtype=np.int64, count=len(partners))
    with_themes = np.fromiter(map(len, themes), dtype=np.int64, count=len(themes))
    starts = np.cumsum(with_partners + with_themes) - with_partners - with_themes
    places = np.concatenate(
        [_places(starts, with_partners), _places(starts + with_partners, with_themes)]
    )
    codes = np.empty(len(places), dtype=np.int64)
    names: list[str] = []
    filled = 0
    for kind, rows in (("partner", partners), ("theme", themes)):
        found, uniques = _factorized(rows)
        codes[places[filled : filled + len(found)]] = found + len(names)
        names += [f"{kind}:{name}" for name in uniques]
        filled += len(found)
    values = np.empty(len(places), dtype=np.float32)
    values[places] = np.fromiter(
        itertools.chain.from_iterable(map(dict.values, partners + themes)),
        dtype=np.float32,
        count=len(places),
    )
    return _weighted(codes, names, values, with_partners + with_themes)


def _places(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Give ``starts[i], starts[i] + 1, ... starts[i] + lengths[i] - 1`` for each i, in order."""
    firsts = np.cumsum(lengths) - lengths
    return np.repeat(starts - firsts, lengths) + np.arange(lengths.sum())


def weighted_features(rows: list[Mapping[str, float]]) -> tuple[sp.csr_matrix, list[str]]:
    """Turn per-document feature counts into sublinear TF-IDF rows (not normalised).

    Parameters
    ----------
    rows : list of mapping
        One ``{feature: count}`` per document.

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, list of str)
        The weights (float32) and the sorted feature names; no column when no
        document has a feature.

    Examples
    --------
    >>> matrix, names = weighted_features([{"theme:space": 2}, {}])
    >>> matrix.shape, names
    ((2, 1), ['theme:space'])
    """
    codes, uniques = _factorized(rows)
    values = np.fromiter(
        itertools.chain.from_iterable(row.values() for row in rows),
        dtype=np.float32,
        count=len(codes),
    )
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    return _weighted(codes, uniques.tolist(), values, lengths)


def _factorized(rows: list[Mapping[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Give the features of the rows, one row after another, as codes, and the feature of each."""
    return pd.factorize(np.fromiter(itertools.chain.from_iterable(rows), dtype=object))


def _weighted(
    codes: np.ndarray, names: list[str], values: np.ndarray, lengths: np.ndarray
) -> tuple[sp.csr_matrix, list[str]]:
    """:func:`weighted_features` of rows given one after another: feature codes into ``names``."""
    order = np.empty(len(names), dtype=np.int32)
    order[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    indptr = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=indptr[1:])
    counts = sp.csr_matrix((values, order[codes], indptr), shape=(len(lengths), len(names)))
    names = sorted(names)
    if not names:  # no feature anywhere
        return counts, names
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32), names


def _ensure_annotated(corpus: pd.DataFrame, n_jobs: int) -> pd.DataFrame:
    if {"partners", "themes", "dyad"} <= set(corpus.columns):
        return corpus
    return annotate_documents(corpus, n_jobs=n_jobs)


def top_terms_per_document(corpus: pd.DataFrame, *, top_n: int = 5) -> pd.DataFrame:
    """List the words with the highest TF-IDF weight in each document: what TF-IDF "sees".

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    top_n : int, default 5
        Words per document.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``rank``, ``term``, ``weight`` (rounded to 3 decimals).

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> top_terms_per_document(load_corpus(), top_n=1)["term"].tolist()
    ['india', 'india', 'inde', 'vietnam', 'pakistan']
    """
    vectorizer = make_vectorizer()
    matrix = vectorizer.fit_transform(corpus["text"].tolist()).tocsr()
    names = vectorizer.get_feature_names_out()
    rows = []
    bounds = zip(matrix.indptr[:-1].tolist(), matrix.indptr[1:].tolist(), strict=True)
    for doc_id, (start, end) in zip(corpus["doc_id"], bounds, strict=True):
        # each document's own words only (a dense row would be the whole vocabulary)
        columns, weights = matrix.indices[start:end], matrix.data[start:end]
        order = np.lexsort((names[columns], -weights))[:top_n]
        rows += [
            (doc_id, rank, names[columns[i]], round(float(weights[i]), 3))
            for rank, i in enumerate(order, start=1)
            if weights[i] > 0
        ]
    return pd.DataFrame(rows, columns=["doc_id", "rank", "term", "weight"])


@dataclass(frozen=True)
class Clustering:
    """What :func:`cluster_documents` returns.

    Attributes
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``cluster``, ``x``, ``y`` (2-D map coordinates), ``dyad``, ``similarity``
        (cosine to the cluster's centre).
    silhouette : pandas.DataFrame
        ``k`` and ``silhouette`` (cosine) for each k tried.
    terms : pandas.DataFrame
        ``cluster``, ``rank``, ``term``, ``weight``: the centroid's top words.
    sizes : pandas.DataFrame
        ``cluster``, ``documents``, ``events`` (reports of one meeting counted once; given
        when the corpus has an ``event`` column, see :func:`annotate_topics`),
        ``top_terms`` (joined), ``typical`` (the most central doc_ids).
    k : int
        The number of clusters.
    method : str
        ``"kmeans"`` or ``"minibatch-lsa"`` (the scalable path).
    concepts : bool
        Whether concept features were used.
    """

    documents: pd.DataFrame
    silhouette: pd.DataFrame
    terms: pd.DataFrame
    sizes: pd.DataFrame
    k: int
    method: str
    concepts: bool


def _top_terms(
    matrix: sp.csr_matrix, labels: np.ndarray, names: np.ndarray, top_n: int
) -> pd.DataFrame:
    rows = []
    for cluster in sorted(set(labels.tolist())):
        centre = np.asarray(matrix[labels == cluster].mean(axis=0)).ravel()
        order = np.lexsort((names, -centre))[:top_n]
        rows += [
            (cluster, rank, names[i], round(float(centre[i]), 4))
            for rank, i in enumerate(order, start=1)
            if centre[i] > 0
        ]
    return pd.DataFrame(rows, columns=["cluster", "rank", "term", "weight"])


def _fit_kmeans(
    X: np.ndarray | sp.csr_matrix, k: int, *, scalable: bool, random_state: int
) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # duplicate points on tiny corpora
        if scalable:
            model = MiniBatchKMeans(
                n_clusters=k, n_init=3, batch_size=4096, random_state=random_state
            )
        else:
            model = KMeans(n_clusters=k, n_init=10, random_state=random_state)
        return model.fit_predict(X)


def _silhouette_distances(
    X: np.ndarray | sp.csr_matrix, random_state: int
) -> tuple[np.ndarray | None, np.dtype, np.ndarray]:
    """Give the rows the silhouette is scored on and their cosine distances (the same for every k).

    ``silhouette_score(X, labels, metric="cosine", sample_size=..., random_state=...)``
    draws the same rows and computes the same distances for each k (in one block, for
    :data:`SILHOUETTE_SAMPLE` rows); computed once, every k's score is the same number.

    Returns
    -------
    tuple
        The rows drawn (None: all of them), the distances' dtype, and the distances
        transposed, in float64 (column ``i``: row ``i``'s distances, as
        :func:`_silhouette` sums them).
    """
    rows = None
    if X.shape[0] > SILHOUETTE_SAMPLE:
        rows = check_random_state(random_state).permutation(X.shape[0])[:SILHOUETTE_SAMPLE]
    distances = pairwise_distances(X if rows is None else X[rows], metric="cosine")
    return rows, distances.dtype, np.ascontiguousarray(distances.T, dtype=np.float64)


def _silhouette(
    scored: tuple[np.ndarray | None, np.dtype, np.ndarray] | None, labels: np.ndarray
) -> float:
    """Give the cosine silhouette of ``labels`` on the rows of :func:`_silhouette_distances`.

    ``silhouette_score(distances, labels, metric="precomputed")`` bit for bit
    (tests/test_topics.py compares them). scikit-learn sums each row's distances by
    cluster with one ``bincount`` a row, 2,000 short calls that hold the GIL: the threads
    scoring the candidate k waited on each other (0.16 of the 0.84 s that clustering
    10,000 articles, their words hashed, took). Here a row of distances is added to its
    cluster's sums in one call, the same float64 sums in the same order; the rest is
    scikit-learn's arithmetic, in its dtypes.
    """
    if scored is None or len(set(labels.tolist())) < 2:
        return float("nan")
    rows, dtype, transposed = scored
    drawn = labels if rows is None else labels[rows]
    codes = np.unique(drawn, return_inverse=True)[1].ravel()
    sizes = np.bincount(codes)
    if not 2 <= len(sizes) < len(codes):  # scikit-learn's error for the number of labels
        return float(silhouette_score(transposed.T, drawn, metric="precomputed"))
    # row i's distances summed by cluster, as bincount sums its weights: in float64,
    # from 0, the distances to rows 0, 1, ... in turn (the rows added whole, in one call each)
    sums = np.zeros((len(sizes), len(codes)))
    for j, cluster in enumerate(codes.tolist()):
        sums[cluster] += transposed[j]
    by_cluster = sums.T.astype(dtype)
    own = (np.arange(len(codes)), codes)
    intra = by_cluster[own]
    by_cluster[own] = np.inf
    by_cluster /= sizes
    inter = by_cluster.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= (sizes - 1).take(codes, mode="clip")
        score = inter - intra
        score /= np.maximum(intra, inter)
    return float(np.mean(np.nan_to_num(score)))  # a cluster of one scores 0


def document_matrix(
    corpus: pd.DataFrame,
    *,
    concepts: bool = True,
    concept_weight: float = 1.0,
    ngram_range: tuple[int, int] | None = None,
    min_df: int | float = 1,
    scalable: bool = False,
    hashed: sp.csr_matrix | None = None,
    n_jobs: int | None = None,
) -> tuple[sp.csr_matrix, np.ndarray | None, pd.DataFrame]:
    """Build the document vectors used for clustering and event grouping.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame, annotated or not (tags are computed when missing).
    concepts : bool, default True
        Add the partner and theme tags as language-neutral features.
    concept_weight : float, default 1.0
        Weight of the concept block relative to the word block (each L2-normalised).
    ngram_range : tuple of int, optional
        Default (1, 2); (1, 1) on the scalable path.
    min_df : int or float, default 1
        Minimum document frequency of a word (ignored on the scalable path).
    scalable : bool, default False
        Hash words instead of keeping a vocabulary.
    hashed : scipy.sparse.csr_matrix, optional
        On the scalable path, the texts' hashed TF-IDF (:func:`hashed_words`) when the
        caller already has it (the events stage uses the same matrix).
    n_jobs : int, optional
        Processes for tagging and hashing; default every core available.

    Returns
    -------
    tuple
        The row-normalised matrix; the feature names of the word block (None when
        hashed); the annotated corpus.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> X, names, _ = document_matrix(load_corpus())
    >>> X.shape[0], round(float(X[0].multiply(X[0]).sum()), 3)
    (5, 1.0)
    """
    n_jobs = available_cores(n_jobs)
    annotated = _ensure_annotated(corpus, n_jobs) if concepts else corpus
    concept_block = None
    if concepts:
        concept_block, concept_names = concept_features(annotated)
        if not concept_block.shape[1]:
            concept_block = None
    if scalable:
        # read only: _scalable_matrix writes the rows it keeps into a matrix of its own
        if hashed is None:
            hashed = _hashed_tfidf(corpus["text"], n_jobs=n_jobs, copy=False)
        return _scalable_matrix(hashed, concept_block, concept_weight), None, annotated
    vectorizer = make_vectorizer(ngram_range=ngram_range or (1, 2), min_df=min_df)
    try:
        words = vectorizer.fit_transform(corpus["text"].tolist())
    except ValueError as error:
        raise ValueError(
            "cannot vectorise the corpus: no word is left after removing stop words"
        ) from error
    names = vectorizer.get_feature_names_out()
    if concepts:
        names = np.concatenate([names, np.asarray(concept_names, dtype=object)])
    return _joined_rows(normalize(words), concept_block, concept_weight), names, annotated


def _joined_rows(
    words: sp.csr_matrix, concept_block: sp.csr_matrix | None, concept_weight: float
) -> sp.csr_matrix:
    """Normalised word rows beside the weighted, normalised concept rows; rows normalised."""
    blocks = [words]
    if concept_block is not None:
        blocks.append(concept_weight * normalize(concept_block))
    matrix = sp.hstack(blocks, format="csr")
    matrix = normalize(matrix, copy=False).astype(np.float32, copy=False)
    # canonical (sorted) indices, once: k-means++ and the silhouette slice rows thousands
    # of times, and each slice of an unsorted matrix is sorted again (minutes at 2,000 docs)
    matrix.sort_indices()
    return matrix


def _scalable_matrix(
    words: sp.csr_matrix, concept_block: sp.csr_matrix | None, concept_weight: float
) -> sp.csr_matrix:
    """Build the document matrix from hashed words, :data:`_ROWS` rows at a time.

    Only the hashed columns seen in at least two documents are kept: 2**20 columns would
    make the SVD's random projection ~1 GB, and words seen once do not shape clusters.
    Every step works row by row, so the rows come out as from the whole matrix at once,
    written straight into one matrix: no corpus-sized intermediate (a million articles'
    words take gigabytes).
    """
    n_docs = words.shape[0]
    frequency = np.bincount(words.indices, minlength=words.shape[1])
    kept = np.flatnonzero(frequency >= min(2, n_docs))
    extra = 0 if concept_block is None else concept_block.nnz
    data = np.empty(words.nnz + extra, dtype=np.float32)
    indices = np.empty(words.nnz + extra, dtype=np.int32)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    filled = 0
    for start in range(0, n_docs, _ROWS):
        stop = min(start + _ROWS, n_docs)
        concept_rows = None if concept_block is None else concept_block[start:stop]
        rows = _joined_rows(normalize(words[start:stop][:, kept]), concept_rows, concept_weight)
        data[filled : filled + rows.nnz] = rows.data
        indices[filled : filled + rows.nnz] = rows.indices
        indptr[start + 1 : stop + 1] = rows.indptr[1:] + filled
        filled += rows.nnz
    width = len(kept) + (0 if concept_block is None else concept_block.shape[1])
    return sp.csr_matrix((data[:filled], indices[:filled], indptr), shape=(n_docs, width))


def _sparse_product(
    matrix: sp.csr_matrix | sp.csc_matrix,
    dense: np.ndarray,
    pool: ThreadPoolExecutor | None = None,
    parts: int = 1,
) -> np.ndarray:
    """Give ``matrix @ dense``, split between the pool's ``parts`` threads, bit for bit the same.

    scipy's sparse products release the GIL. A CSR matrix is split into blocks of rows
    (views of its arrays: each block's product is those rows of the whole product); a
    CSC matrix (a CSR matrix's transpose) by blocks of ``dense``'s columns: every
    element of the product is summed over the same entries in the same order either way.
    Each block's product is written into the result as soon as it is done, and there
    are a few blocks a thread, so that the blocks held at once stay a fraction of it.
    """
    if pool is None or parts < 2:
        return matrix @ dense
    out = np.empty((matrix.shape[0], dense.shape[1]), np.result_type(matrix.dtype, dense.dtype))
    if matrix.format == "csr":
        cuts = np.linspace(0, matrix.shape[0], 4 * parts + 1).astype(int)

        def fill(start: int, stop: int) -> None:
            indptr = matrix.indptr[start : stop + 1]
            entries = slice(indptr[0], indptr[-1])
            block = sp.csr_matrix(
                (matrix.data[entries], matrix.indices[entries], indptr - indptr[0]),
                shape=(stop - start, matrix.shape[1]),
            )
            out[start:stop] = block @ dense

    else:
        cuts = np.linspace(0, dense.shape[1], 2 * parts + 1).astype(int)

        def fill(start: int, stop: int) -> None:
            out[:, start:stop] = matrix @ np.ascontiguousarray(dense[:, start:stop])

    for done in [pool.submit(fill, a, b) for a, b in itertools.pairwise(cuts)]:
        done.result()
    return out


def _truncated_svd(
    X: sp.csr_matrix, components: int, *, random_state: int, n_jobs: int
) -> np.ndarray:
    """Give ``TruncatedSVD(components, n_iter=3).fit_transform(X)``, its products on threads.

    scikit-learn's randomized SVD step by step (Halko et al. 2011, as
    ``sklearn.utils.extmath.randomized_svd`` runs it for TruncatedSVD: a seeded Gaussian
    range finder with ten more vectors than components, three LU-normalised power
    iterations, a QR, the SVD of the small projection, the signs flipped by
    ``svd_flip``), with the products of the sparse matrix computed on ``n_jobs``
    threads (:func:`_sparse_product`). They are three quarters of the time on a large
    corpus. tests/test_topics.py checks the result is TruncatedSVD's, bit for bit.
    """
    rng = check_random_state(random_state)
    transpose = X.shape[0] < X.shape[1]  # the range is found on the smaller side
    M = X.T if transpose else X
    MT = M.T
    workers = n_jobs if X.nnz >= _THREADED_ENTRIES else 1
    if transpose and n_jobs > 1 and X.nnz >= _THREADED_TRANSPOSED_ENTRIES:
        # fewer documents than words (a small corpus): X.T's products split well between
        # threads from a row-major copy (the dense matrix they read, a row per document,
        # stays in the cache), with the same sums in the same order; the column-major
        # transpose splits by the dense columns, each thread reading every entry
        workers, M = n_jobs, M.tocsr()
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:

        def product(matrix: sp.csr_matrix | sp.csc_matrix, dense: np.ndarray) -> np.ndarray:
            return _sparse_product(matrix, dense, pool, workers)

        def lu(dense: np.ndarray) -> np.ndarray:
            return linalg.lu(dense, permute_l=True, check_finite=False)[0]

        Q = rng.normal(size=(M.shape[1], components + 10)).astype(X.dtype, copy=False)
        for _ in range(3):
            Q = lu(product(MT, lu(product(M, Q))))
        Q = linalg.qr(product(M, Q), mode="economic", check_finite=False)[0]
        Uhat, _, Vt = linalg.svd(product(MT, Q).T, full_matrices=False)  # of Q.T @ M
        U = Q @ Uhat
        if transpose:
            U, Vt = Vt[:components].T, U[:, :components].T
        else:
            U, Vt = U[:, :components], Vt[:components]
        _, Vt = svd_flip(U, Vt, u_based_decision=False)
        return product(X, np.ascontiguousarray(Vt.T))


@cache
def _thread_pools() -> ThreadpoolController:
    """Find the BLAS and OpenMP libraries loaded (numpy's, scipy's, scikit-learn's) once.

    ``threadpoolctl.threadpool_limits`` looks them up at every call (3 ms: twelve times
    per :func:`cluster_documents`); a controller's limits cost a tenth of that or less.
    A library loaded after the first call is not limited: the ones the clustering uses
    are loaded with this module.
    """
    return ThreadpoolController()


def _tried(
    trial: np.ndarray | sp.csr_matrix,
    scored: tuple[np.ndarray | None, np.dtype, np.ndarray] | None,
    scalable: bool,
    random_state: int,
    candidate: int,
) -> tuple[np.ndarray, float]:
    """Fit a candidate k on the trial rows; give its labels and its silhouette.

    One OpenMP thread in the calling thread (its own limit: OpenMP's is per thread), as
    in the thread that shares the candidates out.
    """
    with _thread_pools().limit(limits=1, user_api="openmp"):
        labels = (
            np.zeros(trial.shape[0], dtype=int)
            if candidate == 1
            else _fit_kmeans(trial, candidate, scalable=scalable, random_state=random_state)
        )
        return labels, _silhouette(scored, labels)


def _fit_clusters(
    X: np.ndarray | sp.csr_matrix,
    *,
    k: int | None,
    max_k: int,
    scalable: bool,
    random_state: int,
    n_jobs: int = 1,
) -> tuple[np.ndarray | sp.csr_matrix, np.ndarray, np.ndarray, list[tuple[int, float]]]:
    """Reduce (scalable path), choose k by silhouette and fit: space, coordinates, labels, curve.

    Called within one BLAS and OpenMP thread (:func:`cluster_documents`).
    """
    n_docs = X.shape[0]
    space: np.ndarray | sp.csr_matrix = X
    coordinates = np.zeros((n_docs, 2))
    if scalable:
        components = min(SVD_COMPONENTS, X.shape[1] - 1, n_docs - 1)
        reduced = _truncated_svd(X, components, random_state=random_state, n_jobs=n_jobs)
        space = normalize(reduced)
        coordinates = space[:, :2]
    elif n_docs >= 3 and X.shape[1] > 2:
        coordinates = TruncatedSVD(2, random_state=random_state).fit_transform(X)
    candidates = [k] if k is not None else list(range(2, min(n_docs - 1, max_k) + 1))
    # on a large corpus k is chosen on a seeded sample, then fitted once on every document
    sampled = scalable and len(candidates) > 1 and n_docs > CHOOSE_K_SAMPLE
    trial = space
    if sampled:
        rng = np.random.default_rng(random_state)
        trial = space[np.sort(rng.choice(n_docs, CHOOSE_K_SAMPLE, replace=False))]

    # every k is seeded on its own: shared out between threads, the same labels and scores
    # as one after the other; the largest k (the longest) first, so that the threads end
    # together. Threads, not processes: in a forked process OpenBLAS starts its threads
    # again at scikit-learn's first thread limit, and they spin for a tenth of a second
    # (0.2 CPU seconds a process, and this process's again when its own limit ends)
    order = sorted(candidates, reverse=True)
    jobs = min(n_jobs, len(order)) if scalable else 1
    scored = _silhouette_distances(trial, random_state) if max(order, default=1) > 1 else None
    fit = partial(_tried, trial, scored, scalable, random_state)
    if jobs > 1:
        with ThreadPoolExecutor(jobs) as pool:
            fitted = list(pool.map(fit, order))
    else:
        fitted = [fit(candidate) for candidate in order]
    by_k = dict(zip(order, fitted, strict=True))
    results = [by_k[candidate] for candidate in candidates]
    curve, best, best_score = [], None, -np.inf
    for candidate, (labels, score) in zip(candidates, results, strict=True):
        curve.append((candidate, round(score, 4)))
        if best is None or score > best_score:
            best, best_score = (candidate, labels), score
    chosen, labels = best if best is not None else (1, np.zeros(n_docs, dtype=int))
    if sampled:
        labels = _fit_kmeans(space, chosen, scalable=True, random_state=random_state)
    return space, coordinates, labels, curve


def cluster_documents(
    corpus: pd.DataFrame,
    *,
    k: int | None = None,
    max_k: int = 12,
    concepts: bool = True,
    concept_weight: float = 1.0,
    top_n: int = 8,
    random_state: int = 0,
    scalable_threshold: int = SCALABLE_THRESHOLD,
    hashed: sp.csr_matrix | None = None,
    n_jobs: int | None = None,
) -> Clustering:
    """Cluster the documents by topic, choosing k by silhouette, the same way on every run.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame (annotated by :func:`annotate_documents` or not).
    k : int, optional
        Force the number of clusters; default: the best cosine silhouette over
        2 .. min(n_documents - 1, ``max_k``).
    max_k : int, default 12
        Largest k tried.
    concepts : bool, default True
        Use the partner and theme tags as language-neutral features.
    concept_weight : float, default 1.0
        Weight of the concept features against the words.
    top_n : int, default 8
        Top terms kept per cluster.
    random_state : int, default 0
        Seed of k-means, the SVD and the silhouette sample.
    scalable_threshold : int, default 1000
        From this many documents on, the scalable path is used.
    hashed : scipy.sparse.csr_matrix, optional
        The texts' hashed TF-IDF (:func:`hashed_words`), when already computed.
    n_jobs : int, optional
        Processes for tagging and hashing, threads for the SVD and the candidate k;
        default every core available.

    Returns
    -------
    Clustering
        Labels, map coordinates, silhouette curve, top terms, sizes and typical documents.

    Raises
    ------
    ValueError
        For an empty corpus, or a ``k`` larger than the number of documents.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> result = cluster_documents(load_corpus())
    >>> result.k, result.method
    (3, 'kmeans')
    """
    n_jobs = available_cores(n_jobs)
    n_docs = len(corpus)
    if n_docs == 0:
        raise ValueError("no documents to cluster")
    if k is not None and not 1 <= k <= n_docs:
        raise ValueError(f"k={k} is not valid for {n_docs} documents; choose 1 <= k <= {n_docs}")
    scalable = n_docs >= scalable_threshold
    # one BLAS/OpenMP thread: these are many small products, and with more threads than free
    # cores the threads spin-wait (4x the CPU time on a busy machine, same labels). Set before
    # the texts are hashed: after a fork OpenBLAS starts its threads again at the first limit
    # and they spin for a tenth of a second (0.2 CPU s); the hashing's fork stops them.
    with _thread_pools().limit(limits=1):
        if scalable and hashed is None:
            hashed = _hashed_tfidf(corpus["text"], n_jobs=n_jobs, copy=False)
        # the words naming the clusters of the hashed path are read meanwhile, by another thread:
        # this one builds the matrix and reduces it, then shares the candidate k out
        sample = _sampled_words(corpus, random_state, n_jobs) if scalable else nullcontext()
        with sample as words:
            X, names, annotated = document_matrix(
                corpus,
                concepts=concepts,
                concept_weight=concept_weight,
                scalable=scalable,
                hashed=hashed,
                n_jobs=n_jobs,
            )
            space, coordinates, labels, curve = _fit_clusters(
                X, k=k, max_k=max_k, scalable=scalable, random_state=random_state, n_jobs=n_jobs
            )
            labels = _relabel_by_size(labels)
            if names is None:
                terms = _sampled_terms(corpus, labels, top_n, random_state, words)
    chosen = int(labels.max()) + 1  # k-means finds fewer clusters on identical documents
    centres = normalize(
        np.vstack([np.asarray(space[labels == c].mean(axis=0)).ravel() for c in range(chosen)])
    )
    similarity = np.asarray(
        (space.multiply(centres[labels]) if sp.issparse(space) else space * centres[labels]).sum(
            axis=1
        )
    ).ravel()
    documents = pd.DataFrame(
        {
            "doc_id": corpus["doc_id"].to_numpy(),
            "cluster": labels,
            "x": np.round(coordinates[:, 0], 4),
            "y": np.round(coordinates[:, 1], 4),
            "dyad": annotated["dyad"].to_numpy() if "dyad" in annotated else None,
            "similarity": np.round(similarity, 4),
        }
    )
    if names is not None:
        # concept features ("theme:defence") are ranked with the words but not listed as terms
        terms = _top_terms(X, labels, np.asarray(names, dtype=object), top_n + 20)
        terms = terms[~terms["term"].str.contains(":", regex=False)].copy()
        terms["rank"] = terms.groupby("cluster").cumcount() + 1
        terms = terms[terms["rank"] <= top_n]
    return Clustering(
        documents=documents,
        silhouette=pd.DataFrame(curve, columns=["k", "silhouette"]),
        terms=terms.reset_index(drop=True),
        sizes=_sizes(documents, terms, annotated),
        k=chosen,
        method="minibatch-lsa" if scalable else "kmeans",
        concepts=concepts,
    )


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0, 1, ... by decreasing size, ties by first document: stable output."""
    values, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(values)), key=lambda i: (-counts[i], first[i]))
    mapping = {values[i]: new for new, i in enumerate(order)}
    return np.array([mapping[v] for v in labels], dtype=int)


def _sample_words(texts: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """TF-IDF words of the texts that name the clusters, and their names.

    :func:`make_vectorizer`'s unigrams, seen in two texts or more (at most 50,000
    words), bit for bit; the words are counted as :func:`hash_counts` counts them (each
    distinct word read once, :func:`_count_block`), over a vocabulary instead of hashed
    columns. Texts this cannot read, and more than 50,000 such words (which of equally
    frequent words the vectoriser keeps is its own choice), go through the vectoriser.
    """
    counts, names = _vocabulary_counts(texts)
    if counts is not None:
        kept = np.flatnonzero(np.bincount(counts.indices, minlength=len(names)) >= 2)
        if 0 < len(kept) <= _SAMPLE_WORDS:
            matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, kept])
            return matrix, names[kept]
    vectorizer = make_vectorizer(ngram_range=(1, 1), min_df=2, max_features=_SAMPLE_WORDS)
    return vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()


def _vocabulary_counts(texts: list[str]) -> tuple[sp.csr_matrix | None, np.ndarray]:
    """Count the texts' words (:func:`content_words`), columns in the words' sorted order.

    As ``CountVectorizer`` counts them (float32); None when :func:`_count_block` cannot
    read a block or a text is not a ``str``.
    """
    vocabulary = _Vocabulary()
    runs = _Runs(vocabulary.columns_of)
    blocks = []
    if texts and all(type(text) is str for text in texts):
        width = np.iinfo(np.int32).max  # numbered as met; the vocabulary's size is known after
        blocks = [_count_block(block, runs, width) for block in _text_blocks(texts)]
    if not blocks or any(block is None for block in blocks):
        return None, np.zeros(0, dtype=object)
    names = np.array(list(vocabulary), dtype=object)
    order = np.argsort(names)  # sorted as the vectoriser sorts its vocabulary
    column = np.empty(len(order), dtype=np.int32)
    column[order] = np.arange(len(order), dtype=np.int32)
    counts = sp.vstack(blocks, format="csr")
    counts = sp.csr_matrix(
        (counts.data, column[counts.indices], counts.indptr), shape=(len(texts), len(names))
    )
    counts.sort_indices()
    return counts, names[order]


@contextmanager
def _sampled_words(
    corpus: pd.DataFrame, random_state: int, n_jobs: int
) -> Iterator[Callable[[], tuple[sp.csr_matrix, np.ndarray]]]:
    """Give a function returning :func:`_sample_words` of the terms sample.

    With ``n_jobs`` > 1 the words are read by another thread, started once the texts
    are hashed, while this one builds the matrix and reduces it (much of both outside
    the GIL: Arrow and NumPy steps, sparse products). A process would cost a fork, and
    OpenBLAS's threads would start again in this one after it (:func:`cluster_documents`).
    """
    texts = corpus["text"].iloc[terms_sample(len(corpus), random_state)].tolist()
    if n_jobs <= 1:
        yield lambda: _sample_words(texts)
        return
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(_sample_words, texts)
        yield future.result


def _sampled_terms(
    corpus: pd.DataFrame,
    labels: np.ndarray,
    top_n: int,
    random_state: int,
    words: Callable[[], tuple[sp.csr_matrix, np.ndarray]] | None = None,
) -> pd.DataFrame:
    take = terms_sample(len(corpus), random_state)
    if words is None:
        matrix, names = _sample_words(corpus["text"].iloc[take].tolist())
    else:
        matrix, names = words()
    return _top_terms(matrix, labels[take], names, top_n)


def terms_sample(n_docs: int, random_state: int = 0) -> np.ndarray:
    """Rows whose texts name the clusters on the scalable path (a seeded sample).

    Parameters
    ----------
    n_docs : int
        Documents in the corpus.
    random_state : int, default 0
        The clustering's seed.

    Returns
    -------
    numpy.ndarray
        Sorted row positions: every row up to ``TERMS_SAMPLE`` documents.

    Examples
    --------
    >>> terms_sample(3).tolist()
    [0, 1, 2]
    """
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_docs, size=min(n_docs, TERMS_SAMPLE), replace=False))


def cluster_sizes(clustering: Clustering, annotated: pd.DataFrame) -> pd.DataFrame:
    """Each cluster's documents, events, top terms and typical documents.

    Parameters
    ----------
    clustering : Clustering
        From :func:`cluster_documents`.
    annotated : pandas.DataFrame
        The same documents; with an ``event`` column (:func:`group_events`) the events
        of each cluster are counted, else they are NA.

    Returns
    -------
    pandas.DataFrame
        ``cluster``, ``documents``, ``events``, ``top_terms``, ``typical``: the
        clustering's ``sizes`` table.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> docs = annotate_topics(load_corpus())
    >>> cluster_sizes(cluster_documents(docs), docs)["events"].tolist()
    [1, 2, 1]
    """
    return _sizes(clustering.documents, clustering.terms, annotated)


def _sizes(documents: pd.DataFrame, terms: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    events = annotated["event"].to_numpy() if "event" in annotated else None
    frame = documents.assign(event=events)
    rows = []
    for cluster, group in frame.groupby("cluster", sort=True):
        typical = group.sort_values(["similarity", "doc_id"], ascending=[False, True])
        rows.append(
            (
                cluster,
                len(group),
                group["event"].nunique() if events is not None else pd.NA,
                ", ".join(terms.loc[terms["cluster"] == cluster, "term"].head(5)),
                ", ".join(typical["doc_id"].head(3)),
            )
        )
    return pd.DataFrame(rows, columns=["cluster", "documents", "events", "top_terms", "typical"])


@dataclass(frozen=True)
class Topics:
    """What :func:`fit_topics` returns: ``terms`` (topic, rank, term, weight) and ``weights``."""

    terms: pd.DataFrame
    weights: pd.DataFrame


def fit_topics(
    corpus: pd.DataFrame,
    *,
    n_topics: int = 5,
    top_n: int = 8,
    random_state: int = 0,
    max_documents: int = 10_000,
) -> Topics:
    """NMF topics: top terms per topic and document-topic weights (documents can mix topics).

    NMF is fitted on at most ``max_documents`` documents (a seeded sample; it is slow
    beyond that) and then applied to all.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    n_topics : int, default 5
        Number of topics; lowered to the number of documents on tiny corpora.
    top_n : int, default 8
        Terms listed per topic.
    random_state : int, default 0
        Seed.
    max_documents : int, default 10000
        Documents used to fit.

    Returns
    -------
    Topics
        ``terms`` and ``weights`` (``doc_id`` then one column per topic, rows summing to 1
        where a document has any weight).

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> topics = fit_topics(load_corpus(), n_topics=3)
    >>> list(topics.weights.columns)
    ['doc_id', 'topic_0', 'topic_1', 'topic_2']
    """
    n_topics = max(1, min(n_topics, len(corpus)))
    vectorizer = make_vectorizer(ngram_range=(1, 1))
    texts = corpus["text"].tolist()
    rng = np.random.default_rng(random_state)
    fit_rows = (
        np.sort(rng.choice(len(texts), max_documents, replace=False))
        if len(texts) > max_documents
        else np.arange(len(texts))
    )
    fitted = vectorizer.fit_transform([texts[i] for i in fit_rows])
    model = NMF(n_components=n_topics, init="nndsvda", random_state=random_state, max_iter=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # sqrt of a zero residual, one document
        model.fit(fitted)
        weights = model.transform(vectorizer.transform(texts))
    names = vectorizer.get_feature_names_out()
    rows = []
    for topic, component in enumerate(model.components_):
        order = np.lexsort((names, -component))[:top_n]
        rows += [
            (topic, rank, names[i], round(float(component[i]), 4))
            for rank, i in enumerate(order, start=1)
        ]
    totals = weights.sum(axis=1, keepdims=True)
    shares = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    table = pd.DataFrame(np.round(shares, 3), columns=[f"topic_{i}" for i in range(n_topics)])
    table.insert(0, "doc_id", corpus["doc_id"].to_numpy())
    return Topics(pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"]), table)


def annotate_topics(corpus: pd.DataFrame, **options: object) -> pd.DataFrame:
    """Add ``event``, ``event_size``, ``format`` and ``cluster`` columns to the corpus frame.

    Runs :func:`group_events` then :func:`cluster_documents` (whose ``options`` it
    takes), tagging first when the frame is not annotated yet.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame; it is not modified.
    **options
        Passed to :func:`cluster_documents` (``k``, ``concepts``, ``random_state``, ...).

    Returns
    -------
    pandas.DataFrame
        A copy with the columns added.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> annotate_topics(load_corpus())["event"].nunique()
    4
    """
    n_jobs = available_cores(options.get("n_jobs"))  # type: ignore[arg-type]
    annotated = _ensure_annotated(corpus, n_jobs)
    hashed = shared_hashed_words(annotated, options, n_jobs=n_jobs)
    clustering = cluster_documents(annotated, hashed=hashed, **options)
    # the hashed words are this call's own: normalised in place for the events, no copy
    events = group_events(
        annotated, words=None if hashed is None else normalize(hashed, copy=False), n_jobs=n_jobs
    )
    return annotated.assign(
        event=events["event"].to_numpy(),
        event_size=events["event_size"].to_numpy(),
        format=events["format"].to_numpy(),
        cluster=clustering.documents["cluster"].to_numpy(),
    )


def shared_hashed_words(
    corpus: pd.DataFrame, options: dict[str, object], *, n_jobs: int | None = None
) -> sp.csr_matrix | None:
    """Hash the words once when both events and clustering take the scalable path.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``text``.
    options : dict
        The options given to :func:`cluster_documents` (``scalable_threshold``).
    n_jobs : int, optional
        Processes; default every core available.

    Returns
    -------
    scipy.sparse.csr_matrix or None
        :func:`hashed_words`, or None below the scalable size (each stage then builds
        its own vocabulary).

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> shared_hashed_words(load_corpus(), {}) is None
    True
    """
    n_jobs = available_cores(n_jobs)
    threshold = int(options.get("scalable_threshold", SCALABLE_THRESHOLD))  # type: ignore[arg-type]
    if len(corpus) < max(threshold, SCALABLE_THRESHOLD):
        return None
    return hashed_words(corpus, n_jobs=n_jobs)
