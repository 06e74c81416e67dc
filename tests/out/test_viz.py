"""The diagram file: self-contained, escaped, styled by class, laid out in Python when big; the viz command."""
from __future__ import annotations

import json
import re

import networkx as nx
from click.testing import CliRunner
from hypothesis import given, strategies as st

from kg.out import netgraph
from kg.out import viz
from kg.cli.main import cli
from tests.servers import oxigraph_server  # noqa: F401
from tests.out.test_netgraph import XSS_NAME, fill_store, sample_extractions, union, xss_extraction


def payload(page: str) -> dict:
    """The JSON data block embedded in a diagram page."""
    block = re.search(r'<script type="application/json" id="iokg-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def synthetic(n_networks: int, n_entities: int) -> nx.MultiDiGraph:
    """Networks linked to countries and organisations in a fixed pattern (for layout tests)."""
    g = nx.MultiDiGraph()
    for i in range(n_entities):
        kind = "country" if i % 2 else "organisation"
        g.add_node(f"e{i}", kind=kind, category="media" if kind == "organisation" else None, label=f"E{i}",
                   facts={}, removed={}, documents=set(), evidence=[], networks=0)
    for i in range(n_networks):
        g.add_node(f"n{i}", kind="network", category=None, label=f"N{i}", facts={}, removed={"pages": i},
                   documents=set(), evidence=[], networks=0)
        g.add_edge(f"n{i}", f"e{i % n_entities}", relation="origin")
        g.add_edge(f"n{i}", f"e{(i * 7) % n_entities}", relation="operator")
    return g


def test_page_is_self_contained():
    page = viz.render_html(netgraph.build_graph(union(sample_extractions())))
    assert "default-src 'none'" in page  # the browser itself refuses any fetch
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", page, re.I)  # stylesheets fetch nothing
    assert "vis.Network" in page and "new vis.DataSet" in page


def test_nodes_are_styled_and_sized_by_class():
    g = netgraph.build_graph(union(sample_extractions()))
    data = payload(viz.render_html(g))
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["Brightline Media"]["style"] == "org:pr-marketing"
    assert nodes["Northern Bureau"]["style"] == "org:state-linked"
    assert nodes["Brightline Media"]["shape"] != nodes["Mexico"]["shape"]
    assert nodes["Russia network"]["size"] > nodes["Spain network"]["size"] > nodes["Iran network"]["size"]
    assert nodes["Spain"]["size"] > nodes["Mexico"]["size"]  # two networks against one
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()
    styles = data["edgeStyles"]
    assert styles["promotes"]["color"] != styles["attacks"]["color"] and styles["attacks"]["dashes"]
    info = nodes["Spain network"]["info"]
    assert ["removed", "40 Facebook accounts"] in info["facts"] and info["documents"] == ["one.txt"]
    assert any("Brightline Media" in q for q in info["evidence"])


def test_hostile_text_stays_data():
    page = viz.render_html(netgraph.build_graph(union([xss_extraction()])), title="<script>alert(4)</script>")
    assert "<img" not in page and "alert(3)</script>" not in page and "<!-- in" not in page
    assert "<title>&lt;script&gt;alert(4)&lt;/script&gt;</title>" in page
    labels = {n["label"] for n in payload(page)["nodes"]}
    assert XSS_NAME in labels  # the text survives, only its encoding changed


@given(st.text())
def test_script_json_never_closes_the_script(text):
    encoded = viz.script_json({"t": text})
    assert "<" not in encoded and ">" not in encoded
    assert json.loads(encoded) == {"t": text}


def test_small_graphs_use_physics_and_big_graphs_fixed_positions():
    small = payload(viz.render_html(synthetic(60, 20)))
    assert small["options"]["physics"]["enabled"] and "x" not in small["nodes"][0]
    big = payload(viz.render_html(synthetic(600, 60)))
    assert big["options"]["physics"] == {"enabled": False}
    xs = {(n["x"], n["y"]) for n in big["nodes"]}
    assert len(xs) == 660 and all(n["physics"] is False for n in big["nodes"])


def test_hub_layout_places_every_node_including_separate_components():
    g = synthetic(300, 30)
    g.add_node("lonely", kind="country", category=None, label="L", facts={}, removed={}, documents=set(),
               evidence=[], networks=0)
    pos = viz.hub_layout(g)
    assert set(pos) == set(g.nodes)
    spread = max(abs(c) for p in pos.values() for c in p)
    assert spread > 100  # scaled to screen pixels, not squeezed into one spot


def test_viz_command_writes_a_selected_diagram(tmp_path):
    fill_store(tmp_path / "store", sample_extractions())
    out = tmp_path / "mx.html"
    result = CliRunner().invoke(cli, ["viz", "--store", str(tmp_path / "store"), "-o", str(out),
                                      "--country", "MX", "--no-documents"])
    assert result.exit_code == 0, result.output
    labels = {n["label"] for n in payload(out.read_text(encoding="utf-8"))["nodes"]}
    assert "Mexico network" in labels and "Spain network" not in labels and "two.txt" not in labels
    assert "Wrote" in result.output


def test_viz_command_errors_are_one_line(tmp_path):
    fill_store(tmp_path / "store", sample_extractions())
    runner = CliRunner()
    bad = runner.invoke(cli, ["viz", "--store", str(tmp_path / "store"), "-o", str(tmp_path / "x.html"),
                              "--operator", "Nobody Inc"])
    assert bad.exit_code == 2 and "no organisation named 'Nobody Inc'" in bad.output
    assert "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1
    missing = runner.invoke(cli, ["viz", "--store", str(tmp_path / "store"), "-o", str(tmp_path / "x.html"),
                                  "--query", str(tmp_path / "none.rq")])
    assert missing.exit_code == 2 and "none.rq" in missing.output
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p", encoding="utf-8")
    broken = runner.invoke(cli, ["viz", "--store", str(tmp_path / "store"), "-o", str(tmp_path / "x.html"),
                                 "--query", str(query)])
    assert broken.exit_code == 6, broken.output


def test_viz_from_a_real_sparql_server_equals_the_embedded_store(tmp_path, oxigraph_server):
    from kg.store.endpoint import EndpointBackend
    from kg.graph.iris import graph_iri
    from kg.graph.rdf import extraction_graph, to_ntriples

    with EndpointBackend.from_env(oxigraph_server.url, environ={}) as endpoint:
        for ex in sample_extractions():
            endpoint.put_graph(str(graph_iri(ex.document)), to_ntriples(extraction_graph(ex)))
    fill_store(tmp_path / "store", sample_extractions())
    runner, pages = CliRunner(), {}
    for name, where in (("remote", ["--endpoint", oxigraph_server.url]), ("local", ["--store", str(tmp_path / "store")])):
        result = runner.invoke(cli, ["viz", *where, "-o", str(tmp_path / f"{name}.html"), "--focus", "Spain"],
                               env={"IOKG_ENDPOINT": None, "IOKG_STORE": None})
        assert result.exit_code == 0, result.output
        pages[name] = payload((tmp_path / f"{name}.html").read_text(encoding="utf-8"))
    for part in ("nodes", "edges"):
        assert sorted(map(str, (n.get("id") or (n["from"], n["to"]) for n in pages["remote"][part]))) == \
            sorted(map(str, (n.get("id") or (n["from"], n["to"]) for n in pages["local"][part])))


def test_viz_command_draws_a_construct_query(tmp_path):
    fill_store(tmp_path / "store", sample_extractions())
    query = tmp_path / "attacks.rq"
    query.write_text("PREFIX iokg: <https://w3id.org/iokg/ns#>\n"
                     "CONSTRUCT { ?n iokg:attacks ?x } WHERE { ?n iokg:attacks ?x }\n", encoding="utf-8")
    out = tmp_path / "q.html"
    result = CliRunner().invoke(cli, ["viz", "--store", str(tmp_path / "store"), "-o", str(out), "--query", str(query)])
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert {e["relation"] for e in data["edges"]} == {"attacks"}
    assert {n["label"] for n in data["nodes"]} == {"Spain network", "Green Party"}


def test_viz_on_an_empty_store_says_so(tmp_path):
    from kg.store.embedded import EmbeddedStore

    EmbeddedStore(tmp_path / "empty").close()
    result = CliRunner().invoke(cli, ["viz", "--store", str(tmp_path / "empty"), "-o", str(tmp_path / "e.html")])
    assert result.exit_code == 1 and "nothing to draw" in result.output and not (tmp_path / "e.html").exists()
