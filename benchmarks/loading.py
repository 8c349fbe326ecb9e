"""Benchmark loading one huge text file against the floor of reading and splitting it.

    python benchmarks/loading.py [--megabytes 200] [--repeats 3] [--no-date]

Writes a text of ``--megabytes`` MB to a temporary folder: the paragraphs of the five
seeds repeated, with web-page furniture ("Similar Posts", "Share this:") after every
tenth paragraph, the shape that made boilerplate removal quadratic. Prints the median
wall time (over ``--repeats`` runs) of

- the floor: read the bytes, decode them, split the text into paragraphs on the
  loader's own paragraph break (the loader also strips the ends of lines: the floor
  does not, so it is if anything a little cheaper than the loader's split);
- ``read_corpus`` on the file (check the UTF-8, header, paragraphs, title, language,
  boilerplate, date, word count, the text column; a UTF-8 file is cleaned on its
  bytes and never decoded whole, see ``bilat_analysis.corpus``);

and their ratio, in wall and CPU seconds (the CPU figure is the one to trust on a
busy machine). ``--no-date`` removes every date from the text, so that the search
for a written date reads the whole file.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from measure import median_seconds

from bilat_analysis.corpus import _PARAGRAPH_BREAK, load_corpus, read_corpus

FURNITURE = ["Similar Posts", "Share this:", "Related Posts"]


def make_text(megabytes: int, *, dates: bool = True) -> str:
    """Repeat the seeds' paragraphs to ``megabytes`` MB, furniture every tenth paragraph."""
    paragraphs = [p for text in load_corpus()["text"] for p in text.split("\n\n")]
    if not dates:
        paragraphs = [re.sub(r"\d", "x", p) for p in paragraphs]
    out, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        paragraph = paragraphs[i % len(paragraphs)]
        if i % 10 == 9:
            paragraph = FURNITURE[(i // 10) % len(FURNITURE)]
        out.append(paragraph)
        size += len(paragraph.encode()) + 2
        i += 1
    return "\n\n".join(out)


def floor(path: Path) -> int:
    """Read, decode and split into paragraphs: what any loader must do."""
    text = path.read_bytes().decode("utf-8")
    return len(_PARAGRAPH_BREAK.split(text.strip()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-date", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "huge.txt"
        path.write_text(make_text(args.megabytes, dates=not args.no_date), encoding="utf-8")
        megabytes = path.stat().st_size / 1e6
        paragraphs = floor(path)
        loaded = read_corpus(path)
        row = loaded.documents.iloc[0]
        print(
            f"file: {megabytes:.0f} MB, {paragraphs} paragraphs; loaded: {row['n_words']} words, "
            f"boilerplate {len(row['boilerplate'] or '') / 1e6:.1f} MB, date {row['date']}"
        )
        read_split, read_split_cpu = _timed(lambda: floor(path), args.repeats)
        load, load_cpu = _timed(lambda: read_corpus(path), args.repeats)
        print(
            f"read + decode + split into paragraphs: {read_split:.2f} s, "
            f"{read_split_cpu:.2f} CPU s (median of {args.repeats})"
        )
        print(
            f"read_corpus:                           {load:.2f} s, "
            f"{load_cpu:.2f} CPU s (median of {args.repeats})"
        )
        print(f"ratio: {load / read_split:.2f}x (CPU: {load_cpu / read_split_cpu:.2f}x)")


def _timed(run, repeats: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of this process (to trust on a busy machine)."""
    cpus = []

    def counted() -> None:
        start = time.process_time()
        run()
        cpus.append(time.process_time() - start)

    return median_seconds(counted, repeats), statistics.median(cpus)


if __name__ == "__main__":
    main()
