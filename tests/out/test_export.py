"""kg.out.export: every format parses back to the store's content; Turtle agrees between rdflib and Oxigraph."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli.main import cli
from kg.errors import UsageError
from kg.out.export import export, union_graph
from kg.store.ingest import store_extraction
from kg.store.embedded import EmbeddedStore, parse_count
from kg.graph.validate import validate_graph
from tests.kgfixtures import disagreeing_firm_extractions


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "store"
    with EmbeddedStore(path) as store:
        for extraction in disagreeing_firm_extractions():
            store_extraction(store, extraction)
    with EmbeddedStore(path, read_only=True) as store:
        yield store


def exported(store, fmt) -> bytes:
    buffer = io.BytesIO()
    export(store, fmt, buffer)
    return buffer.getvalue()


def check_turtle_round_trip(store) -> Graph:
    """Turtle export: same triple count in rdflib and pyoxigraph, isomorphic to the union graph."""
    data = exported(store, "turtle")
    parsed = Graph().parse(data=data, format="turtle")
    union = union_graph(store)
    assert len(parsed) == parse_count(data, "ttl") == len(union)
    assert isomorphic(parsed, union)
    return parsed


def test_turtle_round_trips_through_rdflib_and_oxigraph(two_docs):
    parsed = check_turtle_round_trip(two_docs)
    # shared nodes (countries, the firm) are described once, in the entities graph
    assert len(parsed) == two_docs.triple_count()


def test_trig_and_nquads_keep_the_named_graphs(two_docs):
    for fmt, parse_fmt in (("trig", "trig"), ("nquads", "nquads")):
        data = exported(two_docs, fmt)
        dataset = Dataset()
        dataset.parse(data=data, format=parse_fmt)
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert names == set(two_docs.graph_names())
        assert sum(1 for _ in dataset.quads((None, None, None, None))) == two_docs.triple_count()
        assert parse_count(data, "trig" if fmt == "trig" else "nq") == two_docs.triple_count()


def test_ntriples_and_jsonld_parse_to_the_union(two_docs):
    union = union_graph(two_docs)
    nt = Graph().parse(data=exported(two_docs, "ntriples"), format="nt")
    assert isomorphic(nt, union)
    jsonld = Dataset()
    jsonld.parse(data=exported(two_docs, "jsonld"), format="json-ld")
    names = {str(g.identifier) for g in jsonld.graphs() if len(g)}
    assert names == set(two_docs.graph_names())
    merged = Graph()
    for s, p, o, _ in jsonld.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(merged, union)


def test_unknown_format_lists_the_valid_ones(two_docs):
    with pytest.raises(UsageError, match="valid formats: turtle"):
        export(two_docs, "xml", io.BytesIO())


def test_cli_export_writes_a_file(two_docs, tmp_path):
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(cli, ["export", "-o", str(out), "--store", str(two_docs.path)])
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(out, format="turtle")) == len(union_graph(two_docs))


# --- seeds (issue 3 "Done when") ----------------------------------------------------------

def test_seed_turtle_parses_identically_and_conforms(seed_store):
    with EmbeddedStore(seed_store, read_only=True) as store:
        parsed = check_turtle_round_trip(store)
    report = validate_graph(parsed)
    assert report.conforms, report.text()
