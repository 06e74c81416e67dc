"""Operations: the networks of different documents that tell one takedown, joined by a scored match.

`score_pair` compares two networks (operators, origin, targets, platforms, dates, figures) under the
rules of kg/data/operation_rules.jsonl and says why; `cluster` joins pairs over the threshold, best
first, never two networks of one document; `refresh_operations` reads every network of the store,
clusters them and replaces the operations graph. The input is sorted, so ingest order never
changes the result.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.data import load_jsonl

FIGURES = ("facebook_accounts", "pages", "groups", "instagram_accounts", "events",
           "page_followers", "group_members", "instagram_followers", "ad_spend_usd")


@dataclass(frozen=True)
class NetFacts:
    """What the matcher compares of one network (read from the store or built from a takedown JSON)."""

    iri: str
    document: str
    label: str = ""
    origin: frozenset = frozenset()
    targets: frozenset = frozenset()
    platforms: frozenset = frozenset()
    operators: tuple[tuple[str, frozenset], ...] = ()  # (display name, lower-case names and aliases)
    discovered: frozenset = frozenset()
    figures: dict = field(default_factory=dict, hash=False, compare=False)
    start: date | None = None
    end: date | None = None
    month: int | None = None  # the month of a date without its year (--MM)
    basis: str | None = None
    earlier: tuple[str, ...] = ()
    publisher: str | None = None


@dataclass(frozen=True)
class Match:
    """Two networks, their score and the reasons (one per rule that fired)."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    veto: bool = False


def rules() -> dict[str, dict]:
    """The matching rules by name (kg/data/operation_rules.jsonl)."""
    return {row["rule"]: row for row in load_jsonl("operation_rules")}


def score_pair(x: NetFacts, y: NetFacts, table: dict[str, dict] | None = None) -> Match:
    """How strongly two networks of different documents look like one takedown, and why."""
    table = table or rules()
    score, reasons = 0.0, []

    def fire(rule: str, detail: str, weight: float | None = None) -> None:
        nonlocal score
        w = table[rule]["weight"] if weight is None else weight
        score += w
        reasons.append(f"{rule}: {detail} ({w:+g})")

    shared_ops = sorted(nx for nx, kx in x.operators for _, ky in y.operators if kx & ky)
    if shared_ops:
        fire("operator-shared", ", ".join(dict.fromkeys(shared_ops)))
    elif x.operators and y.operators:
        fire("operator-differ", f"{_names(x)} / {_names(y)}")
    if x.origin and y.origin:
        if x.origin == y.origin:
            fire("origin-same", " ".join(sorted(x.origin)))
        elif x.origin & y.origin:
            fire("origin-overlap", " ".join(sorted(x.origin & y.origin)))
        else:
            return Match(x.iri, y.iri, float("-inf"), (f"origin-differ: {_codes(x.origin)} / {_codes(y.origin)}",), True)
    if x.targets and y.targets:
        common = x.targets & y.targets
        if len(common) / len(x.targets | y.targets) >= table["targets-similar"]["min_jaccard"]:
            fire("targets-similar", " ".join(sorted(common)))
        elif common:
            fire("targets-overlap", " ".join(sorted(common)))
        else:
            fire("targets-differ", f"{_codes(x.targets)} / {_codes(y.targets)}")
    if x.platforms & y.platforms:
        fire("platform-overlap", ", ".join(sorted(x.platforms & y.platforms)))
    veto = _dates(x, y, table, fire)
    if veto:
        return Match(x.iri, y.iri, float("-inf"), tuple(reasons) + (veto,), True)
    _figures(x, y, table, fire)
    if x.discovered & y.discovered:
        fire("discovery-shared", ", ".join(sorted(x.discovered & y.discovered)))
    return Match(x.iri, y.iri, round(score, 2), tuple(reasons))


def _dates(x: NetFacts, y: NetFacts, table: dict, fire) -> str | None:
    """Fire the date rule that applies; return a veto reason when the periods are too far apart."""
    if x.start and y.start:
        gap = max((x.start - y.end).days, (y.start - x.end).days, 0)
        longest = max((x.end - x.start).days, (y.end - y.start).days)
        if gap <= table["date-agree"]["max_gap_days"] and longest > table["date-coarse"]["min_days"]:
            fire("date-coarse", f"{x.start:%Y-%m}…{x.end:%Y-%m} / {y.start:%Y-%m}…{y.end:%Y-%m}")
        elif gap <= table["date-agree"]["max_gap_days"]:
            fire("date-agree", f"{x.start:%Y-%m} / {y.start:%Y-%m}")
        elif gap <= table["date-near"]["max_gap_days"]:
            fire("date-near", f"{gap} days apart")
        else:
            return f"date-differ: {x.start:%Y-%m} / {y.start:%Y-%m}, {gap} days apart"
        return None
    mx = x.month or (x.start.month if x.start and x.start.month == x.end.month else None)
    my = y.month or (y.start.month if y.start and y.start.month == y.end.month else None)
    if mx and my:
        if mx != my:
            return f"date-differ: month {mx} / month {my}"
        fire("month-agree", f"month {mx}")
    else:
        fire("date-unknown", "no takedown date on one side")
    return None


