import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
    )
    return next(out.glob("bilat_analysis-*.whl"))


def test_wheel_carries_seeds_notebooks_and_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        inside = f"bilat_analysis/seeds/{seed.name}"
        assert inside in names
        assert zipfile.ZipFile(wheel).read(inside) == seed.read_bytes()
    assert "bilat_analysis/notebooks/01_corpus_overview.ipynb" in names
    assert "bilat_analysis/data/months.csv" in names


def test_plain_install_loads_the_bundled_seeds(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import bilat_analysis, sys; from bilat_analysis import load_corpus;"
        f"assert bilat_analysis.__file__.startswith({str(target)!r}), bilat_analysis.__file__;"
        "print(len(load_corpus()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "5"
