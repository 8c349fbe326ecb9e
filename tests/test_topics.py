from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.paths import data_file
from bilat_analysis.topics import (
    annotate_topics,
    cluster_documents,
    fit_topics,
    make_vectorizer,
    stop_words,
)


@pytest.fixture(scope="module")
def bilingual():
    # three subjects x two languages: cyber (India-EU) and defence (Vietnam-France)
    return load_corpus(data_file("bilingual_example.csv"))


@pytest.fixture(scope="module")
def seeds():
    return annotate_documents(load_corpus())


def clusters(result):
    return dict(zip(result.documents["doc_id"], result.documents["cluster"], strict=True))


def test_vectorizer_folds_accents_and_drops_both_languages_stop_words():
    vocabulary = make_vectorizer().fit(["La coopération et the cooperation"]).vocabulary_
    assert set(vocabulary) == {"cooperation", "cooperation cooperation"}
    assert {"the", "les", "des", "quelqu"} <= stop_words()


def test_concept_features_are_the_weighted_features_of_each_row_s_tags(bilingual):
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    import bilat_analysis.topics as topics

    annotated = annotate_documents(pd.concat([bilingual, load_corpus()], ignore_index=True))
    annotated.loc[1, ["partners", "themes"]] = [{}, {}]  # a row without a tag
    rows = [  # the plain way: one dict a row, its partners then its themes
        {**{f"partner:{k}": v for k, v in p.items()}, **{f"theme:{k}": v for k, v in t.items()}}
        for p, t in zip(annotated["partners"], annotated["themes"], strict=True)
    ]
    got, names = topics.concept_features(annotated)
    expected, expected_names = topics.weighted_features(rows)
    assert names == expected_names and "theme:defence" in names
    for part in ("indptr", "indices", "data"):  # each row's entries in the same order
        assert np.array_equal(getattr(got, part), getattr(expected, part)), part
    counts = TfidfTransformer(sublinear_tf=True).fit_transform(
        sp.csr_matrix([[row.get(n, 0) for n in names] for row in rows], dtype=np.float32)
    )
    assert np.allclose(got.toarray(), counts.toarray(), atol=1e-6)
    assert topics.concept_features(annotated.iloc[:0])[0].shape == (0, 0)


def test_concept_features_bring_languages_together(bilingual):
    with_concepts = clusters(cluster_documents(bilingual, k=2))
    assert with_concepts["en_cyber"] == with_concepts["fr_cyber"] == with_concepts["en_cyber2"]
    assert with_concepts["en_def"] == with_concepts["fr_def"] == with_concepts["en_def2"]
    assert with_concepts["en_cyber"] != with_concepts["en_def"]
    # words alone put the two French articles together
    without = clusters(cluster_documents(bilingual, k=2, concepts=False))
    assert without["fr_cyber"] == without["fr_def"]


def test_k_is_chosen_by_silhouette_over_2_to_n_minus_1(bilingual):
    result = cluster_documents(bilingual)
    assert result.silhouette["k"].tolist() == [2, 3, 4, 5]
    best = result.silhouette.loc[result.silhouette["silhouette"].idxmax(), "k"]
    assert result.k == best == 2


def test_two_runs_give_the_same_labels(seeds):
    first, second = cluster_documents(seeds), cluster_documents(seeds)
    pd.testing.assert_frame_equal(first.documents, second.documents)
    pd.testing.assert_frame_equal(first.terms, second.terms)


def test_seed_clusters_put_the_two_reports_together(seeds):
    result = cluster_documents(seeds)
    labels = clusters(result)
    assert labels["000_61ed17e4f0eb13e1"] == labels["001_6ec640c84f295659"]
    assert result.sizes["documents"].sum() == 5
    assert set(result.terms["cluster"]) == set(range(result.k))
    assert not result.terms["term"].str.contains(":").any()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_tiny_corpora_give_a_clear_result(seeds, n):
    result = cluster_documents(seeds.head(n))
    assert len(result.documents) == n
    if n < 3:
        assert result.k == 1
        assert result.silhouette.empty
        assert set(result.documents["cluster"]) == {0}
    else:
        assert result.k == 2


def test_bad_k_and_empty_corpus_are_clear_errors(seeds):
    with pytest.raises(ValueError, match="k=9 is not valid for 5 documents"):
        cluster_documents(seeds, k=9)
    with pytest.raises(ValueError, match="no documents to cluster"):
        cluster_documents(seeds.head(0))


def test_scalable_path_has_the_same_interface(bilingual):
    big = pd.concat([bilingual] * 20, ignore_index=True)
    big["doc_id"] = [f"{d}_{i}" for i, d in enumerate(big["doc_id"])]
    result = cluster_documents(big, scalable_threshold=50, k=2)
    assert result.method == "minibatch-lsa"
    assert list(result.documents.columns) == ["doc_id", "cluster", "x", "y", "dyad", "similarity"]
    by_subject = (
        result.documents.assign(subject=result.documents["doc_id"].str.contains("cyber"))
        .groupby("subject")["cluster"]
        .nunique()
    )
    assert (by_subject == 1).all()
    assert not result.terms.empty


