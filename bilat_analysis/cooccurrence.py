"""Co-occurrence of partners, themes and officials: incidence, association measures, profiles.

Everything is counted in *units*: documents, sentences, or events (the reports of one
meeting counted once, see :func:`bilat_analysis.events.group_events`). An incidence
matrix X (units x labels, 0/1) is built with scipy.sparse; co-occurrence counts are
the sparse product ``X.T @ Y``.

For a row label a and a column label b, with N units, n_a units holding a, n_b
holding b and n_ab holding both:

- count: n_ab
- Jaccard: n_ab / (n_a + n_b - n_ab)
- lift: (n_ab * N) / (n_a * n_b)  (1 = independence)
- PMI: log2(lift)
- NPMI: PMI / -log2(n_ab / N), in [-1, 1]; 1 when a and b always occur together
- p-value: one-sided Fisher's exact test of positive association, the hypergeometric
  tail P(X >= n_ab) with X ~ Hypergeom(N, n_a, n_b).

Below ``min_support`` units (n_ab < min_support) the measures are left empty (NaN):
on small corpora a single shared document would otherwise read as a strong
association.
"""

from __future__ import annotations

import hashlib
import re
from itertools import chain, pairwise
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import chi2, hypergeom

from bilat_analysis.validation import check_choice

Unit = Literal["document", "sentence", "event"]
Variable = Literal["partner", "theme", "official"]
Measure = Literal["count", "jaccard", "lift", "pmi", "npmi", "p_value"]
UNITS = ("document", "sentence", "event")
VARIABLES = ("partner", "theme", "official")
MEASURES = ("count", "jaccard", "lift", "pmi", "npmi", "p_value")
PAIR_COLUMNS = [
    "row",
    "col",
    "n_ab",
    "n_a",
    "n_b",
    "n",
    "jaccard",
    "lift",
    "pmi",
    "npmi",
    "p_value",
]

# the match starts at the full stop (a look-behind at every position is a third slower)
_SENTENCE_END = re.compile(r"[.!?][\"”»)\]]*\s+(?=[\"“«(\[]?[A-ZÀ-ÖØ-Þ0-9])|\n\s*\n")
# the full stop of a title or an initial ("Ms.", "Gen.", "U.S."): no sentence ends there.
# One scan tests every full stop on its own, the letters before it read by a look-behind
# per length of title (a title never reaches back past the start of its sentence, which
# follows white space: the text as a whole tells what the sentence alone would).
_TITLE_STOP = re.compile(
    r"\.(?:(?<=\b[A-Z]\.)|(?<=\b(?:Mr|Ms|Dr|St|No|vs)\.)"
    r"|(?<=\b(?:Mrs|Gen|Sen|Col|Adm|Mme|Nos|Jan|Feb|Mar|Apr|Aug|Sep|Oct|Nov|Dec|etc)\.)"
    r"|(?<=\b(?:U\.S|U\.K|U\.N|e\.g|i\.e)\.)|(?<=\bSept\.)|(?<=\bLieut\.))"
)


