"""One interface for the embedded store and a remote SPARQL 1.1 endpoint.

Commands talk to a `Backend` and never know which one it is. Results come back as rdflib terms so
that no caller depends on pyoxigraph (only kg.store.embedded imports it) or on an HTTP client.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.term import Node


@dataclass(frozen=True)
class QueryResult:
    """A SPARQL result: `rows` for SELECT, `boolean` for ASK, `graph` for CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[dict[str, Node], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)


class Backend(ABC):
    """A quad store that answers SPARQL and holds one named graph per source document."""

    #: what error messages call this backend (a path, or an endpoint URL without credentials)
    label: str = ""

    @abstractmethod
    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a read-only query; `bindings` fix variables to RDF terms without editing the text."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""

    @abstractmethod
    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace the named graph `graph_iri` with these N-Triples, all or nothing."""

    @abstractmethod
    def add_to_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Merge these N-Triples into the named graph `graph_iri` (Graph Store POST; idempotent as a set)."""

    def write_document(self, graph_iri: str, ntriples: bytes, shared_iri: str, shared: bytes) -> None:
        """Merge `shared` into `shared_iri`, then replace `graph_iri`: the document graph goes last, so
        a crash in between leaves it absent (and re-ingested) rather than current without its entities.
        Stores that can do both in one transaction override this."""
        self.add_to_graph(shared_iri, shared)
        self.put_graph(graph_iri, ntriples)

    @abstractmethod
    def delete_graph(self, graph_iri: str) -> None:
        """Drop a named graph if it exists."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """The triples of one named graph as N-Triples (a CONSTRUCT here; stores with a native dump override it)."""
        from rdflib import URIRef

        query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        graph = self.query(query, bindings={"g": URIRef(graph_iri)}).graph
        return graph.serialize(format="nt", encoding="utf-8") if graph is not None else b""

    @abstractmethod
    def dump_nquads(self) -> bytes:
        """Every quad of the store as N-Quads (default graph included)."""

    @abstractmethod
    def triple_count(self) -> int:
        """Number of quads over all graphs."""

    def flush(self) -> None:
        """Persist buffered writes so memory stays bounded during a long ingest (no-op for remote stores)."""

    def compact(self) -> None:
        """Reclaim disk after a run of writes (write-ahead log, obsolete files); no-op for remote stores."""

    def close(self) -> None:
        """Release files, locks or connections."""

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
