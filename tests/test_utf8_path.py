"""The UTF-8 path of text files gives what the plain (decoded) path gives."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
import warnings

import pandas as pd
import pytest

from bilat_analysis import corpus
from bilat_analysis.corpus import count_words, read_corpus
from bilat_analysis.dates import find_text_date, find_text_date_of_parts

PIECES = [
    "India", "and", "France", "met", "in", "Paris", "café", "délégation", "don’t", "“quoted”",
    " ", " ", " ", "\n", "\n", "\n\n", "\n \n", "\n\t\n  ", "\xa0", "\u3000", "\u2003", "\t",
    "\x1f", "Similar Posts", "Share this:", "Related Posts", "date 2024-01-02 ", "date: 2024-13-45",
    "5 March 2024", "2023年4月14日", "日本語", "😀", "𝒜𝒷", "Россия", "Ω", "_", "123", ".", "–",
    "e\u0301", "\u212b", "\u2000", "\u1100\u1161", "\u2028", "\x85", "\x0b", "\r\n", "ß", "İ",
]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = rng.choices(PIECES, k=rng.randint(1, 120))
        if rng.random() < 0.5:  # mostly clean text: the UTF-8 path is taken
            parts = [p for p in parts if p not in ("e\u0301", "\u212b", "\u2000", "\u1100\u1161",
                                                   "\u2028", "\x85", "\x0b", "\r\n")]
        texts.append(" ".join(parts) if rng.random() < 0.3 else "".join(parts))
    return texts


WORDS = [p for p in PIECES if p.strip() and not any(c.isspace() for c in p)]


def _paragraph_texts(seed: int, n: int) -> list[str]:
    """Texts of paragraphs split by blank lines (the common shape), furniture among them."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        paragraphs = []
        for _ in range(rng.randint(1, 12)):
            words = rng.choices(WORDS, k=rng.choice([1, 2, 3, 30, 80]))
            line = " ".join(words)
            if rng.random() < 0.2:
                line = line.replace(" ", "\n", 1)
            paragraphs.append(line)
        texts.append("\n\n".join(paragraphs) + rng.choice(["", "\n", "\n\n", " \u3000"]))
    return texts


SPECIAL = [
    "Title of the day\n\nIndia and France met on 5 March 2024.\n\nSimilar Posts\n\nMore text.",
    "date: 2024-03-05 India and France.\n\nMore.",
    "  date 2024-3-5\n\nTitle line\n\nBody 4 May 2020.",
    "date 2024-13-45 text\n\nbody 1 May 2020",
    "dated text\n\nbody",
    " \u3000\n\n\xa0 First para\n\nSecond para 2021-02-03\n\n \u3000 ",
    "Head\n\nline one \xa0\nline two\t\n\xa0\nline three\u3000\n\n\u3000 next \x1f\n\nlast  \u2003",
    "Some title\n\nIndia and France met.\nNew Delhi\nJanuary 21, 2025",
    "India and France held talks in Paris on defence cooperation and trade matters.\n\n"
    "Bu yazar hakkında bilgi: gazeteci ve yazar olarak uzun yıllardır çalışmaktadır.",
    "中法两国外长在北京举行会谈\n\n2023年4月14日，双方同意加强合作。\n\n分享到：",
    "Cafe\u0301 au lait\n\nLe 5 octobre 2023.",
    "Title\u2028\u2028Body 2 June 2022." + " words" * 50,
    "Title\x85\x85Body 2 June 2022." + " words" * 50,
    "word " * 3000 + "\n\nSimilar Posts\n\nend 1 May 2020",
    "PARIS, 5 October 2023 – " + "talks " * 3000 + "\n\nsigned\n10 May 2021",
    "no digit " * 3000 + "\n\nlast line 3 May 2021",
    "justoneword",
    "no date here at all " * 5000,
    "words " * 20000 + "\n\nPublished ٥ مايو ٢٠٢٣",
    "words " * 20000 + "\n\n2023年4月14日",
    "Title\n\n" + "words " * 20000 + "\n\n3 May 2021",
    "\ufeffTitle\n\nBody 3 March 2021.",
]


