"""The multilingual evaluation set, its metrics, and the accuracy floors (issue 9)."""

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat_analysis.lexicons import read_languages, read_partners, read_themes

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "data" / "eval"


def _load_accuracy():
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


accuracy = _load_accuracy()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def record(doc_id, language, date, dyad, partners, themes, event, trap=False):
    return {
        "doc_id": doc_id,
        "text": f"text of {doc_id}",
        "title": None,
        "gold_language": language,
        "gold_date": date,
        "gold_dyad": dyad,
        "gold_partners": partners,
        "gold_themes": themes,
        "gold_event": event,
        "trap": trap,
        "note": "",
    }


# ---- the metric functions on a tiny hand-made example --------------------------------------


TINY = [
    record("a", "en", "2024-01-02", ["FRA", "IND"], ["FRA", "IND"], ["defence"], "e1"),
    record(
        "b", "fr", "2024-01-02", ["IND", "FRA"], ["IND", "FRA", "UN"], ["space", "defence"], "e1",
        trap=True,
    ),
    record("c", "en", None, None, [], [], None, trap=True),
    record("d", "en", "2024-03-04", ["CHN", "JPN"], ["CHN", "JPN"], ["trade_investment"], "e2"),
]  # fmt: skip


@pytest.fixture
def tiny(tmp_path):
    gold = accuracy.read_gold([write_jsonl(tmp_path / "tiny.jsonl", TINY)])
    annotated = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": ["", "", "", ""],
            "language": ["en", "fr", "en", "en"],
            "date": pd.to_datetime(["2024-01-02", None, None, "2024-03-04"]),
            "dyad": [("FRA", "IND"), ("FRA", "IND"), np.nan, ("USA", "CHN")],
            "partners": [
                {"IND": 2, "FRA": 1, "INDO_PACIFIC": 1},  # a region: not a partner
                {"FRA": 1, "IND": 1},
                {"JOR": 1},
                {"CHN": 1, "USA": 1},
            ],
            "themes": [{"defence": 1}, {"defence": 2}, {}, {"trade_investment": 1, "energy": 1}],
            "event": ["a", "a", "c", "c"],  # a+b right (cross-language), c+d wrongly joined
        }
    )
    return annotated, gold


def test_read_gold_normalises(tiny):
    _, gold = tiny
    b = gold.set_index("doc_id").loc["b"]
    assert b["dyad"] == ("FRA", "IND")
    assert b["partners"] == frozenset({"FRA", "IND", "UN"})
    c = gold.set_index("doc_id").loc["c"]
    assert c["dyad"] is None and c["date"] is None and c["event"] is None
    assert gold["trap"].tolist() == [False, True, True, False]


