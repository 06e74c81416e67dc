"""The embedded on-disk store: Oxigraph (pyoxigraph) behind the kg.store.backend.Backend interface.

This is the only module that imports pyoxigraph; everything it returns is an rdflib term, so the
rest of iokg can swap it for a remote endpoint without knowing.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.store.backend import Backend, QueryResult
from kg.errors import QueryError, StoreBusyError, StoreError

_XSD_STRING = str(XSD.string)
_DATATYPES: dict[str, URIRef] = {}  # datatype IRI → URIRef, shared by every conversion


def to_rdflib(term) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term (xsd:string literals become plain literals)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        iri = _DATATYPES.get(datatype)
        if iri is None:
            iri = _DATATYPES[datatype] = URIRef(datatype)
        return Literal(term.value, datatype=iri)
    if kind is ox.BlankNode:
        return BNode(term.value)
    if term is None:
        return None
    raise QueryError(f"unsupported RDF term in result: {term!r}")


def to_oxigraph(term: Node):
    """Convert an rdflib term to the pyoxigraph term used for SPARQL substitutions."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}: not an RDF term")


def _open(path: Path, read_only: bool, attempts: int = 5):
    """Open the RocksDB-backed store, turning lock and corruption errors into StoreError.

    A reader opening beside a writer can find that a log file it just listed was deleted by the
    writer's flush; that race is retried a few times before it counts as an error."""
    try:
        if read_only:
            if not path.is_dir():
                raise StoreError(f"{path}: no store here (run `iokg ingest` first or pass --store)")
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as error:
        if read_only and attempts > 1 and "No such file or directory" in str(error):
            time.sleep(0.1)
            return _open(path, read_only, attempts - 1)
        text = str(error)
        if "lock" in text.lower():
            raise StoreBusyError(f"{path}: store is busy (another iokg process is writing to it)") from None
        raise StoreError(f"{path}: cannot open store: {text.splitlines()[0] if text else 'unknown error'}") from None


class EmbeddedStore(Backend):
    """Oxigraph on disk; SPARQL sees the union of all named graphs as its default graph."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self.label = str(self.path)
        self.read_only = read_only
        self._store = _open(self.path, read_only)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.label}: store was opened read-only")

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run SELECT/ASK/CONSTRUCT/DESCRIBE; `bindings` become pyoxigraph substitutions, never text."""
        subs = {ox.Variable(name): to_oxigraph(term) for name, term in (bindings or {}).items()}
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
            return _convert_result(result)  # solutions are computed lazily: a SERVICE call can fail here
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from None
        except (RuntimeError, OSError, ValueError) as error:
            raise QueryError(f"query failed: {_first_line(error)}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""
        self._check_writable()
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise QueryError(f"SPARQL update syntax error: {_first_line(error)}") from None
        except (RuntimeError, OSError, ValueError) as error:
            raise QueryError(f"update failed: {_first_line(error)}") from None

    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph in a single update, so readers never see half a document."""
        body = ntriples.decode("utf-8")
        self._write(graph_iri, f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n}} }}")

    def add_to_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Merge triples into one named graph in a single transaction (already present ones stay once)."""
        self._write(graph_iri, f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{ntriples.decode('utf-8')}\n}} }}")

    def write_document(self, graph_iri: str, ntriples: bytes, shared_iri: str, shared: bytes) -> None:
        """Replace the document graph and merge its shared entities in one transaction: all or nothing."""
        self._write(graph_iri, (
            f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{\n GRAPH <{graph_iri}> {{\n{ntriples.decode('utf-8')}\n}}\n"
            f" GRAPH <{shared_iri}> {{\n{shared.decode('utf-8')}\n}}\n}}"))

    def _write(self, graph_iri: str, sparql: str) -> None:
        """Run one write update, reporting a failure as a StoreError naming the graph."""
        self._check_writable()
        try:
            self._store.update(sparql)
        except (SyntaxError, RuntimeError, OSError, ValueError) as error:
            raise StoreError(f"{self.label}: could not write graph <{graph_iri}>: {_first_line(error)}") from None

    def delete_graph(self, graph_iri: str) -> None:
        """Drop a named graph (no error when it is absent)."""
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump_nquads(self) -> bytes:
        """Every quad as N-Quads."""
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One named graph as N-Triples, dumped by Oxigraph itself."""
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))

    def triple_count(self) -> int:
        """Number of quads in all graphs."""
        return len(self._store)

    def bulk_load(self, data: bytes | str, fmt: str = "nq") -> None:
        """Fast non-transactional load of a large N-Quads/N-Triples/Turtle file (used by benchmarks)."""
        self._check_writable()
        formats = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
        self._store.bulk_load(data, format=formats[fmt])

    def optimize(self) -> None:
        """Compact the on-disk files (worth it after a bulk load)."""
        self._check_writable()
        self._store.optimize()

    def flush(self) -> None:
        """Write RocksDB's memtables out to disk: without it they grow until close(), ~1.3 MB a document."""
        if not self.read_only:
            self._guarded("flush", self._store.flush)

    def compact(self) -> None:
        """Flush and compact the files, then reopen: RocksDB deletes the write-ahead log of a run (as large
        as the data it wrote) only when the store is opened again, so it would stay on disk until then."""
        if not self.read_only:
            self._guarded("flush", self._store.flush)
            self._guarded("compact", self._store.optimize)
            self._store = None  # the last reference: pyoxigraph closes the store here
            gc.collect()
            self._store = _open(self.path, read_only=False)

    def _guarded(self, what: str, action) -> None:
        try:
            action()
        except OSError as error:
            raise StoreError(f"{self.label}: could not {what} the store: {_first_line(error)}") from None

    def close(self) -> None:
        """Flush and release the RocksDB lock."""
        if self._store is not None:
            store, self._store = self._store, None
            if not self.read_only:
                try:
                    store.flush()
                except OSError as error:  # a full disk: the last transaction is in the WAL or not at all
                    raise StoreError(f"{self.label}: could not flush the store to disk: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _convert_result(result) -> QueryResult:
    """pyoxigraph results → QueryResult with rdflib terms."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows, seen = [], {}  # terms repeat across rows; building rdflib terms is the costly part
        cached = seen.get
        for solution in result:
            row = {}
            for name, term in zip(names, solution):  # iterating a solution is cheaper than indexing it
                if term is not None:
                    converted = cached(term)
                    if converted is None:
                        converted = seen[term] = to_rdflib(term)
                    row[name] = converted
            rows.append(row)
        return QueryResult(kind="select", variables=names, rows=tuple(rows))
    graph = Graph()
    for triple in result:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return QueryResult(kind="graph", graph=graph)


def parse_count(data: bytes, fmt: str) -> int:
    """Number of triples/quads pyoxigraph parses from `data` (`fmt`: ttl, nt, nq, trig); for cross-checks."""
    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
    try:
        return sum(1 for _ in ox.parse(data, format=formats[fmt]))
    except SyntaxError as error:
        raise StoreError(f"pyoxigraph could not parse the {fmt} data: {_first_line(error)}") from None
