from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.events import evidence_features, group_events, main_formats


@pytest.fixture(scope="module")
def seeds():
    return annotate_documents(load_corpus())


def groups(events):
    return sorted(events.groupby("event")["doc_id"].apply(sorted).tolist())


def test_meeting_formats_of_the_seeds(seeds):
    assert main_formats(seeds).tolist() == [
        "foreign_office_consultations",
        "foreign_office_consultations",
        "thematic_dialogue",
        "strategic_dialogue",
        "foreign_office_consultations",
    ]


def test_seed_events_only_000_and_001(seeds):
    events = group_events(seeds)
    groups = events.groupby("event")["doc_id"].apply(list).tolist()
    assert sorted(groups) == [
        ["000_61ed17e4f0eb13e1", "001_6ec640c84f295659"],
        ["002_450c98cabd7aa83b"],
        ["003_f2962e5216b1e2df"],
        ["004_c3763a8b70dd2c1f"],
    ]


def test_events_need_close_dates_and_the_same_dyad(seeds):
    moved = seeds.copy()
    moved.loc[1, "date"] = moved.loc[0, "date"] + pd.Timedelta(days=30)
    assert group_events(moved)["event"].nunique() == 5
    other = seeds.copy()
    other.loc[1, "dyad"] = ("FRA", "JPN")
    assert group_events(other)["event"].nunique() == 5


def test_a_document_without_a_format_blocks_nothing(seeds):
    # under pandas 3 a missing string is NaN, which is truthy: a report that names no
    # format must still join a report of the same meeting that names one
    from bilat_analysis.tagging import tag_formats

    formats = tag_formats(seeds)
    formats = formats[formats["doc_id"] != "001_6ec640c84f295659"]
    chosen = main_formats(seeds, formats)
    assert chosen.iloc[1] is None and chosen.iloc[0] == "foreign_office_consultations"
    events = group_events(seeds, formats=formats)
    assert ["000_61ed17e4f0eb13e1", "001_6ec640c84f295659"] in groups(events)
    assert events["format"].iloc[1] is None


def test_a_different_format_or_host_keeps_reports_apart(seeds):
    other_host = seeds.copy()
    other_host.loc[1, "host"] = "IND"
    assert len(groups(group_events(other_host))) == 5


def frame(rows):
    table = pd.DataFrame(rows, columns=["doc_id", "text", "date", "language"])
    return table.assign(date=pd.to_datetime(table["date"]))


RU = (
    "Министр иностранных дел России Сергей Лавров провёл переговоры с министром иностранных дел "
    "Турции Хаканом Фиданом в Анкаре 14 апреля 2024 года. Стороны обсудили торговлю и "
    "энергетику, в том числе поставки 21500 тонн зерна."
)
EN = (
    "Russian Foreign Minister Sergei Lavrov held talks with Turkish Foreign Minister Hakan Fidan "
    "in Ankara on 14 April 2024. Russia and Turkey discussed trade and energy, including "
    "deliveries of 21500 tonnes of grain."
)
EN_OTHER = (
    "Russia and Turkey signed a memorandum on tourism and education in Moscow on 15 April 2024, "
    "with 120 universities taking part in student exchanges."
)


def test_reports_of_one_meeting_in_two_languages_are_joined():
    corpus = annotate_documents(
        frame(
            [
                ("ru", RU, "2024-04-14", "ru"),
                ("en", EN, "2024-04-14", "en"),
                ("other", EN_OTHER, "2024-04-15", "en"),
            ]
        )
    )
    # the tags are given here so that the test is about events, not about tagging
    corpus["dyad"] = [("RUS", "TUR")] * 3
    corpus["host"] = ["TUR", "TUR", "RUS"]
    corpus["themes"] = [{"trade_investment": 1, "energy": 1}] * 2 + [{"education_culture": 4}]
    evidence = evidence_features(corpus, [None] * 3, pd.DataFrame(columns=["doc_id", "official"]))
    assert evidence.shape[0] == 3
    assert groups(group_events(corpus)) == [["en", "ru"], ["other"]]


