import warnings

import pandas as pd
import pytest

from bilat_analysis import load_corpus
from bilat_analysis.cooccurrence import cooccurrence, dyad_profiles, official_dyads
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.lesson import (
    OWN_CORPUS_EXAMPLE,
    TEACHING_CORPUS,
    check,
    exercises,
    guess_columns,
    period_profiles,
)
from bilat_analysis.officials import tag_officials
from bilat_analysis.topics import annotate_topics, cluster_documents

SEED = 0


# ---------------------------------------------------------------- the learner's way
# Each solution is computed the way the solution notebooks compute it, through the
# package's public functions, independently of the code inside bilat_analysis.lesson.
@pytest.fixture(scope="module")
def docs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the teaching corpus loads without a skipped file
        return load_corpus(TEACHING_CORPUS)


@pytest.fixture(scope="module")
def annotated(docs):
    return annotate_topics(annotate_documents(docs), random_state=SEED)


@pytest.fixture(scope="module")
def own():
    corpus = load_corpus(
        OWN_CORPUS_EXAMPLE,
        text_column="cuerpo",
        id_column="nota_id",
        date_column="fecha",
        title_column="titular",
    )
    return annotate_topics(annotate_documents(corpus), random_state=SEED)


@pytest.fixture(scope="module")
def solutions(docs, annotated, own):
    with_capitals = annotate_documents(docs, count_capitals=True).set_index("doc_id")
    plain = annotated.set_index("doc_id")
    venue = "esp-mex-2022-03-24-en"
    trap = "deu-jpn-2024-07-19-en"
    counts_doc = cooccurrence(annotated, measure="count", unit="document")
    counts_event = cooccurrence(annotated, measure="count", unit="event")
    npmi = cooccurrence(annotated, measure="npmi", unit="event", min_support=3)
    officials = official_dyads(annotated, tag_officials(annotated))
    per_official = officials.groupby("official")["dyad"].nunique()
    early = period_profiles(annotated, "FRA-IND", {"early": (2019, 2021)})
    late = period_profiles(annotated, "FRA-IND", {"late": (2023, 2025)})
    by_event = annotated.groupby("event")["language"].nunique()
    top_dyad = own["dyad"].dropna().map("-".join).value_counts().index[0]
    profiles = dyad_profiles(own, unit="event")
    profile = profiles[profiles["dyad"] == top_dyad]
    return {
        "1.1": len(docs),
        "1.2": sorted(docs["language"].unique()),
        "1.3": docs.loc[docs["date_source"] == "text", "doc_id"].tolist(),
        "2.1": docs.loc[annotated["dyad"].isna(), "doc_id"].tolist(),
        "2.2": sorted(set(plain.loc[trap, "partners"]) - set(plain.loc[trap, "dyad"])),
        "2.3": sorted(
            set(with_capitals.loc[venue, "partners"]) - set(plain.loc[venue, "partners"])
        ),
        "3.1": annotated["event"].nunique(),
        "3.2": annotated.loc[annotated["event"].isin(by_event[by_event > 1].index), "doc_id"],
        "3.3": cluster_documents(annotated, random_state=SEED).k,
        "4.1": counts_doc.loc["FRA", "space"],
        "4.2": counts_event.loc["FRA", "space"],
        "4.3": npmi.stack().idxmax(),  # noqa: PD013
        "5.1": per_official[per_official > 1].index.tolist(),
        "5.2": early.loc[0, "theme"],
        "5.3": late.loc[0, "theme"],
        "6.1": len(own),
        "6.2": profile.sort_values("share", ascending=False)["theme"].iloc[0],
    }


