"""The knowledge graph as a networkx MultiDiGraph of typed entities, for diagrams, analytics and Gephi.

Nodes are networks, organisations (by category), countries, regions, platforms, documents and
stance targets; edges are origin, target, operator, platform, source, promotes and attacks. Each node
keeps the facts, documents and evidence sentences behind it so a diagram can show them.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.errors import UsageError
from kg.graph.vocab import IOKG, SCHEMA, local_name

# rdf:type → (kind, category); the first match in this order wins.
TYPE_KINDS: tuple[tuple[URIRef, str, str | None], ...] = (
    (IOKG.Operation, "operation", None),
    (IOKG.Network, "network", None),
    (IOKG.SourceDocument, "document", None),
    (IOKG.Country, "country", None),
    (IOKG.Region, "region", None),
    (IOKG.Platform, "platform", None),
    (IOKG.PRFirm, "organisation", "pr-marketing"),
    (IOKG.PoliticalParty, "organisation", "political"),
    (IOKG.PoliticalOrganization, "organisation", "political"),
    (IOKG.StateLinkedActor, "organisation", "state-linked"),
    (IOKG.MediaOutlet, "organisation", "media"),
    (IOKG.ResearchOrganization, "organisation", "research"),
    (IOKG.GovernmentBody, "organisation", "government"),
    (IOKG.UnnamedIndividuals, "organisation", "individuals"),
    (IOKG.Organization, "organisation", None),
    (IOKG.Person, "person", None),
    (IOKG.Government, "government", None),
    (IOKG.Movement, "movement", None),
    (IOKG.Project, "project", None),
)

# network predicate → (edge relation, kind of an untyped object)
EDGE_PREDICATES: dict[URIRef, tuple[str, str]] = {
    IOKG.origin: ("origin", "country"),
    IOKG.target: ("target", "country"),
    IOKG.targetRegion: ("target", "region"),
    IOKG.operatedBy: ("operator", "organisation"),
    IOKG.onPlatform: ("platform", "platform"),
    PROV.wasDerivedFrom: ("source", "document"),
    IOKG.promotes: ("promotes", "stance target"),
    IOKG.attacks: ("attacks", "stance target"),
}
RELATIONS = ("origin", "target", "operator", "platform", "source", "promotes", "attacks")
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SCHEMA.name, DCTERMS.title, IOKG.fileName)
# literal properties shown as facts in tooltips (local name → shown name)
FACT_PREDICATES = {
    IOKG.category: "category", IOKG.alpha2: "country code", IOKG.policy: "policy",
    IOKG.adSpendUSD: "ad spend (USD)", IOKG.role: "role", IOKG.fileName: "file",
    IOKG.publisher: "publisher", SCHEMA.datePublished: "date", IOKG.networkKind: "kind",
    IOKG.discoveredVia: "discovered via",
}
NETWORK_FILE_FORMATS = ("graphml", "gexf")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _label(rdf: Graph, node: Node) -> str:
    """rdfs:label (or another naming property), else the alpha-2 code, else the IRI's tail."""
    if isinstance(node, Literal):
        return str(node)
    for predicate in LABEL_PREDICATES:
        value = rdf.value(node, predicate)
        if value is not None:
            return str(value)
    return str(rdf.value(node, IOKG.alpha2) or local_name(node))


def _kind(rdf: Graph, node: Node, fallback: str) -> tuple[str, str | None]:
    """The node's kind and organisation category from its rdf:type, else from how it is used."""
    types = set(rdf.objects(node, RDF.type)) if not isinstance(node, Literal) else set()
    category = rdf.value(node, IOKG.category) if not isinstance(node, Literal) else None
    for cls, kind, cat in TYPE_KINDS:
        if cls in types:
            return kind, (str(category) if category is not None else cat) if kind == "organisation" else None
    if fallback == "organisation":
        return "organisation", str(category) if category is not None else None
    return fallback, None


def _node_id(node: Node, relation: str) -> str:
    """IRIs are their own ids; literal objects (e.g. a platform name) get one id per relation and value."""
    return f"literal:{relation}:{node}" if isinstance(node, Literal) else str(node)


def _add_node(g: nx.MultiDiGraph, rdf: Graph, node: Node, fallback: str, relation: str) -> str:
    """Add `node` with its kind, label and literal facts if it is not there yet; return its id."""
    nid = _node_id(node, relation)
    if nid not in g:
        kind, category = _kind(rdf, node, fallback)
        facts = {}
        if not isinstance(node, Literal):
            for predicate, name in FACT_PREDICATES.items():
                values = sorted(str(v) if isinstance(v, Literal) else _label(rdf, v) for v in rdf.objects(node, predicate))
                if values:
                    facts[name] = ", ".join(values)
        g.add_node(nid, kind=kind, category=category, label=_label(rdf, node), facts=facts,
                   removed={}, documents=set(), evidence=[])
    return nid


