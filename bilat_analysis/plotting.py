"""Figures: each function draws on the axes it is given (or a new one) and returns them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

FIGSIZE = (7.0, 3.0)

#: Above this many dated documents the timeline draws points without labels.
TIMELINE_LABELS = 12

#: Themes drawn in their own colour over time; the others are summed as "other".
TOP_THEMES = 7


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
    >>> many = load_corpus().sample(200, replace=True, random_state=0)
    >>> len(plot_timeline(many).texts)  # no label at all: points only
    0
    """
    ax = _axes(ax)
    # only the columns drawn: filtering the whole frame would copy every text
    dated = corpus[["doc_id", "date", "language"]].dropna(subset=["date"])
    dated = dated.sort_values(["date", "doc_id"])
    languages = sorted(dated["language"].dropna().unique())
    many = len(dated) > TIMELINE_LABELS
    jitter = np.random.default_rng(0)
    for row, language in enumerate(languages):
        subset = dated[dated["language"] == language]
        rows = row + (jitter.uniform(-0.25, 0.25, len(subset)) if many else 0.0)
        ax.scatter(
            subset["date"],
            np.broadcast_to(rows, len(subset)),
            s=8 if many else 40,
            alpha=0.35 if many else 1.0,
            color=f"C{row % 10}",
        )
        if many:
            continue
        for offset, (date, doc_id) in enumerate(zip(subset["date"], subset["doc_id"], strict=True)):
            ax.annotate(
                str(doc_id)[:12],
                (date, row),
                xytext=(4, 6 + 8 * (offset % 2)),
                textcoords="offset points",
                fontsize=7,
            )
    if len(dated):
        _date_axis(ax)
    ax.set_yticks(range(len(languages)), languages)
    ax.set_ylim(-0.7, len(languages) - 0.3)
    ax.set_ylabel("language")
    ax.set_xlabel("date" + (" (one point per document)" if many else " (labels: doc_id)"))
    ax.set_title(f"Documents by date ({len(dated):,} dated of {len(corpus):,})")
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


def plot_heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    order: bool = True,
    annotate: bool = True,
    cmap: str = "viridis",
    label: str | None = None,
    title: str | None = None,
    max_labels: int = 40,
) -> Axes:
    """Heatmap of a labelled matrix (e.g. partner x theme), rows and columns ordered by clustering.

    Rows and columns are reordered by average-linkage hierarchical clustering of their
    profiles (scipy), so that similar partners and similar themes sit together.
    Missing cells (below the minimum support) stay blank.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Labelled matrix (from :func:`bilat_analysis.cooccurrence.cooccurrence`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    order : bool, default True
        Reorder rows and columns by clustering.
    annotate : bool, default True
        Write the values in the cells (for matrices up to 20 x 20).
    cmap : str, default "viridis"
        Colour map.
    label : str, optional
        What the colours measure (the colour bar's label); default "value".
    title : str, optional
        Title; default "<rows> x <columns>" from the matrix's axis names.
    max_labels : int, default 40
        Rows and columns kept at most: those with the largest totals (the title says so).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> m = pd.DataFrame([[1, 0], [2, 3]], index=["A", "B"], columns=["x", "y"])
    >>> m.index.name, m.columns.name = "partner", "theme"
    >>> ax = plot_heatmap(m, label="documents")
    >>> ax.get_ylabel(), ax.get_xlabel(), ax.images[0].colorbar.ax.get_ylabel()
    ('partner', 'theme', 'documents')
    """
    from scipy.cluster.hierarchy import leaves_list, linkage

    data = matrix.astype(float)
    kept = []
    for axis, name in ((0, "rows"), (1, "columns")):
        if data.shape[axis] > max_labels:
            totals = data.abs().sum(axis=1 - axis).sort_values(ascending=False, kind="stable")
            top = totals.index[:max_labels]
            kept.append(f"top {max_labels} of {data.shape[axis]} {name}")
            data = data.loc[top] if axis == 0 else data[top]
    if order:
        filled = data.fillna(0.0)
        if len(filled) > 2:
            data = data.iloc[leaves_list(linkage(filled.to_numpy(), "average"))]
        if filled.shape[1] > 2:
            data = data.iloc[:, leaves_list(linkage(filled.to_numpy().T, "average"))]
    ax = _axes(ax, (max(5.0, 0.5 * data.shape[1] + 2), max(3.0, 0.35 * data.shape[0] + 1.5)))
    image = ax.imshow(data.to_numpy(), aspect="auto", cmap=cmap)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(label or "value")
    ax.set_xticks(range(data.shape[1]), [str(c) for c in data.columns], rotation=60, ha="right")
    ax.set_yticks(range(data.shape[0]), [str(r) for r in data.index])
    rows = str(matrix.index.name) if matrix.index.name is not None else ""
    cols = str(matrix.columns.name) if matrix.columns.name is not None else ""
    ax.set_xlabel(cols)
    ax.set_ylabel(rows)
    shown = title or (f"{rows} x {cols}" if rows and cols else "")
    ax.set_title(shown + (f" ({', '.join(kept)})" if kept else ""))
    if annotate and data.shape[0] <= 20 and data.shape[1] <= 20:
        for (i, j), value in np.ndenumerate(data.to_numpy()):
            if not np.isnan(value):
                text = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white")
    return ax


