"""The matching engine's short cuts find exactly what the plain way finds.

The tagger folds long non-ASCII texts with an array lookup, searches a copy of the text
whose words' first characters are marked, reads partners and themes with one automaton,
and checks job titles on the folded document. ``annotate_documents`` tags, filters, infers
the dyad and counts each document in one go, without mention tables, and looks for summit
words in the lead only when the dyad rule needs them. Each test compares one of these with
the plain way on real multilingual texts (the evaluation set and the seeds).
"""

import json
import pickle
import random
import warnings
from pathlib import Path

import pandas as pd
import pytest

from bilat_analysis import load_corpus, tagging
from bilat_analysis.dyads import _multilateral_lead, _summits, annotate_documents
from bilat_analysis.lexicons import read_partners, read_themes, read_title_words
from bilat_analysis.tagging import (
    DFA_MAX_KEYS,
    PARTNER_MENTION_COLUMNS,
    THEME_MENTION_COLUMNS,
    Matcher,
    _document_partners,
    _fold_for_matching,
    _in_title,
    _pair_forms_linked,
    _partner_columns,
    _tag_document,
    _title_words,
    compile_lexicon,
    document_languages,
    drop_non_partner_uses,
    find_all,
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


def test_marks_agree_with_the_checks_beyond_the_basic_plane():
    """A word character beyond the Basic Multilingual Plane (𝐀) is no word start or end to pass."""
    terms, cases = ["India", "UN", "الصين", "\U0001d400x"], ["title", "exact", "any", "any"]
    text = (
        "\U0001d400India, India\U0001d400 \U0001d400UN; the UN and "
        "\U0001d400الصين الصين \U0001d400x"
    )
    marked = Matcher(terms, cases)
    plain = Matcher([*terms, "\U00100000"], [*cases, "any"])
    assert marked._marks and not plain._marks
    assert marked.find(text) == plain.find(text)
    assert [text[s:e] for s, e, _ in marked.find(text)] == ["UN", "الصين", "\U0001d400x"]


def test_a_term_within_words_is_found_anywhere():
    text = "Außenminister, Minister, administers; MINISTER-X"
    found = Matcher(["minister"], ["any"], ["within"]).find(text)
    assert [text[s:e] for s, e, _ in found] == ["minister", "Minister", "minister", "MINISTER"]
    plain = Matcher(["minister", "\U00100000"], ["any", "any"], ["within", "word"])
    assert not plain._marks and plain.find(text) == found


def test_a_lone_surrogate_is_read_as_a_character_that_is_no_word():
    """The automaton reads UTF-8: a text with a lone surrogate still gives every match."""
    matcher = Matcher(["India", "France", "Indian Ocean"], ["title", "title", "title"])
    text = "\ud800India met France\udfff in the Indian Ocean; India\ud800France"
    found = matcher.find(text)
    expected = ["India", "France", "Indian Ocean", "India", "France"]
    assert [text[s:e] for s, e, _ in found] == expected
    assert found == matcher.find(text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd"))


def test_a_pickled_matcher_finds_what_it_found(texts):
    """Matchers go to workers that are not forked (spawn) pickled: the automaton is rebuilt."""
    _, matcher = compile_lexicon("partners")
    copy = pickle.loads(pickle.dumps(matcher))
    found = 0
    for text, language in zip(texts["text"], texts["language"], strict=True):
        hits = matcher.find(text, language=language)
        assert copy.find(text, language=language) == hits
        found += len(hits)
    assert found > len(texts)
    assert pickle.loads(pickle.dumps(Matcher([], []))).find("India") == []


def test_an_automaton_too_large_for_a_dfa_finds_the_same(texts, monkeypatch):
    """Past ``DFA_MAX_KEYS`` keys (every language's rows: 380 MiB as a DFA) it is an NFA."""
    lexicon = read_partners()
    rows = lexicon[lexicon["language"].isin(["en", "fr", "ar", "zh", "mul"])]
    args = rows["alias"].tolist(), rows["case"].tolist(), rows["match"].tolist()
    dfa = Matcher(*args)
    monkeypatch.setattr(tagging, "DFA_MAX_KEYS", 0)
    nfa = Matcher(*args)
    found = 0
    for text in texts["text"]:
        assert nfa.find(text) == dfa.find(text), text
        found += len(dfa.find(text))
    assert found > len(texts)
    assert len(compile_lexicon("partners")[1].matcher(None)[0]._keys) > DFA_MAX_KEYS


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


def test_only_keywords_with_a_title_word_within_reach_are_read_and_none_is_missed():
    """The title words found in the automaton pass leave out keywords, never a title."""
    words = read_title_words()
    titles = words.loc[words["kind"] == "title", "word"].tolist()
    others = words.loc[words["kind"] != "title", "word"].tolist()
    keywords = read_themes()["keyword"].tolist()
    glue = [" ", " ", ", ", ". ", "-", " of ", " and ", "\n", "'", "", "3", "(", " the "]
    fillers = ["belbel", "Dunter", "talks", "X", "la", "des", "und"]
    rng = random.Random(0)
    _, themes = compile_lexicon("themes")
    checked = flagged = 0
    for _ in range(2000):
        pieces = []
        for _ in range(rng.randint(3, 40)):
            kind = rng.random()
            if kind < 0.25:
                word = rng.choice(titles)
            elif kind < 0.6:
                word = rng.choice(keywords)
            elif kind < 0.7:
                word = rng.choice(others)
            else:
                word = rng.choice(fillers) * rng.randint(1, 30)
            pieces.append(rng.choice([word, word.title(), word.upper()]) + rng.choice(glue))
        text = "".join(pieces)
        language = rng.choice(["en", "fr", "de", "ru", "zh", "ja", "ar", "es", "tr", None])
        (found,), flags, (folded, _) = _tag_document((themes,), 0, text, language)
        words_of = _title_words(document_languages(language))
        assert flags == [_in_title(text, s, e, words_of, folded) for s, e, _ in found], text
        checked, flagged = checked + len(flags), flagged + sum(flags)
    assert checked > 2000 and 0.1 < flagged / checked < 0.5


@pytest.fixture(scope="module")
def documents() -> pd.DataFrame:
    """The evaluation set and the seeds as the loader reads them (titles, languages)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = [load_corpus(path) for path in sorted(EVAL.glob("*.jsonl"))]
        parts += [load_corpus(EVAL.parent / "eval_heldout" / "en.jsonl"), load_corpus()]
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("count_capitals", [False, True])
def test_annotating_in_one_go_gives_what_the_mention_tables_give(documents, count_capitals):
    """Dyads and counts from each document at once equal infer_dyads and the table counts."""
    partners, themes = tag_corpus(documents)
    plain = annotate_documents(
        documents,
        partner_mentions=partners,
        theme_mentions=themes,
        count_capitals=count_capitals,
    )
    fast = annotate_documents(documents, count_capitals=count_capitals)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["dyad"].notna().sum() > len(documents) / 2
    assert fast["host"].notna().any() and fast["themes"].map(len).sum() > len(documents)
    parallel = pd.concat([documents] * 7, ignore_index=True)
    parallel["doc_id"] = [f"d{i}" for i in range(len(parallel))]
    assert len(parallel) >= 1000  # enough for worker processes
    expected = pd.concat([plain] * 7, ignore_index=True).assign(doc_id=parallel["doc_id"])
    got = annotate_documents(parallel, count_capitals=count_capitals, n_jobs=2)
    pd.testing.assert_frame_equal(got, expected)


def test_the_tables_kept_in_one_go_are_those_of_each_pass(documents):
    """annotate_with_tables (prepare's batches) gives the tables of tag_corpus, tag_formats..."""
    from bilat_analysis.dyads import annotate_with_tables, infer_dyads
    from bilat_analysis.officials import OFFICIAL_COLUMNS, find_titled_officials
    from bilat_analysis.tagging import tag_formats

    parallel = pd.concat([documents] * 7, ignore_index=True)
    parallel["doc_id"] = [f"d{i}" for i in range(len(parallel))]
    assert len(parallel) >= 1000  # enough for worker processes
    for corpus, n_jobs in ((documents, 1), (parallel, 2)):
        partners, themes = tag_corpus(corpus, n_jobs=1)
        formats, dyads = tag_formats(corpus, n_jobs=1), infer_dyads(corpus, partners)
        annotated = annotate_documents(
            corpus,
            partner_mentions=partners,
            theme_mentions=themes,
            dyads=dyads,
            formats=formats,
            officials=pd.DataFrame(columns=OFFICIAL_COLUMNS),
        )
        got = annotate_with_tables(corpus, n_jobs=n_jobs)
        expected = {"partners": partners, "themes": themes, "formats": formats, "dyads": dyads}
        for name, table in expected.items():
            pd.testing.assert_frame_equal(getattr(got, name), table, obj=name)
        pd.testing.assert_frame_equal(got.documents, annotated)
        assert got.titled == find_titled_officials(corpus, partner_mentions=partners, n_jobs=1)
    assert len(got.partners) > len(parallel) and got.dyads["evidence"].notna().any()
    assert got.titled and len(got.formats)


def test_annotating_with_a_lexicon_of_ones_own_in_one_go(documents):
    lexicon = read_partners()
    lexicon = lexicon[lexicon["language"].isin(["en", "fr", "mul"])]
    partners, themes = tag_corpus(documents, partners=lexicon)
    plain = annotate_documents(
        documents, partners=lexicon, partner_mentions=partners, theme_mentions=themes
    )
    pd.testing.assert_frame_equal(annotate_documents(documents, partners=lexicon), plain)


def test_hits_filtered_before_the_table_equal_the_table_filtered(documents):
    """tag_partners drops names and foods on the hits; drop_non_partner_uses on the table."""
    table, matcher = compile_lexicon("partners")
    texts = documents["text"].tolist()
    found = find_all(matcher, texts, languages=documents["language"].tolist())
    none_rows = set(table.index[table["kind"] == "none"])
    pair_rows = set(table.index[table["alias_type"] == "pair"])
    found = [
        _pair_forms_linked(text, [hit for hit in hits if hit[2] not in none_rows], pair_rows)
        for text, hits in zip(texts, found, strict=True)
    ]
    rows = [row for hits in found for _, _, row in hits]
    unfiltered = pd.DataFrame(
        {
            "doc_id": [d for d, hits in zip(documents["doc_id"], found, strict=True) for _ in hits],
            "partner": table["code"].to_numpy()[rows],
            "kind": table["kind"].to_numpy()[rows],
            "alias_type": table["alias_type"].to_numpy()[rows],
            "language": table["language"].to_numpy()[rows],
            "match": [t[s:e] for t, hits in zip(texts, found, strict=True) for s, e, _ in hits],
            "start": [s for hits in found for s, _, _ in hits],
            "end": [e for hits in found for _, e, _ in hits],
        }
    )
    expected = drop_non_partner_uses(unfiltered, documents)
    assert len(expected) < len(unfiltered)  # the rules dropped some
    pd.testing.assert_frame_equal(tag_partners(documents), expected, check_dtype=False)


def test_summit_words_on_the_folded_lead_and_only_when_needed(documents):
    summits_seen = 0
    for text, language in zip(documents["text"], documents["language"], strict=True):
        folded, marked = _fold_for_matching(text)
        for end in (len(text), min(len(text), 400), min(len(text), 57)):
            summits = _summits(text[:end], language)
            assert _summits(text[:end], language, (folded[:end], marked[:end])) == summits
            summits_seen += len(summits)
        summits = _summits(text[:400], language)
        for dyad in [("FRA", "IND"), ("EU", "IND")]:
            for in_lead in [set(), {"IND"}]:
                for evidenced in [False, True]:
                    for first in [10, 400]:
                        for blocs in [[], [("EU", 0, 2), (None, 30, 35)]]:
                            eager = (
                                not set(dyad) & in_lead and (first < 400 or bool(summits))
                            ) or (
                                not evidenced
                                and any(
                                    (code in dyad or code is None)
                                    and (0 <= s - e0 <= 12 or 0 <= s0 - e <= 12)
                                    for code, s0, e0 in blocs
                                    for s, e in summits
                                )
                            )
                            lazy = _multilateral_lead(
                                text,
                                400,
                                dyad,
                                evidenced,
                                in_lead,
                                first,
                                blocs,
                                language,
                                (folded, marked),
                            )
                            assert lazy == eager, (text[:80], dyad, in_lead, evidenced, first)
    assert summits_seen > 20


def test_name_and_food_rules_on_the_folded_document_agree(documents):
    """The rules read slices of the folded document in the workers, of the text elsewhere."""
    table, matcher = compile_lexicon("partners")
    columns = _partner_columns(table)
    texts = documents["text"].tolist()
    found = find_all(matcher, texts, languages=documents["language"].tolist())
    dropped = 0
    for text, hits in zip(texts, found, strict=True):
        folded, _ = _fold_for_matching(text)
        kept = _document_partners(text, hits, columns)
        assert _document_partners(text, hits, columns, folded) == kept
        dropped += len(hits) - len(kept)
    assert dropped > 0