class Incidence(NamedTuple):
    """Units x labels 0/1 matrix with its row (unit) and column (label) names."""

    matrix: sp.csr_matrix
    units: list[str]
    labels: list[str]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split English or French text into sentences, as (start, end) offsets.

    A sentence ends at ".", "!" or "?" followed by white space and an upper-case
    letter or a digit (quotes and brackets allowed in between), or at a blank line;
    not after a title or an initial ("Ms. Alice Rufo", "Sen. Lieut. Gen. Hoang",
    "U.S. officials").

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    list of tuple of int
        Offsets of each sentence, in order, covering the text.

    Examples
    --------
    >>> text = "Ms. Rufo met Gen. Chien. Ils ont discuté."
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Ms. Rufo met Gen. Chien. ', 'Ils ont discuté.']
    """
    starts = [0, *_breaks(text)]
    spans = list(pairwise(starts))
    if starts[-1] < len(text):
        spans.append((starts[-1], len(text)))
    return spans


def _breaks(text: str) -> list[int]:
    """Where each sentence after the first starts: the end of each break that ends one."""
    titles = {found.end() for found in _TITLE_STOP.finditer(text)}
    # a break ends no sentence after a title's full stop: before its white space, or
    # before a blank line
    return [
        match.end()
        for match in _SENTENCE_END.finditer(text)
        if match.start() + (text[match.start()] != "\n") not in titles
    ]


def tag_variable(corpus: pd.DataFrame, variable: Variable) -> pd.DataFrame:
    """Mentions of one variable as ``doc_id``, ``label``, ``start``, ``end``.

    Partners are states, blocs and organisations (regions, capitals and a state in a
    dateline bracket, "Brussels [Belgium]", left out, as in
    :func:`bilat_analysis.dyads.annotate_documents`); themes leave out mentions inside
    job titles; officials are people named with a title.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``.
    variable : {"partner", "theme", "official"}
        What to tag.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``doc_id``, ``label``, ``kind`` (state, bloc or organisation
        for partners; the variable's name otherwise), ``start``, ``end``.

    Raises
    ------
    ValueError
        For an unknown variable.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["India and France: defence."]})
    >>> tag_variable(corpus, "theme")["label"].tolist()
    ['defence']
    """
    check_choice("variable", variable, VARIABLES)
    if variable == "partner":
        from bilat_analysis.tagging import tag_partners

        found = tag_partners(corpus)
    elif variable == "theme":
        from bilat_analysis.tagging import tag_themes

        found = tag_themes(corpus)
    else:
        from bilat_analysis.officials import tag_officials

        found = tag_officials(corpus)
    return variable_mentions(found, variable, corpus=corpus)


def variable_mentions(
    found: pd.DataFrame, variable: Variable, *, corpus: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Turn a tagger's mentions into the ``doc_id``, ``label`` rows of :func:`tag_variable`.

    Already converted tables (with a ``label`` column) come back unchanged.

    Parameters
    ----------
    found : pandas.DataFrame
        From :func:`bilat_analysis.tagging.tag_partners`, :func:`~bilat_analysis.tagging.tag_themes`
        or :func:`bilat_analysis.officials.tag_officials` (or a prepared corpus's tables).
    variable : {"partner", "theme", "official"}
        Which variable the table holds.
    corpus : pandas.DataFrame, optional
        The tagged documents (``doc_id``, ``text``): given, a state in a dateline
        bracket ("Brussels [Belgium]", :func:`bilat_analysis.dyads.in_dateline_bracket`)
        is left out of partners too, as the venue.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``label``, ``kind``, ``start``, ``end``: regions and capitals left out
        of partners, mentions inside job titles left out of themes.

    Examples
    --------
    >>> from bilat_analysis.tagging import tag_partners
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["ROME (Italy) - India met France."]})
    >>> variable_mentions(tag_partners(corpus), "partner")["label"].tolist()
    ['ITA', 'IND', 'FRA']
    >>> variable_mentions(tag_partners(corpus), "partner", corpus=corpus)["label"].tolist()
    ['IND', 'FRA']
    """
    check_choice("variable", variable, VARIABLES)
    if "label" in found.columns:
        return found
    keep = pd.Series(True, index=found.index)
    if variable == "partner":
        keep = (found["kind"] != "region") & (found["alias_type"] != "capital")
        if corpus is not None and "text" in corpus:
            from bilat_analysis.dyads import in_dateline_bracket

            keep &= ~in_dateline_bracket(corpus, found)  # the venue, not a partner
    elif variable == "theme":
        keep = ~found["in_title"].astype(bool)
    # the rows kept of the columns returned only: one take (hundreds of thousands of
    # mentions in columns of strings)
    columns = ["doc_id", variable, *(["kind"] if "kind" in found else []), "start", "end"]
    found = found.loc[keep.to_numpy(dtype=bool, na_value=False), columns]
    found = found.rename(columns={variable: "label"})
    if "kind" not in found:
        found = found.assign(kind=variable)
    return found[["doc_id", "label", "kind", "start", "end"]]


# annotate_documents' columns
COUNT_COLUMNS = {"partner": "partners", "theme": "themes", "official": "officials"}


def _has_counts(corpus: pd.DataFrame, variable: Variable) -> bool:
    column = COUNT_COLUMNS.get(variable)
    return column in corpus and all(isinstance(v, dict) for v in corpus[column].tolist())