def test_read_gold_needs_paragraphs(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", "utf-8")
    with pytest.raises(ValueError, match=r"no paragraph in .*empty\.jsonl"):
        accuracy.read_gold([tmp_path / "empty.jsonl"])


def test_evaluate_by_hand(tiny):
    summary = accuracy.evaluate(*tiny).set_index("language")
    everything = summary.loc["all"]
    assert everything["n"] == 4
    assert everything["language_accuracy"] == 1
    assert everything["dyad_accuracy"] == pytest.approx(3 / 4)  # c: no dyad, rightly
    # partners: tp 2+2+0+1, fp 0+0+1+1, fn 0+1+0+1
    assert everything["partner_precision"] == pytest.approx(5 / 7)
    assert everything["partner_recall"] == pytest.approx(5 / 7)
    assert everything["partner_f1"] == pytest.approx(5 / 7)
    assert everything[["theme_precision", "theme_recall", "theme_f1"]].tolist() == [0.75] * 3
    assert everything["date_accuracy"] == pytest.approx(3 / 4)  # b's date is missing
    assert everything["cross_pairs"] == 1
    assert everything[["cross_precision", "cross_recall", "cross_f1"]].tolist() == [1, 1, 1]
    assert everything["same_pairs"] == 0
    assert everything["same_precision"] == 0  # c+d joined, wrongly
    assert math.isnan(everything["same_recall"])
    assert everything["trap_n"] == 2
    assert everything["trap_false_partners"] == 1  # JOR in c
    assert everything["trap_partner_precision"] == pytest.approx(2 / 3)
    english = summary.loc["en"]
    assert english["n"] == 3
    assert english["dyad_accuracy"] == pytest.approx(2 / 3)
    assert english["cross_f1"] == 1  # a cross-language pair counts for both its languages
    assert math.isnan(summary.loc["fr", "same_f1"])  # nothing to measure


def test_evaluate_nothing_found(tiny):
    annotated, gold = tiny
    empty = annotated.assign(
        dyad=[None] * 4,
        partners=[{}] * 4,
        themes=[{}] * 4,
        date=pd.NaT,
        language=np.nan,
        event=np.nan,
    )
    everything = accuracy.evaluate(empty, gold).set_index("language").loc["all"]
    assert everything["dyad_accuracy"] == 0.25  # only c, which has no dyad
    assert everything["partner_recall"] == 0
    assert math.isnan(everything["partner_precision"])
    assert everything["partner_f1"] == 0
    assert everything["date_accuracy"] == 0.25
    assert everything["language_accuracy"] == 0
    assert everything["cross_recall"] == 0
    assert everything["trap_false_partners"] == 0


def test_evaluate_names_missing_documents(tiny):
    annotated, gold = tiny
    with pytest.raises(ValueError, match=r"missing from the annotated corpus: \['d'\]"):
        accuracy.evaluate(annotated.iloc[:3], gold)


def test_scores_and_pairs():
    assert accuracy.scores(1, 1, 0) == (0.5, 1.0, pytest.approx(2 / 3))
    assert all(math.isnan(x) for x in accuracy.scores(0, 0, 0))
    pairs = accuracy.same_event_pairs(["a", "b", "c"], ["x", "x", "x"])
    assert pairs == {frozenset("ab"), frozenset("ac"), frozenset("bc")}
    assert accuracy.same_event_pairs(["a", "b"], [np.nan, np.nan]) == set()


def test_document_errors_lists_only_wrong_documents(tiny):
    errors = accuracy.document_errors(*tiny).set_index("doc_id")
    assert errors.index.tolist() == ["b", "c", "d"]
    assert errors.loc["c", "false_partners"] == ["JOR"]
    assert errors.loc["d", "missed_partners"] == ["JPN"]


def test_floors_from_a_summary():
    summary = pd.DataFrame(
        {"language": ["en", "all"], "dyad_accuracy": [0.8, 0.03], "cross_f1": [np.nan, 0.5]}
    )
    floors = accuracy.floors(summary, metrics=["dyad_accuracy", "cross_f1"])
    assert floors.to_dict("records") == [
        {"language": "en", "metric": "dyad_accuracy", "floor": 0.75},
        {"language": "all", "metric": "dyad_accuracy", "floor": 0.0},
        {"language": "all", "metric": "cross_f1", "floor": 0.45},
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("gold_event"), "missing keys"),
        (lambda r: r.update(gold_dyad=["FRA"]), "two codes"),
        (lambda r: r.update(gold_partners="FRA"), "list of codes"),
        (lambda r: r.update(gold_date="2024-13-45"), "not YYYY-MM-DD"),
    ],
)
def test_read_gold_errors_name_the_file(tmp_path, change, message):
    bad = record("a", "en", "2024-01-02", ["FRA", "IND"], ["FRA", "IND"], [], None)
    change(bad)
    path = write_jsonl(tmp_path / "bad.jsonl", [bad])
    with pytest.raises(ValueError, match=message) as error:
        accuracy.read_gold([path])
    assert "bad.jsonl:1" in str(error.value)


# ---- the evaluation set itself --------------------------------------------------------------


@pytest.fixture(scope="module")
def gold():
    return accuracy.read_gold(accuracy.eval_files())


