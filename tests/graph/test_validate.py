"""kg.graph.validate: pySHACL against ontology/shapes.ttl, with a readable report and exit codes."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import RDF

from kg.cli.main import cli
from kg.errors import DocumentError
from kg.graph.rdf import extraction_graph
from kg.graph.validate import read_data_file, validate_graph
from kg.graph.vocab import ID, IOKG
from tests.kgfixtures import firm_extraction


@pytest.fixture
def graph():
    return extraction_graph(firm_extraction())


def test_what_kg_rdf_writes_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text()
    assert report.text().startswith("conforms:")


def test_broken_data_is_reported_readably(graph):
    evidence = next(graph.subjects(RDF.type, IOKG.Evidence))
    graph.remove((evidence, IOKG.quote, None))
    graph.set((ID["country/ES"], IOKG.alpha2, Literal("Spain")))
    net = next(graph.subjects(RDF.type, IOKG.Network))
    graph.add((net, IOKG.origin, ID["org/acme-reach"]))  # an organisation is not a country
    report = validate_graph(graph)
    assert not report.conforms
    text = report.text()
    assert text.startswith("does not conform: 3 violation(s)")
    assert "iokg:quote" in text and "iokg:alpha2" in text and "iokg:origin" in text
    assert str(evidence) in text


def test_evidence_offsets_must_be_ordered(graph):
    evidence = next(graph.subjects(RDF.type, IOKG.Evidence))
    graph.set((evidence, IOKG.startOffset, Literal(10_000)))
    report = validate_graph(graph)
    assert not report.conforms and "iokg:startOffset" in report.text()


def test_cli_validate_file_exit_codes(graph, tmp_path):
    good = tmp_path / "good.ttl"
    graph.serialize(good, format="turtle")
    ok = CliRunner().invoke(cli, ["validate", str(good)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    graph.remove((None, IOKG.sha256, None))
    bad = tmp_path / "bad.ttl"
    graph.serialize(bad, format="turtle")
    failed = CliRunner().invoke(cli, ["validate", str(bad)])
    assert failed.exit_code == 1 and "iokg:sha256" in failed.output


def test_unreadable_file_is_a_one_line_document_error(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(DocumentError, match="broken.ttl: not valid turtle"):
        read_data_file(broken)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "x.xml")])
    assert result.exit_code == 3 and "unknown RDF file type" in result.output


def test_stance_must_point_at_a_party_person_movement_government_or_project(graph):
    net = next(graph.subjects(RDF.type, IOKG.Network))
    graph.add((net, IOKG.promotes, ID["country/ES"]))  # a country is not a beneficiary
    graph.add((net, IOKG.attacks, Literal("Joint List")))  # nor is a bare string
    report = validate_graph(graph)
    assert not report.conforms
    assert "iokg:promotes" in report.text() and "iokg:attacks" in report.text()
