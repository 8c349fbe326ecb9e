"""hash_counts (each distinct word hashed once, with arrays) against the vectoriser itself."""

import random
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.feature_extraction.text import HashingVectorizer

from bilat_analysis import load_corpus, topics
from bilat_analysis.corpus import CorpusWarning, read_corpus
from bilat_analysis.paths import data_file
from bilat_analysis.topics import content_words, hash_counts, normalise_for_topics


def reference(texts):
    """The plain way: the vectoriser reads each text with content_words."""
    hasher = HashingVectorizer(
        analyzer=content_words, n_features=2**20, alternate_sign=False, norm=None, dtype=np.float32
    )
    if not texts:
        return sp.csr_matrix((0, 2**20), dtype=np.float32)
    return sp.vstack([hasher.transform(texts)]).tocsr()


def assert_same(texts, **options):
    fast, plain = hash_counts(texts, **options), reference(texts)
    assert type(fast) is type(plain)
    assert fast.shape == plain.shape
    assert fast.has_canonical_format
    for name in ["indptr", "indices", "data"]:
        got, expected = getattr(fast, name), getattr(plain, name)
        assert got.dtype == expected.dtype, name
        assert np.array_equal(got, expected), name  # bit for bit


MULTILINGUAL = [
    "الْعَلاقَاتُ الثنائيـة مع إيران",  # diacritics join a word's pieces, tatweel goes
    "مباحثاتٌ  ـ  بين وزيري الخارجية ًً في الرياض",
    "中法两国外长在ウクライナについて会談した",
    "日本・中国 首脳会談、ウクライナ・ロシア情勢。々〆〇",
    "भारत और फ्रांस के विदेश मंत्रियों ने हिन्दी में बात की",  # marks inside words
    "Министр иностранных дел России встретился с коллегой из Китая",
    "한국과 일본의 외교장관 회담이 서울에서 열렸다",
    "ประเทศไทยและจีนลงนามความร่วมมือ",
    "Ελλάδα και ΣΑΣ: συνάντηση υπουργών",
    "L’Inde et la France, l'Union européenne : coopération maritime — Indo-Pacifique",
    "İstanbul'da ǰ ﬁnance ŉ Kelvin K Ångström Å x² ab½ Ⅻv met_up 2024 a1b the l'Inde",
    "zero\u200bwidth\u200cjoin\u200dser\ufeffbom soft\u00adhyphen",
    "ʼapostrophe modifierʼs and ´acute and ‘curly’",
    "ＦＵＬＬ　ｗｉｄｔｈ １２３ ｶﾀｶﾅ",
    "𝐌𝐚𝐭𝐡 𐐀𐐨 😀 emoji 𠀀𠀁 ext-B",
]


def test_multilingual_sentences_seeds_and_fixtures():
    texts = MULTILINGUAL + load_corpus()["text"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)  # languages partly supported: no matter
        for source in [data_file("bilingual_example.csv"), Path(__file__).parent / "data" / "eval"]:
            texts += read_corpus(source).documents["text"].tolist()
    assert_same(texts)


def test_no_text_and_texts_without_words():
    assert_same([])
    assert_same([""])
    assert_same(["", " ", "123 4_5 _ a b", "\u064b\u0640", "中 々", "。、・", "\n\t"])


def test_a_missing_text_raises_as_before():
    with pytest.raises(ValueError, match=r"np\.nan is an invalid document"):
        hash_counts(["Paris talks", np.nan])
    with pytest.raises(AttributeError):
        hash_counts(["Paris talks", None])


def test_a_lone_surrogate_is_read_as_before():
    assert_same(["ab\ud800cd ef", "good words \udfff here", "plain words"])


POOLS = {
    "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digits": "0123456789٠١٢٣٤٥٦٧٨٩０１２²½Ⅻⅰ",
    "latin": "éÉèàçÇñÑöÖüÜßẞıİŉǰﬁÅKʼŒœøØłŁđĐþÞæÆ" + "".join(map(chr, range(0xC0, 0x250))),
    "marks": "".join(map(chr, range(0x300, 0x370))) + "\u0653\u0654\u0655\u094d\u093f\u0e31\u20dd",
    "arabic": "".join(map(chr, range(0x621, 0x64B))) + "\u0671\u0672\u06a9\u06cc\u0629\u0649",
    "arabic_marks": "".join(map(chr, range(0x64B, 0x653))) + "\u0670" + "\u0640" * 4,
    "han": "中国法两外长会谈気候変化々〆〇\u3400\uf900\ufa6e\u9fff\U00020000",
    "kana": "".join(map(chr, range(0x3041, 0x3097)))
    + "".join(map(chr, range(0x3099, 0x3100)))
    + "ｦｧｱｲｳﾞﾟ",
    "scripts": "привет мир Ελλάδα σς हिन्दी ไทย 한국어 עברית 𐐀𐐨𝐌𝐚",
    "between": " \t\n\r.,;:!?\"'()[]{}-_/\\@#%&*+=<>|~^`\u00a0\u2019\u2018\u02bc\u00b4\u2013"
    "\u2014\u2212\u3001\u3002\u30fb\u200b\u200c\u200d\ufeff\u00ad\u2028\x00\U0001f600",
    "stop": ["the", "les", "und", "что", "我们", "في", "said", "lundi", "quelqu'un", "sea", "The"],
}


