"""The findings of a corpus, computed, for the front page of a report and for notebook prose.

:func:`corpus_findings` computes the headline tables (what the corpus holds, the top
dyads by meetings with their distinctive themes, the hub partners, meetings over
time, officials carrying several dialogues); :func:`write_front_page` writes them as
``index.html`` and CSV files. Every piece of corpus text is escaped where it is put
into HTML or Markdown (:func:`escape_markdown`): a document cannot inject markup.
"""

from __future__ import annotations

import base64
import html
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

#: Dyads and officials listed on the front page (all of them are in the CSVs).
TOP = 10

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")


def escape_markdown(text: object) -> str:
    r"""Escape corpus text for Markdown: no markup, no link, no HTML survives.

    Parameters
    ----------
    text : object
        Any value; converted with ``str``.

    Returns
    -------
    str
        Markdown that renders as the literal text (newlines become spaces).

    Examples
    --------
    >>> print(escape_markdown("<b>*EU*</b>"))
    \<b\>\*EU\*\</b\>
    """
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """Write a count with its noun: ``1 document``, ``3,412 documents``.

    Parameters
    ----------
    count : int
        How many.
    noun : str
        Singular noun.
    many : str, optional
        Plural when not ``noun + "s"``.

    Returns
    -------
    str
        E.g. ``"2 meetings"``.

    Examples
    --------
    >>> plural(1, "meeting"), plural(3412, "document"), plural(0, "body", "bodies")
    ('1 meeting', '3,412 documents', '0 bodies')
    """
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


class Findings(NamedTuple):
    """Headline tables of one corpus (each may be empty)."""

    annotated: pd.DataFrame  #: the corpus frame with dyad, themes, event, ...
    skipped: pd.DataFrame  #: inputs that did not load: source, reason
    summary: pd.DataFrame  #: one row per fact: fact, value
    languages: pd.DataFrame  #: language, documents
    dyads: pd.DataFrame  #: dyad, meetings, documents, distinctive themes
    hubs: pd.DataFrame  #: partner_centrality of the actors
    officials: pd.DataFrame  #: officials in several dyads: official, partner, dyads, documents


def _dyad_table(annotated: pd.DataFrame) -> pd.DataFrame:
    from bilat_analysis.cooccurrence import dyad_profiles

    columns = ["dyad", "meetings", "documents", "distinctive themes"]
    # only the columns counted: filtering the whole frame would copy every text
    with_dyad = annotated[["doc_id", "dyad", "event"]][annotated["dyad"].notna()]
    if with_dyad.empty:
        return pd.DataFrame(columns=columns)
    names = ["-".join(dyad) for dyad in with_dyad["dyad"]]
    counts = (
        with_dyad.assign(dyad=names)
        .groupby("dyad")
        .agg(meetings=("event", "nunique"), documents=("doc_id", "size"))
    )
    profiles = dyad_profiles(annotated, unit="event")
    distinctive = (
        profiles[(profiles["g2"] > 0) & (profiles["count"] > 0)]
        .groupby("dyad")["theme"]
        .agg(lambda themes: ", ".join(themes.head(3)))
    )
    table = counts.assign(**{"distinctive themes": distinctive}).reset_index()
    table["distinctive themes"] = table["distinctive themes"].fillna("")
    table = table.sort_values(["meetings", "documents", "dyad"], ascending=[False, False, True])
    return table[columns].reset_index(drop=True)


def _hub_table(annotated: pd.DataFrame, partner_mentions: pd.DataFrame) -> pd.DataFrame:
    from bilat_analysis.cooccurrence import cooccurrence, partner_centrality, variable_mentions

    mentions = variable_mentions(partner_mentions, "partner", corpus=annotated)
    actors = mentions[mentions["kind"] != "organisation"]
    if actors.empty:
        return pd.DataFrame(columns=["partner", "units", "partners_met", "cooccurrences"])
    counts = cooccurrence(
        annotated, rows="partner", cols="partner", mentions={"partner": actors}
    )
    table = partner_centrality(counts).rename(columns={"units": "documents"})
    return table[table["cooccurrences"] > 0].reset_index(drop=True)


