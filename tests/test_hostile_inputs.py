"""Hostile inputs: every one is loaded correctly or reported by name, and spoils nothing else.

Each case builds its files in a folder next to a control document (``control.txt``)
that must load exactly the same whatever its neighbours are. The last tests put every
case in one folder and run ``bilat-analysis documents`` on it.
"""

import json
import os
import socket
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bilat_analysis.cli import main
from bilat_analysis.corpus import CorpusWarning, parse_dates, printable, read_corpus

CONTROL = "date 2024-05-06 India and Japan held talks on maritime security in Tokyo."


@dataclass
class Loaded:
    docs: pd.DataFrame  # indexed by source
    skipped: dict[str, str]
    warnings: list[str]


def load(folder: Path, **options: object) -> Loaded:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = read_corpus(folder, **options)
    return Loaded(
        loaded.documents.set_index("source", drop=False),
        dict(zip(loaded.skipped["source"], loaded.skipped["reason"], strict=True)),
        [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)],
    )


def day(loaded: Loaded, source: str) -> str | None:
    value = loaded.docs.loc[source, "date"]
    return None if pd.isna(value) else value.strftime("%Y-%m-%d %H:%M")


@dataclass
class Case:
    """Files of one hostile input, what must be skipped, and a check of what loaded."""

    build: Callable[[Path], None]
    skipped: dict[str, str] = field(default_factory=dict)  # file -> words of the reason
    check: Callable[[Loaded, str], None] | None = None  # (loaded, folder name)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


# --------------------------------------------------------------------------- the cases


def _header_before_1677(folder: Path) -> None:
    (folder / "old.txt").write_text("date 1500-01-01 India and France met in Paris.")


