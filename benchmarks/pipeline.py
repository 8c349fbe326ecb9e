r"""Time the whole chain as a user runs it, stage by stage, next to the floor in the same run.

    python benchmarks/pipeline.py                       # 10k articles, uniform pairs
    python benchmarks/pipeline.py --sizes 10000 100000 --skewed --repeats 3
    python benchmarks/pipeline.py --sizes 1000000 --paths prepared
    python benchmarks/pipeline.py --sizes 100000 --paths prepared --report

The corpus (benchmarks/synthetic.py, seeded; ``--skewed``: five pairs hold 80% of the
articles) is written to a Parquet file first (doc_id, text, date: no language column, so
the loader identifies languages as it does for a scraped corpus). Then, in one process:

- **floor**: read the text column of that file and run ``re.findall(r"\w+")`` over every
  text: what any pass over the corpus costs at least (in a forked child of this process,
  so that the texts it holds do not stay in this process's memory and inflate the peaks
  of the stages after it), ``--repeats`` times before the stages and as many after them;
  its seconds are the median of both (this machine's speed drifts by 10-25% within
  minutes: a floor timed at one end only would move every ratio with it);
- the **user path**: ``load_corpus`` -> ``annotate_documents`` -> ``cluster_documents`` ->
  ``group_events`` -> ``cooccurrence`` partner x theme and partner x partner, each
  called as a user calls it (no mentions passed: co-occurrence counts the annotated
  frame's columns, events reuse the words the clustering hashed);
- the **prepared path**: ``prepare_corpus`` (everything above, written as Parquet tables),
  ``read_prepared`` and both co-occurrence matrices from the prepared mentions.

Each stage prints its wall seconds (median of ``--repeats``) and its ratio to the floor;
the seconds of its first call, as a user's session makes it (nothing built yet: the
language model, the lexicons' automata); its peak resident memory (VmHWM, reset before
the stage; worker processes by getrusage) and its CPU seconds (median; this process and
its workers: the figure to trust on a busy machine). The stages are called with their
defaults, as a user calls them (every core), unless ``--jobs`` says otherwise.
Figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_corpus, make_skewed_corpus

_WORD = re.compile(r"\w+")


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _floor(path: Path) -> int:
    words = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK, columns=["text"]):
        words += sum(len(_WORD.findall(text)) for text in batch.column(0).to_pylist())
    return words


def _measured_floor(
    path: Path, repeats: int
) -> tuple[tuple[str, float, float, float, float], list[float]]:
    _, seconds, peak = _stage(lambda: _floor(path), repeats)
    return _row("floor", seconds, peak), LAST["times"]


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


LAST: dict = {}  # the last stage's CPU seconds (median), its first call's seconds, all its seconds


def _row(name: str, seconds: float, peak: float) -> tuple[str, float, float, float, float]:
    """Give a row of the table: the stage, its median seconds and peak, its CPU and first call."""
    return (name, seconds, peak, LAST["cpu"], LAST["first"])


def _stage(run: Callable[[], object], repeats: int) -> tuple[object, float, float]:
    times, cpus, peak, result = [], [], 0.0, None
    for _ in range(repeats):
        _reset_peak()
        start, cpu = time.perf_counter(), _cpu()
        result = run()
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        peak = max(peak, _peak_mib(), workers)
    LAST["cpu"], LAST["first"], LAST["times"] = statistics.median(cpus), times[0], times
    return result, statistics.median(times), peak


def _user_path(path: Path, rows: list, repeats: int, n_jobs: int | None) -> None:
    from bilat_analysis import load_corpus, topics
    from bilat_analysis.cooccurrence import cooccurrence
    from bilat_analysis.dyads import annotate_documents
    from bilat_analysis.topics import cluster_documents, group_events

    first = len(rows)
    corpus, seconds, peak = _stage(lambda: load_corpus(path), repeats)
    rows.append(_row("load", seconds, peak))
    annotated, seconds, peak = _stage(lambda: annotate_documents(corpus, n_jobs=n_jobs), repeats)
    rows.append(_row("annotate", seconds, peak))

    def cluster() -> object:
        topics._LAST_HASHED.clear()  # each repeat hashes, as a user's first call does
        return cluster_documents(annotated, n_jobs=n_jobs, random_state=0)

    _, seconds, peak = _stage(cluster, repeats)
    rows.append(_row("cluster", seconds, peak))
    _, seconds, peak = _stage(lambda: group_events(annotated, n_jobs=n_jobs), repeats)
    rows.append(_row("events", seconds, peak))
    for cols in ("theme", "partner"):
        _, seconds, peak = _stage(
            lambda cols=cols: cooccurrence(annotated, rows="partner", cols=cols), repeats
        )
        rows.append(_row(f"cooccur p x {cols[0]}", seconds, peak))
    stages = rows[first:]
    rows.append(
        (
            "total (user path)",
            sum(row[1] for row in stages),
            max(row[2] for row in stages),
            sum(row[3] for row in stages),
            sum(row[4] for row in stages),
        )
    )


def _prepared_path(
    path: Path, out: Path, rows: list, repeats: int, n_jobs: int | None, *, report: bool = False
) -> None:
    from bilat_analysis.cooccurrence import cooccurrence
    from bilat_analysis.prepare import prepare_corpus, read_prepared

    _, seconds, peak = _stage(
        lambda: prepare_corpus(path, out, n_jobs=n_jobs, progress=False, force=True), repeats
    )
    rows.append(_row("prepare", seconds, peak))
    prepared, seconds, peak = _stage(lambda: read_prepared(out), repeats)
    rows.append(_row("read prepared", seconds, peak))
    mentions = {"partner": prepared.partners, "theme": prepared.themes}
    for cols in ("theme", "partner"):
        _, seconds, peak = _stage(
            lambda cols=cols: cooccurrence(
                prepared.documents, rows="partner", cols=cols, mentions=mentions
            ),
            repeats,
        )
        rows.append(_row(f"cooccur p x {cols[0]} (prepared)", seconds, peak))
    if report:
        from bilat_analysis.report import render_reports

        _, seconds, peak = _stage(lambda: render_reports(out, out_dir=out.parent / "reports"), 1)
        rows.append(_row("report (prepared)", seconds, peak))


CHUNK = 100_000  # articles generated at a time (1M at once would need ~10 GiB)


def write_corpus(path: Path, size: int, *, skewed: bool) -> None:
    """Write the synthetic corpus as Parquet, in chunks of :data:`CHUNK` articles.

    No language column: the loader identifies each language, as for a scraped corpus.
    Up to ``CHUNK`` articles this is ``make_corpus(size, seed=0)``; larger corpora are
    chunks of seeds 0, 1, ... with their doc_ids numbered on.
    """
    maker = make_skewed_corpus if skewed else make_corpus
    writer = None
    for seed, begin in enumerate(range(0, size, CHUNK)):
        chunk = maker(min(CHUNK, size - begin), seed=seed).drop(columns=["language"])
        chunk["doc_id"] = [f"syn{begin + i:07d}" for i in range(len(chunk))]
        table = pa.Table.from_pandas(chunk, preserve_index=False)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()


def run(
    size: int,
    *,
    skewed: bool,
    repeats: int,
    n_jobs: int | None,
    paths: str,
    report: bool = False,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "corpus.parquet"
        # written by another process, so that this one's memory starts clean
        with ProcessPoolExecutor(1) as pool:
            pool.submit(write_corpus, path, size, skewed=skewed).result()
        rows: list[tuple[str, float, float, float, float]] = []
        # in another process: the texts it reads would stay in this one's memory and
        # inflate every later stage's peak
        with ProcessPoolExecutor(1) as pool:
            row, before = pool.submit(_measured_floor, path, repeats).result()
        if paths in ("both", "user"):
            _user_path(path, rows, repeats, n_jobs)
        if paths in ("both", "prepared"):
            _prepared_path(path, Path(scratch) / "prepared", rows, repeats, n_jobs, report=report)
        with ProcessPoolExecutor(1) as pool:
            _, after = pool.submit(_measured_floor, path, repeats).result()
        floor = statistics.median(before + after)
        rows.insert(0, (row[0], floor, *row[2:]))
    label = "skewed" if skewed else "uniform"
    jobs = "every core (the default)" if n_jobs is None else n_jobs
    print(f"\n{size:,} articles ({label} pairs), n_jobs={jobs}, median of {repeats}")
    print(
        "floor runs (s): before the stages "
        + ", ".join(f"{t:.2f}" for t in before)
        + "; after them "
        + ", ".join(f"{t:.2f}" for t in after)
        + f"; their median {floor:.2f}"
    )
    print(
        f"{'stage':<32} {'seconds':>9} {'x floor':>8} {'first s':>8} {'x floor':>8}"
        f" {'peak MiB':>9} {'CPU s':>8}  target (issue 11)"
    )
    for name, seconds, peak, cpu, first in rows:
        goal = _target(name, size, seconds, seconds / floor, peak)
        print(
            f"{name:<32} {seconds:9.2f} {seconds / floor:8.1f} {first:8.2f} {first / floor:8.1f}"
            f" {peak:9.0f} {cpu:8.2f}  {goal}"
        )
    sys.stdout.flush()


def _target(name: str, size: int, seconds: float, ratio: float, peak: float) -> str:
    """Give the issue's target for a stage and whether this run met it ('' when none)."""
    goals: list[tuple[str, bool]] = []
    if name == "load":
        goals.append(("<= 2x floor", ratio <= 2))
    elif name == "events" and size == 100_000:
        goals.append(("< 10 s", seconds < 10))
    elif name == "total (user path)":
        limit = 4 if size >= 100_000 else 5
        goals.append((f"<= {limit}x floor", ratio <= limit))
        if size >= 100_000:
            goals.append(("peak < 4 GiB", peak < 4096))
    elif name.startswith("cooccur") and name.endswith("(prepared)") and size <= 100_000:
        goals.append(("< 1 s", seconds < 1))
    elif name == "report (prepared)" and size == 100_000:
        goals.append(("< 180 s", seconds < 180))
    elif name == "prepare" and size >= 1_000_000:
        goals.append(("peak < 12 GiB", peak < 12 * 1024))
    return ", ".join(f"{goal}: {'met' if met else 'NOT met'}" for goal, met in goals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes (n_jobs); default every core, as a user's call",
    )
    parser.add_argument("--skewed", action="store_true", help="a few pairs hold most articles")
    parser.add_argument(
        "--paths",
        choices=["both", "user", "prepared"],
        default="both",
        help="which path to time (prepared only for 1M articles)",
    )
    parser.add_argument(
        "--report", action="store_true", help="also time `report` on the prepared corpus"
    )
    args = parser.parse_args()
    for size in args.sizes:
        run(
            size,
            skewed=args.skewed,
            repeats=args.repeats,
            n_jobs=args.jobs,
            paths=args.paths,
            report=args.report,
        )


if __name__ == "__main__":
    main()
