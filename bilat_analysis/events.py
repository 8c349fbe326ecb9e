"""Same-meeting events: give the reports of one meeting a shared ``event`` id.

Two documents report the same meeting when they are about the same dyad, their dates
are close, their meeting formats and hosts do not contradict each other, and their
content agrees:

- in the **same language**, by the cosine of their word TF-IDF vectors;
- in **any two languages** (where two reports may share almost no words), by the
  cosine of their *evidence* vectors: language-neutral features that a report in any
  language carries — the themes, the third partners, the meeting format, the host,
  the officials' names keyed the same in every script (Лавров = Lavrov), and the
  numbers written in the text (Arabic-Indic digits read as digits; years and small
  numbers left out) — on the same or the next day, two reports being joined only
  when each is the other's best match in its language (mutual best: a report has
  at most one such counterpart per language, so a busy dyad does not chain all its
  reports of one week into one event); two reports in one language joined this way
  also need half the word cosine.

Only candidates are compared, and only their similarities are computed. Within a
dyad (and, for the word cosine, a language), documents are sorted by date; those with
no other within ``max_days`` are left out, the others cut into cells of one day where
a dyad has many reports a day (else of ``max_days + 1`` days), and a block of cells
meets its window in one sparse product in which each cell has its own copy of the
feature space: a document meets the documents of its own cell and of the next cells
up to ``max_days`` later, never those of other dyads or weeks. The work
grows with the corpus times the number of reports per few days, not with the square of
a dyad's size, and the blocks are shared among ``n_jobs`` processes. The few hundred
words nearly every report has are left out of the word sweep, their share of a cosine
bounded instead (an exact filter: the pairs that might reach the threshold are then
computed in full, to the same float32 values). Undated documents
are compared only with the documents that share one of their most distinctive words
(an inverted index whose long posting lists are dropped), never with all the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from bilat_analysis.dyads import annotate_documents
from bilat_analysis.officials import name_key, tag_officials
from bilat_analysis.parallel import (
    CHUNKS_PER_JOB,
    available_cores,
    collector_paused,
    map_chunks,
)
from bilat_analysis.tagging import PARTNER_MENTION_COLUMNS, tag_formats

EVENT_COLUMNS = ["doc_id", "event", "event_size", "format"]

EVENT_THRESHOLD = 0.3  # word cosine for two reports in one language
SAME_LANGUAGE_EVIDENCE_WORDS = 0.5  # in one language, evidence joins need half the word cosine too
EVIDENCE_THRESHOLD = 0.3  # evidence cosine for two reports in different languages
UNDATED_EVENT_THRESHOLD = 0.6  # word cosine when either report is undated
EVENT_MAX_DAYS = 3
EVIDENCE_MAX_DAYS = 1  # reports joined on evidence alone: the same or the next day
PAIR_BLOCK = 4096  # documents compared at once with the documents of their window
MAX_BLOCK_PAIRS = 20_000_000  # pairs one block may compare at most
DAY_CELL_DOCS = 8  # documents a day in a group from which its cells are of one day
LANES = 32  # copies of the feature space in one product: one per cell of the block
PARALLEL_BLOCKS = 16  # blocks of the sweep worth sharing among processes
UNDATED_TERMS = 8  # distinctive words per undated document used to find candidates
POSTING_CAP = 50  # a word shared by more undated documents of a dyad finds no candidates
COMMON_SHARE = 0.8  # the common columns of a row hold at most this share of the minimum product
CANDIDATE_SLACK = 1e-3  # below the minimum, for the bounds' float32 rounding
SAMPLE = 1_000_000  # entries counted to rank the columns by frequency
LEVEL_STEPS = 4  # levels of columns per doubling of their rank
LEVELS = 49  # the last level holds every column from the rank 2 ** 12 on
DOT_PAIRS_AT_ONCE = 8192  # pairs whose dot products are computed at once
NORM_ROWS = 4096  # rows whose norms over the common columns are summed at once

_NUMBER = re.compile(r"\d\d+(?:[.,]\d+)*")
NUMBERS_PREFIX = 1500  # characters searched for numbers: the lead states the key figures
LEADS_AT_ONCE = 10_000  # texts whose leads are held as Python strings at once


def main_formats(corpus: pd.DataFrame, formats: pd.DataFrame | None = None) -> pd.Series:
    """Find the meeting format each document is mainly about: the most named, then the first.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    formats : pandas.DataFrame, optional
        From :func:`bilat_analysis.tagging.tag_formats`; computed when not given.

    Returns
    -------
    pandas.Series
        Indexed by doc_id; None where no format is named.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> main_formats(load_corpus()).tolist()[:3]
    ['foreign_office_consultations', 'foreign_office_consultations', 'thematic_dialogue']
    """
    formats = tag_formats(corpus) if formats is None else formats
    chosen = {}
    if not formats.empty:
        counts = formats.groupby(["doc_id", "format"], sort=False).agg(
            n=("start", "size"), first=("start", "min")
        )
        counts = counts.reset_index().sort_values(
            ["doc_id", "n", "first"], ascending=[True, False, True]
        )
        chosen = dict(counts.drop_duplicates("doc_id")[["doc_id", "format"]].to_numpy().tolist())
    return pd.Series(
        [chosen.get(d) for d in corpus["doc_id"].tolist()],
        index=corpus["doc_id"],
        name="format",
        dtype=object,
    )


def _missing(value: object) -> bool:
    """Tell None, NaN and NA apart from a value (pandas 3 gives NaN for a missing string)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str | tuple | list | dict):
        return False
    return bool(pd.isna(value))


