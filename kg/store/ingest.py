"""Documents → extraction → RDF → store, one named graph and one transaction per document.

The kill chain (ontology/killchain.ttl) is loaded once per run into its own graph when missing or
changed. Shared entities (countries, organisations, platforms) live once in the entities graph. A document
whose bytes are already in the store is skipped (so re-ingesting changes nothing, not
even the ingestion time); a changed file replaces its graph; a file that fails is counted and the
others still go in.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal

from kg.store.backend import Backend
from kg.errors import DocumentError, IokgError
from kg.graph.model import Extraction
from kg.graph.iris import ENTITIES_GRAPH, document_iri, graph_iri, legacy_graph_iri, source_key
from kg.graph.rdf import LAYOUT_VERSION, extraction_graphs, to_ntriples
from kg.graph.vocab import IOKG
from kg.read.limits import time_limit

ErrorHandler = Callable[[str, IokgError], None]
_SAME_CONTENT = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT ?g ?sha ?version WHERE {
  GRAPH ?g { ?doc iokg:sha256 ?sha ; iokg:layoutVersion ?v }
  FILTER(?v >= ?version)
} LIMIT 1
"""

_OLDER_LAYOUT = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT (COUNT(DISTINCT ?doc) AS ?n) ?version WHERE {
  GRAPH ?g { ?doc a iokg:SourceDocument }
  OPTIONAL { GRAPH ?g { ?doc iokg:layoutVersion ?v } }
  FILTER(!BOUND(?v) || ?v < ?version)
} GROUP BY ?version
"""


@dataclass
class IngestReport:
    """What an ingest run did: counts for the summary line and the failures with their reasons."""

    documents: int = 0
    networks: int = 0
    operations: int | None = None
    operations_error: str | None = None
    triples: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of unsupported types found in folders

    def summary(self) -> str:
        unchanged = f" ({self.unchanged} unchanged)" if self.unchanged else ""
        ignored = f", {len(self.skipped)} skipped (unsupported file type)" if self.skipped else ""
        operations = f", {self.operations} operations in the store" if self.operations is not None else ""
        if self.operations_error:
            operations = f"; operations not recomputed ({self.operations_error}): run `iokg ingest` again"
        return (f"{self.documents} documents, {self.networks} networks, {self.triples} triples, "
                f"{len(self.failures)} failures{unchanged}{ignored}{operations}")




def is_current(backend: Backend, extraction: Extraction, source: str | None = None) -> bool:
    """True when the document's graph already holds this content (same sha256) in the current layout."""
    doc = extraction.document
    bindings = {"g": graph_iri(doc, source), "sha": Literal(doc.sha256), "version": Literal(LAYOUT_VERSION)}
    return bool(backend.query(_SAME_CONTENT, bindings=bindings).rows)


def older_layout_documents(backend: Backend) -> int:
    """How many stored documents were written in an older RDF layout (queries may miss their facts
    until they are ingested again)."""
    rows = backend.query(_OLDER_LAYOUT, bindings={"version": Literal(LAYOUT_VERSION)}).rows
    return int(rows[0]["n"]) if rows else 0


def store_extraction(backend: Backend, extraction: Extraction, source: str | None = None) -> int:
    """Merge its shared-entity triples into the entities graph, then replace the document's named graph
    (Graph Store POST then PUT; one transaction on the embedded store). `source` is the file's path
    relative to the ingest root (kg.graph.iris.source_key), which names the graph.

    Returns the triples written (0 when the same content is already stored).
    """
    if is_current(backend, extraction, source):
        return 0
    document, shared = extraction_graphs(extraction)
    document.add((document_iri(extraction.document), IOKG.sourcePath,
                  Literal(source_key(extraction.document, source))))
    name = graph_iri(extraction.document, source)
    backend.write_document(str(name), to_ntriples(document), str(ENTITIES_GRAPH), to_ntriples(shared))
    migrate_legacy_graph(backend, extraction)
    return len(document) + len(shared)


_LEGACY_HOLDS = "PREFIX iokg: <https://w3id.org/iokg/ns#> ASK { GRAPH ?g { ?doc iokg:fileName ?name } }"