def _removed(rdf: Graph, network: Node) -> dict[str, int]:
    """Removed-asset counts of a network by asset type (facebookAccounts, pages, ...)."""
    counts: dict[str, int] = {}
    for ac in rdf.objects(network, IOKG.removed):
        kind, count = rdf.value(ac, IOKG.assetType), rdf.value(ac, IOKG.count)
        if kind is not None and count is not None:
            try:
                counts[local_name(kind)] = counts.get(local_name(kind), 0) + int(count)
            except ValueError:
                continue
    return counts


def _attach_evidence(g: nx.MultiDiGraph, rdf: Graph) -> None:
    """Give every node the quotes that support it (or a fact about it) and the documents they come from."""
    by_label = defaultdict(set)
    for nid, data in g.nodes(data=True):
        by_label[data["label"].casefold()].add(nid)
        code = data["facts"].get("country code")
        if code:
            by_label[code.casefold()].add(nid)
    evidences = set(rdf.subjects(RDF.type, IOKG.Evidence)) | set(rdf.subjects(IOKG.quote, None))
    for ev in evidences:
        quote = rdf.value(ev, IOKG.quote)
        docs = [_label(rdf, d) for d in rdf.objects(ev, IOKG.inDocument)]
        targets = {str(s) for s in rdf.objects(ev, IOKG.supports)} | {str(s) for s in rdf.subjects(IOKG.evidence, ev)}
        for value in rdf.objects(ev, IOKG.aboutValue):
            targets |= {str(value)} if str(value) in g else by_label.get(str(value).casefold(), set())
        about = sorted({_about(p) for p in rdf.objects(ev, IOKG.aboutProperty)})
        for nid in (t for t in targets if t in g):
            if quote is not None and str(quote) not in g.nodes[nid]["evidence"]:
                g.nodes[nid]["evidence"].append(str(quote))
            if quote is not None and about:
                facts = g.nodes[nid].setdefault("evidence_facts", {}).setdefault(str(quote), [])
                facts.extend(a for a in about if a not in facts)
            g.nodes[nid]["documents"].update(docs)


ABOUT = {"operatedBy": "operator", "origin": "origin", "target": "target", "targetRegion": "target region",
         "onPlatform": "platform", "removed": "removed", "audience": "audience", "adSpendUSD": "ad spend",
         "discoveredVia": "discovered via", "promotes": "promotes", "attacks": "attacks", "policy": "policy",
         "takedownDate": "date", "earlierTakedown": "earlier takedown", "usesTechnique": "technique"}


def _about(prop: Node) -> str:
    """The fact an evidence sentence supports, in the words of the tooltip."""
    return ABOUT.get(local_name(prop), local_name(prop))


def build_graph(rdf: Graph, include_documents: bool = True, fold: bool = True) -> nx.MultiDiGraph:
    """Turn an iokg RDF graph into a typed MultiDiGraph (edges carry `relation`); with `fold`, the
    networks that are accounts of one operation become that operation's node (see fold_operations)."""
    g = nx.MultiDiGraph()
    networks = set(rdf.subjects(RDF.type, IOKG.Network))  # untyped subjects of network facts count too
    networks |= {s for p in (IOKG.origin, IOKG.target, IOKG.operatedBy, IOKG.promotes, IOKG.attacks)
                 for s in rdf.subjects(p, None) if rdf.value(s, RDF.type) is None}
    for network in sorted(networks, key=str):
        nid = _add_node(g, rdf, network, "network", "network")
        g.nodes[nid]["kind"] = "network"
        g.nodes[nid]["removed"] = _removed(rdf, network)
        for predicate, (relation, fallback) in EDGE_PREDICATES.items():
            for obj in sorted(rdf.objects(network, predicate), key=str):
                if relation == "source":
                    g.nodes[nid]["documents"].add(_label(rdf, obj))
                    if not include_documents:
                        continue
                oid = _add_node(g, rdf, obj, fallback, relation)
                g.add_edge(nid, oid, key=relation, relation=relation)
    _attach_evidence(g, rdf)
    for nid, data in g.nodes(data=True):
        if data["kind"] != "network":  # an entity is backed by the documents of its networks
            for other in nx.all_neighbors(g, nid):
                if g.nodes[other]["kind"] == "network":
                    data["documents"].update(g.nodes[other]["documents"])
        data["networks"] = sum(1 for o in set(nx.all_neighbors(g, nid)) if g.nodes[o]["kind"] == "network")
    _describe_networks(g, rdf)
    if fold:
        fold_operations(g, rdf)
    return g


