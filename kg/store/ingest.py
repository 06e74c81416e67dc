"""Documents → extraction → RDF → store, one named graph and one transaction per document.

The kill chain (ontology/killchain.ttl) is loaded once per run into its own graph when missing or
changed. Shared entities (countries, organisations, platforms) live once in the entities graph. A document
whose bytes are already in the store is skipped (so re-ingesting changes nothing, not
even the ingestion time); a changed file replaces its graph; a file that fails is counted and the
others still go in.
"""
from __future__ import annotations

import sys
from contextlib import closing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef

from kg.store.backend import Backend
from kg.errors import DocumentError, IokgError
from kg.graph.model import Extraction
from kg.graph.iris import ENTITIES_GRAPH, document_iri, graph_iri, legacy_graph_iri, source_key
from kg.graph.rdf import LAYOUT_VERSION, extraction_graphs, to_ntriples
from kg.graph.vocab import IOKG
from kg.store.prepare import Outcome, PreparedGraph, extract_outcome, prepare_extraction, prepare_file  # noqa: F401 (API)

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




def is_current(backend: Backend, extraction: Extraction | PreparedGraph, source: str | None = None) -> bool:
    """True when the document's graph already holds this content (same sha256) in the current layout."""
    if isinstance(extraction, Extraction):
        graph, sha = graph_iri(extraction.document, source), extraction.document.sha256
    else:
        graph, sha = URIRef(extraction.graph), extraction.sha256
    bindings = {"g": graph, "sha": Literal(sha), "version": Literal(LAYOUT_VERSION)}
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


def store_prepared(backend: Backend, prepared: PreparedGraph) -> bool:
    """Write one prepared document in one transaction unless the store holds it already; True if written."""
    if is_current(backend, prepared):
        return False
    backend.write_document(prepared.graph, prepared.document, str(ENTITIES_GRAPH), prepared.shared)
    if prepared.legacy:
        _drop_legacy(backend, URIRef(prepared.legacy), prepared.name)
    return True


def entity_count(backend: Backend) -> int:
    """Triples in the shared entities graph (the summary counts the ones a run added, not one per document)."""
    rows = backend.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}").rows
    return int(rows[0]["n"]) if rows else 0


_LEGACY_HOLDS = "PREFIX iokg: <https://w3id.org/iokg/ns#> ASK { GRAPH ?g { ?doc iokg:fileName ?name } }"


def migrate_legacy_graph(backend: Backend, extraction: Extraction) -> None:
    """Drop the graph an older iokg wrote for this same file (named by file-name slug), now that the
    document is stored under its path; a legacy graph holding another file's document is left alone."""
    _drop_legacy(backend, legacy_graph_iri(extraction.document), extraction.document.name)


def _drop_legacy(backend: Backend, old: URIRef, name: str) -> None:
    if backend.query(_LEGACY_HOLDS, bindings={"g": old, "name": Literal(name)}).boolean:
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


FLUSH_EVERY = 50  # documents between flushes of the embedded store's write buffers (memory stays flat)

def ingest_paths(paths: Iterable[str | Path], backend: Backend, nlp=None, on_error: ErrorHandler | None = None,
                 progress: bool = False, strict: bool = False, jobs: int | None = 1, model: str = "auto",
                 cluster=None) -> IngestReport:
    """Ingest files and folders; `on_error(path, error)` hears each failure, `strict` stops at the first.

    With `jobs` > 1, `model`'s pipeline runs in that many worker processes (`nlp` is then unused;
    None: the machine's cores when there are enough files to pay for starting them);
    `cluster` (a kg.store.cluster.ClusterRun) sends extraction to a Dask cluster instead. Either way
    this process writes each document's transaction as it arrives, so the store ends up the same."""
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
    sources = dict(_refuse_duplicate_names(found, fail))
    files = list(sources)
    if strict and jobs is None:
        jobs = 1  # --strict stops at the first bad file in the order given: extract in that order, here
    writer = _Writer(backend, report)
    if files and getattr(cluster, "direct", False):
        writer.start()  # cluster workers write to the endpoint themselves: count the entities before they do
    with closing(_outcomes(files, sources, nlp, jobs, model, cluster, backend)) as outcomes:
        for path, graphs, error in _bar(outcomes, len(files), progress):
            if error is not None:
                fail(str(path), DocumentError(*error))
                continue
            try:
                for prepared in graphs:
                    writer.write(prepared)
            except IokgError as failure:
                fail(str(path), failure)
    writer.finish()
    if report.documents:  # over the whole store, so the order documents came in does not matter
        from kg.graph.operations_rdf import refresh_operations

        try:
            report.operations, written = refresh_operations(backend)
            report.triples += written
        except IokgError as error:  # the documents are stored; the next ingest recomputes the operations
            report.operations_error = str(error)
    return report


