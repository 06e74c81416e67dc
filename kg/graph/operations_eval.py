"""Measure the operation merge against a reference built from takedown JSON (gold or extracted).

The reference says two networks of different documents are one operation when their origins are
the same countries, their takedown periods lie within a quarter of each other and their operators share a
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
from kg.graph.names import fold
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
    month = int(date[2:4]) if date and date.startswith("--") else None
    operators = tuple(sorted((op["name"], frozenset(fold(n) for n in (op["name"], *op.get("aliases", ()))))
                             for op in network.get("operators", [])))
    return NetFacts(iri=f"{source}#{index}", document=source, origin=frozenset(network.get("origin") or ()),
                    targets=frozenset(network.get("targets") or ()), platforms=frozenset(network.get("platforms") or ()),
                    operators=operators, discovered=frozenset(network.get("discovered_via") or ()),
                    figures={k: v for k, v in figures.items() if v is not None},
                    start=span[0] if span else None, end=span[1] if span else None, month=month, basis="document")


PERIOD_DAYS = 92  # one quarter: a takedown and a report of it published the next quarter are one period


def reference_key(n: NetFacts) -> tuple:
    """Operator names, origin and period: the reference identity of a takedown."""
    period = (n.start, n.end) if n.start else None
    return (frozenset().union(*(keys for _, keys in n.operators)) if n.operators else None, n.origin, period)


def same_period(a: tuple | None, b: tuple | None) -> bool:
    """Periods at most a quarter apart (calendar quarters would split a takedown from its report)."""
    return a is not None and b is not None and max((a[0] - b[1]).days, (b[0] - a[1]).days, 0) <= PERIOD_DAYS


def same_in_reference(x: NetFacts, y: NetFacts) -> bool:
    kx, ky = reference_key(x), reference_key(y)
    if x.document == y.document or not x.origin or kx[1] != ky[1] or not same_period(kx[2], ky[2]):
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


def gold_networks(gold_dir: Path, corpus_dir: Path, dates: dict[str, dict[int, str]] | None = None,
                  optional: bool = False) -> list[NetFacts]:
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
        default = fallback.value if fallback else document.date
        for index, network in enumerate(gold["networks"], 1):
            if network.get("optional") and not optional:
                continue
            date = (dates or {}).get(source, {}).get(index) or default
            found.append(facts_from_json(source, network, index, date))
    return found


def facts_from_network(source: str, network) -> NetFacts:
    """NetFacts of an extracted kg.graph.model.Network (with its takedown date)."""
    figures = {name: (network.followers if part == "followers" else network.removed).get(key)
               for (part, key), name in FIGURE_KEYS.items()}
    figures["ad_spend_usd"] = network.ad_spend_usd
    found = network.date
    span = interval(found.value) if found else None
    month = int(found.value[2:4]) if found and found.value.startswith("--") else None
    operators = tuple(sorted((op.name, frozenset(fold(n) for n in (op.name, *op.aliases))) for op in network.operators))
    return NetFacts(iri=f"{source}#{network.index}", document=source, origin=frozenset(network.origin),
                    targets=frozenset(network.targets or ()), platforms=frozenset(network.platforms),
                    operators=operators, discovered=frozenset(network.discovered_via),
                    figures={k: v for k, v in figures.items() if v is not None},
                    start=span[0] if span else None, end=span[1] if span else None, month=month,
                    basis=found.basis if found else None)


def align(extracted: list[NetFacts], gold: list[NetFacts]) -> dict[str, str]:
    """Extracted network → the gold network of the same document it describes (greedy, best overlap of
    origin, targets, operators and figures first; unmatched networks are left out)."""
    def overlap(x: NetFacts, y: NetFacts) -> float:
        names = {k for _, ks in x.operators for k in ks} & {k for _, ks in y.operators for k in ks}
        figures = sum(1 for k, v in x.figures.items() if y.figures.get(k) == v)
        return 2 * len(x.origin & y.origin) + len(x.targets & y.targets) + 2 * bool(names) + figures

    pairs = sorted(((overlap(x, y), x.iri, y.iri) for x in extracted for y in gold if x.document == y.document),
                   key=lambda t: (-t[0], t[1], t[2]))
    found, used = {}, set()
    for score, x, y in pairs:
        if score >= 2 and x not in found and y not in used:
            found[x] = y
            used.add(y)
    return found


def pairwise_against(networks: list[NetFacts], truth_of: dict[str, str], reference: list[NetFacts]) -> Score:
    """Precision and recall of `cluster` on `networks` (e.g. extracted ones) against the reference
    relation of the gold networks they align to (`truth_of`); unaligned networks are never truly joined."""
    groups, _ = cluster(networks)
    owner = {n.iri: i for i, group in enumerate(groups) for n in group}
    by_iri = {n.iri: n for n in reference}
    nets = sorted(networks, key=lambda n: n.iri)
    truth, merged = set(), set()
    for x, y in combinations(nets, 2):
        gx, gy = truth_of.get(x.iri), truth_of.get(y.iri)
        if gx and gy and same_in_reference(by_iri[gx], by_iri[gy]):
            truth.add((x.iri, y.iri))
        if owner[x.iri] == owner[y.iri]:
            merged.add((x.iri, y.iri))
    hits = len(truth & merged)
    return Score(hits / len(merged) if merged else 1.0, hits / len(truth) if truth else 1.0, len(truth), len(merged))


def dated_by(gold: list[NetFacts], extracted: list[NetFacts], mapping: dict[str, str]) -> list[NetFacts]:
    """The gold networks, each dated as iokg dates the extracted network aligned to it (the document's
    date where none aligns): the gold has no dates, the merge needs them."""
    from dataclasses import replace

    by_iri = {n.iri: n for n in extracted}
    date_of = {g: by_iri[x] for x, g in mapping.items() if by_iri[x].start or by_iri[x].month}
    return [replace(n, start=date_of[n.iri].start, end=date_of[n.iri].end, month=date_of[n.iri].month,
                    basis=date_of[n.iri].basis) if n.iri in date_of else n for n in gold]