def _describe_networks(g: nx.MultiDiGraph, rdf: Graph) -> None:
    """Give each network node its takedown period, date and the facts a reader asks first: who ran it,
    against whom, when, and which publisher says so."""
    for nid, data in g.nodes(data=True):
        if data["kind"] != "network":
            continue
        node = URIRef(nid)
        start, end = rdf.value(node, IOKG.periodStart), rdf.value(node, IOKG.periodEnd)
        data["period"] = [str(start), str(end)] if start is not None and end is not None else None
        date = rdf.value(node, IOKG.takedownDate)
        names = {rel: sorted({g.nodes[v]["label"] for _, v, r in g.out_edges(nid, data="relation") if r == rel})
                 for rel in ("operator", "target")}
        publishers = sorted({str(p) for d in rdf.objects(node, PROV.wasDerivedFrom) for p in rdf.objects(d, IOKG.publisher)})
        for name, values in (("operators", names["operator"]), ("targets", names["target"]), ("publisher", publishers)):
            if values:
                data["facts"][name] = ", ".join(values)
        if date is not None:
            basis = str(rdf.value(node, IOKG.dateBasis) or "")
            shown = f"{MONTH_NAMES[int(str(date)[2:4]) - 1]} (year not given)" if str(date).startswith("--") else str(date)
            data["facts"]["date"] = shown + {"document": " (the document's date)",
                                             "document-text": " (the document's takedown date)"}.get(basis, "")


def fold_operations(g: nx.MultiDiGraph, rdf: Graph) -> None:
    """Replace the networks that are accounts of an operation by one operation node: its edges are
    the union of theirs, its figures the largest any source gives, and its `accounts` list each
    source's network (label, documents, figures) so the viewer can unfold them."""
    for op in sorted(set(rdf.subjects(RDF.type, IOKG.Operation)), key=str):
        members = sorted(str(n) for n in rdf.objects(op, IOKG.reportedAs) if str(n) in g)
        if not members:
            continue
        oid = str(op)
        first, last = rdf.value(op, IOKG.firstSeen), rdf.value(op, IOKG.lastSeen)
        facts = {"sources": str(len({d for m in members for d in g.nodes[m]["documents"]}))}
        for key in ("operators", "targets", "publisher"):
            values = sorted({v.strip() for m in members for v in g.nodes[m]["facts"].get(key, "").split(",") if v.strip()})
            if values:
                facts[key] = ", ".join(values)
        if first is not None:
            facts["date"] = str(first)[:7] if str(first)[:7] == str(last)[:7] else f"{first} – {last}"
        else:
            dates = sorted({g.nodes[m]["facts"]["date"] for m in members if g.nodes[m]["facts"].get("date")})
            if dates:
                facts["date"] = "; ".join(dates)
        spends = [int(g.nodes[m]["facts"]["ad spend (USD)"]) for m in members
                  if str(g.nodes[m]["facts"].get("ad spend (USD)", "")).isdigit()]
        if spends:
            facts["ad spend (USD)"] = str(max(spends)) if len(set(spends)) == 1 else f"{min(spends)}–{max(spends)}"
        removed: dict[str, int] = {}
        for m in members:
            for kind, count in g.nodes[m]["removed"].items():
                removed[kind] = max(removed.get(kind, 0), count)
        accounts = [{"label": g.nodes[m]["label"], "documents": sorted(g.nodes[m]["documents"]),
                     "removed": dict(sorted(g.nodes[m]["removed"].items())), "date": g.nodes[m]["facts"].get("date", "")}
                    for m in members]
        g.add_node(oid, kind="operation", category=None, label=_label(rdf, op), facts=facts, removed=removed,
                   documents=set().union(*(g.nodes[m]["documents"] for m in members)),
                   evidence=list(dict.fromkeys(q for m in members for q in g.nodes[m]["evidence"])), accounts=accounts,
                   evidence_facts={q: f for m in members for q, f in g.nodes[m].get("evidence_facts", {}).items()},
                   period=[str(first), str(last)] if first is not None and last is not None else None,
                   networks=len(members))
        for m in members:
            for _, v, rel in list(g.out_edges(m, data="relation")):
                if not g.has_edge(oid, v, key=rel):
                    g.add_edge(oid, v, key=rel, relation=rel)
            for u, _, rel in list(g.in_edges(m, data="relation")):
                if not g.has_edge(u, oid, key=rel):
                    g.add_edge(u, oid, key=rel, relation=rel)
            g.remove_node(m)
    for nid, data in g.nodes(data=True):
        if data["kind"] not in ("network", "operation"):
            data["networks"] = sum(1 for o in set(nx.all_neighbors(g, nid)) if g.nodes[o]["kind"] in ("network", "operation"))


