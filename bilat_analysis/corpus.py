"""Load a corpus into pandas: read, decode, date, identify the language, strip boilerplate.

One row per document. Every input is either loaded or reported as skipped with its
reason (:func:`read_corpus` returns both; :func:`load_corpus` returns the documents
and warns about the skipped inputs).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import io
import json
import math
import operator
import os
import re
import stat
import sys
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from itertools import chain, compress, islice, pairwise, repeat
from pathlib import Path
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pa_parquet

from bilat_analysis.dates import find_text_date, find_text_date_of_parts, may_hold_date
from bilat_analysis.lexicons import (
    language_coverage,
    read_boilerplate,
    read_language_variants,
    warn_language_coverage,
)
from bilat_analysis.parallel import available_cores, collector_paused, stream_map
from bilat_analysis.paths import SEEDS_DIR
from bilat_analysis.validation import missing_column_message

#: Columns of the corpus frame, in order.
COLUMNS = [
    "doc_id",
    "text",
    "source",
    "date",
    "date_source",
    "language",
    "title",
    "n_words",
    "encoding",
    "boilerplate",
]
SKIPPED_COLUMNS = ["source", "reason"]
_NOT_STR = ("date", "n_words")

#: Values of the ``encoding`` column (missing for Parquet, whose text is already decoded).
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "mixed")

TEXT_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")

#: Column names tried, in order, when the caller does not name one.
DEFAULT_COLUMNS = {
    "text": ("text", "body", "content", "article"),
    "id": ("doc_id", "id"),
    "date": ("date", "published", "pub_date", "published_at"),
    "title": ("title", "headline"),
    "language": ("language", "lang"),
}

LANGUAGE_PREFIX = 1000  # characters given to the language identifier
TRAILING_MIN_LETTERS = 40  # a trailing paragraph shorter than this is never judged
TRAILING_MIN_PROBABILITY = 0.9  # confidence needed to call a trailing paragraph foreign
FURNITURE_MAX_CHARS = 200  # web-page furniture is a short paragraph
BINARY_SAMPLE = 1_000_000  # characters in which control characters are counted
PARALLEL_MIN_RECORDS = 1000  # from this many records on, they are cleaned in parallel
LONG_TEXT = 256  # from this many characters on, words are counted with numpy (faster)
PARQUET_BATCH_ROWS = 500  # rows of a Parquet file read at a time (and sent to a worker)
#: Line separators other than "\n" (str.splitlines' list): each becomes "\n".
LINE_SEPARATORS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# the ASCII ones and "\r" as bytes: each is one byte in UTF-8 and Windows-1252, found
# in the file's bytes by memchr (faster than in the decoded text, often twice as wide)
_ASCII_SEPARATORS = tuple(sep.encode() for sep in ("\r", *LINE_SEPARATORS) if sep.isascii())

_HEADER = re.compile(r"\A\s*date[ \t]*:?[ \t]+(\d{4}-\d{1,2}-\d{1,2})\b[ \t]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_WORD = re.compile(r"\w+")
_TITLE_END = re.compile(r"[.!?:;,\"”»)]\s*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Cc but tab and line breaks
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MORE_THAN_FURNITURE = re.compile(rf"(?:\s*\S){{{FURNITURE_MAX_CHARS + 1}}}")
#: Text files from this size on go the UTF-8 way (below, decoding costs less than its set-up).
UTF8_MIN_BYTES = 1 << 16
#: Bytes of a UTF-8 text decoded at its start and at its end (header, title, date).
UTF8_EDGE_BYTES = 1 << 16
UTF8_CHUNK = 1 << 20  # bytes of a UTF-8 text scanned at once (words, characters to care for)
#: Code points below this are all the white space there is (checked by the tests).
_SPACE_END = 0x3001
_DIGITS = tuple(bytes([d]) for d in b"0123456789")
#: Code points below this hold every canonical composition (checked by the tests).
_COMPOSITE_END = 0x20000


class CorpusWarning(UserWarning):
    """A problem with an input that did not stop the load (bad date, skipped file)."""


class LoadedCorpus(NamedTuple):
    """What :func:`read_corpus` returns: the documents and the inputs it skipped."""

    documents: pd.DataFrame
    skipped: pd.DataFrame


class SkipInputError(Exception):
    """Raised inside the readers for an input that cannot become a document."""


# --------------------------------------------------------------------------- reading


def _latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    # the five bytes cp1252 leaves undefined (0x81 0x8d 0x8f 0x90 0x9d) read as Latin-1
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("bilat_analysis.latin1", _latin1_for_undefined)


def _decode_lines(data: bytes) -> tuple[str, str]:
    """Decode line by line: UTF-8 where a line is valid UTF-8, Windows-1252 elsewhere."""
    parts, utf8_letters = [], False
    for line in data.splitlines(keepends=True):
        try:
            parts.append(line.decode("utf-8"))
            utf8_letters = utf8_letters or not line.isascii()
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="bilat_analysis.latin1"))
    return "".join(parts), "mixed" if utf8_letters else "cp1252"


def decode_bytes(data: bytes) -> tuple[str, str]:
    r"""Decode a file's bytes: the one decoding policy of ``.txt``, ``.csv`` and ``.jsonl``.

    UTF-16 with a byte-order mark is decoded as UTF-16. Otherwise the bytes
    (after a UTF-8 byte-order mark, if any) are decoded as UTF-8; when they are not
    valid UTF-8, each line is decoded on its own: as UTF-8 when it is valid UTF-8,
    else as Windows-1252 (its five undefined bytes read as Latin-1), so a file
    mixing both is decoded without mojibake and never gets U+FFFD. The returned
    encoding is one of :data:`ENCODINGS`: ``utf-8``, ``utf-8-sig`` (UTF-8 with a
    byte-order mark), ``utf-16``, ``cp1252`` (no line needed UTF-8) or ``mixed``
    (lines in UTF-8 and lines in Windows-1252).

    Parameters
    ----------
    data : bytes
        The raw file content.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding used.

    Raises
    ------
    SkipInputError
        For binary content (NUL bytes without a UTF-16 byte-order mark, or many
        control characters).

    Examples
    --------
    >>> decode_bytes("café".encode("latin-1"))
    ('café', 'cp1252')
    >>> decode_bytes("é\n".encode() + "à".encode("latin-1"))
    ('é\nà', 'mixed')
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif b"\x00" in data:
        raise SkipInputError("binary file (contains NUL bytes; UTF-16 needs a byte-order mark)")
    else:
        bom = data.startswith(codecs.BOM_UTF8)
        body = data[len(codecs.BOM_UTF8) :] if bom else data
        try:
            text, encoding = body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_lines(body)
    sample = text[:BINARY_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise SkipInputError(f"binary file ({controls} control characters)")
    return text, encoding


def printable(name: str) -> str:
    r"""Escape what a terminal would not show as written: control characters, undecodable bytes.

    Parameters
    ----------
    name : str
        A file name or a message naming one.

    Returns
    -------
    str
        ``name`` with control characters as ``\n``, ``\x1b``... and bytes of a file
        name that is not valid UTF-8 as ``\xff``.

    Examples
    --------
    >>> print(printable("a\nskipped: b.txt"))
    a\nskipped: b.txt
    """
    return _UNPRINTABLE.sub(_escape_char, name)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return match[0].encode("unicode_escape").decode("ascii")


def _file_name(name: str) -> str:
    r"""Write the bytes of a file name that is not valid UTF-8 as ``\xff``."""
    if _SURROGATE.search(name) is None:
        return name
    return _SURROGATE.sub(_escape_char, name)


class _Record(NamedTuple):
    doc_id: str
    source: str
    text: str
    encoding: str | None = None
    date: pd.Timestamp | None = None
    date_problem: str | None = None
    title: str | None = None
    language: str | None = None
    from_table: bool = False
    breaks_unified: bool = False  # no line separator but "\n" in ``text``
    utf8: bytes | None = None  # a text file's UTF-8 bytes, not decoded (``text`` is then "")


class _Options(NamedTuple):
    columns: dict[str, str | None]
    strict: bool
    dayfirst: bool | None
    allow_outside_links: bool


def _pick_column(
    columns: list[str], wanted: str | None, role: str, path: str, *, required: bool
) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise ValueError(missing_column_message(path, role, repr(wanted), columns))
        return wanted
    for candidate in DEFAULT_COLUMNS[role]:
        if candidate in columns:
            return candidate
    if required:
        tried = " or ".join(repr(c) for c in DEFAULT_COLUMNS[role])
        raise ValueError(missing_column_message(path, role, tried, columns))
    return None


class _StrictError(ValueError):
    """A malformed table row when ``strict=True``."""


def _bad_row(name: str, row: int, reason: str, options: _Options, skipped: list) -> None:
    if options.strict:
        raise _StrictError(f"{name}:{row}: {reason} (strict=True makes a bad row an error)")
    skipped.append((f"{name}:{row}", reason))


def _check_names(names: list[str]) -> None:
    duplicates = [n for n, count in Counter(names).items() if count > 1]
    if duplicates:
        raise SkipInputError(
            "duplicate column names: " + ", ".join(repr(n) for n in duplicates)
        )


def _csv_table(path: Path, name: str, options: _Options, skipped: list) -> _Table:
    data = path.read_bytes()
    if not data or data.isspace():
        raise SkipInputError("empty file")
    text, encoding = decode_bytes(data)
    limit = csv.field_size_limit(sys.maxsize)  # an article is longer than csv's 128 kB default
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header: list[str] | None = None
        good: list[list[str]] = []
        numbers: list[int] = []
        row = 0
        start = end = 0  # lines of the row just read
        try:
            for fields in reader:
                start, end = end, reader.line_num
                if not fields:
                    continue  # a blank line
                if header is None:
                    header = fields
                    width = len(header)
                    continue
                row += 1
                if len(fields) == width:
                    good.append(fields)
                    numbers.append(row)
                else:
                    _bad_row(
                        name,
                        row,
                        f"{len(fields)} fields where the header has {width} "
                        "(an unquoted comma or quote?); row not loaded",
                        options,
                        skipped,
                    )
        except csv.Error as error:
            _bad_row(
                name, row + 1, f"malformed CSV ({error}); the rest of the file is not read",
                options, skipped,
            )
        else:
            if numbers and numbers[-1] == row and _unclosed_quote(text, end - start):
                good.pop()
                numbers.pop()
                _bad_row(
                    name,
                    row,
                    "a quote is never closed: the row runs to the end of the file; "
                    "row not loaded",
                    options,
                    skipped,
                )
    finally:
        csv.field_size_limit(limit)
    if header is None:
        raise SkipInputError("no header and no rows")
    _check_names(header)
    if not good and not numbers:
        if row == 0:
            raise SkipInputError("no rows (only a header)")
        return _Table(header, {}, [], encoding)
    values = dict(zip(header, (list(c) for c in zip(*good, strict=True)), strict=True))
    # an empty CSV field is a missing value; "NA", "None", "null" stay text
    return _Table(header, values, numbers, encoding)


def _unclosed_quote(text: str, lines: int) -> bool:
    """Tell whether the last ``lines`` lines of a CSV text hold an odd number of quotes."""
    if lines < 2:
        return False
    position = len(text)
    while position and text[position - 1] in "\r\n":
        position -= 1
    for _ in range(lines):  # back to the line break before the row
        position = text.rfind("\n", 0, position)
    return text.count('"', position + 1) % 2 == 1


_JSONL_FAST_TYPES = {
    "text": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
    "id": (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_null),
    "date": (
        pa.types.is_string,
        pa.types.is_large_string,
        pa.types.is_integer,
        pa.types.is_floating,
        pa.types.is_timestamp,
        pa.types.is_null,
    ),
    "title": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
    "language": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
}


def _jsonl_fast(data: bytes, name: str, options: _Options) -> _Table | None:
    """Read with pyarrow; None when the file needs the line-by-line path."""
    if not data.isascii():
        try:
            data.decode("utf-8")  # pyarrow does not check
        except UnicodeDecodeError:
            return None
    try:
        table = pa_json.read_json(io.BytesIO(data))
    except (pa.ArrowException, ValueError):
        return None
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if table.num_rows != lines:
        return None  # pyarrow skips blank lines: row numbers would not be line numbers
    names = table.column_names
    if len(set(names)) < len(names):
        return None
    values = {}
    for role in DEFAULT_COLUMNS:
        try:
            column = _pick_column(
                names, options.columns[role], role, name, required=role == "text"
            )
        except ValueError:
            return None  # the line-by-line path gives the message
        if column is None:
            continue
        if not any(check(table.schema.field(column).type) for check in _JSONL_FAST_TYPES[role]):
            return None
        values[column] = table.column(column).to_pylist()
    return _Table(names, values, list(range(1, table.num_rows + 1)), "utf-8")


def _jsonl_table(path: Path, name: str, options: _Options, skipped: list) -> _Table:
    data = path.read_bytes()
    if not data or data.isspace():
        raise SkipInputError("empty file")
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        fast = _jsonl_fast(data, name, options)
        if fast is not None:
            return fast
    text, encoding = decode_bytes(data)
    objects: list[dict] = []
    numbers: list[int] = []
    for row, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, object_pairs_hook=_object_without_duplicates)
        except json.JSONDecodeError as error:
            _bad_row(name, row, f"invalid JSON ({error.msg}, column {error.colno})", options,
                     skipped)
            continue
        except _DuplicateKeysError as error:
            _bad_row(name, row, str(error), options, skipped)
            continue
        if not isinstance(value, dict):
            _bad_row(name, row, f"a JSON {_json_kind(value)}, not an object", options, skipped)
            continue
        if "\\u" in line and _lone_surrogate(value):
            _bad_row(
                name,
                row,
                "a string holds a lone surrogate escape (\\ud800-\\udfff), not valid Unicode",
                options,
                skipped,
            )
            continue
        objects.append(value)
        numbers.append(row)
    names = list(dict.fromkeys(key for value in objects for key in value))
    values = {key: [value.get(key) for value in objects] for key in names}
    return _Table(names, values, numbers, encoding)


