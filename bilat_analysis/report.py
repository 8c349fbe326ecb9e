"""Render the notebooks to HTML reports: execute each on a corpus, then convert it."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from bilat_analysis.paths import NOTEBOOKS_DIR


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


def _title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def render_reports(
    corpus: str | Path | None = None,
    *,
    out_dir: str | Path = "reports",
    notebooks_dir: str | Path | None = None,
    kernel_name: str = "python3",
) -> Path:
    """Execute every notebook on ``corpus`` and write one HTML page each plus an index.

    Each notebook's papermill ``parameters`` cell receives ``corpus`` (an absolute
    path, or None for the bundled seeds). Figures are embedded in the pages.
    Output HTML is sanitised (nbconvert's ``sanitize_html``): text from the corpus
    such as ``<script>`` reaches the page escaped, never as live markup.

    Parameters
    ----------
    corpus : str or pathlib.Path, optional
        Folder or file to analyse; default the bundled seeds.
    out_dir : str or pathlib.Path, default "reports"
        Where the pages go (created if needed).
    notebooks_dir : str or pathlib.Path, optional
        Default: the package's notebooks.
    kernel_name : str, default "python3"
        Jupyter kernel that executes the notebooks.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.

    Raises
    ------
    FileNotFoundError
        When ``corpus`` does not exist or no notebook is found.
    ReportError
        When a notebook stops with an error: every page is still written (the failed
        one up to its error) and the index says which stopped and why.

    Examples
    --------
    >>> index = render_reports(out_dir="reports")  # doctest: +SKIP
    """
    if corpus is not None and not Path(corpus).exists():
        raise FileNotFoundError(f"no such file or folder: {corpus}")
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks in {notebooks_dir or NOTEBOOKS_DIR}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parameters = {"corpus": None if corpus is None else str(Path(corpus).resolve())}
    exporter = HTMLExporter(template_name="lab", sanitize_html=True, embed_images=True)
    links, failures = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for notebook_path in notebooks:
            executed = Path(scratch) / notebook_path.name
            problem = ""
            try:
                papermill.execute_notebook(
                    str(notebook_path),
                    str(executed),
                    parameters=parameters,
                    kernel_name=kernel_name,
                    cwd=str(notebook_path.parent),
                    progress_bar=False,
                )
            except papermill.PapermillExecutionError as error:
                # the page still shows every cell up to the error, and the error itself
                problem = f"{error.ename}: {error.evalue}"
                failures.append((notebook_path.name, problem))
            notebook = nbformat.read(executed, as_version=4)
            body, _ = exporter.from_notebook_node(notebook)
            page = out / f"{notebook_path.stem}.html"
            page.write_text(body, encoding="utf-8")
            links.append((page.name, _title(notebook, notebook_path.stem), problem))
    items = "\n".join(
        f'  <li><a href="{html.escape(name)}">{html.escape(title)}</a>'
        + (f" — stopped with an error: {html.escape(problem)}" if problem else "")
        + "</li>"
        for name, title, problem in links
    )
    source = "the bundled sample corpus" if corpus is None else Path(corpus).name
    index = out / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>bilat_analysis reports</title></head>\n<body>\n"
        f"<h1>bilat_analysis reports</h1>\n<p>Corpus: {html.escape(source)}</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    if failures:
        raise ReportError(index, failures)
    return index


class ReportError(Exception):
    """Some notebooks stopped with an error; their pages (up to the error) and the index exist."""

    def __init__(self, index: Path, failures: list[tuple[str, str]]) -> None:
        detail = "; ".join(f"{name}: {problem}" for name, problem in failures)
        super().__init__(
            f"{len(failures)} notebook(s) stopped with an error ({detail}); see {index}"
        )
        self.index = index
        self.failures = failures
