"""From an annotated spaCy Doc to takedown networks: units, learned openings, facts, merge, assemble.

The document is cut into units (sentences and lines, each in the section of the heading above it).
A learned model (kg.extract.learn) reads every unit and says whether it opens a network; the units
after an opening continue it, a section's units before its first opening belong to that opening,
and a section with takedown evidence that nothing opened is one network of its own (recall first).
Countries get their roles from a second learned model. A monthly report describes each network
twice (summary item, detailed section) and a news article retells it several times; blocks whose
origins, counts and operators agree are merged into one Network.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from spacy.tokens import Doc, Span

from kg.extract import stance, tactics
from kg.extract.components.common import sent_start
from kg.extract.pipeline import parse_document
from kg.extract.facts import Facts, block_facts, mentions_of
from kg.extract.features import apply_place_model, iter_anchor_features
from kg.extract.learn import ExtractorModel, LinearModel, require_model
from kg.extract.rulefeatures import PATTERNS, rule_origins
from kg.extract.tables import fill_from_rows, table_rows
from kg.extract.units import Unit, build_units
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator

ANCHOR_THRESHOLD = 0.5  # probability at which a unit opens a network
PLACE_THRESHOLD = 0.5  # probability at which a country mention takes the role the place model gives it


@dataclass
class Block:
    """Sentences describing one network, the span that introduced it, and the facts read from them."""

    intro: Span
    sents: list[Span] = field(default_factory=list)
    facts: Facts | None = None
    heading: tuple[str, ...] = ()  # countries of a heading just above ("## 2. Myanmar", "Serbia.")
    section: int | None = None


def segment_units(units: list[Unit], model: LinearModel) -> list[Block]:
    """Blocks of every section: those the model opens, else (recall first) the whole section as one
    block, introduced by its likeliest unit, when it carries takedown evidence (a document without
    headings is one section)."""
    blocks: list[Block] = []
    for section, members in groupby(iter_anchor_features(units), key=lambda pair: pair[0].section):
        scored = [(unit, model.probabilities(features).get("1", 0.0)) for unit, features in members]
        heading = units[section].country_only if section >= 0 else ()
        opened = open_blocks(scored, heading, section)
        evidence = [(p, unit.index, unit) for unit, p in scored if takedown_evidence(unit)]
        if not opened and evidence and (section >= 0 or not any(u.heading for u in units)):
            intro = max(evidence, key=lambda e: (e[0], -e[1]))[2]
            opened = [Block(intro=intro.span, sents=[u.span for u, _ in scored], heading=heading, section=section)]
        blocks += opened
    return blocks


def open_blocks(scored: list[tuple[Unit, float]], heading: tuple[str, ...], section: int) -> list[Block]:
    """Open a block at every unit the model reads as the start of a network; the units after it continue
    it; in a section, the units before its first opening belong to that opening."""
    blocks: list[Block] = []
    pending: list[Span] = []
    for unit, probability in scored:
        if probability >= ANCHOR_THRESHOLD:
            for k, part in enumerate(split_by_origin(unit)):
                blocks.append(Block(intro=part, sents=[*pending, part] if k == 0 else [part],
                                    heading=() if blocks else heading, section=section))
            pending = []
        elif blocks:
            blocks[-1].sents.append(unit.span)
        elif section >= 0:
            pending.append(unit.span)
    return blocks


def takedown_evidence(unit: Unit) -> bool:
    """Removed counts, or a removal with an origin or an operator."""
    return bool(unit.removed) or ("removal" in unit.cues and bool(unit.origins or unit.operators()))


def split_by_origin(unit: Unit) -> list[Span]:
    """'accounts run from Russia ... and fake accounts in Pakistan': one span per separately introduced origin."""
    sent = unit.span
    origins = [p for p in unit.places if p.code in rule_origins(unit)]
    cuts = [sent.start]
    for prev, nxt in zip(origins, origins[1:]):
        between = sent.doc[prev.end:nxt.start]
        nouns = [t.i for t in between if t.lower_ in ("accounts", "network", "operation", "campaign")]
        if nouns and prev.code != nxt.code:
            cuts.append(nouns[0] - (1 if between.doc[nouns[0] - 1].lower_ in ("fake", "inauthentic") else 0))
    cuts.append(sent.end)
    return [sent.doc[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def whole_document(units: list[Unit]) -> list[Block]:
    """A write-up about one network that only says '... the company removed the network' (no unit opens
    one): the whole document describes that network."""
    removal = next((u for u in units if "removal" in u.cues and not PATTERNS["aggregate"].search(u.text)
                    and not PATTERNS["past_removal"].search(u.text) and PATTERNS["the_network"].search(u.text)), None)
    return [Block(intro=removal.span, sents=[u.span for u in units])] if removal is not None else []


def merge(blocks: list[Block]) -> list[list[Block]]:
    """Group blocks that describe the same network (agreeing origins, counts and operators)."""
    groups: list[tuple[Facts, list[Block]]] = []
    for block in blocks:
        facts = block.facts
        scored = [(facts.affinity(g_facts), k) for k, (g_facts, _) in enumerate(groups)]
        scored = [(s, k) for s, k in scored if s > 0]
        if scored:
            _, k = max(scored, key=lambda sk: (sk[0], sk[1]))
            groups[k][0].absorb(facts)
            groups[k][1].append(block)
        elif facts.is_network():
            groups.append((facts.copy(), [block]))
    return [members for facts, members in groups if not _umbrella(facts, [f for f, _ in groups if f is not facts])]


def _umbrella(facts: Facts, others: list[Facts]) -> bool:
    """'removed CIB from Iran and Russia': several origins, no figures or operators, each one a network of its own."""
    if len(facts.origin) < 2 or facts.removed or facts.named_operators():
        return False
    return all(any(code in other.origin for other in others) for code in facts.origin)


def extract_document(doc: Document, nlp, model: ExtractorModel | None = None) -> Extraction:
    """Run the pipeline once over the document and return its networks, totals and warnings."""
    return networks_of(doc, parse_document(nlp, doc), model or require_model())


def networks_of(doc: Document, sdoc: Doc, model: ExtractorModel) -> Extraction:
    """The networks of an annotated document (the pipeline has run), read with the learned model."""
    units = build_units(sdoc)
    apply_place_model(units, model.place, PLACE_THRESHOLD)
    blocks = segment_units(units, model.anchor) or whole_document(units)
    doc_enforcer = _enforcer(sdoc)
    for block in blocks:
        block.facts = block_facts(block.intro, block.sents, doc_enforcer)
        if block.heading and (not block.facts.origin or block.facts.inferred_origin):
            block.facts.origin, block.facts.inferred_origin = [], False
            for code in block.heading:  # the section's heading names where the network ran from
                block.facts.add("origin", code, block.intro)
    enforcer = next((b.facts.platforms[0] for b in blocks if b.facts.platforms), None) or doc_enforcer
    policy = _umbrella_policy(sdoc)
    networks = [assemble(k, members, doc.text, enforcer, policy) for k, members in enumerate(merge(blocks), 1)]
    networks = fill_from_rows(networks, table_rows(doc))  # figures given only in a summary table
    totals = {q.key: q.value for q in sdoc._.iokg_quantities if q.kind == "total"}
    return Extraction(doc, tuple(networks), tuple(check_totals(doc, networks, totals)), totals)


def assemble(index: int, members: list[Block], text: str, enforcer: str | None = None,
             policy: tuple[str, Span] | None = None) -> Network:
    """One Network from its merged blocks, with stance and techniques read from all its sentences.

    A takedown told without figures or platform ("the company took down a network") is credited to
    the platform that enforces the document's other takedowns.
    """
    facts = members[0].facts.copy()
    for block in members[1:]:
        facts.absorb(block.facts)
    facts.finish()
    if not facts.platforms and enforcer:
        facts.add("platforms", enforcer, members[0].intro)
    if facts.policy is None and policy:
        facts.policy = policy[0]
        facts.claims.append(Claim("policy", policy[0], _evidence(policy[1])))
    sents = sorted({(s.start, s.end): s for b in members for s in b.sents}.values(), key=lambda s: s.start)
    promotes, attacks, stance_claims = stance.stance_of(sents, text)
    techniques, technique_claims = tactics.techniques_of(sents, text)
    evidence = tuple(_evidence(b.intro) for b in members)
    return Network(
        index=index, label=facts.label(), origin=tuple(facts.origin), targets=facts.targets_or_none(),
        target_regions=tuple(facts.regions), platforms=tuple(facts.platforms), removed=facts.removed_dict(),
        followers=facts.followers_dict(), ad_spend_usd=facts.ad_spend, ad_spend=facts.money,
        operators=tuple(Operator(o.name, o.category, o.country, o.aliases) for o in facts.operators),
        discovered_via=tuple(facts.discovered), policy=facts.policy,
        promotes=tuple(promotes), attacks=tuple(attacks), techniques=tuple(techniques),
        evidence=evidence, claims=tuple(facts.claims) + tuple(stance_claims) + tuple(technique_claims))


def _umbrella_policy(doc: Doc) -> tuple[str, Span] | None:
    """'We removed six networks for violating our policy against CIB': the policy of every network."""
    index = mentions_of(doc)
    for sent in doc.sents:
        labels = {label for _, _, label in index.within("cues", sent.start, sent.end)}
        if "policy_context" in labels and PATTERNS["aggregate"].search(sent.text):
            if "policy_fi" in labels:
                return "foreign-interference", sent
            if "policy_cib" in labels:
                return "cib", sent
    return None


def _enforcer(doc: Doc) -> str | None:
    """The platform most often named before a removal verb ('Meta said it had removed ...', 'Twitter
    also removed ...'), else the one the document names most; the first such platform on a tie."""
    last_removal: dict[int, int] = {}
    for start, _, label in doc._.iokg_cues:
        if label == "removal":
            last_removal[sent_start(doc, start)] = start
    counts: dict[str, int] = {}
    for start, _, platform in doc._.iokg_platforms:
        if last_removal.get(sent_start(doc, start), -1) > start:
            counts[platform] = counts.get(platform, 0) + 1
    if not counts:  # "We suspended 8,558 accounts" in a platform's own report: the platform it names most
        for _, _, platform in doc._.iokg_platforms:
            counts[platform] = counts.get(platform, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _evidence(span: Span) -> Evidence:
    return Evidence(span.text, span.start_char, span.end_char)


def check_totals(doc: Document, networks: list[Network], totals: dict[str, int]) -> list[str]:
    """Warn when the per-network counts do not add up to the totals the document states."""
    warnings = []
    for key, total in sorted(totals.items()):
        found = sum(n.removed.get(key) or 0 for n in networks)
        if found != total:
            warnings.append(f"{doc.name}: networks add up to {found} {key.replace('_', ' ')}, the document states {total}")
    return warnings

