"""One way to word errors about bad values, so that messages read the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable


def invalid_value_message(name: str, value: object, valid: Iterable[object]) -> str:
    """Build the message for a value that is not among the allowed ones.

    Parameters
    ----------
    name : str
        The parameter's name.
    value : object
        What was given.
    valid : iterable
        The allowed values, listed in the message.

    Returns
    -------
    str
        A one-line message.

    Examples
    --------
    >>> invalid_value_message("unit", "page", ["document", "sentence"])
    "unit='page' is not valid; choose one of: 'document', 'sentence'"
    """
    choices = ", ".join(repr(v) for v in valid)
    return f"{name}={value!r} is not valid; choose one of: {choices}"


def check_choice(name: str, value: object, valid: Iterable[object]) -> None:
    """Raise ``ValueError`` when ``value`` is not one of ``valid``.

    Parameters
    ----------
    name : str
        The parameter's name.
    value : object
        What was given.
    valid : iterable
        The allowed values.

    Raises
    ------
    ValueError
        Naming the valid values.

    Examples
    --------
    >>> check_choice("unit", "document", ["document", "sentence"])
    """
    valid = list(valid)
    if value not in valid:
        raise ValueError(invalid_value_message(name, value, valid))


def missing_column_message(path: str, role: str, wanted: str, columns: Iterable[object]) -> str:
    """Build the message for a table that lacks a column the loader needs.

    Parameters
    ----------
    path : str
        The file the table came from.
    role : str
        What the column holds (``"text"``, ``"date"``, ...).
    wanted : str
        The column name, or the names tried.
    columns : iterable
        The columns the table does have.

    Returns
    -------
    str
        A one-line message.

    Examples
    --------
    >>> missing_column_message("a.csv", "text", "'text'", ["id", "body"])
    "a.csv: no text column 'text'; the file has columns: 'id', 'body'"
    """
    have = ", ".join(repr(str(c)) for c in columns) or "(none)"
    return f"{path}: no {role} column {wanted}; the file has columns: {have}"