def counted_mentions(annotated: pd.DataFrame, variable: Variable) -> pd.DataFrame:
    """One ``doc_id``, ``label`` row per label an annotated document counts.

    What :func:`incidence` needs for document and event units, read from the
    ``partners``, ``themes`` or ``officials`` column of
    :func:`bilat_analysis.dyads.annotate_documents` instead of tagging the texts again.

    Parameters
    ----------
    annotated : pandas.DataFrame
        An annotated corpus (``doc_id`` and the variable's count column).
    variable : {"partner", "theme", "official"}
        Which column to read.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``label``, ``kind`` (the variable's name), ``start`` (0: the
        position is not kept); no row for a document that counts nothing.

    Raises
    ------
    ValueError
        For a variable without a count column.

    Examples
    --------
    >>> annotated = pd.DataFrame({"doc_id": ["a", "b"], "partners": [{"IND": 2, "FRA": 1}, {}]})
    >>> counted_mentions(annotated, "partner")[["doc_id", "label"]].values.tolist()
    [['a', 'IND'], ['a', 'FRA']]
    """
    check_choice("variable", variable, tuple(COUNT_COLUMNS))
    counts = annotated[COUNT_COLUMNS[variable]].tolist()
    labels = [label for count in counts for label in count]
    doc_ids = np.repeat(annotated["doc_id"].to_numpy(dtype=object), [len(c) for c in counts])
    return pd.DataFrame(
        {"doc_id": doc_ids, "label": labels, "kind": variable, "start": 0},
        columns=["doc_id", "label", "kind", "start"],
    ).astype({"doc_id": "str", "label": "str"})


def _units(
    corpus: pd.DataFrame, mentions: pd.DataFrame, unit: Unit
) -> tuple[list[str], np.ndarray | list[int]]:
    """Return the unit names and the unit index of each mention."""
    doc_ids = corpus["doc_id"].tolist()
    # the corpus's doc_ids are unique and come first, so they get codes 0 .. n-1 in order:
    # each mention's code is then its document's row (one hash pass, no per-row lookup)
    codes, _ = pd.factorize(pd.concat([corpus["doc_id"], mentions["doc_id"]], ignore_index=True))
    rows = codes[len(doc_ids) :]
    if unit == "document":
        return doc_ids, rows
    if unit == "event":
        if "event" not in corpus:
            raise ValueError(
                "unit='event' needs an 'event' column: pass the corpus through "
                "bilat_analysis.topics.annotate_topics (or group_events) first"
            )
        event_codes, events = pd.factorize(corpus["event"], sort=True)
        return [str(e) for e in events], event_codes[rows]
    unknown = rows >= len(doc_ids)
    if unknown.any():
        missing = mentions["doc_id"].to_numpy()[unknown][0]
        raise ValueError(f"a mention's doc_id is not in the corpus: {missing!r}")
    names, starts, first = _sentences(corpus)
    # each sentence's key is (document row, start) in one int64, sorted as the sentences
    # are: one search finds the sentence of every mention (the last starting at or before it)
    width = int(max(starts.max(initial=0), mentions["start"].max() if len(mentions) else 0)) + 1
    sentence_rows = np.repeat(np.arange(len(doc_ids), dtype=np.int64), np.diff(first))
    keys = sentence_rows * width + starts
    wanted = np.asarray(rows, dtype=np.int64) * width + mentions["start"].to_numpy(np.int64)
    return names, np.searchsorted(keys, wanted, side="right") - 1


_LAST_SPLIT: dict[bytes, tuple[list[str], np.ndarray, np.ndarray]] = {}  # by the texts' digest


