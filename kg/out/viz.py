"""Interactive HTML diagrams of the graph: one self-contained file that works offline and is safe to share.

pyvis holds the nodes and edges and ships vis-network, which is inlined; the page itself (legend,
search, class filter, tooltips built with textContent) comes from kg/data/viz, so no text taken from
a document is ever parsed as HTML and the file makes no network request.
"""
from __future__ import annotations

import html
import json
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyvis
from pyvis.network import Network as PyvisNetwork

from kg.data import DATA_DIR, load_jsonl
from kg.errors import IokgError

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
VIZ_DIR = DATA_DIR / "viz"
LAYOUT_THRESHOLD = 500  # above this many nodes the layout is computed in Python and physics is off
MAX_EVIDENCE = 6

# style key → legend name, colour, vis shape, legend symbol; relation → legend name, colour, dashed, width
# are data (kg/data/viz/styles.jsonl): one table for the drawing and its legend
NODE_STYLES: dict[str, tuple[str, str, str, str]] = {
    row["node"]: (row["name"], row["color"], row["shape"], row["symbol"]) for row in load_jsonl("viz/styles") if "node" in row}
EDGE_STYLES: dict[str, tuple[str, str, bool, int]] = {
    row["edge"]: (row["name"], row["color"], row["dashes"], row["width"]) for row in load_jsonl("viz/styles") if "edge" in row}


def style_key(data: dict) -> str:
    """The legend class of a node: organisations by category, everything else by kind."""
    if data["kind"] == "organisation":
        key = f"org:{data.get('category') or 'other'}"
        return key if key in NODE_STYLES else "org:other"
    return data["kind"] if data["kind"] in NODE_STYLES else "stance target"


def node_size(data: dict) -> float:
    """Networks grow with the assets removed; other entities with the number of networks they touch."""
    if data["kind"] in ("network", "operation"):
        return 10 + 3 * math.log2(1 + sum(data["removed"].values()))
    if data["kind"] == "document":
        return 10
    return 8 + 5 * math.sqrt(data.get("networks", 0))


FIRST_FACTS = ("operators", "targets", "date", "publisher", "sources")
ASSET_WORDS = {"facebookAccounts": "Facebook accounts", "pages": "Pages", "groups": "Groups",
               "instagramAccounts": "Instagram accounts", "events": "events"}