def test_scalable_path_gives_the_same_clusters_on_one_core_or_two(bilingual):
    # k is chosen on threads and the SVD's products run on threads: nothing may change
    big = pd.concat([bilingual] * 20, ignore_index=True)
    big["doc_id"] = [f"{d}_{i}" for i, d in enumerate(big["doc_id"])]
    one, two = (cluster_documents(big, scalable_threshold=50, n_jobs=n) for n in (1, 2))
    assert len(one.silhouette) > 1  # k was chosen
    pd.testing.assert_frame_equal(one.silhouette, two.silhouette)
    pd.testing.assert_frame_equal(one.documents, two.documents)


def test_clustering_runs_on_one_blas_and_openmp_thread_and_restores_the_limits(
    bilingual, monkeypatch
):
    from threadpoolctl import ThreadpoolController

    from bilat_analysis import topics

    big = pd.concat([bilingual] * 20, ignore_index=True)
    big["doc_id"] = [f"{d}_{i}" for i, d in enumerate(big["doc_id"])]
    seen = []
    fit = topics._fit_kmeans

    def watched(*args, **kwargs):  # in the threads that fit the candidate k
        seen.append({(m["internal_api"], m["num_threads"]) for m in ThreadpoolController().info()})
        return fit(*args, **kwargs)

    monkeypatch.setattr(topics, "_fit_kmeans", watched)
    before = ThreadpoolController().info()
    cluster_documents(big, scalable_threshold=50, max_k=4, n_jobs=2)
    assert len(seen) == 3
    assert all({threads for _, threads in libraries} == {1} for libraries in seen)
    assert {api for api, _ in seen[0]} >= {"openmp", "openblas"}
    assert ThreadpoolController().info() == before


def test_nmf_topics(seeds):
    topics = fit_topics(seeds, n_topics=3)
    assert topics.terms.groupby("topic").size().tolist() == [8, 8, 8]
    shares = topics.weights.drop(columns="doc_id").sum(axis=1)
    assert np.allclose(shares, 1.0, atol=0.01)
    assert fit_topics(seeds.head(1), n_topics=5).weights.shape == (1, 2)


def test_annotate_topics_counts_events_per_cluster(seeds):
    annotated = annotate_topics(seeds)
    assert {"event", "event_size", "format", "cluster"} <= set(annotated.columns)
    result = cluster_documents(annotated)
    row = result.sizes[result.sizes["cluster"] == clusters(result)["000_61ed17e4f0eb13e1"]].iloc[0]
    assert (row["documents"], row["events"]) == (2, 1)


def test_large_corpus_chooses_k_on_a_sample_then_fits_every_document(bilingual, monkeypatch):
    from bilat_analysis import topics

    big = pd.concat([bilingual] * 20, ignore_index=True)
    big["doc_id"] = [f"{d}_{i}" for i, d in enumerate(big["doc_id"])]
    monkeypatch.setattr(topics, "CHOOSE_K_SAMPLE", 60)
    result = cluster_documents(big, scalable_threshold=50, max_k=4)
    again = cluster_documents(big, scalable_threshold=50, max_k=4)
    assert result.silhouette["k"].tolist() == [2, 3, 4]
    assert result.documents["cluster"].nunique() == result.k
    assert len(result.documents) == len(big)
    assert result.documents["cluster"].tolist() == again.documents["cluster"].tolist()
    # on two cores the terms are read by another thread: the same clustering
    parallel = cluster_documents(big, scalable_threshold=50, max_k=4, n_jobs=2)
    for table in ("documents", "terms", "silhouette", "sizes"):
        pd.testing.assert_frame_equal(getattr(parallel, table), getattr(result, table))
    assert len(result.terms)


def test_events_and_clusters_share_one_hashing_with_the_same_results(seeds, monkeypatch):
    import bilat_analysis.topics as topics
    from bilat_analysis.events import group_events

    monkeypatch.setattr(topics, "SCALABLE_THRESHOLD", 3)  # the seeds take the scalable path
    monkeypatch.setattr(topics, "_LAST_HASHED", {})
    calls = []
    hash_texts = topics._hash_texts
    monkeypatch.setattr(
        topics, "_hash_texts", lambda texts, **kw: calls.append(1) or hash_texts(texts, **kw)
    )
    shared = annotate_topics(seeds, random_state=0, scalable_threshold=3)
    assert len(calls) == 1
    alone_events = group_events(seeds)
    alone_clusters = cluster_documents(seeds, random_state=0, scalable_threshold=3)
    assert shared["event"].tolist() == alone_events["event"].tolist()
    assert shared["cluster"].tolist() == alone_clusters.documents["cluster"].tolist()
    assert len(calls) == 1  # stages called one after the other on the same texts reuse it
    other = seeds.assign(text=seeds["text"] + " Addendum.")
    cluster_documents(other, random_state=0, scalable_threshold=3)
    assert len(calls) == 2  # other texts are hashed anew


