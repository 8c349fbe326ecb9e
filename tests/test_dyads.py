import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.dyads import annotate_documents, infer_dyads


def dyads_of(*texts: str, titles=None) -> pd.DataFrame:
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    if titles is not None:
        corpus["title"] = titles
    return infer_dyads(corpus)


@pytest.fixture(scope="module")
def annotated():
    return annotate_documents(load_corpus()).set_index("doc_id")


def test_seed_dyads(annotated):
    assert annotated["dyad"].to_dict() == {
        "000_61ed17e4f0eb13e1": ("FRA", "IND"),
        "001_6ec640c84f295659": ("FRA", "IND"),
        "002_450c98cabd7aa83b": ("EU", "IND"),
        "003_f2962e5216b1e2df": ("FRA", "VNM"),
        "004_c3763a8b70dd2c1f": ("FRA", "PAK"),
    }
    assert annotated["dyad_score"].between(0.5, 1).all()


def test_seed_hosts(annotated):
    # 000/001: held in Paris (000 also names New Delhi, for another dialogue: Paris comes first)
    # 002: "s'est tenu à Bruxelles" -> the EU's seat
    # 003: dateline "Paris (VNA)"; 004: held in Paris
    assert annotated["host"].tolist() == ["FRA", "FRA", "EU", "FRA", "FRA"]


def test_seed_partner_and_theme_counts(annotated):
    partners = annotated.loc["002_450c98cabd7aa83b", "partners"]
    assert list(partners)[:2] == ["IND", "EU"]
    assert "BEL" not in partners  # a capital named as the venue is not counted
    themes = annotated.loc["002_450c98cabd7aa83b", "themes"]
    assert next(iter(themes)) == "cyber_digital"
    assert "defence" not in themes  # only in "directrice de la sécurité et de la défense"
    assert next(iter(annotated.loc["000_61ed17e4f0eb13e1", "themes"])) == "maritime_security"
    assert next(iter(annotated.loc["003_f2962e5216b1e2df", "themes"])) == "defence"


def test_annotate_does_not_touch_the_callers_frame():
    corpus = load_corpus()
    before = corpus.copy()
    annotate_documents(corpus)
    pd.testing.assert_frame_equal(corpus, before)


def test_one_partner_only_is_no_dyad():
    row = dyads_of("India announced a new policy. India will invest more.").iloc[0]
    assert row["dyad"] is None
    assert "fewer than two partners" in row["evidence"]


def test_three_equal_parties_is_no_dyad():
    text = (
        "India, France and Australia held their trilateral dialogue. "
        "The India-France-Australia trilateral met in Canberra."
    )
    row = dyads_of(text).iloc[0]
    assert row["dyad"] is None
    assert "three or more" in row["evidence"]


def test_three_comparable_partners_without_pairs_is_no_dyad():
    text = "Japan spoke. Brazil spoke. Kenya spoke. Japan, Brazil, Kenya."
    assert dyads_of(text).iloc[0]["dyad"] is None


def test_pair_beats_frequency_of_a_third_party():
    text = "India-Japan talks on China. China was discussed. China again. India and Japan agreed."
    assert dyads_of(text).iloc[0]["dyad"] == ("IND", "JPN")


def test_title_counts():
    row = dyads_of("Talks covered trade.", titles=["Brazil and Argentina sign deal"]).iloc[0]
    assert row["dyad"] == ("ARG", "BRA")


def test_dateline_brackets_read_from_a_chunked_arrow_column_as_from_a_list():
    """Prepared and loaded corpora hold their texts in Arrow chunks: each is read in place."""
    import numpy as np
    import pyarrow as pa

    from bilat_analysis.dyads import _texts_at, in_dateline_bracket
    from bilat_analysis.tagging import tag_partners

    texts = [
        "India and France met in Paris.",
        "BRUSSELS [Belgium] - India and France met.",
        "NEW DELHI (India) - France and Japan met.",
        "Paris (France) - Japan and Brazil met in Paris.",
        "BERLIN [Germany] - Brazil and India met.",
    ]
    # three chunks, one of them empty, as a dataset's batches may come
    chunks = pa.chunked_array([texts[:2], [], texts[2:]], type=pa.large_string())
    arrow = pd.Series(pd.arrays.ArrowStringArray(chunks))
    assert arrow.array._pa_array.num_chunks == 3
    positions = np.array([0, 2, 3, 4])
    assert _texts_at(arrow, positions) == [texts[i] for i in positions]
    assert _texts_at(pd.Series(texts, dtype=object), positions) == [texts[i] for i in positions]
    assert _texts_at(arrow, np.array([], dtype=np.int64)) == []
    plain = pd.DataFrame({"doc_id": list("abcde"), "text": pd.Series(texts, dtype=object)})
    chunked = plain.assign(text=arrow)
    mentions = tag_partners(plain)
    flags = in_dateline_bracket(chunked, mentions)
    assert flags.tolist() == in_dateline_bracket(plain, mentions).tolist()
    assert mentions.loc[flags, ["doc_id", "partner"]].to_numpy().tolist() == [
        ["b", "BEL"],
        ["c", "IND"],
        ["d", "FRA"],
        ["e", "DEU"],
    ]


def test_dateline_brackets_of_a_doc_id_the_corpus_lacks_or_has_twice():
    from bilat_analysis.dyads import in_dateline_bracket
    from bilat_analysis.tagging import tag_partners

    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["BRUSSELS [Belgium] - India met France.", "Rome met."]}
    )
    mentions = tag_partners(corpus)
    with pytest.raises(ValueError, match="not in the corpus: 'a'"):
        in_dateline_bracket(corpus.iloc[[1]], mentions)
    # a doc_id twice: its mentions are read in its first document
    twice = pd.concat([corpus, corpus.iloc[[0]].assign(text="India met France.")])
    assert mentions["alias_type"].tolist() == ["capital", "name", "name", "name", "capital"]
    assert in_dateline_bracket(twice, mentions).tolist() == [False, True, False, False, False]


def test_host_from_french_venue_and_dateline():
    rows = dyads_of(
        "Le dialogue Inde-France s'est tenu à New Delhi.",
        "Paris [France], January 21: India and France met.",
    )
    assert rows["host"].tolist() == ["IND", "FRA"]


def test_capitals_can_be_counted_on_request():
    corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Paris and Islamabad agreed. Paris said."]})
    assert infer_dyads(corpus).iloc[0]["dyad"] == ("FRA", "PAK")  # a pair of capitals is a pair
    counted = annotate_documents(corpus, count_capitals=True).iloc[0]["partners"]
    assert counted == {"FRA": 2, "PAK": 1}
    assert annotate_documents(corpus).iloc[0]["partners"] == {}


def test_dateline_bracket_flags_whatever_the_mention_order():
    from bilat_analysis.dyads import in_dateline_bracket
    from bilat_analysis.tagging import tag_partners

    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "BRUSSELS [Belgium] - India and France met.",
                "Paris (France) - Japan and Brazil met in Paris.",
                "India and France met in Paris.",
            ],
        }
    )
    mentions = tag_partners(corpus)
    flagged = mentions[in_dateline_bracket(corpus, mentions)]
    assert flagged[["doc_id", "partner"]].to_numpy().tolist() == [["a", "BEL"], ["b", "FRA"]]
    shuffled = mentions.sample(frac=1, random_state=0)
    again = in_dateline_bracket(corpus, shuffled)
    assert again.sort_index().tolist() == in_dateline_bracket(corpus, mentions).tolist()
    assert not in_dateline_bracket(corpus, mentions.iloc[0:0]).any()
