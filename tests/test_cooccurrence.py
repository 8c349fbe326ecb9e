import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.stats import fisher_exact

from bilat_analysis import load_corpus
from bilat_analysis.cooccurrence import (
    Incidence,
    association_table,
    cooccurrence,
    counted_mentions,
    dyad_profiles,
    incidence,
    official_dyads,
    split_sentences,
    tag_variable,
)
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.officials import tag_officials
from bilat_analysis.plotting import partner_graph
from bilat_analysis.topics import annotate_topics

# a toy incidence matrix, 6 units x 3 labels, with hand-computed measures:
#        A  B  C
TOY = [[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [1, 1, 1]]


@pytest.fixture(scope="module")
def toy():
    return Incidence(sp.csr_matrix(np.array(TOY)), [f"u{i}" for i in range(6)], ["A", "B", "C"])


@pytest.fixture(scope="module")
def seeds():
    return annotate_topics(annotate_documents(load_corpus()))


def test_measures_by_hand(toy):
    table = association_table(toy, min_support=1).set_index(["row", "col"])
    ab = table.loc[("A", "B")]
    # n_A = 4, n_B = 4, n_AB = 3, N = 6
    assert (ab["n_ab"], ab["n_a"], ab["n_b"], ab["n"]) == (3, 4, 4, 6)
    assert ab["jaccard"] == pytest.approx(3 / 5)
    assert ab["lift"] == pytest.approx(3 * 6 / (4 * 4))
    assert ab["pmi"] == pytest.approx(math.log2(18 / 16))
    assert ab["npmi"] == pytest.approx(math.log2(18 / 16) / -math.log2(3 / 6))
    # Fisher's exact test, one-sided (greater), on the 2x2 table [[3, 1], [1, 1]]
    assert ab["p_value"] == pytest.approx(fisher_exact([[3, 1], [1, 1]], "greater")[1])
    bc = table.loc[("B", "C")]  # n_BC = 1, n_B = 4, n_C = 3
    assert bc["lift"] == pytest.approx(1 * 6 / (4 * 3))
    assert bc["npmi"] < 0


def test_minimum_support_blanks_weak_pairs(toy):
    table = association_table(toy, min_support=2).set_index(["row", "col"])
    assert np.isnan(table.loc[("B", "C"), "pmi"])
    assert table.loc[("B", "C"), "n_ab"] == 1  # the count stays
    assert not np.isnan(table.loc[("A", "B"), "pmi"])


def test_perfect_cooccurrence_has_npmi_one():
    always = Incidence(sp.csr_matrix(np.ones((3, 2), dtype=int)), ["a", "b", "c"], ["X", "Y"])
    table = association_table(always, min_support=1)
    assert table["npmi"].tolist() == [1.0, 1.0]
    assert table["pmi"].tolist() == [0.0, 0.0]


def test_sparse_product_equals_a_loop(seeds):
    mentions = tag_variable(seeds, "partner")
    x = incidence(seeds, mentions)
    dense = x.matrix.toarray()
    loop = np.array(
        [
            [int(np.sum(dense[:, i] & dense[:, j])) for j in range(dense.shape[1])]
            for i in range(dense.shape[1])
        ]
    )
    matrix = cooccurrence(seeds, rows="partner", cols="partner", mentions={"partner": mentions})
    assert (matrix.to_numpy() == loop).all()


@pytest.mark.parametrize("measure", ["count", "jaccard", "lift", "npmi"])
def test_symmetric_matrices_are_symmetric(seeds, measure):
    matrix = cooccurrence(seeds, rows="partner", cols="partner", measure=measure, min_support=1)
    pd.testing.assert_frame_equal(matrix, matrix.T, check_names=False)


def test_france_is_the_hub(seeds):
    counts = cooccurrence(seeds, rows="partner", cols="partner")
    graph = partner_graph(counts)
    states = [n for n in graph if len(n) == 3 and n.isalpha() and n not in {"ARF"}]
    # France meets India, the EU, Vietnam and Pakistan
    assert {"IND", "EU", "VNM", "PAK"} <= set(graph.neighbors("FRA"))
    assert max(states, key=graph.degree) == "FRA"
    assert counts.loc["FRA", "FRA"] == 4  # in four of five documents


def test_units_sentence_and_event(seeds):
    by_doc = cooccurrence(seeds, rows="partner", cols="partner")
    by_event = cooccurrence(seeds, rows="partner", cols="partner", unit="event")
    by_sentence = cooccurrence(seeds, rows="partner", cols="partner", unit="sentence")
    assert by_doc.loc["FRA", "IND"] == 2
    assert by_event.loc["FRA", "IND"] == 1  # 000 and 001 report one meeting
    assert by_sentence.loc["FRA", "IND"] > by_doc.loc["FRA", "IND"]
    with pytest.raises(ValueError, match="needs an 'event' column"):
        cooccurrence(load_corpus(), unit="event")


def test_sentences_respect_titles():
    text = "It was co-chaired by Ms. Alice Rufo, Director General. Sen. Lieut. Gen. Chien spoke."
    assert [text[a:b].strip() for a, b in split_sentences(text)] == [
        "It was co-chaired by Ms. Alice Rufo, Director General.",
        "Sen. Lieut. Gen. Chien spoke.",
    ]


def test_one_partner_only_gives_a_clear_answer():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "France discussed defence.",
                "France spoke of defence and trade.",
                "France and trade.",
            ],
        }
    )
    with pytest.raises(
        ValueError, match="needs at least two partners; the corpus names only 'FRA'"
    ):
        cooccurrence(corpus, rows="partner", cols="partner")
    npmi = cooccurrence(corpus, rows="partner", cols="theme", measure="npmi")
    assert npmi.notna().all().all()
    assert npmi.loc["FRA"].tolist() == [0.0, 0.0]  # in every document: independent of anything
    tiny = corpus.head(1)
    with pytest.raises(ValueError, match="lower min_support"):
        cooccurrence(tiny, rows="partner", cols="theme", measure="pmi")


