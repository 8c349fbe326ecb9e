"""Render the notebooks to HTML reports: execute each on a corpus, then convert it.

A report is one self-contained folder: ``index.html`` (the findings of the corpus at
hand, see :mod:`bilat_analysis.findings`), one page per notebook, and CSV files of the
tables. Pages are safe to open on any corpus: every output HTML fragment goes through
an allow-list sanitiser (nh3), Markdown outputs are converted to HTML and sanitised
too, and the page template loads nothing from the network. Pages are deterministic:
the same corpus gives byte-identical files from any working directory.
"""

from __future__ import annotations

import ast
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from bilat_analysis.parallel import available_cores
from bilat_analysis.paths import NOTEBOOKS_DIR, PACKAGE_DIR

#: Rows shown of a long table in a page; the whole table goes to a CSV beside it.
MAX_ROWS = 20

#: Columns shown of a wide table (e.g. a partner x partner matrix); the CSV has them all.
MAX_COLUMNS = 20

#: Corpus options of ``documents`` that ``report`` passes to every notebook.
CORPUS_OPTIONS = (
    "text_column",
    "id_column",
    "date_column",
    "title_column",
    "partners",
    "themes",
)

#: Prepared corpora of up to this many documents have their notebooks run side by side.
PARALLEL_NOTEBOOKS_UP_TO = 20_000

#: Output types kept in a page; anything else (JavaScript, widgets, SVG, LaTeX) is dropped.
KEPT_MIMETYPES = ("text/html", "text/markdown", "image/png", "image/jpeg", "text/plain")

_TEMPLATE = PACKAGE_DIR / "templates" / "offline.html.j2"
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "*": {"class"},
}
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:/[\w.@+~-]+)+/(?=[\w.@+~-])")


class ReportError(Exception):
    """Some notebooks stopped with an error; their pages (up to the error) and the index exist."""

    def __init__(self, index: Path, failures: list[tuple[str, str]]) -> None:
        detail = "; ".join(f"{name}: {problem}" for name, problem in failures)
        super().__init__(
            f"{len(failures)} notebook(s) stopped with an error ({detail}); see {index}"
        )
        self.index = index
        self.failures = failures


def list_notebooks(folder: str | Path | None = None) -> list[Path]:
    """Return the numbered notebooks (``01_*.ipynb``, ...) of a folder, in order.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Default: the package's notebooks.

    Returns
    -------
    list of pathlib.Path
        Sorted notebook paths.

    Examples
    --------
    >>> list_notebooks()[0].name
    '01_corpus_overview.ipynb'
    """
    return sorted(Path(folder or NOTEBOOKS_DIR).glob("[0-9]*.ipynb"))


def notebook_parameters(notebook: str | Path) -> dict[str, str]:
    """Return the names and default values (as written) of a notebook's ``parameters`` cell.

    Parameters
    ----------
    notebook : str or pathlib.Path
        An ``.ipynb`` file with a cell tagged ``parameters`` (papermill's convention).

    Returns
    -------
    dict
        Parameter name -> its default, as the source text; empty without such a cell.

    Examples
    --------
    >>> notebook_parameters(list_notebooks()[1])["n_topics"]
    '3'
    """
    from papermill.inspection import inspect_notebook

    found = inspect_notebook(str(notebook))
    return {name: str(info["default"]) for name, info in found.items()}


