"""Training the extractor's learned decisions from documents with gold answers.

The gold (takedown JSON per document) is aligned to the units automatically: a unit belongs to the
gold network whose counts, operator names and countries it shares most (and uniquely). A unit opens
a network when it belongs to one and the previous unit with takedown evidence in its section did not;
a country mention's role is read off the network its unit belongs to. scikit-learn fits the models
(it is needed only here, not to run iokg); the result is an ExtractorModel written as JSON.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass

from kg.extract.features import apply_place_model, iter_anchor_features, place_features
from kg.extract.learn import ExtractorModel, LinearModel
from kg.extract.units import Unit

MIN_FEATURE_COUNT = 2
PLACE_CLASSES = ("none", "origin", "target", "both")


@dataclass(frozen=True)
class GoldNet:
    """What alignment needs of one gold network."""

    counts: frozenset
    names: tuple[str, ...]
    origin: frozenset
    targets: frozenset
    optional: bool


def gold_nets(gold: dict) -> list[GoldNet]:
    out = []
    for net in gold.get("networks", []):
        counts = {v for group in ("removed", "followers") for v in (net.get(group) or {}).values() if v}
        if net.get("ad_spend_usd"):
            counts.add(net["ad_spend_usd"])
        names = [n for op in net.get("operators") or [] for n in (op.get("name"), *(op.get("aliases") or [])) if n]
        out.append(GoldNet(frozenset(counts), tuple(n for n in names if len(n) >= 3), frozenset(net.get("origin") or ()),
                           frozenset(net.get("targets") or ()),
                           bool(net.get("optional"))))
    return out


def _score(unit: Unit, net: GoldNet) -> int:
    counts = {q.value for q in unit.quantities}
    codes = {p.code for p in unit.places if p.code}
    text = unit.text.lower()
    named = any(re.search(rf"\b{re.escape(n.lower())}\b", text) for n in net.names)
    return (3 * len(counts & net.counts) + (3 if named else 0) + 2 * len(codes & net.origin)
            + len(codes & (net.targets - net.origin)))


def align(units: list[Unit], nets: list[GoldNet]) -> list[int | None]:
    """The gold network each unit belongs to (None: none, or no clear winner)."""
    out: list[int | None] = []
    for unit in units:
        scored = sorted(((_score(unit, n), k) for k, n in enumerate(nets)), reverse=True)
        best = scored[0] if scored else (0, None)
        second = scored[1][0] if len(scored) > 1 else 0
        out.append(best[1] if best[0] >= 2 and best[0] > second else None)
    return out


def has_evidence(unit: Unit) -> bool:
    """Takedown evidence: a removal, removed counts, an operator, an origin, a label or heading line."""
    return bool("removal" in unit.cues or unit.removed or unit.operators() or unit.origins or unit.heading)


def anchor_examples(units: list[Unit], nets: list[GoldNet]) -> list[tuple[list[str], int]]:
    """(features, opens-a-network) per unit; units of optional networks are left out."""
    aligned = align(units, nets)
    examples, previous, section = [], None, None
    for (unit, features), k in zip(iter_anchor_features(units), aligned):
        if unit.section != section:
            previous, section = None, unit.section
        if k is not None and nets[k].optional:
            continue
        opens = k is not None and has_evidence(unit) and k != previous
        if k is not None and has_evidence(unit):
            previous = k
        examples.append((features, int(opens)))
    return examples


def place_examples(units: list[Unit], nets: list[GoldNet]) -> list[tuple[list[str], str]]:
    """(features, role) per country mention, labelled from the gold network of its unit (or 'none' when
    no gold network has that country)."""
    aligned = align(units, nets)
    named = {c for n in nets for c in n.origin | n.targets}
    examples = []
    for unit, k in zip(units, aligned):
        for place in unit.places:
            if place.kind in ("macro", "region") or (k is None and place.code in named):
                continue  # a country some network has, in a unit that belongs to none: no clear label
            role = "none"
            if k is not None and place.code:
                net = nets[k]
                role = PLACE_CLASSES[(place.code in net.origin) + 2 * (place.code in net.targets)]
            examples.append((place_features(unit, place, units), role))
    return examples


def fit(examples: list[tuple[list[str], object]], classes: tuple[str, ...] | None, c: float) -> LinearModel:
    """Fit a logistic regression on string features seen at least MIN_FEATURE_COUNT times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in examples for f in set(feats))
    rows = [{f: 1 for f in feats if counts[f] >= MIN_FEATURE_COUNT} for feats, _ in examples]
    labels = [y for _, y in examples]
    vec = DictVectorizer()
    matrix = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(matrix, labels)
    names = vec.get_feature_names_out()
    learned = [str(x) for x in clf.classes_]
    if len(learned) == 2:
        return LinearModel(tuple(learned), (float(clf.intercept_[0]),),
                           {n: (float(w),) for n, w in zip(names, clf.coef_[0]) if abs(w) > 1e-4})
    weights = {n: tuple(float(clf.coef_[k][j]) for k in range(len(learned))) for j, n in enumerate(names)}
    return LinearModel(tuple(learned), tuple(float(b) for b in clf.intercept_),
                       {n: r for n, r in weights.items() if max(abs(w) for w in r) > 1e-4})


def train(annotated: list[tuple[list[Unit], dict]]) -> ExtractorModel:
    """Train both decisions from (units, gold) pairs; the meta records sizes and time."""
    started = time.perf_counter()
    places = [ex for units, gold in annotated for ex in place_examples(units, gold_nets(gold))]
    place = fit(places, PLACE_CLASSES, c=0.5)
    anchors = []
    for units, gold in annotated:  # the unit model sees the roles the place model gives, as at run time
        apply_place_model(units, place)
        anchors += anchor_examples(units, gold_nets(gold))
    anchor = fit([(f, str(y)) for f, y in anchors], None, c=1.0)
    meta = {"documents": len(annotated), "anchor_examples": len(anchors), "place_examples": len(places),
            "train_seconds": round(time.perf_counter() - started, 2)}
    return ExtractorModel(anchor, place, meta)
