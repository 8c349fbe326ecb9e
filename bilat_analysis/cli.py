"""Command line: ``bilat-analysis documents | cooccur | report``."""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from bilat_analysis.cooccurrence import MEASURES, UNITS, VARIABLES
from bilat_analysis.corpus import LoadedCorpus, printable, read_corpus

#: Keys of every JSON line of ``documents --json``, in order.
DOCUMENT_KEYS = [
    "doc_id",
    "source",
    "date",
    "date_source",
    "language",
    "title",
    "n_words",
    "dyad",
    "host",
    "partners",
    "themes",
    "cluster",
    "event",
]


class CliError(Exception):
    """An error reported as one line on stderr, with exit status 2 (1 for an empty corpus)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpus",
        nargs="?",
        default=None,
        help="folder (searched recursively) or .txt/.csv/.jsonl/.parquet file "
        "(default: the bundled sample corpus)",
    )
    parser.add_argument(
        "--text-column", help="text column of CSV/JSONL/Parquet input (default: text, body, ...)"
    )
    parser.add_argument("--id-column", help="id column of table input (default: doc_id or id)")
    parser.add_argument("--date-column", help="date column of table input (default: date)")
    parser.add_argument("--title-column", help="title column of table input (default: title)")
    parser.add_argument(
        "--strict", action="store_true", help="a malformed table row is an error, not a skip"
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", action="store_true", default=None, help="read 03/04/2023 as 3 April"
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_false", help="read 03/04/2023 as 4 March"
    )
    parser.add_argument(
        "--allow-outside-links",
        action="store_true",
        help="read symbolic links that point outside the corpus folder",
    )


def _add_lexicon_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--partners", help="your partner lexicon CSV (default: the bundled partners.csv)"
    )
    parser.add_argument("--themes", help="your theme lexicon CSV (default: the bundled themes.csv)")


def _integer_at_least(minimum: int):
    """Return an argparse type: an integer not below ``minimum``, or a clear message."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    convert.__name__ = f"integer >= {minimum}"
    return convert


