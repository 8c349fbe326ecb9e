"""Figures: each function draws on the axes it is given (or a new one) and returns them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

FIGSIZE = (7.0, 3.0)


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def plot_timeline(corpus: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Plot each dated document as a point on a time line, labelled by doc_id.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id``, ``date`` and ``language``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> plot_timeline(load_corpus()).get_title()
    'Documents by date (5 dated of 5)'
    """
    ax = _axes(ax)
    dated = corpus.dropna(subset=["date"]).sort_values(["date", "doc_id"])
    languages = sorted(dated["language"].dropna().unique())
    for row, language in enumerate(languages):
        subset = dated[dated["language"] == language]
        ax.scatter(subset["date"], [row] * len(subset), label=language, s=40)
        for offset, (date, doc_id) in enumerate(zip(subset["date"], subset["doc_id"], strict=True)):
            ax.annotate(
                str(doc_id)[:12],
                (date, row),
                xytext=(4, 6 + 8 * (offset % 2)),
                textcoords="offset points",
                fontsize=7,
            )
    ax.set_yticks(range(len(languages)), languages)
    ax.set_ylim(-0.7, len(languages) - 0.3)
    ax.set_ylabel("language")
    ax.set_title(f"Documents by date ({len(dated)} dated of {len(corpus)})")
    return ax


def plot_lengths(corpus: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bar chart of document lengths in words, one bar per document.

    For corpora of more than 50 documents a histogram is drawn instead.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``n_words``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> plot_lengths(load_corpus()).get_xlabel()
    'words'
    """
    ax = _axes(ax)
    if len(corpus) > 50:
        ax.hist(corpus["n_words"], bins=30)
        ax.set_ylabel("documents")
    else:
        ordered = corpus.sort_values("doc_id")
        ax.barh([str(d)[:20] for d in ordered["doc_id"]], ordered["n_words"])
        ax.invert_yaxis()
    ax.set_xlabel("words")
    ax.set_title("Document lengths")
    return ax


def plot_silhouette(
    silhouette: pd.DataFrame, *, chosen: int | None = None, ax: Axes | None = None
) -> Axes:
    """Plot the silhouette curve used to choose k, marking the chosen k.

    Parameters
    ----------
    silhouette : pandas.DataFrame
        Columns ``k`` and ``silhouette`` (``Clustering.silhouette``).
    chosen : int, optional
        The k to mark.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> curve = pd.DataFrame({"k": [2, 3], "silhouette": [0.1, 0.2]})
    >>> plot_silhouette(curve, chosen=3).get_xlabel()
    'k (number of clusters)'
    """
    ax = _axes(ax, (5.0, 3.0))
    ax.plot(silhouette["k"], silhouette["silhouette"], marker="o")
    if chosen is not None and chosen in set(silhouette["k"]):
        best = silhouette.loc[silhouette["k"] == chosen, "silhouette"].iloc[0]
        ax.scatter(
            [chosen], [best], s=150, facecolors="none", edgecolors="red", label=f"k={chosen}"
        )
        ax.legend()
    ax.set_xticks(silhouette["k"].tolist())
    ax.set_xlabel("k (number of clusters)")
    ax.set_ylabel("silhouette (cosine)")
    ax.set_title("Choosing k")
    return ax


def plot_document_map(
    documents: pd.DataFrame, *, ax: Axes | None = None, labels: bool = True
) -> Axes:
    """Plot documents on the 2-D map, coloured by cluster, labelled by doc_id and dyad.

    Parameters
    ----------
    documents : pandas.DataFrame
        Columns ``doc_id``, ``cluster``, ``x``, ``y`` and optionally ``dyad``
        (``Clustering.documents``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    labels : bool, default True
        Write each document's label (turned off above 60 documents).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "cluster": [0, 1], "x": [0, 1], "y": [1, 0]})
    >>> plot_document_map(docs).get_title()
    'Documents on the first two SVD components'
    """
    ax = _axes(ax, (7.0, 4.5))
    colours = plt.get_cmap("tab10")
    for cluster, group in documents.groupby("cluster", sort=True):
        ax.scatter(
            group["x"],
            group["y"],
            s=50,
            color=colours(int(cluster) % 10),
            label=f"cluster {cluster}",
        )
    if labels and len(documents) <= 60:
        dyads = documents["dyad"] if "dyad" in documents else [None] * len(documents)
        placed = zip(documents["x"], documents["y"], documents["doc_id"], dyads, strict=True)
        for i, (x, y, doc_id, dyad) in enumerate(placed):
            text = str(doc_id)[:12] + (f" {'-'.join(dyad)}" if isinstance(dyad, tuple) else "")
            offset = (4, 5) if i % 2 == 0 else (4, -11)  # alternate, so close points stay legible
            ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", fontsize=7)
        ax.margins(0.2)
    ax.set_xlabel("component 1")
    ax.set_ylabel("component 2")
    ax.set_title("Documents on the first two SVD components")
    ax.legend(fontsize=7, loc="best")
    return ax