def _sentences(corpus: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentence names, starts (concatenated) and each document's first sentence (n + 1 bounds).

    The last corpus split is kept: the sentence incidences of two variables (rows and
    columns of one table) split the texts once.
    """
    doc_ids, texts = corpus["doc_id"].tolist(), corpus["text"].tolist()
    digest = hashlib.blake2b(digest_size=20)
    for value in (*doc_ids, *texts):
        data = str(value).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    key = digest.digest()
    if key not in _LAST_SPLIT:
        # each text's sentence starts: 0 and its breaks, less a break at its very end
        starts_of = [[0, *_breaks(text)] for text in texts]
        for found, text in zip(starts_of, texts, strict=True):
            if found[-1] == len(text):
                found.pop()
        counts = np.array([len(found) for found in starts_of], dtype=np.int64)
        starts = np.fromiter(chain.from_iterable(starts_of), dtype=np.int64, count=counts.sum())
        sizes = zip(doc_ids, counts.tolist(), strict=True)
        names = [f"{doc_id}#{k}" for doc_id, n in sizes for k in range(n)]
        _LAST_SPLIT.clear()
        _LAST_SPLIT[key] = (names, starts, np.concatenate([[0], np.cumsum(counts)]))
    return _LAST_SPLIT[key]


def incidence(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    unit: Unit = "document",
) -> Incidence:
    """Build the units x labels incidence matrix (1 where the unit mentions the label).

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame (with an ``event`` column for ``unit="event"``).
    mentions : pandas.DataFrame
        ``doc_id``, ``label``, ``start`` (from :func:`tag_variable`).
    unit : {"document", "sentence", "event"}, default "document"
        What counts as one observation.

    Returns
    -------
    Incidence
        ``matrix`` (scipy.sparse CSR, int32, 0/1), ``units``, ``labels`` (sorted).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["India. France.", "India."]})
    >>> X = incidence(corpus, tag_variable(corpus, "partner"))
    >>> X.labels, X.matrix.toarray().tolist()
    (['FRA', 'IND'], [[1, 1], [0, 1]])
    """
    check_choice("unit", unit, UNITS)
    units, rows = _units(corpus, mentions, unit)
    cols, uniques = pd.factorize(mentions["label"], sort=True)
    labels = [str(label) for label in uniques]
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(units), len(labels))
    )
    matrix.data[:] = 1  # duplicates were summed: back to presence
    return Incidence(matrix, units, labels)


def association_table(
    x: Incidence, y: Incidence | None = None, *, min_support: int = 2
) -> pd.DataFrame:
    """Every (row label, column label) pair that co-occurs, with all the measures.

    Parameters
    ----------
    x : Incidence
        Rows.
    y : Incidence, optional
        Columns (same units); default ``x`` (a label with itself is left out).
    min_support : int, default 2
        Pairs seen together in fewer units get NaN measures (the counts stay).

    Returns
    -------
    pandas.DataFrame
        ``row``, ``col``, ``n_ab``, ``n_a``, ``n_b``, ``n``, ``jaccard``, ``lift``, ``pmi``,
        ``npmi``, ``p_value``; sorted by row and column.

    Examples
    --------
    >>> X = Incidence(sp.csr_matrix([[1, 1], [1, 0], [0, 1], [1, 1]]), list("abcd"), ["A", "B"])
    >>> association_table(X).loc[0, ["n_ab", "jaccard", "lift"]].tolist()
    [2.0, 0.5, 0.8888888888888888]
    """
    same = y is None
    y = x if y is None else y
    if x.matrix.shape[0] != y.matrix.shape[0]:
        raise ValueError("the two incidence matrices must have the same units (rows)")
    n = x.matrix.shape[0]
    counts = (x.matrix.T @ y.matrix).tocoo()
    n_a = np.asarray(x.matrix.sum(axis=0)).ravel()
    n_b = np.asarray(y.matrix.sum(axis=0)).ravel()
    keep = counts.row != counts.col if same else np.ones(counts.nnz, dtype=bool)
    rows, cols, n_ab = counts.row[keep], counts.col[keep], counts.data[keep].astype(float)
    a, b = n_a[rows].astype(float), n_b[cols].astype(float)
    table = pd.DataFrame(
        {
            "row": np.asarray(x.labels, dtype=object)[rows],
            "col": np.asarray(y.labels, dtype=object)[cols],
            "n_ab": n_ab.astype(int),
            "n_a": a.astype(int),
            "n_b": b.astype(int),
            "n": n,
        }
    )
    table["jaccard"] = n_ab / (a + b - n_ab)
    table["lift"] = n_ab * n / (a * b)
    table["pmi"] = np.log2(table["lift"])
    joint = n_ab / n
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(joint >= 1.0, 1.0, table["pmi"] / -np.log2(joint))
    table["npmi"] = npmi
    table["p_value"] = hypergeom.sf(n_ab - 1, n, a, b)
    weak = table["n_ab"] < min_support
    table.loc[weak, ["jaccard", "lift", "pmi", "npmi", "p_value"]] = np.nan
    return table.sort_values(["row", "col"], ignore_index=True)[PAIR_COLUMNS]


def cooccurrence(
    corpus: pd.DataFrame,
    *,
    rows: Variable = "partner",
    cols: Variable = "theme",
    measure: Measure = "count",
    unit: Unit = "document",
    min_support: int = 2,
    mentions: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Co-occurrence matrix of two variables as a labelled DataFrame.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus frame (with ``event`` for ``unit="event"``).
    rows, cols : {"partner", "theme", "official"}
        The two variables (the same one for partner x partner, ...).
    measure : {"count", "jaccard", "lift", "pmi", "npmi", "p_value"}, default "count"
        See the module docstring for the formulas.
    unit : {"document", "sentence", "event"}, default "document"
        What counts as one observation.
    min_support : int, default 2
        Cells seen together in fewer units are NaN (counts are always given).
    mentions : dict, optional
        Mentions already found, by variable name: :func:`tag_variable` tables, or the
        taggers' own tables (``tag_partners``, ``tag_themes``, ``tag_officials``, a
        prepared corpus's ``partners``, ``themes``, ``officials``). A variable given
        here is never tagged again. Without it, an annotated corpus (the ``partners``,
        ``themes`` and ``officials`` columns of
        :func:`bilat_analysis.dyads.annotate_documents`) is counted from those columns
        for document and event units; only sentences, and a frame without them, are
        tagged. Either way a state named in a dateline
        bracket ("Brussels [Belgium]") is the venue, not a partner.

    Returns
    -------
    pandas.DataFrame
        Rows and columns labelled and sorted; zero counts where labels never meet.
        The diagonal of a variable with itself is the number of units holding the label
        for counts, NaN for the measures.

    Raises
    ------
    ValueError
        For an unknown choice; when a variable has no label at all; for a variable
        with itself and fewer than two labels; or a measure on a corpus where no
        pair reaches ``min_support`` (the message says what to try).

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> matrix = cooccurrence(load_corpus(), rows="partner", cols="partner")
    >>> int(matrix.loc["FRA", "IND"])
    2
    """
    check_choice("rows", rows, VARIABLES)
    check_choice("cols", cols, VARIABLES)
    check_choice("measure", measure, MEASURES)
    mentions = dict(mentions or {})
    variables = list(dict.fromkeys((rows, cols)))
    tagged = {
        v
        for v in variables
        if v not in mentions and (unit == "sentence" or not _has_counts(corpus, v))
    }
    if {"partner", "theme"} <= tagged:  # both found in one pass over the texts
        from bilat_analysis.tagging import tag_corpus

        mentions["partner"], mentions["theme"] = tag_corpus(corpus)
    for variable in variables:
        if variable in mentions:
            mentions[variable] = variable_mentions(mentions[variable], variable, corpus=corpus)
        elif unit != "sentence" and _has_counts(corpus, variable):
            mentions[variable] = counted_mentions(corpus, variable)
        else:
            mentions[variable] = tag_variable(corpus, variable)
        if mentions[variable].empty:
            raise ValueError(f"no {variable} was found in the corpus: nothing to cross")
    x = incidence(corpus, mentions[rows], unit=unit)
    y = x if cols == rows else incidence(corpus, mentions[cols], unit=unit)
    if cols == rows and len(x.labels) < 2:
        raise ValueError(
            f"{rows} x {rows} co-occurrence needs at least two {rows}s; the corpus names "
            f"only {x.labels[0]!r}. Try rows={rows!r} with another variable as columns."
        )
    if measure == "count":
        matrix = (x.matrix.T @ y.matrix).toarray()
        return pd.DataFrame(
            matrix, index=pd.Index(x.labels, name=rows), columns=pd.Index(y.labels, name=cols)
        )
    table = association_table(x, None if cols == rows else y, min_support=min_support)
    if table[measure].notna().sum() == 0:
        raise ValueError(
            f"no {rows}-{cols} pair occurs together in {min_support} or more {unit}s, so "
            f"{measure} would be empty; lower min_support, or use unit='sentence' or a "
            "larger corpus"
        )
    wide = table.pivot_table(
        index="row", columns="col", values=measure, aggfunc="first", dropna=False
    )
    wide = wide.reindex(index=x.labels, columns=y.labels)
    wide.index.name, wide.columns.name = rows, cols
    return wide


