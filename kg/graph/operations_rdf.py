"""The operations graph: read every network of a store, cluster them (kg.graph.operations), write
the operations with their accounts, dates, matches and continues links into one named graph.

`refresh_operations(backend)` runs after each ingest over the whole store, so the result depends on
what is stored, not on the order it came in. Works on any Backend (embedded or endpoint).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.graph.iris import OPERATIONS_GRAPH, digest
from kg.graph.operations import NetFacts, cluster, continues_links, rules
from kg.graph.vocab import ID, IOKG

PREFIX = "PREFIX iokg: <https://w3id.org/iokg/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
         "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
FIGURE_PROPS = {"facebook_accounts": "removedFacebookAccounts", "pages": "removedPages", "groups": "removedGroups",
                "instagram_accounts": "removedInstagramAccounts", "events": "removedEvents",
                "page_followers": "audiencePageFollowers", "group_members": "audienceGroupMembers",
                "instagram_followers": "audienceInstagramFollowers", "ad_spend_usd": "adSpendUSD"}
QUERIES = {
    "base": "SELECT ?n ?doc ?label ?pub WHERE { ?n a iokg:Network ; prov:wasDerivedFrom ?doc ; rdfs:label ?label "
            "OPTIONAL { ?doc iokg:publisher ?pub } }",
    "time": "SELECT ?n ?start ?end ?date ?basis WHERE { ?n a iokg:Network ; iokg:takedownDate ?date "
            "OPTIONAL { ?n iokg:periodStart ?start ; iokg:periodEnd ?end } OPTIONAL { ?n iokg:dateBasis ?basis } }",
    "origin": "SELECT ?n ?v WHERE { ?n a iokg:Network ; iokg:origin/iokg:alpha2 ?v }",
    "targets": "SELECT ?n ?v WHERE { ?n a iokg:Network ; iokg:target/iokg:alpha2 ?v }",
    "platforms": "SELECT ?n ?v WHERE { ?n a iokg:Network ; iokg:onPlatform/rdfs:label ?v }",
    "discovered": "SELECT ?n ?v WHERE { ?n a iokg:Network ; iokg:discoveredVia/rdfs:label ?v }",
    "operators": "SELECT ?n ?op ?name ?key WHERE { ?n a iokg:Network ; iokg:operatedBy ?op . ?op rdfs:label ?name "
                 "OPTIONAL { ?op iokg:nameKey ?key } }",
    "earlier": "SELECT ?n ?v WHERE { ?n a iokg:Network ; iokg:earlierTakedown ?v }",
    "figures": "SELECT ?n ?p ?v WHERE { VALUES ?p { %s } ?n a iokg:Network ; ?p ?v }" % " ".join(
        f"iokg:{p}" for p in FIGURE_PROPS.values()),
}


def store_facts(backend) -> list[NetFacts]:
    """Every network of the store as NetFacts (a few whole-store queries, no per-network lookups)."""
    rows = {name: backend.query(PREFIX + text).rows for name, text in QUERIES.items()}
    base: dict[str, dict] = {}
    for row in rows["base"]:
        base.setdefault(str(row["n"]), {"document": str(row["doc"]), "label": str(row["label"]),
                                        "publisher": str(row["pub"]) if row.get("pub") else None})
    sets: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for name in ("origin", "targets", "platforms", "discovered", "earlier"):
        for row in rows[name]:
            sets[str(row["n"])][name].add(str(row["v"]))
    ops: dict[str, dict[str, tuple[str, set]]] = defaultdict(dict)
    for row in rows["operators"]:
        entry = ops[str(row["n"])].setdefault(str(row["op"]), (str(row["name"]), {str(row["name"]).lower()}))
        if row.get("key"):
            entry[1].add(str(row["key"]))
    figures: dict[str, dict] = defaultdict(dict)
    by_prop = {v: k for k, v in FIGURE_PROPS.items()}
    for row in rows["figures"]:
        figures[str(row["n"])][by_prop[str(row["p"]).rsplit("#", 1)[-1]]] = int(row["v"])
    times = {str(row["n"]): row for row in rows["time"]}
    facts = []
    for iri, info in base.items():
        s, t = sets[iri], times.get(iri, {})
        raw = str(t.get("date", ""))
        facts.append(NetFacts(
            iri=iri, document=info["document"], label=info["label"], publisher=info["publisher"],
            origin=frozenset(s["origin"]), targets=frozenset(s["targets"]), platforms=frozenset(s["platforms"]),
            operators=tuple(sorted((name, frozenset(keys)) for name, keys in ops[iri].values())),
            discovered=frozenset(s["discovered"]), figures=dict(figures[iri]),
            start=_day(t.get("start")), end=_day(t.get("end")),
            month=int(raw[2:4]) if raw.startswith("--") else None, basis=str(t["basis"]) if t.get("basis") else None,
            earlier=tuple(sorted(s["earlier"]))))
    return facts


def _day(term) -> date | None:
    try:
        return date.fromisoformat(str(term)) if term is not None else None
    except ValueError:
        return None


def operation_iri(group: list[NetFacts]) -> URIRef:
    """Named by its accounts: the same networks always give the same operation IRI."""
    return ID[f"operation/{digest(*sorted(n.iri for n in group))}"]


def operation_label(group: list[NetFacts]) -> str:
    """'CLS Strategies · US → VE, MX, BO · Aug 2020': who, from where, against whom, when."""
    ops = list(dict.fromkeys(name for n in group for name, _ in n.operators))
    origin = sorted(set().union(*(n.origin for n in group)))
    targets = list(dict.fromkeys(t for n in sorted(group, key=lambda n: -len(n.targets)) for t in sorted(n.targets)))
    who = ", ".join(ops[:2]) + (" +" if len(ops) > 2 else "") if ops else "Unattributed"
    where = " ".join(origin) or "?"
    if targets:
        where += " → " + ", ".join(targets[:4]) + (" …" if len(targets) > 4 else "")
    when = _when(group)
    return " · ".join(part for part in (who, where, when) if part)


def _when(group: list[NetFacts]) -> str:
    starts = sorted(n.start for n in group if n.start)
    if starts:
        text_based = [n for n in group if n.start and n.basis != "document"] or [n for n in group if n.start]
        best = min(text_based, key=lambda n: ((n.end - n.start).days, n.start))
        if best.start.month == best.end.month or (best.end - best.start).days < 40:
            return best.start.strftime("%b %Y")
        if (best.end - best.start).days < 100:
            return f"Q{(best.start.month - 1) // 3 + 1} {best.start.year}"
        return str(best.start.year)
    months = [n.month for n in group if n.month]
    return date(2000, months[0], 1).strftime("%b") if months else ""


def operations_graph(facts: list[NetFacts]) -> Graph:
    """The operations graph of these networks: one Operation per cluster with its accounts, period,
    label, source count, matches (score and reasons) and continues links."""
    table = rules()
    groups, matches = cluster(facts, table)
    graph = Graph()
    iris = [operation_iri(g) for g in groups]
    owner = {n.iri: iris[i] for i, g in enumerate(groups) for n in g}
    for iri, group in zip(iris, groups):
        graph.add((iri, RDF.type, IOKG.Operation))
        graph.add((iri, RDFS.label, Literal(operation_label(group))))
        graph.add((iri, IOKG.sourceCount, Literal(len({n.document for n in group}))))
        for n in group:
            graph.add((iri, IOKG.reportedAs, URIRef(n.iri)))
            graph.add((URIRef(n.iri), IOKG.accountOf, iri))
        starts, ends = [n.start for n in group if n.start], [n.end for n in group if n.end]
        if starts:
            graph.add((iri, IOKG.firstSeen, Literal(min(starts).isoformat(), datatype=XSD.date)))
            graph.add((iri, IOKG.lastSeen, Literal(max(ends).isoformat(), datatype=XSD.date)))
    for found in matches:
        node = ID[f"match/{digest(found.a, found.b)}"]
        graph.add((owner[found.a], IOKG.match, node))
        graph.add((node, RDF.type, IOKG.Match))
        graph.add((node, IOKG.matched, URIRef(found.a)))
        graph.add((node, IOKG.matched, URIRef(found.b)))
        score = f"{found.score:.2f}".rstrip("0")  # canonical xsd:decimal (13.5, 13.0), as stores write it back
        graph.add((node, IOKG.score, Literal(score + "0" if score.endswith(".") else score, datatype=XSD.decimal)))
        for reason in found.reasons:
            graph.add((node, IOKG.reason, Literal(reason)))
    for later, earlier, _ in continues_links(groups, table):
        graph.add((iris[later], IOKG.continues, iris[earlier]))
    return graph


def _values(graph: Graph) -> set:
    """Triples compared by value (a store may write 13.50 back as 13.5)."""
    return {(s, p, (o.datatype, o.toPython()) if isinstance(o, Literal) else o) for s, p, o in graph}


def refresh_operations(backend) -> tuple[int, int]:
    """Recompute the operations over every network of the store and replace the operations graph
    when they changed; returns (operations, triples written: 0 when nothing changed)."""
    from kg.graph.rdf import to_ntriples

    graph = operations_graph(store_facts(backend))
    count = len(set(graph.subjects(RDF.type, IOKG.Operation)))
    stored = backend.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{OPERATIONS_GRAPH}> {{ ?s ?p ?o }} }}").graph
    if stored is not None and _values(stored) == _values(graph):
        return count, 0
    if len(graph):
        backend.put_graph(str(OPERATIONS_GRAPH), to_ntriples(graph))
    else:
        backend.delete_graph(str(OPERATIONS_GRAPH))
    return count, len(graph)
