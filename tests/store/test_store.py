"""kg.store.embedded.EmbeddedStore: real Oxigraph on disk, atomic graph replacement, locking, typed bindings."""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError, StoreBusyError, StoreError
from kg.graph.iris import graph_iri
from kg.graph.rdf import extraction_graph, to_ntriples
from kg.store.embedded import EmbeddedStore
from tests.kgfixtures import firm_extraction

G = "https://w3id.org/iokg/id/graph/test"
NT = b'<http://ex.org/a> <http://ex.org/p> "one" .\n<http://ex.org/a> <http://ex.org/q> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "store") as opened:
        yield opened


def test_put_graph_replaces_the_graph(store):
    store.put_graph(G, NT)
    assert store.triple_count() == 2 and store.graph_names() == [G]
    store.put_graph(G, b'<http://ex.org/b> <http://ex.org/p> "x" .\n')
    assert store.triple_count() == 1
    store.delete_graph(G)
    assert store.triple_count() == 0 and store.graph_names() == []


def test_bad_ntriples_leave_the_previous_graph_intact(store):
    store.put_graph(G, NT)
    with pytest.raises(StoreError, match="could not write graph"):
        store.put_graph(G, b'<http://ex.org/a> <http://ex.org/p> "unterminated .\n')
    assert store.triple_count() == 2


def test_query_returns_rdflib_terms_and_binds_typed_values(store):
    store.put_graph(G, NT)
    result = store.query("SELECT ?s ?o WHERE { ?s <http://ex.org/q> ?o }", bindings={"o": Literal(2)})
    assert result.kind == "select" and result.rows == ({"s": URIRef("http://ex.org/a"), "o": Literal(2)},)
    none = store.query("SELECT ?s ?o WHERE { ?s <http://ex.org/q> ?o }", bindings={"o": Literal("2")})
    assert none.rows == (), "a string must not match an integer: bindings are typed terms"


def test_binding_text_is_never_parsed_as_sparql(store):
    store.put_graph(G, NT)
    hostile = Literal('one" } } ; DROP ALL ; SELECT * { ?s ?p "')
    result = store.query("SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o }", bindings={"o": hostile})
    assert result.rows == () and store.triple_count() == 2


def test_ask_and_construct(store):
    store.put_graph(G, NT)
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert len(graph) == 2


def test_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELEC nothing")


def test_second_writer_in_another_process_gets_store_busy(store):
    code = (
        "import sys\nfrom kg.store.embedded import EmbeddedStore\nfrom kg.errors import StoreBusyError\n"
        f"try:\n    EmbeddedStore({str(store.path)!r})\nexcept StoreBusyError as e:\n    print(e); sys.exit(4)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 4, done.stderr
    assert "store is busy" in done.stdout and "Traceback" not in done.stderr


def test_second_writer_in_the_same_process_gets_store_busy(store):
    with pytest.raises(StoreBusyError, match="store is busy"):
        EmbeddedStore(store.path)


def test_read_only_store_reads_while_a_writer_holds_the_lock(store):
    store.put_graph(G, NT)
    store.close()
    with EmbeddedStore(store.path) as writer:
        with EmbeddedStore(writer.path, read_only=True) as reader:
            assert reader.triple_count() == 2
            with pytest.raises(StoreError, match="read-only"):
                reader.put_graph(G, NT)


def test_read_only_on_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        EmbeddedStore(tmp_path / "absent", read_only=True)


def test_data_survives_reopening(tmp_path):
    ex = firm_extraction()
    with EmbeddedStore(tmp_path / "s") as first:
        first.put_graph(str(graph_iri(ex.document)), to_ntriples(extraction_graph(ex)))
        count = first.triple_count()
    with EmbeddedStore(tmp_path / "s", read_only=True) as again:
        assert again.triple_count() == count > 100
        assert again.dump_nquads().count(b"\n") == count


def test_add_to_graph_merges_as_a_set(store):
    one = b'<urn:a> <urn:p> "1" .\n'
    two = b'<urn:a> <urn:p> "1" .\n<urn:b> <urn:p> "2" .\n'
    store.add_to_graph("urn:g", one)
    store.add_to_graph("urn:g", two)
    store.add_to_graph("urn:g", two)
    assert store.triple_count() == 2 and store.graph_names() == ["urn:g"]


def test_write_document_is_all_or_nothing(store):
    store.write_document("urn:doc", b'<urn:a> <urn:p> "1" .\n', "urn:shared", b'<urn:c> <urn:p> "x" .\n')
    assert store.triple_count() == 2
    with pytest.raises(StoreError, match="urn:doc2"):
        store.write_document("urn:doc2", b'<urn:a> <urn:p> "2" .\n', "urn:shared", b"<urn:broken\n")
    assert store.triple_count() == 2 and store.graph_names() == ["urn:doc", "urn:shared"]
