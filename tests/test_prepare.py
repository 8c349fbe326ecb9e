"""A prepared corpus gives exactly what the unprepared path gives, and is never reused stale."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import warnings

import pandas as pd
import pytest

from bilat_analysis import CorpusWarning, load_corpus
from bilat_analysis import tagging as tagging_module
from bilat_analysis.cli import main
from bilat_analysis.cooccurrence import cooccurrence
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.events import NUMBERS_PREFIX
from bilat_analysis.lexicons import read_themes
from bilat_analysis.officials import tag_officials
from bilat_analysis.paths import SEEDS_DIR
from bilat_analysis.prepare import (
    MANIFEST,
    PreparedWarning,
    corpus_tables,
    is_prepared,
    prepare_corpus,
    read_clustering,
    read_prepared,
    stale_reasons,
)
from bilat_analysis.tagging import tag_formats, tag_partners, tag_themes
from bilat_analysis.topics import annotate_topics, cluster_documents


@pytest.fixture(scope="module")
def seeds_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


@pytest.fixture(scope="module")
def prepared(seeds_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("prepared") / "seeds.prepared"
    # batches of two documents: the batched path must agree with the whole-corpus one
    return prepare_corpus(seeds_copy, out, batch_size=2, n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def unprepared(seeds_copy):
    return annotate_topics(annotate_documents(load_corpus(seeds_copy)))


def test_documents_match_the_unprepared_path(prepared, unprepared):
    documents = read_prepared(prepared).documents
    pd.testing.assert_frame_equal(documents, unprepared)
    assert documents["dyad"].tolist()[:3] == [("FRA", "IND"), ("FRA", "IND"), ("EU", "IND")]
    assert documents["event"].nunique() == 4


def test_mention_tables_match_the_taggers(prepared, seeds_copy):
    corpus = load_corpus(seeds_copy)
    tables = read_prepared(prepared)
    pd.testing.assert_frame_equal(tables.partners, tag_partners(corpus))
    pd.testing.assert_frame_equal(tables.themes, tag_themes(corpus))
    pd.testing.assert_frame_equal(tables.formats, tag_formats(corpus))
    pd.testing.assert_frame_equal(tables.officials, tag_officials(corpus))
    assert len(tables.partners) > 50 and tables.skipped.empty


def test_clustering_matches(prepared, unprepared):
    fresh = cluster_documents(unprepared)
    stored = read_clustering(prepared)
    assert (stored.k, stored.method) == (fresh.k, fresh.method)
    for name in ("documents", "silhouette", "terms", "sizes"):
        pd.testing.assert_frame_equal(
            getattr(stored, name), getattr(fresh, name), check_dtype=False
        )


@pytest.mark.parametrize(
    ("rows", "cols", "unit"),
    [
        ("partner", "theme", "document"),
        ("partner", "partner", "event"),
        ("official", "partner", "document"),
    ],
)
def test_cooccurrence_from_prepared_mentions_matches(prepared, unprepared, rows, cols, unit):
    tables = read_prepared(prepared)
    mentions = {"partner": tables.partners, "theme": tables.themes, "official": tables.officials}
    expected = cooccurrence(unprepared, rows=rows, cols=cols, unit=unit)
    got = cooccurrence(tables.documents, rows=rows, cols=cols, unit=unit, mentions=mentions)
    pd.testing.assert_frame_equal(got, expected)
    assert got.to_numpy().sum() > 0


def _no_tagging(*args, **kwargs):
    raise AssertionError("the texts were tagged again")


def test_given_mentions_are_never_tagged_again(prepared, monkeypatch):
    tables = read_prepared(prepared)
    monkeypatch.setattr(tagging_module.Matcher, "find", _no_tagging)
    mentions = {"partner": tables.partners, "theme": tables.themes}
    matrix = cooccurrence(tables.documents, rows="partner", cols="theme", mentions=mentions)
    assert matrix.loc["IND", "defence"] > 0
    annotated = annotate_documents(
        tables.documents.drop(columns=["dyad", "partners", "themes", "officials"]),
        partner_mentions=tables.partners,
        theme_mentions=tables.themes,
        dyads=tables.documents[["doc_id", "dyad", "dyad_score", "host"]],
        formats=tables.formats,
        officials=tables.officials,
    )
    assert annotated["partners"].tolist() == tables.documents["partners"].tolist()
    assert annotated["format"].tolist() == tables.documents["format"].tolist()
    assert annotated["officials"].tolist() == tables.documents["officials"].tolist()
    # an annotated frame carries its counts: document units need no tagging either
    counted = cooccurrence(tables.documents, rows="partner", cols="theme")
    pd.testing.assert_frame_equal(counted, matrix)
    by_official = cooccurrence(tables.documents, rows="official", cols="partner")
    expected = cooccurrence(
        tables.documents, rows="official", cols="partner", mentions=tables.mentions()
    )
    pd.testing.assert_frame_equal(by_official, expected)
    with pytest.raises(AssertionError, match="tagged again"):  # the check can fail
        cooccurrence(tables.documents, rows="partner", cols="theme", unit="sentence")


def test_load_corpus_reads_a_prepared_folder(prepared, unprepared):
    assert is_prepared(prepared) and not is_prepared(SEEDS_DIR)
    pd.testing.assert_frame_equal(load_corpus(prepared), unprepared)


def test_load_corpus_reads_only_the_documents_of_a_prepared_folder(prepared, unprepared, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(prepared, copy)
    for table in copy.glob("*.parquet"):  # every table but these two is left unread
        if table.name not in ("documents.parquet", "skipped.parquet"):
            table.unlink()
    pd.testing.assert_frame_equal(load_corpus(copy), unprepared)
    with pytest.raises(FileNotFoundError):  # the mentions and clusters are not there
        read_prepared(copy)


def test_an_up_to_date_folder_is_reused(prepared):
    before = (prepared / MANIFEST).stat().st_mtime_ns
    assert stale_reasons(prepared) == []
    again = prepare_corpus(
        json.loads((prepared / MANIFEST).read_text())["source"],
        prepared,
        batch_size=2,
        n_jobs=1,
        progress=False,
    )
    assert again == prepared and (prepared / MANIFEST).stat().st_mtime_ns == before


def test_a_changed_input_is_detected_and_rebuilt(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    out = prepare_corpus(corpus, tmp_path / "prepared", n_jobs=1, progress=False)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text("date 2024-03-01\nJapan and Brazil held talks on space.\n", encoding="utf-8")
    os.utime(first, ns=(1, 1))  # a different mtime even on a coarse clock
    assert any("input changed" in reason for reason in stale_reasons(out))
    with pytest.warns(PreparedWarning, match="stale"):
        documents = read_prepared(out).documents
    assert documents.loc[0, "dyad"] == ("BRA", "JPN")
    assert stale_reasons(out) == []
    (corpus / "new.txt").write_text("India and France met.", encoding="utf-8")
    assert any("input added" in reason for reason in stale_reasons(out))


def test_a_changed_lexicon_is_detected_and_rebuilt(tmp_path):
    lexicon = tmp_path / "themes.csv"
    themes = read_themes()
    themes.to_csv(lexicon, index=False)
    out = prepare_corpus(None, tmp_path / "prepared", themes=lexicon, n_jobs=1, progress=False)
    assert "roadmap" not in set(read_prepared(out).themes["theme"])
    extra = pd.DataFrame(
        [{"keyword": "Horizon 2047", "theme": "roadmap", "language": "en", "case": "any"}]
    )
    pd.concat([themes, extra]).to_csv(lexicon, index=False)
    assert stale_reasons(out) == ["user/themes changed"]
    with pytest.warns(PreparedWarning):
        rebuilt = read_prepared(out)
    assert set(rebuilt.themes.loc[rebuilt.themes["theme"] == "roadmap", "doc_id"]) == {
        "000_61ed17e4f0eb13e1",
        "001_6ec640c84f295659",
    }


def test_a_stale_folder_whose_input_is_gone_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    out = prepare_corpus(corpus, tmp_path / "prepared", n_jobs=1, progress=False)
    shutil.rmtree(corpus)
    with pytest.raises(ValueError, match="no longer exists"):
        read_prepared(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_prepared(out, check=False).documents) == 5


def test_never_overwrites_a_folder_it_did_not_prepare(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="not a prepared corpus"):
        prepare_corpus(None, tmp_path, progress=False)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(ValueError, match="not a prepared corpus"):
        read_prepared(tmp_path)


def test_cli_prepare_then_documents_and_cooccur(tmp_path, capsys):
    out = tmp_path / "prepared"
    assert main(["prepare", "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert main(["documents", "--json"]) == 0
    direct = capsys.readouterr().out
    assert main(["documents", str(out), "--json"]) == 0
    assert capsys.readouterr().out == direct
    assert main(["cooccur", "--unit", "event"]) == 0
    direct = capsys.readouterr().out
    assert main(["cooccur", str(out), "--unit", "event"]) == 0
    assert capsys.readouterr().out == direct


def test_loading_on_two_processes_gives_the_same_frame_and_warnings(tmp_path):
    # 1200 rows: above the size from which the cleaning is shared between processes
    texts = [
        f"India and France met on {day % 28 + 1} March 2024 in Paris.\n\nTalks number {day}."
        for day in range(1200)
    ]
    table = pd.DataFrame({"id": [f"d{i}" for i in range(1200)], "text": texts, "date": None})
    table.loc[7, "date"] = "2024-13-45"
    table.loc[9, "text"] = "   "
    path = tmp_path / "many.csv"
    table.to_csv(path, index=False)
    frames = []
    for n_jobs in (1, 2):
        with pytest.warns(CorpusWarning) as caught:
            frames.append(load_corpus(path, n_jobs=n_jobs))
        messages = [str(w.message) for w in caught]
        assert any("many.csv:8: date '2024-13-45' is not a valid date" in m for m in messages)
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert len(frames[1]) == 1199 and frames[1].loc[7, "date_source"] == "text"


def test_corpus_tables_gives_the_same_tables_from_any_source(prepared, seeds_copy):
    from_folder = read_prepared(prepared)
    computed = corpus_tables(seeds_copy)
    pd.testing.assert_frame_equal(computed.documents, from_folder.documents)
    for name in ("partner", "theme", "official"):
        pd.testing.assert_frame_equal(computed.mentions()[name], from_folder.mentions()[name])
    assert corpus_tables(prepared).manifest == from_folder.manifest
    # the clustering the notebooks reuse: the stored one, the same from any source
    for tables in (from_folder, computed):
        assert tables.clustering.k == read_clustering(prepared).k
        for name in ("documents", "silhouette", "terms", "sizes"):
            pd.testing.assert_frame_equal(
                getattr(tables.clustering, name), getattr(read_clustering(prepared), name)
            )


def test_cli_refuses_lexicons_with_a_prepared_corpus(prepared, capsys):
    assert main(["documents", str(prepared), "--themes", "mine.csv"]) == 2
    assert "pass --partners/--themes/--seed to `bilat-analysis prepare`" in capsys.readouterr().err
    assert main(["documents", str(prepared), "--seed", "1"]) == 2
    assert main(["documents", str(prepared), "--seed", "0"]) == 0


def test_a_failed_prepare_leaves_no_folder(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("body\n", encoding="utf-8")  # a header and no row: nothing to load
    with pytest.raises(ValueError, match="no document could be loaded"):
        prepare_corpus(bad, tmp_path / "out", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_the_date_search_shortcut_finds_the_same_first_date():
    from bilat_analysis.corpus import find_text_date

    far = "word " * 400
    assert find_text_date(far + "on 5 March 2024, then 6 March 2024") == dt.date(2024, 3, 5)
    # a long white-space run inside the date: the whole text is read
    assert find_text_date(far + "on 5" + " " * 60 + "March 2024") == dt.date(2024, 3, 5)
    # a year first seen far before the date, and an impossible date before a valid one
    text = f"In 1999 {far} 31 February 2023 and 1 March 2023"
    assert find_text_date(text) == dt.date(2023, 3, 1)
    assert find_text_date(far) is None and find_text_date("") is None


def test_many_inputs_are_kept_as_a_digest(tmp_path, monkeypatch):
    from bilat_analysis import prepare as prepare_module

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    monkeypatch.setattr(prepare_module, "MAX_LISTED_INPUTS", 2)
    out = prepare_corpus(corpus, tmp_path / "prepared", n_jobs=1, progress=False)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["inputs"] == [] and manifest["input_files"] == 5
    (corpus / "new.txt").write_text("India and France met.", encoding="utf-8")
    assert stale_reasons(out) == ["inputs changed (5 files before, 6 now)"]


def test_refuses_to_write_inside_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    with pytest.raises(ValueError, match="inside the corpus"):
        prepare_corpus(corpus, corpus / "prepared", progress=False)
    assert not (corpus / "prepared").exists()


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    """A corpus on the scalable path (hashed words, sampled terms), in several batches."""
    import sys
    from pathlib import Path

    from bilat_analysis.topics import SCALABLE_THRESHOLD

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synthetic import make_corpus

    path = tmp_path_factory.mktemp("large") / "news.parquet"
    busy = {"top_dyads": 3, "top_share": 0.8, "days": 20}  # some reports of one meeting
    corpus = make_corpus(SCALABLE_THRESHOLD, seed=3, **busy).drop(columns=["language"])
    corpus["text"] = corpus["text"].str.slice(0, 1700)  # past the lead events read, no more
    corpus.to_parquet(path)
    return path


def test_a_large_corpus_prepared_in_batches_matches(large_corpus, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        out = prepare_corpus(large_corpus, tmp_path / "p", batch_size=1500, progress=False)
        tables = read_prepared(out)
        unprepared = annotate_topics(annotate_documents(load_corpus(large_corpus)))
    pd.testing.assert_frame_equal(tables.documents, unprepared)
    assert unprepared["text"].str.len().min() > NUMBERS_PREFIX  # longer than the lead kept
    stored, fresh = read_clustering(out), cluster_documents(unprepared)
    assert stored.method == fresh.method == "minibatch-lsa"
    pd.testing.assert_frame_equal(stored.terms, fresh.terms, check_dtype=False)
    pd.testing.assert_frame_equal(
        tables.officials, tag_officials(unprepared), check_dtype=False
    )
    assert (unprepared["event_size"] > 1).any()


def test_two_calls_preparing_one_folder_at_once_both_succeed(seeds_copy, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    out = tmp_path / "shared.prepared"
    with ThreadPoolExecutor(2) as pool:
        done = list(
            pool.map(
                lambda _: prepare_corpus(seeds_copy, out, n_jobs=1, progress=False, force=True),
                range(2),
            )
        )
    assert done == [out, out]
    assert stale_reasons(out) == []
    assert len(read_prepared(out).documents) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.prepared"]  # no scratch left
    assert out.stat().st_mode & 0o777 == 0o755