def dyad_profiles(annotated: pd.DataFrame, *, unit: Unit = "document") -> pd.DataFrame:
    """Theme profile of each dyad, and what sets it apart from the rest of the corpus.

    Theme counts are the mentions outside job titles (``annotated["themes"]``); with
    ``unit="event"`` each event's counts are the mean over its reports, so a meeting
    counts once. Keyness of theme t for dyad d compares a = count of t in d, b =
    count of t elsewhere, with A and B the dyad's and the rest's totals:

    - ``share`` = a / A, ``rest_share`` = b / B;
    - ``log_ratio`` = log2(((a + 0.5) / A) / ((b + 0.5) / B));
    - ``g2`` = Dunning's log-likelihood 2 * sum(O * ln(O / E)) over the 2 x 2 table, with
      its chi-square (1 d.f.) ``p_value``; signed negative when the dyad uses t less.

    Parameters
    ----------
    annotated : pandas.DataFrame
        From :func:`bilat_analysis.dyads.annotate_documents` (``dyad``, ``themes``;
        ``event`` for ``unit="event"``).
    unit : {"document", "event"}, default "document"
        Count per document or per event.

    Returns
    -------
    pandas.DataFrame
        ``dyad`` (e.g. "FRA-IND"), ``theme``, ``count``, ``share``, ``rest_share``,
        ``log_ratio``, ``g2``, ``p_value``; sorted by dyad then decreasing ``g2``.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> from bilat_analysis.dyads import annotate_documents
    >>> profiles = dyad_profiles(annotate_documents(load_corpus()))
    >>> profiles.groupby("dyad")["theme"].first().to_dict()["EU-IND"]
    'cyber_digital'
    """
    check_choice("unit", unit, ("document", "event"))
    # only the columns read here: a row filter of the whole frame would copy every text
    needed = ["dyad", "themes", *(["event"] if unit == "event" else [])]
    frame = annotated[needed][annotated["dyad"].notna()]
    counts = pd.DataFrame(list(frame["themes"]), index=frame.index).fillna(0.0)
    counts["dyad"] = ["-".join(d) for d in frame["dyad"]]
    if unit == "event":
        counts["event"] = frame["event"].to_numpy()
        counts = counts.groupby(["dyad", "event"]).mean().reset_index(level="event", drop=True)
        counts = counts.reset_index()
    totals = counts.groupby("dyad").sum()
    everything = totals.sum(axis=0)
    grand = float(everything.sum())
    # one row per (dyad, theme), dyads then themes in the order of ``totals``: every
    # measure computed on whole columns (a Python loop per cell took minutes at 100k)
    a = totals.to_numpy(dtype=float).ravel()
    size = np.repeat(totals.sum(axis=1).to_numpy(dtype=float), totals.shape[1])
    b = np.tile(everything.to_numpy(dtype=float), totals.shape[0]) - a
    seen = (a != 0) | (b != 0)
    a, b, size = a[seen], b[seen], size[seen]
    rest = grand - size
    g2 = log_likelihood(a, b, size, rest)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(size != 0, a / size, 0.0)
        rest_share = np.where(rest != 0, b / rest, 0.0)
    log_ratio = np.log2(
        ((a + 0.5) / np.maximum(size, 1e-9)) / ((b + 0.5) / np.maximum(rest, 1e-9))
    )
    sign = np.where(share >= rest_share, 1, -1)
    table = pd.DataFrame(
        {
            "dyad": np.repeat(totals.index.to_numpy(dtype=object), totals.shape[1])[seen],
            "theme": np.tile(totals.columns.to_numpy(dtype=object), totals.shape[0])[seen],
            "count": a,
            "share": share,
            "rest_share": rest_share,
            "log_ratio": log_ratio,
            "g2": sign * g2,
            "p_value": chi2.sf(g2, 1),
        },
        columns=["dyad", "theme", "count", "share", "rest_share", "log_ratio", "g2", "p_value"],
    )
    table = table.sort_values(["dyad", "g2", "theme"], ascending=[True, False, True])
    return table.round(
        {"share": 3, "rest_share": 3, "log_ratio": 3, "g2": 3, "p_value": 4}
    ).reset_index(drop=True)