def migrate_legacy_graph(backend: Backend, extraction: Extraction) -> None:
    """Drop the graph an older iokg wrote for this same file (named by file-name slug), now that the
    document is stored under its path; a legacy graph holding another file's document is left alone."""
    old = legacy_graph_iri(extraction.document)
    if backend.query(_LEGACY_HOLDS, bindings={"g": old, "name": Literal(extraction.document.name)}).boolean:
        backend.delete_graph(str(old))


def ensure_killchain(backend: Backend) -> int:
    """Load ontology/killchain.ttl into its named graph unless the store already holds it with the same
    number of triples, so technique queries show tactic labels; returns the triples written."""
    from kg.graph.killchain import GRAPH_IRI, KILLCHAIN_TTL, load_into

    expected = _killchain_size(KILLCHAIN_TTL, KILLCHAIN_TTL.stat().st_mtime_ns)
    rows = backend.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}").rows
    if rows and int(rows[0].get("n", -1)) == expected:
        return 0
    return load_into(backend)


@lru_cache(maxsize=2)
def _killchain_size(path: Path, mtime: int) -> int:
    """Triples in the kill-chain file (cached per modification time)."""
    from rdflib import Graph

    return len(Graph().parse(path, format="turtle"))


def ingest_paths(paths: Iterable[str | Path], backend: Backend, nlp, on_error: ErrorHandler | None = None,
                 progress: bool = False, strict: bool = False) -> IngestReport:
    """Ingest files and folders; `on_error(path, error)` hears each failure, `strict` stops at the first."""
    from kg.extract.files import extract_file  # spaCy loads only when something is ingested
    from kg.read.document import iter_sources

    report = IngestReport()

    def fail(path: str, error: IokgError) -> None:
        report.failures.append((path, str(error)))
        if on_error is not None:
            on_error(path, error)
        if strict:
            raise error

    found = list(iter_sources(paths, on_error=lambda error: fail(error.path, error),
                              on_skip=lambda path: report.skipped.append(str(path))))
    sources = dict(found)
    chain_checked, written_from = False, {}  # graph IRI → the file of this run that wrote it
    for path in _bar([path for path, _ in found], progress):
        try:
            with time_limit(str(path)):
                extractions = [extract_file(path, nlp)]
            for extraction in extractions:
                _check_graph_is_free(written_from, extraction, path, sources[path])
                if not chain_checked:  # once per run, and only when a document is about to be stored
                    chain_checked = True
                    report.triples += ensure_killchain(backend)
                written = store_extraction(backend, extraction, sources[path])
                report.documents += 1
                report.networks += len(extraction.networks)
                report.triples += written
                report.unchanged += written == 0
        except IokgError as error:
            fail(str(path), error)
        except Exception as error:  # an extractor bug must not abort the batch or print a traceback
            fail(str(path), DocumentError(str(path), f"extraction failed: {type(error).__name__}: {error}"))
    if report.documents:  # over the whole store, so the order documents came in does not matter
        from kg.graph.operations_rdf import refresh_operations

        try:
            report.operations, written = refresh_operations(backend)
            report.triples += written
        except IokgError as error:  # the documents are stored; the next ingest recomputes the operations
            report.operations_error = str(error)
    return report


def _check_graph_is_free(written_from: dict, extraction: Extraction, path: Path, source: str) -> None:
    """Graphs are named by the path under the folder given, so two arguments holding the same relative
    path (a/x.txt and b/x.txt given as files) would overwrite each other: the second is refused instead."""
    name = graph_iri(extraction.document, source)
    first = written_from.setdefault(name, path)
    if first != path:
        raise DocumentError(str(path), f"would be stored as {source!r}, like {first} earlier in this run; "
                                       "ingest their common parent folder instead")


def _bar(files: list[Path], enabled: bool):
    """A tqdm progress bar on stderr when enabled (the CLI enables it only on terminals)."""
    if not enabled:
        return files
    from tqdm import tqdm

    return tqdm(files, unit="doc", file=sys.stderr, leave=False)