def parse_value(text: str) -> object:
    """Read a ``-p NAME VALUE`` value as papermill does: None, a bool, a number or a string.

    Parameters
    ----------
    text : str
        The value as typed.

    Returns
    -------
    object
        ``None``, ``True``/``False``, an int, a float, or ``text`` itself.

    Examples
    --------
    >>> parse_value("5"), parse_value("0.5"), parse_value("None"), parse_value("event")
    (5, 0.5, None, 'event')
    """
    if text in ("None", "True", "False"):
        return ast.literal_eval(text)
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def check_parameters(
    parameters: Mapping[str, object], notebooks: Iterable[str | Path]
) -> dict[Path, dict[str, object]]:
    """Check notebook parameters against the notebooks' ``parameters`` cells and split them.

    A name is valid when at least one notebook declares it; each notebook then receives
    the parameters it declares. ``corpus`` is set by the report itself.

    Parameters
    ----------
    parameters : mapping
        Name -> value (e.g. from ``-p k 5``).
    notebooks : iterable of str or pathlib.Path
        The notebooks of the report.

    Returns
    -------
    dict
        Notebook path -> the parameters it receives.

    Raises
    ------
    ValueError
        For a name no notebook declares (the message lists the valid names) or ``corpus``.

    Examples
    --------
    >>> split = check_parameters({"k": 3}, list_notebooks())
    >>> {path.name: value for path, value in split.items() if value}
    {'02_topic_clustering.ipynb': {'k': 3}}
    """
    declared = {Path(nb): notebook_parameters(nb) for nb in notebooks}
    names = {name for names in declared.values() for name in names}
    known = sorted(names - {"corpus", *CORPUS_OPTIONS})
    for name in parameters:
        if name == "corpus" or name in CORPUS_OPTIONS:
            flag = "the CORPUS argument" if name == "corpus" else "--" + name.replace("_", "-")
            raise ValueError(f"{name} is set with {flag}, not with -p")
        if name not in known:
            shown = ", ".join(known) or "none"
            raise ValueError(
                f"unknown notebook parameter {name!r}; the notebooks declare: {shown}"
            )
    return {
        path: {name: value for name, value in parameters.items() if name in names}
        for path, names in declared.items()
    }


def sanitise_html(fragment: str) -> str:
    """Keep only harmless HTML: text, tables, lists, emphasis and relative or web links.

    An allow-list (nh3, the Rust ``ammonia`` sanitiser): ``<script>``, ``<style>``,
    ``on*=`` handlers, ``javascript:`` and ``data:`` URLs, forms, frames and images are
    removed; what remains cannot run code.

    Parameters
    ----------
    fragment : str
        HTML from an output (a pandas table, rendered Markdown, ...).

    Returns
    -------
    str
        The cleaned fragment.

    Examples
    --------
    >>> sanitise_html('<b onclick="x()">bold</b><script>alert(1)</script>')
    '<b>bold</b>'
    >>> sanitise_html('<a href="javascript:alert(1)">x</a><a href="t.csv">t</a>')
    '<a rel="noopener noreferrer">x</a><a href="t.csv" rel="noopener noreferrer">t</a>'
    """
    import nh3

    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )


def scrub_paths(text: str) -> str:
    """Drop the folders of absolute paths in a message, keeping the file names.

    Parameters
    ----------
    text : str
        E.g. a warning or traceback line.

    Returns
    -------
    str
        The text with ``/any/folder/`` prefixes removed.

    Examples
    --------
    >>> scrub_paths("/home/me/pkg/corpus.py:12: CorpusWarning: skipped a.txt")
    'corpus.py:12: CorpusWarning: skipped a.txt'
    """
    return _ABSOLUTE_PATH.sub("", text)


def _relative(path: str | Path | None, start: Path) -> str | None:
    if path is None:
        return None
    return os.path.relpath(Path(path).resolve(), start)


# --------------------------------------------------------------------------- kernel side


