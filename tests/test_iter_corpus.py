"""Reading a corpus in batches gives what reading it whole gives."""

import warnings

import pandas as pd
import pytest

import bilat_analysis.corpus as corpus_module
from bilat_analysis.corpus import iter_corpus, read_corpus
from tests.test_hostile_inputs import CASES, build_case


def _whole_and_batched(source, batch_size, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = read_corpus(source, **options)
        batches = list(iter_corpus(source, batch_size=batch_size, **options))
    return whole, batches


def test_batches_of_a_hostile_folder_are_the_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "PARQUET_BATCH_ROWS", 2)  # Parquet files in pieces too
    for name in CASES:
        build_case(tmp_path / "all" / name, name, tmp_path / "outside")
    whole, batches = _whole_and_batched(tmp_path / "all", 3)
    assert len(batches) > 5
    assert all(len(b.documents) <= 3 for b in batches)
    documents = pd.concat([b.documents for b in batches], ignore_index=True)
    skipped = pd.concat([b.skipped for b in batches], ignore_index=True)
    pd.testing.assert_frame_equal(documents, whole.documents)
    assert sorted(map(tuple, skipped.to_numpy())) == sorted(map(tuple, whole.skipped.to_numpy()))
    assert len(whole.documents) > 20 and len(whole.skipped) > 20


def test_a_parquet_file_is_read_in_row_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "PARQUET_BATCH_ROWS", 4)
    texts = [f"India and France met in Paris, meeting number {i}." for i in range(10)]
    ids = ["a", "b", "a", "c", "d", "a", "e", "f", "g", "h"]  # "a" again in later batches
    path = tmp_path / "news.parquet"
    pd.DataFrame({"id": ids, "text": texts}).to_parquet(path)
    whole, batches = _whole_and_batched(path, 4)
    assert [len(b.documents) for b in batches] == [4, 4, 2]
    documents = pd.concat([b.documents for b in batches], ignore_index=True)
    pd.testing.assert_frame_equal(documents, whole.documents)
    assert documents["doc_id"].tolist()[:6] == ["a", "b", "a~2", "c", "d", "a~3"]
    assert documents["source"].tolist()[5] == "news.parquet:6"


def test_batch_boundaries_and_bad_sizes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   ")
    (batch,) = iter_corpus(empty, batch_size=2)  # nothing loaded: one batch with the skip
    assert batch.documents.empty and batch.skipped["reason"].tolist() == ["only white space"]
    assert [len(b.documents) for b in iter_corpus(batch_size=5)] == [5, 0]
    with pytest.raises(ValueError, match="batch_size"):
        next(iter_corpus(batch_size=0))
    with pytest.raises(FileNotFoundError):
        next(iter_corpus(tmp_path / "missing"))


def test_parquet_rows_read_by_the_workers_give_what_one_process_gives(tmp_path):
    # 1,300 rows: Arrow batches of PARQUET_BATCH_ROWS go to two processes, read there
    folder = tmp_path / "news"
    folder.mkdir()
    texts = [
        f"India and France met on {i % 28 + 1} March 2024 in Paris.\n\nTalks number {i}."
        for i in range(1300)
    ]
    texts[5], texts[700] = "   ", None
    ids = [f"d{i}" for i in range(1300)]
    ids[11] = ids[10]
    dates = [None] * 1300
    dates[9] = "2024-13-45"
    pd.DataFrame({"id": ids, "text": texts, "date": dates}).to_parquet(folder / "many.parquet")
    (folder / "note.txt").write_text("India and Japan met in Tokyo on 2 May 2024.")
    (folder / "empty.txt").write_text("")
    loaded = {}
    for n_jobs in (1, 2):
        with pytest.warns(corpus_module.CorpusWarning) as caught:
            loaded[n_jobs] = read_corpus(folder, n_jobs=n_jobs)
        messages = " | ".join(str(w.message) for w in caught)
        assert "many.parquet:10: date '2024-13-45' is not a valid date" in messages
        assert "news/many.parquet:12 -> d10~2" in messages
    pd.testing.assert_frame_equal(loaded[1].documents, loaded[2].documents)
    pd.testing.assert_frame_equal(loaded[1].skipped, loaded[2].skipped)
    documents, skipped = loaded[2]
    assert len(documents) == 1299 and documents["doc_id"].is_unique
    assert dict(zip(skipped["source"], skipped["reason"], strict=True)) == {
        "news/empty.txt": "empty file",
        "news/many.parquet:6": "empty text",
        "news/many.parquet:701": "empty text",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batches = list(iter_corpus(folder, batch_size=400, n_jobs=2))
    assert [len(b.documents) for b in batches] == [399, 399, 400, 101]  # rows 6, 701 skipped
    pd.testing.assert_frame_equal(
        pd.concat([b.documents for b in batches], ignore_index=True), documents
    )
