"""`iokg ingest --cluster`: a real Dask scheduler and two real workers on loopback, a real `oxigraph serve`.

One worker is killed (SIGKILL) while documents are in flight: Dask runs its task again on the other
worker, and the server must end up with every document whole, the same quads as `--jobs 1`.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kg.store.embedded import EmbeddedStore
from kg.store.endpoint import EndpointBackend
from kg.store.ingest import ingest_paths
from tests.servers import free_port, oxigraph_server  # noqa: F401

pytestmark = [pytest.mark.server, pytest.mark.slow]

DASK = Path(sys.executable).parent / "dask"
DOCUMENT_GRAPHS = ("PREFIX iokg: <https://w3id.org/iokg/ns#> "
                   "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a iokg:SourceDocument } }")


def comparable(nquads: bytes) -> set[bytes]:
    """The quads without the ingestion time, which differs between two runs by design."""
    return {line for line in nquads.splitlines() if line and b"#ingestedAt>" not in line}


@pytest.fixture
def corpus(tmp_path, shared_dir) -> Path:
    """The seeds and a dozen development documents, copied at run time from the shared corpus."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    dev = sorted((shared_dir / "corpus" / "dev").iterdir())[:12]
    for path in [*sorted((shared_dir / "corpus" / "seeds").iterdir()), *dev]:
        shutil.copy(path, folder / path.name)
    return folder


class DaskCluster:
    """`dask scheduler` and `dask worker` processes (no nanny, so a killed worker stays dead)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.client = None  # the test's own client, to watch the scheduler

    def spawn(self, name: str, *args: str) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)

    def start(self, workers: int) -> "DaskCluster":
        port = self.address.rsplit(":", 1)[1]
        self.spawn("scheduler", "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")
        for k in range(1, workers + 1):
            self.spawn(f"worker{k}", "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                       "--host", "127.0.0.1", "--name", f"worker{k}")
        self.wait_for(workers)
        return self

    def wait_for(self, workers: int, timeout: float = 120) -> None:
        from distributed import Client

        self.client = Client(self.address, timeout="60s")
        self.client.wait_for_workers(workers, timeout=timeout)

    def busy(self, name: str) -> bool:
        """True when the scheduler has a task running on the worker called `name`."""
        workers = self.client.scheduler_info()["workers"]
        address = next(a for a, info in workers.items() if info.get("name") == name)
        return bool(self.client.processing(workers=[address]).get(address))

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def dask_cluster(tmp_path):
    if not DASK.exists():
        pytest.fail(f"{DASK} missing: install the test extra (pip install -e '.[test]', which includes 'cluster')")
    folder = tmp_path / "dask"
    folder.mkdir()
    cluster = DaskCluster(folder)
    try:
        yield cluster.start(workers=2)
    finally:
        cluster.stop()


def stored_documents(url: str) -> int:
    answer = requests.get(f"{url}/query", params={"query": DOCUMENT_GRAPHS},
                          headers={"Accept": "application/sparql-results+json"}, timeout=10)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_cluster_ingest_survives_a_killed_worker_and_matches_jobs_1(corpus, dask_cluster, oxigraph_server,
                                                                      tmp_path, nlp):
    files = len(list(corpus.iterdir()))
    command = [str(Path(sys.executable).parent / "iokg"), "ingest", str(corpus), "--cluster", dask_cluster.address,
               "--endpoint", oxigraph_server.url]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    # kill worker1 once documents are flowing, while it is extracting one of them
    while stored_documents(oxigraph_server.url) < 1 or not dask_cluster.busy("worker1"):
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "no document reached the server while worker1 had work"
        time.sleep(0.05)
    victim = dask_cluster.procs["worker1"]
    assert victim.poll() is None, "the worker to kill was already gone"
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, (out, err, dask_cluster.log("scheduler"))
    assert f"Ingested {files} documents" in out and "0 failures" in out, (out, err)
    assert stored_documents(oxigraph_server.url) == files

    with EmbeddedStore(tmp_path / "reference") as reference:
        report = ingest_paths([corpus], reference, nlp, jobs=1)
        assert not report.failures and report.documents == files
        expected = comparable(reference.dump_nquads())
    with EndpointBackend.from_env(oxigraph_server.url, environ={}) as server:
        assert comparable(server.dump_nquads()) == expected


def test_cluster_without_an_address_starts_a_local_one_and_streams_graphs_back(seed_store, seeds_dir, tmp_path):
    store = tmp_path / "store"
    done = subprocess.run([str(Path(sys.executable).parent / "iokg"), "ingest", str(seeds_dir), "--cluster",
                           "--jobs", "2", "--store", str(store)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Ingested 5 documents" in done.stdout, (done.stdout, done.stderr)
    with EmbeddedStore(store, read_only=True) as local, EmbeddedStore(seed_store, read_only=True) as serial:
        assert comparable(local.dump_nquads()) == comparable(serial.dump_nquads())
        assert f" {local.triple_count()} triples" in done.stdout


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, seeds_dir):
    done = subprocess.run([str(Path(sys.executable).parent / "iokg"), "ingest", str(seeds_dir), "--cluster",
                           f"tcp://127.0.0.1:{free_port()}", "--store", str(tmp_path / "s")],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert done.returncode == 2 and "cannot reach the Dask scheduler" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
