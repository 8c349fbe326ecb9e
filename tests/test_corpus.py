import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from bilat_analysis.corpus import (
    COLUMNS,
    CorpusWarning,
    SkipInputError,
    count_words,
    decode_bytes,
    find_text_date,
    load_corpus,
    read_corpus,
    summarise_boilerplate,
)
from bilat_analysis.paths import SEEDS_DIR

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return load_corpus().set_index("doc_id", drop=False)


def test_seeds_are_the_shared_files_byte_for_byte():
    ours = sorted(SEEDS_DIR.glob("*.txt"))
    assert [p.name for p in ours] == [
        "000_61ed17e4f0eb13e1.txt",
        "001_6ec640c84f295659.txt",
        "002_450c98cabd7aa83b.txt",
        "003_f2962e5216b1e2df.txt",
        "004_c3763a8b70dd2c1f.txt",
    ]
    if SHARED_SEEDS.is_dir():
        for path in ours:
            assert path.read_bytes() == (SHARED_SEEDS / path.name).read_bytes()


def test_seed_schema(seeds):
    assert list(seeds.columns) == COLUMNS
    assert seeds["doc_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(seeds["date"])
    assert seeds["source"].str.startswith("seeds/").all()


def test_seed_dates_and_their_sources(seeds):
    dates = seeds["date"].dt.strftime("%Y-%m-%d").to_dict()
    assert dates == {
        "000_61ed17e4f0eb13e1": "2025-01-21",
        "001_6ec640c84f295659": "2025-01-21",
        "002_450c98cabd7aa83b": "2023-10-05",
        "003_f2962e5216b1e2df": "2023-12-19",
        "004_c3763a8b70dd2c1f": "2023-02-10",
    }
    assert seeds["date_source"].tolist() == ["header", "header", "text", "header", "text"]


def test_seed_languages(seeds):
    assert seeds["language"].tolist() == ["en", "en", "fr", "en", "en"]


def test_header_is_removed_and_body_kept(seeds):
    assert seeds.loc["000_61ed17e4f0eb13e1", "text"].startswith("India and France have agreed")
    assert seeds.loc["003_f2962e5216b1e2df", "text"].startswith("Paris (VNA) - Deputy Minister")


def test_title_detected_only_where_there_is_one(seeds):
    assert seeds.loc["004_c3763a8b70dd2c1f", "title"] == (
        "New Developments in Pakistan-France Cooperation"
    )
    assert seeds["title"].isna().sum() == 4


def test_boilerplate_leaves_text_but_is_kept(seeds):
    text = seeds.loc["004_c3763a8b70dd2c1f", "text"]
    kept = seeds.loc["004_c3763a8b70dd2c1f", "boilerplate"]
    for furniture in ("Similar Posts", "This post is also available in", "Türkçe", "Şeyma KIZILAY"):
        assert furniture not in text
        assert furniture in kept
    # the English footnotes before the Turkish bio stay in the text
    assert text.rstrip().endswith("(Date of Accession: 13.02.2023).")
    assert seeds["boilerplate"].notna().sum() == 1
    summary = summarise_boilerplate(seeds.reset_index(drop=True))
    assert summary["paragraphs"].tolist() == [3]


def test_n_words_counts_the_clean_text(seeds):
    row = seeds.loc["001_6ec640c84f295659"]
    assert row["n_words"] == len(__import__("re").findall(r"\w+", row["text"]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("held in Paris on February 10, 2023. Then", "2023-02-10"),
        ("jeudi (5 octobre 2023)", "2023-10-05"),
        ("le 1er janvier 2024", "2024-01-01"),
        ("on 10 Feb. 2023", "2023-02-10"),
        ("le 3 fevrier 2022", "2022-02-03"),
        ("ISO 2021-06-30 date", "2021-06-30"),
        ("February 30, 2023 then March 1, 2023", "2023-03-01"),
        ("held in New Delhi on 14 January", None),
        ("Accession: 13.02.2023 and 03/04/2023", None),
    ],
)
def test_find_text_date(text, expected):
    found = find_text_date(text)
    assert (found.isoformat() if found else None) == expected


def test_decode_bytes_encodings():
    assert decode_bytes("Hà Nội".encode("utf-8-sig")) == ("Hà Nội", "utf-8-sig")
    assert decode_bytes("Hà Nội".encode("utf-16")) == ("Hà Nội", "utf-16")
    assert decode_bytes("Français".encode("latin-1")) == ("Français", "cp1252")


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "messy"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n  ", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin.txt").write_bytes(
        "L'Inde et la France ont signé un accord à Paris le 3 mars 2024.".encode("latin-1")
    )
    (folder / "utf16.txt").write_bytes(
        "date 2024-05-06 India and Japan held talks on maritime security.".encode("utf-16")
    )
    (folder / "header_only.txt").write_text(" date 2024-01-01 \n", encoding="utf-8")
    (folder / "bad_date.txt").write_text(
        "date 2021-13-45 India and Brazil met in Brasília on 2 March 2021.", encoding="utf-8"
    )
    (folder / "notes.md").write_text("not a corpus file", encoding="utf-8")
    (folder / "sub" / "latin.txt").write_text(
        "A second file with the stem latin.", encoding="utf-8"
    )
    return folder