def log_likelihood(
    a: np.ndarray, b: np.ndarray, size: np.ndarray, rest: np.ndarray
) -> np.ndarray:
    """Dunning's log-likelihood G2 of each 2 x 2 table (a, size - a; b, rest - b).

    Parameters
    ----------
    a, b : numpy.ndarray
        Count of a label inside and outside the group.
    size, rest : numpy.ndarray
        Totals inside and outside the group.

    Returns
    -------
    numpy.ndarray
        ``2 * sum(O * ln(O / E))`` over the four cells; cells with O or E zero add nothing.

    Examples
    --------
    >>> g2 = log_likelihood(np.array([10.0]), np.array([10.0]), np.array([20.0]), np.array([80.0]))
    >>> g2.round(3).tolist()
    [12.071]
    """
    total = size + rest
    g2 = np.zeros(len(a))
    for observed, row_total, col_total in (
        (a, size, a + b),
        (b, rest, a + b),
        (size - a, size, total - a - b),
        (rest - b, rest, total - a - b),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = np.where(total != 0, row_total * col_total / total, 0.0)
            term = observed * np.log(observed / expected)
        g2 += np.where((observed > 0) & (expected > 0), term, 0.0)
    return 2 * g2


def official_dyads(annotated: pd.DataFrame, officials: pd.DataFrame) -> pd.DataFrame:
    """Which officials appear in which dyads' documents: the bipartite official x dyad table.

    Parameters
    ----------
    annotated : pandas.DataFrame
        With ``doc_id`` and ``dyad`` (:func:`bilat_analysis.dyads.annotate_documents`).
    officials : pandas.DataFrame
        From :func:`bilat_analysis.officials.tag_officials`.

    Returns
    -------
    pandas.DataFrame
        ``official``, ``partner`` (represented), ``dyad``, ``documents``; officials seen
        in several dyads first.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> from bilat_analysis.dyads import annotate_documents
    >>> from bilat_analysis.officials import tag_officials
    >>> corpus = annotate_documents(load_corpus())
    >>> table = official_dyads(corpus, tag_officials(corpus))
    >>> sorted(table.loc[table["official"] == "Alice Rufo", "dyad"])
    ['FRA-IND', 'FRA-VNM']
    """
    dyads = {
        d: "-".join(v)
        for d, v in zip(annotated["doc_id"], annotated["dyad"], strict=True)
        if isinstance(v, tuple)
    }
    pairs = officials.assign(dyad=officials["doc_id"].map(dyads)).dropna(subset=["dyad"])
    table = (
        pairs.groupby(["official", "dyad"], dropna=False)
        .agg(partner=("partner", "first"), documents=("doc_id", "nunique"))
        .reset_index()
    )
    spread = table.groupby("official")["dyad"].transform("nunique")
    table = table.assign(n_dyads=spread).sort_values(
        ["n_dyads", "official", "dyad"], ascending=[False, True, True]
    )
    return table[["official", "partner", "dyad", "documents"]].reset_index(drop=True)


def partner_centrality(counts: pd.DataFrame) -> pd.DataFrame:
    """Who is at the hub: for each partner, its units, the partners it meets and how often.

    Parameters
    ----------
    counts : pandas.DataFrame
        Partner x partner counts from :func:`cooccurrence` (diagonal: units per partner).

    Returns
    -------
    pandas.DataFrame
        ``partner``, ``units`` (holding the partner), ``partners_met`` (distinct partners
        it co-occurs with), ``cooccurrences`` (sum of its off-diagonal counts); sorted by
        ``cooccurrences`` then ``partners_met``, decreasing.

    Examples
    --------
    >>> m = pd.DataFrame([[3, 1, 2], [1, 1, 0], [2, 0, 2]], index=list("ABC"), columns=list("ABC"))
    >>> partner_centrality(m)["partner"].tolist()
    ['A', 'C', 'B']
    """
    values = counts.to_numpy()
    off = values - np.diag(np.diag(values))
    table = pd.DataFrame(
        {
            "partner": counts.index.to_numpy(),
            "units": np.diag(values),
            "partners_met": (off > 0).sum(axis=1),
            "cooccurrences": off.sum(axis=1),
        }
    )
    return table.sort_values(
        ["cooccurrences", "partners_met", "partner"], ascending=[False, False, True]
    ).reset_index(drop=True)
