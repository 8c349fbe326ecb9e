import json
import shutil
import subprocess
import sys
from pathlib import Path

from bilat_analysis.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_documents_json_on_the_seeds(capsys):
    status, out, err = run(capsys, "documents", "--json")
    assert status == 0
    assert err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["doc_id"][:3], r["date"], r["date_source"], r["language"]) for r in records] == [
        ("000", "2025-01-21", "header", "en"),
        ("001", "2025-01-21", "header", "en"),
        ("002", "2023-10-05", "text", "fr"),
        ("003", "2023-12-19", "header", "en"),
        ("004", "2023-02-10", "text", "en"),
    ]
    for record in records:
        assert {"doc_id", "source", "date", "date_source", "language", "n_words", "text"} <= set(
            record
        )
        assert isinstance(record["n_words"], int)
    assert [r["dyad"] for r in records] == [
        ["FRA", "IND"],
        ["FRA", "IND"],
        ["EU", "IND"],
        ["FRA", "VNM"],
        ["FRA", "PAK"],
    ]
    assert records[2]["partners"]["EU"] == 12
    assert next(iter(records[2]["themes"])) == "cyber_digital"


def test_documents_table_without_json(capsys):
    status, out, _ = run(capsys, "documents")
    assert status == 0
    assert "002_450c98cabd7aa83b" in out
    assert "2023-10-05" in out


def test_skipped_files_are_reported_on_stderr(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("India and France met in Paris.", encoding="utf-8")
    status, out, err = run(capsys, "documents", str(tmp_path), "--json")
    assert status == 0
    assert [json.loads(line)["doc_id"] for line in out.splitlines()] == ["ok"]
    assert f"skipped: {tmp_path.name}/empty.txt: empty file" in err.splitlines()


def test_nothing_loaded_exits_non_zero(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    status, out, err = run(capsys, "documents", str(tmp_path), "--json")
    assert status == 1
    assert out == ""
    assert "error: no document could be loaded" in err


def test_missing_path_is_a_message_not_a_traceback(capsys, tmp_path):
    status, _, err = run(capsys, "documents", str(tmp_path / "missing"))
    assert status == 2
    assert err.startswith("bilat-analysis: error: no such file or folder")
    assert "Traceback" not in err


def test_csv_without_text_column(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,body_text\n1,India\n", encoding="utf-8")
    status, _, err = run(capsys, "documents", str(path))
    assert status == 2
    assert "has columns: 'id', 'body_text'" in err
    status, out, _ = run(capsys, "documents", str(path), "--text-column", "body_text", "--json")
    assert status == 0
    assert json.loads(out)["text"] == "India"


def test_console_script_is_installed():
    exe = shutil.which("bilat-analysis", path=str(Path(sys.executable).parent))
    assert exe is not None
    result = subprocess.run(
        [exe, "documents", "--json"], capture_output=True, text=True, check=True
    )
    assert len(result.stdout.splitlines()) == 5


def test_user_theme_file_on_the_command_line(capsys, tmp_path):
    from bilat_analysis.lexicons import read_themes

    themes = tmp_path / "themes.csv"
    table = read_themes()
    table.loc[len(table)] = {"keyword": "Horizon 2047", "theme": "roadmap", "language": "en"}
    table.to_csv(themes, index=False)
    status, out, _ = run(capsys, "documents", "--json", "--themes", str(themes))
    assert status == 0
    first = json.loads(out.splitlines()[0])
    assert first["themes"]["roadmap"] == 1


def test_report_prepares_a_raw_corpus_once_and_lists_its_skips(capsys, tmp_path, monkeypatch):
    import bilat_analysis.prepare as prepare_module
    import bilat_analysis.report as report_module

    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "ok.txt").write_text("India and France met in Paris on defence.", encoding="utf-8")
    calls, given = [], {}
    prepare = prepare_module.prepare_corpus
    monkeypatch.setattr(
        prepare_module, "prepare_corpus", lambda *a, **k: calls.append(1) or prepare(*a, **k)
    )

    def render(corpus_arg, **options):
        given.update(options, corpus=corpus_arg)
        assert (Path(options["prepared"]) / "manifest.json").is_file()  # still there
        return tmp_path / "out" / "index.html"

    monkeypatch.setattr(report_module, "render_reports", render)
    status, _, err = run(capsys, "report", str(corpus), "--out", str(tmp_path / "out"))
    assert status == 0
    assert len(calls) == 1 and given["corpus"] == str(corpus)
    assert f"skipped: {corpus.name}/empty.txt: empty file" in err.splitlines()
    assert not Path(given["prepared"]).exists()  # the preparation was temporary


def test_report_on_nothing_loadable_exits_1_before_any_notebook(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    status, _, err = run(capsys, "report", str(tmp_path), "--out", str(tmp_path.parent / "o"))
    assert status == 1
    assert "error: no document could be loaded" in err
    assert not (tmp_path.parent / "o").exists()