def random_texts(n, seed=0):
    rng = random.Random(seed)
    names = list(POOLS)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 15, 30])):
            pool = POOLS[rng.choice(names)]
            parts.append("".join(rng.choice(pool) for _ in range(rng.choice([1, 1, 2, 3, 4, 6]))))
            if rng.random() < 0.5:
                parts.append(rng.choice([" ", " ", " ", *POOLS["between"]]))
        texts.append("".join(parts))
    return texts


def test_random_strings_mixing_scripts_marks_digits_and_separators():
    assert_same(random_texts(3000))


def test_every_code_point_inside_between_and_around_words():
    # a wrong reading of any one code point changes its text's words ("qq" + c + "qq")
    texts = [
        " ".join(f"qq{chr(c)}qq {chr(c)}x{chr(c)} zz{chr(c)}" for c in range(start, start + 4096))
        for start in range(0, sys.maxunicode + 1, 4096)
    ]
    assert_same(texts)


def test_small_blocks_forgotten_runs_and_worker_processes_change_nothing(monkeypatch):
    texts = random_texts(1200, seed=1) + MULTILINGUAL * 20
    monkeypatch.setattr(topics, "_BLOCK_CHARS", 50)  # many blocks; a text longer than one
    monkeypatch.setattr(topics, "_MAX_RUNS", 40)  # the distinct runs forgotten often
    assert_same(texts, n_jobs=1)
    # forgotten between the blocks of one chunk: at most one block's runs past the limit
    assert len(topics._RUNS[2**20].numbers) <= 40 + max(len(t.split()) + 1 for t in texts) * 2
    monkeypatch.undo()
    assert_same(texts, n_jobs=2)


def test_a_text_column_is_hashed_as_its_list_of_texts():
    texts = random_texts(1200, seed=2) + MULTILINGUAL * 20
    column = pd.Series(texts, dtype="str").array  # each worker lists its own part
    for n_jobs in (1, 2):
        fast, plain = hash_counts(column, n_jobs=n_jobs), reference(texts)
        for name in ["indptr", "indices", "data"]:
            assert np.array_equal(getattr(fast, name), getattr(plain, name)), name


def test_the_sparse_interface_of_scikit_learn_is_kept():
    with config_context(sparse_interface="sparray"):
        assert_same(MULTILINGUAL)


def test_each_code_point_maps_to_at_most_one_character_and_nul_is_left_alone():
    # what the array reading relies on (see _word_chars and _run_words)
    table = topics._word_chars()
    assert table.size == sys.maxunicode + 1
    assert not (table > 1).any()
    assert table[0] == 0
    assert normalise_for_topics("ab\0中国\0ア\0") == "ab\0 中国 \0 ア \0"


def test_the_column_of_a_word_is_the_vectoriser_s():
    # FeatureHasher puts murmurhash -2**31 in column (2**31 - 1 - (n - 1)) % n: abs() % n
    for n in [1, 2, 3, 1000, 2**20, 2**31 - 1]:
        assert (2147483647 - (n - 1)) % n == abs(-(2**31)) % n
    words = ["defence", "défense", "中国", "ウクライナ", "العلاقات", "x" * 300]
    lengths, columns = topics._run_columns([w.encode("utf-32-le") for w in words], 2**20)
    plain = reference([" ".join(content_words(w)) for w in words])
    assert lengths.tolist() == np.diff(plain.indptr).tolist()
    assert columns.tolist() == plain.indices.tolist()


def assert_same_sample_words(texts, most=50_000):
    """The terms sample's words (counted block by block) against the vectoriser's, bit for bit."""
    vectorizer = topics.make_vectorizer(ngram_range=(1, 1), min_df=2, max_features=most)
    plain, plain_names = vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()
    fast, names = topics._sample_words(texts)
    assert names.tolist() == plain_names.tolist()
    assert fast.dtype == plain.dtype == np.float32
    plain.sort_indices()  # the vectoriser leaves a row's entries unsorted; the values are the same
    fast.sort_indices()
    for name in ["indptr", "indices", "data"]:
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name


def test_the_terms_sample_s_words_are_the_vectoriser_s():
    texts = MULTILINGUAL * 2 + random_texts(1500, seed=2) + load_corpus()["text"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        texts += read_corpus(Path(__file__).parent / "data" / "eval").documents["text"].tolist()
    assert topics._vocabulary_counts(texts)[0] is not None  # counted block by block
    assert_same_sample_words(texts)
    assert_same_sample_words(load_corpus()["text"].tolist())  # five texts: few words twice


def test_the_terms_sample_s_words_in_small_blocks_and_the_texts_it_cannot_read(monkeypatch):
    texts = random_texts(300, seed=3) + MULTILINGUAL * 3
    monkeypatch.setattr(topics, "_BLOCK_CHARS", 50)  # many blocks: one vocabulary over them
    assert_same_sample_words(texts)
    monkeypatch.undo()
    # a lone surrogate: the vectoriser reads them all; no word seen twice: its error
    assert_same_sample_words(["ab\ud800cd ef", "good words \udfff here", "good plain words"])
    assert topics._vocabulary_counts(["ab\ud800cd ef"])[0] is None
    with pytest.raises(ValueError, match="no terms remain"):
        topics._sample_words(["one text", "another"])


def test_more_words_than_the_terms_sample_keeps_go_through_the_vectoriser(monkeypatch):
    monkeypatch.setattr(topics, "_SAMPLE_WORDS", 30)
    texts = random_texts(200, seed=4)
    assert_same_sample_words(texts, most=30)
    assert len(topics._sample_words(texts)[1]) == 30
