import re

import pytest

from bilat_analysis.report import list_notebooks, render_reports


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "evil.txt").write_text(
        "India and France met in Paris on 21 January 2025. <script>alert(1)</script> "
        "They discussed defence.",
        encoding="utf-8",
    )
    (corpus / "second.txt").write_text(
        "L'Inde et l'UE ont tenu un dialogue à Bruxelles le 5 octobre 2023.", encoding="utf-8"
    )
    out = tmp_path_factory.mktemp("reports")
    index = render_reports(corpus, out_dir=out)
    return index.parent


def test_one_page_per_notebook_and_an_index(report_dir):
    pages = sorted(p.name for p in report_dir.glob("*.html"))
    expected = [*sorted(f"{nb.stem}.html" for nb in list_notebooks()), "index.html"]
    assert pages == sorted(expected)
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    for notebook in list_notebooks():
        assert f'href="{notebook.stem}.html"' in index


def test_pages_embed_their_figures(report_dir):
    page = (report_dir / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert len(re.findall(r'src="data:image/png;base64,', page)) >= 2
    assert "evil" in page  # ran on the given corpus, not the seeds


def test_corpus_text_is_escaped(report_dir):
    for page in report_dir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text
    overview = (report_dir / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in overview


def test_a_failing_notebook_still_gives_pages_and_a_clear_error(tmp_path):
    import nbformat

    from bilat_analysis.report import ReportError

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name, source in [("01_ok.ipynb", "print('fine')"), ("02_bad.ipynb", "1 / 0")]:
        notebook = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(f"# {name}"),
                nbformat.v4.new_code_cell("corpus = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source),
            ]
        )
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "language": "python",
            "display_name": "Python 3",
        }
        nbformat.write(notebook, folder / name)
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=r"02_bad\.ipynb: ZeroDivisionError"):
        render_reports(out_dir=out, notebooks_dir=folder)
    assert sorted(p.name for p in out.glob("*.html")) == ["01_ok.html", "02_bad.html", "index.html"]
    assert "stopped with an error: ZeroDivisionError" in (out / "index.html").read_text()