def _figures(x: NetFacts, y: NetFacts, table: dict, fire) -> None:
    plus, minus = 0.0, 0.0
    for key in FIGURES:
        a, b = x.figures.get(key), y.figures.get(key)
        if a is None or b is None:
            continue
        if a == b:
            w = min(table["figure-equal"]["weight"], table["figure-equal"]["cap"] - plus)
            plus += w
            fire("figure-equal", f"{key} {a}", w) if w > 0 else None
        elif abs(a - b) <= table["figure-close"]["max_ratio"] * max(a, b):
            fire("figure-close", f"{key} {a} / {b}")
        else:
            w = max(table["figure-differ"]["weight"], table["figure-differ"]["cap"] - minus)
            minus += w
            fire("figure-differ", f"{key} {a} / {b}", w) if w < 0 else None


def _names(n: NetFacts) -> str:
    return ", ".join(name for name, _ in n.operators)


def _codes(codes: frozenset) -> str:
    return " ".join(sorted(codes))


def cluster(networks: list[NetFacts], table: dict[str, dict] | None = None) -> tuple[list[list[NetFacts]], list[Match]]:
    """Operations as lists of networks, and the matches that joined them.

    Pairs of different documents scoring at least the threshold are joined best first (ties by IRI);
    a join that would put two networks of one document together, or two networks whose own match is
    vetoed (different origins, periods months apart), is skipped: chains never bridge a veto. Sorted
    input and tie-breaks make the result independent of the order networks were ingested.
    """
    table = table or rules()
    nets = sorted(networks, key=lambda n: n.iri)
    threshold = table["threshold"]["value"]
    candidates: list[Match] = []
    vetoed: set[tuple[str, str]] = set()
    compared: set[tuple[str, str]] = set()  # pairs are (smaller IRI, larger IRI): nets are sorted
    for x, y in candidate_pairs(nets):
        if x.document == y.document:
            continue
        found = score_pair(x, y, table)
        if found.veto:
            vetoed.add((x.iri, y.iri))
        elif found.score >= threshold:
            candidates.append(found)
        compared.add((x.iri, y.iri))
    candidates.sort(key=lambda m: (-m.score, m.a, m.b))
    parent = {n.iri: n.iri for n in nets}
    docs = {n.iri: {n.document} for n in nets}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    members = {n.iri: [n.iri] for n in nets}

    def forbidden(ra: str, rb: str) -> bool:
        """Two operations never join when any pair across them was vetoed, or was not even compared
        (blocking leaves out only pairs whose origins or periods rule them out)."""
        for a in members[ra]:
            for b in members[rb]:
                pair = (a, b) if a < b else (b, a)
                if pair in vetoed or pair not in compared:
                    return True
        return False

    used = []
    for found in candidates:
        ra, rb = root(found.a), root(found.b)
        if ra == rb or docs[ra] & docs[rb] or forbidden(ra, rb):
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        docs[keep] |= docs.pop(drop)
        members[keep] += members.pop(drop)
        used.append(found)
    groups: dict[str, list[NetFacts]] = defaultdict(list)
    for n in nets:
        groups[root(n.iri)].append(n)
    return sorted(groups.values(), key=lambda g: g[0].iri), used


def candidate_pairs(nets: list[NetFacts], table: dict[str, dict] | None = None):
    """The pairs worth scoring, each once in a fixed order. Blocking never drops a pair that could
    join: two known, disjoint origins are vetoed, and so are two periods further apart than the
    date-near window; so dated networks are compared within their origin and that window only, and
    networks without an origin or a date with every candidate of their origin (or all)."""
    table = table or rules()
    window = timedelta(days=table["date-near"]["max_gap_days"])
    buckets: dict[str, list[int]] = defaultdict(list)
    open_ended = [i for i, n in enumerate(nets) if not n.origin]
    for i, n in enumerate(nets):
        for code in n.origin:
            buckets[code].append(i)
    pairs = set()
    for members in buckets.values():
        dated = sorted((i for i in members if nets[i].start), key=lambda i: (nets[i].start, i))
        undated = [i for i in members if not nets[i].start]
        for a, i in enumerate(dated):
            for j in dated[a + 1:]:
                if nets[j].start > nets[i].end + window:  # sorted by start: every later one is further
                    break
                pairs.add((min(i, j), max(i, j)))
        pairs |= {(min(i, j), max(i, j)) for i in undated for j in members if i != j}
    pairs |= {(min(i, j), max(i, j)) for i in open_ended for j in range(len(nets)) if i != j}
    for i, j in sorted(pairs):
        yield nets[i], nets[j]


def continues_links(groups: list[list[NetFacts]], table: dict[str, dict] | None = None) -> list[tuple[int, int, str]]:
    """(later, earlier, date) index pairs: an operation whose accounts name an earlier takedown date
    continues the operation of the same origin whose period lies within the window of that date."""
    from kg.read.dates import interval

    table = table or rules()
    window = table["continues-window"]["max_gap_days"]
    links = []
    for i, group in enumerate(groups):
        origin = frozenset().union(*(n.origin for n in group))
        for when in sorted({w for n in group for w in n.earlier}):
            span = interval(when)
            if span is None:
                continue
            for j, other in enumerate(groups):
                starts = [n for n in other if n.start and n.origin & origin]
                if j != i and any(max((span[0] - n.end).days, (n.start - span[1]).days, 0) <= window for n in starts):
                    links.append((i, j, when))
    return sorted(set(links))
