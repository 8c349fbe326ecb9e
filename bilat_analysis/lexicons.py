"""Read the lexicons: CSV files in long format, one entry per row.

The package's own files live in ``bilat_analysis/data/``; every reader also takes
the path of a user's file with the same columns, so adding a month name, a
boilerplate pattern, a partner alias or a theme keyword is an edit of a data file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from bilat_analysis.paths import data_file

MONTH_COLUMNS = ("language", "month", "name")
BOILERPLATE_COLUMNS = ("language", "pattern", "description")


def read_lexicon(path: str | Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read a lexicon CSV and check that it has the columns a reader needs.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, header row).
    columns : tuple of str
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        The rows, blank lines and ``#`` comment lines left out.

    Raises
    ------
    ValueError
        When the file lacks a required column; the message names the file and
        the columns it has.

    Examples
    --------
    >>> read_lexicon(data_file("months.csv"), MONTH_COLUMNS).columns.tolist()
    ['language', 'month', 'name']
    """
    table = pd.read_csv(path, comment="#", skip_blank_lines=True, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        have = ", ".join(repr(c) for c in table.columns)
        raise ValueError(f"{path}: lexicon lacks column(s) {missing}; it has: {have}")
    return table


@cache
def _bundled(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    return read_lexicon(data_file(name), columns)


def read_months(path: str | Path | None = None) -> pd.DataFrame:
    """Month names by language, used to find dates written in the text.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, month, name``; default the bundled
        English and French names (with abbreviations and unaccented spellings).

    Returns
    -------
    pandas.DataFrame
        Columns ``language``, ``month`` (int 1-12), ``name``.

    Examples
    --------
    >>> months = read_months()
    >>> int(months.loc[months["name"] == "octobre", "month"].iloc[0])
    10
    """
    table = (
        _bundled("months.csv", MONTH_COLUMNS) if path is None else read_lexicon(path, MONTH_COLUMNS)
    )
    return table.assign(month=table["month"].astype(int))


def read_boilerplate(path: str | Path | None = None) -> pd.DataFrame:
    """Patterns of web-page furniture ("Similar Posts", language switchers, ...).

    Each ``pattern`` is a regular expression matched case-insensitively against a
    whole paragraph (of at most 200 characters).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A user's CSV with columns ``language, pattern, description``.

    Returns
    -------
    pandas.DataFrame
        One pattern per row.

    Examples
    --------
    >>> "similar posts" in read_boilerplate()["pattern"].tolist()
    True
    """
    if path is None:
        return _bundled("boilerplate.csv", BOILERPLATE_COLUMNS).copy()
    return read_lexicon(path, BOILERPLATE_COLUMNS)