def _lone_surrogate(value: object) -> bool:
    """Tell whether a JSON value holds a string that cannot be written as UTF-8."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _DuplicateKeysError(Exception):
    """A JSON object that names a key twice (``json`` would keep the last silently)."""


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    value = dict(pairs)
    if len(value) < len(pairs):
        twice = [k for k, n in Counter(k for k, _ in pairs).items() if n > 1]
        raise _DuplicateKeysError("duplicate keys: " + ", ".join(repr(k) for k in twice))
    return value


def _parquet_tables(
    path: Path, name: str, options: _Options, skipped: list
) -> Iterator[_Table]:
    """Read a Parquet file :data:`PARQUET_BATCH_ROWS` rows at a time (bounded memory).

    The columns stay Arrow arrays: a batch of text goes to a worker as it is, and is
    read into Python objects there (:class:`_Rows`).
    """
    try:
        parquet = pa_parquet.ParquetFile(path)
        names = [str(n) for n in parquet.schema_arrow.names]
        _check_names(names)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise SkipInputError(f"cannot read as parquet ({_first_line(error)})") from error
    if parquet.metadata.num_rows == 0:
        raise SkipInputError("no rows")
    picked = [
        _pick_column(names, options.columns[role], role, name, required=role == "text")
        for role in DEFAULT_COLUMNS
    ]
    columns = [c for c in picked if c is not None]
    first = 1
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            values = {c: batch.column(c) for c in columns}  # read by _listed
            yield _Table(names, values, range(first, first + batch.num_rows), None)
            first += batch.num_rows
    except (pa.ArrowException, OSError, ValueError) as error:
        raise SkipInputError(
            f"cannot read as parquet from row {first} on ({_first_line(error)})"
        ) from error


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _json_kind(value: object) -> str:
    kinds = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "number")


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({type(value).__name__})"
    return f"a {type(value).__name__}"


def _short_repr(value: object, limit: int = 60) -> str:
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _written_id(value: object) -> str | None:
    """Give an id as it was written: 7 -> "7" (never "7.0"); None when missing."""
    if value is not None and not isinstance(value, str | int | float):
        raise SkipInputError(f"doc_id is {_type_name(value)}, not an id")
    return _written_text(value)


def _written_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, default=str)


class _Rows(NamedTuple):
    """Rows of a table still in Arrow, read into records by the worker that cleans them."""

    table: _Table
    name: str
    options: _Options

    def split(self, at: int) -> tuple[_Rows, _Rows]:
        """Give the first ``at`` rows and the others."""
        table = self.table
        head, tail = (
            table._replace(
                columns={c: values.slice(*cut) for c, values in table.columns.items()},
                rows=table.rows[cut[0] : cut[0] + cut[1]],
            )
            for cut in ((0, at), (at, len(table.rows) - at))
        )
        return self._replace(table=head), self._replace(table=tail)

    def records(self) -> tuple[list[_Record], list[tuple[str, str]]]:
        """Read the rows into records, and the rows skipped with their reasons."""
        skipped: list[tuple[str, str]] = []
        return _records_of_table(_listed(self.table), self.name, self.options, skipped), skipped


def _listed(table: _Table) -> _Table:
    """Give ``table`` with Arrow columns read into lists of Python objects."""
    return table._replace(
        columns={
            c: values.to_pylist() if isinstance(values, pa.Array) else values
            for c, values in table.columns.items()
        }
    )


def _table_records(
    path: Path, name: str, options: _Options, skipped: list[tuple[str, str]]
) -> Iterator[_Record | _Rows]:
    if path.suffix.lower() == ".parquet":
        tables: Iterable[_Table] = _parquet_tables(path, name, options, skipped)
    else:
        reader = _csv_table if path.suffix.lower() == ".csv" else _jsonl_table
        tables = [reader(path, name, options, skipped)]
    for table in tables:
        if _arrow_text(table, name, options):  # rows of text: read by the worker cleaning them
            yield _Rows(table, name, options)
        else:  # whatever else a column of text holds is judged here, for the whole file
            yield from _records_of_table(_listed(table), name, options, skipped)


def _arrow_text(table: _Table, name: str, options: _Options) -> bool:
    """Whether the table's text column is an Arrow array of strings."""
    if not any(isinstance(values, pa.Array) for values in table.columns.values()):
        return False
    text = _pick_column(table.names, options.columns["text"], "text", name, required=True)
    kind = table.columns[text].type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _records_of_table(
    table: _Table, name: str, options: _Options, skipped: list[tuple[str, str]]
) -> list[_Record]:
    if not table.rows:
        if not skipped or not skipped[-1][0].startswith(f"{name}:"):
            raise SkipInputError("no rows")
        return []
    text_col = _pick_column(table.names, options.columns["text"], "text", name, required=True)
    picked = {
        role: _pick_column(table.names, options.columns[role], role, name, required=False)
        for role in ("id", "date", "title", "language")
    }
    texts = table.columns[text_col]
    wrong = [t for t in texts if t is not None and not isinstance(t, str)]
    if wrong and len(wrong) == len(texts):
        raise SkipInputError(
            f"text column {text_col!r} holds {_type_name(wrong[0])} in every row, not text"
        )
    n_rows = len(texts)
    missing: list[object] = [None] * n_rows
    ids = table.columns[picked["id"]] if picked["id"] else missing
    titles = table.columns[picked["title"]] if picked["title"] else missing
    languages = table.columns[picked["language"]] if picked["language"] else missing
    if picked["date"]:
        written = table.columns[picked["date"]]
        dates, problems = parse_dates(written, dayfirst=options.dayfirst)
        problems = [
            problem and f"{_short_repr(value)} {problem}"
            for value, problem in zip(written, problems, strict=True)
        ]
    else:
        dates, problems = missing, missing
    stem = _file_name(Path(name).stem)
    records = []
    for i, (row, text) in enumerate(zip(table.rows, texts, strict=True)):
        source = f"{name}:{row}"
        if not isinstance(text, str):
            if text is None:
                skipped.append((source, "empty text"))
            else:
                skipped.append((source, f"text is {_type_name(text)}, not text"))
            continue
        if not text or text.isspace():
            skipped.append((source, "empty text"))
            continue
        try:
            doc_id = _written_id(ids[i])
        except SkipInputError as reason:
            skipped.append((source, str(reason)))
            continue
        language = languages[i]
        records.append(
            _Record(
                doc_id=f"{stem}_{row}" if doc_id is None else doc_id,
                source=source,
                text=text,
                encoding=table.encoding,
                date=dates[i],
                date_problem=problems[i],
                title=_written_text(titles[i]),
                language=language if isinstance(language, str) and language.strip() else None,
                from_table=True,
            )
        )
    return records


class _Table(NamedTuple):
    names: list[str]
    columns: dict[str, list[object] | pa.Array]  # Arrow for Parquet, until read (_listed)
    rows: Sequence[int]
    encoding: str | None


# --------------------------------------------------------------------------- column dates

#: The dates the corpus frame can hold (those of pandas' nanosecond timestamps).
EARLIEST_DATE = pd.Timestamp.min
LATEST_DATE = pd.Timestamp.max
_RANGE = f"outside the dates pandas can hold ({EARLIEST_DATE:%Y-%m-%d} to {LATEST_DATE:%Y-%m-%d})"
EPOCH_MIN_DIGITS = 100_000_000  # seconds since 1970 need 9 digits from 1973-03-03 on
_INTEGER = re.compile(r"[+-]?\d+")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4}|\d{2})")


def _in_range(stamp: pd.Timestamp) -> tuple[pd.Timestamp | None, str | None]:
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if not EARLIEST_DATE <= stamp <= LATEST_DATE:
        return None, f"is {_RANGE}"
    return stamp, None


def _integer_date(number: int) -> tuple[pd.Timestamp | None, str | None]:
    if 10_000_000 <= number <= 99_999_999:
        year, month, day = number // 10_000, number // 100 % 100, number % 100
        try:
            return _in_range(pd.Timestamp(dt.datetime(year, month, day)))
        except ValueError:
            return None, "is not a valid YYYYMMDD date"
    if -EPOCH_MIN_DIGITS < number < EPOCH_MIN_DIGITS:
        return None, "is too short a number for a date (YYYYMMDD, or seconds since 1970)"
    try:
        seconds = pd.Timedelta(seconds=number)
    except (OverflowError, ValueError):
        return None, f"is {_RANGE} (read as seconds since 1970)"
    stamp, problem = _in_range(pd.Timestamp("1970-01-01") + seconds)
    return stamp, problem and f"{problem} (read as seconds since 1970)"


def _numeric_date(
    first: int, second: int, year: int, dayfirst: bool | None
) -> tuple[pd.Timestamp | None, str | None]:
    if dayfirst is None:
        if first > 12 >= second:
            dayfirst = True
        elif second > 12 >= first or first == second:
            dayfirst = False
        elif first <= 12 and second <= 12:
            return None, (
                "is ambiguous (day and month could be either way round); "
                "pass dayfirst=True or dayfirst=False"
            )
        else:
            return None, "is not a valid date"
    day, month = (first, second) if dayfirst else (second, first)
    try:
        return _in_range(pd.Timestamp(dt.datetime(year, month, day)))
    except ValueError:
        order = "day first" if dayfirst else "month first"
        return None, f"is not a valid date ({order})"


