import errno
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hostile_corpus import PAYLOADS, TEXT_COLUMN, write_hostile_corpus

from bilat_analysis.cli import main
from bilat_analysis.report import (
    ReportError,
    check_parameters,
    list_notebooks,
    render_reports,
    sanitise_html,
)

HOSTILE_OPTIONS = [
    "--text-column", TEXT_COLUMN, "--id-column", "id", "--title-column", "headline",
    "--date-column", "published",
]  # fmt: skip


class Tags(HTMLParser):
    """Every start tag with its attributes, and the visible text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus rendered through the command line with code shown, -p and short tables."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_hostile_corpus(root / "corpus")
    out = root / "site"
    status = main(
        ["report", str(corpus), *HOSTILE_OPTIONS, "--out", str(out), "--show-code",
         "-p", "k", "2", "--max-rows", "2"]
    )  # fmt: skip
    assert status == 0
    return root, out


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """A small clean corpus, rendered twice in reader mode from two working directories."""
    root = tmp_path_factory.mktemp("reader")
    corpus = root / "data" / "articles"
    corpus.mkdir(parents=True)
    seeds = sorted(Path(list_notebooks()[0].parent.parent / "seeds").glob("*.txt"))
    for seed in seeds:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    outs, before = [], os.getcwd()
    try:
        for n, cwd in enumerate([root, corpus]):
            os.chdir(cwd)
            outs.append(render_reports(corpus, out_dir=root / f"out{n}").parent)
    finally:
        os.chdir(before)  # later tests (nbval's sanitize file) read paths from the start folder
    return root, outs


def pages(folder):
    return sorted(folder.glob("*.html"))


def test_one_page_per_notebook_a_front_page_and_csvs(reader):
    _, (out, _) = reader
    expected = [*sorted(f"{nb.stem}.html" for nb in list_notebooks()), "index.html"]
    assert [p.name for p in pages(out)] == sorted(expected)
    index = (out / "index.html").read_text(encoding="utf-8")
    for notebook in list_notebooks():
        assert f'href="{notebook.stem}.html"' in index
    for name in ("documents.csv", "dyads.csv", "hubs.csv", "officials.csv"):
        assert f'href="{name}"' in index
        assert (out / name).is_file()


def test_front_page_states_the_findings_of_this_corpus(reader):
    _, (out, _) = reader
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Findings: articles" in index
    facts = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', index))
    assert facts["documents"] == "5"
    assert facts["meetings (events)"] == "4"
    assert facts["dates"] == "2023-02-10 to 2025-01-21"
    assert facts["languages"] == "en (4), fr (1)"
    dyads = pd.read_csv(out / "dyads.csv")
    assert dyads.iloc[0][["dyad", "meetings", "documents"]].tolist() == ["FRA-IND", 1, 2]
    assert "cyber_digital" in dyads.set_index("dyad").loc["EU-IND", "distinctive themes"]
    assert set(pd.read_csv(out / "officials.csv")["official"]) >= {"Alice Rufo"}
    assert "<h2>Officials carrying several dialogues</h2>" in index
    assert 'src="data:image/png;base64,' in index


def test_markdown_and_tables_render_as_html(reader):
    _, (out, _) = reader
    page = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    tags = Tags(page)
    names = [tag for tag, _ in tags.tags]
    assert "h1" in names and "h2" in names
    assert names.count("th") > 5  # header row and index of the DataFrames
    text = "".join(tags.text)
    assert "<h1" not in text and "<th" not in text and "<style" not in text
    assert "A first look at the corpus" in text
    assert "5 documents in 2 languages" in text  # computed Markdown, rendered
    assert 'This run: corpus = "articles"' in text  # the parameters, even in reader mode
    assert len(re.findall(r'src="data:image/png;base64,', page)) >= 2
    assert 'alt="Figure: Documents by date (5 dated of 5)"' in page  # figures described


def test_reader_mode_hides_code_and_show_code_keeps_it(reader, hostile):
    _, (out, _) = reader
    _, shown = hostile
    hidden = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "load_corpus(" not in hidden
    assert 'data-type="inline"' not in hidden
    visible = (shown / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert 'data-type="inline"' in visible


def test_pages_load_nothing_from_the_network(reader, hostile):
    for folder in (reader[1][0], hostile[1]):
        for page in pages(folder):
            for tag, attrs in Tags(page.read_text(encoding="utf-8")).tags:
                assert tag not in ("script", "link", "iframe", "object"), (page.name, tag)
                for name in ("src", "href"):
                    value = attrs.get(name) or ""
                    assert not re.match(r"\s*(https?:)?//", value), (page.name, tag, value)


def test_same_corpus_gives_byte_identical_reports_from_any_directory(reader):
    _, (first, second) = reader
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_no_absolute_path_in_any_page(reader, hostile):
    for root, folder in ((reader[0], reader[1][0]), hostile):
        for page in pages(folder):
            text = page.read_text(encoding="utf-8")
            assert str(root) not in text, page.name
            assert "/tmp/" not in text and "site-packages" not in text, page.name


def test_hostile_corpus_never_reaches_a_page_live(hostile):
    _, out = hostile
    for page in pages(out):
        tags = Tags(page.read_text(encoding="utf-8"))
        for tag, attrs in tags.tags:
            assert tag not in ("script", "iframe", "svg", "object", "embed"), (page.name, tag)
            if tag == "img":
                assert attrs["src"].startswith("data:image/png;base64,"), page.name
            for name, value in attrs.items():
                assert not name.startswith("on"), (page.name, tag, name)
                assert "javascript:" not in (value or "").lower(), (page.name, tag, name)
                assert not (name == "id" and value == "pwned"), page.name
    # the payloads are still there, as text a reader can see
    overview = "".join(Tags((out / "01_corpus_overview.html").read_text(encoding="utf-8")).text)
    assert PAYLOADS[0] in overview  # the title
    assert "<img src=x onerror=alert(1)>" in overview  # the file name, as doc_id


def test_hostile_corpus_options_and_parameters_reach_the_notebooks(hostile):
    _, out = hostile
    clustering = (out / "02_topic_clustering.html").read_text(encoding="utf-8")
    assert "k</span> <span class=\"o\">=</span> <span class=\"mi\">2</span>" in clustering
    overview = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "NameError" not in overview and "Traceback" not in overview
    assert "India and France held their strategic dialogue" in overview


def test_long_tables_are_cut_with_a_note_and_a_csv(hostile):
    _, out = hostile
    page = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    note = re.search(r"First 2 of (\d+) rows; the whole table: <a href=\"([^\"]+)\"", page)
    assert note, "no cut table"
    table = pd.read_csv(out / note.group(2), index_col=0)
    assert len(table) == int(note.group(1)) == 4


def test_unknown_parameter_is_a_clear_error(capsys, tmp_path):
    status = main(["report", "-p", "n_topic", "3", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2
    assert "unknown notebook parameter 'n_topic'" in err and "n_topics" in err
    assert not (tmp_path / "o").exists()
    with pytest.raises(ValueError, match="set with --text-column"):
        check_parameters({"text_column": "x"}, list_notebooks())


def test_sanitiser_keeps_tables_and_drops_live_markup():
    cleaned = sanitise_html(
        '<table class="dataframe"><thead><tr><th onclick="x()">a</th></tr></thead>'
        '<tbody><tr><td><script>alert(1)</script>1</td></tr></tbody></table>'
        '<a href="javascript:alert(1)">j</a><img src=x onerror=alert(1)><style>*{}</style>'
    )
    assert "<th>a</th>" in cleaned and "<td>1</td>" in cleaned
    for bad in ("script", "onclick", "javascript", "<img", "<style", "onerror"):
        assert bad not in cleaned


def test_front_page_escapes_a_hostile_official():
    from bilat_analysis.findings import _table, escape_markdown

    frame = pd.DataFrame({"official": ["<script>alert(1)</script>"], "dyads": ["A-B"]})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _table(frame)
    assert "<" not in escape_markdown("<img src=x onerror=alert(1)>").replace("\\<", "")


def _tiny_notebooks(folder, sources):
    folder.mkdir()
    for name, source in sources:
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
    return folder


def test_a_failing_notebook_still_gives_pages_and_a_clear_error(tmp_path):
    folder = _tiny_notebooks(
        tmp_path / "notebooks", [("01_ok.ipynb", "print('fine')"), ("02_bad.ipynb", "1 / 0")]
    )
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=r"02_bad\.ipynb: ZeroDivisionError"):
        render_reports(out_dir=out, notebooks_dir=folder)
    assert sorted(p.name for p in out.glob("*.html")) == ["01_ok.html", "02_bad.html", "index.html"]
    assert "stopped with an error: ZeroDivisionError" in (out / "index.html").read_text()


def test_an_interrupted_run_leaves_the_previous_report_intact(tmp_path, monkeypatch, capsys):
    folder = _tiny_notebooks(tmp_path / "notebooks", [("01_ok.ipynb", "print('fine')")])
    out = tmp_path / "out"
    render_reports(out_dir=out, notebooks_dir=folder)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("bilat_analysis.findings.write_front_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render_reports(out_dir=out, notebooks_dir=folder)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]  # no leftovers


def test_a_full_disk_is_one_clear_line(tmp_path, monkeypatch, capsys):
    folder = _tiny_notebooks(tmp_path / "notebooks", [("01_ok.ipynb", "print('fine')")])
    monkeypatch.setattr("bilat_analysis.report.NOTEBOOKS_DIR", folder)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("bilat_analysis.findings.write_front_page", full)
    status = main(["report", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [
        "bilat-analysis: error: no space left on device while writing the report; "
        f"{tmp_path / 'out'} is left as it was"
    ]
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_an_out_folder_with_other_files_is_refused(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    status = main(["report", "--out", str(out)])
    assert status == 2
    assert "is not a bilat_analysis report" in capsys.readouterr().err
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"
    data = tmp_path / "data"
    data.mkdir()
    (data / "counts.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (data / "notes.html").write_text("<p>mine</p>", encoding="utf-8")
    assert main(["report", "--out", str(data)]) == 2
    assert (data / "counts.csv").is_file()


def _interrupt_a_report(tmp_path, folder, started, *, setup=""):
    """Run ``report`` on these notebooks in a child, Ctrl-C it once every ``started`` file
    exists (the kernels run their slow cells): it exits 130 with one line and leaves nothing."""
    script = (
        "import sys\n"
        "import bilat_analysis.report as report\n"
        f"report.NOTEBOOKS_DIR = report.Path({str(folder)!r})\n"
        f"{setup}"
        "from bilat_analysis.cli import main\n"
        f"sys.exit(main(['report', '--out', {str(tmp_path / 'out')!r}]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        # as in a terminal: a test run started in the background by a shell without job
        # control inherits Ctrl-C ignored, and Python then installs no handler for it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120  # a cold first start of the kernel takes seconds
    while not all(p.exists() for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(p.exists() for p in started)
    assert list(tmp_path.glob(".out-new-*"))
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)  # not the minutes of the slow cells
    except subprocess.TimeoutExpired:
        process.kill()  # and its kernels, whose parent it is, end with it
        raise
    assert process.returncode == 130
    out = tmp_path / "out"
    assert err.splitlines() == [
        f"bilat-analysis: error: interrupted: no report written ({out} is left as it was)"
    ]
    assert not out.exists()
    assert not list(tmp_path.glob(".out-*"))


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    started = tmp_path / "started"  # written by the slow cell: the kernel is running it
    slow_cell = f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(600)"
    folder = _tiny_notebooks(tmp_path / "notebooks", [("01_slow.ipynb", slow_cell)])
    _interrupt_a_report(tmp_path, folder, [started])


def _meeting_cell(here: Path, name: str, other: str) -> str:
    """A cell that says it started, waits for the other notebook's, and notes its folder."""
    return (
        "import os, pathlib, time\n"
        f"here = pathlib.Path({str(here)!r})\n"
        f"(here / {name!r}).touch()\n"
        "deadline = time.monotonic() + 60\n"
        f"while not (here / {other!r}).exists() and time.monotonic() < deadline:\n"
        "    time.sleep(0.1)\n"
        f"assert (here / {other!r}).exists(), 'the other notebook did not run meanwhile'\n"
        f"(here / ({name!r} + '.cwd')).write_text(os.getcwd())"
    )


