"""Benchmark the partner tagger against a naive loop of one regex per alias.

    python benchmarks/tagging.py [--sizes 10000 100000] [--naive-sample 200] [--repeats 3]

Prints documents/s for: the tagger on one process, the tagger on 2 processes, the theme
tagger, and the naive loop (timed on a sample of documents, since it is too slow to run
on all of them), then the ratio. Medians over ``--repeats`` runs. The lexicons hold the
rows of every language; each document is read with the automaton of its language (the
synthetic articles are English and French). The last line times the partner tagger on the
same texts labelled round-robin with the 13 supported languages, so that every language's
automaton is compiled and used (the texts are English and French: it measures the engine,
not the matches). Then :func:`tag_corpus` (partners and themes in one pass, with the
job-title check), and last ``annotate_documents`` on 2 processes as a user calls it (tagging,
dyads and counts in the workers): wall seconds and CPU seconds of this process and its
workers.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import time

from measure import median_seconds
from synthetic import make_corpus

from bilat_analysis.dyads import annotate_documents
from bilat_analysis.lexicons import read_languages, read_partners
from bilat_analysis.tagging import tag_corpus, tag_partners, tag_themes


def naive(texts: list[str], patterns: list[re.Pattern[str]]) -> int:
    found = 0
    for text in texts:
        for pattern in patterns:
            found += sum(1 for _ in pattern.finditer(text))
    return found


def cpu_seconds(run, repeats: int) -> float:
    """Return the median CPU time of ``run`` in this process (other processes do not count)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def cpu_with_workers() -> float:
    """CPU seconds of this process and of its finished worker processes so far."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def annotate_seconds(corpus, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds (with the workers') of ``annotate_documents(n_jobs=2)``."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), cpu_with_workers()
        annotate_documents(corpus, n_jobs=2)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_with_workers() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    partners = read_partners()
    # the naive loop gets the aliases an English or French document is read with
    aliases = partners.loc[partners["language"].isin(["en", "fr", "mul"]), "alias"].tolist()
    patterns = [re.compile(rf"(?<!\w){re.escape(a)}(?!\w)", re.IGNORECASE) for a in aliases]
    print(f"aliases: {len(partners)} in all languages, {len(aliases)} in en, fr and mul")
    for size in args.sizes:
        corpus = make_corpus(size, seed=0)
        n_words = int(corpus["text"].str.count(r"\S+").mean())
        print(
            f"\n{size} documents, ~{n_words} words each, "
            f"{corpus['text'].str.len().sum() / 1e6:.0f} MB of text"
        )
        repeats = args.repeats if size <= 10_000 else 1
        one = median_seconds(lambda c=corpus: tag_partners(c, n_jobs=1), repeats)
        cpu = cpu_seconds(lambda c=corpus: tag_partners(c, n_jobs=1), repeats)
        two = median_seconds(lambda c=corpus: tag_partners(c, n_jobs=2), repeats)
        themes = median_seconds(lambda c=corpus: tag_themes(c, n_jobs=2), repeats)
        sample = corpus["text"].head(args.naive_sample).tolist()
        slow = median_seconds(lambda s=sample: naive(s, patterns), 1)
        naive_rate = len(sample) / slow
        print(f"  tag_partners, 1 process : {size / one:9.0f} docs/s  ({one:.1f} s)")
        print(
            f"  tag_partners, 1 process, CPU time (robust to a busy machine): {size / cpu:.0f} docs/s"
        )
        print(f"  tag_partners, 2 processes: {size / two:9.0f} docs/s  ({two:.1f} s)")
        print(f"  tag_themes, 2 processes  : {size / themes:9.0f} docs/s  ({themes:.1f} s)")
        print(
            f"  naive regex loop          : {naive_rate:9.1f} docs/s  "
            f"(on {len(sample)} documents; {size / naive_rate / 60:.0f} min projected)"
        )
        print(f"  ratio tagger (1 process) / naive: {size / one / naive_rate:.0f}x")
        codes = read_languages()["language"].tolist()
        spread = corpus.assign(language=[codes[i % len(codes)] for i in range(size)])
        mixed = median_seconds(lambda c=spread: tag_partners(c, n_jobs=1), repeats)
        mixed_cpu = cpu_seconds(lambda c=spread: tag_partners(c, n_jobs=1), repeats)
        print(
            f"  tag_partners, 13 language labels, 1 process: {size / mixed:9.0f} docs/s "
            f"(CPU time: {size / mixed_cpu:.0f} docs/s)"
        )
        both = cpu_seconds(lambda c=corpus: tag_corpus(c, n_jobs=1), repeats)
        print(f"  tag_corpus (partners and themes), 1 process, CPU time: {size / both:.0f} docs/s")
        wall, cpu = annotate_seconds(corpus, repeats)
        print(f"  annotate_documents, 2 processes: {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
