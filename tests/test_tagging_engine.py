"""The matching engine's short cuts find exactly what the plain way finds.

The tagger folds long non-ASCII texts with an array lookup, searches a copy of the text
whose words' first characters are marked, reads partners and themes with one automaton,
and checks job titles on the folded document. Each test compares one of these with the
plain way on real multilingual texts (the evaluation set and the seeds).
"""

import json
from pathlib import Path

import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.lexicons import read_partners
from bilat_analysis.tagging import (
    PARTNER_MENTION_COLUMNS,
    THEME_MENTION_COLUMNS,
    Matcher,
    fold_table,
    fold_text,
    in_title_context,
    tag_corpus,
    tag_partners,
    tag_themes,
)

EVAL = Path(__file__).parent / "data" / "eval"


@pytest.fixture(scope="module")
def texts() -> pd.DataFrame:
    rows = []
    for path in sorted(EVAL.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            rows.append((record["doc_id"], record["text"], record["gold_language"]))
            if isinstance(record.get("title"), str):
                rows.append((f"{record['doc_id']}-title", record["title"], record["gold_language"]))
    seeds = load_corpus()
    rows += list(zip(seeds["doc_id"], seeds["text"], seeds["language"], strict=True))
    return pd.DataFrame(rows, columns=["doc_id", "text", "language"])


def test_the_array_fold_is_the_table_fold(texts):
    long = " ".join(texts["text"]) + " \U0001f600 \U00100000 Ǆ İ ﬁ \u00a0\u2013"
    assert not long.isascii() and len(long) > 1000
    assert fold_text(long) == long.translate(fold_table())
    for text in texts["text"]:
        assert fold_text(text) == text.translate(fold_table())


def test_one_pass_for_partners_and_themes_finds_what_each_finds(texts):
    partners, themes = tag_corpus(texts)
    assert len(partners) > len(texts) and len(themes) > len(texts) / 2
    pd.testing.assert_frame_equal(partners, tag_partners(texts))
    pd.testing.assert_frame_equal(themes, tag_themes(texts))
    parallel = pd.concat([texts] * 8, ignore_index=True)
    parallel["doc_id"] = [f"d{i}" for i in range(len(parallel))]
    for got, expected in zip(tag_corpus(parallel, n_jobs=2), tag_corpus(parallel), strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_searching_marked_word_starts_changes_no_match(texts):
    """A term with a character of plane 16 turns the marks off: the same matches follow."""
    lexicon = read_partners()
    for language in ["en", "fr", "ar", "ru", "zh", "tr"]:
        rows = lexicon[lexicon["language"].isin([language, "mul"])]
        terms, cases = rows["alias"].tolist(), rows["case"].tolist()
        modes = rows["match"].tolist()
        marked = Matcher(terms, cases, modes)
        plain = Matcher([*terms, "\U00100000"], [*cases, "any"], [*modes, "word"])
        assert marked._marks and not plain._marks
        found = 0
        for text in texts.loc[texts["language"] == language, "text"]:
            assert marked.find(text) == plain.find(text), text
            found += len(marked.find(text))
        assert found > 10, language


def test_in_word_candidates_are_still_refused():
    matcher = Matcher(["UN", "Iran", "الصين"], ["exact", "title", "any"])
    text = "the UN fund, UNESCO, Iranian oil, Iran; والصين, للصين, الصينية"
    assert [text[s:e] for s, e, _ in matcher.find(text)] == ["UN", "Iran", "الصين", "لصين"]


def test_job_titles_on_the_folded_document_agree_with_the_public_check(texts):
    themes = tag_themes(texts)
    assert themes["in_title"].any() and not themes["in_title"].all()
    by_id = texts.set_index("doc_id")
    for doc_id, start, end, flag in zip(
        themes["doc_id"], themes["start"], themes["end"], themes["in_title"], strict=True
    ):
        text, language = by_id.loc[doc_id, "text"], by_id.loc[doc_id, "language"]
        assert in_title_context(text, start, end, language=language) == flag, (doc_id, start)


def test_nothing_found_gives_empty_tables_with_their_columns():
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["", "nothing to see"], "language": ["en", None]}
    )
    partners, themes = tag_corpus(corpus)
    assert partners.empty and themes.empty
    assert list(partners.columns) == PARTNER_MENTION_COLUMNS
    assert list(themes.columns) == THEME_MENTION_COLUMNS
    assert Matcher(["x"], ["any"], groups=[1]).find("y", groups=True) == [[], []]
