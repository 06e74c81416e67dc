"""Measure the operation merge against a reference built from takedown JSON (gold or extracted).

The reference says two networks of different documents are one operation when their origins are
the same countries, their takedown periods fall in the same quarter and their operators share a
name or alias (when one side names none, their targets must overlap instead), on a common platform. The merge under test scores far more (targets,
platforms, figures, dates to the day) with its own rules; `pairwise` gives precision and recall over
pairs of networks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from kg.graph.operations import NetFacts, cluster
from kg.names import fold
from kg.read.dates import interval

FIGURE_KEYS = {("removed", k): k for k in ("facebook_accounts", "pages", "groups", "instagram_accounts", "events")}
FIGURE_KEYS.update({("followers", "pages"): "page_followers", ("followers", "groups"): "group_members",
                    ("followers", "instagram"): "instagram_followers"})


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    true_pairs: int
    merged_pairs: int


def facts_from_json(source: str, network: dict, index: int, date: str | None) -> NetFacts:
    """NetFacts of one takedown-JSON network (gold or `iokg extract` output), dated `date`."""
    figures = {name: network.get(part, {}).get(key) for (part, key), name in FIGURE_KEYS.items()}
    figures["ad_spend_usd"] = network.get("ad_spend_usd")
    span = interval(date) if date else None
    operators = tuple(sorted((op["name"], frozenset(fold(n) for n in (op["name"], *op.get("aliases", ()))))
                             for op in network.get("operators", [])))
    return NetFacts(iri=f"{source}#{index}", document=source, origin=frozenset(network.get("origin") or ()),
                    targets=frozenset(network.get("targets") or ()), platforms=frozenset(network.get("platforms") or ()),
                    operators=operators, discovered=frozenset(network.get("discovered_via") or ()),
                    figures={k: v for k, v in figures.items() if v is not None},
                    start=span[0] if span else None, end=span[1] if span else None, basis="document")


def reference_key(n: NetFacts) -> tuple:
    """Operator names, origin and quarter: the reference identity of a takedown."""
    quarter = f"{n.start.year}-Q{(n.start.month - 1) // 3 + 1}" if n.start else None
    return (frozenset().union(*(keys for _, keys in n.operators)) if n.operators else None, n.origin, quarter)


def same_in_reference(x: NetFacts, y: NetFacts) -> bool:
    kx, ky = reference_key(x), reference_key(y)
    if x.document == y.document or not x.origin or kx[2] is None or kx[1:] != ky[1:]:
        return False
    if x.platforms and y.platforms and not x.platforms & y.platforms:
        return False  # one platform's takedown is not another's
    if kx[0] and ky[0]:
        return bool(kx[0] & ky[0])
    # an operator named by one side only, or by neither: the targets stand in for who ran it
    return bool(x.targets & y.targets)


def pairwise(networks: list[NetFacts]) -> Score:
    """Pairwise precision and recall of `cluster` against the reference."""
    groups, _ = cluster(networks)
    owner = {n.iri: i for i, group in enumerate(groups) for n in group}
    truth = {(x.iri, y.iri) for x, y in combinations(sorted(networks, key=lambda n: n.iri), 2) if same_in_reference(x, y)}
    merged = {(x.iri, y.iri) for x, y in combinations(sorted(networks, key=lambda n: n.iri), 2) if owner[x.iri] == owner[y.iri]}
    hits = len(truth & merged)
    return Score(hits / len(merged) if merged else 1.0, hits / len(truth) if truth else 1.0, len(truth), len(merged))


def gold_networks(gold_dir: Path, corpus_dir: Path, dates: dict[str, dict[int, str]] | None = None) -> list[NetFacts]:
    """The required gold networks of a folder, dated by `dates` (source → one date per network, e.g.
    the dates iokg finds for the matching extracted networks) or else by the document's takedown date."""
    from kg.extract.dates import document_takedown_date
    from kg.read.document import read_document

    found = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = gold["source"]
        document = read_document(corpus_dir / source)
        fallback = document_takedown_date(document.text, document.date)
        default = fallback.value if fallback and interval(fallback.value) else document.date
        for index, network in enumerate(gold["networks"], 1):
            if network.get("optional"):
                continue
            date = (dates or {}).get(source, {}).get(index) or default
            found.append(facts_from_json(source, network, index, date))
    return found
