"""Context features for the learned decisions: does a unit open a network, and what role does a
country mention play (origin, target, both, none).

The cue lexicons and the old segmentation patterns are features here, not gates: the model weighs
them against layout (headings, labels, bullets), what the section has said so far and the words
around a mention. Features are plain strings so the model file is a readable JSON table.
"""
from __future__ import annotations

from kg.extract.rulefeatures import rule_features
from kg.extract.units import BULLET, LABEL, NETWORK_WORD, SLASH_LINE, Unit

STOP = frozenset("the a an of and or to in on for by with as at from that this it its was were is are be been "
                 "has have had which who their they than more".split())


def _bucket(n: int, top: int = 3) -> str:
    return str(min(n, top))


def mention_features(unit: Unit) -> list[str]:
    """What the components found in the unit, as features."""
    out = [f"cue={c}" for c in sorted(unit.cues)]
    out += sorted({f"q={q.kind}" for q in unit.quantities} | {f"qk={q.kind}:{q.key}" for q in unit.quantities})
    out.append(f"nrem={_bucket(len(unit.removed))}")
    out += sorted({f"pl={p.kind}:{p.role}" for p in unit.places})
    out.append(f"norig={_bucket(len(unit.origins))}")
    out += sorted({f"org={o.role}:{o.category}" for o in unit.orgs} | {f"actor={a.role}" for _, _, a in unit.actors})
    out += sorted({f"plat={p}" for p in unit.platforms})
    return out


def layout_features(unit: Unit, units: list[Unit]) -> list[str]:
    """Where the unit stands: heading, label line, bullet, position in its section and document."""
    line = unit.text.strip()
    out = []
    if unit.heading:
        out.append("heading")
    if unit.country_only:
        out.append("country_only")
    if BULLET.match(line):
        out.append("bullet")
    label = LABEL.match(line)
    if label:
        out += ["label", f"label={label.group('label').lower().strip('*_ ')[:24]}"]
    if SLASH_LINE.match(line.strip("*_ ")):
        out.append("slash_line")
    pos = unit.index - unit.section if unit.section >= 0 else unit.index + 1
    out.append(f"secpos={_bucket(pos, 5)}")
    if unit.section >= 0:
        head = units[unit.section]
        out += ["in_section"] + (["sec_country"] if head.country_only or head.origins else []) + \
               (["sec_network_word"] if NETWORK_WORD.search(head.text) else [])
    words = [t.lower_ for t in unit.span if t.is_alpha][:2]
    out += [f"w{k}={w}" for k, w in enumerate(words)]
    out.append(f"len={_bucket(len(unit.span) // 10, 5)}")
    return out


def anchor_features(units: list[Unit], i: int, seen: dict) -> list[str]:
    """Features of unit i for 'does it open a network'; `seen` carries what its section said before it."""
    unit = units[i]
    out = ["bias", *mention_features(unit), *layout_features(unit, units)]
    out += rule_features(unit)
    out += [f"bow={t.lower_}" for t in unit.span if t.is_lower and t.is_alpha and len(t) > 2 and t.lower_ not in STOP]
    origins, operators, keys = unit.origins, unit.operators(), {q.key for q in unit.removed}
    if origins:
        out.append("new_origin" if not origins <= seen["origins"] else "old_origin")
    if operators:
        out.append("new_operator" if not operators <= seen["operators"] else "old_operator")
    if keys:
        out.append("repeat_key" if keys & seen["keys"] else "new_key")
    out += [f"sec_had_{k}" for k in ("removal", "origin", "counts") if seen[k]]
    out += [f"doc_had_{k}" for k in ("removal", "counts") if seen["doc_" + k]]
    if i and units[i - 1].heading:
        out.append("after_heading")
    return out


def new_seen() -> dict:
    return {"origins": set(), "operators": set(), "keys": set(), "removal": False, "origin": False, "counts": False,
            "doc_removal": False, "doc_counts": False}


def new_section(seen: dict) -> None:
    """Forget what the previous section said (the document-wide flags stay)."""
    seen.update({k: v for k, v in new_seen().items() if not k.startswith("doc_")})


def update_seen(seen: dict, unit: Unit) -> None:
    """Fold the unit into what its section (and the document) has said so far."""
    seen["origins"] |= unit.origins
    seen["operators"] |= unit.operators()
    seen["keys"] |= {q.key for q in unit.removed}
    seen["removal"] |= "removal" in unit.cues
    seen["origin"] |= bool(unit.origins)
    seen["counts"] |= bool(unit.removed)
    seen["doc_removal"] |= "removal" in unit.cues
    seen["doc_counts"] |= bool(unit.removed)


def iter_anchor_features(units: list[Unit]):
    """(unit, features) for every unit in order, with the section context threaded through."""
    seen = new_seen()
    section = None
    for i, unit in enumerate(units):
        if unit.section != section:
            new_section(seen)
            section = unit.section
        yield unit, anchor_features(units, i, seen)
        update_seen(seen, unit)


def place_features(unit: Unit, place, units: list[Unit]) -> list[str]:
    """Features of one country or region mention for its role."""
    doc = unit.span.doc
    out = ["bias", f"kind={place.kind}", f"rule={place.rule_role if place.learned else place.role}"]
    for k in (1, 2, 3):
        j = place.start - k
        out.append(f"w-{k}={doc[j].lower_ if j >= unit.span.start else '<s>'}")
    for k in (0, 1):
        j = place.end + k
        out.append(f"w+{k + 1}={doc[j].lower_ if j < unit.span.end else '</s>'}")
    left = " ".join(t.lower_ for t in doc[max(unit.span.start, place.start - 6):place.start] if t.is_alpha)
    out += [f"lw={w}" for w in left.split()]
    tok = doc[place.start]
    if tok.dep_:
        out += [f"dep={tok.dep_}", f"head={tok.head.lower_}", f"hh={tok.head.head.lower_}"]
    label = LABEL.match(unit.text.strip())
    if label:
        out.append(f"label={label.group('label').lower().strip('*_ ')[:24]}")
    out += [f"ucue={c}" for c in sorted(unit.cues)]
    if unit.heading:
        out.append("in_heading")
    if unit.section >= 0 and place.code and place.code in units[unit.section].country_only:
        out.append("named_by_heading")
    if place.start == unit.span.start or (place.start - unit.span.start <= 2 and BULLET.match(unit.text.strip())):
        out.append("unit_first")
    return out


def apply_place_model(units: list[Unit], model, threshold: float = 0.5) -> None:
    """Set each country mention's role as the learned model reads it (origin, target, both or
    none); the cue rules' role is kept in `rule_role` and stays a feature."""
    for unit in units:
        for place in unit.places:
            if place.kind in ("macro", "region"):
                continue  # sub-national regions are too rare in the gold to learn: their cue-rule role stands
            if not place.learned:
                place.rule_role, place.learned = place.role, True
            if place.rule_role in ("origin", "target"):
                continue  # a cue right beside the country ("run from", "targeting") is exact: it stands
            probs = model.probabilities(place_features(unit, place, units))
            best = max(probs, key=probs.get)
            place.role = None if best == "none" or probs[best] < threshold else best