def test_bad_choices_list_the_valid_values(seeds):
    with pytest.raises(ValueError, match="measure='odds' is not valid; choose one of: 'count'"):
        cooccurrence(seeds, measure="odds")
    with pytest.raises(ValueError, match="unit='page' is not valid"):
        cooccurrence(seeds, unit="page")


def test_dyad_profiles_show_each_agenda(seeds):
    profiles = dyad_profiles(seeds)
    top = profiles.groupby("dyad")["theme"].first().to_dict()
    assert top == {
        "EU-IND": "cyber_digital",
        "FRA-IND": "maritime_security",
        "FRA-PAK": "humanitarian_aid",
        "FRA-VNM": "defence",
    }
    per_event = dyad_profiles(seeds, unit="event")
    fra_ind = per_event[(per_event["dyad"] == "FRA-IND") & (per_event["theme"] == "nuclear_energy")]
    assert fra_ind["count"].iloc[0] == pytest.approx((1 + 3) / 2)  # mean of the two reports


def test_officials_on_the_seeds():
    truth = pd.read_csv("tests/data/officials_truth.csv", comment="#")
    corpus = annotate_documents(load_corpus())
    found = tag_officials(corpus)
    got = set(zip(found["doc_id"], found["official"], strict=True))
    want = set(zip(truth["doc_id"], truth["official"], strict=True))
    precision, recall = len(got & want) / len(got), len(got & want) / len(want)
    assert (precision, recall) == (1.0, 1.0)
    represented = found.drop_duplicates("official").set_index("official")["partner"]
    for official, partner in (
        truth.dropna(subset=["partner"])
        .drop_duplicates("official")[["official", "partner"]]
        .itertuples(index=False)
    ):
        assert represented[official] == partner, official


def test_officials_chairing_several_dialogues(seeds):
    table = official_dyads(seeds, tag_officials(seeds))
    several = table.groupby("official")["dyad"].apply(set)
    several = several[several.map(len) > 1].to_dict()
    assert several == {
        "Anne-Marie Descôtes": {"FRA-IND", "FRA-PAK"},
        "Alice Rufo": {"FRA-IND", "FRA-VNM"},
    }


def test_officials_matching_is_accent_and_case_insensitive():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Secretary General Anne-Marie Descôtes met them.",
                "Talks with ANNE-MARIE DESCOTES and with Descotes again.",
            ],
        }
    )
    found = tag_officials(corpus)
    assert found["official"].tolist() == ["Anne-Marie Descôtes"] * 3
    assert found["match"].tolist() == ["Anne-Marie Descôtes", "ANNE-MARIE DESCOTES", "Descotes"]