def test_undated_documents_are_compared_without_all_pairs(seeds):
    undated = seeds.assign(date=pd.NaT)
    events = group_events(undated)
    # 000 and 001 share 0.50 of their words: below the 0.6 asked of undated reports
    assert len(groups(events)) == 5
    twice = pd.concat([undated, undated.assign(doc_id=undated["doc_id"] + "~copy")])
    assert len(groups(group_events(twice))) == 5


@pytest.mark.parametrize("size", [0, 1, 2])
def test_degenerate_corpora(seeds, size):
    events = group_events(seeds.head(size))
    assert len(events) == size
    assert events["event_size"].dtype == np.int64
    assert events["doc_id"].tolist() == seeds["doc_id"].head(size).tolist()


def test_identical_documents_become_one_event(seeds):
    copies = pd.concat([seeds.head(1)] * 4, ignore_index=True)
    copies["doc_id"] = [f"copy{i}" for i in range(4)]
    assert groups(group_events(copies)) == [["copy0", "copy1", "copy2", "copy3"]]


def test_officials_found_without_partner_tagging_are_the_same_names(seeds):
    # group_events finds officials without tagging partners (it needs the names only)
    from bilat_analysis.officials import tag_officials
    from bilat_analysis.tagging import PARTNER_MENTION_COLUMNS

    full = tag_officials(seeds)
    no_partners = pd.DataFrame(columns=PARTNER_MENTION_COLUMNS)
    names_only = tag_officials(seeds, partner_mentions=no_partners)
    columns = ["doc_id", "official", "start", "end"]
    pd.testing.assert_frame_equal(full[columns], names_only[columns])
    assert names_only["partner"].isna().all() and full["partner"].notna().any()


@pytest.fixture(scope="module", params=["spread", "skewed"])
def crowded(request):
    """The evaluation set (13 languages) crowded into 12 days and 3 dyads: many candidates.

    "skewed": one dyad holds most reports, on 3 days.
    """
    import warnings
    from pathlib import Path

    from bilat_analysis.officials import tag_officials
    from bilat_analysis.tagging import tag_formats

    folder = Path(__file__).parent / "data" / "eval"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = [load_corpus(path) for path in sorted(folder.glob("*.jsonl"))]
    corpus = pd.concat(parts, ignore_index=True)
    corpus["doc_id"] = [f"{i:03d}_{d}" for i, d in enumerate(corpus["doc_id"])]
    annotated = annotate_documents(corpus)
    rng = np.random.default_rng(7)
    skewed = request.param == "skewed"
    annotated["date"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(
        rng.integers(0, 3 if skewed else 12, len(annotated)), unit="D"
    )
    dyads = [("IND", "USA"), ("CHN", "RUS"), ("FRA", "IND"), None]
    drawn = rng.choice(4, len(annotated), p=[0.8, 0.1, 0.05, 0.05]) if skewed else None
    if drawn is None:
        drawn = rng.integers(0, 4, len(annotated))
    annotated["dyad"] = [dyads[k] for k in drawn]
    formats, officials = tag_formats(annotated), tag_officials(annotated)
    return annotated, formats, officials


def brute_force_events(annotated, formats, officials, words, threshold, evidence_threshold, days):
    """Every pair compared, in float64, by the rules of group_events' docstring (dated reports)."""
    from bilat_analysis import events as module

    fmt = module.main_formats(annotated, formats).tolist()
    evidence = module.evidence_features(annotated, fmt, officials).toarray().astype(np.float64)
    word_sim = words.toarray().astype(np.float64) @ words.toarray().T.astype(np.float64)
    evidence_sim = evidence @ evidence.T
    day = module._days(annotated)
    language, host = annotated["language"].tolist(), annotated["host"].tolist()
    dyad = annotated["dyad"].tolist()

    def agree(a, b):
        return module._missing(a) or module._missing(b) or a == b

    n = len(annotated)
    joined, candidates = [], []
    for i in range(n):
        for j in range(i + 1, n):
            gap = abs(day[i] - day[j])
            same = language[i] == language[j]
            if dyad[i] != dyad[j] or gap > days or not agree(host[i], host[j]):
                continue
            if same and not agree(fmt[i], fmt[j]):
                continue
            if same and word_sim[i, j] >= threshold:
                joined.append((i, j))
            if (
                gap <= min(days, module.EVIDENCE_MAX_DAYS)
                and evidence_sim[i, j] >= evidence_threshold
                and (not same or word_sim[i, j] >= threshold * 0.5)
            ):
                candidates.append((i, j))
    best = {}
    for i, j in candidates:
        for doc, other in ((i, j), (j, i)):
            key = (doc, language[other])
            rank = (-evidence_sim[i, j], other)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, other)
    joined += [
        (i, j)
        for i, j in candidates
        if best[(i, language[j])][1] == j and best[(j, language[i])][1] == i
    ]
    union = module._UnionFind(n)
    for i, j in joined:
        union.union(i, j)
    doc_ids = annotated["doc_id"].tolist()
    found = defaultdict(list)
    for i in range(n):
        found[union.find(i)].append(doc_ids[i])
    pairs = np.concatenate([word_sim[np.triu_indices(n, 1)], evidence_sim[np.triu_indices(n, 1)]])
    return sorted(found.values()), pairs


