"""Export the store: Turtle of the union graph by default, TriG/N-Quads keeping the named graphs.

graphml/gexf are written by kg.out.netgraph and stix by kg.out.stix; both are imported only when asked for,
so the RDF formats work whether or not those modules exist yet.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg.store.backend import Backend
from kg.errors import UsageError
from kg.out import sanitize
from kg.graph.vocab import ID, IOKG, KILLCHAIN, bind_prefixes

RDF_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}
DELEGATED = ("graphml", "gexf", "stix")
FORMATS = tuple(RDF_FORMATS) + DELEGATED


def store_dataset(backend: Backend) -> Dataset:
    """Every named graph of the backend as an rdflib Dataset."""
    dataset = Dataset()
    dataset.parse(data=backend.dump_nquads(), format="nquads")
    return bind_prefixes(dataset)


def union_graph(backend: Backend) -> Graph:
    """All triples of all graphs as one rdflib Graph (what SPARQL's default graph shows)."""
    graph = bind_prefixes(Graph())
    for s, p, o, _ in store_dataset(backend).quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def export(backend: Backend, fmt: str = "turtle", out: str | Path | BinaryIO | None = None) -> int:
    """Write the store in `fmt` to `out` (a path, a binary stream, or stdout); returns the triple/quad count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    if fmt in ("graphml", "gexf"):
        from kg.out.netgraph import write_network_file

        graph = xml_safe(union_graph(backend))
        write_network_file(graph, fmt, out if out is not None else sys.stdout.buffer)
        return len(graph)
    if fmt == "stix":
        from kg.out.stix import write_bundle

        dataset = store_dataset(backend)
        write_bundle(dataset, out if out is not None else sys.stdout.buffer)
        return len(dataset)
    if fmt == "nquads":
        data = backend.dump_nquads()
        count = data.count(b"\n")
    elif fmt in ("trig", "jsonld"):
        dataset = store_dataset(backend)
        data = dataset.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
        count = sum(1 for _ in dataset.quads((None, None, None, None)))
    else:
        graph = union_graph(backend)
        data = graph.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
        count = len(graph)
    _write(sanitize.rdf_text(data.decode("utf-8")).encode("utf-8"), out)
    return count


def xml_safe(graph: Graph) -> Graph:
    """The graph with characters XML cannot hold (and C1/bidi controls) dropped from IRIs and literals,
    so GraphML and GEXF files always parse."""
    def clean(term):
        if isinstance(term, Literal) and sanitize.xml_text(str(term)) != str(term):
            return Literal(sanitize.xml_text(str(term)), lang=term.language, datatype=term.datatype)
        if isinstance(term, URIRef) and sanitize.xml_text(str(term)) != str(term):
            return URIRef(sanitize.xml_text(str(term)))
        return term

    cleaned = bind_prefixes(Graph())
    for triple in graph:
        cleaned.add(tuple(clean(term) for term in triple))
    return cleaned


def _write(data: bytes, out: str | Path | BinaryIO | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    elif isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)
