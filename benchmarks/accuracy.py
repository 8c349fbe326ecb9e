"""Accuracy of the package on the multilingual evaluation set (``tests/data/eval``).

    python benchmarks/accuracy.py [--data DIR] [--json] [--errors]
    python benchmarks/accuracy.py --write-floors tests/data/eval/floors.csv [--margin 0.05]

Each ``<language>.jsonl`` file is read with the package's own loader
(:func:`bilat_analysis.load_corpus`; it never reads the ``gold_*`` keys), the files
are put together into one corpus (so that reports of one meeting in two languages
can be joined), annotated with :func:`bilat_analysis.dyads.annotate_documents` and
:func:`bilat_analysis.topics.annotate_topics`, and compared with the gold keys.

Printed per language (and for ``all``): ``n``; ``language_accuracy`` (the loader's
language); ``dyad_accuracy`` (a missing dyad where the gold has none is right);
partner and theme precision/recall/F1, micro-averaged over documents (partners are
the codes of kind state/bloc/organisation in the ``partners`` column); ``date_accuracy``
(the loader's ``date`` against ``gold_date``; NaT where the gold is null is right);
same-meeting pair precision/recall/F1 (pairs of documents sharing an ``event`` id
against pairs sharing a ``gold_event``), split into same-language pairs and
cross-language pairs (a language's row counts the cross-language pairs that have one
document in it); and on the trap paragraphs the number of false partners and the
partner precision. A ratio with nothing to measure (no gold and no prediction) is NaN.

``--json`` prints ``{"summary": [...], "documents": [...]}`` instead of the table;
``--errors`` also prints every document with a wrong dyad, partner, theme or date;
``--write-floors`` writes today's figures minus ``--margin`` as the floors that
``tests/test_accuracy.py`` asserts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from bilat_analysis import load_corpus
from bilat_analysis.dyads import annotate_documents
from bilat_analysis.lexicons import read_partners
from bilat_analysis.topics import annotate_topics

EVAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"
GOLD_KEYS = (
    "doc_id",
    "text",
    "title",
    "gold_language",
    "gold_date",
    "gold_dyad",
    "gold_partners",
    "gold_themes",
    "gold_event",
    "trap",
    "note",
)
PARTNER_KINDS = ("state", "bloc", "organisation")
ERROR_COLUMNS = (
    "doc_id", "dyad", "gold_dyad", "false_partners", "missed_partners",
    "false_themes", "missed_themes", "date", "gold_date",
)  # fmt: skip
# The figures floors.csv bounds from below (higher is better for each); the targets.
FLOOR_METRICS = (
    "language_accuracy",
    "dyad_accuracy",
    "partner_f1",
    "theme_f1",
    "date_accuracy",
    "same_f1",
    "cross_f1",
    "trap_partner_precision",
)


def eval_files(folder: str | Path = EVAL_DIR) -> list[Path]:
    """Return the evaluation files (``*.jsonl``) in ``folder``, sorted by name."""
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no *.jsonl evaluation file in {folder}")
    return files


def _codes(value: object, what: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {what} must be a list of codes, got {value!r}")
    return tuple(sorted(set(value)))


def read_gold(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Read the gold keys of evaluation files, one row per paragraph.

    Columns: ``doc_id``, ``language``, ``date`` (string ``YYYY-MM-DD`` or None), ``dyad`` (sorted tuple or None), ``partners`` and
    ``themes`` (frozensets), ``event`` (str or None), ``trap`` (bool).
    A line that is not JSON, lacks a key, or holds a malformed value raises
    ``ValueError`` naming the file and line; so do files without any paragraph.
    """
    paths = list(paths)
    rows = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: not valid JSON ({error})") from error
            missing = [key for key in GOLD_KEYS if key not in record]
            if missing:
                raise ValueError(f"{where}: missing keys {missing}")
            dyad = record["gold_dyad"]
            if dyad is not None:
                dyad = _codes(dyad, "gold_dyad", where)
                if len(dyad) != 2:
                    raise ValueError(f"{where}: gold_dyad must hold two codes, got {dyad}")
            date = record["gold_date"]
            if date is not None:
                try:
                    pd.Timestamp(date)
                except ValueError as error:
                    raise ValueError(f"{where}: gold_date {date!r} is not YYYY-MM-DD") from error
            rows.append(
                {
                    "doc_id": record["doc_id"],
                    "language": record["gold_language"],
                    "date": date,
                    "dyad": dyad,
                    "partners": frozenset(_codes(record["gold_partners"], "gold_partners", where)),
                    "themes": frozenset(_codes(record["gold_themes"], "gold_themes", where)),
                    "event": record["gold_event"],
                    "trap": bool(record["trap"]),
                }
            )
    if not rows:
        raise ValueError(f"no paragraph in {[str(p) for p in paths]}")
    # object columns: a missing date or event stays None (a pandas 3 string column makes it NaN)
    gold = pd.DataFrame(rows, dtype=object)
    gold["trap"] = gold["trap"].astype(bool)
    duplicated = gold["doc_id"][gold["doc_id"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"duplicate doc_id in the gold: {duplicated}")
    return gold


def load_eval_corpus(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Load every evaluation file with :func:`bilat_analysis.load_corpus`, as one corpus."""
    return pd.concat([load_corpus(path) for path in paths], ignore_index=True)


def annotate(corpus: pd.DataFrame) -> pd.DataFrame:
    """Annotate the corpus as a user would: dyads, partners, themes, then events."""
    return annotate_topics(annotate_documents(corpus), random_state=0)


def _dyad(value: object) -> tuple[str, ...] | None:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return tuple(sorted(value))
    return None


def _keys(value: object) -> frozenset[str]:
    return frozenset(value) if isinstance(value, dict) else frozenset()


def _event(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same(a: object, b: object) -> bool:
    """Equal, with every missing value (None, NaN: pandas 3 strings) equal to the others."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return bool(a == b)


def _accuracy(found: Iterable[object], truth: Iterable[object]) -> float:
    pairs = list(zip(found, truth, strict=True))
    return sum(_same(a, b) for a, b in pairs) / len(pairs) if pairs else math.nan


def predictions(annotated: pd.DataFrame, *, kinds: Iterable[str] = PARTNER_KINDS) -> pd.DataFrame:
    """Normalise an annotated corpus to the gold's shape.

    Columns ``doc_id``, ``language``, ``date`` (``YYYY-MM-DD`` or None), ``dyad``
    (sorted tuple or None), ``partners`` (frozenset of the codes of the given kinds;
    codes the bundled lexicon does not know are kept), ``themes`` (frozenset),
    ``event`` (str or None).
    """
    lexicon = read_partners()
    kind_of = dict(zip(lexicon["code"], lexicon["kind"], strict=False))
    keep = set(kinds)
    partners = [
        frozenset(c for c in _keys(p) if c not in kind_of or kind_of[c] in keep)
        for p in annotated["partners"]
    ]
    events = annotated["event"] if "event" in annotated else pd.Series(None, index=annotated.index)
    return pd.DataFrame(
        {
            "doc_id": annotated["doc_id"].to_numpy(),
            "language": [v if isinstance(v, str) else None for v in annotated["language"]],
            "date": [_day(v) for v in annotated["date"]],
            "dyad": [_dyad(v) for v in annotated["dyad"]],
            "partners": partners,
            "themes": [_keys(t) for t in annotated["themes"]],
            "event": [_event(v) for v in events],
        }
    )


def scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; NaN where there is nothing to measure.

    >>> scores(2, 1, 1)
    (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    >>> scores(0, 0, 3)
    (nan, 0.0, 0.0)
    """
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    if tp + fp + fn == 0:
        return math.nan, math.nan, math.nan
    f1 = 2 * tp / (2 * tp + fp + fn)
    return precision, recall, f1


def set_counts(predicted: Iterable[frozenset], gold: Iterable[frozenset]) -> tuple[int, int, int]:
    """Micro counts (true positives, false positives, false negatives) over documents."""
    tp = fp = fn = 0
    for found, truth in zip(predicted, gold, strict=True):
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
    return tp, fp, fn


def same_event_pairs(doc_ids: Iterable[str], events: Iterable[str | None]) -> set[frozenset[str]]:
    """Unordered pairs of documents that share a (non-null) event id.

    >>> sorted(map(sorted, same_event_pairs(["a", "b", "c", "d"], ["x", "x", None, "y"])))
    [['a', 'b']]
    """
    groups: dict[str, list[str]] = {}
    for doc_id, event in zip(doc_ids, events, strict=True):
        if isinstance(event, str):
            groups.setdefault(event, []).append(doc_id)
    return {
        frozenset(pair)
        for members in groups.values()
        for pair in itertools.combinations(members, 2)
    }


def _pair_scores(
    found: set[frozenset[str]], truth: set[frozenset[str]], keep: set[frozenset[str]]
) -> dict[str, float]:
    found, truth = found & keep, truth & keep
    p, r, f = scores(len(found & truth), len(found - truth), len(truth - found))
    return {"pairs": len(truth), "precision": p, "recall": r, "f1": f}


def evaluate(annotated: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Compare an annotated corpus with the gold; one row per language, then ``all``.

    Parameters
    ----------
    annotated : pandas.DataFrame
        The corpus after :func:`annotate` (columns ``doc_id``, ``language``,
        ``date``, ``dyad``, ``partners``, ``themes``, ``event``).
    gold : pandas.DataFrame
        From :func:`read_gold`. Every gold ``doc_id`` must be in ``annotated``.

    Returns
    -------
    pandas.DataFrame
        Columns ``language``, ``n``, then the metrics (see the module docstring).
    """
    predicted = predictions(annotated).set_index("doc_id")
    missing = sorted(set(gold["doc_id"]) - set(predicted.index))
    if missing:
        raise ValueError(f"gold documents missing from the annotated corpus: {missing}")
    truth = gold.set_index("doc_id")
    found = predicted.loc[truth.index]
    language_of = truth["language"].to_dict()
    found_pairs = same_event_pairs(found.index, found["event"])
    gold_pairs = same_event_pairs(truth.index, truth["event"])

    def split(pair: frozenset[str]) -> tuple[set[str], bool]:
        languages = {language_of[d] for d in pair}
        return languages, len(languages) == 1

    every_pair = found_pairs | gold_pairs
    rows = []
    for language in [*sorted(truth["language"].unique()), "all"]:
        mask = truth["language"].eq(language) if language != "all" else truth["language"].notna()
        t, f = truth[mask], found[mask.to_numpy()]
        row: dict[str, object] = {"language": language, "n": len(t)}
        row["language_accuracy"] = _accuracy(f["language"], t["language"])
        row["dyad_accuracy"] = _accuracy(f["dyad"], t["dyad"])
        for name in ("partners", "themes"):
            p, r, f1 = scores(*set_counts(f[name], t[name]))
            stem = name[:-1]
            row[f"{stem}_precision"], row[f"{stem}_recall"], row[f"{stem}_f1"] = p, r, f1
        row["date_accuracy"] = _accuracy(f["date"], t["date"])
        same = {
            q
            for q in every_pair
            if split(q)[1] and (language == "all" or split(q)[0] == {language})
        }
        cross = {
            q
            for q in every_pair
            if not split(q)[1] and (language == "all" or language in split(q)[0])
        }
        for label, keep in (("same", same), ("cross", cross)):
            for key, value in _pair_scores(found_pairs, gold_pairs, keep).items():
                row[f"{label}_{key}"] = value
        traps = t["trap"].to_numpy()
        tp, fp, _ = set_counts(f["partners"][traps], t["partners"][traps])
        row["trap_n"] = int(traps.sum())
        row["trap_false_partners"] = fp
        row["trap_partner_precision"] = tp / (tp + fp) if tp + fp else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def document_errors(annotated: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per document with anything wrong: the gold and the prediction side by side."""
    found = predictions(annotated).set_index("doc_id")
    rows = []
    for g in gold.itertuples(index=False):
        f = found.loc[g.doc_id]
        row = {
            "doc_id": g.doc_id,
            "dyad": f["dyad"],
            "gold_dyad": g.dyad,
            "false_partners": sorted(f["partners"] - g.partners),
            "missed_partners": sorted(g.partners - f["partners"]),
            "false_themes": sorted(f["themes"] - g.themes),
            "missed_themes": sorted(g.themes - f["themes"]),
            "date": f["date"],
            "gold_date": g.date,
        }
        wrong = (
            not _same(row["dyad"], row["gold_dyad"])
            or row["false_partners"]
            or row["missed_partners"]
            or row["false_themes"]
            or row["missed_themes"]
            or not _same(row["date"], row["gold_date"])
        )
        if wrong:
            rows.append(row)
    return pd.DataFrame(rows, columns=ERROR_COLUMNS)


def run(folder: str | Path = EVAL_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load, annotate and evaluate; return ``(summary, annotated, gold)``."""
    files = eval_files(folder)
    gold = read_gold(files)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the loader's notes on unsupported languages
        annotated = annotate(load_eval_corpus(files))
    return evaluate(annotated, gold), annotated, gold


def floors(
    summary: pd.DataFrame, *, margin: float = 0.05, metrics: Iterable[str] = FLOOR_METRICS
) -> pd.DataFrame:
    """Today's figures minus ``margin`` (rounded down to 0.01, not below 0) as floors.

    One row per language (in the summary's order) and metric; NaN figures get no floor.

    >>> floors(pd.DataFrame({"language": ["en"], "dyad_accuracy": [0.8]}), metrics=["dyad_accuracy"])
      language         metric  floor
    0       en  dyad_accuracy   0.75
    """
    rows = [
        (row["language"], metric, math.floor(max(row[metric] - margin, 0) * 100 + 1e-6) / 100)
        for _, row in summary.iterrows()
        for metric in metrics
        if not pd.isna(row[metric])
    ]
    return pd.DataFrame(rows, columns=["language", "metric", "floor"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=EVAL_DIR, help="folder of <language>.jsonl files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--errors", action="store_true", help="also list wrong documents")
    parser.add_argument("--write-floors", type=Path, help="write floors.csv from today's figures")
    parser.add_argument("--margin", type=float, default=0.05, help="floor = figure - margin")
    args = parser.parse_args(argv)
    summary, annotated, gold = run(args.data)
    errors = document_errors(annotated, gold)
    if args.write_floors:
        floors(summary, margin=args.margin).to_csv(args.write_floors, index=False)
    if args.json:
        payload = {
            "summary": json.loads(summary.to_json(orient="records")),
            "documents": json.loads(errors.to_json(orient="records")) if args.errors else [],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    columns = [
        "language", "n", "language_accuracy", "dyad_accuracy",
        "partner_precision", "partner_recall", "partner_f1",
        "theme_precision", "theme_recall", "theme_f1", "date_accuracy",
        "same_pairs", "same_f1", "cross_pairs", "cross_precision", "cross_recall", "cross_f1",
        "trap_n", "trap_false_partners",
    ]  # fmt: skip
    short = {
        "language": "lang", "language_accuracy": "lang_acc", "dyad_accuracy": "dyad",
        "partner_precision": "part_P", "partner_recall": "part_R", "partner_f1": "part_F1",
        "theme_precision": "thm_P", "theme_recall": "thm_R", "theme_f1": "thm_F1",
        "date_accuracy": "date", "same_pairs": "same_n", "same_f1": "same_F1",
        "cross_pairs": "cross_n", "cross_precision": "cross_P", "cross_recall": "cross_R",
        "cross_f1": "cross_F1", "trap_n": "traps", "trap_false_partners": "trap_FP",
    }  # fmt: skip
    with pd.option_context("display.width", 250, "display.max_columns", 40):
        print(summary[columns].rename(columns=short).round(2).to_string(index=False))
        if args.errors:
            print()
            print(errors.to_string(index=False))


if __name__ == "__main__":
    main()
