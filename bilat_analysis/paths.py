"""Where the package's files live: one place, never the working directory.

The sample corpus (``seeds/``) and the notebooks sit at the top of the repository.
A wheel carries copies inside the package, so both layouts are looked up here.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(str(resources.files("bilat_analysis")))
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


SEEDS_DIR = _first_existing(PACKAGE_DIR / "seeds", REPO_DIR / "seeds")
NOTEBOOKS_DIR = _first_existing(PACKAGE_DIR / "notebooks", REPO_DIR / "notebooks")


def data_file(name: str) -> Path:
    """Return the path of a bundled data file (a lexicon CSV) by its file name.

    Parameters
    ----------
    name : str
        File name inside ``bilat_analysis/data``, e.g. ``"months.csv"``.

    Returns
    -------
    pathlib.Path
        The file's path.

    Examples
    --------
    >>> data_file("months.csv").name
    'months.csv'
    """
    return DATA_DIR / name


#: The lesson's teaching corpus: 30 short articles in English, French, Spanish and German
#: (``notebooks/lesson/``). A path, not a name, so that ``load_corpus(TEACHING_CORPUS)`` can
#: never be confused with a folder called "teaching" in the working directory.
TEACHING_CORPUS = DATA_DIR / "teaching"

#: The lesson's "bring your own corpus" example: a CSV whose columns have other names.
OWN_CORPUS_EXAMPLE = DATA_DIR / "teaching_own_corpus.csv"

#: The lesson's episodes (exercise notebooks) and, under ``solutions/``, their solutions.
LESSON_DIR = NOTEBOOKS_DIR / "lesson"