def test_officials_on_new_sentences():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Le ministre des Affaires étrangères Jean Dupont a reçu "
                "l'ambassadrice Marie Curie. The Joint Strategic Vision was adopted.",
                "Japan was represented by Deputy Minister Kenji Sato, while Mr. Tom Lee listened.",
            ],
        }
    )
    found = tag_officials(corpus)
    expected = ["Jean Dupont", "Kenji Sato", "Marie Curie", "Tom Lee"]
    assert sorted(set(found["official"])) == expected
    partners = found.drop_duplicates("official").set_index("official")["partner"]
    assert partners["Kenji Sato"] == "JPN"


def test_an_annotated_frame_is_counted_like_its_mentions():
    from bilat_analysis.tagging import tag_corpus

    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "BRUSSELS [Belgium] - India and France signed a defence pact on Monday.",
                "India and Japan discussed maritime security and trade.",
                "The weather was mild.",
            ],
        }
    )
    annotated = annotate_documents(corpus)
    partners, themes = tag_corpus(corpus)
    from_columns = cooccurrence(annotated, rows="partner", cols="theme")
    from_mentions = cooccurrence(
        annotated, rows="partner", cols="theme", mentions={"partner": partners, "theme": themes}
    )
    pd.testing.assert_frame_equal(from_columns, from_mentions)
    assert "BEL" not in from_columns.index  # the dateline's bracket names the venue
    assert from_columns.loc["IND", "defence"] == 1
    assert from_columns.loc["IND", "maritime_security"] == 1
    assert counted_mentions(annotated.iloc[[2]], "partner").empty  # nothing found: no row


def test_a_tagged_corpus_leaves_the_dateline_state_out_and_reads_the_texts_once(monkeypatch):
    """Sentences (and a frame without counts) are tagged: as annotate_documents counts."""
    from bilat_analysis import tagging

    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "BRUSSELS (Belgium), Jan 5 - India and France discussed defence and trade.",
                "Belgium and India discussed trade.",
            ],
        }
    )
    passes = []
    run_matchers = tagging._run_matchers

    def counted(group, *args, **kwargs):
        passes.append(len(group))
        return run_matchers(group, *args, **kwargs)

    monkeypatch.setattr(tagging, "_run_matchers", counted)
    by_sentence = cooccurrence(corpus, rows="partner", cols="theme", unit="sentence")
    assert passes == [2]  # partners and themes in one pass over the texts
    assert by_sentence.loc["BEL"].tolist() == [0, 1]  # Belgium is the venue in "a"
    assert by_sentence.loc["IND"].tolist() == [1, 2]
    tagged = cooccurrence(corpus, rows="partner", cols="theme")
    annotated = cooccurrence(annotate_documents(corpus), rows="partner", cols="theme")
    pd.testing.assert_frame_equal(tagged, annotated)
    assert tag_variable(corpus, "partner")["label"].tolist() == ["IND", "FRA", "BEL", "IND"]
    passes.clear()
    cooccurrence(corpus, rows="partner", cols="partner", unit="sentence")
    assert passes == [1]


def test_counted_mentions_refuses_a_variable_without_counts():
    with pytest.raises(ValueError, match="official"):
        counted_mentions(pd.DataFrame({"doc_id": ["a"]}), "dyad")


@pytest.mark.parametrize("folder", ["seeds", "eval", "eval_heldout"])
@pytest.mark.parametrize("unit", ["document", "event"])
def test_officials_counted_by_annotation_give_the_tagged_matrices(folder, unit, monkeypatch):
    # annotate_documents' officials column stands for tag_officials in document and event units
    import warnings
    from pathlib import Path

    from bilat_analysis import officials as officials_module

    source = None if folder == "seeds" else Path(__file__).parent / "data" / folder
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # coverage warnings of the eval languages
        annotated = annotate_topics(annotate_documents(load_corpus(source)))
    mentions = {"official": tag_officials(annotated)}
    if folder == "eval_heldout":  # it names no official with a title
        assert mentions["official"].empty and not any(annotated["officials"])
        return

    def refuse(*args, **kwargs):
        raise AssertionError("the officials were tagged again")

    for rows, cols, measure in [
        ("official", "partner", "count"),
        ("official", "theme", "count"),
        ("official", "official", "count"),
        ("official", "partner", "jaccard"),
    ]:
        expected = cooccurrence(
            annotated,
            rows=rows,
            cols=cols,
            unit=unit,
            measure=measure,
            mentions=mentions,
            min_support=1,
        )
        with monkeypatch.context() as patch:
            patch.setattr(officials_module, "tag_officials", refuse)
            got = cooccurrence(
                annotated, rows=rows, cols=cols, unit=unit, measure=measure, min_support=1
            )
        pd.testing.assert_frame_equal(got, expected)
        assert got.shape[0] > 1