def show_long_tables(folder: str | Path, stem: str, *, max_rows: int = MAX_ROWS) -> None:
    """In a running notebook, show DataFrames and Series as tables cut after ``max_rows``.

    Registered by the report in each notebook's kernel: a table longer than ``max_rows``
    (or wider than 20 columns) is shown cut, with a note ("First 20 of 3,412 rows"), and
    written whole to ``folder/<stem>-table-<n>.csv``, linked from the note. A Series is
    shown as a one-column table.

    Parameters
    ----------
    folder : str or pathlib.Path
        Where the CSV files go (the report folder).
    stem : str
        Prefix of the CSV names (the notebook's name).
    max_rows : int, default 20
        Rows shown.

    Examples
    --------
    >>> show_long_tables("reports", "01_corpus_overview")  # doctest: +SKIP
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    written = [0]

    def to_html(table: pd.DataFrame | pd.Series) -> str:
        frame = table.to_frame() if isinstance(table, pd.Series) else table
        rows, cols = frame.shape
        if rows <= max_rows and cols <= MAX_COLUMNS:
            return frame.to_html(max_rows=None, max_cols=None, na_rep="")
        written[0] += 1
        name = f"{stem}-table-{written[0]}.csv"
        frame.to_csv(Path(folder) / name, lineterminator="\n")
        cut = []
        if rows > max_rows:
            cut.append(f"first {max_rows} of {rows:,} rows")
        if cols > MAX_COLUMNS:
            cut.append(f"first {MAX_COLUMNS} of {cols:,} columns")
        shown = frame.iloc[:max_rows, :MAX_COLUMNS]
        return (
            shown.to_html(max_rows=None, max_cols=None, na_rep="")
            + f'<p class="bilat-note">{" and ".join(cut).capitalize()}; the whole table: '
            + f'<a href="{name}">{name}</a>.</p>'
        )

    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, to_html)
    formatter.for_type(pd.Series, to_html)

    def describe_figure(figure: object, printer: object, cycle: bool) -> None:
        titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
        printer.text("Figure: " + "; ".join(titles) if titles else "Figure")

    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(plt.figure())  # the inline backend resets Figure's formatters when it starts
    shell.display_formatter.formatters["text/plain"].for_type(Figure, describe_figure)


# --------------------------------------------------------------------------- page side


def _clean_output(output: dict, markdown: object) -> dict | None:
    kind = output.get("output_type")
    if kind == "stream":
        output["text"] = scrub_paths(output.get("text", ""))
        return output
    if kind == "error":
        evalue = scrub_paths(str(output.get("evalue", "")))
        output["evalue"] = evalue
        output["traceback"] = [f"{output.get('ename', 'Error')}: {evalue}"]
        return output
    data = output.get("data", {})
    kept = {key: value for key, value in data.items() if key in KEPT_MIMETYPES}
    if "text/markdown" in kept:
        kept["text/html"] = markdown(kept.pop("text/markdown"))
    if "text/html" in kept:
        kept["text/html"] = sanitise_html(kept["text/html"])
    if "text/plain" in kept:
        kept["text/plain"] = scrub_paths(kept["text/plain"])
    if not kept:
        return None
    output["data"] = kept
    output["metadata"] = {}
    if "image/png" in kept:  # the figure's description (set by show_long_tables) as alt text
        output["metadata"] = {"image/png": {"alt": kept.get("text/plain", "figure")}}
    return output


def prepare_for_page(notebook: object) -> object:
    """Make an executed notebook safe and deterministic to publish (in place).

    Every HTML output is sanitised (:func:`sanitise_html`), Markdown outputs become
    sanitised HTML, other rich outputs (JavaScript, widgets, SVG) are dropped, absolute
    paths are cut from messages, tracebacks shortened to their last line, cell ids and
    execution counts renumbered 1..n, and run metadata (timings) removed.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"text/html": "<p onclick='x()'>hi</p><script>1</script>"})])
    >>> page = prepare_for_page(nbformat.v4.new_notebook(cells=[cell]))
    >>> page.cells[0].outputs[0].data["text/html"], page.cells[0].id
    ('<p>hi</p>', 'cell-1')
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    count = 0
    for number, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{number}"
        cell["metadata"] = {
            key: value for key, value in cell.get("metadata", {}).items() if key == "tags"
        }
        if cell.get("cell_type") != "code":
            continue
        outputs = [_clean_output(output, markdown2html_mistune) for output in cell["outputs"]]
        cell["outputs"] = [output for output in outputs if output is not None]
        if cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell["outputs"]:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count
    notebook.metadata.pop("papermill", None)
    notebook.metadata.pop("widgets", None)
    return notebook