def test_messy_folder_loses_nothing_silently(messy_folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = read_corpus(messy_folder)
    docs = loaded.documents.set_index("source")
    skipped = dict(zip(loaded.skipped["source"], loaded.skipped["reason"], strict=True))
    assert skipped == {
        "messy/binary.txt": "binary file (contains NUL bytes; UTF-16 needs a byte-order mark)",
        "messy/blank.txt": "only white space",
        "messy/empty.txt": "empty file",
        "messy/header_only.txt": "date header but no text",
        "messy/notes.md": (
            "unsupported file type '.md'; expected one of .txt, .csv, .jsonl, .ndjson, .parquet"
        ),
    }
    assert sorted(docs.index) == [
        "messy/bad_date.txt",
        "messy/latin.txt",
        "messy/sub/latin.txt",
        "messy/utf16.txt",
    ]
    assert len(docs) + len(skipped) == 9  # every file accounted for
    assert docs.loc["messy/latin.txt", "encoding"] == "cp1252"
    assert docs.loc["messy/latin.txt", "text"].startswith("L'Inde et la France ont signé")
    assert docs.loc["messy/latin.txt", "language"] == "fr"
    assert docs.loc["messy/utf16.txt", "encoding"] == "utf-16"
    assert docs.loc["messy/utf16.txt", "date"] == pd.Timestamp("2024-05-06")
    # impossible header date: warning, then the date written in the text
    assert docs.loc["messy/bad_date.txt", "date"] == pd.Timestamp("2021-03-02")
    assert docs.loc["messy/bad_date.txt", "date_source"] == "text"
    messages = [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]
    assert any("'2021-13-45' is not a valid date" in m for m in messages)
    # two files with the stem "latin": the second is renamed, with a warning
    assert sorted(loaded.documents["doc_id"]) == ["bad_date", "latin", "latin~2", "utf16"]
    assert any("duplicate doc_ids" in m for m in messages)


def test_impossible_header_date_alone_gives_nat(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("date 2021-13-45 India and France met.", encoding="utf-8")
    with pytest.warns(CorpusWarning, match="not a valid date"):
        docs = load_corpus(path)
    assert docs["date"].isna().all()
    assert docs["date_source"].isna().all()
    assert docs["text"].tolist() == ["India and France met."]


def test_load_corpus_warns_about_skipped_and_keeps_them(messy_folder):
    with pytest.warns(CorpusWarning, match="skipped messy/empty.txt: empty file"):
        docs = load_corpus(messy_folder)
    assert {s["source"] for s in docs.attrs["skipped"]} >= {"messy/empty.txt", "messy/notes.md"}


def test_nothing_loadable_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    with pytest.raises(ValueError, match=r"no document could be loaded .*a\.txt: empty file"):
        load_corpus(tmp_path)


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        load_corpus(tmp_path / "nope")


def test_csv_with_defaults(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "date": ["2024-03-01", "not a date", None],
            "title": ["Talks", None, None],
            "text": ["India and France met.", "Le Japon et l'Inde, 4 mai 2022.", ""],
        }
    ).to_csv(path, index=False)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        loaded = read_corpus(path)
    docs = loaded.documents
    assert docs["doc_id"].tolist() == ["a", "b"]
    assert docs["source"].tolist() == ["news.csv:1", "news.csv:2"]
    assert docs["date_source"].tolist() == ["column", "text"]
    assert docs["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2022-05-04"]
    assert docs["title"].tolist()[0] == "Talks"
    assert loaded.skipped.to_dict("records") == [{"source": "news.csv:3", "reason": "empty text"}]


def test_csv_without_text_column_names_its_columns(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"id": [1], "headline": ["x"], "story": ["India"]}).to_csv(path, index=False)
    with pytest.raises(
        ValueError, match=r"no text column .*has columns: 'id', 'headline', 'story'"
    ):
        load_corpus(path)
    docs = load_corpus(path, text_column="story")
    assert docs["text"].tolist() == ["India"]
    with pytest.raises(ValueError, match="no text column 'body'"):
        load_corpus(path, text_column="body")


