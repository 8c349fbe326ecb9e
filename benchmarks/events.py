"""Benchmark same-meeting grouping: time at n and 2n documents, uniform and skewed dyads.

    python benchmarks/events.py [--sizes 10000 20000] [--repeats 3]

The synthetic corpus (synthetic.py) is tagged once; its documents get seeded dates
over three years. In the "skewed" shape three dyads hold 80% of the articles (as
India-USA or China-Russia do in real news), so a quadratic grouping would show. The
format and official mentions are given to ``group_events`` as a prepared corpus gives
them; their tagging is timed on its own line. Prints medians and the ratio between
consecutive sizes (near-linear grouping: about 2x when the corpus doubles).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from measure import median_seconds
from synthetic import make_corpus

from bilat_analysis.dyads import annotate_documents
from bilat_analysis.events import group_events
from bilat_analysis.officials import tag_officials
from bilat_analysis.tagging import tag_formats

SKEW = [(("IND", "USA"), 0.40), (("CHN", "RUS"), 0.25), (("FRA", "IND"), 0.15)]


def corpus_of(size: int, shape: str) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    annotated = annotate_documents(make_corpus(size, seed=0), n_jobs=2)
    days = rng.integers(0, 3 * 365, size)
    annotated["date"] = pd.Timestamp("2021-01-01") + pd.to_timedelta(days, unit="D")
    if shape == "skewed":
        draw = rng.random(size)
        dyads = annotated["dyad"].tolist()
        edge = 0.0
        for dyad, share in SKEW:
            chosen = (draw >= edge) & (draw < edge + share)
            for i in np.flatnonzero(chosen):
                dyads[i] = dyad
            edge += share
        annotated["dyad"] = dyads
    return annotated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", default=["uniform", "skewed"])
    args = parser.parse_args()
    print("| shape | documents | tag formats + officials (s) | group_events (s) | ratio | events |")
    print("|---|---|---|---|---|---|")
    for shape in args.shapes:
        previous = None
        for size in args.sizes:
            annotated = corpus_of(size, shape)
            start = time.perf_counter()
            formats = tag_formats(annotated, n_jobs=2)
            officials = tag_officials(annotated)
            tagging = time.perf_counter() - start
            result = {}

            def run(annotated=annotated, formats=formats, officials=officials, result=result):
                result["events"] = group_events(
                    annotated, formats=formats, officials=officials, n_jobs=2
                )

            seconds = median_seconds(run, args.repeats)
            ratio = "" if previous is None else f"{seconds / previous:.2f}x"
            n_events = result["events"]["event"].nunique()
            print(f"| {shape} | {size:,} | {tagging:.1f} | {seconds:.2f} | {ratio} | {n_events:,} |")
            previous = seconds


if __name__ == "__main__":
    main()