def _title(notebook: object, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _exporter(show_code: bool) -> object:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=str(_TEMPLATE),
        sanitize_html=False,  # done per output, by prepare_for_page, with an allow-list
        embed_images=True,
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=not show_code,
        anchor_link_text="",
    )


def _setup_source(folder: Path, stem: str, max_rows: int, prepared: Path | None) -> str:
    # the hidden setup cell points the notebook at the corpus prepared once for the whole
    # report; the page shows the corpus as the user named it (the injected parameters)
    return (
        "from bilat_analysis.report import show_long_tables\n"
        f"show_long_tables({str(folder)!r}, {stem!r}, max_rows={max_rows})"
        + ("" if prepared is None else f"\ncorpus = {str(prepared)!r}")
    )


def _quiet_kernel_manager(started: list[object] | None = None) -> type:
    """Return a kernel manager whose kernel writes nothing on our stderr (warnings, noise).

    Each manager whose kernel starts is appended to ``started`` (when given), so that an
    interrupted report can stop the kernels still running (:func:`_stop_kernels`).
    """
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kwargs: object) -> None:
            kwargs.setdefault("stderr", subprocess.DEVNULL)
            await super().start_kernel(**kwargs)
            if started is not None:
                started.append(self)

    return QuietKernelManager


def _stop_kernels(managers: Iterable[object]) -> None:
    """Kill the kernels of these managers that still run (their notebooks then stop)."""
    for manager in managers:
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()


def _execute(
    notebook_path: Path,
    executed: Path,
    *,
    parameters: dict[str, object],
    cwd: Path,
    folder: Path,
    max_rows: int,
    kernel_name: str,
    prepared: Path | None = None,
    started: list[object] | None = None,
) -> str:
    """Run one notebook; return "" or the error that stopped it.

    The kernel starts in ``cwd`` (nbclient's ``resources``): papermill's own ``cwd``
    changes this whole process's working folder while the notebook runs, which two
    notebooks run at once (:func:`render_reports`) would undo for each other.
    """
    import nbformat
    import papermill

    source = nbformat.read(notebook_path, as_version=4)
    setup = nbformat.v4.new_code_cell(
        _setup_source(folder, notebook_path.stem, max_rows, prepared),
        metadata={"tags": ["report-setup"]},
    )
    position = next(
        (
            i + 1
            for i, cell in enumerate(source.cells)
            if "parameters" in cell.get("metadata", {}).get("tags", [])
        ),
        0,
    )
    source.cells.insert(position, setup)
    staged = executed.with_suffix(".in.ipynb")
    nbformat.write(source, staged)
    try:
        papermill.execute_notebook(
            str(staged),
            str(executed),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            kernel_manager_class=_quiet_kernel_manager(started),
            resources={"metadata": {"path": str(cwd)}},
        )
    except papermill.PapermillExecutionError as error:
        if "No space left on device" in str(error.evalue):
            raise OSError(errno.ENOSPC, "No space left on device") from error
        return f"{error.ename}: {scrub_paths(str(error.evalue))}"
    return ""


def _prepare_once(
    corpus: str | Path | None, options: Mapping[str, object], scratch: Path
) -> Path:
    """Prepare the corpus once for the front page and every notebook (or use it as prepared)."""
    from bilat_analysis.prepare import is_prepared, prepare_corpus

    if is_prepared(corpus):
        return Path(corpus).resolve()  # type: ignore[arg-type]
    return prepare_corpus(corpus, scratch / "prepared", progress=False, **options)