def _numbers(text: str) -> list[str]:
    """Numbers in the lead (any script's digits), without years and numbers up to 31."""
    found = []
    for number in _NUMBER.findall(text, 0, NUMBERS_PREFIX):
        digits = number.replace(".", "").replace(",", "")
        if not digits.isascii():  # Arabic-Indic and other digits, read as digits
            digits = "".join(str(unicodedata.digit(ch)) for ch in digits)
        value = int(digits[:12]) if digits else 0
        if value > 31 and not 1900 <= value <= 2100:
            found.append(digits)
    return found


def _leads(texts: pd.Series) -> list[str]:
    """Cut each text to its first ``NUMBERS_PREFIX`` characters (in Arrow when stored there)."""
    dtype = texts.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return pc.utf8_slice_codeunits(pa.array(texts), 0, NUMBERS_PREFIX).to_pylist()
    return [text[:NUMBERS_PREFIX] for text in texts.tolist()]


def _lead_numbers(texts: pd.Series, positions: Sequence[int]) -> list[list[str]]:
    """Numbers of the texts at these consecutive positions, ``LEADS_AT_ONCE`` leads at a time.

    Only the leads of one slice are Python strings at once: all the leads of a large
    corpus would take hundreds of megabytes, allocated afresh on every call.
    """
    if not len(positions):
        return []
    found = []
    stop = positions[-1] + 1
    for start in range(positions[0], stop, LEADS_AT_ONCE):
        leads = _leads(texts.iloc[start : min(start + LEADS_AT_ONCE, stop)])
        found.extend(_numbers(lead) for lead in leads)
    return found


@collector_paused()  # a dict of features per document: no collection while they are made
def evidence_features(
    annotated: pd.DataFrame,
    formats: list[object],
    officials: pd.DataFrame | None = None,
    *,
    n_jobs: int | None = None,
) -> sp.csr_matrix:
    """Language-neutral evidence of what a report is about, as unit rows (TF-IDF weighted).

    Features: ``theme:``, third ``partner:`` (not the dyad's own), ``format:``,
    ``host:``, ``official:`` (a key that is the same in every script, see
    :func:`bilat_analysis.officials.name_key`) and ``number:``.

    Parameters
    ----------
    annotated : pandas.DataFrame
        From :func:`bilat_analysis.dyads.annotate_documents`.
    formats : list
        Each document's main format (or None).
    officials : pandas.DataFrame, optional
        From :func:`bilat_analysis.officials.tag_officials`; when not given, the
        ``officials`` column of ``annotated`` is read.
    n_jobs : int, optional
        Processes reading the numbers on large corpora; default every core available.

    Returns
    -------
    scipy.sparse.csr_matrix
        One L2-normalised row per document.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> seeds = annotate_documents(load_corpus())
    >>> evidence_features(seeds, [None] * 5, tag_officials(seeds)).shape[0]
    5
    >>> (evidence_features(seeds, [None] * 5) != evidence_features(seeds, [None] * 5,
    ...     tag_officials(seeds))).nnz
    0
    """
    n_jobs = available_cores(n_jobs)
    people: dict[str, set[str]] = defaultdict(set)
    keys: dict[str, str] = {}
    if officials is None:
        named = [
            (doc_id, official)
            for doc_id, counts in zip(
                annotated["doc_id"].tolist(), annotated["officials"].tolist(), strict=True
            )
            for official in counts
        ]
    else:
        named = zip(officials["doc_id"].tolist(), officials["official"].tolist(), strict=True)
    for doc_id, official in named:
        key = keys.get(official)
        if key is None:
            key = keys[official] = name_key(official)
        if len(key) > 1:
            people[doc_id].add(key)
    texts = annotated["text"]  # the numbers are read in the leads, by position
    numbers = [
        found
        for part in map_chunks(_lead_numbers, range(len(texts)), payload=texts, n_jobs=n_jobs)
        for found in part
    ]
    rows = []
    for doc_id, found, dyad, host, partners, themes, fmt in zip(
        annotated["doc_id"].tolist(),
        numbers,
        annotated["dyad"].tolist(),
        annotated["host"].tolist(),
        annotated["partners"].tolist(),
        annotated["themes"].tolist(),
        formats,
        strict=True,
    ):
        own = set(dyad) if not _missing(dyad) else set()
        # features in a fixed order (the order of the sums in the dot products)
        row = {f"theme:{t}": n for t, n in themes.items()}
        row.update((f"partner:{p}", n) for p, n in partners.items() if p not in own)
        # sorted: the same order whichever way the officials came
        row.update((f"official:{k}", 1) for k in sorted(people.get(doc_id, ())))
        row.update((f"number:{n}", 1) for n in set(found))
        if not _missing(fmt):
            row[f"format:{fmt}"] = 1
        if not _missing(host):
            row[f"host:{host}"] = 1
        rows.append(row)
    from bilat_analysis.topics import weighted_features  # topics imports this module

    weighted, _ = weighted_features(rows)
    if weighted.shape[1] == 0:
        return weighted
    return normalize(weighted).astype(np.float32).tocsr()


