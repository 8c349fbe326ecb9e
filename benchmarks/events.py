"""Benchmark same-meeting grouping: time at n and 2n documents, uniform and skewed dyads.

    python benchmarks/events.py [--sizes 10000 20000] [--repeats 3] [--dates fixed scaled]
                                [--rounds 1] [--hash-inside] [--cache DIR]

The synthetic corpus (synthetic.py) is tagged once; its documents get seeded dates:
over three years whatever the size (``--dates fixed``: a larger corpus has more
articles per day, as when more sources are added), or over three years per 100,000
articles (``scaled``: a larger corpus covers a longer period, at the same density).
Same-meeting candidates are pairs within a dyad and a few days, so with fixed dates a
dense dyad's candidates grow with the square of its articles per day. In the "skewed" shape three dyads hold 80% of the articles (as
India-USA or China-Russia do in real news), so a quadratic grouping would show. The
format and official mentions and the hashed words are given to ``group_events`` as a
prepared corpus gives them (the words are hashed once for events and clustering);
their tagging and hashing are timed on their own columns, with CPU seconds (this
process and its workers) beside the wall seconds. Each size is held in a process of its
own, as a user's session holds one corpus (a process that built a smaller corpus first
starts with another heap: its first large arrays cost more or less kernel time), and the
sizes' calls alternate (n, 2n, n, 2n, ...), so that a drift of the machine's speed falls
on both sizes alike (timed one size after the other, the ratio of one code went from 1.94x
to 2.42x in nine runs; alternated, from 2.05x to 2.32x in four). ``--hash-inside`` also times
``group_events`` hashing the words itself; ``--cache DIR`` keeps the tagged corpora
(their tagging is then not timed again). Prints medians and the ratio between
consecutive sizes (near-linear grouping: about 2x when the corpus doubles), beside the
pairs of reports of one dyad and language dated at most three days apart (the pairs the
word similarity is found for; with fixed dates they grow with the square of the
articles a day, and the grouping's time with them, less than in proportion).
``--rounds N`` times the sizes N times over and prints the median of the rounds' ratios
(this machine's speed drifts by 10-25% within minutes: one ratio moves with it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import pickle
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize
from synthetic import make_corpus

from bilat_analysis.dyads import annotate_documents
from bilat_analysis.events import EVENT_MAX_DAYS, group_events
from bilat_analysis.officials import tag_officials
from bilat_analysis.tagging import tag_formats
from bilat_analysis.topics import hashed_words

SKEW = [(("IND", "USA"), 0.40), (("CHN", "RUS"), 0.25), (("FRA", "IND"), 0.15)]


def corpus_of(size: int, shape: str, dates: str = "fixed") -> pd.DataFrame:
    rng = np.random.default_rng(1)
    annotated = annotate_documents(make_corpus(size, seed=0), n_jobs=2)
    span = 3 * 365 if dates == "fixed" else max(1, round(3 * 365 * size / 100_000))
    days = rng.integers(0, span, size)
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


def window_pairs(annotated: pd.DataFrame, max_days: int = EVENT_MAX_DAYS) -> int:
    """Count the pairs of dated documents of one dyad and language at most ``max_days`` apart."""
    dated = annotated[annotated["date"].notna()]
    group = pd.factorize(dated["dyad"].astype(str) + "|" + dated["language"].astype(str))[0]
    day = ((dated["date"] - pd.Timestamp(0)) // pd.Timedelta(days=1)).to_numpy()
    keys = np.sort(group * 10_000_000 + day)
    reach = np.searchsorted(keys, keys + max_days, side="right")
    return int((reach - np.arange(len(keys)) - 1).sum())


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_HELD: dict[str, object] = {}  # the corpus of this process (one size)


def hold(size: int, shape: str, dates: str, cache: Path | None) -> tuple[float, float, int]:
    """Load (or build and tag) one corpus in this process: tagging and hashing seconds, pairs."""
    name = f"{shape}_{size}.pkl" if dates == "fixed" else f"{shape}_{size}_{dates}.pkl"
    cached = None if cache is None else cache / name
    if cached is not None and cached.exists():
        with cached.open("rb") as file:
            annotated, formats, officials, words = pickle.load(file)
        tagging = hashing = float("nan")  # done when the cache was written
    else:
        annotated = corpus_of(size, shape, dates)
        start = time.perf_counter()
        formats = tag_formats(annotated, n_jobs=2)
        officials = tag_officials(annotated, n_jobs=2)
        tagging = time.perf_counter() - start
        start = time.perf_counter()
        words = normalize(hashed_words(annotated, n_jobs=2))
        hashing = time.perf_counter() - start
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            with cached.open("wb") as file:
                pickle.dump((annotated, formats, officials, words), file, protocol=5)
    _HELD.update(annotated=annotated, formats=formats, officials=officials, words=words)
    return tagging, hashing, window_pairs(annotated)


def time_once(hash_inside: bool) -> tuple[float, float, float | None, int]:
    """Time one group_events call on the corpus held: seconds, CPU seconds, inside, events."""
    options = {"formats": _HELD["formats"], "officials": _HELD["officials"], "n_jobs": 2}
    cpu = _cpu()
    start = time.perf_counter()
    events = group_events(_HELD["annotated"], words=_HELD["words"], **options)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    inside = None
    if hash_inside:
        start = time.perf_counter()
        group_events(_HELD["annotated"], **options)
        inside = time.perf_counter() - start
    return seconds, cpu, inside, events["event"].nunique()


def measure_sizes(
    sizes: list[int], shape: str, dates: str, repeats: int, hash_inside: bool, cache: Path | None
) -> list[tuple[float, float, float, float, float | None, int, int]]:
    """Time group_events on each size, the sizes' calls alternating: one process per size.

    Returns, per size: tagging, hashing, the median grouping, its CPU, inside, events, pairs.
    """
    spawn = multiprocessing.get_context("spawn")
    pools = [ProcessPoolExecutor(1, mp_context=spawn) for _ in sizes]
    try:
        held = [
            pool.submit(hold, size, shape, dates, cache).result()
            for size, pool in zip(sizes, pools, strict=True)
        ]
        timed: list[list[tuple[float, float, float | None, int]]] = [[] for _ in sizes]
        for _ in range(repeats):  # 100k, 200k, 100k, 200k, ...: the machine's drift on both
            for calls, pool in zip(timed, pools, strict=True):
                calls.append(pool.submit(time_once, hash_inside).result())
    finally:
        for pool in pools:
            pool.shutdown()
    results = []
    median = statistics.median
    for (tagging, hashing, pairs), calls in zip(held, timed, strict=True):
        seconds, cpu, inside, events = zip(*calls, strict=True)
        inside_median = median(inside) if hash_inside else None
        results.append(
            (tagging, hashing, median(seconds), median(cpu), inside_median, events[-1], pairs)
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the sizes this many times, one after the other, and give the median ratio "
        "(the machine's speed drifts: a ratio of two sizes timed minutes apart moves with it)",
    )
    parser.add_argument("--shapes", nargs="+", default=["uniform", "skewed"])
    parser.add_argument(
        "--dates",
        nargs="+",
        choices=["fixed", "scaled"],
        default=["fixed", "scaled"],
        help="dates over three years (fixed) or three years per 100,000 articles (scaled)",
    )
    parser.add_argument(
        "--hash-inside", action="store_true", help="also time group_events hashing the words"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="folder keeping each tagged corpus (pickle, made by this script) for the next run",
    )
    args = parser.parse_args()
    print(
        "| shape | dates | documents | tag formats + officials (s) | hash words (s) "
        "| group_events (s) | CPU s | ratio | hashing inside (s) | ratio | events "
        "| window pairs | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        for dates in args.dates:
            ratios: list[float] = []
            for _ in range(args.rounds):
                previous, previous_inside, previous_pairs = None, None, None
                options = (args.repeats, args.hash_inside, args.cache)
                measured = measure_sizes(args.sizes, shape, dates, *options)
                for size, timed in zip(args.sizes, measured, strict=True):
                    tagging, hashing, seconds, cpu, inside_seconds, n_events, pairs = timed
                    ratio = "" if previous is None else f"{seconds / previous:.2f}x"
                    if previous is not None:
                        ratios.append(seconds / previous)
                    pairs_ratio = "" if not previous_pairs else f"{pairs / previous_pairs:.2f}x"
                    inside, inside_ratio = "", ""
                    if inside_seconds is not None:
                        inside = f"{inside_seconds:.2f}"
                        if previous_inside is not None:
                            inside_ratio = f"{inside_seconds / previous_inside:.2f}x"
                        previous_inside = inside_seconds
                    print(
                        f"| {shape} | {dates} | {size:,} | {tagging:.1f} | {hashing:.1f} "
                        f"| {seconds:.2f} | {cpu:.2f} | {ratio} | {inside} | {inside_ratio} "
                        f"| {n_events:,} | {pairs:,} | {pairs_ratio} |",
                        flush=True,
                    )
                    previous, previous_pairs = seconds, pairs
            if args.rounds > 1 and ratios:
                listed = ", ".join(f"{r:.2f}" for r in ratios)
                print(
                    f"| {shape} | {dates} | ratio, median of {len(ratios)} "
                    f"| | | | | **{statistics.median(ratios):.2f}x** ({listed}) | | | | | |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