def plot_partner_network(
    counts: pd.DataFrame,
    *,
    ax: Axes | None = None,
    seed: int = 0,
    min_weight: int = 1,
    max_nodes: int = 40,
) -> Axes:
    """Partner network: node size = documents, edge width = co-occurrence, communities coloured.

    Parameters
    ----------
    counts : pandas.DataFrame
        Partner x partner counts (``cooccurrence(..., rows="partner", cols="partner")``):
        off-diagonal cells are co-occurrences, the diagonal the documents per partner.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    seed : int, default 0
        Seed of the spring layout.
    min_weight : int, default 1
        Edges below this weight are not drawn.
    max_nodes : int, default 40
        Partners drawn at most: those named in the most units (the title says so).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> m = pd.DataFrame([[2, 1], [1, 1]], index=["FRA", "IND"], columns=["FRA", "IND"])
    >>> ax = plot_partner_network(m)
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()][0]
    ('Partner network', 'community 1: FRA, IND')
    """
    import networkx as nx
    from networkx.algorithms.community import greedy_modularity_communities

    title = "Partner network"
    if len(counts) > max_nodes:
        diagonal = pd.Series(np.diag(counts.to_numpy()), index=counts.index)
        top = diagonal.sort_values(ascending=False, kind="stable").index[:max_nodes]
        title += f" (top {max_nodes} of {len(counts)} partners)"
        counts = counts.loc[top, top]
    graph = partner_graph(counts, min_weight=min_weight)
    ax = _axes(ax, (8.5, 5.0))
    positions = nx.spring_layout(graph, seed=seed, weight="weight")
    communities = (
        greedy_modularity_communities(graph, weight="weight") if graph.number_of_edges() else []
    )
    colour_of = {n: i for i, members in enumerate(communities) for n in members}
    colours = plt.get_cmap("tab10")
    weights = [graph.edges[e]["weight"] for e in graph.edges]
    widths = [_edge_width(w, max(weights)) for w in weights]
    largest = max([graph.nodes[n]["documents"] for n in graph.nodes] or [1]) or 1
    nx.draw_networkx_edges(graph, positions, ax=ax, width=widths, alpha=0.4)
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=ax,
        node_size=[150 + 850 * graph.nodes[n]["documents"] / largest for n in graph.nodes],
        node_color=[colours(colour_of.get(n, 0) % 10) for n in graph.nodes],
    )
    nx.draw_networkx_labels(graph, positions, ax=ax, font_size=8)
    _network_legend(ax, communities, weights, colours)
    ax.set_title(title)
    ax.axis("off")
    return ax


def _edge_width(weight: float, largest: float) -> float:
    """Edge width in points: 1 to 7, in proportion to the co-occurrence count."""
    return 1.0 + 6.0 * weight / largest if largest else 1.0


