"""Every code example of the README runs as written (in a folder holding the files it names)."""

import re
import shlex
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from bilat_analysis.cli import build_parser, main
from bilat_analysis.paths import REPO_DIR, SEEDS_DIR

README = REPO_DIR / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def blocks(language):
    text = README.read_text(encoding="utf-8")
    return [code for lang, code in BLOCK.findall(text) if lang == language]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """The files the examples name: my_articles/ and news.csv (from the seeds)."""
    matplotlib.use("Agg")
    shutil.copytree(SEEDS_DIR, tmp_path / "my_articles")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))[2:4]]
    pd.DataFrame(
        {"id": ["a", "b"], "body": texts, "published": ["2023-10-05", "2023-12-19"]}
    ).to_csv(tmp_path / "news.csv", index=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_examples():
    assert len(blocks("python")) >= 5
    assert any("bilat-analysis report" in code for code in blocks("sh"))


def test_python_examples_run_in_order(workdir):
    namespace: dict = {}
    for code in blocks("python"):
        exec(compile(code, str(README), "exec"), namespace)
    assert "annotated" in namespace
    assert (workdir / "my_themes.csv").is_file()


def commands():
    found = []
    for code in blocks("sh"):
        for line in code.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("bilat-analysis "):
                found.append(shlex.split(line)[1:])
    return found


@pytest.mark.parametrize("argv", commands(), ids=" ".join)
def test_command_examples_run(argv, workdir, capsys):
    if argv == ["--version"]:
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 0
        assert capsys.readouterr().out.startswith("bilat-analysis ")
        return
    if argv[0] == "report":
        # rendering is tested in test_report.py; here: the example parses and names real files
        args = build_parser().parse_args(argv)
        for path in (args.corpus, args.partners, args.themes):
            if path == "my_themes.csv":
                pd.DataFrame(columns=["keyword", "theme", "language"]).to_csv(path, index=False)
            assert path is None or Path(path).exists(), path
        return
    if "my_themes.csv" in argv:
        pytest.skip("needs the file written by the Python example")
    if "my_articles.prepared" in argv and argv[0] != "prepare":
        # the README's prepare example comes first in the same folder
        assert main(["prepare", "my_articles/", "--out", "my_articles.prepared", "--quiet"]) == 0
    assert main(argv) == 0, capsys.readouterr().err
