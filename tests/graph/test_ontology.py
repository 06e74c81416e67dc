"""ontology/iokg.ttl: every IOKG term declared with label and comment, aligned, and covering the data."""
from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.data import ONTOLOGY_DIR
from kg.graph.rdf import extraction_graph
from kg.graph.vocab import IOKG, SCHEMA
from tests.kgfixtures import firm_extraction

# the kill chain graph that ingest loads is a SKOS concept scheme described with Dublin Core terms
BUILTIN = (str(RDF), str(RDFS), str(OWL), str(SKOS), str(DCTERMS))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "iokg.ttl", format="turtle")


def undeclared_terms(data: Graph, ontology: Graph) -> set[str]:
    """Predicates and classes the data uses that the ontology does not declare (rdf/rdfs/owl excepted)."""
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    return {str(t) for t in used
            if not str(t).startswith(BUILTIN) and (t, RDFS.label, None) not in ontology}


def test_every_vocab_term_has_a_label_and_comment(ontology):
    for name in IOKG.__annotations__:
        term = IOKG[name]
        assert (term, RDFS.label, None) in ontology, f"{name} has no rdfs:label"
        assert (term, RDFS.comment, None) in ontology, f"{name} has no rdfs:comment"
        assert (term, RDF.type, None) in ontology, f"{name} has no rdf:type"


def test_every_declared_iokg_term_is_in_kg_vocab(ontology):
    declared = {str(s) for s in ontology.subjects(RDFS.label, None) if str(s).startswith(str(IOKG._NS))}
    assert declared == {str(IOKG[name]) for name in IOKG.__annotations__}


def test_main_classes_align_with_schema_org_and_prov(ontology):
    assert (IOKG.Organization, RDFS.subClassOf, SCHEMA.Organization) in ontology
    assert (IOKG.Network, RDFS.subClassOf, PROV.Entity) in ontology
    assert (IOKG.Country, RDFS.subClassOf, SCHEMA.Country) in ontology
    assert (IOKG.operatedBy, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (IOKG.inDocument, RDFS.subPropertyOf, PROV.wasQuotedFrom) in ontology
    assert (IOKG.PRFirm, RDFS.subClassOf, IOKG.Organization) in ontology


def test_every_term_kg_rdf_writes_is_declared(ontology):
    assert undeclared_terms(extraction_graph(firm_extraction()), ontology) == set()


def test_every_term_in_the_exported_seed_graph_is_declared(ontology, seed_store):
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(seed_store, read_only=True) as store:
        exported = Graph().parse(data=_turtle(store), format="turtle")
    assert len(exported) > 500
    assert undeclared_terms(exported, ontology) == set()


def _turtle(store) -> bytes:
    import io

    from kg.out.export import export

    buffer = io.BytesIO()
    export(store, "turtle", buffer)
    return buffer.getvalue()