def _page(executed: Path, *, show_code: bool, title: str) -> tuple[str, str]:
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    notebook.cells = [
        cell
        for cell in notebook.cells
        if "report-setup" not in cell.get("metadata", {}).get("tags", [])
    ]
    if not show_code:  # the reader still sees with which parameters the page was made
        for cell in notebook.cells:
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                lines = [line for line in cell.source.splitlines() if not line.startswith("#")]
                cell.outputs = [
                    nbformat.v4.new_output(
                        "stream", name="stdout", text="This run: " + "; ".join(lines) + "\n"
                    )
                ]
    prepare_for_page(notebook)
    title = _title(notebook, title)
    body, _ = _exporter(show_code).from_notebook_node(
        notebook, resources={"metadata": {"name": title}}
    )
    return body, title


def _is_report_folder(folder: Path) -> bool:
    """Whether ``folder`` may be replaced: missing, empty, or an earlier report."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    entries = list(folder.iterdir())
    if not entries:
        return True
    index = folder / "index.html"
    if index.is_file() and 'content="bilat_analysis"' in index.read_text("utf-8", "replace"):
        return True
    # a report from before the marker: index.html and numbered pages, nothing else
    legacy = re.compile(r"(index|\d+_[\w-]+)\.html")
    return index.is_file() and all(legacy.fullmatch(entry.name) for entry in entries)


def _swap_into_place(staged: Path, out: Path) -> None:
    staged.chmod(0o755)
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        staged.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staged.rename(out)


def _notebook_jobs(prepared: Path) -> int:
    """How many notebooks run at once: every core's worth for a small corpus, else one.

    A small corpus's notebook is mostly its kernel's start (imports, the lexicons'
    automata: the seeds' three took 23 s one after the other, 15 s two at a time on 2
    cores); a large corpus's notebook holds the corpus in its kernel (gigabytes at
    100,000 articles) and its stages use every core themselves.
    """
    from bilat_analysis.prepare import read_manifest

    documents = read_manifest(prepared).get("documents")
    if not isinstance(documents, int) or documents > PARALLEL_NOTEBOOKS_UP_TO:
        return 1
    return available_cores()


def _run_notebooks(
    run: Callable[[Path], str], notebooks: list[Path], jobs: int, started: list[object]
) -> list[str]:
    """Run each notebook (``jobs`` at a time, in threads); give their problems in order.

    Interrupted (Ctrl-C), the kernels still running are killed, so that their
    notebooks stop at once instead of running to their end.
    """
    if jobs <= 1 or len(notebooks) <= 1:
        return [run(notebook) for notebook in notebooks]
    pool = ThreadPoolExecutor(min(jobs, len(notebooks)))
    try:
        return list(pool.map(run, notebooks))
    except BaseException:
        _stop_kernels(started)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def render_reports(
    corpus: str | Path | None = None,
    *,
    out_dir: str | Path = "reports",
    notebooks_dir: str | Path | None = None,
    corpus_options: Mapping[str, object] | None = None,
    parameters: Mapping[str, object] | None = None,
    show_code: bool = False,
    max_rows: int = MAX_ROWS,
    kernel_name: str = "python3",
    prepared: str | Path | None = None,
) -> Path:
    """Execute every notebook on ``corpus`` and write one HTML page each, a front page and CSVs.

    The report is built in a temporary folder beside ``out_dir`` and moved into place
    when complete: an interrupted run leaves the previous report as it was. Each
    notebook runs from the corpus's parent folder and receives the corpus (and any
    lexicon) as a path relative to it, so no page shows an absolute path.

    Parameters
    ----------
    corpus : str or pathlib.Path, optional
        Folder or file to analyse; default the bundled seeds.
    out_dir : str or pathlib.Path, default "reports"
        The report folder. Replaced as a whole; refused when it holds other files.
    notebooks_dir : str or pathlib.Path, optional
        Default: the package's notebooks.
    corpus_options : mapping, optional
        ``text_column``, ``id_column``, ``date_column``, ``title_column``, ``partners``,
        ``themes`` (as for ``documents``): passed to the front page and every notebook.
    parameters : mapping, optional
        Notebook parameters (``{"k": 5}``), checked by :func:`check_parameters`.
    show_code : bool, default False
        Keep the code cells in the pages (reader mode hides them).
    max_rows : int, default 20
        Rows of a table shown in a page; longer tables are cut and written as CSV.
    kernel_name : str, default "python3"
        Jupyter kernel that executes the notebooks.
    prepared : str or pathlib.Path, optional
        ``corpus`` already prepared (:func:`bilat_analysis.prepare.prepare_corpus`) in
        this folder: used as it is, while the pages name ``corpus``. Default: ``corpus``
        is prepared here (once for every page) unless it is a prepared folder itself.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.

    Raises
    ------
    FileNotFoundError
        When ``corpus`` does not exist or no notebook is found.
    ValueError
        For an unknown option or parameter, or an ``out_dir`` holding other files.
    ReportError
        When a notebook stops with an error: the report is still written (the failed
        page up to its error) and the index says which stopped and why.

    Examples
    --------
    >>> index = render_reports(out_dir="reports")  # doctest: +SKIP
    """
    from bilat_analysis.findings import write_front_page

    if corpus is not None and not Path(corpus).exists():
        raise FileNotFoundError(f"no such file or folder: {corpus}")
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, not {max_rows}")
    options = {key: value for key, value in (corpus_options or {}).items() if value is not None}
    unknown = sorted(set(options) - set(CORPUS_OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown corpus option(s) {', '.join(unknown)}; valid: {', '.join(CORPUS_OPTIONS)}"
        )
    for key in ("partners", "themes"):
        if key in options and not Path(str(options[key])).is_file():
            raise FileNotFoundError(f"no such lexicon file ({key}): {options[key]}")
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks in {notebooks_dir or NOTEBOOKS_DIR}")
    per_notebook = check_parameters(dict(parameters or {}), notebooks)
    out = Path(out_dir)
    if not _is_report_folder(out):
        raise ValueError(
            f"{out} exists and is not a bilat_analysis report; choose another --out folder"
        )
    cwd = Path(corpus).resolve().parent if corpus is not None else Path.cwd()
    relative = {
        "corpus": _relative(corpus, cwd),
        **{
            key: (_relative(value, cwd) if key in ("partners", "themes") else value)
            for key, value in options.items()
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        pages, failures = [], []
        with tempfile.TemporaryDirectory() as scratch:
            prepared = (
                _prepare_once(corpus, options, Path(scratch))
                if prepared is None
                else Path(prepared).resolve()
            )
            started: list[object] = []  # the kernels' managers

            def run(notebook_path: Path) -> str:
                declared = notebook_parameters(notebook_path)
                given = {k: v for k, v in relative.items() if k in declared}
                given.update(per_notebook[notebook_path])
                return _execute(
                    notebook_path,
                    Path(scratch) / notebook_path.name,
                    parameters=given,
                    cwd=cwd,
                    folder=staged,
                    max_rows=max_rows,
                    kernel_name=kernel_name,
                    prepared=prepared,
                    started=started,
                )

            problems = _run_notebooks(run, notebooks, _notebook_jobs(prepared), started)
            for notebook_path, problem in zip(notebooks, problems, strict=True):
                if problem:
                    failures.append((notebook_path.name, problem))
                executed = Path(scratch) / notebook_path.name
                body, title = _page(executed, show_code=show_code, title=notebook_path.stem)
                page = staged / f"{notebook_path.stem}.html"
                page.write_text(body, encoding="utf-8")
                pages.append((page.name, title, problem))
            write_front_page(
                prepared,
                staged,
                pages=pages,
                corpus_options=options,
                source=_relative(corpus, cwd) or "the bundled sample corpus",
            )
        _swap_into_place(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    index = out / "index.html"
    if failures:
        raise ReportError(index, failures)
    return index
