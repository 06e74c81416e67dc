"""Copy the embedded store's named graphs to a SPARQL server, one Graph Store PUT per graph.

PUT replaces each graph, so pushing twice leaves the server as after one push; graphs already on the
server that the store does not have are left alone. The store hands over each graph as N-Triples
(its own serialiser; blank nodes shared between two graphs would become two, iokg writes none).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.store.backend import Backend
from kg.store.endpoint_wire import nt_iri
from kg.errors import EndpointError, IokgError

GRAPH_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class PushReport:
    """What a push did: graphs and triples copied, graphs that failed (with the reason), time taken."""

    graphs: int = 0
    triples: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.skipped

    def summary(self) -> str:
        rate = self.triples / self.seconds if self.seconds else 0.0
        text = (f"{self.graphs} graphs, {self.triples} triples pushed in {self.seconds:.1f}s "
                f"({rate:,.0f} triples/s), {len(self.failures)} failures")
        return text + (f", {self.skipped} not attempted" if self.skipped else "")


def remote_count(backend: Backend, graph_iri: str) -> int:
    """Triples the server holds in one named graph (checked after each PUT)."""
    rows = backend.query(GRAPH_COUNT, bindings={"g": URIRef(graph_iri)}).rows
    return int(rows[0]["n"]) if rows else 0


def push(store_backend: Backend, endpoint_backend: Backend, verify: bool = True) -> PushReport:
    """Copy every named graph of `store_backend` to `endpoint_backend`; a graph that fails is reported, the rest go on.

    When the server cannot be reached or refuses the request (credentials, wrong URL), the rest are
    counted as not attempted instead of failing one by one; if nothing was copied yet, that error is raised.
    """
    from kg.store.endpoint import EndpointRefused, EndpointUnreachable

    report, started = PushReport(), time.monotonic()
    names = store_backend.graph_names()
    for position, name in enumerate(names):
        try:
            nt_iri(name)
            data = store_backend.graph_ntriples(name)
            count = data.count(b"\n")
            endpoint_backend.put_graph(name, data)
            if verify and remote_count(endpoint_backend, name) != count:
                raise EndpointError(f"SPARQL endpoint {endpoint_backend.label}: graph <{name}> holds a different "
                                    f"number of triples than the {count} sent")
        except (EndpointUnreachable, EndpointRefused) as error:
            if report.graphs == 0:
                raise
            report.failures.append((name, str(error)))
            report.skipped = len(names) - position - 1
            break
        except IokgError as error:
            report.failures.append((name, str(error)))
            continue
        report.graphs += 1
        report.triples += count
    report.seconds = time.monotonic() - started
    return report


def push_store(store: str | None, endpoint: str | None, verify: bool = True) -> PushReport:
    """Open the embedded store (read-only; never the endpoint, even when IOKG_ENDPOINT is set) and push."""
    import os

    from kg.store import DEFAULT_STORE
    from kg.store.endpoint import EndpointBackend
    from kg.store.embedded import EmbeddedStore

    with EndpointBackend.from_env(endpoint) as target:
        with EmbeddedStore(store or os.environ.get("IOKG_STORE") or DEFAULT_STORE, read_only=True) as source:
            return push(source, target, verify=verify)
