"""RDF → networkx: typed nodes, the seven relations, evidence in tooltips, selections, GraphML/GEXF files."""
from __future__ import annotations

import hashlib

import networkx as nx
import pytest
from rdflib import Graph

from kg.out import netgraph
from kg.errors import UsageError
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator, StanceTarget
from kg.graph.rdf import extraction_graph

XSS_NAME = "<img src=x onerror=alert(1)>"


def _doc(name: str, text: str) -> Document:
    return Document(path=f"/tmp/{name}", name=name, text=text, format="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), title=name)


def _ev(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def sample_extractions() -> list[Extraction]:
    """Two invented reports: one firm runs networks aimed at two countries; a state agency runs another."""
    t1 = ("Brightline Media, an agency in Spain, ran 40 accounts aimed at El Salvador. "
          "They cheered the Blue Party and mocked the Green Party. "
          "A Russian agency called Northern Bureau ran 120 accounts aimed at Ukraine and Germany.")
    t2 = "Brightline Media also ran 7 Pages aimed at Mexico. A separate group in Iran targeted Israel."
    brightline = Operator("Brightline Media", "pr-marketing", "ES")
    s = [_ev(t1, x) for x in t1.split(". ")[:2]] + [_ev(t1, t1.split(". ")[2])]
    n1 = Network(1, "Spain network", origin=("ES",), targets=("SV",), platforms=("Facebook", "Instagram"),
                 removed={"facebook_accounts": 40, "pages": 3}, operators=(brightline,),
                 promotes=(StanceTarget("Blue Party"),), attacks=(StanceTarget("Green Party"),), evidence=(s[0],),
                 claims=(Claim("origin", "ES", s[0]), Claim("operators", "Brightline Media", s[0]),
                         Claim("promotes", "Blue Party", s[1]), Claim("attacks", "Green Party", s[1])))
    n2 = Network(2, "Russia network", origin=("RU",), targets=("UA", "DE"), platforms=("Facebook",),
                 removed={"facebook_accounts": 120}, operators=(Operator("Northern Bureau", "state-linked", "RU"),),
                 evidence=(s[2],), claims=(Claim("targets", "UA", s[2]),))
    u = [_ev(t2, x) for x in ("Brightline Media also ran 7 Pages aimed at Mexico.",
                              "A separate group in Iran targeted Israel.")]
    m1 = Network(1, "Mexico network", origin=("ES",), targets=("MX",), platforms=("Facebook",),
                 removed={"pages": 7}, operators=(brightline,), evidence=(u[0],))
    m2 = Network(2, "Iran network", origin=("IR",), targets=("IL",), platforms=("Facebook",), evidence=(u[1],))
    return [Extraction(_doc("one.txt", t1), (n1, n2)), Extraction(_doc("two.txt", t2), (m1, m2))]


def xss_extraction() -> Extraction:
    """A hostile report: an organisation named like an HTML tag and quotes with href and script tags."""
    text = (f"The firm {XSS_NAME} ran the network, see <a href=\"javascript:alert(2)\">here</a>. "
            "It hid </script><script>alert(3)</script><!-- in its posts.")
    s = _ev(text, text.split(". ")[0] + ".")
    net = Network(1, "Hostile network <b>bold</b>", origin=("FR",), targets=("FR",),
                  operators=(Operator(XSS_NAME, "pr-marketing", "FR"),), evidence=(s, _ev(text, text.split(". ")[1])),
                  claims=(Claim("operators", XSS_NAME, s),))
    return Extraction(_doc("hostile href.txt", text), (net,))


def union(extractions: list[Extraction]) -> Graph:
    rdf = Graph()
    for ex in extractions:
        rdf += extraction_graph(ex)
    return rdf


@pytest.fixture(scope="module")
def sample() -> nx.MultiDiGraph:
    return netgraph.build_graph(union(sample_extractions()))


def _by_label(g, label):
    return next(n for n, d in g.nodes(data=True) if d["label"] == label)


def test_nodes_are_typed_by_class(sample):
    kinds = {d["label"]: (d["kind"], d["category"]) for _, d in sample.nodes(data=True)}
    assert kinds["Spain network"] == ("network", None)
    assert kinds["Brightline Media"] == ("organisation", "pr-marketing")
    assert kinds["Northern Bureau"] == ("organisation", "state-linked")
    assert kinds["Mexico"] == ("country", None)
    assert kinds["Instagram"] == ("platform", None)
    assert kinds["one.txt"] == ("document", None)
    assert kinds["Blue Party"][0] == "organisation"  # a party is an organisation, whichever side it is on
    assert sum(1 for _, k in sample.nodes(data="kind") if k == "network") == 4


def test_edges_carry_the_seven_relations(sample):
    spain = _by_label(sample, "Spain network")
    out = {(sample.nodes[v]["label"], r) for _, v, r in sample.out_edges(spain, data="relation")}
    assert out == {("Spain", "origin"), ("El Salvador", "target"), ("Brightline Media", "operator"),
                   ("Facebook", "platform"), ("Instagram", "platform"), ("one.txt", "source"),
                   ("Blue Party", "promotes"), ("Green Party", "attacks")}


def test_sizes_documents_and_evidence_are_attached(sample):
    spain = sample.nodes[_by_label(sample, "Spain network")]
    assert spain["removed"] == {"facebookAccounts": 40, "pages": 3}
    assert any("cheered the Blue Party" in q for q in sample.nodes[_by_label(sample, "Blue Party")]["evidence"])
    firm = sample.nodes[_by_label(sample, "Brightline Media")]
    assert firm["networks"] == 2 and firm["documents"] == {"one.txt", "two.txt"}
    assert sample.nodes[_by_label(sample, "Spain")]["networks"] == 2


def test_no_documents_drops_document_nodes_but_keeps_their_names():
    g = netgraph.build_graph(union(sample_extractions()), include_documents=False)
    assert "document" not in {k for _, k in g.nodes(data="kind")}
    assert "source" not in {r for *_, r in g.edges(data="relation")}
    assert g.nodes[_by_label(g, "Iran network")]["documents"] == {"two.txt"}


def test_selections(sample):
    focus = netgraph.select(sample, focus="Northern Bureau", hops=2)
    assert {"Russia network", "Ukraine", "Germany", "Russian Federation"} <= {d["label"] for _, d in focus.nodes(data=True)}
    assert "Spain network" not in {d["label"] for _, d in focus.nodes(data=True)}
    by_country = netgraph.select(sample, country="mx")
    assert {d["label"] for _, d in by_country.nodes(data=True) if d["kind"] == "network"} == {"Mexico network"}
    by_operator = netgraph.select(sample, operator="brightline media")
    assert {d["label"] for _, d in by_operator.nodes(data=True) if d["kind"] == "network"} == \
        {"Spain network", "Mexico network"}


def test_unknown_or_ambiguous_names_are_clear_errors(sample):
    with pytest.raises(UsageError, match="no country named 'ZZ'; known: .*Mexico"):
        netgraph.select(sample, country="ZZ")
    with pytest.raises(UsageError, match="matches several"):
        netgraph.select(sample, focus="network")


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_files_round_trip(tmp_path, fmt, reader, sample):
    out = tmp_path / f"g.{fmt}"
    netgraph.write_network_file(union(sample_extractions()), fmt, out)
    back = reader(out)
    assert back.number_of_nodes() == sample.number_of_nodes()
    assert back.number_of_edges() == sample.number_of_edges()
    labels = {d.get("label") for _, d in back.nodes(data=True)}
    assert "Brightline Media" in labels


def test_unknown_network_file_format_lists_the_valid_ones(tmp_path):
    with pytest.raises(UsageError, match="valid: graphml, gexf"):
        netgraph.write_network_file(Graph(), "dot", tmp_path / "x.dot")


def fill_store(path, extractions: list[Extraction]) -> None:
    """A real embedded store holding one named graph per extraction, as `iokg ingest` writes them."""
    from kg.graph.iris import graph_iri
    from kg.graph.rdf import to_ntriples
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(path) as store:
        for ex in extractions:
            store.put_graph(str(graph_iri(ex.document)), to_ntriples(extraction_graph(ex)))


def test_graph_from_a_real_store_equals_the_graph_from_rdflib(tmp_path, sample):
    from kg.store.embedded import EmbeddedStore

    fill_store(tmp_path / "store", sample_extractions())
    with EmbeddedStore(tmp_path / "store", read_only=True) as store:
        g = netgraph.graph_from_backend(store)
        drawn = netgraph.graph_from_backend(store, "PREFIX iokg: <https://w3id.org/iokg/ns#> "
                                            "CONSTRUCT { ?n iokg:operatedBy ?o } WHERE { ?n iokg:operatedBy ?o }")
        with pytest.raises(UsageError, match="CONSTRUCT"):
            netgraph.graph_from_backend(store, "SELECT * WHERE { ?s ?p ?o }")
    assert sorted(g.nodes) == sorted(sample.nodes)
    assert sorted(g.edges(keys=True)) == sorted(sample.edges(keys=True))
    # the drawn CONSTRUCT result keeps only its own edges but gets names and kinds from the store
    assert {r for *_, r in drawn.edges(data="relation")} == {"operator"}
    assert {d["label"] for _, d in drawn.nodes(data=True) if d["kind"] == "organisation"} == \
        {"Brightline Media", "Northern Bureau"}


def test_network_file_to_a_binary_stream_and_through_iokg_export(tmp_path):
    import io

    from click.testing import CliRunner

    from kg.cli.main import cli

    buffer = io.BytesIO()
    netgraph.write_network_file(union(sample_extractions()), "gexf", buffer)
    assert nx.read_gexf(io.BytesIO(buffer.getvalue())).number_of_nodes() > 10
    fill_store(tmp_path / "store", sample_extractions())
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(cli, ["export", "--store", str(tmp_path / "store"), "--format", "graphml",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    kinds = {d["kind"] for _, d in nx.read_graphml(out).nodes(data=True)}
    assert {"network", "organisation", "country", "platform", "document"} <= kinds


def test_focus_on_a_shared_label_takes_every_entity_with_it():
    extra = sample_extractions()
    text = "Another agency ran a Spain network against Peru."
    twin = Network(1, "Spain network", origin=("ES",), targets=("PE",), evidence=(_ev(text, text),))
    g = netgraph.build_graph(union(extra + [Extraction(_doc("three.txt", text), (twin,))]))
    near = netgraph.select(g, focus="spain network", hops=1)
    assert sum(1 for _, d in near.nodes(data=True) if d["label"] == "Spain network") == 2
    assert {"Peru", "El Salvador"} <= {d["label"] for _, d in near.nodes(data=True)}
    with pytest.raises(UsageError, match="--hops must be 0 or more"):
        netgraph.select(g, focus="Peru", hops=-1)
