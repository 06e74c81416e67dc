"""`iokg analyze` against networkx run directly on edges read from the store with SPARQL."""
from __future__ import annotations

import json
from itertools import combinations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.out import analysis
from kg.out import netgraph
from kg.cli.main import cli
from kg.store.embedded import EmbeddedStore
from tests.out.test_netgraph import fill_store, sample_extractions, union

# a network that is one source's account of an operation counts as that operation (counted once)
EDGES = """PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT DISTINCT ?n ?x WHERE { GRAPH ?g {
  ?m a iokg:Network ; ?p ?x . VALUES ?p { iokg:origin iokg:target iokg:targetRegion iokg:operatedBy
  iokg:promotes iokg:attacks } } OPTIONAL { GRAPH ?o { ?m iokg:accountOf ?op } } BIND(COALESCE(?op, ?m) AS ?n) }"""
NETWORKS = """PREFIX iokg: <https://w3id.org/iokg/ns#> SELECT DISTINCT ?n WHERE { GRAPH ?g { ?m a iokg:Network }
  OPTIONAL { GRAPH ?o { ?m iokg:accountOf ?op } } BIND(COALESCE(?op, ?m) AS ?n) }"""
KINDS = """PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT DISTINCT ?x ?t WHERE { GRAPH ?g { ?x a ?t } VALUES ?t { iokg:Organization iokg:Country } }"""
OPERATOR_TARGETS = """PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT DISTINCT ?op ?c WHERE {
  { GRAPH ?g { ?m iokg:operatedBy ?op } OPTIONAL { GRAPH ?o { ?m iokg:accountOf ?x } } BIND(COALESCE(?x, ?m) AS ?n) }
  { GRAPH ?g2 { ?m2 iokg:target ?c } OPTIONAL { GRAPH ?o2 { ?m2 iokg:accountOf ?x2 } } BIND(COALESCE(?x2, ?m2) AS ?n) }
  GRAPH ?e { ?c a iokg:Country } }"""


def run_analyze(store_path) -> dict:
    result = CliRunner().invoke(cli, ["analyze", "--store", str(store_path), "--top", "0", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def direct(store_path) -> tuple[nx.Graph, dict[str, str], nx.Graph]:
    """The entity graph, node kinds and country projection, built from SPARQL rows with no iokg code."""
    with EmbeddedStore(store_path, read_only=True) as store:
        edges = [(str(r["n"]), str(r["x"])) for r in store.query(EDGES).rows]
        networks = [str(r["n"]) for r in store.query(NETWORKS).rows]
        kinds = {str(r["x"]): str(r["t"]).rsplit("#", 1)[1] for r in store.query(KINDS).rows}
        pairs = [(str(r["op"]), str(r["c"])) for r in store.query(OPERATOR_TARGETS).rows]
    h = nx.Graph(edges)
    h.add_nodes_from(networks)  # a network seen only on a platform is still an entity
    by_op: dict[str, set[str]] = {}
    for op, country in pairs:
        by_op.setdefault(op, set()).add(country)
    p = nx.Graph()
    for countries in by_op.values():
        for a, b in combinations(sorted(countries), 2):
            p.add_edge(a, b, weight=p.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    return h, kinds, p


def check_against_networkx(store_path) -> dict:
    report = run_analyze(store_path)
    h, kinds, p = direct(store_path)
    degree, betweenness = nx.degree_centrality(h), nx.betweenness_centrality(h)
    assert report["graph"] == {"nodes": h.number_of_nodes(), "edges": h.number_of_edges()}
    for table, kind in (("organisations", "Organization"), ("countries", "Country")):
        rows = {r["id"]: r for r in report["centrality"][table]}
        assert set(rows) == {n for n in h if kinds.get(n) == kind}
        for n, row in rows.items():
            assert row["degree"] == h.degree(n)
            assert row["degree_centrality"] == pytest.approx(degree[n], abs=1e-6)
            assert row["betweenness"] == pytest.approx(betweenness[n], abs=1e-6)
    parts = [set(c["ids"]) for c in report["communities"]["communities"]]
    assert set().union(*parts) == set(h) and sum(map(len, parts)) == len(h)  # a partition of every node
    assert report["communities"]["modularity"] == pytest.approx(nx.community.modularity(h, parts), abs=1e-6)
    assert sum(e["weight"] for e in report["projection"]["edges"]) == sum(w for *_, w in p.edges(data="weight"))
    assert len(report["projection"]["edges"]) == p.number_of_edges()
    return report


def test_analyze_matches_networkx_on_a_small_store(tmp_path):
    fill_store(tmp_path / "store", sample_extractions())
    report = check_against_networkx(tmp_path / "store")
    assert report["centrality"]["organisations"][0]["label"] == "Brightline Media"  # two networks, most links
    pairs = {(e["a"], e["b"]): e["operators"] for e in report["projection"]["edges"]}
    assert pairs == {("El Salvador", "Mexico"): ["Brightline Media"], ("Germany", "Ukraine"): ["Northern Bureau"]}


def test_communities_are_reproducible_with_the_fixed_seed():
    g = netgraph.build_graph(union(sample_extractions()))
    first, second = analysis.analyze(g), analysis.analyze(g)
    assert first["communities"] == second["communities"] and len(first["communities"]["communities"]) > 1


def test_table_output_names_every_section(tmp_path):
    fill_store(tmp_path / "store", sample_extractions())
    result = CliRunner().invoke(cli, ["analyze", "--store", str(tmp_path / "store"), "--top", "3"])
    assert result.exit_code == 0, result.output
    for heading in ("Most central organisations", "Most central countries", "Communities (Louvain",
                    "Countries targeted by the same operator", "El Salvador  Mexico"):
        assert heading in result.output


def test_analyze_on_a_missing_store_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 4 and "no store here" in result.output and "Traceback" not in result.output


def test_analyze_on_the_seeds_matches_networkx(seed_store):
    report = check_against_networkx(seed_store)
    assert report["centrality"]["organisations"] and report["centrality"]["countries"]
    assert report["communities"]["communities"]
    table = CliRunner().invoke(cli, ["analyze", "--store", str(seed_store)])
    assert table.exit_code == 0 and "Most central countries" in table.output


def test_big_graphs_sample_betweenness_with_a_fixed_seed(monkeypatch):
    g = netgraph.build_graph(union(sample_extractions()))
    monkeypatch.setattr(analysis, "EXACT_LIMIT", 5)  # the sample graph then counts as big
    monkeypatch.setattr(analysis, "SAMPLES", 6)
    report = analysis.analyze(g, top=0)
    assert report["betweenness"] == {"method": "sampled", "samples": 6}
    h = analysis.entity_graph(g)
    expected = nx.betweenness_centrality(h, k=6, seed=analysis.LOUVAIN_SEED)
    for row in report["centrality"]["countries"]:
        assert row["betweenness"] == pytest.approx(expected[row["id"]], abs=1e-6)
    assert "betweenness sampled from 6 sources" in analysis.format_report(report)


def test_documents_and_platforms_are_left_out_of_the_analysis():
    g = netgraph.build_graph(union(sample_extractions()))
    kinds = {k for _, k in analysis.entity_graph(g).nodes(data="kind")}
    assert kinds == {"network", "organisation", "country"}
