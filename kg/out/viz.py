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
from pathlib import Path

import networkx as nx
import pyvis
from pyvis.network import Network as PyvisNetwork

from kg.data import DATA_DIR

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
VIZ_DIR = DATA_DIR / "viz"
LAYOUT_THRESHOLD = 500  # above this many nodes the layout is computed in Python and physics is off
MAX_EVIDENCE = 6

# style key → legend name, colour, vis shape, legend symbol
NODE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "operation": ("Operation (sources folded in)", "#b2182b", "dot", "\u2b24"),
    "network": ("Network", "#d62728", "dot", "\u25cf"),
    "org:pr-marketing": ("PR / marketing firm", "#ff7f0e", "diamond", "\u25c6"),
    "org:political": ("Political organisation", "#9467bd", "diamond", "\u25c6"),
    "org:state-linked": ("State-linked actor", "#8c564b", "diamond", "\u25c6"),
    "org:media": ("Media outlet", "#e377c2", "diamond", "\u25c6"),
    "org:research": ("Research organisation", "#17becf", "diamond", "\u25c6"),
    "org:government": ("Government body", "#7f7f7f", "diamond", "\u25c6"),
    "org:individuals": ("Individuals", "#bcbd22", "diamond", "\u25c6"),
    "org:other": ("Organisation", "#aec7e8", "diamond", "\u25c6"),
    "country": ("Country", "#1f77b4", "square", "\u25a0"),
    "region": ("Region", "#9edae5", "square", "\u25a0"),
    "platform": ("Platform", "#2ca02c", "triangle", "\u25b2"),
    "document": ("Document", "#a0a0a0", "triangleDown", "\u25bc"),
    "person": ("Person", "#f7b6d2", "star", "\u2605"),
    "government": ("Government", "#c49c94", "star", "\u2605"),
    "movement": ("Movement", "#c5b0d5", "star", "\u2605"),
    "project": ("Project", "#dbdb8d", "star", "\u2605"),
    "stance target": ("Stance target", "#ffbb78", "star", "\u2605"),
}
# relation → legend name, colour, dashed, width
EDGE_STYLES: dict[str, tuple[str, str, bool, int]] = {
    "origin": ("run from (origin)", "#1f77b4", False, 1),
    "target": ("targeted", "#9edae5", False, 1),
    "operator": ("operated by", "#ff7f0e", False, 2),
    "platform": ("on platform", "#98df8a", False, 1),
    "source": ("reported in (source)", "#c7c7c7", True, 1),
    "promotes": ("promotes", "#2ca02c", False, 3),
    "attacks": ("attacks", "#d62728", True, 3),
}


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