def parse_dates(
    values: Sequence[object], *, dayfirst: bool | None = None
) -> tuple[list[pd.Timestamp | None], list[str | None]]:
    """Read the values of a table's date column, each as what it is, or say why not.

    The rules, one per kind of value:

    - ISO 8601 and other written dates ("2024-03-05", "5 March 2024", "Tue, 05
      Mar 2024 10:00:00 +0100"): parsed by pandas.
    - Time zones: converted to UTC, then dropped ("2024-01-01T00:00:00+02:00" is
      2023-12-31 22:00); dates without a zone are taken as they are.
    - Integers (numbers, or strings of digits): exactly 8 digits are ``YYYYMMDD``
      (20240105 is 5 January 2024); integers of 9 digits or more are seconds since
      1970-01-01 UTC (1704067200 is 1 January 2024); shorter ones (a year alone)
      are not dates. Milliseconds are not guessed (they fall beyond 2262).
    - Numeric day-month dates ("03/04/2023", "13.02.2023", "4-3-23"): when only one
      order gives a valid date, that order; when both do, the value is ambiguous and
      not read, unless ``dayfirst`` says the order (then every value is read in it).
    - Dates before 1677-09-21 or after 2262-04-11 (beyond pandas' nanosecond
      timestamps) are not read: the document keeps NaT and a warning names it.
    - Missing values (None, NaN, empty or white-space strings) are missing, without
      a problem; anything else (a JSON object, a list, a boolean) is a problem.

    Parameters
    ----------
    values : sequence
        The column's values, as read (str, int, float, datetime, None...).
    dayfirst : bool, optional
        Order of ambiguous numeric dates: True for day/month/year, False for
        month/day/year; default None reads only the unambiguous ones.

    Returns
    -------
    tuple of (list, list)
        For each value, a naive UTC ``pandas.Timestamp`` or None, and None or the
        problem (a phrase such as "is not a valid date").

    Examples
    --------
    >>> dates, problems = parse_dates(["20240105", "13/02/2023", "03/04/2023", None])
    >>> [d and d.strftime("%Y-%m-%d") for d in dates]
    ['2024-01-05', '2023-02-13', None, None]
    >>> problems[2].split(";")[0]
    'is ambiguous (day and month could be either way round)'
    >>> parse_dates(["03/04/2023"], dayfirst=True)[0][0].strftime("%Y-%m-%d")
    '2023-04-03'
    """
    dates: list[pd.Timestamp | None] = [None] * len(values)
    problems: list[str | None] = [None] * len(values)
    written: dict[int, str] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            if _INTEGER.fullmatch(value):
                dates[i], problems[i] = _integer_date(int(value))
            elif numeric := _NUMERIC_DATE.fullmatch(value):
                year = int(numeric[3])
                if len(numeric[3]) == 2:
                    year += 2000 if year < 69 else 1900  # the strptime %y rule
                dates[i], problems[i] = _numeric_date(
                    int(numeric[1]), int(numeric[2]), year, dayfirst
                )
            else:
                written[i] = value
        elif isinstance(value, bool):
            problems[i] = "is a boolean, not a date"
        elif isinstance(value, int):
            dates[i], problems[i] = _integer_date(value)
        elif isinstance(value, float):
            if math.isnan(value):
                continue
            if math.isinf(value):
                problems[i] = "is not a valid date"
            else:
                dates[i], problems[i] = _integer_date(round(value))
        elif isinstance(value, dt.date):  # datetime, date and pandas.Timestamp
            stamp = pd.Timestamp(value)
            dates[i], problems[i] = _in_range(stamp)
        else:
            problems[i] = f"is {_type_name(value)}, not a date"
    if written:
        text = pd.Series(list(written.values()), dtype=object)
        parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        rest = parsed.isna().to_numpy()
        stamps = parsed.tolist()
        if rest.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "could not infer format"
                again = pd.to_datetime(
                    text[rest], format="mixed", utc=True, errors="coerce",
                    dayfirst=bool(dayfirst),
                ).tolist()
            for j, stamp in zip(rest.nonzero()[0], again, strict=True):
                stamps[j] = stamp
        for i, stamp in zip(written, stamps, strict=True):
            if pd.isna(stamp):
                problems[i] = "is not a valid date"
            else:
                dates[i], problems[i] = _in_range(stamp)
    return dates, problems


# --------------------------------------------------------------------------- finding files

_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
)


def _special_reason(mode: int) -> str:
    for check, reason in _SPECIAL_FILES:
        if check(mode):
            return reason
    return "not a regular file"