# ---------------------------------------------------------------- typical wrong answers
WRONG = {
    "1.1": 29,
    "1.2": ["en", "fr"],
    "1.3": "ind-fra-2019-03-14-en",
    "2.1": ["g20-2023-09-10-en", "ind-fra-2019-03-14-en"],
    "2.2": ["DEU", "JPN"],
    "2.3": ["ESP", "MEX"],
    "3.1": 30,  # counting articles, not meetings
    "3.2": ["ind-fra-2023-04-11-en", "ind-fra-2019-03-14-en"],
    "3.3": 1,
    "4.1": 0,
    "4.2": 4,  # documents, not meetings
    "4.3": ("SEN", "agriculture"),  # tops the table with min_support=2
    "5.1": "Arjun Mehta",
    "5.2": "space",  # the late agenda
    "5.3": "defence",  # the early agenda
    "6.1": 0,
    "6.2": "agriculture",
}


def test_every_exercise_has_a_solution_and_a_wrong_answer(solutions):
    keys = exercises()["exercise"].tolist()
    assert sorted(solutions) == keys == sorted(WRONG)
    counts = exercises().groupby("episode").size()
    assert counts.between(2, 4).all()  # 2-4 exercises per episode
    assert len(counts) == 6


@pytest.mark.parametrize("key", sorted(WRONG))
def test_the_solution_passes(solutions, key):
    feedback = check(key, solutions[key])
    assert feedback.correct, feedback.message
    assert feedback.message.startswith(f"{key} Right")


@pytest.mark.parametrize("blank", [..., None, "", []])
@pytest.mark.parametrize("key", sorted(WRONG))
def test_a_blank_answer_gets_the_hint(key, blank):
    feedback = check(key, blank)
    assert not feedback.correct
    assert "Not answered yet. Hint:" in feedback.message


@pytest.mark.parametrize("key", sorted(WRONG))
def test_a_wrong_answer_gets_a_hint_never_the_answer(solutions, key):
    feedback = check(key, WRONG[key])
    assert not feedback.correct
    assert "Hint:" in feedback.message
    answer = solutions[key]
    values = [answer] if isinstance(answer, (str, int)) else list(pd.Series(answer).astype(str))
    for value in values:
        if isinstance(value, str) and len(value) > 3 and key not in {"2.3"}:
            assert value not in feedback.message, value


def test_typical_mistakes_get_their_own_advice():
    assert "number of articles" in check("3.1", 30).message
    assert "documents" in check("4.2", 4).message
    assert "min_support below 3" in check("4.3", ("SEN", "agriculture")).message
    assert "about" in check("2.2", ["DEU", "JPN"]).message


def test_answers_are_read_in_any_reasonable_form(solutions):
    assert check("2.2", "tcd").correct
    assert check("3.2", " ".join(solutions["3.2"])).correct
    assert check("3.1", str(solutions["3.1"])).correct
    assert check("4.3", " ".join(solutions["4.3"])).correct
    assert check("5.1", "claire  morvan").correct
    assert not check("3.1", True).correct  # a bool is not a number
    assert "should be a number" in check("3.1", "many").message


def test_a_partly_right_list_says_how_much_is_right(solutions):
    key = next(k for k in ("2.1", "3.2", "1.3") if len(list(solutions[k])) > 1)
    message = check(key, list(solutions[key])[:1]).message
    assert "1 of your 1 right" in message
    assert "missing" in message


def test_unknown_exercise_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"'1\.1'"):
        check("9.9", 1)


# ---------------------------------------------------------------- the corpus tells the story
def test_teaching_corpus_has_the_shape_the_issue_asks_for(docs):
    assert 30 <= len(docs) <= 60
    assert set(docs["language"]) == {"en", "fr", "es", "de"}
    assert docs["date"].dt.year.nunique() >= 5
    assert docs["source"].str.startswith("teaching/").all()  # never an absolute path