def _check_header_before_1677(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/old.txt") is None
    assert loaded.docs.loc[f"{f}/old.txt", "text"] == "India and France met in Paris."
    assert any(f"{f}/old.txt: header date '1500-01-01' is outside" in w for w in loaded.warnings)


def _header_after_2262(folder: Path) -> None:
    (folder / "future.txt").write_text("date 2300-06-01 India and France met in Paris.")


def _check_header_after_2262(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/future.txt") is None
    assert any(f"{f}/future.txt: header date" in w for w in loaded.warnings)


def _text_date_before_1677(folder: Path) -> None:
    (folder / "history.txt").write_text(
        "The treaty of India and France was signed on 5 March 1500."
    )


def _check_text_date_before_1677(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/history.txt") is None
    assert any(f"{f}/history.txt: date in the text 1500-03-05" in w for w in loaded.warnings)


def _column_dates_out_of_bounds(folder: Path) -> None:
    write_csv(
        folder / "old.csv",
        "doc_id,date,text\nc1,1500-01-01,India and France met.\nc2,2024-01-02,Japan and Peru.\n",
    )
    (folder / "old.jsonl").write_text(
        json.dumps({"doc_id": "j1", "date": "2263-01-01", "text": "India and Chile met."}) + "\n"
    )
    table = pa.table(
        {
            "doc_id": ["p1", "p2"],
            "text": ["India and Egypt met.", "Brazil and Kenya met."],
            "date": pa.array([-15_000_000_000, 1_704_067_200], pa.timestamp("s")),
        }
    )
    pq.write_table(table, folder / "old.parquet")


def _check_column_dates_out_of_bounds(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/old.csv:1") is None
    assert day(loaded, f"{f}/old.csv:2") == "2024-01-02 00:00"
    assert day(loaded, f"{f}/old.jsonl:1") is None
    assert day(loaded, f"{f}/old.parquet:1") is None
    assert day(loaded, f"{f}/old.parquet:2") == "2024-01-01 00:00"
    for source in ("old.csv:1", "old.jsonl:1", "old.parquet:1"):
        assert any(f"{f}/{source}: date " in w and "outside" in w for w in loaded.warnings)


def _time_zones(folder: Path) -> None:
    write_csv(
        folder / "tz.csv",
        "doc_id,date,text\n"
        "z1,2024-01-01T00:00:00+02:00,India and France met.\n"
        "z2,2024-01-01 12:00,India and Peru met.\n",
    )
    (folder / "tz.jsonl").write_text(
        json.dumps({"doc_id": "z3", "date": "2024-01-01T00:00:00+02:00", "text": "Chile met."})
        + "\n"
    )
    stamps = pd.to_datetime(["2024-01-01T00:00:00+05:30", "2024-06-01T08:00:00+05:30"])
    pd.DataFrame({"doc_id": ["z4", "z5"], "text": ["Egypt.", "Kenya."], "date": stamps}).to_parquet(
        folder / "tz.parquet"
    )


def _check_time_zones(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/tz.csv:1") == "2023-12-31 22:00"  # UTC
    assert day(loaded, f"{f}/tz.csv:2") == "2024-01-01 12:00"  # no zone: as written
    assert day(loaded, f"{f}/tz.jsonl:1") == "2023-12-31 22:00"
    assert day(loaded, f"{f}/tz.parquet:1") == "2023-12-31 18:30"
    assert day(loaded, f"{f}/tz.parquet:2") == "2024-06-01 02:30"
    assert loaded.docs["date"].dt.tz is None


def _jsonl_latin1_byte(folder: Path) -> None:
    line = json.dumps(
        {"doc_id": "l1", "text": "L'Inde et la France ont signé à Paris."}, ensure_ascii=False
    )
    (folder / "latin.jsonl").write_bytes(line.encode("latin-1") + b"\n")


def _check_jsonl_latin1_byte(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/latin.jsonl:1"]
    assert row["text"] == "L'Inde et la France ont signé à Paris."
    assert row["encoding"] == "cp1252"


def _jsonl_date_object(folder: Path) -> None:
    rows = [
        {"doc_id": "d1", "date": {"y": 2024}, "text": "India and France met on 3 May 2024."},
        {"doc_id": "d2", "date": [2024, 1, 1], "text": "India and Peru met."},
        {"doc_id": "d3", "date": "2024-02-02", "text": "India and Chile met."},
    ]
    (folder / "dates.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")


def _check_jsonl_date_object(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/dates.jsonl:1") == "2024-05-03 00:00"  # from the text
    assert loaded.docs.loc[f"{f}/dates.jsonl:1", "date_source"] == "text"
    assert day(loaded, f"{f}/dates.jsonl:2") is None
    assert day(loaded, f"{f}/dates.jsonl:3") == "2024-02-02 00:00"
    assert any(
        f"{f}/dates.jsonl:1: date {{'y': 2024}} is a JSON object" in w for w in loaded.warnings
    )
    assert any(f"{f}/dates.jsonl:2: date [2024, 1, 1] is a list" in w for w in loaded.warnings)


def _non_utf8_file_name(folder: Path) -> None:
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(b"India and France met in Paris.")


def _check_non_utf8_file_name(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/caf\\xe9.txt"]
    assert row["doc_id"] == "caf\\xe9"
    assert row["text"] == "India and France met in Paris."


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def _socket(folder: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "server.sock"))
    server.close()


def _dangling_link(folder: Path) -> None:
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")


def _looping_links(folder: Path) -> None:
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "self").symlink_to(folder / "self")


def _linked_folder(folder: Path) -> None:
    (folder / "real").mkdir()
    (folder / "real" / "x.txt").write_text("India and Ghana met in Accra.")
    (folder / "zlinked").symlink_to(folder / "real", target_is_directory=True)
    (folder / "real" / "up").symlink_to(folder, target_is_directory=True)  # a loop


def _check_linked_folder(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/real/x.txt", "text"] == "India and Ghana met in Accra."
    assert (loaded.docs["text"] == "India and Ghana met in Accra.").sum() == 1  # read once


def _linked_folder_only(folder: Path) -> None:
    (folder / "store").symlink_to(folder / "inside", target_is_directory=True)
    (folder / "inside").mkdir()
    (folder / "inside" / "y.txt").write_text("India and Nepal met in Kathmandu.")


def _check_linked_folder_only(loaded: Loaded, f: str) -> None:
    assert f"{f}/inside/y.txt" in loaded.docs.index
    assert f"{f}/store/y.txt" not in loaded.docs.index


def _link_outside(folder: Path) -> None:
    secret = OUTSIDE[folder] / "secret.txt"
    secret.write_text("SECRET host name")
    (folder / "hostname.txt").symlink_to(secret)


def _check_link_outside(loaded: Loaded, f: str) -> None:
    assert not loaded.docs["text"].str.contains("SECRET").any()


def _zero_row_tables(folder: Path) -> None:
    write_csv(folder / "header_only.csv", "doc_id,text\n")
    pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}).to_parquet(
        folder / "none.parquet"
    )
    (folder / "blank.jsonl").write_text("\n  \n")


def _checkpoints(folder: Path) -> None:
    (folder / "a.txt").write_text("India and France met in Paris.")
    for hidden in (".ipynb_checkpoints", ".git"):
        (folder / hidden / "deeper").mkdir(parents=True)
        (folder / hidden / "a-checkpoint.txt").write_text("India and France met in Paris.")
        (folder / hidden / "deeper" / "b.txt").write_text("India and France met again.")


def _check_checkpoints(loaded: Loaded, f: str) -> None:
    assert not loaded.docs["source"].str.contains("ipynb_checkpoints|/\\.git/", regex=True).any()
    hidden = [s for s in loaded.skipped if ".ipynb_checkpoints" in s or ".git" in s]
    assert len(hidden) == 2  # each reported once, not once per file


def _shifted_csv_row(folder: Path) -> None:
    write_csv(
        folder / "shift.csv",
        "doc_id,date,text\n"
        "s1,2024-01-01,India and France met, then they signed.\n"
        "s2,2024-01-02,India and Brazil met.\n",
    )
    write_csv(
        folder / "first_shift.csv",
        "doc_id,date,text\n"
        "f1,2024-01-01,India and France met, then they signed, twice.\n"
        "f2,2024-01-02,India and Brazil met.\n"
        "f3,2024-01-03\n",
    )


def _check_shifted_csv_row(loaded: Loaded, f: str) -> None:
    good = loaded.docs.loc[f"{f}/shift.csv:2"]
    assert (good["doc_id"], good["text"]) == ("s2", "India and Brazil met.")
    assert day(loaded, f"{f}/shift.csv:2") == "2024-01-02 00:00"
    assert loaded.docs.loc[f"{f}/first_shift.csv:2", "doc_id"] == "f2"
    assert f"{f}/shift.csv:1" not in loaded.docs.index
    assert f"{f}/first_shift.csv:1" not in loaded.docs.index


def _integer_dates(folder: Path) -> None:
    rows = [
        {"doc_id": "i1", "date": 20240105, "text": "India and France met."},
        {"doc_id": "i2", "date": 1704067200, "text": "India and Peru met."},
        {"doc_id": "i3", "date": 20241399, "text": "India and Chile met."},
        {"doc_id": "i4", "date": 2024, "text": "India and Fiji met."},
    ]
    (folder / "ints.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    write_csv(
        folder / "ints.csv",
        "doc_id,date,text\nk1,20240105,India and Oman met.\nk2,1704067200,India and Laos met.\n",
    )


def _check_integer_dates(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/ints.jsonl:1") == "2024-01-05 00:00"
    assert day(loaded, f"{f}/ints.jsonl:2") == "2024-01-01 00:00"
    assert day(loaded, f"{f}/ints.jsonl:3") is None
    assert day(loaded, f"{f}/ints.jsonl:4") is None
    assert day(loaded, f"{f}/ints.csv:1") == "2024-01-05 00:00"
    assert day(loaded, f"{f}/ints.csv:2") == "2024-01-01 00:00"
    assert any(
        f"{f}/ints.jsonl:3: date 20241399 is not a valid YYYYMMDD" in w for w in loaded.warnings
    )
    assert any(f"{f}/ints.jsonl:4: date 2024 is too short" in w for w in loaded.warnings)


def _ambiguous_numeric_dates(folder: Path) -> None:
    write_csv(
        folder / "numeric.csv",
        "doc_id,date,text\n"
        "n1,03/04/2023,India and France met.\n"
        "n2,13/04/2023,India and Peru met.\n"
        "n3,04/13/2023,India and Chile met.\n",
    )


def _check_ambiguous_numeric_dates(loaded: Loaded, f: str) -> None:
    assert day(loaded, f"{f}/numeric.csv:1") is None
    assert day(loaded, f"{f}/numeric.csv:2") == "2023-04-13 00:00"
    assert day(loaded, f"{f}/numeric.csv:3") == "2023-04-13 00:00"
    assert any(f"{f}/numeric.csv:1: date '03/04/2023' is ambiguous" in w for w in loaded.warnings)


def _ids_as_written(folder: Path) -> None:
    rows = [
        {"doc_id": 1, "text": "India and France met."},
        {"doc_id": None, "text": "India and Peru met."},
        {"doc_id": 3, "text": "India and Chile met."},
    ]
    (folder / "ids.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    write_csv(folder / "codes.csv", "doc_id,text\n007,India and Oman met.\n,India and Laos met.\n")
    pd.DataFrame(
        {"doc_id": pd.array([10, None], dtype="Int64"), "text": ["Egypt met.", "Kenya met."]}
    ).to_parquet(folder / "ids.parquet")


def _check_ids_as_written(loaded: Loaded, f: str) -> None:
    ids = loaded.docs.set_index("source")["doc_id"]
    assert ids[f"{f}/ids.jsonl:1"] == "1"
    assert ids[f"{f}/ids.jsonl:2"] == "ids_2"
    assert ids[f"{f}/ids.jsonl:3"] == "3"
    assert ids[f"{f}/codes.csv:1"] == "007"
    assert ids[f"{f}/codes.csv:2"] == "codes_2"
    assert ids[f"{f}/ids.parquet:1"] == "10"
    assert not ids.str.endswith(".0").any()


def _bom_with_latin1(folder: Path) -> None:
    data = b"\xef\xbb\xbf" + "L'Inde et la France ont signé à Paris.".encode("latin-1")
    (folder / "bom.txt").write_bytes(data)


def _check_bom_with_latin1(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/bom.txt"]
    assert row["text"] == "L'Inde et la France ont signé à Paris."
    assert "\ufffd" not in row["text"]


def _mixed_encodings(folder: Path) -> None:
    data = "Hà Nội và Paris\n\n".encode() + "L'Inde et la France ont signé à Paris.".encode(
        "latin-1"
    )
    (folder / "mixed.txt").write_bytes(data)
    write_csv(folder / "mixed.csv", "doc_id,text\nm1,Hà Nội và Paris\n")
    with open(folder / "mixed.csv", "ab") as handle:
        handle.write("m2,La France à Paris\n".encode("latin-1"))


def _check_mixed_encodings(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/mixed.txt"]
    assert row["title"] == "Hà Nội và Paris"
    assert row["text"] == "L'Inde et la France ont signé à Paris."
    assert row["encoding"] == "mixed"
    assert loaded.docs.loc[f"{f}/mixed.csv:1", "text"] == "Hà Nội và Paris"
    assert loaded.docs.loc[f"{f}/mixed.csv:2", "text"] == "La France à Paris"
    assert loaded.docs.loc[f"{f}/mixed.csv:2", "encoding"] == "mixed"


def _na_strings(folder: Path) -> None:
    write_csv(
        folder / "na.csv",
        "doc_id,title,text\nNA,None,India and France met.\nnull,NA,NA\n",
    )
    (folder / "na.jsonl").write_text(json.dumps({"title": "null", "text": "None"}) + "\n")


def _check_na_strings(loaded: Loaded, f: str) -> None:
    first, second = loaded.docs.loc[f"{f}/na.csv:1"], loaded.docs.loc[f"{f}/na.csv:2"]
    assert (first["doc_id"], first["title"]) == ("NA", "None")
    assert (second["doc_id"], second["title"], second["text"]) == ("null", "NA", "NA")
    row = loaded.docs.loc[f"{f}/na.jsonl:1"]
    assert (row["title"], row["text"]) == ("null", "None")


def _one_bad_row_among_many(folder: Path) -> None:
    lines = ["doc_id,text"] + [
        f"r{i},India and France met for the {i}th time." for i in range(1000)
    ]
    lines[500] = 'r499,"India and France met, unquoted" tail, more'
    write_csv(folder / "many.csv", "\n".join(lines) + "\n")
    rows = [json.dumps({"doc_id": f"j{i}", "text": f"Meeting number {i}."}) for i in range(50)]
    rows[20] = '{"doc_id": "j20", "text": "unterminated'
    (folder / "many.jsonl").write_text("\n".join(rows) + "\n")


def _check_one_bad_row_among_many(loaded: Loaded, f: str) -> None:
    assert loaded.docs["source"].str.startswith(f"{f}/many.csv:").sum() == 999
    assert loaded.docs["source"].str.startswith(f"{f}/many.jsonl:").sum() == 49
    assert loaded.docs.loc[f"{f}/many.jsonl:22", "doc_id"] == "j21"


def _parquet_text_of_integers(folder: Path) -> None:
    pd.DataFrame({"doc_id": ["a", "b"], "text": [1, 2]}).to_parquet(folder / "ints.parquet")
    (folder / "some.jsonl").write_text(
        json.dumps({"text": 5}) + "\n" + json.dumps({"text": "India and Peru met."}) + "\n"
    )


def _check_parquet_text_of_integers(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/some.jsonl:2", "text"] == "India and Peru met."


def _utf16_csv(folder: Path) -> None:
    write_csv(folder / "wide.csv", "doc_id,text\nu1,Hà Nội và Paris\n", encoding="utf-16")


def _check_utf16_csv(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/wide.csv:1"]
    assert (row["doc_id"], row["text"], row["encoding"]) == ("u1", "Hà Nội và Paris", "utf-16")


def _stray_byte_everywhere(folder: Path) -> None:
    stray = "Paris et l'Inde ont signé.".encode("latin-1")
    (folder / "stray.txt").write_bytes(stray)
    (folder / "stray.csv").write_bytes(b"text\n" + stray + b"\n")
    (folder / "stray.jsonl").write_bytes(b'{"text": "' + stray + b'"}\n')


def _check_stray_byte_everywhere(loaded: Loaded, f: str) -> None:
    for source in ("stray.txt", "stray.csv:1", "stray.jsonl:1"):
        row = loaded.docs.loc[f"{f}/{source}"]
        assert (row["text"], row["encoding"]) == ("Paris et l'Inde ont signé.", "cp1252")


def _duplicate_columns(folder: Path) -> None:
    write_csv(folder / "dup.csv", "doc_id,text,text\na,India,France\n")
    (folder / "dup.jsonl").write_text(
        '{"text": "India met France.", "text": "Other"}\n{"text": "Peru met Chile."}\n'
    )
    table = pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["text", "text"])
    pq.write_table(table, folder / "dup.parquet")


def _lone_surrogate(folder: Path) -> None:
    (folder / "escapes.jsonl").write_text(
        '{"text": "\\ud800 India met France."}\n'
        '{"text": "Peru met Chile."}\n'
        '{"text": "Emoji \\ud83d\\ude00 India met Chile."}\n'
    )


def _check_lone_surrogate(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/escapes.jsonl:2", "text"] == "Peru met Chile."
    assert loaded.docs.loc[f"{f}/escapes.jsonl:3", "text"] == "Emoji \U0001f600 India met Chile."


def _check_duplicate_columns(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/dup.jsonl:2", "text"] == "Peru met Chile."


def _short_rows_and_json_lists(folder: Path) -> None:
    write_csv(folder / "short.csv", "doc_id,date,text\nq1,2024-01-01\nq2,2024-01-02,Peru met.\n")
    (folder / "lists.jsonl").write_text('[1, 2]\n"text"\n{"text": "India and Oman met."}\n')


def _check_short_rows_and_json_lists(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/short.csv:2", "text"] == "Peru met."
    assert loaded.docs.loc[f"{f}/lists.jsonl:3", "text"] == "India and Oman met."


def _control_characters_in_names(folder: Path) -> None:
    (folder / "bad\nskipped: forged.md").write_text("x")
    (folder / "esc\x1b[31m.txt").write_text("India and France met in Paris.")


def _check_control_characters_in_names(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/esc\x1b[31m.txt", "doc_id"] == "esc\x1b[31m"


def _long_csv_field(folder: Path) -> None:
    write_csv(folder / "long.csv", "text\n" + "India and France met. " * 10_000 + "\n")


def _check_long_csv_field(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/long.csv:1", "n_words"] == 40_000


def _unclosed_quote_and_crlf(folder: Path) -> None:
    (folder / "crlf.csv").write_bytes(
        b'doc_id,text\r\na,"India and France\r\nmet in Paris."\r\n'
        b'b,"a quote never closed\r\nc,India and Peru met.\r\n'
    )


def _check_unclosed_quote_and_crlf(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/crlf.csv:1", "text"] == "India and France\nmet in Paris."


def _compressed_and_corrupt(folder: Path) -> None:
    import gzip

    (folder / "zipped.txt").write_bytes(gzip.compress(b"India and France met." * 50))
    (folder / "broken.parquet").write_bytes(b"PAR1 this is not parquet PAR1")


def _jsonl_with_bom_and_utf16(folder: Path) -> None:
    line = json.dumps({"doc_id": "b1", "text": "Hà Nội và Paris"}, ensure_ascii=False)
    (folder / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n")
    line = json.dumps({"doc_id": "w1", "text": "Hà Nội và Paris"}, ensure_ascii=False)
    (folder / "wide.jsonl").write_bytes((line + "\n").encode("utf-16"))


def _check_jsonl_with_bom_and_utf16(loaded: Loaded, f: str) -> None:
    assert loaded.docs.loc[f"{f}/bom.jsonl:1", "encoding"] == "utf-8-sig"
    assert loaded.docs.loc[f"{f}/wide.jsonl:1", "encoding"] == "utf-16"
    assert loaded.docs.loc[f"{f}/wide.jsonl:1", "text"] == "Hà Nội và Paris"


def _non_utf8_folder_and_separators(folder: Path) -> None:
    sub = os.fsencode(folder) + b"/d\xe9p\xeaches"
    os.mkdir(sub)
    with open(sub + b"/a.txt", "wb") as handle:
        handle.write("India and Peru\u2028met in Lima.\u2029\u2029Second paragraph.".encode())


def _check_non_utf8_folder_and_separators(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/d\\xe9p\\xeaches/a.txt"]
    assert row["text"] == "India and Peru\nmet in Lima.\n\nSecond paragraph."


CASES: dict[str, Case] = {
    "header_before_1677": Case(_header_before_1677, check=_check_header_before_1677),
    "header_after_2262": Case(_header_after_2262, check=_check_header_after_2262),
    "text_date_before_1677": Case(_text_date_before_1677, check=_check_text_date_before_1677),
    "column_dates_out_of_bounds": Case(
        _column_dates_out_of_bounds, check=_check_column_dates_out_of_bounds
    ),
    "time_zones": Case(_time_zones, check=_check_time_zones),
    "jsonl_latin1_byte": Case(_jsonl_latin1_byte, check=_check_jsonl_latin1_byte),
    "jsonl_date_object": Case(_jsonl_date_object, check=_check_jsonl_date_object),
    "non_utf8_file_name": Case(_non_utf8_file_name, check=_check_non_utf8_file_name),
    "fifo": Case(_fifo, {"pipe.txt": "named pipe (FIFO)"}),
    "socket": Case(_socket, {"server.sock": "a socket"}),
    "dangling_link": Case(_dangling_link, {"gone.txt": "broken symbolic link"}),
    "looping_links": Case(
        _looping_links, {"a.txt": "symbolic link loop", "b.txt": "loop", "self": "loop"}
    ),
    "linked_folder": Case(
        _linked_folder,
        {"real/up/": "the same folder as", "zlinked/": "the same folder as"},
        _check_linked_folder,
    ),
    "linked_folder_only": Case(
        _linked_folder_only, {"store/": "the same folder as"}, _check_linked_folder_only
    ),
    "link_outside": Case(
        _link_outside, {"hostname.txt": "outside the corpus folder"}, _check_link_outside
    ),
    "zero_row_tables": Case(
        _zero_row_tables,
        {
            "header_only.csv": "no rows (only a header)",
            "none.parquet": "no rows",
            "blank.jsonl": "empty file",
        },
    ),
    "checkpoints": Case(
        _checkpoints,
        {".ipynb_checkpoints/": "hidden folder", ".git/": "hidden folder"},
        _check_checkpoints,
    ),
    "shifted_csv_row": Case(
        _shifted_csv_row,
        {
            "shift.csv:1": "4 fields where the header has 3",
            "first_shift.csv:1": "5 fields where the header has 3",
            "first_shift.csv:3": "2 fields where the header has 3",
        },
        _check_shifted_csv_row,
    ),
    "integer_dates": Case(_integer_dates, check=_check_integer_dates),
    "ambiguous_numeric_dates": Case(_ambiguous_numeric_dates, check=_check_ambiguous_numeric_dates),
    "ids_as_written": Case(_ids_as_written, check=_check_ids_as_written),
    "bom_with_latin1": Case(_bom_with_latin1, check=_check_bom_with_latin1),
    "mixed_encodings": Case(_mixed_encodings, check=_check_mixed_encodings),
    "na_strings": Case(_na_strings, check=_check_na_strings),
    "one_bad_row_among_many": Case(
        _one_bad_row_among_many,
        {"many.csv:500": "3 fields where the header has 2", "many.jsonl:21": "invalid JSON"},
        _check_one_bad_row_among_many,
    ),
    "parquet_text_of_integers": Case(
        _parquet_text_of_integers,
        {
            "ints.parquet": "holds a number (int) in every row, not text",
            "some.jsonl:1": "text is a number",
        },
        _check_parquet_text_of_integers,
    ),
    "utf16_csv": Case(_utf16_csv, check=_check_utf16_csv),
    "stray_byte_everywhere": Case(_stray_byte_everywhere, check=_check_stray_byte_everywhere),
    "lone_surrogate": Case(
        _lone_surrogate, {"escapes.jsonl:1": "lone surrogate"}, _check_lone_surrogate
    ),
    "duplicate_columns": Case(
        _duplicate_columns,
        {
            "dup.csv": "duplicate column names: 'text'",
            "dup.jsonl:1": "duplicate keys: 'text'",
            "dup.parquet": "duplicate column names: 'text'",
        },
        _check_duplicate_columns,
    ),
    "short_rows_and_json_lists": Case(
        _short_rows_and_json_lists,
        {
            "short.csv:1": "2 fields where the header has 3",
            "lists.jsonl:1": "a JSON list, not an object",
            "lists.jsonl:2": "a JSON string, not an object",
        },
        _check_short_rows_and_json_lists,
    ),
    "control_characters_in_names": Case(
        _control_characters_in_names,
        {"bad\nskipped: forged.md": "unsupported file type '.md'"},
        _check_control_characters_in_names,
    ),
    "long_csv_field": Case(_long_csv_field, check=_check_long_csv_field),
    "unclosed_quote_and_crlf": Case(
        _unclosed_quote_and_crlf,
        {"crlf.csv:2": "a quote is never closed"},
        _check_unclosed_quote_and_crlf,
    ),
    "compressed_and_corrupt": Case(
        _compressed_and_corrupt,
        {"zipped.txt": "binary file", "broken.parquet": "cannot read as parquet"},
    ),
    "jsonl_with_bom_and_utf16": Case(
        _jsonl_with_bom_and_utf16, check=_check_jsonl_with_bom_and_utf16
    ),
    "non_utf8_folder_and_separators": Case(
        _non_utf8_folder_and_separators, check=_check_non_utf8_folder_and_separators
    ),
}


#: For each case folder, a folder outside the corpus (where a link may point).
OUTSIDE: dict[Path, Path] = {}


def build_case(folder: Path, name: str, outside: Path) -> Path:
    folder.mkdir(parents=True)
    outside.mkdir(parents=True, exist_ok=True)
    OUTSIDE[folder] = outside
    (folder / "control.txt").write_text(CONTROL)
    CASES[name].build(folder)
    return folder


def check_control(loaded: Loaded, f: str) -> None:
    row = loaded.docs.loc[f"{f}/control.txt"]
    assert row["text"] == CONTROL.removeprefix("date 2024-05-06 ")
    assert row["doc_id"].startswith("control")  # control~2... when several cases are together
    assert (row["language"], row["date_source"]) == ("en", "header")
    assert day(loaded, f"{f}/control.txt") == "2024-05-06 00:00"


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_loaded_or_reported(tmp_path, name):
    folder = build_case(tmp_path / "corpus" / name, name, tmp_path / "outside")
    loaded = load(folder)
    case = CASES[name]
    check_control(loaded, f"{name}")
    expected = {f"{name}/{file}": words for file, words in case.skipped.items()}
    assert sorted(loaded.skipped) == sorted(expected), loaded.skipped
    for source, words in expected.items():
        assert words in loaded.skipped[source], (source, loaded.skipped[source])
    if case.check is not None:
        case.check(loaded, f"{name}")
    # every document still has the corpus frame's types
    assert str(loaded.docs["date"].dtype) == "datetime64[s]"
    assert loaded.docs["doc_id"].is_unique


# --------------------------------------------------------------------------- options


def test_strict_makes_a_bad_row_an_error(tmp_path):
    folder = build_case(tmp_path / "shifted_csv_row", "shifted_csv_row", tmp_path / "outside")
    with pytest.raises(ValueError, match=r"first_shift\.csv:1: 5 fields where the header has 3"):
        read_corpus(folder, strict=True)


def test_dayfirst_reads_ambiguous_dates_in_one_order(tmp_path):
    folder = build_case(tmp_path / "a", "ambiguous_numeric_dates", tmp_path / "outside")
    assert day(load(folder, dayfirst=True), "a/numeric.csv:1") == "2023-04-03 00:00"
    month_first = load(folder, dayfirst=False)
    assert day(month_first, "a/numeric.csv:1") == "2023-03-04 00:00"
    assert day(month_first, "a/numeric.csv:2") is None  # 13/04 is no month-first date
    assert any(
        "a/numeric.csv:2: date '13/04/2023' is not a valid date" in w for w in month_first.warnings
    )


def test_links_outside_are_read_when_allowed(tmp_path):
    folder = build_case(tmp_path / "l", "link_outside", tmp_path / "outside")
    loaded = load(folder, allow_outside_links=True)
    assert loaded.docs.loc["l/hostname.txt", "text"] == "SECRET host name"


def test_parse_dates_rules():
    dates, problems = parse_dates(
        [None, "", float("nan"), True, 1704067200.0, "Tue, 05 Mar 2024 10:00:00 +0100", "4-3-23"]
    )
    assert dates[:4] == [None] * 4
    assert problems[:3] == [None] * 3
    assert problems[3] == "is a boolean, not a date"
    assert dates[4] == pd.Timestamp("2024-01-01")
    assert dates[5] == pd.Timestamp("2024-03-05 09:00")
    assert dates[6] is None and problems[6].startswith("is ambiguous")


def test_printable_escapes_what_forges_lines():
    assert printable("a\nb\x1b[31m\udce9") == "a\\nb\\x1b[31m\\xe9"
    assert printable("Hà Nội") == "Hà Nội"


def test_boilerplate_is_linear(tmp_path):
    page = "\n\n".join(
        "Similar Posts" if i % 2 else f"India and France met for the {i}th time in Paris."
        for i in range(120_000)
    )  # about 3.5 MB, half of it furniture
    (tmp_path / "page.txt").write_text(page)
    start = time.perf_counter()
    loaded = load(tmp_path)
    elapsed = time.perf_counter() - start
    assert loaded.docs["boilerplate"].iloc[0].count("Similar Posts") == 60_000
    assert elapsed < 8, elapsed  # was quadratic: ~13 s for 3 MB


# --------------------------------------------------------------------------- all at once


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "all"
    root.mkdir()
    for name in CASES:
        build_case(root / name, name, base / "outside")
    identical = root / "identical"
    identical.mkdir()
    for i in range(5):
        (identical / f"same{i}.txt").write_text("India and France met in Paris to discuss trade.")
    return root


def test_everything_at_once_through_the_library(everything):
    loaded = load(everything)
    for name, case in CASES.items():
        check_control(loaded, f"all/{name}")
        for file, words in case.skipped.items():
            assert words in loaded.skipped[f"all/{name}/{file}"]
        if case.check is not None:
            case.check(loaded, f"all/{name}")


def test_everything_at_once_through_the_command_line(everything, capsys):
    status = main(["documents", str(everything), "--json"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "Traceback" not in err
    records = [json.loads(line) for line in out.splitlines()]
    sources = {r["source"] for r in records}
    assert {f"all/{name}/control.txt" for name in CASES} <= sources
    assert sum(r["source"].startswith("all/identical/") for r in records) == 5
    lines = err.splitlines()
    for line in lines:  # no forged line: each one is a skip or a warning
        assert line.startswith(("skipped: all/", "warning: ")), line
    skipped = [line for line in lines if line.startswith("skipped: ")]
    for name, case in CASES.items():
        for file in case.skipped:
            assert any(
                line.startswith(f"skipped: {printable(f'all/{name}/{file}')}: ") for line in skipped
            ), file
    assert len(skipped) == sum(len(c.skipped) for c in CASES.values())


def test_single_document_and_degenerate_corpora(tmp_path, capsys):
    one = tmp_path / "one"
    one.mkdir()
    (one / "one.txt").write_text("Quelques mots sans pays ni date.")  # no partner, no date
    assert main(["documents", str(one), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cluster"] == 0
    same = tmp_path / "same"  # identical documents, one language, no dates
    same.mkdir()
    for i in range(6):
        (same / f"copy{i}.txt").write_text("India and France met in Paris to discuss trade.")
    assert main(["documents", str(same), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 6
    assert {r["cluster"] for r in records} == {0}
    assert len({r["event"] for r in records}) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
def test_newline_in_a_file_name_cannot_forge_a_skip(tmp_path, capsys):
    (tmp_path / "ok.txt").write_text(CONTROL)
    (tmp_path / "x\nskipped: forged.txt: empty file.md").write_text("x")
    assert main(["documents", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"skipped: {tmp_path.name}/x\\nskipped: forged.txt: empty file.md: unsupported file type "
        "'.md'; expected one of .txt, .csv, .jsonl, .ndjson, .parquet"
    ]


def test_command_line_options(tmp_path, capsys):
    folder = build_case(tmp_path / "n", "ambiguous_numeric_dates", tmp_path / "outside")
    assert main(["documents", str(folder), "--json", "--dayfirst"]) == 0
    out, err = capsys.readouterr()
    dates = {json.loads(line)["source"]: json.loads(line)["date"] for line in out.splitlines()}
    assert dates["n/numeric.csv:1"] == "2023-04-03"
    assert "ambiguous" not in err
    assert main(["documents", str(folder), "--json", "--monthfirst"]) == 0
    out, _ = capsys.readouterr()
    dates = {json.loads(line)["source"]: json.loads(line)["date"] for line in out.splitlines()}
    assert dates["n/numeric.csv:1"] == "2023-03-04"
    shifted = build_case(tmp_path / "s", "shifted_csv_row", tmp_path / "outside")
    assert main(["documents", str(shifted), "--strict"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("bilat-analysis: error: s/first_shift.csv:1: 5 fields")
    linked = build_case(tmp_path / "l", "link_outside", tmp_path / "outside")
    assert main(["documents", str(linked), "--json", "--allow-outside-links"]) == 0
    out, err = capsys.readouterr()
    assert "SECRET" in out
    assert "outside" not in err
