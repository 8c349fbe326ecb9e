"""Run a function over chunks of a list of texts on several processes, without copying the texts.

On Linux the worker processes are forked after the texts and the payload (a compiled
lexicon, a vectoriser) are in place, so they read them from the parent's memory instead
of receiving pickled copies; only the chunk boundaries go out and the results come back.
Elsewhere (no ``fork``) the texts are sent to the workers once each.

A texts column may be given as an array (a corpus column's ``.array``, or several
columns as :class:`Rows`): each worker then lists only its own chunk of it.

Items still being read (the records of a corpus being loaded) go through
:func:`stream_map` instead: each item is sent as soon as it is read, and the reading
goes on while the workers work.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, TypeVar

Result = TypeVar("Result")
Item = TypeVar("Item")

_SHARED: tuple[Callable[..., Any], Any, Sequence[str]] | None = None
CHUNKS_PER_JOB = 4  # map_chunks cuts the texts into this many chunks per process


def _init(function: Callable[..., Any], payload: Any, texts: Sequence[str]) -> None:
    global _SHARED  # set once in each worker process
    _SHARED = (function, payload, texts)
    _init_worker()


def _init_worker() -> None:
    """Set up a worker process: its garbage collector on, the memory it frees kept for reuse.

    The collector may have been forked paused (:func:`collector_paused`). The objects
    the worker was forked with are frozen (:func:`gc.freeze`): its collections trace only
    the objects it makes, never the parent's (a full collection over them all, writing to
    each one's header, took 0.2 s in the workers of a session's first load). glibc gives
    large blocks back to the system when they are freed, and a worker allocates such
    blocks for every chunk (arrays, joined texts): each time the system hands out zeroed
    pages again, one page fault per 4 KiB (400 MB of them to load 10,000 articles). A
    worker lives for one call: it keeps what it frees (blocks up to 32 MiB from its heap,
    which is not trimmed below 256 MiB) and gives it back when it ends.
    """
    gc.freeze()
    gc.enable()
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc: its allocator's defaults stand
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 256 << 20)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h


def _run(bounds: tuple[int, int]) -> Any:
    assert _SHARED is not None
    function, payload, texts = _SHARED
    return function(payload, _part(texts, *bounds))


def _part(texts: Sequence[Any], start: int, stop: int) -> list[Any]:
    """Give ``texts[start:stop]`` as a list (an array's part listed here: in the worker)."""
    part = texts[start:stop]
    if isinstance(part, list):
        return part
    return part.tolist() if hasattr(part, "tolist") else list(part)


class Rows:
    """Columns read as rows, a slice at a time: what :func:`map_chunks` gives a worker.

    A column may be an array (a corpus column's ``.array``): each worker then lists only
    its own part of it, instead of this process listing it all before the work starts.

    Examples
    --------
    >>> Rows(["a", "b", "c"], [1, 2, 3])[1:3]
    [('b', 2), ('c', 3)]
    """

    def __init__(self, *columns: Sequence[Any]) -> None:
        self.columns = columns

    def __len__(self) -> int:
        """Give the number of rows."""
        return len(self.columns[0])

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        """Give the rows of a slice, as a list of tuples."""
        if not isinstance(index, slice):
            raise TypeError("Rows are read a slice at a time")
        start, stop, _ = index.indices(len(self))
        return list(zip(*(_part(column, start, stop) for column in self.columns), strict=True))


def available_cores(n_jobs: int | None = None) -> int:
    """Return ``n_jobs``, or when it is None the number of cores this process may use.

    Parameters
    ----------
    n_jobs : int, optional
        A number of processes asked for.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> available_cores(3), available_cores() >= 1
    (3, True)
    """
    if n_jobs is not None:
        return n_jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_chunks(
    function: Callable[[Any, Sequence[str]], Result],
    texts: Sequence[str],
    *,
    payload: Any = None,
    n_jobs: int = 1,
    min_texts: int = 1000,
) -> list[Result]:
    """Apply ``function(payload, chunk)`` to consecutive chunks of ``texts``, in order.

    ``n_jobs - 1`` processes are started and this one works too, on every ``n_jobs``-th
    chunk: one process fewer to start, and the one that copies nothing it touches does a
    share of the work. While the chunks are worked on and their results come back, this
    process's garbage collector is paused (:func:`collector_paused`).

    Parameters
    ----------
    function : callable
        A module-level function taking the payload and a list of texts.
    texts : sequence of str
        The texts; an array (a corpus column's ``.array``) is listed a chunk at a time,
        by the process that works on the chunk.
    payload : object, optional
        What every call needs (compiled matchers, a vectoriser).
    n_jobs : int, default 1
        Processes; with 1, or fewer than ``min_texts`` texts, one call in this process.
    min_texts : int, default 1000
        Below this many texts starting processes costs more than it saves.

    Returns
    -------
    list
        One result per chunk, in text order.

    Examples
    --------
    >>> map_chunks(lambda unit, chunk: [unit + t for t in chunk], ["a", "b"], payload="x")
    [['xa', 'xb']]
    """
    if n_jobs <= 1 or len(texts) < min_texts:
        return [function(payload, _part(texts, 0, len(texts)))]
    size = -(-len(texts) // (n_jobs * CHUNKS_PER_JOB))
    bounds = [(i, min(i + size, len(texts))) for i in range(0, len(texts), size)]
    with (
        collector_paused(),
        _pool(n_jobs - 1, initializer=_init, initargs=(function, payload, texts)) as pool,
    ):
        # every n_jobs-th chunk is this process's; the others' go to the pool as it asks
        others = {i: pool.submit(_run, chunk) for i, chunk in enumerate(bounds) if i % n_jobs}
        mine = range(0, len(bounds), n_jobs)
        own = {i: function(payload, _part(texts, *bounds[i])) for i in mine}
        return [own[i] if i in own else others[i].result() for i in range(len(bounds))]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a block runs, then restore it.

    Gathering the workers' results makes objects that live on (a tuple, a dict per
    document): every 700 new objects the collector starts, and every so often it traces
    all the objects of the process again, the corpus's among them. At 100,000 documents
    that was half a second of this process's time in ``annotate_documents`` alone.
    Reference counting still frees all that is not in a cycle; the collector, enabled
    again after the block (when it was), finds the cycles made meanwhile.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _pool(
    workers: int, *, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()
) -> Iterator[ProcessPoolExecutor]:
    """Give a pool of ``workers`` processes, shut down without waiting for them to end.

    When the block ends the work is done (or cancelled, on an error) and the workers are
    told to stop; their ending (the system unmapping the memory they were forked with:
    15 ms for a process of 1 GB) goes on while this process carries on. The pool's own
    thread collects them.
    """
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=initializer, initargs=initargs
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def stream_map(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    n_jobs: int = 1,
    min_items: int = 2,
) -> Iterator[Result]:
    """Give ``function(item)`` for each of ``items`` in order, working while the items are read.

    Each item goes (pickled) to one of ``n_jobs`` processes as soon as it is read, and
    this process reads on: the reading overlaps the work instead of preceding it. Each
    result comes as soon as it and those before it are done. With ``n_jobs`` of 1, or
    fewer than ``min_items`` items, every call is made in this process. An item should
    be worth sending: a few hundred documents, not one.

    Parameters
    ----------
    function : callable
        A module-level function taking one item.
    items : iterable
        The items, read once, in order.
    n_jobs : int, default 1
        Processes.
    min_items : int, default 2
        Below this many items starting processes costs more than it saves.

    Yields
    ------
    object
        One result per item, in order.

    Examples
    --------
    >>> list(stream_map(sum, [[1, 2], [3]], n_jobs=2))
    [3, 3]
    """
    items = iter(items)
    head = list(islice(items, min_items))
    if n_jobs <= 1 or len(head) < min_items:
        yield from map(function, chain(head, items))
        return
    # the workers collect garbage as usual, whether or not the reader has paused it
    with _pool(n_jobs, initializer=_init_worker) as pool:
        pending: deque[Future[Result]] = deque()
        for item in chain(head, items):
            pending.append(pool.submit(function, item))
            while pending and pending[0].done():  # the results ready, while reading on
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
