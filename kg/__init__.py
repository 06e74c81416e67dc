"""iokg: a knowledge graph of online influence operations built from takedown reports.

The stages are the subpackages, in the order data flows: kg.read (files -> Document), kg.extract
(Document -> networks with evidence), kg.graph (networks -> RDF), kg.store (where each document's
graph lives), kg.out (queries, diagrams, export); kg.cli is the `iokg` command. The functions here are
the Python API, the few calls a user needs; README.md "Use from Python" shows them at work.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.graph.model import Extraction
    from kg.out.viz import Drawing
    from kg.store.backend import Backend, QueryResult
    from kg.store.ingest import IngestReport

try:
    __version__ = version("iokg")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "extract_file", "extract_text", "open_store", "open_endpoint", "ingest", "query", "draw"]


@lru_cache(maxsize=2)
def _pipeline(model: str):
    from kg.extract.pipeline import load_pipeline

    return load_pipeline(model)


def extract_file(path: str | Path, model: str = "auto") -> Extraction:
    """The networks one file describes (txt, md, html, pdf, or a Meta indicator csv), each fact with the
    sentence that states it. `model`: "auto" (the spaCy model if installed), "none" (rules only) or a
    model name; the pipeline is loaded once per process. Raises kg.errors.DocumentError for a bad file."""
    from kg.extract.files import extract_file as extract

    return extract(path, _pipeline(model))


def extract_text(text: str, name: str = "text.txt", model: str = "auto", date: str | None = None) -> Extraction:
    """The networks a text in memory describes, like `extract_file`; `name` stands for its file name and
    `date` (ISO 8601) for its publication date."""
    from kg.extract.networks import extract_document
    from kg.read.document import text_document

    return extract_document(text_document(text, name, date=date), _pipeline(model))


def open_store(path: str | Path = ".iokg", read_only: bool = False) -> Backend:
    """The embedded Oxigraph store in folder `path` (created when missing); use it in a `with` block so
    it is closed. A second process gets kg.errors.StoreBusyError instead of a corrupted store."""
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(path, read_only=read_only)


def open_endpoint(url: str) -> Backend:
    """A SPARQL 1.1 server as a store; credentials come from IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD
    or IOKG_ENDPOINT_TOKEN, never from the URL."""
    from kg.store.endpoint import EndpointBackend

    return EndpointBackend.from_env(url)


def ingest(paths: str | Path | Iterable[str | Path], backend: Backend, model: str = "auto",
           strict: bool = False) -> IngestReport:
    """Extract files and folders and store one named graph per document (unchanged files are skipped,
    a changed one replaces its graph). Failures are listed in the report; `strict` raises the first."""
    from kg.store.ingest import ingest_paths

    if isinstance(paths, (str, Path)):
        paths = [paths]
    return ingest_paths(paths, backend, _pipeline(model), strict=strict)


def query(backend: Backend, name_or_sparql: str, **params) -> QueryResult:
    """Run a canned query by name (`iokg queries` lists them), a .rq file, or SPARQL text, with keyword
    parameters bound as --param binds them (kg.query(store, "targets-of", country="Ecuador")).
    The result has `.variables` and `.rows` (dicts of rdflib terms) or `.graph` for CONSTRUCT."""
    from kg.out.queries import parse_params, resolve, run

    is_sparql = not name_or_sparql.endswith(".rq") and any(c.isspace() or c == "{" for c in name_or_sparql.strip())
    chosen = resolve(None, name_or_sparql) if is_sparql else resolve(name_or_sparql)
    return run(backend, chosen, parse_params([f"{k}={v}" for k, v in params.items()], chosen))


def draw(backend: Backend, output: str | Path, **selection) -> Drawing:
    """Write the graph as one offline HTML diagram; `selection` takes focus, hops, country, operator,
    query (CONSTRUCT text), documents (bool) and title, as `iokg viz` does. Returns path and counts."""
    from kg.out.viz import draw as draw_html

    return draw_html(backend, output, **selection)