def graph_from_backend(backend, query: str | None = None, include_documents: bool = True) -> nx.MultiDiGraph:
    """The whole union graph of a backend (or the result of a CONSTRUCT `query`) as a MultiDiGraph."""
    whole = backend.query(UNION_QUERY).graph
    if query is None:
        return build_graph(whole, include_documents)
    result = backend.query(query)
    if result.kind != "graph" or result.graph is None:
        raise UsageError("--query must be a CONSTRUCT (or DESCRIBE) query; this one returns " + result.kind)
    drawn = Graph()
    for triple in result.graph:
        drawn.add(triple)
    for subject in set(result.graph.subjects()) | {o for o in result.graph.objects() if isinstance(o, URIRef)}:
        for predicate in (RDF.type, *LABEL_PREDICATES, IOKG.alpha2, IOKG.category):  # names and kinds only
            for value in whole.objects(subject, predicate):
                drawn.add((subject, predicate, value))
    return build_graph(drawn, include_documents)


def find_nodes(g: nx.MultiDiGraph, name: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """Ids of the nodes whose label, country code or IRI is `name` (case-insensitive; all that share it),
    else of the one node whose label contains it; otherwise a UsageError listing what exists."""
    wanted = name.strip().casefold()
    candidates = [n for n, d in g.nodes(data=True) if kinds is None or d["kind"] in kinds]
    exact = sorted(n for n in candidates if wanted in (n.casefold(), g.nodes[n]["label"].casefold(),
                                                       g.nodes[n]["facts"].get("country code", "").casefold()))
    if exact:
        return exact
    partial = sorted(n for n in candidates if wanted in g.nodes[n]["label"].casefold())
    if len(partial) == 1:
        return partial
    if partial:
        names = ", ".join(sorted({g.nodes[n]["label"] for n in partial})[:10])
        raise UsageError(f"{name!r} matches several entities: {names}; give the full name")
    what = "/".join(kinds) if kinds else "entity"
    names = ", ".join(sorted({g.nodes[n]["label"] for n in candidates})[:20])
    raise UsageError(f"no {what} named {name!r}; known: {names or 'none'}")


def neighbourhood(g: nx.MultiDiGraph, centres: list[str], hops: int) -> nx.MultiDiGraph:
    """The subgraph within `hops` edges of any of `centres`, ignoring edge direction."""
    if hops < 0:
        raise UsageError(f"--hops must be 0 or more, not {hops}")
    undirected = g.to_undirected(as_view=True)
    keep = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=hops))
    return g.subgraph(keep).copy()


def networks_around(g: nx.MultiDiGraph, entities: list[str], relations: tuple[str, ...]) -> nx.MultiDiGraph:
    """The networks linked to `entities` by one of `relations`, with everything those networks link to."""
    networks = {u for e in entities for u, _, r in g.in_edges(e, data="relation") if r in relations}
    keep = networks | set(entities)
    for network in networks:
        keep.update(g.successors(network))
    return g.subgraph(keep).copy()


def select(g: nx.MultiDiGraph, focus: str | None = None, hops: int = 1, country: str | None = None,
           operator: str | None = None) -> nx.MultiDiGraph:
    """Apply the diagram selections in order: country, operator, then the neighbourhood of `focus`."""
    if country:
        g = networks_around(g, find_nodes(g, country, ("country",)), ("origin", "target"))
    if operator:
        g = networks_around(g, find_nodes(g, operator, ("organisation",)), ("operator",))
    if focus:
        g = neighbourhood(g, find_nodes(g, focus), hops)
    return g


def flat_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are plain strings and numbers, as GraphML and GEXF require."""
    flat = nx.MultiDiGraph()
    for nid, d in g.nodes(data=True):
        attrs = {"label": d["label"], "kind": d["kind"], "category": d.get("category") or "",
                 "networks": int(d.get("networks", 0)), "removed_total": int(sum(d["removed"].values())),
                 "documents": "; ".join(sorted(d["documents"]))}
        attrs.update({f"removed_{k}": int(v) for k, v in d["removed"].items()})
        flat.add_node(nid, **attrs)
    for u, v, k, d in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, relation=d["relation"], label=d["relation"])
    return flat


def write_network_file(rdf: Graph, fmt: str, out: str | Path | BinaryIO) -> None:
    """Write the graph as GraphML or GEXF (for Gephi, yEd, Cytoscape) to a path or a binary stream."""
    if fmt not in NETWORK_FILE_FORMATS:
        raise UsageError(f"unknown network file format {fmt!r}; valid: {', '.join(NETWORK_FILE_FORMATS)}")
    flat = flat_copy(build_graph(rdf))
    target = str(out) if isinstance(out, (str, Path)) else out
    if fmt == "graphml":
        nx.write_graphml(flat, target)
    else:
        nx.write_gexf(flat, target)


def read_query(path: str | Path) -> str:
    """The text of a SPARQL query file, or a one-line error naming the file."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read query file ({getattr(error, 'strerror', None) or error})") from None
