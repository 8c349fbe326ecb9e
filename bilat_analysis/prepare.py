"""Prepare a corpus once: every stage's result as Parquet tables in one folder, reused everywhere.

``prepare_corpus(source, out)`` loads the corpus, tags partners, themes, meeting formats
and officials, infers the dyads, groups the reports of one meeting into events and
clusters the documents, and writes one Parquet table per result into the folder ``out``
with a ``manifest.json``:

==================  ==============================================================
``documents``       the annotated corpus frame (what :func:`annotate_topics` gives)
``partners``        partner mentions (:func:`bilat_analysis.tagging.tag_partners`)
``themes``          theme mentions (:func:`bilat_analysis.tagging.tag_themes`)
``formats``         meeting-format mentions (:func:`bilat_analysis.tagging.tag_formats`)
``officials``       officials (:func:`bilat_analysis.officials.tag_officials`)
``dyads``           each document's dyad, host and the evidence (:func:`infer_dyads`)
``events``          ``doc_id``, ``event``, ``event_size``, ``format``
``clusters``        the clustering's documents, silhouette curve, terms and sizes
``skipped``         the inputs that did not become documents
==================  ==============================================================

The manifest records what the tables were made from: every input file (path, size,
modification time), the package version and a hash of its code, a hash of each
lexicon (the bundled data files and any lexicon passed), and the options. Reading a
prepared folder (:func:`read_prepared`, or :func:`bilat_analysis.load_corpus` on the
folder) checks all of it; a stale folder is rebuilt (with a warning), never silently
reused.

The corpus is read (:func:`bilat_analysis.corpus.iter_corpus`), tagged, hashed and
written in batches of ``batch_size`` documents, so memory never holds every text or
every mention at once: only each document's annotations, the lead of its text and its
hashed word counts. Officials (known in one document, looked for in all), events and
clusters then work on the whole corpus, reading the texts back a batch at a time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp

from bilat_analysis.parallel import available_cores
from bilat_analysis.paths import DATA_DIR, PACKAGE_DIR, SEEDS_DIR

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
BATCH_SIZE = 10_000
MAX_LISTED_INPUTS = 1000  # more input files are kept as a digest and a count only

_STRING = pa.string()
_INT = pa.int64()
#: Arrow schema of each mention table, so that every batch (even an empty one) agrees.
MENTION_SCHEMAS = {
    "partners": pa.schema(
        [(c, _STRING) for c in ("doc_id", "partner", "kind", "alias_type", "language", "match")]
        + [("start", _INT), ("end", _INT)]
    ),
    "themes": pa.schema(
        [(c, _STRING) for c in ("doc_id", "theme", "language", "match")]
        + [("start", _INT), ("end", _INT), ("in_title", pa.bool_())]
    ),
    "formats": pa.schema(
        [(c, _STRING) for c in ("doc_id", "format", "match")] + [("start", _INT), ("end", _INT)]
    ),
    "officials": pa.schema(
        [(c, _STRING) for c in ("doc_id", "official", "title", "partner", "match")]
        + [("start", _INT), ("end", _INT)]
    ),
}
_COUNTS = pa.map_(pa.string(), pa.int64())
_TEXTS = pa.schema([("doc_id", _STRING), ("text", _STRING)])


class PreparedWarning(UserWarning):
    """A prepared folder was stale (its inputs, lexicons or code changed) and was rebuilt."""


class PreparedCorpus(NamedTuple):
    """What :func:`read_prepared` returns: the annotated documents and every mention table."""

    documents: pd.DataFrame
    partners: pd.DataFrame
    themes: pd.DataFrame
    formats: pd.DataFrame
    officials: pd.DataFrame
    skipped: pd.DataFrame
    manifest: dict[str, Any]
    clustering: Any = None  # the stored clustering (:func:`read_clustering`)

    def mentions(self) -> dict[str, pd.DataFrame]:
        """Return the mention tables by variable, as ``cooccurrence(..., mentions=)`` takes them.

        Returns
        -------
        dict
            ``partner``, ``theme`` and ``official`` tables.
        """
        return {"partner": self.partners, "theme": self.themes, "official": self.officials}


# --------------------------------------------------------------------------- fingerprints


def _sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(source: str | Path | None) -> list[dict[str, object]]:
    """List every file under ``source`` with its size and modification time.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        The corpus folder or file (default the bundled seeds).

    Returns
    -------
    list of dict
        ``path`` (relative to ``source``'s parent), ``size`` (bytes), ``mtime_ns``; sorted.

    Examples
    --------
    >>> [entry["path"] for entry in input_fingerprint(None)][:1]
    ['seeds/000_61ed17e4f0eb13e1.txt']
    """
    root = SEEDS_DIR if source is None else Path(source).expanduser().resolve()
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    entries = []
    for path in files:
        stat = path.stat()
        entries.append(
            {
                "path": path.relative_to(root.parent).as_posix(),
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
            }
        )
    return entries


def lexicon_versions(lexicons: dict[str, str | None] | None = None) -> dict[str, str]:
    """Hash each bundled data file, each lexicon file passed, and the package's code.

    Parameters
    ----------
    lexicons : dict, optional
        Lexicon files passed by the user, by name (``{"partners": "my.csv"}``); None
        values are skipped.

    Returns
    -------
    dict
        SHA-256 by data file name (``data/themes.csv``), user lexicon (``user/themes``)
        and ``code`` (the package's Python files).

    Examples
    --------
    >>> sorted(lexicon_versions())[:2]
    ['code', 'data/bilingual_example.csv']
    """
    versions = {f"data/{path.name}": _sha256([path]) for path in sorted(DATA_DIR.glob("*.csv"))}
    for name, value in sorted((lexicons or {}).items()):
        if value is not None:
            versions[f"user/{name}"] = _sha256([Path(value).expanduser()])
    versions["code"] = _sha256(sorted(PACKAGE_DIR.glob("*.py")))
    return versions


def _package_version() -> str:
    from bilat_analysis import __version__

    return __version__


def _inputs(entries: list[dict[str, object]]) -> dict[str, object]:
    """Summarise the inputs: digest, count, and the list when it is short enough to keep."""
    listing = json.dumps(entries, sort_keys=True).encode()
    return {
        "input_files": len(entries),
        "inputs_digest": hashlib.sha256(listing).hexdigest(),
        "inputs": entries if len(entries) <= MAX_LISTED_INPUTS else [],
    }


def _expected(source: str | Path | None, options: dict[str, object]) -> dict[str, object]:
    lexicons = {name: options.get(name) for name in ("partners", "themes")}
    return {
        "format_version": FORMAT_VERSION,
        "package_version": _package_version(),
        "source": None if source is None else str(Path(source).expanduser().resolve()),
        **_inputs(input_fingerprint(source)),
        "lexicons": lexicon_versions(lexicons),
        "options": options,
    }


def is_prepared(path: str | Path | None) -> bool:
    """Whether ``path`` is a prepared corpus folder (it holds a ``manifest.json``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Any path.

    Returns
    -------
    bool
        True for a folder written by :func:`prepare_corpus`.

    Examples
    --------
    >>> is_prepared(None)
    False
    """
    return path is not None and (Path(path).expanduser() / MANIFEST).is_file()


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read a prepared folder's manifest.

    Parameters
    ----------
    path : str or pathlib.Path
        The prepared folder.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    ValueError
        When the manifest cannot be read.
    """
    file = Path(path).expanduser() / MANIFEST
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{file}: not a readable manifest ({error})") from error


def stale_reasons(path: str | Path) -> list[str]:
    """Say why a prepared folder no longer matches its inputs, lexicons and code.

    Parameters
    ----------
    path : str or pathlib.Path
        The prepared folder.

    Returns
    -------
    list of str
        One reason per difference; empty when the folder is up to date.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = prepare_corpus(None, folder, progress=False)
    ...     stale_reasons(folder)
    []
    """
    manifest = read_manifest(path)
    source = manifest.get("source")
    if source is not None and not Path(source).exists():
        return [f"its input {source} no longer exists"]
    expected = _expected(source, manifest.get("options", {}))
    reasons = []
    for key in ("format_version", "package_version"):
        if manifest.get(key) != expected[key]:
            reasons.append(f"{key} {manifest.get(key)} -> {expected[key]}")
    if manifest.get("inputs_digest") != expected["inputs_digest"]:
        reasons += _input_changes(manifest, expected)
    lexicons_before = manifest.get("lexicons", {})
    for name, digest in expected["lexicons"].items():  # type: ignore[union-attr]
        if lexicons_before.get(name) != digest:
            reasons.append(f"{name} changed" if name != "code" else "the package's code changed")
    return reasons


def _input_changes(manifest: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Name the input files that changed, were added or removed (when both lists are kept)."""
    before = {e["path"]: e for e in manifest.get("inputs", [])}
    after = {e["path"]: e for e in expected["inputs"]}
    changed = sorted(p for p in before.keys() & after.keys() if before[p] != after[p])
    reasons = []
    for label, paths in (
        ("changed", changed),
        ("added", sorted(after.keys() - before.keys())),
        ("removed", sorted(before.keys() - after.keys())),
    ):
        if paths and before and after:
            more = f" (and {len(paths) - 3} more)" if len(paths) > 3 else ""
            reasons.append(f"input {label}: {', '.join(paths[:3])}{more}")
    if not reasons:
        reasons.append(
            f"inputs changed ({manifest.get('input_files')} files before, "
            f"{expected['input_files']} now)"
        )
    return reasons


# --------------------------------------------------------------------------- writing


_COUNT_COLUMNS = ("partners", "themes", "officials")  # annotate_documents' counts: Arrow maps


def _to_arrow_documents(documents: pd.DataFrame) -> pa.Table:
    frame = documents.copy()
    frame["dyad"] = [list(d) if isinstance(d, tuple) else None for d in frame["dyad"]]
    counts = [c for c in _COUNT_COLUMNS if c in documents.columns]
    table = pa.Table.from_pandas(frame.drop(columns=counts), preserve_index=False)
    for column in counts:
        values = pa.array([list(d.items()) for d in documents[column]], type=_COUNTS)
        table = table.append_column(column, values)
    return table.select(list(documents.columns))


def _tuples(column: pd.Series) -> pd.Series:
    """Dyads read back from Parquet (arrays) as the tuples the package uses."""
    values = [tuple(d) if d is not None else None for d in column]
    return pd.Series(values, index=column.index, dtype=object)


def _from_arrow_documents(table: pa.Table) -> pd.DataFrame:
    columns = [c for c in _COUNT_COLUMNS if c in table.column_names]
    counts = {c: table.column(c).to_pylist() for c in columns}
    frame = table.drop_columns(columns).to_pandas()
    frame["dyad"] = pd.Series(
        [tuple(d) if d is not None else None for d in frame["dyad"]],
        index=frame.index,
        dtype=object,
    )
    for column, values in counts.items():
        frame[column] = [dict(v) for v in values]
    return frame[table.column_names]


class _Writers:
    """One ParquetWriter per mention table, each batch appended as it comes."""

    def __init__(self, folder: Path) -> None:
        self.writers = {
            name: pq.ParquetWriter(folder / f"{name}.parquet", schema)
            for name, schema in MENTION_SCHEMAS.items()
            if name != "officials"
        }

    def write(self, name: str, frame: pd.DataFrame) -> None:
        schema = MENTION_SCHEMAS[name]
        self.writers[name].write_table(
            pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        )

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def _write_table(frame: pd.DataFrame, file: Path, schema: pa.Schema | None = None) -> None:
    pq.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), file)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    from tqdm import tqdm  # text bar on stderr (tqdm.auto wants ipywidgets in notebooks)

    bar = tqdm(total=None, unit="doc", file=sys.stderr, disable=not enabled, desc="prepare")
    try:
        yield bar
    finally:
        bar.close()


def _topics(
    annotated: pd.DataFrame,
    formats: pd.DataFrame,
    officials: pd.DataFrame,
    hashed: Any,
    random_state: int,
    n_jobs: int,
) -> tuple[pd.DataFrame, Any]:
    """Events and clusters of the whole corpus, from the mentions and hashed words found.

    ``hashed`` is consumed: the clustering reads it first, then it is normalised in
    place for the events (a million articles' words take gigabytes: no second copy).
    """
    from dataclasses import replace

    from sklearn.preprocessing import normalize

    from bilat_analysis.events import group_events
    from bilat_analysis.topics import cluster_documents, cluster_sizes

    clustering = cluster_documents(
        annotated, random_state=random_state, hashed=hashed, n_jobs=n_jobs
    )
    events = group_events(
        annotated,
        formats=formats,
        officials=officials,
        words=None if hashed is None else normalize(hashed, copy=False),
        n_jobs=n_jobs,
    )
    annotated = annotated.assign(
        event=events["event"].to_numpy(),
        event_size=events["event_size"].to_numpy(),
        format=events["format"].to_numpy(),
        cluster=clustering.documents["cluster"].to_numpy(),
    )
    clustering = replace(clustering, sizes=cluster_sizes(clustering, annotated))
    return annotated, clustering


def _text_batches(file: Path, batch_size: int) -> Iterator[pd.DataFrame]:
    """Read back the ``doc_id`` and ``text`` that :func:`_build` wrote, a batch at a time."""
    for batch in pq.ParquetFile(file).iter_batches(batch_size=batch_size):
        yield batch.to_pandas()


def _with_texts(
    annotated: pd.DataFrame, texts_file: Path, rows: Any, batch_size: int
) -> pd.DataFrame:
    """Put the whole text back into the given rows (the others keep their lead)."""
    wanted = np.asarray(rows, dtype=np.int64)
    found: dict[int, str] = {}
    offset = 0
    for batch in _text_batches(texts_file, batch_size):
        inside = wanted[(wanted >= offset) & (wanted < offset + len(batch))]
        if len(inside):
            texts = batch["text"].to_numpy(dtype=object)
            found.update(zip(inside.tolist(), texts[inside - offset].tolist(), strict=True))
        offset += len(batch)
    text = annotated["text"].copy()
    text.iloc[list(found)] = list(found.values())
    return annotated.assign(text=text)


class _CountsOnDisk:
    """The batches' hashed word counts, written to ``scratch`` as they come.

    :meth:`read` gives the corpus's matrix (what ``scipy.sparse.vstack`` of the batches
    gives) in one allocation: a million articles' counts take gigabytes, and the
    batches never sit in memory beside their stacked copy.
    """

    def __init__(self, scratch: Path) -> None:
        self.data = scratch / "counts-data.partial"
        self.indices = scratch / "counts-indices.partial"
        self.rows: list[np.ndarray] = []
        self.width = 0

    def write(self, counts: sp.csr_matrix) -> None:
        with self.data.open("ab") as data, self.indices.open("ab") as indices:
            counts.data.astype(np.float32, copy=False).tofile(data)
            counts.indices.astype(np.int32, copy=False).tofile(indices)
        self.rows.append(np.diff(counts.indptr))
        self.width = counts.shape[1]

    def read(self) -> sp.csr_matrix:
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(self.rows))])
        data = np.fromfile(self.data, dtype=np.float32)
        indices = np.fromfile(self.indices, dtype=np.int32)
        matrix = sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, self.width))
        self.discard()
        return matrix

    def discard(self) -> None:
        self.data.unlink(missing_ok=True)
        self.indices.unlink(missing_ok=True)


def _build(
    source: str | Path | None,
    scratch: Path,
    expected: dict[str, object],
    options: dict[str, Any],
    n_jobs: int,
    batch_size: int,
    bar: Any,
) -> None:
    """Write every table and the manifest into ``scratch``, reporting progress on ``bar``.

    The corpus is read, tagged and hashed batch by batch; its texts go to disk as they
    come. What stays in memory is each document's annotations, the lead of its text
    (events look for numbers there) and its hashed word counts. Officials, events and
    clusters then work on the whole corpus, the texts read back from disk a batch at a
    time where they are needed whole.
    """
    from bilat_analysis.corpus import iter_corpus
    from bilat_analysis.dyads import _counts, annotate_with_tables
    from bilat_analysis.events import NUMBERS_PREFIX
    from bilat_analysis.lexicons import warn_language_coverage
    from bilat_analysis.officials import find_officials
    from bilat_analysis.topics import (
        SCALABLE_THRESHOLD,
        hash_counts,
        terms_sample,
        weigh_hashed_counts,
    )

    bar.set_description("prepare: loading and tagging")
    columns = {k: v for k, v in options.items() if k.endswith("_column")}
    scratch.mkdir(parents=True, exist_ok=True)
    texts_file = scratch / "texts.partial.parquet"
    writers = _Writers(scratch)
    texts_writer = pq.ParquetWriter(texts_file, _TEXTS)
    annotated_parts, dyad_parts, format_parts, skipped_parts = [], [], [], []
    titled: list[tuple] = []
    counts = _CountsOnDisk(scratch)
    try:
        for loaded in iter_corpus(source, batch_size=batch_size, **columns, n_jobs=n_jobs):
            skipped_parts.append(loaded.skipped)
            batch = loaded.documents
            if batch.empty:
                continue
            # each text tagged once; the officials column stays empty until every batch is read
            tables = annotate_with_tables(
                batch, partners=options["partners"], themes=options["themes"], n_jobs=n_jobs
            )
            writers.write("partners", tables.partners)
            writers.write("themes", tables.themes)
            writers.write("formats", tables.formats)
            titled += tables.titled
            counts.write(hash_counts(batch["text"].tolist(), n_jobs=n_jobs))
            texts_writer.write_table(
                pa.Table.from_pandas(batch[["doc_id", "text"]], schema=_TEXTS, preserve_index=False)
            )
            lead = batch["text"].str.slice(0, NUMBERS_PREFIX)
            annotated_parts.append(tables.documents.assign(text=lead))
            dyad_parts.append(tables.dyads)
            format_parts.append(tables.formats)
            bar.update(len(batch))
    finally:
        writers.close()
        texts_writer.close()
    if not annotated_parts:
        raise ValueError(f"no document could be loaded from {source or SEEDS_DIR.name}")
    annotated = pd.concat(annotated_parts, ignore_index=True)
    del annotated_parts
    warn_language_coverage(annotated)  # one warning per language not fully understood
    bar.set_description("prepare: officials")
    officials = find_officials(_text_batches(texts_file, batch_size), titled, n_jobs=n_jobs)
    _write_table(officials, scratch / "officials.parquet", MENTION_SCHEMAS["officials"])
    annotated["officials"] = _counts(officials, "official", annotated["doc_id"].tolist())
    bar.set_description("prepare: events and clusters")
    n_docs = len(annotated)
    hashed = None
    if n_docs >= SCALABLE_THRESHOLD:  # as shared_hashed_words: one hashing for both stages
        hashed = weigh_hashed_counts(counts.read(), copy=False)
        whole = terms_sample(n_docs, options["random_state"])  # the texts naming clusters
    else:
        counts.discard()
        whole = np.arange(n_docs)  # each stage builds its own vocabulary from every text
    formats = pd.concat(format_parts, ignore_index=True)
    annotated = _with_texts(annotated, texts_file, whole, batch_size)
    annotated, clustering = _topics(
        annotated, formats, officials, hashed, options["random_state"], n_jobs
    )
    del hashed
    bar.set_description("prepare: writing")
    dyads = pd.concat(dyad_parts, ignore_index=True)
    dyads["dyad"] = [list(d) if isinstance(d, tuple) else None for d in dyads["dyad"]]
    _write_table(dyads, scratch / "dyads.parquet")
    _write_table(annotated[["doc_id", "event", "event_size", "format"]], scratch / "events.parquet")
    clusters = clustering.documents.assign(
        dyad=[list(d) if isinstance(d, tuple) else None for d in clustering.documents["dyad"]]
    )
    _write_table(clusters, scratch / "clusters.parquet")
    for name in ("silhouette", "terms", "sizes"):
        _write_table(getattr(clustering, name), scratch / f"cluster_{name}.parquet")
    _write_table(pd.concat(skipped_parts, ignore_index=True), scratch / "skipped.parquet")
    _write_documents(annotated, texts_file, scratch / "documents.parquet", batch_size)
    texts_file.unlink()
    manifest = {
        **expected,
        "documents": len(annotated),
        "date_dtype": str(annotated["date"].dtype),  # Parquet has no second unit
        "clustering": {
            "k": clustering.k,
            "method": clustering.method,
            "concepts": clustering.concepts,
        },
    }
    (scratch / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    bar.set_description("prepare: done")


def _write_documents(
    annotated: pd.DataFrame, texts_file: Path, file: Path, batch_size: int
) -> None:
    """Write the annotated documents with their whole texts, a batch at a time."""
    table = _to_arrow_documents(annotated.assign(text=""))
    position = table.column_names.index("text")
    schema = table.schema
    offset = 0
    with pq.ParquetWriter(file, schema) as writer:
        for batch in _text_batches(texts_file, batch_size):
            rows = table.slice(offset, len(batch))
            texts = pa.array(batch["text"].tolist(), type=schema.field("text").type)
            writer.write_table(rows.set_column(position, schema.field("text"), texts))
            offset += len(batch)


def prepare_corpus(
    source: str | Path | None,
    out: str | Path,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    date_column: str | None = None,
    title_column: str | None = None,
    language_column: str | None = None,
    partners: str | Path | None = None,
    themes: str | Path | None = None,
    random_state: int = 0,
    n_jobs: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: bool | None = None,
    force: bool = False,
) -> Path:
    """Load, tag, group and cluster a corpus once, and write every result to ``out``.

    When ``out`` already holds a folder prepared from the same inputs, lexicons,
    code and options, nothing is done (unless ``force``); when it holds a stale one,
    it is rebuilt.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        Folder or file, as for :func:`bilat_analysis.load_corpus`; None for the seeds.
    out : str or pathlib.Path
        The folder to write (created; its tables are replaced).
    text_column, id_column, date_column, title_column, language_column : str, optional
        Column names of table inputs, as for :func:`bilat_analysis.load_corpus`.
    partners, themes : str or pathlib.Path, optional
        Lexicon files (default the bundled ones); their hashes go into the manifest.
    random_state : int, default 0
        Seed of the clustering.
    n_jobs : int, optional
        Processes for the CPU-bound stages; default every core available.
    batch_size : int, default 10000
        Documents tagged and written per batch.
    progress : bool, optional
        Show a progress bar on stderr; default only when stderr is a terminal.
    force : bool, default False
        Rebuild even an up-to-date folder.

    Returns
    -------
    pathlib.Path
        The prepared folder.

    Raises
    ------
    FileNotFoundError
        When ``source`` does not exist.
    ValueError
        When no document could be loaded, or ``out`` is a file or a non-empty folder
        that was not prepared (it is never overwritten).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = prepare_corpus(None, folder, progress=False)
    ...     read_prepared(path).documents["event"].nunique()
    4
    """
    folder = Path(out).expanduser()
    if source is not None and not Path(source).expanduser().exists():
        raise FileNotFoundError(f"no such file or folder: {source}")
    root = SEEDS_DIR if source is None else Path(source).expanduser()
    if root.is_dir() and folder.resolve().is_relative_to(root.resolve()):
        raise ValueError(
            f"{folder} is inside the corpus {root}: its tables would be read as documents; "
            "choose a folder outside it"
        )
    options: dict[str, Any] = {
        "text_column": text_column,
        "id_column": id_column,
        "date_column": date_column,
        "title_column": title_column,
        "language_column": language_column,
        "partners": None if partners is None else str(Path(partners).expanduser().resolve()),
        "themes": None if themes is None else str(Path(themes).expanduser().resolve()),
        "random_state": random_state,
    }
    expected = _expected(source, options)
    if is_prepared(folder):
        manifest = read_manifest(folder)
        if not force and all(manifest.get(key) == value for key, value in expected.items()):
            return folder
    elif folder.is_file() or (folder.is_dir() and any(folder.iterdir())):
        raise ValueError(
            f"{folder} exists and is not a prepared corpus (no {MANIFEST}); "
            "choose a new or empty folder"
        )
    n_jobs = available_cores(n_jobs)
    show = sys.stderr.isatty() if progress is None else progress
    folder.parent.mkdir(parents=True, exist_ok=True)
    # a scratch folder of this call's own: two notebooks preparing the same corpus at once
    # must not write into one another's tables
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name}.partial-", dir=folder.parent))
    scratch.chmod(0o755)  # as a folder made by mkdir (mkdtemp's is private)
    try:
        with _progress(show) as bar:
            _build(source, scratch, expected, options, n_jobs, batch_size, bar)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        if folder.exists():
            shutil.rmtree(folder)  # a prepared (stale) or empty folder: replaced whole
        scratch.rename(folder)
    except OSError:  # another call finished the same tables meanwhile: keep those
        shutil.rmtree(scratch, ignore_errors=True)
        if not is_prepared(folder):
            raise
    return folder


# --------------------------------------------------------------------------- reading


def _fresh(path: str | Path, *, check: bool) -> Path:
    """Return the folder, rebuilt first when it is stale (never silently reused)."""
    folder = Path(path).expanduser()
    if not is_prepared(folder):
        raise ValueError(f"{folder} is not a prepared corpus (no {MANIFEST})")
    if not check:
        return folder
    reasons = stale_reasons(folder)
    if not reasons:
        return folder
    manifest = read_manifest(folder)
    source = manifest.get("source")
    if source is not None and not Path(source).exists():
        raise ValueError(
            f"{folder} is stale and cannot be rebuilt: {'; '.join(reasons)}; "
            "prepare it again, or read it as it is with check=False"
        )
    warnings.warn(
        f"{folder} is stale ({'; '.join(reasons)}): preparing it again",
        PreparedWarning,
        stacklevel=3,
    )
    options = dict(manifest.get("options", {}))
    prepare_corpus(source, folder, **options, progress=False, force=True)
    return folder


def read_prepared(path: str | Path, *, check: bool = True) -> PreparedCorpus:
    """Read a folder written by :func:`prepare_corpus`, rebuilding it first if it is stale.

    Parameters
    ----------
    path : str or pathlib.Path
        The prepared folder.
    check : bool, default True
        Compare the manifest with the inputs, lexicons and code, and rebuild the
        folder (with a :class:`PreparedWarning`) when they changed. False reads the
        tables as they are.

    Returns
    -------
    PreparedCorpus
        ``documents`` (the annotated corpus frame: the loader's columns, then ``dyad``,
        ``dyad_score``, ``host``, ``partners``, ``themes``, ``officials``, ``format``,
        ``event``, ``event_size``, ``cluster``), the mention tables ``partners``,
        ``themes``, ``formats``, ``officials``, the ``skipped`` inputs, the ``manifest``,
        and the ``clustering`` (:func:`read_clustering`: k chosen by silhouette, with
        concept features).

    Raises
    ------
    ValueError
        When ``path`` is not a prepared folder, or it is stale and its input is gone.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     prepared = read_prepared(prepare_corpus(None, folder, progress=False))
    ...     prepared.documents["dyad"].tolist()[2], len(prepared.partners) > 0
    (('EU', 'IND'), True)
    """
    folder = _fresh(path, check=check)
    manifest = read_manifest(folder)
    documents, skipped = _documents(folder, manifest)
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in MENTION_SCHEMAS}
    return PreparedCorpus(
        documents=documents,
        skipped=skipped,
        manifest=manifest,
        clustering=read_clustering(folder, check=False),
        **tables,
    )


def read_prepared_documents(
    path: str | Path, *, check: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read only the documents and the skipped inputs of a prepared folder.

    What :func:`bilat_analysis.corpus.load_corpus` gives for a prepared folder: the
    mention tables and the clustering (and the libraries the clustering needs) are
    not read.

    Parameters
    ----------
    path : str or pathlib.Path
        The prepared folder.
    check : bool, default True
        As for :func:`read_prepared` (a stale folder is rebuilt first).

    Returns
    -------
    tuple of pandas.DataFrame
        ``documents`` and ``skipped``, as :func:`read_prepared` gives them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     prepared = prepare_corpus(None, folder, progress=False)
    ...     documents, skipped = read_prepared_documents(prepared)
    ...     len(documents), len(skipped)
    (5, 0)
    """
    folder = _fresh(path, check=check)
    return _documents(folder, read_manifest(folder))


def _documents(folder: Path, manifest: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the documents (dates in the dtype they were prepared with) and the skipped inputs."""
    documents = _from_arrow_documents(pq.read_table(folder / "documents.parquet"))
    documents["date"] = documents["date"].astype(manifest.get("date_dtype", "datetime64[ns]"))
    return documents, pd.read_parquet(folder / "skipped.parquet")


def read_clustering(path: str | Path, *, check: bool = True) -> Any:
    """Read the clustering of a prepared folder, as :func:`cluster_documents` returned it.

    Parameters
    ----------
    path : str or pathlib.Path
        The prepared folder.
    check : bool, default True
        As for :func:`read_prepared`.

    Returns
    -------
    bilat_analysis.topics.Clustering
        Labels, map coordinates, silhouette curve, terms and sizes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     read_clustering(prepare_corpus(None, folder, progress=False)).k
    3
    """
    from bilat_analysis.topics import Clustering

    folder = _fresh(path, check=check)
    details = read_manifest(folder)["clustering"]
    documents = pd.read_parquet(folder / "clusters.parquet")
    documents["dyad"] = _tuples(documents["dyad"])
    return Clustering(
        documents=documents,
        silhouette=pd.read_parquet(folder / "cluster_silhouette.parquet"),
        terms=pd.read_parquet(folder / "cluster_terms.parquet"),
        sizes=pd.read_parquet(folder / "cluster_sizes.parquet"),
        k=int(details["k"]),
        method=str(details["method"]),
        concepts=bool(details["concepts"]),
    )


def corpus_tables(
    source: str | Path | None = None, *, progress: bool = False, **options: Any
) -> PreparedCorpus:
    """Every table of a corpus, from a prepared folder or computed now: one way in for notebooks.

    A prepared folder (see :func:`prepare_corpus`) is read, and rebuilt first when it is
    stale; any other source is prepared into a temporary folder and read back, so both
    give exactly the same tables.

    Parameters
    ----------
    source : str or pathlib.Path, optional
        A prepared folder, a corpus folder or file, or None for the seeds.
    progress : bool, default False
        Progress bar on stderr while preparing.
    **options
        Passed to :func:`prepare_corpus` (column names, lexicons, ``random_state``, ...).

    Returns
    -------
    PreparedCorpus
        As :func:`read_prepared` returns it.

    Examples
    --------
    >>> tables = corpus_tables()
    >>> tables.documents["dyad"].tolist()[0], sorted(tables.mentions())
    (('FRA', 'IND'), ['official', 'partner', 'theme'])
    """
    import tempfile

    if is_prepared(source):
        return read_prepared(source)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as scratch:
        folder = prepare_corpus(source, Path(scratch) / "prepared", progress=progress, **options)
        return read_prepared(folder, check=False)
