"""Embedded store vs an Oxigraph SPARQL server on loopback: documents per second and query latency.

Extracts the seed reports once (or any folder given with --docs), makes --copies renamed copies of
each extraction so there are enough documents to time, then stores them the way `iokg ingest` does
(one graph per document: a "already current?" query, then a graph PUT) into both backends, and runs
every canned query --runs times on each. Extraction time is printed apart, since it is the same
for both backends.

    .venv/bin/python bench/endpoint_speed.py                      # seeds x 6 copies = 30 documents
    .venv/bin/python bench/endpoint_speed.py --copies 20 --runs 3 --model none

Some canned queries grow faster than linearly with the number of documents (evidence-for matches
names case-insensitively over every label), so large --copies values take minutes.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from kg.store.backend import Backend  # noqa: E402
from kg.store.endpoint import EndpointBackend  # noqa: E402
from kg.store.ingest import store_extraction  # noqa: E402
from kg.graph.model import Extraction  # noqa: E402
from kg.out.queries import canned_queries, parse_params  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402

EXAMPLES = {"entity": "Reputation Up", "country": "SV", "name": "ARENA", "operator": "Leanga Software"}


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` on a free loopback port, waiting until it answers."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or "oxigraph")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([str(binary), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1).ok:
                return proc, url
        except requests.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


def copies(extractions: list[Extraction], count: int) -> list[Extraction]:
    """`count` renamed copies of each extraction (new name and hash, so each is a new graph)."""
    out = []
    for i in range(count):
        for ex in extractions:
            sha = hashlib.sha256(f"{i}:{ex.document.sha256}".encode()).hexdigest()
            out.append(replace(ex, document=replace(ex.document, name=f"copy{i}-{ex.document.name}", sha256=sha)))
    return out


def time_ingest(backend: Backend, docs: list[Extraction]) -> tuple[float, int]:
    """Seconds to store every extraction, and the triples written."""
    started, triples = time.perf_counter(), 0
    for ex in docs:
        triples += store_extraction(backend, ex)
    return time.perf_counter() - started, triples


def time_dump(backend: Backend) -> float:
    """Seconds to read the whole store as N-Quads (what export, viz and analyze start with)."""
    started = time.perf_counter()
    backend.dump_nquads()
    return time.perf_counter() - started


def query_latency(backend: Backend, runs: int) -> dict[str, float]:
    """Median milliseconds of each canned query."""
    out = {}
    for name, canned in canned_queries().items():
        values = [f"{k}={EXAMPLES.get(k, 'x')}" for k in canned.params]
        bindings = parse_params(values, canned) or None
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            backend.query(canned.text, bindings)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=str(ROOT.parent / "shared" / "corpus" / "seeds"))
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default="auto", help="spaCy model: auto, none or a package")
    args = parser.parse_args()

    from kg.extract.files import extract_paths
    from kg.extract.pipeline import load_pipeline

    started = time.perf_counter()
    base = list(extract_paths([args.docs], nlp=load_pipeline(args.model)))
    print(f"extracted {len(base)} documents in {time.perf_counter() - started:.1f}s (same for both backends)")
    docs = copies(base, args.copies)

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_oxigraph(Path(tmp) / "server")
        try:
            with EmbeddedStore(Path(tmp) / "embedded") as local, EndpointBackend.from_env(url, environ={}) as remote:
                (t_local, triples), (t_remote, _) = time_ingest(local, docs), time_ingest(remote, docs)
                assert local.triple_count() == remote.triple_count(), "backends disagree on the triple count"
                q_local, q_remote = query_latency(local, args.runs), query_latency(remote, args.runs)
                d_local, d_remote = time_dump(local), time_dump(remote)
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"\n{len(docs)} documents, {triples:,} triples\n")
    print(f"{'measure':44} {'embedded':>12} {'server':>12} {'server/embedded':>16}")
    rate_local, rate_remote = len(docs) / t_local, len(docs) / t_remote
    print(f"{'documents per second (store)':44} {rate_local:12.1f} {rate_remote:12.1f} {rate_local / rate_remote:15.2f}x")
    print(f"{'N-Quads dump of the store (s)':44} {d_local:12.2f} {d_remote:12.2f} {d_remote / d_local:15.2f}x")
    for name in q_local:
        ratio = q_remote[name] / q_local[name] if q_local[name] else float("nan")
        print(f"{'query ' + name + ' (ms, median)':44} {q_local[name]:12.2f} {q_remote[name]:12.2f} {ratio:15.2f}x")
    total_l, total_r = sum(q_local.values()), sum(q_remote.values())
    print(f"{'all canned queries (ms)':44} {total_l:12.2f} {total_r:12.2f} {total_r / total_l:15.2f}x")


if __name__ == "__main__":
    main()
