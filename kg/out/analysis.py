"""Graph analytics with networkx: who is central, which entities cluster, which countries share operators.

All measures run on the undirected simple graph of entities (documents and platforms left out: they
would be hubs that say nothing), so the numbers can be recomputed with plain networkx from the same edges.
"""
from __future__ import annotations

import json
from itertools import combinations

import networkx as nx

from kg.out.results import text_table

LOUVAIN_SEED = 42
EXACT_LIMIT = 1000  # exact betweenness costs O(nodes x edges); above this, sample sources
SAMPLES = 200
# a report links everything it mentions and nearly every network is on Facebook: both would be false hubs
LEFT_OUT = ("document", "platform")
CENTRAL_KINDS = {"organisations": ("organisation",), "countries": ("country",)}


def entity_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph without documents and platforms; parallel edges collapse into one."""
    h = nx.Graph()
    keep = [n for n, kind in g.nodes(data="kind") if kind not in LEFT_OUT]
    h.add_nodes_from((n, {"label": g.nodes[n]["label"], "kind": g.nodes[n]["kind"]}) for n in keep)
    h.add_edges_from((u, v) for u, v in g.edges() if u != v and u in h and v in h)
    return h


def betweenness_method(h: nx.Graph) -> dict:
    """Exact betweenness up to EXACT_LIMIT nodes; above, Brandes' estimate from a seeded sample of sources."""
    if len(h) <= EXACT_LIMIT:
        return {"method": "exact", "samples": len(h)}
    return {"method": "sampled", "samples": SAMPLES}


def centrality(h: nx.Graph, top: int = 10) -> dict[str, list[dict]]:
    """Degree and betweenness centrality of organisations and countries, most central first."""
    degree = nx.degree_centrality(h)
    method = betweenness_method(h)
    sample = None if method["method"] == "exact" else method["samples"]
    betweenness = nx.betweenness_centrality(h, k=sample, seed=LOUVAIN_SEED if sample else None)
    tables = {}
    for name, kinds in CENTRAL_KINDS.items():
        rows = [{"id": n, "label": d["label"], "degree": h.degree(n), "degree_centrality": round(degree[n], 6),
                 "betweenness": round(betweenness[n], 6)} for n, d in h.nodes(data=True) if d["kind"] in kinds]
        rows.sort(key=lambda r: (-r["degree_centrality"], -r["betweenness"], r["label"]))
        tables[name] = rows[:top] if top else rows
    return tables


def communities(h: nx.Graph, seed: int = LOUVAIN_SEED) -> dict:
    """Louvain communities (fixed seed, so runs agree) with their members and the partition's modularity."""
    if h.number_of_edges() == 0:
        return {"seed": seed, "modularity": 0.0, "communities": []}
    parts = nx.community.louvain_communities(h, seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(h.nodes[n]["label"] for n in c)))
    listed = [{"size": len(c), "members": sorted(h.nodes[n]["label"] for n in c), "ids": sorted(c)} for c in parts]
    return {"seed": seed, "modularity": round(nx.community.modularity(h, parts), 6), "communities": listed}


def country_projection(g: nx.MultiDiGraph) -> nx.Graph:
    """Countries linked when the same operator ran networks targeting both; weight = shared operators."""
    targets_of: dict[str, set[str]] = {}
    for network, operator, rel in g.edges(data="relation"):
        if rel != "operator":
            continue
        countries = {c for _, c, r in g.out_edges(network, data="relation")
                     if r == "target" and g.nodes[c]["kind"] == "country"}
        targets_of.setdefault(operator, set()).update(countries)
    p = nx.Graph()
    for operator, countries in sorted(targets_of.items()):
        p.add_nodes_from(countries)
        for a, b in combinations(sorted(countries), 2):
            if p.has_edge(a, b):
                p[a][b]["weight"] += 1
                p[a][b]["operators"].append(g.nodes[operator]["label"])
            else:
                p.add_edge(a, b, weight=1, operators=[g.nodes[operator]["label"]])
    return p


def analyze(g: nx.MultiDiGraph, top: int = 10, seed: int = LOUVAIN_SEED) -> dict:
    """Everything `iokg analyze` reports, as one JSON-ready dict."""
    h = entity_graph(g)
    p = country_projection(g)
    label = lambda n: g.nodes[n]["label"]  # noqa: E731
    edges = [dict(zip(("a", "b"), sorted((label(a), label(b)))), weight=d["weight"], operators=sorted(d["operators"]))
             for a, b, d in p.edges(data=True)]
    edges.sort(key=lambda e: (-e["weight"], e["a"], e["b"]))
    return {
        "graph": {"nodes": h.number_of_nodes(), "edges": h.number_of_edges()},
        "centrality": centrality(h, top),
        "betweenness": betweenness_method(h),
        "communities": communities(h, seed),
        "projection": {"countries": sorted(label(n) for n in p), "edges": edges},
    }


def format_report(report: dict, fmt: str = "table") -> str:
    """The analysis as aligned text tables, or as JSON when `fmt` is "json"."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    g = report["graph"]
    b = report["betweenness"]
    lines = [f"Graph: {g['nodes']} entities, {g['edges']} links (documents and platforms left out); "
             f"betweenness {b['method']}" + (f" from {b['samples']} sources" if b["method"] == "sampled" else "")]
    com, proj = report["communities"], report["projection"]
    sections = [(f"Most central {name}:", ["label", "degree", "degree centrality", "betweenness"],
                 [[r["label"], r["degree"], f"{r['degree_centrality']:.4f}", f"{r['betweenness']:.4f}"] for r in rows])
                for name, rows in report["centrality"].items()]
    sections.append((f"Communities (Louvain, seed {com['seed']}, modularity {com['modularity']:.4f}):",
                     ["#", "size", "members"],
                     [[i + 1, c["size"], ", ".join(c["members"])] for i, c in enumerate(com["communities"])]))
    sections.append(("Countries targeted by the same operator:", ["country", "country", "shared operators", "operators"],
                     [[e["a"], e["b"], e["weight"], ", ".join(e["operators"])] for e in proj["edges"]]))
    for title, headers, rows in sections:
        lines += ["", title] + (text_table(headers, rows).splitlines() if rows else ["  (none)"])
    return "\n".join(lines)