@pytest.mark.parametrize(
    ("threshold", "evidence_threshold", "days"),
    [(0.3, 0.3, 3), (0.0, 0.3, 3), (0.3, 0.0, 1), (0.5, 0.2, 0), (0.2, 0.25, 7)],
)
def test_events_are_those_of_comparing_every_pair(crowded, threshold, evidence_threshold, days):
    from bilat_analysis.events import _word_vectors

    annotated, formats, officials = crowded
    words = _word_vectors(annotated["text"], 1)
    expected, similarities = brute_force_events(
        annotated, formats, officials, words, threshold, evidence_threshold, days
    )
    # no similarity so close to a threshold that float32 and float64 could disagree
    for limit in {threshold, threshold * 0.5, evidence_threshold} - {0.0}:
        near = similarities[np.abs(similarities - limit) < 2e-6]
        assert len(near) == 0, (limit, near[:5])
    events = group_events(
        annotated,
        formats=formats,
        officials=officials,
        words=words,
        threshold=threshold,
        evidence_threshold=evidence_threshold,
        max_days=days,
    )
    assert groups(events) == expected
    assert len(expected) < len(annotated) - 10  # the crowded corpus has many events


def test_evidence_is_the_same_whatever_holds_the_texts(seeds):
    from bilat_analysis.officials import tag_officials

    officials = tag_officials(seeds)
    as_objects = seeds.assign(text=seeds["text"].astype(object))
    arrow = evidence_features(seeds, [None] * 5, officials)
    objects = evidence_features(as_objects, [None] * 5, officials)
    assert arrow.shape == objects.shape and (arrow != objects).nnz == 0
    assert arrow.nnz > 0  # the seeds have evidence


def test_numbers_read_a_slice_of_leads_at_a_time_are_the_same(seeds, monkeypatch):
    from bilat_analysis import events as module

    texts = seeds["text"]
    expected = [module._numbers(text[: module.NUMBERS_PREFIX]) for text in texts.tolist()]
    assert any(expected)  # the seeds state some figures
    monkeypatch.setattr(module, "LEADS_AT_ONCE", 2)  # slices of 2, 2 and 1 texts
    for held in (texts, texts.astype(object)):
        assert module._lead_numbers(held, range(5)) == expected
        assert module._lead_numbers(held, range(1, 4)) == expected[1:4]


