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
from kg.graph.iris import ENTITIES_GRAPH, graph_iri
from kg.graph.rdf import LAYOUT_VERSION, extraction_graphs, to_ntriples

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
    triples: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        skipped = f" ({self.unchanged} unchanged)" if self.unchanged else ""
        return (f"{self.documents} documents, {self.networks} networks, {self.triples} triples, "
                f"{len(self.failures)} failures{skipped}")


def _extract(path: Path, nlp) -> list[Extraction]:
    """The extractions of one file (raises DocumentError when it cannot be read)."""
    from kg.extract.files import extract_paths

    return list(extract_paths([path], nlp=nlp))


@dataclass(frozen=True)
class PreparedGraph:
    """One document's graphs serialised and ready to write: what an extraction worker hands the writer."""

    graph: str  # the document's named graph IRI
    sha256: str
    document: bytes  # N-Triples of the document graph
    shared: bytes  # N-Triples of its shared entities
    triples: int  # triples in the document graph
    networks: int
    stored: bool | None = None  # set when a cluster worker already wrote it (True) or found it current (False)


def prepare_file(path: Path, nlp) -> list[PreparedGraph]:
    """Read, extract and serialise one file: the whole per-document work of a worker, store untouched.

    Raises DocumentError (an extractor bug becomes one too, naming the file)."""
    try:
        extractions = _extract(path, nlp)
    except IokgError:
        raise
    except Exception as error:  # an extractor bug must not abort the batch or print a traceback
        raise DocumentError(str(path), f"extraction failed: {type(error).__name__}: {error}") from None
    return [prepare_extraction(extraction) for extraction in extractions]


def prepare_extraction(extraction: Extraction) -> PreparedGraph:
    """The extraction's graphs as N-Triples with their counts."""
    document, shared = extraction_graphs(extraction)
    return PreparedGraph(str(graph_iri(extraction.document)), extraction.document.sha256, to_ntriples(document),
                         to_ntriples(shared), len(document), len(extraction.networks))


def is_current(backend: Backend, extraction: Extraction | PreparedGraph) -> bool:
    """True when the document's graph already holds this content (same sha256) in the current layout."""
    if isinstance(extraction, Extraction):
        graph, sha = graph_iri(extraction.document), extraction.document.sha256
    else:
        graph, sha = extraction.graph, extraction.sha256
    bindings = {"g": URIRef(graph), "sha": Literal(sha), "version": Literal(LAYOUT_VERSION)}
    return bool(backend.query(_SAME_CONTENT, bindings=bindings).rows)


def older_layout_documents(backend: Backend) -> int:
    """How many stored documents were written in an older RDF layout (queries may miss their facts
    until they are ingested again)."""
    rows = backend.query(_OLDER_LAYOUT, bindings={"version": Literal(LAYOUT_VERSION)}).rows
    return int(rows[0]["n"]) if rows else 0


def store_extraction(backend: Backend, extraction: Extraction) -> int:
    """Merge its shared-entity triples into the entities graph, then replace the document's named graph
    (Graph Store POST then PUT; one transaction on the embedded store).

    Returns the triples written (0 when the same content is already stored).
    """
    if is_current(backend, extraction):
        return 0
    document, shared = extraction_graphs(extraction)
    name = graph_iri(extraction.document)
    backend.write_document(str(name), to_ntriples(document), str(ENTITIES_GRAPH), to_ntriples(shared))
    return len(document) + len(shared)


def store_prepared(backend: Backend, prepared: PreparedGraph) -> bool:
    """Write one prepared document in one transaction unless the store holds it already; True if written."""
    if is_current(backend, prepared):
        return False
    backend.write_document(prepared.graph, prepared.document, str(ENTITIES_GRAPH), prepared.shared)
    return True


def entity_count(backend: Backend) -> int:
    """Triples in the shared entities graph (the summary counts the ones a run added, not one per document)."""
    rows = backend.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}").rows
    return int(rows[0]["n"]) if rows else 0


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

Outcome = tuple[Path, list[PreparedGraph], "tuple[str, str] | None"]


def extract_outcome(path: Path, nlp) -> tuple[list[PreparedGraph], tuple[str, str] | None]:
    """prepare_file with its DocumentError as (path shown, reason): plain data that crosses processes."""
    try:
        return prepare_file(path, nlp), None
    except DocumentError as error:
        return [], (error.path, error.reason)
    except IokgError as error:
        return [], (str(path), str(error))


def ingest_paths(paths: Iterable[str | Path], backend: Backend, nlp=None, on_error: ErrorHandler | None = None,
                 progress: bool = False, strict: bool = False, jobs: int | None = 1, model: str = "auto",
                 cluster=None) -> IngestReport:
    """Ingest files and folders; `on_error(path, error)` hears each failure, `strict` stops at the first.

    With `jobs` > 1, `model`'s pipeline runs in that many worker processes (`nlp` is then unused;
    None: the machine's cores when there are enough files to pay for starting them);
    `cluster` (a kg.store.cluster.ClusterRun) sends extraction to a Dask cluster instead. Either way
    this process writes each document's transaction as it arrives, so the store ends up the same."""
    from kg.read.document import iter_paths

    report = IngestReport()

    def fail(path: str, error: IokgError) -> None:
        report.failures.append((path, str(error)))
        if on_error is not None:
            on_error(path, error)
        if strict:
            raise error

    files = list(iter_paths(paths, on_error=lambda error: fail(error.path, error)))
    files = _refuse_duplicate_names(files, fail)
    writer = _Writer(backend, report)
    if files and getattr(cluster, "direct", False):
        writer.start()  # cluster workers write to the endpoint themselves: count the entities before they do
    with closing(_outcomes(files, nlp, jobs, model, cluster, backend)) as outcomes:
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
    return report


def _outcomes(files: list[Path], nlp, jobs: int | None, model: str, cluster, backend: Backend) -> Iterator[Outcome]:
    """(path, prepared graphs, error) for every file: in this process, a local pool or a Dask cluster."""
    if jobs is None:
        from kg.store.pool import POOL_MIN_FILES, default_jobs

        jobs = default_jobs() if len(files) >= POOL_MIN_FILES else 1
    if cluster is not None:
        yield from cluster.outcomes(files, backend)
    elif jobs > 1 and len(files) > 1:
        from kg.store.pool import pool_outcomes

        yield from pool_outcomes(files, min(jobs, len(files)), model)
    else:
        if nlp is None and any(path.suffix.lower() != ".csv" for path in files):
            from kg.extract.pipeline import load_pipeline

            nlp = load_pipeline(model)
        for path in files:
            yield (path, *extract_outcome(path, nlp))


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


def _refuse_duplicate_names(files: list[Path], fail: Callable[[str, IokgError], None]) -> list[Path]:
    """Graphs are named by file name, so two files of one run with the same name would overwrite each
    other: every file after the first of a name is refused with a DocumentError instead (decided before
    any extraction, so the outcome does not depend on which worker finishes first)."""
    first_of: dict[str, Path] = {}
    kept = []
    for path in files:
        first = first_of.setdefault(_graph_of(path), path)
        if first == path:
            kept.append(path)
        else:
            fail(str(path), DocumentError(str(path), f"has the same file name as {first}, ingested earlier in this "
                                                     "run; documents are stored by file name, so rename one of them"))
    return kept


def _graph_of(path: Path) -> str:
    """The named graph a file's document goes to (graph_iri reads only the document's file name)."""
    from kg.graph.model import Document
    from kg.read.document import shown

    return str(graph_iri(Document(path=str(path), name=shown(path.name), text="", format="", sha256="")))


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
