"""Extraction in local worker processes for `iokg ingest --jobs N`.

Each worker builds the pipeline once (a pool initializer), then turns file paths into
PreparedGraphs with `kg.store.prepare.extract_outcome`; the parent process stays the only writer.
Files go out largest first so the long ones do not finish last on a single core, and only a few
per worker are in flight at a time, so results never pile up in memory when the writer is slower.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from kg.errors import UsageError

IN_FLIGHT_PER_WORKER = 3
POOL_MIN_FILES = 8  # fewer files extract sooner in-process than workers can start and load the model
PARENT_POLL = 0.2  # seconds between a worker's checks that its parent still runs
ATTEMPTS = 2  # a file whose worker died is tried once more in a fresh pool, then counted as failed

_nlp = None
_setup_error: str | None = None


def default_jobs() -> int:
    """The cores this process may use (what `--jobs` defaults to)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _setup(model: str, parent: int) -> None:
    """Pool initializer: follow the parent's death, then load the pipeline once for all this worker's files."""
    global _nlp, _setup_error
    from kg.errors import IokgError
    from kg.extract.pipeline import load_pipeline

    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="iokg-parent-watch").start()
    try:
        _nlp = load_pipeline(model)
    except IokgError as error:
        _setup_error = str(error)


def _exit_with(parent: int) -> None:
    """End this worker when the ingest that started it is gone (killed with SIGKILL, say): the workers
    share the task pipe, so none of them would ever see it close, and they would hold its stdout."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def _work(path: str, source: str | None = None):
    """Extract one file in a worker; returns what kg.store.prepare.extract_outcome returns."""
    from kg.store.prepare import extract_outcome

    if _setup_error is not None:
        return None, ("", _setup_error)
    return extract_outcome(Path(path), _nlp, source)


def by_size(files: list[Path]) -> list[Path]:
    """Largest files first (unreadable ones last; they fail fast in the worker)."""
    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return -1
    return sorted(files, key=size, reverse=True)


def pool_outcomes(files: list[Path], jobs: int, model: str, sources: dict[Path, str] | None = None
                  ) -> Iterator[tuple[Path, list, tuple[str, str] | None]]:
    """Yield (path, prepared graphs, error) for every file as workers finish them, in completion order;
    `sources` maps a file to the path under its ingest root that names its graph (else its file name).

    `error` is (path shown, reason) of a DocumentError. A pipeline that cannot be built raises UsageError."""
    queue = deque((path, 0) for path in by_size(files))
    context = multiprocessing.get_context("spawn")  # no fork of a process holding RocksDB's threads
    while queue:
        pending: dict[Future, tuple[Path, int]] = {}
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_setup,
                                       initargs=(model, os.getpid()))
        try:
            broken = False
            while (queue or pending) and not broken:
                while queue and len(pending) < jobs * IN_FLIGHT_PER_WORKER:
                    path, tries = queue.popleft()
                    pending[executor.submit(_work, str(path), (sources or {}).get(path))] = (path, tries)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    path, tries = pending.pop(future)
                    try:
                        graphs, error = future.result()
                    except BrokenProcessPool:
                        broken = True
                        queue.append((path, tries + 1))
                        continue
                    if error is not None and error[0] == "":
                        raise UsageError(error[1])
                    yield path, graphs, error
            if broken:  # every file in flight was lost with the pool: retry them in a new one
                queue.extend((path, tries + 1) for path, tries in pending.values())
                pending.clear()
                for path, tries in [item for item in queue if item[1] >= ATTEMPTS]:
                    queue.remove((path, tries))
                    yield path, [], (str(path), "a worker process died while extracting it (out of memory?)")
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