def test_pair_dots_are_the_sparse_products_to_the_last_bit(monkeypatch):
    import scipy.sparse as sp

    from bilat_analysis import events
    from bilat_analysis.events import _pair_dots

    rng = np.random.default_rng(5)
    dense = rng.random((300, 400)) * (rng.random((300, 400)) < 0.2)
    dense[:, :20] = rng.random((300, 20))  # common columns: long sums
    matrix = sp.csr_matrix(dense.astype(np.float32))
    first, second = rng.integers(0, 300, (2, 1000))
    products = np.array(
        [(matrix[i] @ matrix[j].T).toarray()[0, 0] for i, j in zip(first, second, strict=True)]
    )
    assert np.array_equal(_pair_dots(matrix, first, second), products)
    # rows stored out of column order: summed in their stored order, as the product does
    shuffled = matrix.copy()
    for row in range(300):
        lo, hi = shuffled.indptr[row], shuffled.indptr[row + 1]
        turn = rng.permutation(hi - lo)
        shuffled.indices[lo:hi] = shuffled.indices[lo:hi][turn]
        shuffled.data[lo:hi] = shuffled.data[lo:hi][turn]
    shuffled.has_sorted_indices = False
    assert not shuffled.has_canonical_format
    in_stored_order = np.array(
        [(shuffled[i] @ shuffled[j].T).toarray()[0, 0] for i, j in zip(first, second, strict=True)]
    )
    assert np.array_equal(_pair_dots(shuffled, first, second), in_stored_order)
    # a block of pairs at a time on two threads: the same values in the same places
    monkeypatch.setattr(events, "DOT_PAIRS_AT_ONCE", 64)
    assert np.array_equal(_pair_dots(shuffled, first, second, n_jobs=2), in_stored_order)
    assert np.array_equal(_pair_dots(matrix, first, second, n_jobs=2), products)


def test_best_matches_are_each_others_most_similar_the_first_among_equals():
    from bilat_analysis.events import _best_matches

    rng = np.random.default_rng(8)
    language = rng.integers(-1, 3, 60)  # -1: no language
    pairs = {}
    while len(pairs) < 400:
        a, b = sorted(rng.choice(60, 2, replace=False).tolist())
        pairs[a, b] = rng.choice([0.3, 0.4, 0.5, 0.75], p=[0.4, 0.3, 0.2, 0.1])  # ties
    first, second = (np.array(x) for x in zip(*pairs, strict=True))
    similarity = np.array(list(pairs.values()), dtype=np.float32)

    def best(doc, lang):
        counterparts = [
            (-sim, other)
            for (a, b), sim in pairs.items()
            for mine, other in ((a, b), (b, a))
            if mine == doc and language[other] == lang
        ]
        return min(counterparts)[1]

    expected = [(a, b) for a, b in pairs if best(a, language[b]) == b and best(b, language[a]) == a]
    # in two parts, as the evidence pairs come
    kept = _best_matches(
        [
            (first[:150], second[:150], similarity[:150]),
            (first[150:], second[150:], similarity[150:]),
        ],
        language,
    )
    assert sorted(zip(*(x.tolist() for x in kept), strict=True)) == sorted(expected)
    assert 20 < len(expected) < 200
    assert [len(x) for x in _best_matches([], language)] == [0, 0]