def _network_legend(ax: Axes, communities: list, weights: list[int], colours) -> None:
    """Say what colours (communities) and edge widths (co-occurrences) mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for i, members in enumerate(communities[:6]):
        names = sorted(str(m) for m in members)
        shown = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
        handles.append(Patch(color=colours(i % 10), label=f"community {i + 1}: {shown}"))
    if len(communities) > 6:
        handles.append(Patch(color="white", label=f"... {len(communities) - 6} more communities"))
    for weight in sorted({min(weights), max(weights)}) if weights else []:
        handles.append(
            Line2D([], [], color="black", alpha=0.4, linewidth=_edge_width(weight, max(weights)),
                   label=f"named together in {weight} document{'s' if weight != 1 else ''}")
        )
    handles.append(Line2D([], [], linestyle="none", marker="o", color="0.5",
                          label="node size: documents naming the partner"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              title="colour: community (modularity)", title_fontsize=7)


def partner_graph(counts: pd.DataFrame, *, min_weight: int = 1):
    """Build the networkx graph behind :func:`plot_partner_network` (for centrality, ...).

    Parameters
    ----------
    counts : pandas.DataFrame
        Partner x partner counts.
    min_weight : int, default 1
        Edges below this weight are left out.

    Returns
    -------
    networkx.Graph
        Nodes with a ``documents`` attribute, edges with a ``weight``.

    Examples
    --------
    >>> m = pd.DataFrame([[2, 1], [1, 1]], index=["FRA", "IND"], columns=["FRA", "IND"])
    >>> sorted(partner_graph(m).degree())
    [('FRA', 1), ('IND', 1)]
    """
    import networkx as nx

    graph = nx.Graph()
    labels = list(counts.index)
    for label in labels:
        graph.add_node(label, documents=int(counts.loc[label, label]))
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            weight = int(counts.loc[a, b])
            if weight >= min_weight:
                graph.add_edge(a, b, weight=weight)
    return graph


def plot_official_dyads(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bipartite view: officials on the left, dyads on the right, a line where they meet.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`bilat_analysis.cooccurrence.official_dyads`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"official": ["A"], "partner": ["FRA"], "dyad": ["FRA-IND"],
    ...                   "documents": [1]})
    >>> plot_official_dyads(t).get_title()
    'Officials and the dyads they appear in'
    """
    officials = list(dict.fromkeys(table["official"]))
    dyads = sorted(set(table["dyad"]))
    ax = _axes(ax, (7.0, max(3.0, 0.3 * len(officials) + 1)))
    y_official = {o: len(officials) - 1 - i for i, o in enumerate(officials)}
    step = (len(officials) - 1) / max(len(dyads) - 1, 1)
    y_dyad = {d: len(officials) - 1 - i * step for i, d in enumerate(dyads)}
    spread = table.groupby("official")["dyad"].nunique()
    for official, dyad, documents in zip(
        table["official"], table["dyad"], table["documents"], strict=True
    ):
        several = spread[official] > 1
        ax.plot(
            [0, 1],
            [y_official[official], y_dyad[dyad]],
            color="C3" if several else "0.7",
            linewidth=1 + documents,
            alpha=0.8,
        )
    for official, y in y_official.items():
        weight = "bold" if spread[official] > 1 else "normal"
        ax.text(-0.02, y, official, ha="right", va="center", fontsize=8, fontweight=weight)
    for dyad, y in y_dyad.items():
        ax.text(1.02, y, dyad, ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.8, 1.4)
    ax.axis("off")
    ax.set_title("Officials and the dyads they appear in")
    return ax