def _find_files(
    root: Path, prefix: str, options: _Options
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Walk ``root`` once, in sorted order: regular files to read, and what is not read.

    Symbolic links are followed when they stay inside ``root`` (or when
    ``allow_outside_links``); a folder or file reached twice (through a link, or a
    link loop) is read once. Hidden folders (``.git``, ``.ipynb_checkpoints``) are
    reported once and not entered.
    """
    root_real = root.resolve()
    files: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[tuple[int, int], str] = {}
    root_stat = root.stat()
    seen[(root_stat.st_dev, root_stat.st_ino)] = prefix or "."
    stack: list[tuple[Path, str]] = [(root, prefix)]
    while stack:
        folder, folder_name = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            skipped.append((f"{folder_name}/", f"cannot read folder ({error.strerror})"))
            continue
        subfolders = []
        for entry in entries:
            name = f"{folder_name}/{_file_name(entry.name)}" if folder_name else _file_name(
                entry.name
            )
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except RuntimeError:
                        skipped.append((name, "symbolic link loop (the link leads back to itself)"))
                        continue
                    except FileNotFoundError:
                        skipped.append((name, "broken symbolic link (its target does not exist)"))
                        continue
                    if not options.allow_outside_links and not target.is_relative_to(root_real):
                        skipped.append(
                            (
                                name,
                                "symbolic link to a path outside the corpus folder, not read "
                                "(allow_outside_links=True reads it)",
                            )
                        )
                        continue
                    info = path.stat()
                else:
                    info = entry.stat(follow_symlinks=False)
            except OSError as error:
                reason = "symbolic link loop" if error.errno == errno.ELOOP else error.strerror
                skipped.append((name, f"cannot read ({reason})"))
                continue
            key = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if entry.name.startswith("."):
                    skipped.append((f"{name}/", "hidden folder, not read"))
                elif key in seen:
                    skipped.append((f"{name}/", f"the same folder as {seen[key]}/, read once"))
                else:
                    seen[key] = name
                    subfolders.append((path, name))
            elif stat.S_ISREG(info.st_mode):
                if key in seen:
                    skipped.append((name, f"the same file as {seen[key]}, read once"))
                else:
                    seen[key] = name
                    files.append((path, name))
            else:
                skipped.append((name, _special_reason(info.st_mode)))
        # depth first in name order gives the order of sorted(paths)
        stack.extend(reversed(subfolders))
    return files, skipped


def _read_file(path: Path, name: str, options: _Options, skipped: list) -> Iterable[_Record]:
    """Read the records of one file; SkipInputError (or ValueError) when it gives none."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        data = path.read_bytes()
        if not data:
            raise SkipInputError("empty file")
        record = _utf8_record(data, _file_name(path.stem), name)
        if record is not None:
            return [record]
        text, encoding = decode_bytes(data)
        if text.isspace():
            raise SkipInputError("only white space")
        unified = encoding != "utf-16" and not _has_line_separators(data, text)
        return [_Record(_file_name(path.stem), name, text, encoding, breaks_unified=unified)]
    if suffix in TABLE_SUFFIXES:
        return _table_records(path, name, options, skipped)
    raise SkipInputError(
        f"unsupported file type {_file_name(path.suffix) or '(no suffix)'!r}; "
        f"expected one of {', '.join(TEXT_SUFFIXES + TABLE_SUFFIXES)}"
    )


def _has_line_separators(data: bytes, text: str) -> bool:
    r"""Tell whether ``text``, decoded from ``data`` (not UTF-16), breaks lines otherwise than "\n".

    One memchr per byte separator; the text is searched only for the non-ASCII
    separators, and only when it is not ASCII (``"\x85"`` only when the byte 0x85 is
    in the data: it is in UTF-8's encoding of U+0085, Windows-1252 reads it as "…").
    """
    if any(sep in data for sep in _ASCII_SEPARATORS):
        return True
    if text.isascii():
        return False
    return "\u2028" in text or "\u2029" in text or (b"\x85" in data and "\x85" in text)


# --------------------------------------------------------------------------- UTF-8 text files
#
# A text file in valid UTF-8 whose characters NFC leaves alone and whose lines break
# only with "\n" (most files) is cleaned on its bytes: split into paragraphs as bytes,
# joined back as the UTF-8 the text column holds, and decoded only where it is read
# (the start and end, short paragraphs). Anything else goes the plain way; the result
# is the same (the tests compare both).


def _valid_utf8(data: bytes) -> bool:
    """Tell whether ``data`` is valid UTF-8 (what ``bytes.decode`` accepts), without decoding it."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _char_start(data: bytes, index: int) -> int:
    """Move ``index`` back to the first byte of the UTF-8 character it falls in."""
    index = min(max(index, 0), len(data))
    while 0 < index < len(data) and data[index] & 0xC0 == 0x80:
        index -= 1
    return index


def _utf8_record(data: bytes, doc_id: str, name: str) -> _Record | None:
    """Give a text file's record for the UTF-8 path, or None for the plain path.

    The plain path is :func:`decode_bytes`.

    Raises :class:`SkipInputError` for a binary file as :func:`decode_bytes` does.
    """
    if len(data) < UTF8_MIN_BYTES:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    if not _valid_utf8(body):
        return None
    # at most 4 bytes a character: the characters decode_bytes counts control characters in
    start = body[: _char_start(body, 4 * BINARY_SAMPLE)].decode()
    sample = start[:BINARY_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise SkipInputError(f"binary file ({controls} control characters)")
    if not start.strip():
        return None
    encoding = "utf-8-sig" if bom else "utf-8"
    return _Record(doc_id, name, "", encoding, breaks_unified=True, utf8=body)


@cache
def _spaces() -> tuple[str, ...]:
    r"""Give the white space characters (``str.isspace``, regular expressions' ``\s``)."""
    return tuple(c for c in map(chr, range(_SPACE_END)) if c.isspace())


@cache
def _utf8_break() -> re.Pattern[bytes]:
    r"""Give :data:`_PARAGRAPH_BREAK` on UTF-8 bytes: its ``\s`` spelt out as each space's bytes."""
    single = b"".join(re.escape(c.encode()) for c in _spaces() if c.isascii())
    several = [re.escape(c.encode()) for c in _spaces() if not c.isascii()]
    spaces = b"|".join([b"[" + single + b"]", *several])
    return re.compile(rb"\n[ \t\f\v]*\n(?:" + spaces + rb")*")


@cache
def _utf8_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Give byte tables (ASCII word characters, ASCII white space but "\n") and spaces.

    The word table marks the ASCII line separators (and "\r") with 2.
    """
    word = np.zeros(256, dtype=np.uint8)
    word[:128] = _word_characters(0x7F)
    word[[sep[0] for sep in _ASCII_SEPARATORS]] = 2
    space = np.zeros(256, dtype=bool)
    space[[ord(c) for c in _spaces() if c.isascii() and c != "\n"]] = True
    space_chars = np.zeros(_SPACE_END, dtype=bool)
    space_chars[[ord(c) for c in _spaces()]] = True
    return word, space, space_chars


@cache
def _composition_seconds() -> frozenset[int]:
    """Code points that can join the character before them in NFC (second of a pair)."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul jamo
    for code in range(_COMPOSITE_END):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return frozenset(seconds)


def _changes_text(code: int) -> bool:
    """Whether a character may change under NFC (alone or after another) or breaks a line."""
    char = chr(code)
    return (
        char in LINE_SEPARATORS
        or unicodedata.combining(char) != 0
        or unicodedata.normalize("NFC", char) != char
        or unicodedata.combining(unicodedata.normalize("NFD", char)[0]) != 0
        or code in _composition_seconds()
    )


@cache
def _care_table() -> np.ndarray:
    """Give flags per code point: 0 not yet known, else 1 | 2 (:func:`_changes_text`) | 4 (digit).

    Filled as the characters are met; 4 marks what :func:`may_hold_date` looks for.
    """
    return np.zeros(sys.maxunicode + 1, dtype=np.uint8)


class _Scan(NamedTuple):
    """What :func:`_utf8_scan` finds in a UTF-8 text."""

    words: int
    line_space: bool  # a line may end in white space
    layout: _Layout | None
    foreign_digits: bool  # a digit (or 年) of several bytes


class _Layout(NamedTuple):
    """Where a UTF-8 text's line breaks and characters of several bytes are (byte offsets)."""

    newlines: np.ndarray
    leads: np.ndarray  # first bytes of the characters of several bytes
    sizes: np.ndarray  # their lengths in bytes
    spaces: np.ndarray  # first bytes of the white space characters of several bytes


def _utf8_scan(data: bytes) -> _Scan | None:
    r"""Count the words of UTF-8 ``data`` and tell whether a line may end in white space.

    None when a character may change under NFC or breaks a line ("\r", "\x0b",
    "\x85", U+2028...): the plain path is needed. Chunk by chunk: each byte is
    marked as part of a word character or not (a character of several bytes marks
    all its bytes), and the words are the starts of runs of marks, as
    :func:`count_words` counts them. The layout (see :class:`_Layout`) is kept
    unless it would take more than a quarter of the text's size.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    word_bytes, space_bytes, space_chars = _utf8_tables()
    care = _care_table()
    words, before, previous, line_space, digits = 0, 0, 0x0A, False, False
    layout: list[list[np.ndarray]] | None = [[], [], [], []]
    kept, budget = 0, max(len(data) // 32, 1024)  # offsets of 8 bytes: a quarter of the text
    start = 0
    while start < len(codes):
        end = _char_start(data, start + max(UTF8_CHUNK, 4))  # a whole character at least
        chunk = codes[start:end]
        word = word_bytes.take(chunk)
        if word.max() > 1:
            return None  # a line separator, or "\r"
        leads = np.flatnonzero(chunk >= 0xC0)
        if len(leads):
            first = chunk.take(leads).astype(np.int32)
            size = 2 + (first >= 0xE0) + (first >= 0xF0)
            last = len(chunk) - 1
            b1, b2, b3 = (
                chunk.take(np.minimum(leads + k, last)).astype(np.int32) & 0x3F for k in (1, 2, 3)
            )
            chars = np.where(
                size == 2,
                (first & 0x1F) << 6 | b1,
                np.where(
                    size == 3,
                    (first & 0x0F) << 12 | b1 << 6 | b2,
                    (first & 0x07) << 18 | b1 << 12 | b2 << 6 | b3,
                ),
            )
            flags = care.take(chars)
            if not flags.all():  # characters met for the first time
                for code in np.unique(chars[flags == 0]).tolist():
                    changes = 2 if _changes_text(code) else 0
                    care[code] = 1 | changes | (4 if may_hold_date(chr(code)) else 0)
                flags = care.take(chars)
            if (flags & 2).any():
                return None
            digits = digits or bool((flags & 4).any())
            table = _word_characters(0xFFFF) if chars.max() <= 0xFFFF else _word_characters()
            is_word = table.take(chars)
            for k in range(4):
                word[leads[is_word & (size > k)] + k] = 1
            spaced = space_chars.take(np.minimum(chars, _SPACE_END - 1)) & (chars < _SPACE_END)
            if spaced.any():  # a space of several bytes before "\n" (or the chunk's end)
                after = (leads + size)[spaced]
                line_space = line_space or bool((after > last).any()) or bool(
                    (chunk.take(np.minimum(after, last)) == 0x0A).any()
                )
            if layout is not None:
                layout[1].append(leads + start)
                layout[2].append(size.astype(np.uint8))
                layout[3].append(leads[spaced] + start)
                kept += len(leads)
        newlines = np.flatnonzero(chunk == 0x0A)
        if len(newlines) and not line_space:
            line_space = bool(space_bytes[previous]) if newlines[0] == 0 else False
            inner = newlines[newlines > 0]
            line_space = line_space or bool(space_bytes.take(chunk.take(inner - 1)).any())
        if layout is not None:
            layout[0].append(newlines + start)
            kept += len(newlines)
            if kept > budget:
                layout = None
        words += int(np.count_nonzero(word[1:] > word[:-1])) + int(word[0] > before)
        before, previous = word[-1], int(chunk[-1])
        start = end
    if layout is None or line_space:
        return _Scan(words, line_space, None, digits)
    empty = np.zeros(0, dtype=np.intp)
    arrays = [np.concatenate(part) if part else empty for part in layout]
    return _Scan(words, line_space, _Layout(*arrays), digits)


def _utf8_char_lengths(data: bytes, pieces: int, layout: _Layout, shift: int) -> np.ndarray | None:
    r"""Count the characters of each piece of ``_utf8_break().split(data)``.

    None unless every break is "\n\n". ``layout`` is that of the text of which
    ``data`` is the end from byte ``shift`` on. A "\n\n" is a whole break when no
    "\n" is just before it and no white space just after it; when there are as many
    of those as breaks, they are the breaks.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    newlines = layout.newlines[layout.newlines >= shift] - shift  # sorted
    second = np.flatnonzero(newlines[1:] - newlines[:-1] == 1)  # "\n\n" at newlines[second]
    pairs = newlines[second]
    alone = (second == 0) | (newlines[second - 1] != pairs - 1)
    after = pairs + 2
    inside = after < len(codes)
    spaced = np.zeros(len(pairs), dtype=bool)
    spaced[inside] = _utf8_tables()[1].take(codes.take(after[inside])) | (
        codes.take(after[inside]) == 0x0A
    )
    spaces = layout.spaces[layout.spaces >= shift] - shift  # sorted
    if len(spaces):
        found = np.minimum(np.searchsorted(spaces, after), len(spaces) - 1)
        spaced |= spaces[found] == after
    breaks = pairs[alone & ~spaced]
    if len(breaks) != pieces - 1:
        return None
    starts = np.concatenate([[0], breaks + 2])
    ends = np.concatenate([breaks, [len(codes)]])
    keep = layout.leads >= shift
    piece = np.searchsorted(starts, layout.leads[keep] - shift, side="right") - 1
    extra = np.bincount(piece, weights=layout.sizes[keep] - 1, minlength=pieces)
    return ends - starts - extra.astype(np.int64)


_MAY_END_IN_SPACE = frozenset([*b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", *range(0x80, 0x100)])


def _utf8_rstrip(paragraph: bytes) -> bytes:
    """``paragraph`` without its trailing white space (``str.rstrip``), decoding only its end."""
    if paragraph and paragraph[-1] not in _MAY_END_IN_SPACE:
        return paragraph
    cut = _char_start(paragraph, len(paragraph) - UTF8_EDGE_BYTES)
    end = paragraph[cut:].decode().rstrip()
    if end or cut == 0:
        return paragraph[: cut + len(end.encode())]
    return paragraph[:cut].decode().rstrip().encode()


def _utf8_lstrip(paragraph: bytes) -> bytes:
    """``paragraph`` without its leading white space (``str.lstrip``), decoding only its start."""
    if paragraph and paragraph[0] not in _MAY_END_IN_SPACE:
        return paragraph
    cut = _char_start(paragraph, UTF8_EDGE_BYTES)
    start = paragraph[:cut].decode().lstrip()
    if start or cut == len(paragraph):
        return paragraph[cut - len(start.encode()) :]
    return paragraph[cut:].decode().lstrip().encode()


def _utf8_paragraphs(data: bytes, line_space: bool) -> tuple[list[bytes], int, int]:
    """:func:`_paragraphs` of UTF-8 bytes; ``line_space`` False: no line ends in white space.

    Also give the number of pieces the paragraph breaks cut, and which is the first
    paragraph.
    """
    paragraphs = _utf8_break().split(data)
    pieces, first = len(paragraphs), 0
    while paragraphs:
        last = _utf8_rstrip(paragraphs[-1])
        if last:
            paragraphs[-1] = last
            break
        paragraphs.pop()
    if not paragraphs:
        return [], pieces, first
    paragraphs[0] = _utf8_lstrip(paragraphs[0])
    if not paragraphs[0]:
        paragraphs.pop(0)
        first = 1
    if line_space:
        lines = map(operator.contains, paragraphs, repeat(b"\n"))
        ends = map(_MAY_END_IN_SPACE.__contains__, map(operator.itemgetter(-1), paragraphs))
        for i in compress(range(len(paragraphs)), map(operator.or_, lines, ends)):
            paragraphs[i] = _strip_lines(paragraphs[i].decode()).encode()
    return paragraphs, pieces, first


def _utf8_furniture_hits(paragraphs: list[bytes], chars: np.ndarray | None = None) -> list[int]:
    """:func:`_furniture_hits` of UTF-8 paragraphs (at most 4 bytes a character).

    ``chars``, the paragraphs' numbers of characters, spares reading the long ones.
    """
    if chars is not None:
        short = np.flatnonzero(chars <= FURNITURE_MAX_CHARS).tolist()
        texts = list(map(paragraphs.__getitem__, short))
        distinct = {text: text.decode() for text in dict.fromkeys(texts)}
        found = _furniture_texts(list(distinct.values()))
        furniture = {text for text, decoded in distinct.items() if decoded in found}
        return list(compress(short, map(furniture.__contains__, texts)))
    candidates = list(
        compress(
            range(len(paragraphs)),
            map((4 * FURNITURE_MAX_CHARS).__ge__, map(len, paragraphs)),
        )
    )
    texts = list(map(paragraphs.__getitem__, candidates))
    short = {}
    for text in dict.fromkeys(texts):
        if len(text) <= FURNITURE_MAX_CHARS or not text.isascii():
            decoded = text.decode()
            if len(decoded) <= FURNITURE_MAX_CHARS:
                short[text] = decoded
    found = _furniture_texts(list(short.values()))
    furniture = {text for text, decoded in short.items() if decoded in found}
    return list(compress(candidates, map(furniture.__contains__, texts)))


def _utf8_text_date(
    title: str | None, body: bytes, language: str | None, foreign_digits: bool
) -> dt.date | None:
    """:func:`find_text_date` of the title and body, decoding only their start and end if enough.

    ``foreign_digits`` tells whether the text has digits (or 年) of several bytes.
    """
    prefix = "" if title is None else f"{title}\n\n"
    cut = _char_start(body, UTF8_EDGE_BYTES)
    if cut < len(body):
        head = prefix + body[:cut].decode()
        if not (foreign_digits or may_hold_date(head) or any(d in body for d in _DIGITS)):
            return None  # no digit at all: no date (the whole text is not decoded)
        tail = body[_char_start(body, len(body) - UTF8_EDGE_BYTES) :].decode()
        try:
            return find_text_date_of_parts(head, tail, language=language)
        except LookupError:
            pass
    return find_text_date(prefix + body.decode(), language=language)


def _clean_utf8(record: _Record) -> dict[str, object] | None:
    """:func:`_clean_record` of a text file's UTF-8 bytes; None when the plain path is needed."""
    data = record.utf8
    scanned = _utf8_scan(data)
    if scanned is None:
        return None
    words, line_space, layout, digits = scanned
    problems: list[str] = []
    date, date_source = pd.NaT, None
    start = data[: _char_start(data, UTF8_EDGE_BYTES)].decode()
    header = _HEADER.match(start)
    if header is None:
        stripped = start.lstrip()
        if not stripped or stripped.startswith("date"):
            return None  # a header may start beyond the decoded start
        removed = ""
    else:
        if header.end() == len(start):
            return None  # the header may run on
        removed = header[0]
        data = data[len(removed.encode()) :]
        found = _header_date(header, record.source, problems)
        if found is not None:
            date, date_source = found, "header"
    shift = len(record.utf8) - len(data)
    paragraphs, pieces, first = _utf8_paragraphs(data, line_space)
    if header is not None and not paragraphs:
        raise SkipInputError("date header but no text")
    chars = None
    if layout is not None and paragraphs:
        lengths = _utf8_char_lengths(data, pieces, layout, shift)
        if lengths is not None:  # the edges were stripped: counted again
            chars = lengths[first : first + len(paragraphs)]
            for i in {0, len(paragraphs) - 1}:
                edge = paragraphs[i]
                chars[i] = len(edge.decode()) if len(edge) <= 4 * FURNITURE_MAX_CHARS else len(edge)
    title = None
    if len(paragraphs) > 1:
        first_paragraph = paragraphs[0].decode()
        if _looks_like_title(first_paragraph):
            title = first_paragraph
            paragraphs.pop(0)
            chars = None if chars is None else chars[1:]
    hits = _utf8_furniture_hits(paragraphs, chars)
    language = identify_language(_language_sample(paragraphs, hits))[0]
    body, boilerplate = _split_boilerplate(paragraphs, language, hits)
    del paragraphs
    body_text = b"\n\n".join(body)
    del body
    if date_source is None:
        found_text = _utf8_text_date(title, body_text, language, digits)
        stamp = _text_date(found_text, record.source, problems)
        if stamp is not None:
            date, date_source = stamp, "text"
    removed_text = b"\n\n".join(boilerplate).decode() if boilerplate else None
    for part in (removed, title, removed_text):
        words -= count_words(part or "")
    return {
        "doc_id": record.doc_id,
        "text": body_text,
        "source": record.source,
        "date": date,
        "date_source": date_source,
        "language": language,
        "title": title,
        "n_words": words,
        "encoding": record.encoding,
        "boilerplate": removed_text,
        "warnings": problems,
    }


def _records(source: Path, options: _Options, skipped: list[tuple[str, str]]) -> Iterator[_Record]:
    """Read every input below ``source``: yield records, append (source, reason) for skips.

    Each file is read on its own: whatever goes wrong in one is reported under its
    name and the others are read. Files are read one at a time (Parquet files in
    row batches), so a consumer that takes the records in batches holds one batch.
    """
    single = not source.is_dir()
    if single:
        name = _file_name(source.name)
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            skipped.append((name, _special_reason(info.st_mode)))
            return
        files = [(source, name)]
    else:
        files, found_skips = _find_files(source, _file_name(source.name), options)
        skipped.extend(found_skips)
    for path, name in files:
        try:
            yield from _read_file(path, name, options, skipped)
        except SkipInputError as reason:
            skipped.append((name, str(reason)))
        except ValueError as error:
            if single or isinstance(error, _StrictError):
                raise
            skipped.append((name, str(error).removeprefix(f"{name}: ")))
        except OSError as error:
            skipped.append((name, f"cannot read ({error.strerror or error})"))
        except Exception as error:
            skipped.append((name, f"cannot read ({type(error).__name__}: {error})"))


# --------------------------------------------------------------------------- cleaning


#: Bytes of text that determine py3langid's automaton state (the depth of its deepest
#: state for the bundled model): the state after each byte is found by walking this many
#: bytes from the start state, for every byte at once (checked, see ``_walk_features``).
LANGID_WINDOW = 6
#: Records cleaned together: the language samples of each group (at most 2,000 characters
#: a record) are identified in one numpy pass.
CLEAN_GROUP = 500
#: Texts on which the numpy classifier must give py3langid's scores exactly, or is not used.
_LANGID_CHECKS = (
    "",
    "123 456",
    "India and France agreed to expand their partnership.",
    "L'Inde et la France ont signé un accord de coopération à Paris.",
    "Индия и Франция договорились о сотрудничестве в области обороны.",
    "中法两国外长在北京举行会谈，双方同意加强合作。",
    "وقعت الهند وفرنسا اتفاقية للتعاون في مجال الطاقة.",
    "UPPER CASE HEADLINE ABOUT TALKS",
)


@cache
def _language_identifier():
    """Give py3langid's identifier (bundled model), its feature counting done by numpy.

    The numpy subclass (:func:`_numpy_identifier`) gives the same scores, bit for bit,
    one text at a time and many at once; it is used only when it does so on
    ``_LANGID_CHECKS``, else py3langid's own.
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    try:
        fast = _numpy_identifier(plain)
        expected = np.stack([plain._decide(t) for t in _LANGID_CHECKS])
        one_by_one = np.stack([fast._decide(t) for t in _LANGID_CHECKS])
        at_once = fast.decide_many(list(_LANGID_CHECKS))
        same = np.array_equal(one_by_one, expected) and np.array_equal(at_once, expected)
    except Exception:  # another py3langid version: its own code is used
        return plain
    return fast if same else plain


def _numpy_identifier(plain):
    """Build a py3langid identifier whose byte walk and counting run in numpy, not per byte.

    py3langid walks its automaton one byte at a time in Python, counts the features
    it visits (a Counter, in order of first visit) and scores them with
    ``log1p(counts) @ nb_ptc[features] + nb_pc``. Here the walk is vectorised (over
    many texts at once), the counts come from one sort, and the score is the same
    expression, on the same features in the same order (float32 rows: the product
    casts them to float32 anyway), so the scores are identical.
    """
    from py3langid.langid import LanguageIdentifier

    class _NumpyIdentifier(LanguageIdentifier):
        __slots__ = ("_arrays",)

        def _raw_score(self, text: bytes) -> np.ndarray:
            return self._raw_scores([text])[0]

        def _raw_scores(self, texts: list[bytes]) -> np.ndarray:
            """py3langid's ``_raw_score`` of each text, one row each."""
            *walk, table = self._arrays
            scores = np.empty((len(texts), len(self.nb_pc)), dtype=np.float32)
            walked = _walk_features(texts, *walk)
            if walked is None:  # the window did not hold the state: py3langid's walk
                for i, text in enumerate(texts):
                    scores[i] = super()._raw_score(text)
                return scores
            features, owners = walked
            # sort (text, feature, visit) keys: each feature's run in a text gives its count
            size = len(features)
            shift, width = size.bit_length(), len(table).bit_length()
            keys = (((owners << width) | features) << shift) | np.arange(size)
            keys.sort()
            pairs = keys >> shift
            new = np.ones(size + 1, dtype=bool)  # where a run starts (and the end)
            np.not_equal(pairs[1:], pairs[:-1], out=new[1:size])
            edges = new.nonzero()[0]
            starts, runs = edges[:-1], pairs[edges[:-1]]
            # the runs in order of first visit (text by text, as Counter's): each run's
            # number put at its first visit, read in visit order
            run_at = np.full(size, -1)
            run_at[keys[starts] & ((1 << shift) - 1)] = np.arange(len(starts))
            order = run_at[run_at >= 0]
            counts = (edges[1:] - starts)[order].astype(np.float32)
            features = (runs & ((1 << width) - 1))[order]
            bounds = np.zeros(len(texts) + 1, dtype=np.intp)  # each text's runs
            np.cumsum(np.bincount(runs >> width, minlength=len(texts)), out=bounds[1:])
            for i, (start, end) in enumerate(pairwise(bounds.tolist())):
                counted = np.log1p(counts[start:end])
                scores[i] = counted @ table.take(features[start:end], axis=0)
            scores += self.nb_pc  # each row's sum, as it is (float32) plus nb_pc
            for i in (bounds[1:] == bounds[:-1]).nonzero()[0]:
                scores[i] = super()._raw_score(b"")  # py3langid's score for no features
            return scores

        def decide_many(self, texts: list[str]) -> np.ndarray:
            """py3langid's ``_decide`` of each text, one row each, all rows at once.

            The same float32 operations, element by element, as ``_decide`` with
            ``norm_probs`` (the rows' maxima and sums are reduced row by row).
            """
            encoded = [self._encode(text) for text in texts]
            scores = self._raw_scores(encoded)
            lengths = np.fromiter(map(len, encoded), dtype=np.float64, count=len(encoded))
            # 1 / sqrt(length) in float64, cast to float32 as numpy casts _decide's float
            scale = (1.0 / np.sqrt(np.maximum(lengths, 1.0))).astype(np.float32)
            scores *= scale[:, np.newaxis]
            np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
            scores /= scores.sum(axis=1, keepdims=True)
            for i, j in self._alias_pairs:
                scores[:, i] += scores[:, j]
                scores[:, j] = 0.0
            return scores

    fast = _NumpyIdentifier(
        plain.nb_ptc, plain.nb_pc, plain.nb_classes, plain.tk_nextmove, plain.tk_output,
        norm_probs=True, tk_row=plain.tk_row,
    )
    next_move = np.asarray(plain.tk_nextmove, dtype=np.uint32)
    row_base = np.asarray(plain._rowbase, dtype=np.uint32)
    next_base = row_base.take(next_move)  # the row of the state each move leads to
    move_output = np.asarray(plain.tk_output, dtype=np.int32).take(next_move)  # its feature
    root = int(row_base[0])
    # a byte that takes every state to the start, visiting no feature (0xFF, never in
    # UTF-8, for the bundled model); StopIteration for a model without one
    reset = next(
        byte
        for byte in range(255, -1, -1)
        if (next_base[byte::256] == root).all() and (move_output[byte::256] < 0).all()
    )
    fast._arrays = (
        next_base, move_output, root, reset, np.asarray(plain.nb_ptc, dtype=np.float32)
    )
    return fast


def _walk_features(
    texts: list[bytes], next_base: np.ndarray, move_output: np.ndarray, root: int, reset: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Give the features py3langid's automaton visits on ``texts``, in order; None if unsure.

    Also give the text (its index) each feature is visited in. The texts are walked
    as one, joined by the byte ``reset``, which takes every state back to the start
    without visiting a feature: each text's walk then starts afresh, as its own. The
    state after byte ``t`` is the state reached from the start by the bytes ``t -
    LANGID_WINDOW + 1 .. t`` (an Aho-Corasick automaton's state is the longest suffix
    of the input that it knows, never longer than its deepest state), so all states
    are computed at once in ``LANGID_WINDOW`` vectorised steps, on the row offsets of
    the states (``next_base[row + byte]`` is the row of the next state,
    ``move_output[row + byte]`` the feature it visits or -1). The result is then
    checked to be the walk itself (each row follows from the one before by its byte);
    when it is not (a deeper model), None.
    """
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    codes = np.frombuffer(bytes([reset]).join(texts), dtype=np.uint8).astype(np.uint32)
    size = len(codes)
    rows = np.full(size + 1, root, dtype=np.uint32)  # rows[t + 1]: row after byte t
    for back in range(min(LANGID_WINDOW, size) - 1, -1, -1):  # oldest byte first
        rows[back + 1 :] = next_base.take(rows[back + 1 :] + codes[: size - back])
    moves = rows[:-1] + codes
    if size > 1 and (next_base.take(moves[1:]) != rows[2:]).any():
        return None
    features = move_output.take(moves)
    visits = (features >= 0).nonzero()[0]
    resets = np.cumsum(lengths + 1) - 1  # where the reset byte after each text is (or would be)
    return features[visits], resets.searchsorted(visits)  # a visit's text: resets before it


def identify_language(text: str, *, prefix: int = LANGUAGE_PREFIX) -> tuple[str | None, float]:
    """Identify the language of ``text`` from its first ``prefix`` characters.

    Uses py3langid's bundled model (nothing is downloaded). Reading a bounded
    prefix keeps the cost per document constant, whatever its length. Codes that
    ``data/language_variants.csv`` maps are read as their language (written Wu
    and Cantonese as Chinese).

    Parameters
    ----------
    text : str
        The text.
    prefix : int, default 1000
        How many leading characters to read.

    Returns
    -------
    tuple of (str or None, float)
        ISO 639-1 code and its probability; ``(None, 0.0)`` for text without letters.

    Examples
    --------
    >>> identify_language("L'Inde et l'UE ont discuté de la coopération.")[0]
    'fr'
    """
    return _identify_sample(text[:prefix])


@lru_cache(maxsize=4096)
def _identify_sample(sample: str) -> tuple[str | None, float]:
    """Identify one sample; the same sample (a site's footer, an author bio) only once."""
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    language, probability = _language_identifier().classify(sample)
    return _variants().get(str(language), str(language)), float(probability)


def _identify_samples(samples: list[str]) -> dict[str, tuple[str | None, float]]:
    """:func:`_identify_sample` of each sample, all in one numpy pass (the same results).

    The pass holds every sample's bytes a few times over: give it a bounded number.
    """
    found: dict[str, tuple[str | None, float]] = dict.fromkeys(samples, (None, 0.0))
    lettered = [sample for sample in found if any(map(str.isalpha, sample))]
    if not lettered:
        return found
    identifier = _language_identifier()
    if hasattr(identifier, "decide_many"):
        scores = identifier.decide_many(lettered)
    else:  # py3langid's own identifier
        scores = np.stack([identifier._decide(sample) for sample in lettered])
    best = scores.argmax(axis=1)  # classify's choice: the first of the highest
    variants = _variants()
    for sample, i, probability in zip(
        lettered, best.tolist(), scores[np.arange(len(best)), best].tolist(), strict=True
    ):
        language = str(identifier.nb_classes[i])
        found[sample] = variants.get(language, language), probability
    return found


def _identified(text: str, known: dict[str, tuple[str | None, float]]) -> tuple[str | None, float]:
    """:func:`identify_language` of ``text``, taken from ``known`` when it is there."""
    sample = text[:LANGUAGE_PREFIX]
    found = known.get(sample)
    return _identify_sample(sample) if found is None else found


@cache
def _variants() -> dict[str, str]:
    table = read_language_variants()
    return dict(zip(table["identified"], table["language"], strict=True))


@cache
def _furniture_sources() -> tuple[str, ...]:
    # a space of a pattern matches any run of white space (a paragraph may hold line
    # breaks), so that paragraphs are matched as they are, without collapsing them
    return tuple(p.replace(" ", r"\s+") for p in read_boilerplate()["pattern"])


@cache
def _furniture_pattern() -> re.Pattern[str]:
    patterns = _furniture_sources()
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.DOTALL)


@cache
def _furniture_alternatives() -> tuple[tuple[re.Pattern[str] | None, str], ...]:
    """Each alternative of the furniture pattern, with a class of the characters it can start with.

    The class is read from the parsed alternative and compiled with the pattern's
    flags (so case folding is the pattern's own); None when the start is not a plain
    set of characters (the alternative is then tried on every paragraph).
    """
    pattern = _furniture_pattern()
    alternatives = []
    for source in _furniture_sources():
        try:
            chars, _ = _first_chars(re._parser.parse(source, pattern.flags))
        except (AttributeError, TypeError, ValueError, re.error):
            chars = None
        start = None
        if chars:
            escaped = "".join(re.escape(chr(c)) for c in sorted(chars))
            start = re.compile(f"[{escaped}]", pattern.flags)
        alternatives.append((start, source))
    return tuple(alternatives)


_FURNITURE_BY_START: dict[str, object] = {}  # first character -> fullmatch of what can start so


def _furniture_matcher(first: str):
    """Give the fullmatch of the furniture alternatives that can start with ``first``, or None.

    A paragraph is furniture when one alternative matches it whole, so only those
    whose first character fits need trying: a few instead of 75 case-insensitive
    ones (built once per distinct first character).
    """
    try:
        return _FURNITURE_BY_START[first]
    except KeyError:
        sources = tuple(
            source
            for start, source in _furniture_alternatives()
            if start is None or start.match(first)
        )
        matcher = _compile_furniture(sources) if sources else None
        _FURNITURE_BY_START[first] = matcher
        return matcher


@cache
def _compile_furniture(sources: tuple[str, ...]):
    flags = _furniture_pattern().flags
    return re.compile("|".join(f"(?:{p})" for p in sources), flags).fullmatch


def _first_chars(items) -> tuple[set[int] | None, bool]:
    """Code points that can start a match of parsed ``items``, and whether they can be empty.

    None for the code points when a start is not a plain literal or set of literals
    (a category, any character, a flag change, an assertion...).
    """
    constants = re._constants  # the parser's opcodes
    chars: set[int] = set()
    for op, av in items:
        if op is constants.LITERAL:
            chars.add(av)
            return chars, False
        if op is constants.IN:
            for kind, value in av:
                if kind is constants.LITERAL:
                    chars.add(value)
                elif kind is constants.RANGE and value[1] - value[0] < 1024:
                    chars.update(range(value[0], value[1] + 1))
                else:
                    return None, False
            return chars, False
        if op is constants.BRANCH:
            empty = False
            for branch in av[1]:
                found, can_be_empty = _first_chars(branch)
                if found is None:
                    return None, False
                chars |= found
                empty = empty or can_be_empty
        elif op is constants.SUBPATTERN:
            if av[1] or av[2]:  # flags changed inside the group
                return None, False
            found, empty = _first_chars(av[3])
            if found is None:
                return None, False
            chars |= found
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
            found, can_be_empty = _first_chars(av[2])
            if found is None:
                return None, False
            chars |= found
            empty = av[0] == 0 or can_be_empty
        else:
            return None, False
        if not empty:
            return chars, False
    return chars, True


def _furniture_texts(texts: list[str]) -> set[str]:
    """Which of ``texts`` (short paragraphs) are furniture: each distinct text matched once."""
    found = set()
    for text in dict.fromkeys(texts):
        fullmatch = _furniture_matcher(text[0]) if text else _furniture_pattern().fullmatch
        if fullmatch is not None and fullmatch(text) is not None:
            found.add(text)
    return found


def _furniture_hits(paragraphs: list[str]) -> list[int]:
    """Positions of the furniture paragraphs, in order (linear; C-level passes over them all).

    Only the short paragraphs are matched, each distinct one once (furniture repeats).
    """
    short = list(
        compress(range(len(paragraphs)), map(FURNITURE_MAX_CHARS.__ge__, map(len, paragraphs)))
    )
    texts = list(map(paragraphs.__getitem__, short))
    return list(compress(short, map(_furniture_texts(texts).__contains__, texts)))


def _looks_like_title(paragraph: str) -> bool:
    return (
        "\n" not in paragraph
        and len(paragraph) <= 150
        and len(paragraph.split()) <= 20
        and _TITLE_END.search(paragraph) is None
    )


def split_boilerplate(paragraphs: list[str], language: str | None) -> tuple[list[str], list[str]]:
    """Separate a document's paragraphs into body and boilerplate.

    Boilerplate is (a) web-page furniture: a short paragraph (at most 200
    characters) that wholly matches a pattern of
    ``data/boilerplate.csv`` ("Similar Posts", "This post is also available in:
    ..."), and (b) trailing paragraphs confidently identified as another language
    than the document's (an author bio in Turkish at the end of an English
    article). The body always keeps at least one paragraph. Linear in the length
    of the text.

    Parameters
    ----------
    paragraphs : list of str
        The document's paragraphs, in order.
    language : str or None
        The document's language; None disables check (b).

    Returns
    -------
    tuple of (list of str, list of str)
        Body paragraphs and boilerplate paragraphs, each in document order.

    Examples
    --------
    >>> split_boilerplate(["Similar Posts", "India and France met."], "en")
    (['India and France met.'], ['Similar Posts'])
    """
    return _split_boilerplate(paragraphs, language, _furniture_hits(paragraphs))


def _split_boilerplate(
    paragraphs: list,
    language: str | None,
    hits: list[int],
    known: dict[str, tuple[str | None, float]] | None = None,
) -> tuple[list, list]:
    """:func:`split_boilerplate`, given the positions of the furniture paragraphs.

    The paragraphs may be ``str`` or UTF-8 ``bytes`` (decoded where they are read).
    ``known`` holds languages already identified, by sample (see :func:`_identified`).
    """
    # the paragraphs between furniture are copied by slices
    body, furniture, start = [], [paragraphs[i] for i in hits], 0
    for i in hits:
        body.extend(paragraphs[start:i])
        start = i + 1
    body.extend(paragraphs[start:])
    if not body:
        body, furniture = paragraphs[:1], paragraphs[1:]
    trailing: list[str] = []
    while language is not None and len(body) > 1:
        last = _as_text(body[-1])
        if not _has_letters(last, TRAILING_MIN_LETTERS):
            break
        found, probability = _identified(last, known or {})
        if found == language or probability < TRAILING_MIN_PROBABILITY:
            break
        trailing.append(body.pop())
    return body, furniture + trailing[::-1]


def _last_body_paragraph(paragraphs: list[str], hits: list[int]) -> str | None:
    """Give the paragraph :func:`_split_boilerplate` identifies first (the body's last), if any."""
    if len(paragraphs) - len(hits) < 2:
        return None  # the body keeps its one paragraph
    last = len(paragraphs) - 1
    for hit in reversed(hits):  # the furniture at the end, in order
        if hit != last:
            break
        last -= 1
    return paragraphs[last]


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` letters, reading no more than needed."""
    found, step = 0, max(count, 64)
    for start in range(0, len(text), step):
        found += sum(map(str.isalpha, text[start : start + step]))
        if found >= count:
            return True
    return False


def _clean_record(record: _Record) -> dict[str, object]:
    """Turn one record into one row of the corpus frame (a function of the record alone).

    Problems that do not stop the document (a date that cannot be read) are returned
    in the row's ``warnings`` list, for the caller to report; a record that cannot be
    a document raises :class:`SkipInputError`.
    """
    if record.utf8 is not None:
        row = _clean_utf8(record)
        if row is not None:
            return row
        text = record.utf8.decode()  # the plain path, on the decoded text
        unified = not _has_line_separators(record.utf8, text)
        record = record._replace(text=text, utf8=None, breaks_unified=unified)
    return _finish_record(_draft_record(record), {})


class _Draft(NamedTuple):
    """A record cleaned up to its language: what :func:`_finish_record` needs."""

    record: _Record
    paragraphs: list[str]
    hits: list[int]  # positions of the furniture paragraphs
    title: str | None
    language: str | None  # the table's; None to identify ``sample``'s
    sample: str | None
    last: str | None  # the body's last paragraph (see :func:`_split_boilerplate`)
    date: pd.Timestamp
    date_source: str | None
    problems: list[str]

    def samples(self) -> list[str]:
        """Give the samples whose languages :func:`_finish_record` reads, as identified."""
        texts = [self.sample] if self.language is None else []
        if self.last is not None:
            texts.append(self.last)
        return [text[:LANGUAGE_PREFIX] for text in texts]


def _draft_record(record: _Record) -> _Draft:
    """Clean a record (not a text file's UTF-8 bytes) up to its language."""
    problems: list[str] = []
    text = record.text if record.breaks_unified else _unify_line_breaks(record.text)
    text = unicodedata.normalize("NFC", text)
    date, date_source = pd.NaT, None
    if record.date is not None:
        date, date_source = record.date, "column"
    elif record.date_problem is not None:
        problems.append(
            f"{record.source}: date {record.date_problem}; looking in the text"
        )
    header = _HEADER.match(text)
    if header:
        text = text[header.end() :]
        if date_source is None:
            found = _header_date(header, record.source, problems)
            if found is not None:
                date, date_source = found, "header"
        if not text or text.isspace():
            raise SkipInputError("date header but no text")
    paragraphs = _paragraphs(text)
    title = record.title if isinstance(record.title, str) and record.title.strip() else None
    if title is None and not record.from_table and len(paragraphs) > 1:
        if _looks_like_title(paragraphs[0]):
            title = paragraphs.pop(0)
    language = record.language if isinstance(record.language, str) and record.language else None
    hits = _furniture_hits(paragraphs)
    sample = _language_sample(paragraphs, hits) if language is None else None
    last = _last_body_paragraph(paragraphs, hits)
    return _Draft(
        record, paragraphs, hits, title, language, sample, last, date, date_source, problems
    )


def _finish_record(
    draft: _Draft, known: dict[str, tuple[str | None, float]]
) -> dict[str, object]:
    """Finish cleaning a record; ``known`` holds languages identified, by sample."""
    record, title, date, date_source, problems = (
        draft.record, draft.title, draft.date, draft.date_source, draft.problems
    )
    language = draft.language
    if language is None:
        language = _identified(draft.sample, known)[0]
    body, boilerplate = _split_boilerplate(draft.paragraphs, language, draft.hits, known)
    body_text = "\n\n".join(body)
    if date_source is None:
        found_text = find_text_date(
            body_text if title is None else f"{title}\n\n{body_text}", language=language
        )
        stamp = _text_date(found_text, record.source, problems)
        if stamp is not None:
            date, date_source = stamp, "text"
    return {
        "doc_id": record.doc_id,
        "text": body_text,
        "source": record.source,
        "date": date,
        "date_source": date_source,
        "language": language,
        "title": title,
        "n_words": count_words(body_text),
        "encoding": record.encoding,
        "boilerplate": "\n\n".join(boilerplate) if boilerplate else None,
        "warnings": problems,
    }


def _header_date(header: re.Match[str], source: str, problems: list[str]) -> pd.Timestamp | None:
    """Give the date of a ``date YYYY-MM-DD`` header, or None with the problem appended."""
    try:
        found = _bounded(pd.Timestamp(dt.date.fromisoformat(_pad_iso(header[1]))))
    except ValueError:
        problems.append(
            f"{source}: header date {header[1]!r} is not a valid date; looking in the text"
        )
        return None
    if found is None:
        problems.append(f"{source}: header date {header[1]!r} is {_RANGE}; looking in the text")
    return found


def _text_date(found: dt.date | None, source: str, problems: list[str]) -> pd.Timestamp | None:
    """Give the date found in the text as a timestamp, or None (the problem when out of range)."""
    if found is None:
        return None
    stamp = _bounded(pd.Timestamp(found))
    if stamp is None:
        problems.append(
            f"{source}: date in the text {found.isoformat()} is {_RANGE}; "
            "the date is left missing"
        )
    return stamp


def _unify_line_breaks(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in LINE_SEPARATORS:
        if separator in text:
            text = text.replace(separator, "\n")
    return text


def _paragraphs(text: str) -> list[str]:
    """Split on blank lines; strip the end of each line (C-level passes over the list)."""
    # split, then strip the ends: the same as splitting text.strip(), without a copy
    paragraphs = _PARAGRAPH_BREAK.split(text)
    while paragraphs and (not paragraphs[-1] or paragraphs[-1].isspace()):  # trailing space
        paragraphs.pop()
    if not paragraphs:
        return []
    paragraphs[-1] = paragraphs[-1].rstrip()
    paragraphs[0] = paragraphs[0].lstrip()
    if not paragraphs[0]:
        paragraphs.pop(0)
    lines = map(operator.contains, paragraphs, repeat("\n"))
    spaces = map(str.isspace, map(operator.itemgetter(-1), paragraphs))
    for i in compress(range(len(paragraphs)), map(operator.or_, lines, spaces)):
        paragraphs[i] = _strip_lines(paragraphs[i])
    return paragraphs


def _strip_lines(paragraph: str) -> str:
    return "\n".join(line.rstrip() for line in paragraph.split("\n"))


@cache
def _word_characters(last: int = sys.maxunicode) -> np.ndarray:
    """Tell which code points up to ``last`` are word characters: a table built by the regex."""
    table = np.zeros(last + 1, dtype=bool)
    for match in _WORD.finditer("".join(map(chr, range(last + 1)))):
        table[match.start() : match.end()] = True
    return table


def count_words(text: str, *, chunk: int = 1 << 18) -> int:
    r"""Count the words (runs of ``\w``) of ``text`` in time linear in its length.

    Short texts are counted with the regular expression; longer ones (from
    ``LONG_TEXT`` characters on) with a table of word characters, in chunks, which
    gives the same count without building the list of words (several times faster
    from a few hundred characters on).

    Parameters
    ----------
    text : str
        The text.
    chunk : int, default 256 Ki
        Characters handled at once on the long path (bounds the memory used; small
        enough for the arrays to stay in the processor's cache).

    Returns
    -------
    int
        The number of words.

    Examples
    --------
    >>> count_words("Pakistan-France talks, 10 Feb. 2023")
    6
    """
    if len(text) < LONG_TEXT:
        return len(_WORD.findall(text))
    bmp = _word_characters(0xFFFF)  # 64 KiB: stays in the cache, unlike the whole table
    words, before = 0, False
    for start in range(0, len(text), chunk):
        piece = text[start : start + chunk]
        if piece.isascii():
            word = bmp.take(np.frombuffer(piece.encode("ascii"), dtype=np.uint8))
        else:
            units = piece.encode("utf-16-le", "surrogatepass")
            if len(units) == 2 * len(piece):  # no character beyond the BMP
                word = bmp.take(np.frombuffer(units, dtype=np.uint16))
            else:
                codes = piece.encode("utf-32-le", "surrogatepass")
                word = _word_characters().take(np.frombuffer(codes, dtype=np.uint32))
        words += int(np.count_nonzero(word[1:] > word[:-1])) + int(word[0] and not before)
        before = bool(word[-1])
    return words


def _bounded(stamp: pd.Timestamp) -> pd.Timestamp | None:
    return stamp if EARLIEST_DATE <= stamp <= LATEST_DATE else None


def _as_text(paragraph: str | bytes) -> str:
    return paragraph.decode() if isinstance(paragraph, bytes) else paragraph


def _language_sample(paragraphs: list[str] | list[bytes], hits: list[int]) -> str:
    """Give the start of the text without furniture (or of the whole text) to identify.

    ``hits`` are the positions of the furniture paragraphs.
    """
    sample, size, furniture = [], 0, set(hits)
    for i, paragraph in enumerate(paragraphs):
        if i not in furniture:
            paragraph = _as_text(paragraph)
            sample.append(paragraph)
            size += len(paragraph) + 2
            if size >= LANGUAGE_PREFIX:
                break
    if not sample:
        sample, size = [], 0
        for paragraph in map(_as_text, paragraphs):
            sample.append(paragraph)
            size += len(paragraph) + 2
            if size >= LANGUAGE_PREFIX:
                break
    return "\n\n".join(sample)


_Outcome = tuple[dict[str, object] | None, tuple[str, str] | None, list[str]]


def _clean_unit(
    unit: list[_Record] | _Rows,
) -> tuple[list[_Outcome], pa.Array | list[str | bytes]]:
    """Clean records or table rows (in a worker process): see :func:`_clean_records`.

    Table rows are read into records first; a row that gives none (an empty text)
    comes first, as skipped. The rows come without their texts, which come apart, as
    one Arrow array (:func:`_utf8_array`; a list when one cannot be encoded): the
    parent process has nothing to copy.
    """
    outcomes = []
    if isinstance(unit, _Rows):
        records, skipped = unit.records()
        outcomes = [(None, skip, []) for skip in skipped]
    else:
        records = unit
    outcomes += _clean_records(records)
    texts = [row.pop("text") for row, _, _ in outcomes if row is not None]
    array = _utf8_array(texts)
    return outcomes, texts if array is None else array


def _clean_records(records: list[_Record]) -> list[_Outcome]:
    """Clean records: for each, its row or (its source, why it was skipped), and its warnings.

    :data:`CLEAN_GROUP` records at a time: each is drafted, the languages of all the
    group's samples are identified in one numpy pass (far fewer numpy calls than one
    pass a sample), and each draft is finished. A text file's UTF-8 bytes are cleaned
    in one step.
    """
    out: list[_Outcome] = []
    for start in range(0, len(records), CLEAN_GROUP):
        group = records[start : start + CLEAN_GROUP]
        drafts = [
            _attempt(_draft_record, record) if record.utf8 is None else (None, None)
            for record in group
        ]
        samples = [s for draft, reason in drafts if draft is not None for s in draft.samples()]
        try:
            known = _identify_samples(samples)
        except Exception:  # each record's own identification then reports its problem
            known = {}
        for record, (draft, reason) in zip(group, drafts, strict=True):
            if reason is None:
                row, reason = (
                    _attempt(_clean_record, record)
                    if draft is None
                    else _attempt(_finish_record, draft, known)
                )
            if reason is None:
                out.append((row, None, row.pop("warnings")))
            else:
                out.append((None, (record.source, reason), []))
    return out


_Result = TypeVar("_Result")


def _attempt(step: Callable[..., _Result], *args: object) -> tuple[_Result | None, str | None]:
    """Run one cleaning step: (its result, None), or (None, why the record is skipped)."""
    try:
        return step(*args), None
    except SkipInputError as error:
        return None, str(error)
    except Exception as error:  # one record never stops the others
        return None, f"cannot load ({type(error).__name__}: {error})"


def _text_column(
    pieces: list[pa.Array | list[str | bytes]],
) -> pd.api.extensions.ExtensionArray | list[str]:
    """Give the texts of ``pieces`` as the string array pandas infers, from UTF-8 buffers.

    The pieces are consecutive: arrays from :func:`_utf8_array`, or lists of texts (a
    list a worker could not encode). pandas would cache each text's UTF-8 form in the
    ``str`` object and then copy it into Arrow: twice the memory and time for a large
    text. The same array (same dtype, same Arrow type, one chunk) is built here from the
    pieces' buffers, copied once; a text given as UTF-8 ``bytes`` (a text file's) goes in
    as it is. Anything unusual (no Arrow string dtype, a text that is not valid Unicode)
    is left to pandas.
    """
    dtype = pd.Series(["x"]).dtype
    if getattr(dtype, "storage", None) == "pyarrow":
        arrays = [piece if isinstance(piece, pa.Array) else _utf8_array(piece) for piece in pieces]
        if all(array is not None for array in arrays):
            # one chunk, as pandas would make: a take across many chunks (corpus.iloc[rows])
            # concatenates them all first, each time
            joined = pa.chunked_array(arrays, type=pa.large_string()).combine_chunks()
            return pd.array(joined, dtype=dtype)
    return [
        _as_text(text)
        for piece in pieces
        for text in (piece.to_pylist() if isinstance(piece, pa.Array) else piece)
    ]


def _utf8_array(texts: list[str | bytes]) -> pa.LargeStringArray | None:
    """Give the texts as one Arrow array, each encoded once into one buffer; None if one cannot be.

    A text that cannot be encoded (a lone surrogate) is left to pandas to judge.
    """
    try:
        encoded = [text if isinstance(text, bytes) else text.encode("utf-8") for text in texts]
    except (AttributeError, UnicodeEncodeError):
        return None
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    return pa.LargeStringArray.from_buffers(
        len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))
    )


def _warm_caches() -> None:
    """Build what cleaning needs (the language model above all) and the coverage lexicons.

    Built once in this process, they are shared by forked workers. A failure here is
    left for the call that needs the cache to report.
    """
    try:
        _language_identifier()
        _variants()
        _furniture_alternatives()
        _word_characters(0xFFFF)
        _utf8_break()
        language_coverage()  # the lexicons read_corpus's coverage warning reads
    except Exception:
        pass


def _pad_iso(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _disambiguate(
    doc_ids: list[str], sources: list[str], seen: Counter[str] | None = None
) -> list[str]:
    """Make doc_ids unique: the first keeps its id, later ones get ``~2``, ``~3``...

    ``seen`` counts the ids of earlier batches (updated here), so that batches read one
    after the other get the ids one batch would.
    """
    seen = Counter() if seen is None else seen
    counts = Counter(doc_ids) + seen
    result, renamed = [], []
    for doc_id, source in zip(doc_ids, sources, strict=True):
        seen[doc_id] += 1
        if counts[doc_id] > 1 and seen[doc_id] > 1:
            new = f"{doc_id}~{seen[doc_id]}"
            while new in counts:
                new += "~"
            renamed.append(f"{source} -> {new}")
            doc_id = new
        result.append(doc_id)
    if renamed:
        warnings.warn(
            "duplicate doc_ids were made unique (the first keeps its id): " + "; ".join(renamed),
            CorpusWarning,
            stacklevel=4,
        )
    return result


# --------------------------------------------------------------------------- public API


def _source_path(source: str | Path | None) -> Path:
    path = SEEDS_DIR if source is None else Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {source}")
    return path


def _options(
    columns: tuple[str | None, ...],
    *,
    strict: bool,
    dayfirst: bool | None,
    allow_outside_links: bool,
) -> _Options:
    """Bundle the loading options; ``columns`` in the order text, id, date, title, language."""
    roles = ("text", "id", "date", "title", "language")
    return _Options(
        columns=dict(zip(roles, columns, strict=True)),
        strict=strict,
        dayfirst=dayfirst,
        allow_outside_links=allow_outside_links,
    )


def read_corpus(
    source: str | Path | None = None,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    strict: bool = False,
    dayfirst: bool | None = None,
    allow_outside_links: bool = False,
    n_jobs: int | None = None,
) -> LoadedCorpus:
    """Read a corpus and report every input it could not load.

    Same parameters and document frame as :func:`load_corpus`. A language of the
    corpus that the package does not fully understand gets one
    :class:`CorpusWarning` with its number of documents and what is missing (see
    :func:`bilat_analysis.lexicons.warn_language_coverage`).

    Returns
    -------
    LoadedCorpus
        ``documents`` (the corpus frame) and ``skipped`` (columns ``source``,
        ``reason``: one row per file or table row that did not become a document).

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        When ``source`` is a single table file that lacks its text column, or
        ``strict`` is set and a table row is malformed.

    Examples
    --------
    >>> loaded = read_corpus()
    >>> len(loaded.documents), len(loaded.skipped)
    (5, 0)
    """
    path = _source_path(source)
    if (path / "manifest.json").is_file():  # a folder written by prepare_corpus
        from bilat_analysis.prepare import read_prepared_documents

        documents, skipped = read_prepared_documents(path)  # not the mentions nor clusters
        if not documents.empty:
            warn_language_coverage(documents)
        return LoadedCorpus(documents, skipped)
    options = _options(
        (text_column, id_column, date_column, title_column, language_column),
        strict=strict,
        dayfirst=dayfirst,
        allow_outside_links=allow_outside_links,
    )
    (loaded,) = _batches(path, options, None, available_cores(n_jobs))  # one batch: all
    if not loaded.documents.empty:
        warn_language_coverage(loaded.documents)  # one warning per language not fully understood
    return loaded


def iter_corpus(
    source: str | Path | None = None,
    *,
    batch_size: int = 10_000,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    strict: bool = False,
    dayfirst: bool | None = None,
    allow_outside_links: bool = False,
    n_jobs: int | None = None,
) -> Iterator[LoadedCorpus]:
    """Read a corpus in batches of documents, holding one batch in memory at a time.

    What :func:`read_corpus` reads, cut into consecutive batches (same documents,
    same order, same skips): for corpora too large to hold at once. A doc_id met
    again in a later batch is made unique as :func:`read_corpus` does. Language
    coverage is not warned about (the caller sees every batch's languages).

    Parameters
    ----------
    source : str or pathlib.Path, optional
        As for :func:`load_corpus`; a prepared folder is not accepted here.
    batch_size : int, default 10000
        Inputs per batch (text files and table rows): a batch holds this many
        documents at most, fewer when some are skipped, and the last may hold fewer.
    text_column, id_column, date_column, title_column, language_column : str, optional
        As for :func:`load_corpus`.
    strict, dayfirst, allow_outside_links, n_jobs
        As for :func:`load_corpus`.

    Yields
    ------
    LoadedCorpus
        Each batch's ``documents`` and the ``skipped`` inputs met while reading it
        (a batch may hold only skips, and the last one the skips after the last document).

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        As :func:`read_corpus`; and for a ``batch_size`` below 1.

    Examples
    --------
    >>> [len(batch.documents) for batch in iter_corpus(batch_size=2)]
    [2, 2, 1]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be 1 or more, not {batch_size}")
    path = _source_path(source)
    options = _options(
        (text_column, id_column, date_column, title_column, language_column),
        strict=strict,
        dayfirst=dayfirst,
        allow_outside_links=allow_outside_links,
    )
    yield from _batches(path, options, batch_size, available_cores(n_jobs))


def _units(items: Iterator[_Record | _Rows]) -> Iterator[list[_Record] | _Rows]:
    """Gather consecutive records in lists of :data:`CLEAN_GROUP`: the work a worker is sent."""
    gathered: list[_Record] = []
    for item in items:
        if isinstance(item, _Rows):
            if gathered:
                yield gathered
                gathered = []
            yield item
        else:
            gathered.append(item)
            if len(gathered) == CLEAN_GROUP:
                yield gathered
                gathered = []
    if gathered:
        yield gathered


def _take(
    units: Iterator[list[_Record] | _Rows], count: int, rest: list[list[_Record] | _Rows]
) -> Iterator[list[_Record] | _Rows]:
    """Give units of ``count`` records or rows in all; the rest of a unit cut goes to ``rest``."""
    while count > 0:
        unit = rest.pop() if rest else next(units, None)
        if unit is None:
            return
        size = len(unit.table.rows) if isinstance(unit, _Rows) else len(unit)
        if size > count:
            unit, remainder = (
                unit.split(count) if isinstance(unit, _Rows) else (unit[:count], unit[count:])
            )
            rest.append(remainder)
            size = count
        count -= size
        yield unit


def _batches(
    path: Path, options: _Options, batch_size: int | None, n_jobs: int
) -> Iterator[LoadedCorpus]:
    """Clean the records of ``path`` batch by batch (one batch when ``batch_size`` is None).

    The records are cleaned as they are read (:func:`stream_map`): a unit of records
    or table rows is with a worker while this process reads the next.
    """
    read_skips: list[tuple[str, str]] = []
    units = _units(_records(path, options, read_skips))
    seen: Counter[str] = Counter()
    # the language model and the lexicons load (mostly outside the GIL: decompression,
    # CSV parsing) while the first files are read; joined before any worker forks
    with ThreadPoolExecutor(max_workers=1) as background:
        warming = background.submit(_warm_caches)
        head = list(islice(units, PARALLEL_MIN_RECORDS // CLEAN_GROUP))
    warming.result()
    units = chain(head, units)
    rest: list[list[_Record] | _Rows] = []
    while True:
        rows, texts, skipped, read = [], [], [], 0
        with collector_paused():  # a batch's rows live on: no collection while they come
            for outcomes, unit_texts in stream_map(
                _clean_unit,
                units if batch_size is None else _take(units, batch_size, rest),
                n_jobs=n_jobs,
                min_items=PARALLEL_MIN_RECORDS // CLEAN_GROUP,
            ):
                read += len(outcomes)
                texts.append(unit_texts)
                for row, skip, messages in outcomes:
                    for message in messages:
                        warnings.warn(message, CorpusWarning, stacklevel=3)
                    if skip is None:
                        rows.append(row)
                    else:
                        skipped.append(skip)
        skipped[:0] = read_skips  # the files and rows skipped while reading come first
        read_skips.clear()
        if rows:  # the texts, the bulk of the frame, go to Arrow as the workers made them
            documents = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "text"])
            documents.insert(COLUMNS.index("text"), "text", _text_column(texts))
        else:
            documents = pd.DataFrame(rows, columns=COLUMNS)
        documents["doc_id"] = _disambiguate(
            documents["doc_id"].tolist(), documents["source"].tolist(), seen
        )
        documents["date"] = pd.to_datetime(documents["date"]).astype("datetime64[s]")
        # the same dtypes whatever a batch holds (a column of missing values stays str)
        documents = documents.astype({c: "str" for c in COLUMNS if c not in _NOT_STR})
        documents["n_words"] = documents["n_words"].astype("int64")
        yield LoadedCorpus(documents, pd.DataFrame(skipped, columns=SKIPPED_COLUMNS).astype("str"))
        if batch_size is None or read < batch_size:
            return


def load_corpus(
    source: str | Path | None = None,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    strict: bool = False,
    dayfirst: bool | None = None,
    allow_outside_links: bool = False,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    r"""Load a corpus into a DataFrame, one row per document.

    Sources: a folder (searched recursively; every ``.txt``, ``.csv``, ``.jsonl``
    and ``.parquet`` file in it is read, anything else is reported as skipped), or
    one such file. ``None`` loads the bundled sample corpus (the seeds).

    Every input is loaded or reported, each file and each table row on its own:
    special files (pipes, sockets, devices), broken links and link loops, hidden
    folders (``.git``, ``.ipynb_checkpoints``, reported once), links leading out
    of the folder (unless ``allow_outside_links``), undecodable or binary files,
    tables without rows or with duplicate column names, and malformed rows (a CSV
    row whose number of fields differs from the header's, a quote never closed, a
    JSONL line that is not a JSON object) are skipped with their reason; a folder
    or file reached twice through links is read once.

    Text files may start with a header ``date YYYY-MM-DD`` (after optional white
    space) with the body on the same line. Table files give one document per row;
    their columns are found by name (``text``/``body``/``content``, ``doc_id``/``id``,
    ``date``/``published``, ``title``/``headline``, ``language``/``lang``) or named
    by the ``*_column`` options.

    Columns of the result:

    ``doc_id``
        File stem, or the id column as written (``007`` stays ``007``, an integer
        never gets ``.0``), or ``<file stem>_<row>``. Duplicates get
        ``~2``, ``~3``... in load order, with a :class:`CorpusWarning`.
    ``text``
        Cleaned body: NFC-normalised, line endings unified, header, title and
        boilerplate removed, paragraphs separated by one blank line.
    ``source``
        Path relative to the folder's parent (or the file name), ``:row`` for tables.
    ``date``
        ``datetime64[s]``, naive UTC; NaT when unknown. Column values are read by
        :func:`parse_dates` (time zones converted to UTC, ``YYYYMMDD`` and epoch
        integers, ambiguous numeric dates left missing unless ``dayfirst``). A date
        pandas cannot hold (before 1677-09-21 or after 2262-04-11) is not widened:
        it is left missing with a warning naming the document.
    ``date_source``
        ``'column'``, ``'header'``, ``'text'`` (first complete date written in the
        text, see :func:`find_text_date`) or None. An impossible date (``date
        2021-13-45``) warns and falls through to the next source.
    ``language``
        ISO 639-1 code by py3langid on the first 1000 characters (or the table's
        language column).
    ``title``
        A text file's first line when it reads as a headline (one short line, no
        final punctuation, followed by more text), or the table's title; else None.
    ``n_words``
        Number of word tokens (``\\w+``) in ``text``.
    ``encoding``
        How the file was decoded, one of :data:`ENCODINGS` (see
        :func:`decode_bytes`); missing for Parquet.
    ``boilerplate``
        What was removed from ``text`` (see :func:`split_boilerplate`), or None.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        Folder or file; default the bundled seeds.
    text_column, id_column, date_column, title_column, language_column : str, optional
        Column names in table files; default found by name as above.
    strict : bool, default False
        Make a malformed table row an error (``ValueError``) instead of a skip.
    dayfirst : bool, optional
        Order of ambiguous numeric dates in date columns ("03/04/2023"): True for
        day first, False for month first; default None leaves them missing.
    allow_outside_links : bool, default False
        Read symbolic links that lead outside the corpus folder.
    n_jobs : int, optional
        Processes cleaning the documents (language, dates, boilerplate); default every
        core available, from 1000 documents on.

    Returns
    -------
    pandas.DataFrame
        The documents, in file order. ``attrs["skipped"]`` lists the skipped
        inputs as ``{"source", "reason"}`` dicts, each also reported by a
        :class:`CorpusWarning`.

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        When no document could be loaded (the message gives each reason), a
        single table file lacks its text column (the message names the columns it
        has), or ``strict`` is set and a table row is malformed.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus["language"].tolist()
    ['en', 'en', 'fr', 'en', 'en']
    """
    documents, skipped = read_corpus(
        source,
        text_column=text_column,
        id_column=id_column,
        date_column=date_column,
        title_column=title_column,
        language_column=language_column,
        strict=strict,
        dayfirst=dayfirst,
        allow_outside_links=allow_outside_links,
        n_jobs=n_jobs,
    )
    reasons = [f"{s}: {r}" for s, r in zip(skipped["source"], skipped["reason"], strict=True)]
    if documents.empty:
        detail = "; ".join(reasons) or "no input files"
        raise ValueError(f"no document could be loaded from {source or SEEDS_DIR.name}: {detail}")
    for reason in reasons:
        warnings.warn(f"skipped {reason}", CorpusWarning, stacklevel=2)
    documents.attrs["skipped"] = skipped.to_dict("records")
    return documents


def summarise_boilerplate(corpus: pd.DataFrame, *, preview: int = 60) -> pd.DataFrame:
    """One row per document from which boilerplate was removed.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`load_corpus`.
    preview : int, default 60
        Characters of each removed paragraph to show.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``paragraphs`` (how many were removed), ``characters``, and
        ``removed`` (the start of each removed paragraph, joined with " | ").

    Examples
    --------
    >>> summarise_boilerplate(load_corpus())["doc_id"].tolist()
    ['004_c3763a8b70dd2c1f']
    """
    stripped = corpus[["doc_id", "boilerplate"]].dropna(subset=["boilerplate"])  # not the texts
    rows = []
    for doc_id, removed in zip(stripped["doc_id"], stripped["boilerplate"], strict=True):
        paragraphs = removed.split("\n\n")
        rows.append(
            {
                "doc_id": doc_id,
                "paragraphs": len(paragraphs),
                "characters": len(removed),
                "removed": " | ".join(
                    p if len(p) <= preview else p[: preview - 1] + "…" for p in paragraphs
                ),
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "paragraphs", "characters", "removed"])