def test_teaching_corpus_key_points_hold_with_english_and_french(annotated):
    by_id = annotated.set_index("doc_id")
    # the same meeting reported twice, in two languages, is one event
    assert (
        by_id.loc["ind-fra-2023-04-11-en", "event"] == by_id.loc["ind-fra-2023-04-12-fr", "event"]
    )
    # a person named like a country, a capital used as the venue
    assert "TCD" in by_id.loc["deu-jpn-2024-07-19-en", "partners"]
    assert "FRA" not in by_id.loc["esp-mex-2022-03-24-en", "partners"]
    assert pd.isna(by_id.loc["esp-mex-2022-03-24-en", "host"])
    # the multilateral summit has no dyad
    assert by_id.loc["g20-2023-09-10-en", "dyad"] is None
    # the agenda shifts
    assert check("5.2", "defence").correct and check("5.3", "space").correct
    # one official chairs two dialogues
    assert check("5.1", "Claire Morvan").correct


def test_the_cross_language_pair_is_the_only_multilingual_event(solutions):
    assert sorted(solutions["3.2"]) == ["ind-fra-2023-04-11-en", "ind-fra-2023-04-12-fr"]


def test_guess_columns_finds_the_example_csv_columns():
    assert guess_columns(OWN_CORPUS_EXAMPLE) == {
        "text_column": "cuerpo",
        "date_column": "fecha",
        "id_column": "nota_id",
        "title_column": "titular",
    }


def test_guess_columns_on_a_table_without_text(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no column with text"):
        guess_columns(empty)


def test_period_profiles_for_an_unknown_dyad_names_the_dyads(annotated):
    with pytest.raises(ValueError, match="'FRA-IND'"):
        period_profiles(annotated, "BRA-CHN", {"all": (2000, 2030)})
    with pytest.raises(ValueError, match="no date in the periods"):
        period_profiles(annotated, "FRA-IND", {"none": (1990, 1991)})


# ---------------------------------------------------------------- the notebooks and the site
def _notebook(path):
    import nbformat

    return nbformat.read(path, as_version=4)


def test_each_episode_has_an_exercise_and_a_solution_notebook_in_the_lesson_format():
    from bilat_analysis.paths import LESSON_DIR

    episodes = sorted(p.name for p in LESSON_DIR.glob("[0-9]*.ipynb"))
    assert len(episodes) == 6
    assert sorted(p.name for p in (LESSON_DIR / "solutions").glob("[0-9]*.ipynb")) == episodes
    keys = exercises()
    for number, name in enumerate(episodes, start=1):
        wanted = keys.loc[keys["episode"] == number, "exercise"].tolist()
        for folder, blank in ((LESSON_DIR, True), (LESSON_DIR / "solutions", False)):
            notebook = _notebook(folder / name)
            markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
            code = [c for c in notebook.cells if c.cell_type == "code"]
            assert markdown.startswith(f"# Episode {number} ")
            for part in ("**Time:**", "**Questions**", "**Objectives**", "## Key points"):
                assert part in markdown, (name, part)
            assert any("parameters" in c.metadata.get("tags", []) for c in code)
            checks = [c for c in code if "check(" in c.source]
            assert [c.source.split('check("')[1][:3] for c in checks] == wanted
            assert all(("answer = ..." in c.source) == blank for c in checks), name
            counts = [c.execution_count for c in code]
            assert counts == list(range(1, len(code) + 1)), name  # run top to bottom


def test_render_lesson_renders_the_episodes_then_the_solutions(monkeypatch, tmp_path):
    from bilat_analysis import lesson
    from bilat_analysis.paths import LESSON_DIR

    calls = []

    def fake(corpus, **options):
        assert corpus == TEACHING_CORPUS  # the index names the teaching corpus
        calls.append(options)
        return options["out_dir"] / "index.html"

    monkeypatch.setattr(lesson, "render_reports", fake)
    assert lesson.render_lesson(tmp_path) == tmp_path / "index.html"
    assert calls == [
        {"out_dir": tmp_path, "notebooks_dir": LESSON_DIR},
        {"out_dir": tmp_path / "solutions", "notebooks_dir": LESSON_DIR / "solutions"},
    ]
    calls.clear()
    lesson.render_lesson(tmp_path, solutions=False)
    assert len(calls) == 1
