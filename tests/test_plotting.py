import matplotlib

matplotlib.use("Agg")

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from bilat_analysis.plotting import (
    plot_heatmap,
    plot_meetings_over_time,
    plot_partner_network,
    plot_themes_over_time,
    plot_timeline,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def big_corpus(n=10_000):
    rng = np.random.default_rng(0)
    days = rng.integers(0, 3650, n)
    return pd.DataFrame(
        {
            "doc_id": [f"doc_{i:05d}" for i in range(n)],
            "date": pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D"),
            "language": rng.choice(["en", "fr", "de"], n),
        }
    )


def tick_labels_overlap(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    return any(a.overlaps(b) for a, b in itertools.pairwise(boxes))


def test_timeline_stays_readable_at_ten_thousand_documents():
    ax = plot_timeline(big_corpus())
    assert len(ax.texts) == 0  # no per-point labels
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert 3 <= len(labels) <= 9
    assert not tick_labels_overlap(ax)
    assert ax.get_title() == "Documents by date (10,000 dated of 10,000)"
    assert ax.get_xlabel() and ax.get_ylabel() == "language"


def test_timeline_labels_a_few_points():
    ax = plot_timeline(big_corpus(5))
    assert len(ax.texts) == 5


def test_themes_over_time_top_themes_other_and_empty_years_as_zero():
    themes = [f"t{i}" for i in range(10)]
    rows = []
    for year in (2018, 2021):  # 2019 and 2020 have nothing
        for i, theme in enumerate(themes):
            rows.append({"date": pd.Timestamp(f"{year}-06-01"), "themes": {theme: 10 - i}})
    ax = plot_themes_over_time(pd.DataFrame(rows), freq="Y", per_event=False, top=4)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2018", "2019", "2020", "2021"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["t0", "t1", "t2", "t3", "other"]
    heights = {}
    for container, label in zip(ax.containers, legend, strict=True):
        heights[label] = [bar.get_height() for bar in container]
        colours = {bar.get_facecolor() for bar in container}
        assert len(colours) == 1
    assert heights["t0"] == [10, 0, 0, 10]
    assert heights["other"] == [sum(range(1, 7)), 0, 0, sum(range(1, 7))]
    colours = [ax.containers[i][0].get_facecolor() for i in range(5)]
    assert len(set(colours)) == 5  # distinct


def test_themes_over_time_with_nothing_dated():
    frame = pd.DataFrame({"date": [pd.NaT], "themes": [{"defence": 1}]})
    assert "no dated" in plot_themes_over_time(frame).get_title()


def test_heatmap_names_its_axes_and_colour_bar():
    matrix = pd.DataFrame([[1, 2], [3, 4]], index=["FRA", "IND"], columns=["defence", "space"])
    matrix.index.name, matrix.columns.name = "partner", "theme"
    ax = plot_heatmap(matrix, label="documents naming both")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("theme", "partner")
    assert ax.images[0].colorbar.ax.get_ylabel() == "documents naming both"
    assert ax.get_title() == "partner x theme"


def test_network_legend_explains_colours_and_widths():
    m = pd.DataFrame(
        [[3, 2, 0, 0], [2, 2, 0, 0], [0, 0, 2, 1], [0, 0, 1, 1]],
        index=list("ABCD"),
        columns=list("ABCD"),
    )
    texts = [t.get_text() for t in plot_partner_network(m).get_legend().get_texts()]
    assert texts[:2] == ["community 1: A, B", "community 2: C, D"]
    assert "named together in 1 document" in texts and "named together in 2 documents" in texts
    assert any("node size" in t for t in texts)


def test_meetings_over_time_counts_each_event_once_and_zero_months():
    frame = pd.DataFrame(
        {
            "doc_id": list("abc"),
            "date": pd.to_datetime(["2024-01-05", "2024-01-06", "2024-04-01"]),
            "event": ["e1", "e1", "e2"],
        }
    )
    ax = plot_meetings_over_time(frame)
    assert [bar.get_height() for bar in ax.containers[0]] == [1, 0, 0, 1]
    assert ax.get_title() == "Meetings per month (2 meetings)"
    assert plot_meetings_over_time(frame.iloc[:0]).get_title().endswith("(no dated document)")


def test_big_heatmap_keeps_the_largest_rows_and_says_so():
    rng = np.random.default_rng(0)
    matrix = pd.DataFrame(rng.integers(0, 5, (200, 17)), index=[f"P{i}" for i in range(200)])
    matrix.iloc[7] = 100
    matrix.index.name, matrix.columns.name = "partner", "theme"
    ax = plot_heatmap(matrix, label="documents")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 40 and "P7" in labels
    assert ax.get_title() == "partner x theme (top 40 of 200 rows)"
    assert ax.figure.get_size_inches()[1] < 20


def test_network_widths_and_sizes_stay_bounded_on_a_big_corpus():
    m = pd.DataFrame([[5000, 3000], [3000, 4000]], index=["FRA", "IND"], columns=["FRA", "IND"])
    ax = plot_partner_network(m)
    widths = [w for c in ax.collections for w in np.atleast_1d(c.get_linewidth())]
    assert max(widths) <= 7
    sizes = [s for c in ax.collections if hasattr(c, "get_sizes") for s in c.get_sizes()]
    assert max(sizes) <= 1000


def test_network_of_many_partners_keeps_the_most_named():
    n = 60
    values = np.ones((n, n), dtype=int)
    np.fill_diagonal(values, range(1, n + 1))
    names = [f"P{i:02d}" for i in range(n)]
    ax = plot_partner_network(pd.DataFrame(values, index=names, columns=names))
    assert ax.get_title() == "Partner network (top 40 of 60 partners)"
    drawn = {t.get_text() for t in ax.texts}
    assert "P59" in drawn and "P00" not in drawn
