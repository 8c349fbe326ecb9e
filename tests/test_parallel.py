"""Work shared between processes: results in order, errors reported, small inputs at home."""

import inspect
import os

import pandas as pd
import pytest

from bilat_analysis.parallel import Rows, map_chunks, stream_map


def _pid_and_total(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _fail_on_three(numbers: list[int]) -> int:
    if 3 in numbers:
        raise ValueError("three")
    return sum(numbers)


def test_stream_map_gives_results_in_order_from_other_processes():
    items = ([i] * (1 + i % 5) for i in range(40))  # read lazily, unequal work
    results = list(stream_map(_pid_and_total, items, n_jobs=2))
    assert [total for _, total in results] == [i * (1 + i % 5) for i in range(40)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_stream_map_works_here_when_there_is_little_to_do():
    one = list(stream_map(_pid_and_total, [[1], [2]], n_jobs=1))
    few = list(stream_map(_pid_and_total, [[1]], n_jobs=2, min_items=2))
    assert {pid for pid, _ in one + few} == {os.getpid()}
    assert [t for _, t in one] == [1, 2] and list(stream_map(sum, [], n_jobs=2)) == []


def test_stream_map_reports_a_worker_error():
    with pytest.raises(ValueError, match="three"):
        list(stream_map(_fail_on_three, [[1], [2], [3], [4]], n_jobs=2))


def test_map_chunks_keeps_the_order_of_the_texts():
    texts = [str(i) for i in range(2500)]
    parts = map_chunks(
        lambda prefix, chunk: [prefix + t for t in chunk], texts, payload="x", n_jobs=2
    )
    assert [t for part in parts for t in part] == ["x" + t for t in texts]


def _types_and_texts(_, chunk):
    return [(type(chunk).__name__, text) for text in chunk]


def test_map_chunks_lists_each_part_of_an_array_in_its_worker():
    column = pd.Series([f"text {i}" for i in range(2500)], dtype="str").array
    for n_jobs in (1, 2):
        parts = map_chunks(_types_and_texts, column, n_jobs=n_jobs)
        assert len(parts) == (1 if n_jobs == 1 else 8)
        got = [row for part in parts for row in part]
        assert got == [("list", text) for text in column.tolist()]


def test_rows_of_columns_are_read_a_slice_at_a_time():
    column = pd.Series([f"text {i}" for i in range(2500)], dtype="str").array
    numbers = list(range(2500))
    for n_jobs in (1, 2):
        parts = map_chunks(_types_and_texts, Rows(column, numbers), n_jobs=n_jobs)
        rows = [row for part in parts for _, row in part]
        assert rows == list(zip(column, numbers, strict=True))
    with pytest.raises(TypeError, match="a slice at a time"):
        Rows(numbers)[3]


def _collecting(_, chunk):
    import gc

    return [(os.getpid(), gc.isenabled(), gc.get_freeze_count())] * len(chunk)


def _collecting_item(item):
    import gc

    return os.getpid(), gc.isenabled(), gc.get_freeze_count()


def test_results_are_gathered_without_collection_and_workers_collect_their_own_objects():
    import gc

    from bilat_analysis.parallel import collector_paused

    assert gc.isenabled()
    rows = [
        row
        for part in map_chunks(_collecting, list(range(40)), n_jobs=2, min_texts=2)
        for row in part
    ]
    # this process works on every other chunk (of 8), collector paused; the worker as usual
    own = [pid == os.getpid() for pid, _, _ in rows[::5]]
    assert own == [True, False] * 4
    assert all(enabled != (pid == os.getpid()) for pid, enabled, _ in rows)
    # the worker's collections never trace the objects it was forked with; here none is frozen
    assert gc.get_freeze_count() == 0
    assert all((frozen > 0) != (pid == os.getpid()) for pid, _, frozen in rows)
    with collector_paused():  # as the loader reads: the workers fork while it is paused
        streamed = list(stream_map(_collecting_item, range(6), n_jobs=2))
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer block decides
            pass
        assert not gc.isenabled()
    assert all(enabled and frozen for _, enabled, frozen in streamed) and gc.isenabled()
    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_every_stage_uses_every_core_unless_told(monkeypatch):
    from bilat_analysis import dyads, events, load_corpus, officials, prepare, tagging, topics
    from bilat_analysis.parallel import available_cores

    stages = [
        load_corpus,
        prepare.prepare_corpus,
        dyads.annotate_documents,
        tagging.tag_corpus,
        tagging.tag_partners,
        tagging.tag_themes,
        tagging.tag_formats,
        tagging.find_all,
        officials.tag_officials,
        officials.find_titled_officials,
        officials.find_officials,
        topics.hashed_words,
        topics.hash_counts,
        topics.document_matrix,
        topics.cluster_documents,
        topics.shared_hashed_words,
        events.evidence_features,
        events.group_events,
    ]
    for stage in stages:  # as load_corpus and `prepare` do: a user's call shares the work out
        assert inspect.signature(stage).parameters["n_jobs"].default is None, stage.__name__
    asked, real = [], dyads.map_chunks

    def recorded(*args, **options):
        asked.append(options)
        return real(*args, **options)

    monkeypatch.setattr(dyads, "map_chunks", recorded)
    seeds = load_corpus()
    corpus = pd.concat([seeds] * 200, ignore_index=True)
    corpus["doc_id"] = [f"d{i}" for i in range(len(corpus))]
    annotated = dyads.annotate_documents(corpus)
    assert [options["n_jobs"] for options in asked] == [available_cores()]
    alone = dyads.annotate_documents(corpus, n_jobs=1)
    assert asked[-1]["n_jobs"] == 1
    pd.testing.assert_frame_equal(annotated, alone)
