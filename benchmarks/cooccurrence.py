"""Benchmark the sparse co-occurrence path against a pandas merge on the same tags.

    python benchmarks/cooccurrence.py [--size 100000] [--repeats 3]

Tags the seeded synthetic corpus once (not timed), then times, on the same partner and
theme mentions: the package's partner x theme count matrix (incidence matrices and a
sparse product) and a pandas baseline (drop duplicates, merge on doc_id, group and
count, unstack). Checks that both give the same matrix; prints medians, the ratio, and
the peak memory each allocates (tracemalloc, in a separate untimed run).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import pandas as pd
from measure import median_seconds
from synthetic import make_corpus

from bilat_analysis.cooccurrence import association_table, cooccurrence, incidence
from bilat_analysis.tagging import tag_corpus


def sparse_path(corpus: pd.DataFrame, mentions: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return cooccurrence(corpus, rows="partner", cols="theme", mentions=mentions)


def pandas_path(corpus: pd.DataFrame, mentions: dict[str, pd.DataFrame]) -> pd.DataFrame:
    partners = mentions["partner"][["doc_id", "label"]].drop_duplicates()
    themes = mentions["theme"][["doc_id", "label"]].drop_duplicates()
    pairs = partners.merge(themes, on="doc_id", suffixes=("_partner", "_theme"))
    return pairs.groupby(["label_partner", "label_theme"]).size().unstack(fill_value=0)  # noqa: PD010


def measures_path(corpus: pd.DataFrame, mentions: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return association_table(
        incidence(corpus, mentions["partner"]), incidence(corpus, mentions["theme"])
    )


def peak_mib(run) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    corpus = make_corpus(args.size, seed=0)
    start = time.perf_counter()
    partners, themes = tag_corpus(corpus, n_jobs=2)
    tagging = time.perf_counter() - start
    partners = partners[(partners["kind"] != "region") & (partners["alias_type"] != "capital")]
    themes = themes[~themes["in_title"]]
    mentions = {
        "partner": partners.rename(columns={"partner": "label"}),
        "theme": themes.rename(columns={"theme": "label"}),
    }
    print(
        f"{args.size} documents; {len(partners)} partner and {len(themes)} theme mentions "
        f"(tagging, not compared: {tagging:.1f} s)"
    )
    ours = sparse_path(corpus, mentions)
    theirs = pandas_path(corpus, mentions).reindex(
        index=ours.index, columns=ours.columns, fill_value=0
    )
    assert (ours.to_numpy() == theirs.to_numpy()).all(), "the two paths disagree"
    results = {}
    for name, run in [
        ("sparse X.T @ Y (package)", sparse_path),
        ("pandas merge + groupby", pandas_path),
        ("all measures + Fisher p (package)", measures_path),
    ]:
        seconds = median_seconds(lambda r=run: r(corpus, mentions), args.repeats)
        memory = peak_mib(lambda r=run: r(corpus, mentions))
        results[name] = seconds
        print(
            f"  {name:36s}: {seconds:7.3f} s (median of {args.repeats}), "
            f"peak {memory:7.1f} MiB allocated"
        )
    ratio = results["pandas merge + groupby"] / results["sparse X.T @ Y (package)"]
    print(f"  ratio pandas / sparse: {ratio:.1f}x")


if __name__ == "__main__":
    main()