def _has_officials(annotated: pd.DataFrame) -> bool:
    return "officials" in annotated.columns and all(
        isinstance(v, dict) for v in annotated["officials"].tolist()
    )


def _word_vectors(texts: pd.Series, n_jobs: int) -> sp.csr_matrix:
    from bilat_analysis.topics import SCALABLE_THRESHOLD, _hashed_tfidf, make_vectorizer

    if not len(texts):
        return sp.csr_matrix((0, 0), dtype=np.float32)
    if len(texts) >= SCALABLE_THRESHOLD:
        # the clustering's hashed words when it ran on these texts (normalised into a copy)
        return normalize(_hashed_tfidf(texts, n_jobs=n_jobs, copy=False))
    try:
        return normalize(make_vectorizer(ngram_range=(1, 1)).fit_transform(texts.tolist())).tocsr()
    except ValueError:  # no word at all (numbers only, or every word a stop word)
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)


def _swept_rows(matrix: sp.csr_matrix, rows: np.ndarray, column: np.ndarray) -> sp.csr_matrix:
    """Read the rows over the columns numbered by ``column`` (-1: left out), in their order.

    ``NORM_ROWS`` rows at a time, into the arrays of the result (allocated for all the
    rows' entries: the pages left unwritten cost nothing); a copy of all the rows and
    its temporaries (hundreds of megabytes for 200,000 articles) would be fresh pages
    of memory at every call.
    """
    most = int(np.diff(matrix.indptr)[rows].sum())
    data = np.empty(most, dtype=matrix.dtype)
    indices = np.empty(most, dtype=matrix.indices.dtype)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for start in range(0, len(rows), NORM_ROWS):
        part = matrix[rows[start : start + NORM_ROWS]]
        number = column[part.indices]
        # the entries kept, by position: with about half of them kept, at random, taking
        # them was 5-6 times faster than a boolean mask's copy (1.5 against 9.9 ms a part)
        keep = np.flatnonzero(number >= 0)
        row = np.repeat(np.arange(part.shape[0]), np.diff(part.indptr))
        at = indptr[start]
        ends = at + np.cumsum(np.bincount(row.take(keep), minlength=part.shape[0]))
        indptr[start + 1 : start + 1 + part.shape[0]] = ends
        np.take(part.data, keep, out=data[at : ends[-1]])
        np.take(number, keep, out=indices[at : ends[-1]])
    return sp.csr_matrix(
        (data[: indptr[-1]], indices[: indptr[-1]], indptr),
        shape=(len(rows), max(int(column.max()) + 1, 1)),
    )


def _in_lanes(
    matrix: sp.csr_matrix, rows: np.ndarray | slice, lanes: np.ndarray, n_lanes: int
) -> sp.csr_matrix:
    """Rows of ``matrix``, each moved to its lane: columns ``lane * width + column``."""
    part = matrix[rows]
    width = matrix.shape[1]
    shift = np.repeat(lanes.astype(np.int64) * width, np.diff(part.indptr))
    return sp.csr_matrix(
        (part.data, part.indices + shift, part.indptr), shape=(part.shape[0], width * n_lanes)
    )