def plot_themes_over_time(
    annotated: pd.DataFrame,
    *,
    freq: str | None = None,
    per_event: bool = True,
    top: int = TOP_THEMES,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars of theme mentions per period; empty periods drawn as zero.

    The ``top`` most mentioned themes get their own colour, the rest are summed as
    "other" (grey).

    Parameters
    ----------
    annotated : pandas.DataFrame
        With ``date`` and ``themes`` (and ``event`` to count each meeting once).
    freq : {"M", "Q", "Y"}, optional
        Months, quarters or years; default from the span of the dates. The pandas
        aliases "ME", "QE", "YE" are accepted too.
    per_event : bool, default True
        Average the theme counts of an event's reports, so a meeting counts once.
    top : int, default 7
        Themes drawn in their own colour.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> from bilat_analysis.dyads import annotate_documents
    >>> ax = plot_themes_over_time(annotate_documents(load_corpus()), freq="Y", top=3)
    >>> ax.get_ylabel(), len(ax.get_xticklabels()), ax.get_legend().get_texts()[-1].get_text()
    ('theme mentions', 3, 'other')
    """
    read = ["date", "themes", *(["event"] if "event" in annotated else [])]
    dated = annotated[read].dropna(subset=["date"])  # not the texts: a copy of each
    ax = _axes(ax, (7.5, 3.5))
    counts = pd.DataFrame(list(dated["themes"]), index=dated.index).fillna(0.0)
    if dated.empty or counts.empty:
        ax.set_title("Themes over time (no dated theme mention)")
        return ax
    freq = (freq or _period_alias(dated["date"])).rstrip("E")
    counts["period"] = dated["date"].dt.to_period(freq)
    if per_event and "event" in dated:
        counts["event"] = dated["event"].to_numpy()
        counts = counts.groupby(["period", "event"]).mean().reset_index(level="event", drop=True)
        counts = counts.reset_index()
    table = counts.groupby("period").sum()
    every = pd.period_range(table.index.min(), table.index.max(), freq=freq)
    table = table.reindex(every, fill_value=0.0)
    order = table.sum().sort_values(ascending=False, kind="stable")
    kept = order.index[:top].tolist()
    shown = table[kept].copy()
    if len(order) > top:
        shown["other"] = table[order.index[top:]].sum(axis=1)
    labels = [str(p) for p in every]
    bottom = np.zeros(len(shown))
    for i, theme in enumerate(shown.columns):
        colour = "0.75" if theme == "other" else plt.get_cmap("tab10")(i % 10)
        ax.bar(labels, shown[theme].to_numpy(), bottom=bottom, label=theme, color=colour)
        bottom += shown[theme].to_numpy()
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    name = {"M": "month", "Q": "quarter", "Y": "year"}.get(freq, freq)
    ax.set_xlabel(name)
    ax.set_ylabel("theme mentions")
    once = " (each meeting once)" if per_event and "event" in dated else ""
    ax.set_title(f"Themes over time{once}")
    ax.legend(
        fontsize=7, title="theme", title_fontsize=7, bbox_to_anchor=(1.01, 1), loc="upper left"
    )
    return ax


def _period_alias(dates: pd.Series) -> str:
    """Month, quarter or year: whichever keeps the number of bars readable."""
    span_days = (dates.max() - dates.min()).days if len(dates) else 0
    if span_days <= 3 * 366:
        return "M"
    if span_days <= 12 * 366:
        return "Q"
    return "Y"


def plot_meetings_over_time(
    annotated: pd.DataFrame, *, freq: str | None = None, ax: Axes | None = None
) -> Axes:
    """Bar chart of meetings (events) per period, empty periods drawn as zero.

    Each event counts once, at the date of its first report; without an ``event``
    column each document is its own meeting. Months, quarters or years are chosen from
    the span of the dates unless ``freq`` is given.

    Parameters
    ----------
    annotated : pandas.DataFrame
        With ``date`` (and ``event``).
    freq : {"M", "Q", "Y"}, optional
        Period length; default from the span.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> plot_meetings_over_time(load_corpus()).get_ylabel()
    'meetings'
    """
    dated = annotated[["date", "event" if "event" in annotated else "doc_id"]]
    dated = dated.dropna(subset=["date"])  # (only the columns read: not the texts)
    events = dated["event"] if "event" in dated else dated["doc_id"]
    first = dated.groupby(events.to_numpy())["date"].min()
    freq = freq or _period_alias(first)
    periods = first.dt.to_period(freq)
    ax = _axes(ax, (7.0, 3.0))
    if periods.empty:
        ax.set_title("Meetings over time (no dated document)")
        return ax
    every = pd.period_range(periods.min(), periods.max(), freq=freq)
    counts = periods.value_counts().reindex(every, fill_value=0)
    starts = every.to_timestamp()
    width = {"M": 25, "Q": 80, "Y": 330}[freq]
    ax.bar(starts, counts.to_numpy(), width=width, align="edge", color="C0")
    _date_axis(ax)
    ax.yaxis.get_major_locator().set_params(integer=True)
    name = {"M": "month", "Q": "quarter", "Y": "year"}[freq]
    ax.set_xlabel(f"{name} (of the meeting's first report)")
    ax.set_ylabel("meetings")
    ax.set_title(f"Meetings per {name} ({len(first):,} meetings)")
    return ax


def _date_axis(ax: Axes) -> None:
    """Readable date ticks at any span: a few, concise, never colliding."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    formatter = mdates.ConciseDateFormatter(
        locator,
        formats=["%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M", "%S"],
        zero_formats=["", "%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M"],
        show_offset=False,
    )
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