def _official_table(annotated: pd.DataFrame, officials: pd.DataFrame) -> pd.DataFrame:
    from bilat_analysis.cooccurrence import official_dyads

    columns = ["official", "partner", "dyads", "documents"]
    chairs = official_dyads(annotated, officials)
    several = chairs[chairs.duplicated("official", keep=False)]
    if several.empty:
        return pd.DataFrame(columns=columns)
    table = (
        several.groupby("official", sort=False)
        .agg(
            partner=("partner", "first"),
            dyads=("dyad", lambda d: ", ".join(sorted(d))),
            documents=("documents", "sum"),
        )
        .reset_index()
    )
    return table[columns]


def corpus_findings(
    corpus: str | Path | None = None, *, corpus_options: Mapping[str, object] | None = None
) -> Findings:
    """Compute the headline findings of a corpus.

    Parameters
    ----------
    corpus : str or pathlib.Path, optional
        Folder or file; default the bundled seeds.
    corpus_options : mapping, optional
        ``text_column``, ``id_column``, ``date_column``, ``title_column`` (for
        :func:`bilat_analysis.read_corpus`) and ``partners``, ``themes`` (lexicons).

    Returns
    -------
    Findings
        The tables; empty ones when nothing loaded.

    Examples
    --------
    >>> found = corpus_findings()
    >>> found.dyads.iloc[0][["dyad", "meetings", "documents"]].astype(str).tolist()
    ['FRA-IND', '1', '2']
    >>> found.officials["official"].tolist()[:1]
    ['Alice Rufo']
    """
    from bilat_analysis.corpus import read_corpus
    from bilat_analysis.prepare import corpus_tables, is_prepared

    options = dict(corpus_options or {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the skipped inputs are reported in their own table
        if not is_prepared(corpus):
            columns = {k: v for k, v in options.items() if k not in ("partners", "themes")}
            loaded = read_corpus(corpus, **columns)
            if loaded.documents.empty:
                empty = pd.DataFrame()
                summary = pd.DataFrame({"fact": ["documents"], "value": ["0"]})
                return Findings(loaded.documents, loaded.skipped, summary, *[empty] * 4)
        tables = corpus_tables(corpus, **options)  # read when prepared, computed once if not
    annotated, skipped = tables.documents, tables.skipped
    languages = (
        annotated["language"].fillna("unknown").value_counts().rename_axis("language")
        .reset_index(name="documents")
        .sort_values(["documents", "language"], ascending=[False, True])
        .reset_index(drop=True)
    )
    dates = annotated["date"].dropna()
    facts = [
        ("documents", f"{len(annotated):,}"),
        ("meetings (events)", f"{annotated['event'].nunique():,}"),
        ("documents with a dyad", f"{int(annotated['dyad'].notna().sum()):,}"),
        ("languages", ", ".join(f"{r.language} ({r.documents:,})" for r in languages.itertuples())),
        (
            "dates",
            f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
            + (f" ({len(annotated) - len(dates):,} undated)" if len(dates) < len(annotated) else "")
            if len(dates)
            else "no document is dated",
        ),
        ("skipped inputs", f"{len(skipped):,}"),
    ]
    return Findings(
        annotated=annotated,
        skipped=skipped,
        summary=pd.DataFrame(facts, columns=["fact", "value"]),
        languages=languages,
        dyads=_dyad_table(annotated),
        hubs=_hub_table(annotated, tables.partners),
        officials=_official_table(annotated, tables.officials),
    )


# --------------------------------------------------------------------------- the page


def _table(frame: pd.DataFrame, *, limit: int | None = None) -> str:
    from bilat_analysis.report import sanitise_html

    if frame.empty:
        return "<p>None found.</p>"
    shown = frame if limit is None else frame.head(limit)
    return sanitise_html(shown.to_html(index=False, escape=True, border=0, na_rep=""))


def _facts(summary: pd.DataFrame) -> str:
    rows = "\n".join(
        f'<tr><th scope="row">{html.escape(str(fact))}</th><td>{html.escape(str(value))}</td></tr>'
        for fact, value in zip(summary["fact"], summary["value"], strict=True)
    )
    return f"<table>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _figure_png(annotated: pd.DataFrame) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bilat_analysis.plotting import plot_meetings_over_time

    if annotated.empty or annotated["date"].notna().sum() == 0:
        return None
    ax = plot_meetings_over_time(annotated)
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(ax.figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.more { font-size: 0.9em; color: #555; }
.error { color: #a00; }
img { max-width: 100%; }
"""


def _section(title: str, body: str, *, page: str | None, csv: str | None) -> str:
    links = []
    if page:
        links.append(f'explained in <a href="{html.escape(page)}">{html.escape(page)}</a>')
    if csv:
        links.append(f'whole table: <a href="{html.escape(csv)}">{html.escape(csv)}</a>')
    more = f'<p class="more">{"; ".join(links)}</p>' if links else ""
    return f"<section>\n<h2>{html.escape(title)}</h2>\n{body}\n{more}\n</section>\n"


def write_front_page(
    corpus: str | Path | None,
    folder: str | Path,
    *,
    pages: Sequence[tuple[str, str, str]] = (),
    corpus_options: Mapping[str, object] | None = None,
    source: str | None = None,
) -> Path:
    """Write ``index.html`` with the corpus's findings, and their tables as CSV, into ``folder``.

    Parameters
    ----------
    corpus : str or pathlib.Path, optional
        Folder or file; default the bundled seeds.
    folder : str or pathlib.Path
        The report folder (exists).
    pages : sequence of (str, str, str)
        The notebook pages: file name, title, and the error that stopped it ("" if none).
    corpus_options : mapping, optional
        As for :func:`corpus_findings`.
    source : str, optional
        How to name the corpus on the page (a relative path); default its folder name.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = write_front_page(None, folder).read_text(encoding="utf-8")
    >>> "FRA-IND" in page and "<th>dyad</th>" in page
    True
    """
    folder = Path(folder)
    found = corpus_findings(corpus, corpus_options=corpus_options)
    names = {name for name, _, _ in pages}

    def page(stem: str) -> str | None:
        return f"{stem}.html" if f"{stem}.html" in names else None

    csvs = {
        "documents.csv": _documents_csv(found.annotated),
        "dyads.csv": found.dyads,
        "hubs.csv": found.hubs,
        "officials.csv": found.officials,
        "skipped.csv": found.skipped,
    }
    for name, frame in csvs.items():
        frame.to_csv(folder / name, index=False, lineterminator="\n")
    corpus_name = source or ("the bundled sample corpus" if corpus is None else Path(corpus).name)
    figure = _figure_png(found.annotated)
    timeline = (
        f'<img alt="Meetings over time" src="data:image/png;base64,{figure}">'
        if figure
        else "<p>No document is dated.</p>"
    )
    items = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(title)}</a>'
        + (f' <span class="error">stopped with an error: {html.escape(problem)}</span>'
           if problem else "")
        + "</li>"
        for name, title, problem in pages
    )
    sections = [
        _section("Pages", f"<ul>\n{items}\n</ul>" if items else "<p>No page.</p>",
                 page=None, csv=None),
        _section(
            "The corpus",
            _facts(found.summary),
            page=page("01_corpus_overview"),
            csv="documents.csv",
        ),
        _section(
            f"Top dyads by meetings (first {TOP})" if len(found.dyads) > TOP else "Dyads",
            "<p>A meeting (event) is counted once however many reports it has; distinctive "
            "themes are those the dyad discusses more than the rest of the corpus "
            "(positive log-likelihood keyness).</p>\n" + _table(found.dyads, limit=TOP),
            page=page("03_cooccurrence"),
            csv="dyads.csv",
        ),
        _section(
            "Hub partners",
            "<p>States and blocs named together with the most other partners "
            "(co-occurrences: documents naming both, summed over partners).</p>\n"
            + _table(found.hubs, limit=TOP),
            page=page("03_cooccurrence"),
            csv="hubs.csv",
        ),
        _section("Meetings over time", timeline, page=page("02_topic_clustering"), csv=None),
        _section(
            "Officials carrying several dialogues",
            "<p>Officials named in the documents of more than one dyad.</p>\n"
            + _table(found.officials, limit=TOP),
            page=page("03_cooccurrence"),
            csv="officials.csv",
        ),
        _section(
            "Skipped inputs",
            _table(found.skipped) if not found.skipped.empty else "<p>Every input loaded.</p>",
            page=page("01_corpus_overview"),
            csv="skipped.csv" if not found.skipped.empty else None,
        ),
    ]
    index = folder / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="bilat_analysis">\n'
        f"<title>Findings: {html.escape(corpus_name)}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n"
        f"<h1>Findings: {html.escape(corpus_name)}</h1>\n"
        "<p>Computed by bilat_analysis on this corpus; each section links to the page that "
        "explains the method and to its table as CSV.</p>\n"
        + "".join(sections)
        + "</body>\n</html>\n",
        encoding="utf-8",
    )
    return index


def _documents_csv(annotated: pd.DataFrame) -> pd.DataFrame:
    if annotated.empty:
        return pd.DataFrame(columns=["doc_id"])
    keep = [c for c in ("doc_id", "source", "date", "language", "title", "n_words", "dyad",
                        "host", "event", "cluster") if c in annotated]
    frame = annotated[keep].copy()
    frame["dyad"] = ["-".join(d) if isinstance(d, tuple) else "" for d in frame["dyad"]]
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


# --------------------------------------------------------------------------- notebook prose


def describe_corpus(corpus: pd.DataFrame) -> str:
    """One Markdown sentence on what a corpus frame holds: documents, languages, dates, skips.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`bilat_analysis.load_corpus`.

    Returns
    -------
    str
        Markdown; corpus values escaped.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> print(describe_corpus(load_corpus()))  # doctest: +NORMALIZE_WHITESPACE
    **5 documents** in 2 languages (en: 4, fr: 1), dated from 2023-02-10 to 2025-01-21. Every
    input loaded.
    """
    if corpus.empty:
        return "**No document** could be loaded."
    counts = corpus["language"].fillna("unknown").value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    languages = ", ".join(f"{escape_markdown(k)}: {v:,}" for k, v in counts.items())
    dates = corpus["date"].dropna()
    if dates.empty:
        when = "none of them dated"
    else:
        when = f"dated from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        if len(dates) < len(corpus):
            when += f" ({plural(len(corpus) - len(dates), 'document')} undated)"
    skipped = len(corpus.attrs.get("skipped", []))
    tail = "Every input loaded." if not skipped else f"{plural(skipped, 'input')} skipped (below)."
    return (
        f"**{plural(len(corpus), 'document')}** in {plural(len(counts), 'language')} "
        f"({languages}), {when}. {tail}"
    )


def describe_agreement(with_concepts: pd.Series, words_only: pd.Series) -> str:
    """Say in Markdown how far two clusterings of the same documents agree.

    Parameters
    ----------
    with_concepts, words_only : pandas.Series
        Cluster labels of the same documents, in the same order.

    Returns
    -------
    str
        A sentence with the adjusted Rand index (1 = the same partition).

    Examples
    --------
    >>> describe_agreement(pd.Series([0, 0, 1]), pd.Series([1, 1, 0]))
    'Here the two clusterings put the documents in the same groups (adjusted Rand index 1.00).'
    """
    from sklearn.metrics import adjusted_rand_score

    if len(with_concepts) < 2:
        return "With fewer than two documents there is nothing to compare."
    score = adjusted_rand_score(with_concepts, words_only)
    if score >= 0.999:
        verdict = "put the documents in the same groups"
    elif score >= 0.5:
        verdict = "mostly agree"
    else:
        verdict = "disagree on much of the corpus"
    return f"Here the two clusterings {verdict} (adjusted Rand index {score:.2f})."


def describe_support(table: pd.DataFrame, *, min_support: int, unit: str) -> str:
    """Say in Markdown how many pairs of an association table have enough support.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`bilat_analysis.cooccurrence.association_table` (``n_ab``, ``p_value``).
    min_support : int
        The minimum support used.
    unit : str
        The unit counted ("document", "sentence", "event").

    Returns
    -------
    str
        E.g. "Of 40 pairs seen together, 6 reach ..."

    Examples
    --------
    >>> t = pd.DataFrame({"n_ab": [0, 1, 3], "p_value": [1.0, 0.5, 0.01]})
    >>> print(describe_support(t, min_support=2, unit="document"))  # doctest: +NORMALIZE_WHITESPACE
    Of 2 pairs seen together, 1 is seen in at least 2 documents and gets a measure; 1 pair
    has p < 0.05.
    """
    seen = table[table["n_ab"] > 0]
    supported = seen[seen["n_ab"] >= min_support]
    significant = supported[supported["p_value"] < 0.05]
    verb = "is" if len(supported) == 1 else "are"
    return (
        f"Of {plural(len(seen), 'pair')} seen together, {len(supported):,} {verb} seen in at "
        f"least {plural(min_support, unit)} and get{'s' if len(supported) == 1 else ''} a "
        f"measure; {plural(len(significant), 'pair')} ha{'s' if len(significant) == 1 else 've'} "
        "p < 0.05."
    )