def _load(folder, *, plain: bool, monkeypatch) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    with monkeypatch.context() as patch:
        if plain:
            patch.setattr(corpus, "_utf8_record", lambda *args: None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loaded = read_corpus(folder, n_jobs=1)
    return loaded.documents, loaded.skipped, [str(w.message) for w in caught]


@pytest.mark.parametrize(("chunk", "edge"), [(1 << 20, 1 << 16), (7, 50), (64, 300)])
def test_utf8_path_gives_the_plain_path(tmp_path, monkeypatch, chunk, edge):
    monkeypatch.setattr(corpus, "UTF8_CHUNK", chunk)
    monkeypatch.setattr(corpus, "UTF8_EDGE_BYTES", edge)
    monkeypatch.setattr(corpus, "UTF8_MIN_BYTES", 0)  # small texts go the UTF-8 way too
    texts = SPECIAL + _texts(chunk, 300) + _paragraph_texts(chunk, 200)
    for i, text in enumerate(texts):
        (tmp_path / f"{i:04d}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    taken = []
    clean = corpus._clean_utf8
    monkeypatch.setattr(corpus, "_clean_utf8", lambda r: taken.append(r) or clean(r))
    fast = _load(tmp_path, plain=False, monkeypatch=monkeypatch)
    assert len(taken) > 150  # most texts went the UTF-8 way
    plain = _load(tmp_path, plain=True, monkeypatch=monkeypatch)
    pd.testing.assert_frame_equal(fast[0], plain[0], check_exact=True)
    pd.testing.assert_frame_equal(fast[1], plain[1], check_exact=True)
    assert fast[2] == plain[2]


@pytest.mark.parametrize("chunk", [3, 16, 1 << 20])
def test_utf8_scan_counts_words_and_finds_line_ends(monkeypatch, chunk):
    monkeypatch.setattr(corpus, "UTF8_CHUNK", chunk)
    for text in SPECIAL + _texts(1, 400):
        scanned = corpus._utf8_scan(text.encode("utf-8", "surrogatepass"))
        if scanned is None:
            assert unicodedata.normalize("NFC", text) != text or any(
                sep in text for sep in ("\r", *corpus.LINE_SEPARATORS)
            ) or any(corpus._changes_text(ord(c)) for c in text)
            continue
        words, line_space, _, _ = scanned
        assert words == count_words(text) == len(re.findall(r"\w+", text))
        assert unicodedata.is_normalized("NFC", text)
        if not line_space:
            assert re.search(r"[^\S\n]\n", text) is None, repr(text)


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_char_lengths_from_the_layout_are_the_pieces_lengths(monkeypatch, chunk):
    monkeypatch.setattr(corpus, "UTF8_CHUNK", chunk)
    counted = 0
    texts = SPECIAL + _texts(4, 400) + _paragraph_texts(4, 300)
    texts += ["a\n\nb", "a\n\n\nb", "\n\nab\n\n", "x\n\n\u3000y\n\nz"]
    for text in texts:
        data = text.encode()
        scanned = corpus._utf8_scan(data)
        if scanned is None or scanned[2] is None:
            continue
        for shift in (0, 1, 3):
            if shift and (shift > len(data) or data[shift - 1 : shift].isascii() is False):
                continue
            part = data[shift:]
            pieces = corpus._utf8_break().split(part)
            chars = corpus._utf8_char_lengths(part, len(pieces), scanned[2], shift)
            if chars is not None:
                counted += 1
                assert chars.tolist() == [len(p.decode()) for p in pieces], repr(text)
    assert counted > 100


def test_characters_left_alone_stay_nfc_next_to_each_other():
    rng = random.Random(0)
    alone = [c for c in map(chr, range(0x80, 0x3400)) if not corpus._changes_text(ord(c))]
    for _ in range(2000):
        text = "".join(rng.choices(alone, k=8))
        assert unicodedata.is_normalized("NFC", text), [hex(ord(c)) for c in text]


def test_tables_bounds_hold_every_space_and_composition():
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert spaces == list(corpus._spaces())
    assert spaces == re.findall(r"\s", "".join(map(chr, range(sys.maxunicode + 1))))
    for code in range(corpus._COMPOSITE_END, sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        assert not (len(parts) == 2 and not parts[0].startswith("<")), hex(code)


def test_utf8_break_is_the_paragraph_break():
    for text in SPECIAL + _texts(2, 300):
        assert [p.encode() for p in corpus._PARAGRAPH_BREAK.split(text)] == (
            corpus._utf8_break().split(text.encode())
        )


@pytest.mark.parametrize(
    "data",
    [b"abc", b"\xc3\xa9", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\xe2\x80",
     b"\xff", b"ok \xf0\x9f\x98\x80", b"\xc2", b""],
)
def test_valid_utf8_is_what_decode_accepts(data):
    try:
        data.decode("utf-8")
        accepted = True
    except UnicodeDecodeError:
        accepted = False
    assert corpus._valid_utf8(data) is accepted


def test_text_date_of_parts_is_the_text_date():
    rng = random.Random(3)
    for text in SPECIAL + _texts(3, 300):
        for cut in sorted({0, 10, 100, 5000, rng.randint(0, max(len(text), 1))}):
            if cut >= len(text):
                continue
            for back in (0, 5, 200):
                tail = text[max(len(text) - back, 0) :]
                try:
                    found = find_text_date_of_parts(text[:cut], tail, language="en")
                except LookupError:
                    continue
                assert found == find_text_date(text, language="en"), (text, cut, back)