def test_csv_duplicate_ids_are_disambiguated(tmp_path):
    path = tmp_path / "dup.csv"
    pd.DataFrame({"doc_id": ["x", "x", "y"], "text": ["one", "two", "three"]}).to_csv(
        path, index=False
    )
    with pytest.warns(CorpusWarning, match="duplicate doc_ids"):
        docs = load_corpus(path)
    assert docs["doc_id"].tolist() == ["x", "x~2", "y"]


def test_jsonl_and_parquet(tmp_path):
    rows = [
        {"doc_id": "j1", "text": "India and France met in Paris on 21 January 2025."},
        {"doc_id": "j2", "text": "L'Inde et l'UE à Bruxelles."},
    ]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    docs = load_corpus(jsonl)
    assert docs["doc_id"].tolist() == ["j1", "j2"]
    assert docs["language"].tolist() == ["en", "fr"]
    parquet = tmp_path / "c.parquet"
    pd.DataFrame(rows).to_parquet(parquet)
    assert load_corpus(parquet)["text"].tolist() == docs["text"].tolist()


def test_malformed_jsonl_line_is_reported_and_the_rest_loads(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    loaded = read_corpus(path)
    assert loaded.documents["text"].tolist() == ["ok"]
    assert loaded.skipped["source"].tolist() == ["bad.jsonl:2"]
    assert loaded.skipped["reason"].str.startswith("invalid JSON").all()
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: invalid JSON"):
        read_corpus(path, strict=True)


def test_caller_frame_is_untouched_by_summaries(seeds):
    before = seeds.copy()
    summarise_boilerplate(seeds.reset_index(drop=True))
    pd.testing.assert_frame_equal(seeds, before)


def test_count_words_long_path_equals_the_regex():
    import random
    import re

    rng = random.Random(0)
    alphabet = "ab é_1- \n,.\u4e2d\U0001f600\u0301\u00bd\u2028"
    for size in (0, 5, 1_500_000):
        text = "".join(rng.choice(alphabet) for _ in range(size))
        expected = len(re.findall(r"\w+", text))
        assert count_words(text) == expected
        assert count_words(text, chunk=997) == expected
        bmp = text.replace("\U0001f600", "")
        assert count_words(bmp, chunk=997) == len(re.findall(r"\w+", bmp))
    ascii_text = "India and France, 2023. " * 50_000
    assert count_words(ascii_text) == len(re.findall(r"\w+", ascii_text))


def test_decode_bytes_policy():
    # Windows-1252, its undefined bytes as Latin-1: never U+FFFD
    text = "un café au lait, \x81 merci"
    assert decode_bytes(text.encode("latin-1")) == (text, "cp1252")
    assert decode_bytes("é\n".encode() + "à".encode("latin-1")) == ("é\nà", "mixed")
    assert decode_bytes(b"\xef\xbb\xbfplain") == ("plain", "utf-8-sig")
    assert decode_bytes(b"\xef\xbb\xbfcaf\xe9") == ("café", "cp1252")
    with pytest.raises(SkipInputError, match="binary file"):
        decode_bytes(b"a\x01\x02\x03\x04 text")


def test_chinese_that_the_identifier_calls_wu_is_read_as_chinese():
    from bilat_analysis.corpus import _language_identifier, identify_language

    text = (
        "2022年12月8日，国家主席习近平抵达利雅得，对沙特阿拉伯进行国事访问，并出席首届"
        "中国－海湾阿拉伯国家合作委员会峰会。中沙双方签署全面战略伙伴关系协议，涉及能源、"
        "信息技术和基础设施投资。"
    )
    assert _language_identifier().classify(text)[0] == "wuu"  # what py3langid says
    assert identify_language(text)[0] == "zh"
    assert identify_language("Malaysia dan Indonesia bersetuju.")[0] != "zh"


def _eval_texts() -> list[str]:
    folders = [Path(__file__).parent / "data" / name for name in ("eval", "eval_heldout")]
    texts = []
    for path in sorted(p for folder in folders for p in folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            texts += [text[:1000], text.split("\n\n")[-1][:1000]]  # a sample, a last paragraph
    return texts


def test_numpy_identifier_gives_py3langids_scores_bit_for_bit(monkeypatch):
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from bilat_analysis import corpus

    ours = corpus._language_identifier()
    assert type(ours).__name__ == "_NumpyIdentifier"  # the numpy walk is the one in use
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [*_eval_texts(), "", "7", "É", "abc", "AB CD", "x" * 5000, "\ud800 lone surrogate"]
    assert len(texts) > 300
    expected = np.stack([theirs._decide(text) for text in texts])
    for text, scores in zip(texts, expected, strict=True):
        assert np.array_equal(ours._decide(text), scores), text[:80]
        assert ours.classify(text) == theirs.classify(text)
    # many texts at once (each text's walk starts afresh), in batches of any size
    for size in (1, 7, len(texts)):
        at_once = [ours.decide_many(texts[i : i + size]) for i in range(0, len(texts), size)]
        assert np.array_equal(np.concatenate(at_once), expected), size
    # a window shorter than the model's deepest state: the walk is caught out and
    # py3langid's own walk is used, with the same scores
    monkeypatch.setattr(corpus, "LANGID_WINDOW", 2)
    codes = [ours._encode(text) for text in texts[:2]]
    arrays = ours._arrays[:4]
    assert corpus._walk_features(codes, *arrays) is None
    for text in texts[:50]:
        assert np.array_equal(ours._decide(text), theirs._decide(text)), text[:80]
    assert np.array_equal(ours.decide_many(texts[:50]), expected[:50])


def test_samples_identified_at_once_as_one_by_one(monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from bilat_analysis import corpus

    samples = [text[:1000] for text in _eval_texts()] + ["", "123 456", "É", "x" * 1000]
    expected = {sample: corpus._identify_sample.__wrapped__(sample) for sample in samples}
    assert corpus._identify_samples(samples) == expected
    assert expected["123 456"] == (None, 0.0)
    # with py3langid's own identifier (the numpy one not in use)
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    monkeypatch.setattr(corpus, "_language_identifier", lambda: plain)
    assert corpus._identify_samples(samples) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_line_breaks_are_unified_in_every_encoding(tmp_path, encoding):
    text = (
        "Paris et l'Inde\r\nont signé.\x0cSuite\r\rFin\u2028ligne"
        if encoding != "cp1252"
        else ("Paris et l'Inde\r\nont signé.\x0cSuite\r\rFin")
    )
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    docs = load_corpus(tmp_path / "a.txt")
    expected = "Paris et l'Inde\nont signé.\nSuite\n\nFin"
    if encoding != "cp1252":
        expected += "\nligne"
    parts = [docs["title"][0], docs["text"][0]]
    assert "\n\n".join(p for p in parts if pd.notna(p)) == expected


def test_paragraphs_are_the_simple_definition_without_its_copies():
    import random

    from bilat_analysis.corpus import _PARAGRAPH_BREAK, _paragraphs

    rng = random.Random(0)
    pieces = ["a", "b", " ", "\n", "\t", "\xa0", "é", "\n\n"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        simple = [
            "\n".join(line.rstrip() for line in p.split("\n"))
            for p in _PARAGRAPH_BREAK.split(text.strip())
            if p.strip()
        ]
        assert _paragraphs(text) == simple, repr(text)


def test_a_language_without_full_support_is_reported_once_with_its_documents(tmp_path):
    (tmp_path / "sv1.txt").write_text(
        "Sveriges utrikesminister träffade sin finska kollega i Helsingfors i tisdags.",
        encoding="utf-8",
    )
    (tmp_path / "sv2.txt").write_text(
        "Regeringen i Stockholm meddelade att samarbetet med Norge ska fördjupas.",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text("India and France met in Paris.", encoding="utf-8")
    with pytest.warns(CorpusWarning) as caught:
        docs = load_corpus(tmp_path)
    about_sv = [str(w.message) for w in caught if "'sv'" in str(w.message)]
    assert sorted(docs["language"]) == ["en", "sv", "sv"]
    assert len(about_sv) == 1 and about_sv[0].startswith("2 documents in 'sv'")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the seeds (English and French) warn about nothing
        load_corpus()


def test_furniture_matched_by_first_character_as_by_the_whole_pattern():
    import re

    from bilat_analysis import corpus
    from bilat_analysis.lexicons import read_boilerplate

    # every alternative is tried only on paragraphs its first character fits
    assert all(start is not None for start, _ in corpus._furniture_alternatives())
    # each pattern written out, in any case the pattern accepts
    phrases = [re.sub(r"\(\?:|[()?|\\.*:+]", "", p).split("[")[0] for p in
               read_boilerplate()["pattern"]]
    variants = [
        v for p in phrases if p.strip()
        for v in (p, p.upper(), p.title(), p.replace("s", "ſ"), p.replace("i", "İ"))
    ]
    body = ["India and France met.", "[1] A note", "« Quote »", "2024: a year", "- dash", ""]
    paragraphs = variants + body
    whole = {p for p in paragraphs if corpus._furniture_pattern().fullmatch(p)}
    assert corpus._furniture_texts(paragraphs) == whole
    assert len(whole) > len(phrases) // 2  # the variants are really furniture
    assert not whole & set(body)  # nothing found among the body paragraphs
    assert corpus._furniture_texts(body) == set()


def test_first_characters_of_a_pattern_or_none_when_unsure():
    import re

    from bilat_analysis.corpus import _first_chars

    def first(pattern):
        chars, empty = _first_chars(re._parser.parse(pattern, re.IGNORECASE))
        return (None if chars is None else "".join(sorted(map(chr, chars)))), empty

    assert first("similar posts|(?:also )?read") == ("ars", False)
    assert first("[a-c]x|y?z") == ("abcyz", False)
    assert first("(?:a|)?") == ("a", True)
    assert first(r"\w+ posts") == (None, False)  # a category: unsure
    assert first(".*x") == (None, False)
    assert first("(?-i:a)b") == (None, False)  # a flag change inside


def test_text_column_is_what_pandas_infers():
    from bilat_analysis.corpus import _text_column, _utf8_array

    texts = ["India and France", "", "café ½ 中文 \U0001f600", "x" * 10_000]
    built = pd.Series(_text_column([texts]))
    pd.testing.assert_series_equal(built, pd.Series(texts))
    assert _text_column([["bad \ud800 surrogate"]]) == ["bad \ud800 surrogate"]  # left to pandas
    # pieces made by workers: arrays taken as they are, lists of texts encoded
    pieces = [_utf8_array(texts[:2]), [texts[2], texts[3].encode()], _utf8_array([])]
    built = _text_column(pieces)
    pd.testing.assert_series_equal(pd.Series(built), pd.Series(texts))
    assert built._pa_array.num_chunks == 1  # a take would otherwise join the chunks each time
    assert _text_column([_utf8_array(["a"]), ["b \ud800"]]) == ["a", "b \ud800"]