def format_number(value) -> str:
    """Readable figures: 3600000 → '3.6 M', 26400 → '26,400', '3600000' (text) → '3.6 M'."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if abs(number) >= 1_000_000:
        return f"{number / 1_000_000:.1f}".rstrip("0").rstrip(".") + " M"
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _fact_value(name: str, value) -> str:
    if name.startswith("ad spend"):
        return "$" + format_number(value)
    return format_number(value) if re.fullmatch(r"\d+(\.\d+)?", str(value)) else str(value)


def tooltip_info(data: dict) -> dict:
    """Key facts (who, against whom, when, which publisher first), documents, evidence and, for an
    operation, each source's account, as plain formatted strings for the viewer."""
    order = {name: i for i, name in enumerate(FIRST_FACTS)}
    items = sorted(data["facts"].items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    facts = [[name, _fact_value(name, value)] for name, value in items]
    facts += [["removed", f"{format_number(count)} {ASSET_WORDS.get(kind, kind)}"] for kind, count in sorted(data["removed"].items())]
    if data["kind"] not in ("network", "operation"):
        facts.append(["networks", data.get("networks", 0)])
    about = data.get("evidence_facts", {})
    evidence = [(f"[{', '.join(about[q])}] " if about.get(q) else "") + (q if len(q) <= 400 else q[:397] + "...")
                for q in data["evidence"][:MAX_EVIDENCE]]
    accounts = [f"{a['label']} ({', '.join(a['documents'])}"
                + (f", {a['date']}" if a.get("date") else "") + ")"
                + "".join(f"; {format_number(c)} {ASSET_WORDS.get(k, k)}" for k, c in a["removed"].items())
                for a in data.get("accounts", ())]
    return {"facts": facts, "documents": sorted(data["documents"]), "evidence": evidence, "accounts": accounts}


def hub_layout(g: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """A fast layout for big graphs: spring layout of the best-connected nodes, the rest placed near them."""
    u = nx.Graph(g.to_undirected(as_view=True))
    if not len(u):
        return {}
    degree = dict(u.degree())
    hubs = sorted(u, key=lambda n: (-degree[n], n))[: max(50, min(400, len(u) // 10))]
    hub_set = set(hubs)
    core = nx.Graph()
    core.add_nodes_from(hubs)
    core.add_edges_from((a, b) for a, b in u.edges() if a in hub_set and b in hub_set)
    for node in u:
        linked = [h for h in u[node] if h in hub_set][:8]
        core.add_edges_from((a, b) for i, a in enumerate(linked) for b in linked[i + 1:])
    pos = {n: tuple(p) for n, p in nx.spring_layout(core, seed=seed, iterations=60).items()}
    rng = random.Random(seed)
    frontier, spread = list(hubs), 0.35 / math.sqrt(len(hubs))
    while len(pos) < len(u):
        nxt = []
        for node in frontier:
            for other in u[node]:
                if other not in pos:
                    placed = [pos[p] for p in u[other] if p in pos]
                    angle, radius = rng.uniform(0, 2 * math.pi), spread * math.sqrt(rng.random())
                    pos[other] = (sum(p[0] for p in placed) / len(placed) + radius * math.cos(angle),
                                  sum(p[1] for p in placed) / len(placed) + radius * math.sin(angle))
                    nxt.append(other)
        if not nxt:  # a component without hubs: start it on the outer ring
            rest = sorted(n for n in u if n not in pos)
            angle = rng.uniform(0, 2 * math.pi)
            pos[rest[0]] = (1.3 * math.cos(angle), 1.3 * math.sin(angle))
            nxt = [rest[0]]
        frontier = nxt
    scale = 60 * math.sqrt(len(u))
    return {n: (x * scale, y * scale) for n, (x, y) in pos.items()}


def vis_options(big: bool, n_nodes: int) -> dict:
    """vis-network options: physics with stabilisation for small graphs, fixed positions for big ones."""
    return {
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"type": "continuous"}},
        "physics": {"enabled": False} if big else {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False},
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
    }


def build_network(g: nx.MultiDiGraph, layout_threshold: int = LAYOUT_THRESHOLD) -> tuple[PyvisNetwork, bool]:
    """Fill a pyvis Network with styled nodes and edges; True when positions were computed in Python."""
    big = len(g) > layout_threshold
    positions = hub_layout(g) if big else {}
    net = PyvisNetwork(directed=True)
    for nid, data in g.nodes(data=True):
        key = style_key(data)
        name, colour, shape, _ = NODE_STYLES[key]
        extra = {"x": positions[nid][0], "y": positions[nid][1], "physics": False} if big else {}
        net.add_node(nid, label=data["label"], shape=shape, color=colour, size=node_size(data),
                     style=key, info=tooltip_info(data), period=data.get("period"), **extra)
    for i, (u, v, data) in enumerate(g.edges(data=True)):  # appended directly: pyvis' add_edge is O(n) per edge
        name, colour, dashes, width = EDGE_STYLES[data["relation"]]
        net.edges.append({"id": f"e{i}", "from": u, "to": v, "relation": data["relation"], "color": colour,
                          "dashes": dashes, "width": width, "arrows": "to"})
    net.options = vis_options(big, len(g))
    return net, big


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no "</", "<!--" or "]]>" can close or confuse it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _inline_script(text: str) -> str:
    """Library code for an inline <script>: a literal "</script" inside it would end the element early."""
    return text.replace("</script", "<\\/script")


def render_html(g: nx.MultiDiGraph, title: str = "iokg diagram", layout_threshold: int = LAYOUT_THRESHOLD,
                focus: list[str] | None = None, hide_platforms: bool = False) -> str:
    """The complete HTML page for `g`: vis-network, styles, data and viewer code all inline; `focus`
    nodes are highlighted and centred, platform hubs start hidden with `hide_platforms`."""
    net, _ = build_network(g, layout_threshold)
    nodes, edges, _, _, _, options = net.get_network_data()
    counts = {"nodes": {}, "edges": {}}
    for node in nodes:
        counts["nodes"][node["style"]] = counts["nodes"].get(node["style"], 0) + 1
    for edge in edges:
        counts["edges"][edge["relation"]] = counts["edges"].get(edge["relation"], 0) + 1
    payload = {
        "nodes": nodes, "edges": edges, "options": json.loads(options), "counts": counts,
        "styles": {k: {"name": n, "color": c, "symbol": s} for k, (n, c, _, s) in NODE_STYLES.items()},
        "edgeStyles": {k: {"name": n, "color": c, "dashes": d, "width": w} for k, (n, c, d, w) in EDGE_STYLES.items()},
        "focus": [n for n in (focus or []) if n in g], "hidePlatforms": hide_platforms,
        "periods": sorted({p for n in nodes if n.get("period") for p in n["period"]}),
    }
    parts = {
        "__VIS_CSS__": (VIS_DIR / "vis-network.css").read_text(encoding="utf-8").replace("</", "<\\/"),
        "__APP_CSS__": (VIZ_DIR / "app.css").read_text(encoding="utf-8"),
        "__VIS_JS__": _inline_script((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")),
        "__DATA__": script_json(payload),
        "__APP_JS__": _inline_script((VIZ_DIR / "app.js").read_text(encoding="utf-8")),
    }
    parts["__TITLE__"] = html.escape(title)
    template = (VIZ_DIR / "template.html").read_text(encoding="utf-8")
    # one pass over the template: inserted text is never scanned for markers again
    page = re.sub(r"__[A-Z_]+__", lambda m: parts.get(m.group(0), m.group(0)), template)
    return page


def write_html(g: nx.MultiDiGraph, out: str | Path, title: str = "iokg diagram",
               layout_threshold: int = LAYOUT_THRESHOLD, focus: list[str] | None = None,
               hide_platforms: bool = False) -> Path:
    """Write the diagram of `g` to `out` and return the path."""
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(g, title, layout_threshold, focus, hide_platforms), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Drawing:
    """A written diagram: its file and how many nodes and edges it shows."""

    path: Path
    nodes: int
    edges: int


def draw(backend, output: str | Path, focus: str | None = None, hops: int = 1, country: str | None = None,
         operator: str | None = None, query: str | None = None, documents: bool = True,
         title: str = "iokg diagram", hide_platforms: bool = False) -> Drawing:
    """Draw the backend's graph (or a CONSTRUCT `query`'s result, narrowed by country, operator and focus)
    as one offline HTML file; an empty selection is an IokgError, not an empty page."""
    from kg.out.netgraph import find_nodes, graph_from_backend, select

    g = select(graph_from_backend(backend, query, include_documents=documents), focus, hops, country, operator)
    if not len(g):
        raise IokgError("nothing to draw: the graph is empty (run `iokg ingest` first, or check --query)")
    path = write_html(g, output, title, focus=find_nodes(g, focus) if focus else None, hide_platforms=hide_platforms)
    return Drawing(path, g.number_of_nodes(), g.number_of_edges())