# --------------------------------------------------------------------------- fast == plain


def _plain_profiles(annotated, unit):
    """dyad_profiles as first written: one Python step per (dyad, theme) cell."""
    from scipy.stats import chi2

    frame = annotated[annotated["dyad"].notna()]
    counts = pd.DataFrame(list(frame["themes"]), index=frame.index).fillna(0.0)
    counts["dyad"] = ["-".join(d) for d in frame["dyad"]]
    if unit == "event":
        counts["event"] = frame["event"].to_numpy()
        counts = counts.groupby(["dyad", "event"]).mean().reset_index(level="event", drop=True)
        counts = counts.reset_index()
    totals = counts.groupby("dyad").sum()
    everything = totals.sum(axis=0)
    grand = float(everything.sum())
    rows = []
    for dyad, theme_counts in totals.iterrows():
        size = float(theme_counts.sum())
        rest = grand - size
        for theme, a in theme_counts.items():
            b = float(everything[theme] - a)
            if a == 0 and b == 0:
                continue
            g2, total = 0.0, size + rest
            for observed, row_total, col_total in (
                (a, size, a + b),
                (b, rest, a + b),
                (size - a, size, total - a - b),
                (rest - b, rest, total - a - b),
            ):
                expected = row_total * col_total / total if total else 0.0
                if observed > 0 and expected > 0:
                    g2 += observed * math.log(observed / expected)
            g2 *= 2
            share = a / size if size else 0.0
            rest_share = b / rest if rest else 0.0
            log_ratio = math.log2(((a + 0.5) / max(size, 1e-9)) / ((b + 0.5) / max(rest, 1e-9)))
            sign = 1 if share >= rest_share else -1
            rows.append(
                (dyad, theme, a, share, rest_share, log_ratio, sign * g2, float(chi2.sf(g2, 1)))
            )
    table = pd.DataFrame(
        rows,
        columns=["dyad", "theme", "count", "share", "rest_share", "log_ratio", "g2", "p_value"],
    )
    table = table.sort_values(["dyad", "g2", "theme"], ascending=[True, False, True])
    return table.round(
        {"share": 3, "rest_share": 3, "log_ratio": 3, "g2": 3, "p_value": 4}
    ).reset_index(drop=True)


def _plain_sentence_rows(corpus, mentions):
    """Each mention's sentence, one document and one mention at a time."""
    names, starts_by_doc, first_row = [], {}, {}
    for doc_id, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        spans = split_sentences(text)
        first_row[doc_id] = len(names)
        starts_by_doc[doc_id] = np.array([a for a, _ in spans])
        names += [f"{doc_id}#{k}" for k in range(len(spans))]
    rows = [
        first_row[d] + int(np.searchsorted(starts_by_doc[d], s, side="right")) - 1
        for d, s in zip(mentions["doc_id"], mentions["start"], strict=True)
    ]
    return names, rows


@pytest.fixture(scope="module")
def synthetic():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import make_corpus

    busy = {"top_dyads": 4, "top_share": 0.7, "days": 30}  # events of several reports
    return annotate_topics(annotate_documents(make_corpus(300, seed=5, **busy)))


@pytest.mark.parametrize("unit", ["document", "event"])
@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_dyad_profiles_match_the_plain_computation(corpus, unit, request):
    annotated = request.getfixturevalue(corpus)
    got = dyad_profiles(annotated, unit=unit)
    pd.testing.assert_frame_equal(got, _plain_profiles(annotated, unit))
    assert len(got) > 10


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_sentence_incidence_matches_the_plain_computation(corpus, request):
    annotated = request.getfixturevalue(corpus)
    for variable in ("partner", "theme"):
        mentions = tag_variable(annotated, variable)
        names, rows = _plain_sentence_rows(annotated, mentions)
        got = incidence(annotated, mentions, unit="sentence")
        assert got.units == names
        coo = got.matrix.tocoo()
        pairs = zip(rows, mentions["label"], strict=True)
        expected = {(r, got.labels.index(label)) for r, label in pairs}
        assert set(zip(coo.row.tolist(), coo.col.tolist(), strict=True)) == expected
    # the texts are split once for both variables; a changed corpus is split again
    again = incidence(annotated, tag_variable(annotated, "partner"), unit="sentence")
    assert again.units is got.units
    changed = annotated.assign(text=annotated["text"] + " Extra sentence.")
    assert len(incidence(changed, mentions, unit="sentence").units) == len(names) + len(annotated)