def _outcomes(files: list[Path], sources: dict[Path, str], nlp, jobs: int | None, model: str, cluster,
              backend: Backend) -> Iterator[Outcome]:
    """(path, prepared graphs, error) for every file: in this process, a local pool or a Dask cluster."""
    if jobs is None:
        from kg.store.pool import POOL_MIN_FILES, default_jobs

        jobs = default_jobs() if len(files) >= POOL_MIN_FILES else 1
    if cluster is not None:
        yield from cluster.outcomes(files, backend, sources)
    elif jobs > 1 and len(files) > 1:
        from kg.store.pool import pool_outcomes

        yield from pool_outcomes(files, min(jobs, len(files)), model, sources)
    else:
        if nlp is None and any(path.suffix.lower() != ".csv" for path in files):
            from kg.extract.pipeline import load_pipeline

            nlp = load_pipeline(model)
        for path in files:
            yield (path, *extract_outcome(path, nlp, sources[path]))


class _Writer:
    """The single writer: kill chain once, one transaction per document, flushes, and stored counts."""

    def __init__(self, backend: Backend, report: IngestReport):
        self.backend, self.report = backend, report
        self.entities_before: int | None = None
        self.since_flush = 0

    def start(self) -> None:
        """Load the kill chain and count the entities before the first document is stored."""
        if self.entities_before is None:
            self.report.triples += ensure_killchain(self.backend)
            self.entities_before = entity_count(self.backend)

    def write(self, prepared: PreparedGraph) -> None:
        self.start()  # once per run, and only when a document is about to be stored
        written = prepared.stored if prepared.stored is not None else store_prepared(self.backend, prepared)
        self.record(prepared, written)

    def record(self, prepared: PreparedGraph, written: bool) -> None:
        """Count one document (written here, or by a cluster worker straight to the endpoint)."""
        self.report.documents += 1
        self.report.networks += prepared.networks
        self.report.triples += prepared.triples if written else 0
        self.report.unchanged += not written
        self.since_flush += written
        if self.since_flush >= FLUSH_EVERY:
            self.backend.flush()
            self.since_flush = 0

    def finish(self) -> None:
        """Add the shared-entity triples the run really added, then compact the store's files."""
        if self.entities_before is None:
            return
        try:
            self.report.triples += entity_count(self.backend) - self.entities_before
        except IokgError:  # the store went away mid-run: its documents are already counted as failures
            return
        self.backend.compact()


def _refuse_duplicate_names(found: list[tuple[Path, str]], fail: Callable[[str, IokgError], None]
                            ) -> list[tuple[Path, str]]:
    """Graphs are named by the path under the folder given, so two arguments holding the same relative
    path (a/x.txt and b/x.txt given as files) would overwrite each other: every file after the first of
    a name is refused with a DocumentError instead (decided before any extraction, so the outcome does
    not depend on which worker finishes first)."""
    first_of: dict[str, Path] = {}
    kept = []
    for path, source in found:
        first = first_of.setdefault(source_key(None, source), path)
        if first == path:
            kept.append((path, source))
        else:
            fail(str(path), DocumentError(str(path), f"would be stored as {source!r}, like {first} earlier in "
                                                     "this run; ingest their common parent folder instead"))
    return kept


def _bar(outcomes: Iterator[Outcome], total: int, enabled: bool) -> Iterator[Outcome]:
    """A tqdm progress bar on stderr with documents/s and time left (the CLI enables it on terminals)."""
    if not enabled:
        yield from outcomes
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="doc", file=sys.stderr, leave=False, smoothing=0.1) as bar:
        for outcome in outcomes:
            yield outcome
            bar.update()