def test_top_terms_per_document_reads_each_document_s_own_words():
    from bilat_analysis.topics import make_vectorizer, top_terms_per_document

    corpus = pd.concat([load_corpus()] * 3, ignore_index=True)
    corpus["doc_id"] = [f"d{i}" for i in range(len(corpus))]
    corpus.loc[14, "text"] = "Defence."  # a document of one word
    got = top_terms_per_document(corpus, top_n=4)
    vectorizer = make_vectorizer()  # the dense way: every vocabulary column of each row
    matrix = vectorizer.fit_transform(corpus["text"].tolist()).toarray()
    names = vectorizer.get_feature_names_out()
    expected = [
        (doc_id, rank, names[i], round(float(row[i]), 3))
        for doc_id, row in zip(corpus["doc_id"], matrix, strict=True)
        for rank, i in enumerate(np.lexsort((names, -row))[:4], start=1)
        if row[i] > 0
    ]
    assert list(got.itertuples(index=False, name=None)) == expected
    assert got[got["doc_id"] == "d14"]["term"].tolist() == ["defence"]


def _same_matrix(a, b):
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not approximately


def test_weighing_in_slices_gives_tfidf_transformer_s_values_bit_for_bit(bilingual, monkeypatch):
    from sklearn.feature_extraction.text import TfidfTransformer

    from bilat_analysis import topics

    counts = topics.hash_counts(bilingual["text"].tolist() * 3)
    plain = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    monkeypatch.setattr(topics, "_SLICE", 7)  # many slices, one ending inside a row
    weighed = topics.weigh_hashed_counts(counts)
    _same_matrix(weighed, plain)
    assert not np.array_equal(counts.data, weighed.data)  # copy=True left the counts alone
    in_place = topics.weigh_hashed_counts(counts, copy=False)
    assert in_place.data is counts.data or np.shares_memory(in_place.data, counts.data)
    _same_matrix(in_place, plain)


def test_scalable_matrix_built_in_row_slices_equals_the_whole_matrix_at_once(
    bilingual, monkeypatch
):
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from bilat_analysis import topics

    big = pd.concat([bilingual] * 7, ignore_index=True)
    big["doc_id"] = [f"{d}_{i}" for i, d in enumerate(big["doc_id"])]
    big = annotate_documents(big)
    big.loc[3, "text"] = "Unique zyxwvut words qqqq only here."  # columns seen once are dropped
    big.loc[4, ["partners", "themes"]] = [{}, {}]  # a row with no concept
    words = topics.weigh_hashed_counts(topics.hash_counts(big["text"].tolist()))
    concepts, _ = topics.concept_features(big)
    # the plain way: the whole matrix at once
    frequency = np.bincount(words.indices, minlength=words.shape[1])
    kept = np.flatnonzero(frequency >= 2)
    plain = sp.hstack([normalize(words[:, kept]), 0.5 * normalize(concepts)], format="csr")
    plain = normalize(plain).astype(np.float32)
    plain.sort_indices()
    monkeypatch.setattr(topics, "_ROWS", 5)  # slices of 5 rows
    _same_matrix(topics._scalable_matrix(words, concepts, 0.5), plain)
    no_concepts = normalize(words[:, kept]).astype(np.float32)
    no_concepts.sort_indices()
    _same_matrix(topics._scalable_matrix(words, None, 1.0), no_concepts)


