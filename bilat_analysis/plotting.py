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