def _load(args: argparse.Namespace) -> pd.DataFrame:
    """Load the corpus, print each skipped input on stderr, fail when nothing loaded.

    Names are printed with control characters escaped (a newline in a file name
    cannot forge a line); exit status 1 when no document loaded, 2 for a usage error.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loaded: LoadedCorpus = read_corpus(
                args.corpus,
                text_column=args.text_column,
                id_column=args.id_column,
                date_column=args.date_column,
                title_column=args.title_column,
                strict=getattr(args, "strict", False),
                dayfirst=getattr(args, "dayfirst", None),
                allow_outside_links=getattr(args, "allow_outside_links", False),
            )
    except (FileNotFoundError, ValueError) as error:
        raise CliError(printable(str(error))) from error
    for warning in caught:
        print(f"warning: {printable(str(warning.message))}", file=sys.stderr)
    for source, reason in zip(loaded.skipped["source"], loaded.skipped["reason"], strict=True):
        print(f"skipped: {printable(source)}: {printable(reason)}", file=sys.stderr)
    if loaded.documents.empty:
        where = printable(args.corpus or "the seeds")
        raise CliError(f"no document could be loaded from {where}", 1)
    return loaded.documents


def _json_value(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def document_records(corpus: pd.DataFrame) -> list[dict[str, object]]:
    """Turn the corpus frame into JSON-ready dicts: the keys of ``documents --json``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`bilat_analysis.load_corpus`, annotated by
        :func:`bilat_analysis.dyads.annotate_documents` (and any later stage).

    Returns
    -------
    list of dict
        One dict per document: those of ``DOCUMENT_KEYS`` the frame has, then
        ``text``; dates as ``YYYY-MM-DD``, a dyad as a list of two codes, missing
        values as None.

    Examples
    --------
    >>> from bilat_analysis import load_corpus
    >>> from bilat_analysis.dyads import annotate_documents
    >>> record = document_records(annotate_documents(load_corpus()))[2]
    >>> record["date"], record["dyad"]
    ('2023-10-05', ['EU', 'IND'])
    """
    keys = [key for key in DOCUMENT_KEYS if key in corpus.columns] + ["text"]
    return [
        {key: _json_value(value) for key, value in zip(keys, row, strict=True)}
        for row in corpus[keys].itertuples(index=False, name=None)
    ]


def _read_prepared(args: argparse.Namespace):  # -> PreparedCorpus | None
    """Read ``args.corpus`` when it is a folder written by ``prepare``; None otherwise."""
    from bilat_analysis.prepare import PreparedWarning, is_prepared, read_prepared

    if not is_prepared(args.corpus):
        return None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PreparedWarning)
            prepared = read_prepared(args.corpus)
    except (FileNotFoundError, ValueError) as error:
        raise CliError(str(error)) from error
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    return prepared


def _documents(args: argparse.Namespace) -> None:
    from bilat_analysis.dyads import annotate_documents
    from bilat_analysis.topics import annotate_topics

    prepared = _read_prepared(args)
    if prepared is not None and (
        args.partners or args.themes or args.seed != prepared.manifest["options"]["random_state"]
    ):
        raise CliError(
            f"{args.corpus} is a prepared corpus: pass --partners/--themes/--seed to "
            "`bilat-analysis prepare` instead"
        )
    try:
        if prepared is not None:  # annotated when it was prepared: nothing to redo
            corpus = prepared.documents
        else:
            corpus = annotate_documents(_load(args), partners=args.partners, themes=args.themes)
            corpus = annotate_topics(corpus, random_state=args.seed)
    except (FileNotFoundError, ValueError) as error:
        raise CliError(str(error)) from error
    records = document_records(corpus)
    if args.json:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
        return
    table = pd.DataFrame(records).drop(columns=["text", "title", "partners", "themes", "source"])
    print(table.to_string(index=False))


def _cooccur(args: argparse.Namespace) -> None:
    from bilat_analysis.cooccurrence import cooccurrence

    prepared = _read_prepared(args)
    mentions = None
    if prepared is not None:  # tagged, grouped into events when it was prepared
        corpus = prepared.documents
        mentions = prepared.mentions()
    else:
        corpus = _load(args)
    try:
        if args.unit == "event" and "event" not in corpus:
            from bilat_analysis.dyads import annotate_documents
            from bilat_analysis.events import group_events

            corpus = annotate_documents(corpus)
            corpus = corpus.assign(event=group_events(corpus)["event"].to_numpy())
        matrix = cooccurrence(
            corpus,
            rows=args.rows,
            cols=args.cols,
            measure=args.measure,
            unit=args.unit,
            min_support=args.min_support,
            mentions=mentions,
        )
    except ValueError as error:
        raise CliError(str(error)) from error
    sys.stdout.write(matrix.to_csv(float_format="%.4f", lineterminator="\n"))


def _prepare(args: argparse.Namespace) -> None:
    from bilat_analysis.prepare import prepare_corpus

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            folder = prepare_corpus(
                args.corpus,
                args.out,
                text_column=args.text_column,
                id_column=args.id_column,
                date_column=args.date_column,
                title_column=args.title_column,
                partners=args.partners,
                themes=args.themes,
                random_state=args.seed,
                n_jobs=args.jobs,
                batch_size=args.batch_size,
                progress=False if args.quiet else None,
                force=args.force,
            )
    except (FileNotFoundError, ValueError) as error:
        raise CliError(str(error)) from error
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(folder)


def _prepare_for_report(
    args: argparse.Namespace, options: dict[str, object], out: Path
) -> Path | None:
    """Prepare a raw corpus for the report, listing what was skipped (None: nothing to do)."""
    from bilat_analysis.prepare import is_prepared, prepare_corpus

    if args.corpus is None or is_prepared(args.corpus):
        return None
    if not Path(args.corpus).expanduser().exists():
        raise CliError(printable(f"no such file or folder: {args.corpus}"))
    known = {k: v for k, v in options.items() if v is not None}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            folder = prepare_corpus(args.corpus, out, progress=False, **known)
    except ValueError as error:
        status = 1 if str(error).startswith("no document could be loaded") else 2
        raise CliError(printable(str(error)), status) from error
    for warning in caught:
        print(f"warning: {printable(str(warning.message))}", file=sys.stderr)
    skipped = pd.read_parquet(folder / "skipped.parquet")
    for source, reason in zip(skipped["source"], skipped["reason"], strict=True):
        print(f"skipped: {printable(source)}: {printable(reason)}", file=sys.stderr)
    return folder


def _report(args: argparse.Namespace) -> None:
    import errno
    import logging

    from bilat_analysis.report import CORPUS_OPTIONS, ReportError, parse_value, render_reports

    # the pages and the error line say what went wrong; the executors' own log lines
    # ("Kernel died while waiting for execute reply" on Ctrl-C) would only add noise
    for name in ("traitlets", "papermill", "nbclient", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    parameters = {name: parse_value(value) for name, value in args.parameter or []}
    options = {name: getattr(args, name) for name in CORPUS_OPTIONS}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            # prepared once, here: the skipped inputs are listed and an empty corpus
            # fails before any notebook runs; the pages then reuse the preparation
            prepared = _prepare_for_report(args, options, Path(scratch) / "prepared")
            index = render_reports(
                args.corpus,
                out_dir=args.out,
                corpus_options=options,
                parameters=parameters,
                show_code=args.show_code,
                max_rows=args.max_rows,
                prepared=prepared,
            )
    except (FileNotFoundError, ValueError) as error:
        raise CliError(str(error)) from error
    except ReportError as error:
        raise CliError(str(error), 1) from error
    except KeyboardInterrupt:
        raise CliError(
            f"interrupted: no report written ({args.out} is left as it was)", 130
        ) from None
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise CliError(
                f"no space left on device while writing the report; {args.out} is left as it was",
                1,
            ) from None
        raise
    print(index)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``bilat-analysis``.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with one sub-command per task.

    Examples
    --------
    >>> build_parser().parse_args(["documents", "--json"]).json
    True
    """
    from bilat_analysis import __version__
    from bilat_analysis.report import MAX_ROWS

    parser = argparse.ArgumentParser(
        prog="bilat-analysis", description="Study news on bilateral diplomatic relations."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    documents = commands.add_parser(
        "documents", help="one line per document", description="One line per document."
    )
    _add_corpus_arguments(documents)
    documents.add_argument(
        "--json", action="store_true", help="JSON Lines, one object per document"
    )
    _add_lexicon_arguments(documents)
    documents.add_argument(
        "--seed",
        type=_integer_at_least(0),
        default=0,
        help="random state of the clustering (default: %(default)s)",
    )
    documents.set_defaults(run=_documents)
    cooccur = commands.add_parser(
        "cooccur",
        help="a co-occurrence matrix as CSV",
        description="A co-occurrence matrix as CSV.",
    )
    _add_corpus_arguments(cooccur)
    cooccur.add_argument(
        "--rows", choices=VARIABLES, default="partner",
        help="row variable, one of: %(choices)s (default: %(default)s)",
    )
    cooccur.add_argument(
        "--cols", choices=VARIABLES, default="theme",
        help="column variable, one of: %(choices)s (default: %(default)s)",
    )
    cooccur.add_argument(
        "--measure", choices=MEASURES, default="count",
        help="cell value, one of: %(choices)s (default: %(default)s)",
    )
    cooccur.add_argument(
        "--unit", choices=UNITS, default="document",
        help="what counts as together, one of: %(choices)s (default: %(default)s)",
    )
    cooccur.add_argument(
        "--min-support",
        type=_integer_at_least(1),
        default=2,
        help="pairs together in fewer units get empty cells; 1 or more (default: %(default)s)",
    )
    cooccur.set_defaults(run=_cooccur)
    prepare = commands.add_parser(
        "prepare", help="load, tag, group and cluster once into a folder the others reuse"
    )
    _add_corpus_arguments(prepare)
    prepare.add_argument("--out", required=True, help="the prepared folder to write")
    _add_lexicon_arguments(prepare)
    prepare.add_argument(
        "--seed",
        type=_integer_at_least(0),
        default=0,
        help="random state of the clustering (default: %(default)s)",
    )
    prepare.add_argument(
        "--jobs", type=_integer_at_least(1), help="processes (default: every core available)"
    )
    prepare.add_argument(
        "--batch-size",
        type=_integer_at_least(1),
        default=10_000,
        help="documents tagged per batch (default: %(default)s)",
    )
    prepare.add_argument("--force", action="store_true", help="rebuild even when up to date")
    prepare.add_argument("--quiet", action="store_true", help="no progress bar")
    prepare.set_defaults(run=_prepare)
    report = commands.add_parser(
        "report",
        help="render the notebooks to HTML pages with a front page of findings",
        description="Execute the notebooks on a corpus and write a self-contained folder of "
        "HTML pages (no network needed to read them), CSV tables and index.html.",
    )
    _add_corpus_arguments(report)
    _add_lexicon_arguments(report)
    report.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="a notebook parameter, e.g. -p k 5 -p unit event (repeatable); names are those "
        "of the notebooks' parameters cells: k, n_topics, unit, min_support",
    )
    report.add_argument(
        "--show-code",
        action="store_true",
        help="keep the code cells in the pages (default: hidden)",
    )
    report.add_argument(
        "--max-rows",
        type=_integer_at_least(1),
        default=MAX_ROWS,
        help="rows of a table shown in a page; longer tables are cut and written whole as CSV "
        "(default: %(default)s)",
    )
    report.add_argument(
        "--out", default="reports", help="report folder, replaced as a whole (default: %(default)s)"
    )
    report.set_defaults(run=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 when no document loaded, 2 on a usage or input error.

    Examples
    --------
    >>> main(["documents", "--help"])  # doctest: +SKIP
    """
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except CliError as error:
        print(f"bilat-analysis: error: {error}", file=sys.stderr)
        return error.status
    except BrokenPipeError:  # e.g. `bilat-analysis documents | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
