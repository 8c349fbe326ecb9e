import numpy as np
import pandas as pd
import pytest

from bilat_analysis.topics import (
    _hashed_tfidf,
    make_vectorizer,
    normalise_for_topics,
    stop_words,
    top_terms_per_document,
)

GERMAN = (
    "Die Außenministerin und der indische Außenminister haben in Berlin über die "
    "Zusammenarbeit in der Verteidigung und die Lage im Indopazifik gesprochen. Die beiden "
    "Minister vereinbarten, die Zusammenarbeit bei der Verteidigung und der Energie zu vertiefen, "
    "und die Ministerin sagte, dass die Partnerschaft mit Indien für Deutschland wichtig ist."
)


def test_a_german_article_top_terms_are_not_function_words():
    corpus = pd.DataFrame({"doc_id": ["de"], "text": [GERMAN]})
    terms = top_terms_per_document(corpus, top_n=5)["term"].tolist()
    assert len(terms) == 5
    assert not {"die", "und", "der", "in", "zu", "dass", "ist"} & set(terms)
    assert any("zusammenarbeit" in t or "verteidigung" in t for t in terms)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", {"the", "and", "with"}),
        ("fr", {"les", "des", "avec"}),
        ("es", {"los", "para", "con"}),
        ("de", {"und", "die", "mit"}),
        ("it", {"della", "con", "che"}),
        ("pt", {"nao", "para", "com"}),
        ("ru", {"что", "для", "это"}),
        ("ar", {"في", "الي", "هذا"}),  # "إلى" normalised
        ("zh", {"我们", "因为"}),
        ("id", {"yang", "dengan", "untuk"}),
        ("vi", {"cac", "nhung", "cua"}),
        ("tr", {"bir", "ile", "icin"}),
    ],
)
def test_stop_words_of_every_supported_language(language, words):
    assert words <= stop_words()


def test_another_language_stop_word_does_not_hide_a_content_word():
    assert not {"sea", "usa", "onu", "war"} & stop_words()


def test_chinese_text_gives_character_bigrams():
    vocabulary = make_vectorizer(ngram_range=(1, 1)).fit(["中法两国外长举行会谈，讨论气候变化。"])
    assert {"中法", "两国", "外长", "会谈", "气候", "变化"} <= set(vocabulary.vocabulary_)


def test_japanese_text_keeps_kanji_bigrams_and_katakana_words_without_particles():
    analyse = make_vectorizer(ngram_range=(1, 1)).build_analyzer()
    tokens = analyse("日中外相はウクライナ情勢について協議した。")
    assert tokens == ["日中", "中外", "外相", "ウクライナ", "情勢", "協議"]


def test_traditional_and_simplified_chinese_both_tokenise():
    vocabulary = make_vectorizer(ngram_range=(1, 1)).fit(["中美兩國外長會談", "中美两国外长会谈"])
    assert {"兩國", "两国", "中美"} <= set(vocabulary.vocabulary_)


def test_arabic_spellings_of_one_word_meet():
    forms = ["العَلاقَة الثنائيـة", "العلاقه الثنائية", "إيران", "ايران", "مستوى", "مستوي"]
    normalised = [normalise_for_topics(f) for f in forms]
    assert normalised[0] == normalised[1] == "العلاقه الثناييه"
    assert normalised[2] == normalised[3]
    assert normalised[4] == normalised[5]


def test_text_without_cjk_or_arabic_is_only_folded():
    assert normalise_for_topics("Coopération Indo-Pacifique") == "cooperation indo pacifique"


def test_the_hashed_path_reads_chinese_and_arabic():
    texts = ["中法两国外长举行会谈", "وزير الخارجية الفرنسي في الرياض", "the the and"]
    matrix = _hashed_tfidf(texts)
    assert matrix.shape[0] == 3
    assert np.diff(matrix.indptr).tolist() == [9, 4, 0]  # 9 bigrams; 4 words, "في" is stop