def test_a_small_corpus_has_its_notebooks_run_side_by_side(tmp_path, monkeypatch):
    """Two at a time on two cores, each kernel in the corpus's folder; this one's is kept."""
    monkeypatch.setattr("bilat_analysis.report.available_cores", lambda n_jobs=None: 2)
    here = tmp_path / "signals"
    here.mkdir()
    folder = _tiny_notebooks(
        tmp_path / "notebooks",
        [
            ("01_a.ipynb", _meeting_cell(here, "a", "b")),
            ("02_b.ipynb", _meeting_cell(here, "b", "a")),
            ("03_c.ipynb", "print('third')"),
        ],
    )
    corpus = tmp_path / "data" / "articles"
    corpus.mkdir(parents=True)
    for seed in sorted(Path(list_notebooks()[0].parent.parent / "seeds").glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    before = os.getcwd()
    index = render_reports(corpus, out_dir=tmp_path / "out", notebooks_dir=folder)
    assert os.getcwd() == before
    assert (here / "a.cwd").read_text() == (here / "b.cwd").read_text() == str(corpus.parent)
    names = [p.name for p in pages(index.parent)]
    assert names == ["01_a.html", "02_b.html", "03_c.html", "index.html"]
    assert "third" in (index.parent / "03_c.html").read_text()


def test_ctrl_c_stops_the_notebooks_running_side_by_side(tmp_path):
    slow = "import pathlib, time\npathlib.Path({!r}).touch()\ntime.sleep(600)"
    started = [tmp_path / "a", tmp_path / "b"]  # both kernels run their slow cell at once
    sources = [(f"0{n}_{p.name}.ipynb", slow.format(str(p))) for n, p in enumerate(started, 1)]
    folder = _tiny_notebooks(tmp_path / "notebooks", sources)
    setup = "report.available_cores = lambda n_jobs=None: 2\n"
    _interrupt_a_report(tmp_path, folder, started, setup=setup)


def test_front_page_when_nothing_is_found(tmp_path):
    from bilat_analysis.findings import write_front_page

    corpus = tmp_path / "plain"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The weather was nice in the village today.", encoding="utf-8")
    (corpus / "b.txt").write_text("Nothing about diplomacy here, a soup recipe.", encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    page = write_front_page(corpus, out).read_text(encoding="utf-8")
    assert page.count("<p>None found.</p>") == 3  # dyads, hubs, officials
    assert "No document is dated." in page
    assert "plain/empty.txt" in page and "empty file" in page  # the skipped input, by name
    assert pd.read_csv(out / "dyads.csv").empty
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "out2").mkdir()
    page = write_front_page(nothing, tmp_path / "out2").read_text(encoding="utf-8")
    assert '<th scope="row">documents</th><td>0</td>' in page


def test_long_and_wide_tables_are_cut_in_the_kernel(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    from bilat_analysis.report import show_long_tables

    shell = InteractiveShell.instance()
    show_long_tables(tmp_path, "nb", max_rows=20)
    long = pd.DataFrame({"n": range(3412)})
    html = shell.display_formatter.format(long)[0]["text/html"]
    assert "First 20 of 3,412 rows; the whole table: <a href=\"nb-table-1.csv\">" in html
    assert html.count("<tr") == 21  # header + 20 rows
    assert len(pd.read_csv(tmp_path / "nb-table-1.csv")) == 3412
    wide = pd.DataFrame([range(30)], columns=[f"c{i}" for i in range(30)])
    html = shell.display_formatter.format(wide)[0]["text/html"]
    assert "First 20 of 30 columns" in html and "c20" not in html
    short = shell.display_formatter.format(pd.Series([1, 2], name="x"))[0]["text/html"]
    assert "<th>x</th>" in short and "First" not in short
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb-table-1.csv", "nb-table-2.csv"]


def test_which_out_folders_may_be_replaced(tmp_path):
    from bilat_analysis.report import _is_report_folder

    assert _is_report_folder(tmp_path / "new")
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for name in ("index.html", "01_corpus_overview.html", "02_topic_clustering.html"):
        (legacy / name).write_text("<p>old</p>", encoding="utf-8")
    assert _is_report_folder(legacy)
    (legacy / "extra.csv").write_text("x", encoding="utf-8")
    assert not _is_report_folder(legacy)
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / "index.html").write_text('<meta name="generator" content="bilat_analysis">')
    (marked / "dyads.csv").write_text("x", encoding="utf-8")
    assert _is_report_folder(marked)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert not _is_report_folder(tmp_path / "file")
