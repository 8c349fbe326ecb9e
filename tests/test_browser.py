"""Open every report page in headless Chromium, offline, and check what a reader gets.

Needs Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run`` installs
it). Without it the tests are skipped with that message.
"""

import http.server
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from typing import ClassVar

import pytest
from hostile_corpus import TEXT_COLUMN, write_hostile_corpus

from bilat_analysis.report import render_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="the browser test needs Chromium: `apt-get install chromium` (Debian/Ubuntu)",
)

#: Markup a reader must never see as text (escaped structure: the old sanitize_html bug).
VISIBLE_MARKUP = re.compile(r"<\s*/?\s*(h[1-6]|p|table|thead|tbody|tr|th|td|div)\b", re.I)


#: Chromium's own services (updates, clock, sign-in); a page never asks for these.
BROWSER_SERVICES = re.compile(
    r"^(CONNECT |[A-Z]+ http://)(update\.googleapis\.com|clients\d*\.google\.com|accounts\.google\.com"
    r"|optimizationguide-pa\.googleapis\.com|safebrowsing\.googleapis\.com"
    r"|content-autofill\.googleapis\.com|redirector\.gvt1\.com|edgedl\.me\.gvt1\.com)[:/]"
)


class Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that forwards nothing and remembers every request the browser tried."""

    requests: ClassVar[list[str]] = []

    def _refuse(self):
        request = f"{self.command} {self.path}"
        if not BROWSER_SERVICES.match(request):
            Recorder.requests.append(request)
        self.send_response(403)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = do_OPTIONS = _refuse

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Dom(HTMLParser):
    """The rendered DOM as Chromium serialised it: elements, ids, visible text, tables."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.title = ""
        self.tables: list[dict[str, int]] = []
        self._in: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append({"th": 0, "td": 0})
        if tag in ("th", "td") and self.tables:
            self.tables[-1][tag] += 1
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if "title" in self._in:
            self.title += data
        elif not {"style", "script"} & set(self._in):
            self.text.append(data)


def open_in_chromium(page, proxy):
    """Load a page offline and return the DOM after its scripts (if any) ran."""
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
        f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=3000", "--dump-dom",
    ]  # fmt: skip
    result = subprocess.run(
        [CHROMIUM, *flags, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return Dom(result.stdout)


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    return render_reports(out_dir=tmp_path_factory.mktemp("seeds") / "reports").parent


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = write_hostile_corpus(root / "corpus")
    options = {
        "text_column": TEXT_COLUMN,
        "id_column": "id",
        "title_column": "headline",
        "date_column": "published",
    }
    index = render_reports(corpus, out_dir=root / "site", corpus_options=options, show_code=True)
    return index.parent


def check_page(page, proxy, *, expected_title):
    Recorder.requests.clear()
    dom = open_in_chromium(page, proxy)
    text = "".join(dom.text)
    assert dom.title.strip() == expected_title, (page.name, dom.title)
    tags = [tag for tag, _ in dom.elements]
    assert "h1" in tags, page.name  # headings are heading elements
    assert dom.tables, page.name
    for table in dom.tables:
        assert table["th"] > 0, (page.name, table)  # every table has header cells
    shown = VISIBLE_MARKUP.findall(text)
    assert not shown, (page.name, shown[:5])  # no markup printed as text
    for tag, attrs in dom.elements:
        assert attrs.get("id") != "pwned", (page.name, tag)  # no injected element
        assert tag not in ("script", "iframe", "svg"), (page.name, tag)
        assert not any(name.startswith("on") for name in attrs), (page.name, tag, attrs)
    assert Recorder.requests == [], (page.name, Recorder.requests)  # nothing left the machine
    return dom, text


def titles(folder):
    import nbformat

    from bilat_analysis.report import _title, list_notebooks

    found = {nb.stem + ".html": _title(nbformat.read(nb, 4), nb.stem) for nb in list_notebooks()}
    return found


def test_the_request_recorder_sees_a_page_that_goes_online(tmp_path, proxy):
    page = tmp_path / "online.html"
    page.write_text(
        '<html><head><title>t</title></head><body><h1>x</h1>'
        '<img src="http://cdn.example.com/a.png"><script>document.title="ran"</script></body></html>'
    )
    Recorder.requests.clear()
    dom = open_in_chromium(page, proxy)
    assert dom.title == "ran"  # scripts do run in this browser: the payload checks can fail
    assert any("cdn.example.com" in request for request in Recorder.requests)


def test_seeds_report_reads_correctly_in_a_browser(seeds_report, proxy):
    expected = titles(seeds_report)
    for name, title in expected.items():
        _, text = check_page(seeds_report / name, proxy, expected_title=title)
        assert "Traceback" not in text
    dom, text = check_page(
        seeds_report / "index.html", proxy, expected_title="Findings: the bundled sample corpus"
    )
    assert "FRA-IND" in text and "Alice Rufo" in text
    links = {attrs.get("href") for tag, attrs in dom.elements if tag == "a"}
    assert set(expected) <= links and "dyads.csv" in links
    for link in links:
        assert (seeds_report / link).is_file(), link  # self-contained: every link is beside it


def test_hostile_corpus_executes_nothing_in_a_browser(hostile_report, proxy):
    expected = titles(hostile_report)
    seen = ""
    for name, title in expected.items():
        _, text = check_page(hostile_report / name, proxy, expected_title=title)
        seen += text
    check_page(hostile_report / "index.html", proxy, expected_title="Findings: corpus")
    # the payloads reached the pages, as visible text
    assert "<script>document.title='PWNED'</script>" in seen
    assert "<img src=x onerror=alert(1)>" in seen
    assert TEXT_COLUMN in seen  # the column name, in the shown parameters cell