def test_sentence_incidence_refuses_a_mention_of_another_corpus(seeds):
    mentions = pd.DataFrame({"doc_id": ["nowhere"], "label": ["IND"], "start": [0]})
    with pytest.raises(ValueError, match="not in the corpus: 'nowhere'"):
        incidence(seeds, mentions, unit="sentence")


def _plain_split(text):
    """split_sentences as first written: a look-behind for the full stop."""
    import re

    end = re.compile(r"(?<=[.!?])[\"”»)\]]*\s+(?=[\"“«(\[]?[A-ZÀ-ÖØ-Þ0-9])|\n\s*\n")
    abbreviation = re.compile(
        r"\b(?:Mr|Ms|Mrs|Dr|Gen|Lieut|Sen|Col|Adm|St|M|Mme|No|Nos|Jan|Feb|Mar|Apr|Aug|Sept|Sep|"
        r"Oct|Nov|Dec|U\.S|U\.K|U\.N|etc|vs|e\.g|i\.e|[A-Z])\.\Z"
    )
    spans, start = [], 0
    for match in end.finditer(text):
        if abbreviation.search(text[max(start, match.start() - 8) : match.start()]):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def test_split_sentences_matches_the_plain_pattern(seeds, synthetic):
    tricky = [
        "?!  X", ".\n\nx", "Mr.\n\nSmith. Ok", "a.\n \nB", "“Yes.” Then", "x!? «Oui»",
        "U.S. officials met. Fine!", "", ".", "\n\n", "a. ", "No. 5 was. 6 too",
    ]  # fmt: skip
    for text in [*tricky, *seeds["text"], *synthetic["text"]]:
        assert split_sentences(text) == _plain_split(text), text


def test_split_sentences_matches_the_plain_pattern_on_random_titles_and_stops():
    # titles, initials, stops, quotes and blank lines run together in every order
    pieces = [
        "Mr.", "Mrs.", "Ms.", "M.", "Gen.", "Lieut.", "Sept.", "Sep.", "U.S.", "U.K.", "e.g.",
        "i.e.", "i.e.g.", "etc.", "vs.", "No.", "A.", "a.", "Xmr.", "St.", ".", "!", "?", "!?",
        "...", " ", "  ", "\n", "\n\n", "\n \n", "\t", '"', "”", "«", "»", ")", "(", "[",
        "]", "“", "Smith", "smith", "India", "Élysée", "3", "2025", "x", "Y", "Ümit", "é",
    ]  # fmt: skip
    rng = np.random.default_rng(7)
    for _ in range(5000):
        text = "".join(rng.choice(pieces, size=int(rng.integers(1, 25))))
        assert split_sentences(text) == _plain_split(text), repr(text)


def test_the_hubs_and_their_tables_leave_the_dateline_venue_out():
    """The front page's hubs count what cooccurrence counts: a bracketed venue is no partner."""
    from bilat_analysis.cooccurrence import variable_mentions
    from bilat_analysis.findings import _hub_table
    from bilat_analysis.tagging import tag_partners

    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "BRUSSELS [Belgium] - India and France discussed defence.",
                "Japan and India discussed trade.",
            ],
        }
    )
    annotated = annotate_documents(corpus)
    found = tag_partners(corpus)
    assert "BEL" in set(variable_mentions(found, "partner")["label"])  # without the texts
    kept = variable_mentions(found, "partner", corpus=corpus)
    assert kept["label"].tolist() == ["IND", "FRA", "JPN", "IND"]
    hubs = _hub_table(annotated, found)
    assert sorted(hubs["partner"]) == ["FRA", "IND", "JPN"]
    assert hubs.set_index("partner").loc["IND", "partners_met"] == 2
