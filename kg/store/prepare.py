"""One document's per-file work for ingest, apart from the writer: read, extract and serialise.

What runs here needs no store, so it runs the same in this process, in a --jobs worker process
(kg.store.pool) or on a Dask worker (kg.store.cluster); kg.store.ingest writes what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal

from kg.errors import DocumentError, IokgError
from kg.graph.iris import document_iri, graph_iri, legacy_graph_iri, source_key
from kg.graph.model import Extraction
from kg.graph.rdf import extraction_graphs, to_ntriples
from kg.graph.vocab import IOKG
from kg.read.limits import time_limit


@dataclass(frozen=True)
class PreparedGraph:
    """One document's graphs serialised and ready to write: what an extraction worker hands the writer."""

    graph: str  # the document's named graph IRI (kg.graph.iris.graph_iri of its source)
    sha256: str
    document: bytes  # N-Triples of the document graph
    shared: bytes  # N-Triples of its shared entities
    triples: int  # triples in the document graph
    networks: int
    stored: bool | None = None  # set when a cluster worker already wrote it (True) or found it current (False)
    legacy: str = ""  # the file-name graph an older iokg wrote for it (dropped once this one is stored)
    name: str = ""  # the document's file name, which that legacy graph must hold to be this file's


def prepare_file(path: Path, nlp, source: str | None = None) -> list[PreparedGraph]:
    """Read, extract (kg.extract.files.extract_file, within the document time limit) and serialise one
    file: the whole per-document work of a worker, store untouched. `source` names its graph.

    Raises DocumentError (an extractor bug becomes one too, naming the file)."""
    from kg.extract.files import extract_file  # spaCy loads only when something is extracted

    try:
        with time_limit(str(path)):
            extraction = extract_file(path, nlp)
        return [prepare_extraction(extraction, source)]
    except IokgError:
        raise
    except Exception as error:  # an extractor bug must not abort the batch or print a traceback
        raise DocumentError(str(path), f"extraction failed: {type(error).__name__}: {error}") from None


def prepare_extraction(extraction: Extraction, source: str | None = None) -> PreparedGraph:
    """The extraction's graphs as N-Triples with their counts, named by `source` (see store_extraction)."""
    document, shared = extraction_graphs(extraction)
    document.add((document_iri(extraction.document), IOKG.sourcePath,
                  Literal(source_key(extraction.document, source))))
    return PreparedGraph(str(graph_iri(extraction.document, source)), extraction.document.sha256,
                         to_ntriples(document), to_ntriples(shared), len(document), len(extraction.networks),
                         legacy=str(legacy_graph_iri(extraction.document)), name=extraction.document.name)


Outcome = tuple[Path, list[PreparedGraph], "tuple[str, str] | None"]


def extract_outcome(path: Path, nlp, source: str | None = None) -> tuple[list[PreparedGraph], tuple[str, str] | None]:
    """prepare_file with its DocumentError as (path shown, reason): plain data that crosses processes."""
    try:
        return prepare_file(path, nlp, source), None
    except DocumentError as error:
        return [], (error.path, error.reason)
    except IokgError as error:
        return [], (str(path), str(error))
