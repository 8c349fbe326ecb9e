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
