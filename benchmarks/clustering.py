"""Benchmark the whole clustering call against a bare TfidfVectorizer on the same text.

    python benchmarks/clustering.py [--sizes 10000 100000] [--repeats 3]

Each measurement runs in a fresh process on the same seeded synthetic corpus (see
synthetic.py); the peak resident memory is read from /proc (VmHWM, reset after the
corpus is generated, so it counts what the call adds on top of the corpus) and, for
the worker processes the call starts, from getrusage. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(task: str, size: int) -> None:
    from synthetic import make_corpus

    corpus = make_corpus(size, seed=0)
    before = _peak_mib()
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current size
    start = time.perf_counter()
    if task == "bare":
        from sklearn.feature_extraction.text import TfidfVectorizer

        TfidfVectorizer().fit_transform(corpus["text"].tolist())
        detail = ""
    else:
        from bilat_analysis.topics import cluster_documents

        result = cluster_documents(corpus, n_jobs=2, random_state=0)
        detail = f"k={result.k} method={result.method}"
    seconds = time.perf_counter() - start
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": _peak_mib(),
                "corpus_mib": before,
                "worker_peak_mib": workers,
                "detail": detail,
            }
        )
    )


def measure(task: str, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", task, str(size)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "SIZE"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    for size in args.sizes:
        repeats = args.repeats if size <= 10_000 else 1
        runs = {task: [measure(task, size) for _ in range(repeats)] for task in ("bare", "cluster")}
        med = {task: statistics.median(r["seconds"] for r in rs) for task, rs in runs.items()}
        peak = {task: max(r["peak_mib"] for r in rs) for task, rs in runs.items()}
        print(f"{size} documents ({repeats} run(s) each, median wall time)")
        print(
            f"  bare TfidfVectorizer().fit_transform: {med['bare']:7.1f} s  "
            f"peak {peak['bare'] / 1024:.2f} GiB (+ corpus {runs['bare'][0]['corpus_mib'] / 1024:.2f} GiB)"
        )
        print(
            f"  cluster_documents(n_jobs=2)         : {med['cluster']:7.1f} s  "
            f"peak {peak['cluster'] / 1024:.2f} GiB, workers {max(r['worker_peak_mib'] for r in runs['cluster']) / 1024:.2f} GiB"
            f"  [{runs['cluster'][0]['detail']}]"
        )
        print(f"  ratio cluster / bare: {med['cluster'] / med['bare']:.2f}x")


if __name__ == "__main__":
    main()
