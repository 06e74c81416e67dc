"""Extraction on a Dask distributed cluster for `iokg ingest --cluster [tcp://HOST:PORT]`.

The client streams each file's bytes to the workers (largest first, a few per worker thread in
flight). A worker builds the pipeline once per process, extracts, and either writes the document
straight to the SPARQL endpoint (Graph Store POST of its entities, then PUT of its graph, both
idempotent) or sends the serialised graphs back to this process, the single writer of an embedded
store. Dask re-runs the task of a worker that dies on another worker; a document is never half
written because each graph goes in with one request (or one transaction).
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from kg.errors import UsageError
from kg.read.document import shown
from kg.store.backend import Backend
from kg.store.pool import by_size

SECRETS = {"IOKG_ENDPOINT_USER", "IOKG_ENDPOINT_PASSWORD", "IOKG_ENDPOINT_TOKEN"}
IN_FLIGHT_PER_THREAD = 2

_lock = threading.Lock()
_pipelines: dict = {}
_backends: dict = {}


class ClusterRun:
    """A Dask client for one ingest run: connected to `address`, or to a LocalCluster it starts."""

    def __init__(self, address: str | None, model: str = "auto", endpoint: str | None = None, local_workers: int = 2):
        self.address, self.model, self.local_workers = address, model, local_workers
        self.endpoint = endpoint_settings(endpoint) if endpoint else None
        self.client = self.local = None

    @property
    def direct(self) -> bool:
        """True when workers write to the endpoint themselves (nothing comes back to write)."""
        return self.endpoint is not None

    def __enter__(self) -> "ClusterRun":
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--cluster needs Dask: pip install 'iokg[cluster]'") from None
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if self.address is None:
                self.local = LocalCluster(n_workers=self.local_workers, threads_per_worker=1, processes=True,
                                          dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.local)
            else:
                self.client = Client(self.address)  # waits distributed.comm.timeouts.connect (30 s)
        except (OSError, TimeoutError, ValueError) as error:
            self.__exit__()
            raise UsageError(f"cannot reach the Dask scheduler at {self.address}: {error}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.local is not None:
            self.local.close()

    def outcomes(self, files: list[Path], backend: Backend, sources: dict[Path, str] | None = None
                 ) -> Iterator[tuple[Path, list, tuple[str, str] | None]]:
        """(path, prepared graphs, error) for every file, in the order the cluster finishes them;
        `sources` maps a file to the path under its ingest root that names its graph."""
        from distributed import as_completed

        todo = iter(by_size(files))
        threads = sum(self.client.nthreads().values()) or 1
        running, pending = as_completed(), {}

        def submit_next() -> tuple[Path, str] | None:
            """Send the next readable file to the cluster; returns (path, reason) for one that is not."""
            path = next(todo, None)
            if path is None:
                return None
            try:
                data = path.read_bytes()
            except OSError as error:
                return path, f"cannot read the file: {error.strerror or error}"
            future = self.client.submit(extract_remote, path.name, data, self.model, self.endpoint,
                                        (sources or {}).get(path), pure=False)
            pending[future] = path
            running.add(future)
            return None

        try:
            for _ in range(max(4, threads * IN_FLIGHT_PER_THREAD)):
                unreadable = submit_next()
                if unreadable:
                    yield unreadable[0], [], (shown(unreadable[0]), unreadable[1])
            for future in running:
                path = pending.pop(future)
                yield path, *self._result(future, path)
                unreadable = submit_next()
                if unreadable:
                    yield unreadable[0], [], (shown(unreadable[0]), unreadable[1])
        finally:
            if pending:
                self.client.cancel(list(pending))

    @staticmethod
    def _result(future, path: Path):
        """A finished task's (graphs, error); a task whose workers kept dying is one failed document."""
        try:
            graphs, reason = future.result()
        except Exception as error:  # KilledWorker after Dask's retries, or a worker-side bug
            return [], (shown(path), f"extraction on the cluster failed: {type(error).__name__}: {error}")
        return graphs, None if reason is None else (shown(path), reason)


def endpoint_settings(url: str) -> dict[str, str]:
    """What workers need to reach the endpoint: its URL and this shell's IOKG_ENDPOINT_* settings, but no
    credentials (each worker takes IOKG_ENDPOINT_USER/PASSWORD/TOKEN from its own environment)."""
    settings = {key: value for key, value in os.environ.items()
                if key.startswith("IOKG_ENDPOINT_") and key not in SECRETS}
    settings["IOKG_ENDPOINT"] = url
    return settings


def extract_remote(name: str, data: bytes, model: str, endpoint: dict[str, str] | None, source: str | None = None):
    """The task a worker runs for one file: extract it and write it to the endpoint, or return its graphs
    (named by `source`, the file's path under the ingest root, as in a local ingest).

    Returns (graphs, reason): graphs written by the worker keep only their counts and `stored`."""
    from kg.store.ingest import store_prepared
    from kg.store.prepare import extract_outcome

    nlp = _pipeline(model)
    with tempfile.TemporaryDirectory(prefix="iokg-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        graphs, error = extract_outcome(path, nlp, source)
    if error is not None:
        return [], error[1]
    if endpoint is None:
        return graphs, None
    backend = _endpoint(endpoint)
    return [replace(g, document=b"", shared=b"", stored=store_prepared(backend, g)) for g in graphs], None


def _pipeline(model: str):
    """This worker process's pipeline, built on its first task."""
    with _lock:
        if model not in _pipelines:
            from kg.extract.pipeline import load_pipeline

            _pipelines[model] = load_pipeline(model)
        return _pipelines[model]


def _endpoint(settings: dict[str, str]):
    """This worker process's connection to the endpoint, made once."""
    from kg.store.endpoint import EndpointBackend

    key = tuple(sorted(settings.items()))
    with _lock:
        if key not in _backends:
            _backends[key] = EndpointBackend.from_env(settings["IOKG_ENDPOINT"], environ={**os.environ, **settings})
        return _backends[key]