def crowded_rows(n_docs, seed):
    """Zipf-like unit rows (every row holds the common columns), a few of them copied."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    columns = 3000
    weights = 1 / np.arange(1, columns + 1)
    counts = rng.poisson(weights * 400, size=(n_docs, columns)).astype(np.float32)
    counts[n_docs // 2 : n_docs // 2 + 20] = counts[:20]  # copies: ties at 1
    tfidf = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0) * np.log(
        n_docs / (1 + (counts > 0).sum(axis=0))
    ).clip(0.1)
    tfidf /= np.linalg.norm(tfidf, axis=1, keepdims=True)
    return sp.csr_matrix(tfidf.astype(np.float32))


@pytest.mark.parametrize("minimum", [0.3, 0.15, 0.5, "tie"])
def test_window_pairs_leaving_out_common_columns_finds_the_same_pairs(monkeypatch, minimum):
    from bilat_analysis import events as module

    rows = crowded_rows(600, seed=1)
    rng = np.random.default_rng(2)
    group = (rng.random(600) < 0.2).astype(np.int64)  # a dyad with 80% of the documents
    days = rng.integers(0, 4, 600).astype(float)  # on four days
    days[::50] = np.nan
    if minimum == "tie":  # a pair exactly at the minimum is kept, as by the full sweep
        *_, value = module._window_pairs(rows, group, days, 2, 0.1)
        minimum = float(np.sort(value)[len(value) // 2])
    assert module._sweep_columns(rows, np.arange(600), minimum)[
        1
    ].any()  # common columns are left out
    found = module._window_pairs(rows, group, days, 2, minimum)
    monkeypatch.setattr(module, "COMMON_SHARE", 0.0)  # the full sweep
    assert not module._sweep_columns(rows, np.arange(600), minimum)[1].any()
    expected = module._window_pairs(rows, group, days, 2, minimum)
    assert len(expected[0]) > 10

    def in_order(pairs):  # the pairs come in another order
        first, second, value = pairs
        at = np.lexsort((second, first))
        return first[at], second[at], value[at]

    for got, want in zip(in_order(found), in_order(expected), strict=True):
        assert np.array_equal(got, want)


def test_window_pairs_of_two_processes_are_those_of_one_in_the_order_of_the_sweep(monkeypatch):
    # the blocks are dealt among the processes' chunks and their pairs put back in order
    from bilat_analysis import events as module

    rows = crowded_rows(600, seed=3)
    rng = np.random.default_rng(4)
    group = rng.integers(0, 3, 600)
    days = rng.integers(0, 30, 600).astype(float)
    monkeypatch.setattr(module, "PAIR_BLOCK", 16)  # some fifty blocks
    monkeypatch.setattr(module, "PARALLEL_BLOCKS", 4)
    one = module._window_pairs(rows, group, days, 3, 0.15, n_jobs=1)
    two = module._window_pairs(rows, group, days, 3, 0.15, n_jobs=2)
    for got, want in zip(two, one, strict=True):
        assert np.array_equal(got, want)
    first = one[0]
    assert len(first) > 50
    assert (np.diff(group[first] * 1000 + days[first]) >= 0).all()  # by group and date


def test_reports_sent_twice_group_as_without_leaving_out_common_words(crowded, monkeypatch):
    # copies: word and evidence cosines of 1 and ties for the best match in every language
    from bilat_analysis import events as module

    annotated, formats, officials = crowded
    again = annotated.head(20).assign(doc_id=lambda c: c["doc_id"] + "~again")
    twice = pd.concat([annotated, again], ignore_index=True)
    words = module._word_vectors(twice["text"], 1)
    assert module._sweep_columns(words, np.arange(words.shape[0]), 0.3)[1].any()
    options = {"formats": formats, "officials": officials, "words": words}
    found = module.group_events(twice, **options)
    monkeypatch.setattr(module, "COMMON_SHARE", 0.0)  # every column in the sweep
    pd.testing.assert_frame_equal(found, module.group_events(twice, **options))
    assert (found["event_size"] > 1).sum() >= 40


def test_leaving_out_common_columns_keeps_the_rows_apart_with_empty_rows_anywhere(monkeypatch):
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from bilat_analysis import events as module

    monkeypatch.setattr(module, "NORM_ROWS", 7)  # rows read a few at a time
    rng = np.random.default_rng(0)
    dense = rng.random((40, 30)) * (rng.random((40, 30)) < 0.3)
    dense[:, :3] += 0.5  # three common columns
    dense[:, 29] = 0  # a column no row uses
    dense[[0, 7, 38, 39]] = 0  # empty rows, first and last ones among them
    matrix = normalize(sp.csr_matrix(dense.astype(np.float32)))
    column, bound = module._sweep_columns(matrix, np.arange(40), 0.9)
    held = (dense != 0).any(axis=0)
    common = held & (column < 0)
    assert common.any()  # some columns were left out
    assert np.array_equal(column[column >= 0], np.arange((column >= 0).sum()))  # in order
    assert np.array_equal(column >= 0, held & ~common)
    left_out = matrix[:, np.flatnonzero(common)]
    assert np.allclose(np.sqrt(left_out.multiply(left_out).sum(axis=1)).A1, bound)
    rows = rng.permutation(40)[:35]
    swept = module._swept_rows(matrix, rows, column)
    assert swept.shape == (35, (column >= 0).sum())
    for at, row in enumerate(rows):  # each row keeps its other entries, in their order
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        whole = matrix.indices[start:end]
        kept = column[whole] >= 0
        assert swept.indices[swept.indptr[at] : swept.indptr[at + 1]].tolist() == (
            column[whole][kept].tolist()
        )
        assert np.array_equal(
            swept.data[swept.indptr[at] : swept.indptr[at + 1]], matrix.data[start:end][kept]
        )


@pytest.mark.parametrize("folder", ["eval", "eval_heldout"])
def test_annotation_gives_the_main_format_of_the_format_mentions(folder):
    # annotate_documents finds the formats in the pass that finds partners and themes;
    # group_events reads that column instead of tagging the texts again
    from pathlib import Path

    from bilat_analysis.tagging import tag_formats

    corpus = load_corpus(Path(__file__).parent / "data" / folder)
    annotated = annotate_documents(corpus)
    expected = main_formats(corpus, tag_formats(corpus)).tolist()
    assert annotated["format"].tolist() == expected
    assert annotated["format"].dtype == object
    assert sum(f is not None for f in expected) >= 10  # formats in several languages
    assert annotated.loc[annotated["format"].isna(), "format"].map(type).eq(type(None)).all()
    tagged = group_events(annotated.drop(columns="format"))
    pd.testing.assert_frame_equal(group_events(annotated), tagged)


def test_annotation_of_the_seeds_has_their_main_formats(seeds):
    assert seeds["format"].tolist() == main_formats(seeds).tolist()


@pytest.mark.parametrize("folder", ["seeds", "eval", "eval_heldout"])
def test_events_from_the_officials_column_equal_those_from_tagging(folder):
    # annotate_documents counts the officials; group_events reads that column instead of
    # tagging the texts again: the same events and the same evidence
    from pathlib import Path

    from bilat_analysis.officials import tag_officials
    from bilat_analysis.tagging import PARTNER_MENTION_COLUMNS

    source = None if folder == "seeds" else Path(__file__).parent / "data" / folder
    annotated = annotate_documents(load_corpus(source))
    tagged = group_events(annotated.drop(columns="officials"))
    pd.testing.assert_frame_equal(group_events(annotated), tagged)
    no_partners = pd.DataFrame(columns=PARTNER_MENTION_COLUMNS)
    table = tag_officials(annotated, partner_mentions=no_partners)
    formats = annotated["format"].tolist()
    from_column = evidence_features(annotated, formats)
    from_table = evidence_features(annotated, formats, table)
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(from_column, part), getattr(from_table, part))
    assert from_column.shape == from_table.shape


def test_group_events_reads_the_officials_column_without_tagging(seeds, monkeypatch):
    from bilat_analysis import events as events_module

    def refuse(*args, **kwargs):
        raise AssertionError("the officials were tagged again")

    monkeypatch.setattr(events_module, "tag_officials", refuse)
    assert "officials" in seeds.columns
    assert group_events(seeds)["event_size"].max() == 2


def test_crowded_events_from_the_officials_column_equal_those_from_tagging(crowded):
    # many candidates across languages, where the officials' evidence joins reports
    annotated, formats, officials = crowded
    from_column = group_events(annotated)
    pd.testing.assert_frame_equal(from_column, group_events(annotated, officials=officials))
    pd.testing.assert_frame_equal(
        from_column, group_events(annotated.drop(columns="officials"), formats=formats)
    )
    assert (from_column["event_size"] > 1).sum() > 10