def _window_pairs(
    matrix: sp.csr_matrix,
    group: np.ndarray,
    days: np.ndarray,
    max_days: int,
    minimum: float,
    n_jobs: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the dated pairs of a group, at most ``max_days`` apart, with a dot product >= minimum.

    Returns ``(first, second, similarity)``, ``first`` the earlier of the two by
    (group, date, position). Only those pairs cost work. Documents with no other of
    their group within ``max_days`` are left out; the others are sorted by group and
    date and cut into cells: of one day in a group with ``DAY_CELL_DOCS`` documents a
    day or more, else of ``max_days + 1`` days. A block of up to ``LANES`` cells is
    compared with its window in one sparse product in which each cell has its own copy
    of the feature space (its lane) and each document of the window a copy in the lane
    of each cell of the block it can meet (its group's cells whose days come within
    ``max_days`` of its cell's): a document meets the documents of its own cell and of
    the next cells of its group up to ``max_days`` later, and no other. Cells of one day
    in a busy group spare most of the products of pairs too far apart (a cell of
    ``max_days + 1`` days meeting the next cell computes about twice the pairs it keeps); in
    a sparse group they would make a block of few documents. The products are summed
    term by term in the same order as ``matrix[i] @ matrix[j].T``.

    With a positive ``minimum``, the most common columns (a few hundred words that
    nearly every document has, most of the work of the product) are left out of the
    sweep: their part of a dot product is at most the product of the two rows' norms
    over them (Cauchy-Schwarz), and they are chosen so that this bound stays below the
    minimum (:func:`_sweep_columns`). A pair of the window is then a candidate when
    its product over the other columns plus that bound reaches the minimum (less
    ``CANDIDATE_SLACK``); a pair sharing none of the other columns cannot. Only the
    candidates' full products are computed (:func:`_pair_dots`, the same float32 sums).
    An exact filter (Bayardo et al. 2007 prune on the same bound); the pairs found and
    their values are those of the full sweep.
    """
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, np.float32))
    dated = np.flatnonzero(~np.isnan(days))
    if len(dated) < 2 or matrix.shape[1] == 0:
        return empty
    order = dated[np.lexsort((days[dated], group[dated]))]
    keys = group[order] * 1e6 + days[order]
    position = np.arange(len(order))
    alone = (np.searchsorted(keys, keys + max_days, side="right") == position + 1) & (
        np.searchsorted(keys, keys - max_days, side="left") == position
    )
    order, keys = order[~alone], keys[~alone]
    if len(order) < 2:
        return empty
    sorted_group = group[order]
    day = np.floor(days[order]).astype(np.int64)
    # cells of one day in a group with many documents a day, else of max_days + 1 days
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = sorted_group[1:] != sorted_group[:-1]
    new_day = new_group.copy()
    new_day[1:] |= day[1:] != day[:-1]
    in_group = np.diff(np.append(np.flatnonzero(new_group), len(order)))
    per_day = in_group / np.add.reduceat(new_day, np.flatnonzero(new_group))
    width = np.where(per_day >= DAY_CELL_DOCS, 1, max_days + 1)
    width = np.repeat(width, in_group)
    bucket = day // width
    new_cell = new_group.copy()
    new_cell[1:] |= bucket[1:] != bucket[:-1]
    cell = np.cumsum(new_cell) - 1
    bounds = np.append(np.flatnonzero(new_cell), len(order))  # cell k: [bounds[k], bounds[k+1])
    blocks = []
    start = 0
    while start < len(order):
        stop = bounds[min(cell[start] + LANES, len(bounds) - 1)]
        stop = min(stop, start + PAIR_BLOCK)
        reach = int(np.searchsorted(keys, keys[stop - 1] + max_days, side="right"))
        while stop - start > 1 and (stop - start) * (reach - start) > MAX_BLOCK_PAIRS:
            stop = start + (stop - start) // 2
            reach = int(np.searchsorted(keys, keys[stop - 1] + max_days, side="right"))
        blocks.append((start, int(stop), reach))
        start = int(stop)
    # the swept rows only, by sorted position; the common columns are left out, bounded
    # by the rows' norms over them
    column, bound = _sweep_columns(matrix, order, minimum)
    swept = _swept_rows(matrix, order, column)
    candidate = minimum - CANDIDATE_SLACK if bound.any() else minimum
    sweep = _Sweep(
        swept,
        order,
        cell,
        sorted_group[bounds[:-1]],
        (bucket * width)[bounds[:-1]],
        (bucket * width + width - 1)[bounds[:-1]],
        days,
        max_days,
        candidate,
        bound,
    )
    # the blocks dealt like cards among the chunks of map_chunks, each chunk a sample of
    # the whole sweep: in the order of the sweep, the blocks of the busiest groups come
    # together, and one process had some 17% more work than the other (200,000 articles)
    dealt = np.argsort(np.arange(len(blocks)) % (CHUNKS_PER_JOB * n_jobs), kind="stable")
    parts = map_chunks(
        _block_pairs,
        [blocks[k] for k in dealt],
        payload=sweep,
        n_jobs=n_jobs,
        min_texts=PARALLEL_BLOCKS,
    )
    in_dealt_order = [pairs for part in parts for pairs in part]
    found = [in_dealt_order[k] for k in np.argsort(dealt)]  # back in the order of the sweep
    first, second, value = (np.concatenate(x) for x in zip(*found, strict=True))
    if minimum <= 0:  # pairs sharing no feature count too: every pair of the window
        return _every_pair(order, keys, max_days, n_docs=len(days), found=(first, second, value))
    if bound.any():  # candidates: their full products decide
        value = _pair_dots(matrix, first, second, n_jobs)
        keep = value >= minimum
        first, second, value = first[keep], second[keep], value[keep]
    return first, second, value


def _sweep_columns(
    matrix: sp.csr_matrix, rows: np.ndarray, minimum: float
) -> tuple[np.ndarray, np.ndarray]:
    """Give the columns the sweep reads their numbers, leaving out the most common ones.

    Columns are ranked by how many rows hold them (counted on a sample of the entries)
    and taken in levels (``LEVEL_STEPS`` levels per doubling of the rank): as many
    levels as keep every row's squared norm over them at most ``COMMON_SHARE *
    minimum`` (and below ``minimum - 2 * CANDIDATE_SLACK``), so that two rows sharing
    only such columns cannot reach the minimum. The rows are read ``NORM_ROWS`` at a
    time: a table of them all, or a float64 copy of their entries, would be among the
    largest arrays of the sweep (fresh pages of memory at every call).

    Returns
    -------
    tuple
        Each column's number in the sweep, in the columns' order (-1: left out, or held
        by none of ``rows``), and the norm of each of ``rows`` over the columns left out
        (float64; all zeros when none is).
    """
    used = np.zeros(matrix.shape[1], dtype=bool)
    bound = np.zeros(len(rows))
    limit = min(COMMON_SHARE * minimum, minimum - 2 * CANDIDATE_SLACK)
    level = None
    if limit > 0 and matrix.nnz:
        held = np.bincount(matrix.indices[:: -(-matrix.nnz // SAMPLE)], minlength=matrix.shape[1])
        rank = np.empty(matrix.shape[1], dtype=np.int64)
        rank[np.argsort(-held, kind="stable")] = np.arange(matrix.shape[1])
        level = np.minimum(LEVEL_STEPS * np.log2(rank + 1), LEVELS - 1).astype(np.int8)
    parts = []
    for start in range(0, len(rows), NORM_ROWS):
        part = matrix[rows[start : start + NORM_ROWS]]
        used[part.indices] = True
        if level is not None:
            # each row's squared norm over the first k + 1 levels: it grows with k, so
            # the levels that fit come first (never all of them: they hold a row's
            # whole norm); of each part, only the levels that fit all its rows are kept
            reached = _level_norms(part, level)
            fit = min(int((reached.max(axis=0) <= limit).sum()), reached.shape[1] - 1)
            parts.append(reached[:, :fit].copy())
    low = min((part.shape[1] for part in parts), default=0)
    if low:
        used &= level >= low
        bound = np.sqrt(np.concatenate([part[:, low - 1] for part in parts]))
    number = np.cumsum(used) - 1
    number[~used] = -1
    return number.astype(matrix.indices.dtype), bound


def _level_norms(part: sp.csr_matrix, level: np.ndarray) -> np.ndarray:
    """Each row's squared norm over the columns of the first k + 1 levels (float64)."""
    n_levels = int(level.max()) + 1
    squared = part.data.astype(np.float64)
    squared *= squared
    row = np.repeat(np.arange(part.shape[0]), np.diff(part.indptr))
    cells = row * n_levels + level[part.indices]  # level: one byte a column
    table = np.bincount(cells, weights=squared, minlength=part.shape[0] * n_levels)
    return np.cumsum(table.reshape(-1, n_levels), axis=1)


class _Sweep(NamedTuple):
    matrix: sp.csr_matrix  # the swept rows by sorted position, over their used columns only
    order: np.ndarray  # documents by group and date
    cell: np.ndarray  # each sorted document's cell (its group and day)
    cell_group: np.ndarray  # each cell's group
    cell_first: np.ndarray  # each cell's first day
    cell_last: np.ndarray  # each cell's last day
    days: np.ndarray
    max_days: int
    minimum: float  # a pair is kept when its product plus bound[a] * bound[b] reaches it
    bound: np.ndarray  # each sorted document's norm over the columns left out of the sweep


def _block_pairs(
    sweep: _Sweep, blocks: list[tuple[int, int, int]]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Find the pairs of each block of the sweep: rows [start, stop), window [start, reach)."""
    order, cell, days = sweep.order, sweep.cell, sweep.days
    found = []
    for start, stop, reach in blocks:
        # each document of the window has a copy in the lane of each cell of the
        # block it meets: its own cell and the cells of its group up to max_days before
        cols = np.arange(start, reach)
        first_cell, last_cell = cell[start], cell[stop - 1]
        rows, lanes = [], []
        for back in range(sweep.max_days + 1):
            target = cell[cols] - back
            meets = (target >= first_cell) & (target <= last_cell)
            meets[meets] = (
                sweep.cell_group[target[meets]] == sweep.cell_group[cell[cols[meets]]]
            ) & (
                sweep.cell_first[cell[cols[meets]]] - sweep.cell_last[target[meets]]
                <= sweep.max_days
            )
            rows.append(cols[meets])
            lanes.append(target[meets] - first_cell)
        right_rows = np.concatenate(rows)
        n_lanes = int(last_cell - first_cell) + 1
        left = _in_lanes(sweep.matrix, slice(start, stop), cell[start:stop] - first_cell, n_lanes)
        right = _in_lanes(sweep.matrix, right_rows, np.concatenate(lanes), n_lanes)
        product = left @ right.T
        if sweep.bound.any():  # a first cut with the largest bound of the window
            top = sweep.bound[start:reach].max()
            least = sweep.minimum - sweep.bound[start:stop] * top
            # the lowest row's first (one pass over the products), then each row's own
            hit = np.flatnonzero(product.data >= least.min())
            row = np.searchsorted(product.indptr, hit, side="right") - 1
            own = product.data[hit] >= least[row]
            hit, row = hit[own], row[own]
        else:
            hit = np.flatnonzero(product.data >= sweep.minimum)
            row = np.searchsorted(product.indptr, hit, side="right") - 1
        a = row + start
        b = right_rows[product.indices[hit]]
        value = product.data[hit]
        keep = (b > a) & (np.abs(days[order[a]] - days[order[b]]) <= sweep.max_days)
        if sweep.bound.any():
            keep &= value + sweep.bound[a] * sweep.bound[b] >= sweep.minimum
        found.append((order[a[keep]], order[b[keep]], value[keep]))
    return found


def _every_pair(
    order: np.ndarray,
    keys: np.ndarray,
    max_days: int,
    *,
    n_docs: int,
    found: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of a window, with the products ``found`` (0 for the others)."""
    reach = np.searchsorted(keys, keys + max_days, side="right")
    counts = reach - np.arange(len(keys)) - 1
    a = np.repeat(np.arange(len(keys)), counts)
    b = a + 1 + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    first, second = order[a], order[b]
    value = np.zeros(len(first), dtype=np.float32)
    known = _pair_keys(found[0], found[1], n_docs)
    sorter = np.argsort(known)
    wanted = _pair_keys(first, second, n_docs)
    at = np.minimum(np.searchsorted(known, wanted, sorter=sorter), max(len(known) - 1, 0))
    if len(known):
        hit = known[sorter[at]] == wanted
        value[hit] = found[2][sorter[at[hit]]]
    return first, second, value


def _undated_candidates(
    members: np.ndarray, groups: np.ndarray, words: sp.csr_matrix
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of undated documents of one dyad sharing one of their most distinctive words."""
    postings: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in members.tolist():
        start, end = words.indptr[i], words.indptr[i + 1]
        terms, weights = words.indices[start:end], words.data[start:end]
        for term in terms[np.argsort(-weights, kind="stable")[:UNDATED_TERMS]].tolist():
            postings[int(groups[i]), term].append(i)
    pairs = {
        (docs[a], b)
        for docs in postings.values()
        if 1 < len(docs) <= POSTING_CAP
        for a in range(len(docs))
        for b in docs[a + 1 :]
    }
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    array = np.array(sorted(pairs), dtype=np.int64)
    return array[:, 0], array[:, 1]


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _row_dots(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dot products of the rows ``first[k]`` and ``second[k]`` of a CSR matrix."""
    if len(first) == 0 or matrix.shape[1] == 0:
        return np.zeros(len(first), dtype=np.float32)
    return np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()


def _pair_dots(
    matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray, n_jobs: int = 1
) -> np.ndarray:
    """Find the dot products of rows ``first[k]`` and ``second[k]`` as the sparse product sums them.

    ``matrix[i] @ matrix[j].T`` adds the products term by term in the order of row
    ``i``'s stored entries, in the matrix's dtype; so does this, and the values are the
    same to the last bit (the sweeps of :func:`_window_pairs` and the pairs checked
    here agree). On sorted rows (a canonical matrix) the products of two rows come out
    of their element-wise product in that order, and a product with ones (in the same
    dtype) adds them one by one; other matrices are read through a dense buffer in
    the order of row ``i``'s entries (a column repeated within row ``j`` counts once).
    ``DOT_PAIRS_AT_ONCE`` pairs at a time, on ``n_jobs`` threads (scipy's sparse
    routines release the GIL).
    """
    values = np.zeros(len(first), dtype=matrix.dtype)
    if len(first) == 0 or matrix.shape[1] == 0:
        return values
    canonical = matrix.has_canonical_format
    ones = np.ones(matrix.shape[1], dtype=matrix.dtype)

    def fill(start: int) -> None:
        left = matrix[first[start : start + DOT_PAIRS_AT_ONCE]]
        right = matrix[second[start : start + DOT_PAIRS_AT_ONCE]]
        if canonical:
            left.has_canonical_format = right.has_canonical_format = True
            products = left.multiply(right).tocsr()
        else:
            products = _products_in_order(left, right)
        values[start : start + left.shape[0]] = products @ ones

    starts = range(0, len(first), DOT_PAIRS_AT_ONCE)
    if n_jobs > 1 and len(starts) > 1:
        with ThreadPoolExecutor(min(n_jobs, len(starts))) as pool:
            for done in [pool.submit(fill, start) for start in starts]:
                done.result()
    else:
        for start in starts:
            fill(start)
    return values


def _products_in_order(left: sp.csr_matrix, right: sp.csr_matrix) -> sp.csr_matrix:
    """Multiply the entries of ``left``'s rows by those of ``right``'s, in ``left``'s order."""
    columns = np.unique(right.indices)
    position = np.full(left.shape[1], -1, dtype=np.int64)
    position[columns] = np.arange(len(columns))
    width = max(len(columns), 1)
    rows_at_once = max(1, 2**22 // width)
    data = np.zeros(left.nnz, dtype=left.dtype)
    buffer = np.zeros((rows_at_once, width), dtype=right.dtype)
    for start in range(0, left.shape[0], rows_at_once):
        stop = min(start + rows_at_once, left.shape[0])
        lo, hi = right.indptr[start], right.indptr[stop]
        at = np.repeat(np.arange(stop - start), np.diff(right.indptr[start : stop + 1]))
        slots = position[right.indices[lo:hi]]
        buffer[at, slots] = right.data[lo:hi]  # these rows of `right`, dense
        lo, hi = left.indptr[start], left.indptr[stop]
        mine = np.repeat(np.arange(stop - start), np.diff(left.indptr[start : stop + 1]))
        found = position[left.indices[lo:hi]]
        seen = found >= 0
        data[lo:hi][seen] = left.data[lo:hi][seen] * buffer[mine[seen], found[seen]]
        buffer[at, slots] = 0
    return sp.csr_matrix((data, left.indices, left.indptr), shape=left.shape)


def _best_matches(
    pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]], language: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the evidence pairs in which each is the other's best match in its language.

    A report links to at most one counterpart per language, so evidence shared by
    many reports of a busy dyad cannot chain them all into one event. The best match
    of a report in a language is the most similar, the first in corpus order among
    equals.
    """
    first = np.concatenate([p[0] for p in pairs] or [np.zeros(0, dtype=np.int64)])
    second = np.concatenate([p[1] for p in pairs] or [np.zeros(0, dtype=np.int64)])
    similarity = np.concatenate([p[2] for p in pairs] or [np.zeros(0)])
    if len(first) == 0:
        return first, second
    # one key per report and language of its counterparts (language codes from -1)
    width = int(language.max()) + 2

    def key(doc: np.ndarray, other: np.ndarray) -> np.ndarray:
        return doc * width + language[other] + 1

    doc, other = np.concatenate([first, second]), np.concatenate([second, first])
    keys = key(doc, other)
    # by key, then each key's highest similarity and, among the pairs reaching it, the
    # first counterpart: one sort of integers (a sort by key, similarity and counterpart
    # took 0.12 s against 0.07 for the 122,435 evidence pairs of 200,000 articles)
    at = np.argsort(keys)
    keys, similarity, other = keys[at], np.concatenate([similarity, similarity])[at], other[at]
    head = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    top = np.repeat(np.maximum.reduceat(similarity, head), np.diff(np.append(head, len(at))))
    last = np.iinfo(other.dtype).max
    known = keys[head]
    best = np.minimum.reduceat(np.where(similarity == top, other, last), head)
    keep = (best[np.searchsorted(known, key(first, second))] == second) & (
        best[np.searchsorted(known, key(second, first))] == first
    )
    return first[keep], second[keep]


def _pair_keys(first: np.ndarray, second: np.ndarray, n_docs: int) -> np.ndarray:
    """One integer per unordered pair of documents."""
    return np.minimum(first, second) * n_docs + np.maximum(first, second)


def _codes(values: list[object]) -> np.ndarray:
    """Integer codes for comparing labels, -1 for a missing one."""
    labels = [None if _missing(v) else v for v in values]
    known = {v: k for k, v in enumerate(sorted({v for v in labels if v is not None}, key=str))}
    return np.array([-1 if v is None else known[v] for v in labels], dtype=np.int64)


def _days(annotated: pd.DataFrame) -> np.ndarray:
    if "date" not in annotated:
        return np.full(len(annotated), np.nan)
    dates = pd.to_datetime(annotated["date"])
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return ((dates - pd.Timestamp(0)) // pd.Timedelta(days=1)).to_numpy(dtype=float)


def group_events(
    corpus: pd.DataFrame,
    *,
    formats: pd.DataFrame | None = None,
    officials: pd.DataFrame | None = None,
    words: sp.csr_matrix | None = None,
    threshold: float = EVENT_THRESHOLD,
    evidence_threshold: float = EVIDENCE_THRESHOLD,
    max_days: int = EVENT_MAX_DAYS,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Give the reports of one meeting a shared ``event`` id.

    Two documents report the same meeting when all of these hold:

    - the same dyad (documents without a dyad are compared with each other);
    - dates at most ``max_days`` apart; when either is undated, they must be in the
      same language and reach a word cosine of 0.6;
    - the same host when both have one, and, for two reports in one language, the same
      main meeting format when both name one (:func:`main_formats`; across languages
      the lexicons may name one meeting differently, so the format is evidence there);
    - in one language, a word TF-IDF cosine (unigrams) of at least ``threshold``; or,
      in any two languages, dates at most one day apart and an evidence cosine
      (:func:`evidence_features`) of at least ``evidence_threshold``, each being the
      other's best match in its language (so that evidence shared by many reports of
      a busy dyad cannot chain them into one event); two reports in one language
      joined on evidence also need a word cosine of half ``threshold``.

    Pairs are joined transitively (union-find); the event id is the first doc_id of
    the group, in corpus order.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame, annotated by :func:`bilat_analysis.dyads.annotate_documents`
        (tagged here when it is not).
    formats : pandas.DataFrame, optional
        Format mentions from :func:`bilat_analysis.tagging.tag_formats`; when not given,
        the ``format`` column of :func:`bilat_analysis.dyads.annotate_documents` is read
        (tagged when the frame has none).
    officials : pandas.DataFrame, optional
        From :func:`bilat_analysis.officials.tag_officials`; when not given, the
        ``officials`` column of :func:`bilat_analysis.dyads.annotate_documents` is read
        (tagged when the frame has none).
    words : scipy.sparse.csr_matrix, optional
        The documents' word TF-IDF rows, L2-normalised (e.g. those the clustering
        computed); computed when not given.
    threshold : float, default 0.3
        Minimum word cosine within one language.
    evidence_threshold : float, default 0.3
        Minimum evidence cosine (reports in any two languages, dated a day apart at most).
    max_days : int, default 3
        Maximum date difference.
    n_jobs : int, optional
        Processes for tagging and hashing; default every core available.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``event``, ``event_size``, ``format``.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> events = group_events(load_corpus())
    >>> events.loc[events["event_size"] > 1, "doc_id"].tolist()
    ['000_61ed17e4f0eb13e1', '001_6ec640c84f295659']
    """
    n_jobs = available_cores(n_jobs)
    if {"partners", "themes", "dyad", "host"} <= set(corpus.columns):
        annotated = corpus
    else:
        annotated = annotate_documents(corpus, n_jobs=n_jobs)
    n_docs = len(annotated)
    if n_docs == 0:
        return pd.DataFrame(
            {
                "doc_id": pd.Series(dtype=object),
                "event": pd.Series(dtype=object),
                "event_size": pd.Series(dtype="int64"),
                "format": pd.Series(dtype=object),
            }
        )
    if formats is None and "format" in annotated.columns:
        main = annotated["format"].tolist()  # annotate_documents found them
    else:
        if formats is None:
            formats = tag_formats(annotated, n_jobs=n_jobs)
        main = main_formats(annotated, formats).tolist()
    format_list = [None if _missing(f) else f for f in main]
    if officials is None and not _has_officials(annotated):  # else the column is read
        # only the names matter here, not whom each official represents: no partner
        # tagging is needed for that (the names found are the same)
        no_partners = pd.DataFrame(columns=PARTNER_MENTION_COLUMNS)
        officials = tag_officials(annotated, partner_mentions=no_partners, n_jobs=n_jobs)
    if words is None:
        words = _word_vectors(annotated["text"], n_jobs)
    evidence = evidence_features(annotated, format_list, officials, n_jobs=n_jobs)
    days = _days(annotated)
    language = _codes(annotated["language"].tolist() if "language" in annotated else [])
    if len(language) != n_docs:
        language = np.full(n_docs, -1)
    fmt, host = _codes(format_list), _codes(annotated["host"].tolist())

    def compatible(first: np.ndarray, second: np.ndarray) -> np.ndarray:
        # formats are compared within one language only: across languages the
        # lexicons name one meeting differently ("state visit", "قمة"), and the format
        # is one feature of the evidence instead
        return (
            (fmt[first] < 0)
            | (fmt[second] < 0)
            | (fmt[first] == fmt[second])
            | (language[first] != language[second])
        ) & ((host[first] < 0) | (host[second] < 0) | (host[first] == host[second]))

    dyad = _codes([None if _missing(d) else tuple(d) for d in annotated["dyad"].tolist()])
    joined: list[tuple[np.ndarray, np.ndarray]] = []
    if max_days >= 0:
        # words: reports of one dyad in one language, dated max_days apart at most
        lower = threshold * SAME_LANGUAGE_EVIDENCE_WORDS
        dyad_language = (dyad + 1) * (int(language.max(initial=-1)) + 2) + language + 1
        first, second, word_sim = _window_pairs(
            words, dyad_language, days, max_days, threshold, n_jobs=n_jobs
        )
        words_ok = compatible(first, second) & (word_sim >= threshold)
        joined.append((first[words_ok], second[words_ok]))
        # evidence: reports of one dyad in any languages, a day apart at most
        first, second, evidence_sim = _window_pairs(
            evidence,
            dyad,
            days,
            min(max_days, EVIDENCE_MAX_DAYS),
            evidence_threshold,
            n_jobs=n_jobs,
        )
        same = language[first] == language[second]
        fits = compatible(first, second)
        # in one language, evidence joins need half the word cosine too (a pair a day
        # apart of one dyad and language is in the words' window: the same products)
        close = np.zeros(len(first), dtype=bool)
        if words.shape[1]:
            check = same & fits
            close[check] = _pair_dots(words, first[check], second[check], n_jobs) >= lower
        evidence_ok = fits & (~same | close)
        joined.append(
            _best_matches(
                [(first[evidence_ok], second[evidence_ok], evidence_sim[evidence_ok])], language
            )
        )
    undated = np.flatnonzero(np.isnan(days))
    if len(undated) > 1:
        first, second = _undated_candidates(undated, dyad, words)
        ok = (
            compatible(first, second)
            & (language[first] == language[second])
            & (_row_dots(words, first, second) >= UNDATED_EVENT_THRESHOLD)
        )
        joined.append((first[ok], second[ok]))
    union = _UnionFind(n_docs)
    for first, second in joined:
        for i, j in zip(first.tolist(), second.tolist(), strict=True):
            union.union(i, j)
    doc_ids = annotated["doc_id"].tolist()
    roots = [union.find(i) for i in range(n_docs)]
    sizes = Counter(roots)
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "event": [doc_ids[r] for r in roots],
            "event_size": np.array([sizes[r] for r in roots], dtype=np.int64),
            "format": pd.Series(format_list, dtype=object),
        }
    )