def test_topic_normalisation_equals_one_translation_table_on_every_language():
    import re as regex
    import sys

    from bilat_analysis.corpus import read_corpus
    from bilat_analysis.topics import _CJK_RUN, _cjk_tokens, _topic_table, normalise_for_topics

    def plain(text):  # the rule as written: one table, then the CJK words
        text = text.translate(_topic_table())
        return _CJK_RUN.sub(_cjk_tokens, text)

    texts = read_corpus(data_file("bilingual_example.csv")).documents["text"].tolist()
    texts += read_corpus(Path(__file__).parent / "data" / "eval").documents["text"].tolist()
    every_char = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    texts += [every_char[i : i + 5000] for i in range(0, len(every_char), 5000)]
    texts += ["الْعَلاقَاتُ الثنائيـة", "short É", "ascii-only `text`\n", ""]
    assert len(texts) > 300
    for text in texts:
        assert normalise_for_topics(text) == plain(text), regex.escape(text[:40])
    # the hashed words are the vectoriser's own tokens, stop words out
    from sklearn.feature_extraction.text import HashingVectorizer

    from bilat_analysis.topics import TOKEN_PATTERN, content_words, hash_counts, stop_words

    texts += ["x² ab½ Ⅻv met_up 2024 a1b the l'Inde", "中法两国外长在ウクライナについて会談した"]
    analyse = make_vectorizer(ngram_range=(1, 1)).build_analyzer()
    for text in texts:
        assert content_words(text) == analyse(text), regex.escape(text[:40])
    plain_hasher = HashingVectorizer(
        preprocessor=normalise_for_topics,
        stop_words=sorted(stop_words()),
        token_pattern=TOKEN_PATTERN,
        n_features=2**20,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    assert (hash_counts(texts) != plain_hasher.transform(texts)).nnz == 0


def test_the_hashed_words_are_known_by_their_arrow_buffers_or_their_contents(seeds):
    from bilat_analysis.topics import _texts_key

    texts = seeds["text"]
    key, kept = _texts_key(texts)
    assert key[0] == "arrow" and kept is not None
    assert _texts_key(seeds.assign(extra=1)["text"])[0] == key  # another frame, same column
    assert _texts_key(texts.iloc[1:])[0] != key  # a slice of the same buffers
    copied = pd.Series(texts.tolist(), dtype=object)
    by_contents = _texts_key(copied)[0]
    assert by_contents[0] == "digest" and by_contents == _texts_key(texts.tolist())[0]
    assert _texts_key(copied.str.upper())[0] != by_contents


@pytest.mark.parametrize("shape", [(600, 1500), (1500, 600)])
def test_threaded_svd_gives_truncated_svd_s_result_bit_for_bit(shape, monkeypatch):
    # both orientations: sklearn finds the range on the smaller side (the transposed product)
    from concurrent.futures import ThreadPoolExecutor

    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD

    from bilat_analysis import topics

    rng = np.random.default_rng(0)
    dense = rng.random(shape, dtype=np.float32) * (rng.random(shape) < 0.05)
    X = sparse.csr_matrix(dense)
    monkeypatch.setattr(topics, "_THREADED_ENTRIES", 0)  # threads even for this small matrix
    monkeypatch.setattr(topics, "_THREADED_TRANSPOSED_ENTRIES", 0)  # (from a row-major copy)
    expected = TruncatedSVD(20, n_iter=3, random_state=3).fit_transform(X)
    for n_jobs in (1, 2, 3):
        found = topics._truncated_svd(X, 20, random_state=3, n_jobs=n_jobs)
        assert found.dtype == expected.dtype == np.float32
        np.testing.assert_array_equal(found, expected)
    vectors = X[:, :40].toarray()
    with ThreadPoolExecutor(2) as pool:  # a CSC matrix: split by the dense columns
        np.testing.assert_array_equal(topics._sparse_product(X.T, vectors, pool, 2), X.T @ vectors)


@pytest.mark.parametrize("rows", [300, 2500])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_silhouette_on_distances_found_once_is_scikit_learn_s_score(rows, sparse, dtype):
    # every k is scored on the same sampled rows (all of them up to SILHOUETTE_SAMPLE), and
    # the score is scikit-learn's to the last bit, whatever the labels
    from scipy import sparse as sp
    from sklearn.metrics import silhouette_score

    from bilat_analysis import topics

    rng = np.random.default_rng(1)
    X = (rng.random((rows, 30)) * (rng.random((rows, 30)) < 0.3)).astype(dtype)
    X = sp.csr_matrix(X) if sparse else X
    scored = topics._silhouette_distances(X, random_state=4)
    assert (scored[0] is None) == (rows <= topics.SILHOUETTE_SAMPLE)
    sample = topics.SILHOUETTE_SAMPLE if rows > topics.SILHOUETTE_SAMPLE else None
    labelings = [rng.integers(0, k, rows) for k in (2, 3, 5, 12)]
    labelings.append(rng.integers(0, 4, rows) * 7 + 3)  # labels with gaps, not from 0
    singletons = rng.integers(0, 3, rows)
    singletons[:3] = [5, 6, 7]  # clusters of one document (scored 0)
    labelings.append(singletons)
    for labels in labelings:
        expected = silhouette_score(X, labels, metric="cosine", sample_size=sample, random_state=4)
        assert topics._silhouette(scored, labels) == expected
    assert np.isnan(topics._silhouette(scored, np.zeros(rows, dtype=int)))
    assert np.isnan(topics._silhouette(None, np.zeros(rows, dtype=int)))
    if sample is not None:  # two clusters, one of them not drawn: scikit-learn's error
        alone = np.zeros(rows, dtype=int)
        alone[np.setdiff1d(np.arange(rows), scored[0])[0]] = 1
        with pytest.raises(ValueError, match="Number of labels is 1"):
            topics._silhouette(scored, alone)