def test_every_supported_language_has_eight_paragraphs(gold):
    counts = gold["language"].value_counts()
    for language in read_languages()["language"]:
        assert counts.get(language, 0) >= 8, language
    for path in accuracy.eval_files():
        assert set(gold.loc[gold["doc_id"].str.startswith(path.stem + "-"), "language"]) == {
            path.stem
        }


def test_gold_codes_are_valid(gold):
    pycountry = pytest.importorskip("pycountry")
    codes = set(read_partners()["code"]) | {c.alpha_3 for c in pycountry.countries}
    regions = set(read_partners().query("kind == 'region'")["code"])
    themes = set(read_themes()["theme"])
    for row in gold.itertuples():
        assert row.partners <= codes - regions, (row.doc_id, row.partners - codes)
        assert row.themes <= themes, (row.doc_id, row.themes - themes)
        if row.dyad is not None:
            assert set(row.dyad) <= row.partners, row.doc_id
        assert row.date is None or len(row.date) == 10


def test_gold_events_join_reports_in_two_languages(gold):
    events = gold.dropna(subset=["event"]).groupby("event")["language"].agg(set)
    for pair in [("en", "ja"), ("ru", "tr"), ("vi", "zh"), ("fr", "id"), ("de", "en"),
                 ("ar", "es"), ("it", "pt")]:  # fmt: skip
        assert any(set(pair) <= languages for languages in events), pair
    same = gold.dropna(subset=["event"]).groupby(["event", "language"]).size()
    assert (same >= 2).sum() >= 8  # same-language pairs too


def test_chinese_in_both_scripts():
    texts = [json.loads(line)["text"] for line in (EVAL_DIR / "zh.jsonl").open(encoding="utf-8")]
    assert any("国" in t for t in texts) and any("國" in t for t in texts)


def test_the_loader_never_sees_the_gold():
    from bilat_analysis import load_corpus

    corpus = load_corpus(EVAL_DIR / "en.jsonl")
    assert not [c for c in corpus.columns if c.startswith("gold")]
    assert corpus["doc_id"].str.startswith("en-").all()


# ---- floors on today's code -----------------------------------------------------------------


@pytest.fixture(scope="module")
def summary():
    return accuracy.run()[0].set_index("language")


def test_floors_file_covers_every_language():
    floors = pd.read_csv(EVAL_DIR / "floors.csv")
    assert list(floors.columns) == ["language", "metric", "floor"]
    assert set(floors["metric"]) <= set(accuracy.FLOOR_METRICS)
    for language in [*read_languages()["language"], "all"]:
        have = set(floors.loc[floors["language"] == language, "metric"])
        assert {"dyad_accuracy", "partner_f1", "theme_f1", "date_accuracy"} <= have, language
    assert floors["floor"].between(0, 1).all()


def test_accuracy_floors(summary):
    floors = pd.read_csv(EVAL_DIR / "floors.csv")
    below = [
        f"{row.language} {row.metric}: {summary.loc[row.language, row.metric]:.3f} < {row.floor}"
        for row in floors.itertuples()
        if not summary.loc[row.language, row.metric] >= row.floor  # NaN fails too
    ]
    assert not below, "\n".join(below)


def test_command_line_json(tmp_path, capsys):
    for language, n in (("en", 3), ("ja", 2)):
        lines = (EVAL_DIR / f"{language}.jsonl").read_text("utf-8").splitlines()[:n]
        (tmp_path / f"{language}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    accuracy.main(["--data", str(tmp_path), "--json", "--errors"])
    payload = json.loads(capsys.readouterr().out)
    assert [row["language"] for row in payload["summary"]] == ["en", "ja", "all"]
    everything = payload["summary"][-1]
    assert everything["n"] == 5
    assert everything["same_pairs"] == 2  # en-01+en-02, ja-01+ja-02
    assert everything["cross_pairs"] == 4  # each of en-01, en-02 with each of ja-01, ja-02
    assert {d["doc_id"] for d in payload["documents"]} <= {
        f"{x}-0{i}" for x in ("en", "ja") for i in (1, 2, 3)
    }


def test_benchmark_doctests():
    import doctest

    result = doctest.testmod(accuracy, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3
    assert result.failed == 0
