"""From an annotated spaCy Doc to takedown networks: segment, read facts, merge mentions, assemble.

A *block* is one description of a network: the sentence that introduces it ("We removed 29
Facebook accounts ... from Iran") and the sentences that continue it. A monthly report describes
each network twice (summary item, detailed section) and a news article retells it several times;
blocks whose origins, counts and operators agree are merged into one Network.
"""
from __future__ import annotations

import re
from itertools import groupby
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract import gazetteer
from kg.extract import stance
from kg.extract import tactics
from kg.extract.components.common import sent_start
from kg.extract.facts import Facts, block_facts
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator
from kg.extract.tables import fill_from_rows, table_rows
from kg.extract.features import apply_place_model, iter_anchor_features
from kg.extract.learn import ExtractorModel, LinearModel, load_model
from kg.extract.units import Unit, build_units

ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.)]\s|\d{1,2}\s*$|#+\s)")
NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|many|both|\d+)"
AGGREGATE = re.compile(rf"\b{NUMBER_WORDS} of them\b|\b{NUMBER_WORDS}(?:\s+[\w-]+){{0,2}}\s+(?:networks|operations|campaigns|clusters)\b"
                       r"|^\W*the (?:first|second|third|fourth|fifth|sixth|other|last|remaining)\s*[,—–]", re.I)  # "The third, from Indonesia, ..."
NETWORK_OBJECT = re.compile(r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,3}(?:network|operation|campaign)\b|\b\d[\d,]*\s+(?:Facebook|Instagram)\b", re.I)
ENUMERATED = re.compile(r"(?:^|[\s,;:])(?:one|another|a second|a third|a fourth|a fifth|a sixth|the first|the second|"
                        r"the third|the fourth|the fifth|the last|a final|the other)\s+(?:[\w-]+\s+){0,3}"
                        r"(?:network|operation|campaign)\b", re.I)
NETWORK_HEADING = re.compile(r"\b(?:network|operation|campaign)\b", re.I)
# "Moldova (Feb): 68 FB accts ...", "Iran → Israel (Apr): 31 FB ...": a terse item labelled with its origin
ORIGIN_LABEL = re.compile(r"^\W*(?P<origin>[A-Z][\w .'-]{1,40}?)\s*(?:(?:→|->|to)\s*(?P<targets>[A-Z][^(:]{1,60}?))?"
                          r"\s*(?:\([^)]{1,20}\))?\s*:[*_]*\s")
LABELLED_ITEM = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?[A-Z][^:\n]{1,60}:\s+(?:[\w-]+\s+){0,5}(?:network|operation|campaign)\b")
FURTHER_COUNT = re.compile(r"\b(?:a further|another|an additional|a second|a third|the remaining)\s+[\d,]+\s+(?:[\w-]+\s+)?"
                           r"(?:accounts|profiles|Pages|channels)\b", re.I)
ANAPHORA = re.compile(r"\b(?:this|these|the same|that|its|their)\s+(?:\w+\s+)?(?:network|activity|operation|campaign|accounts|assets)\b|\b(?:removed|took down|disrupted) (?:it|them)\b"
                     r"|\bbehind (?:it|them)\b", re.I)  # "the people behind it were located in Russia"
# "a network the company removed in 2020": an earlier takedown, told in passing
PAST_REMOVAL = re.compile(
    r"\b(?:network|operation|campaign|activit(?:y|ies))s? (?:that |which )?(?:we|it|the company|[A-Z]\w+) (?:had |previously )?"
    r"(?:removed|took down|disrupted|disclosed|announced|described)\b[^.]{0,30}?\bin (?:(?:19|20)\d\d|January|February|"
    r"March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:disclosed|described|announced|reported) in our (?:earlier|previous|prior|last)\b|\bre-?established\b", re.I)


@dataclass
class Block:
    """Sentences describing one network, the span that introduced it, and the facts read from them."""

    intro: Span
    sents: list[Span] = field(default_factory=list)
    facts: Facts | None = None
    heading: tuple[str, ...] = ()  # countries of a heading just above ("## 2. Myanmar", "Serbia.")
    section: int | None = None


def is_heading(sent: Span) -> bool:
    """Section numbers ("02"), numbered list items and all-capitals headings start a new context."""
    line = sent.text.strip()
    letters = [c for c in line if c.isalpha()]
    if bool(ITEM_START.match(line)) or (len(letters) > 3 and all(c.isupper() for c in letters)):
        return True
    # a short title line of its own that announces a network: "Network targeting audiences in the Philippines"
    return (sent.text.endswith("\n\n") or sent.text.endswith("\n")) and line[:1].isupper() and \
        line[-1:] not in ".!?:;,|" and len(line.split()) <= 10 and bool(NETWORK_HEADING.search(line))


@dataclass
class SentenceInfo:
    """What the components found in one sentence, gathered in one pass over the annotations."""

    labels: set[str] = field(default_factory=set)
    removed: bool = False
    total: bool = False
    origin: bool = False
    operators: set[str] = field(default_factory=set)


def sentence_index(doc: Doc) -> dict[int, SentenceInfo]:
    """SentenceInfo by sentence start token, built once per document (keeps segmentation linear)."""
    if "iokg_sentence_index" not in doc.user_data:
        doc.user_data["iokg_sentence_index"] = _build_sentence_index(doc)
    return doc.user_data["iokg_sentence_index"]


def _build_sentence_index(doc: Doc) -> dict[int, SentenceInfo]:
    sent_of: list[int] = [0] * len(doc)
    index: dict[int, SentenceInfo] = {}
    for sent in doc.sents:
        index[sent.start] = SentenceInfo()
        sent_of[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
    for start, _, label in doc._.iokg_cues:
        index[sent_of[start]].labels.add(label)
    for q in doc._.iokg_quantities:
        info = index[sent_of[q.start]]
        info.removed |= q.kind == "removed"
        info.total |= q.kind == "total"
    for p in doc._.iokg_places:
        index[sent_of[p.start]].origin |= p.role in ("origin", "origin_weak")
    for start, _, actor in doc._.iokg_actors:
        if actor.role == "operator":
            index[sent_of[start]].operators.add(actor.name)
    return index


MAX_LEAD = 2  # sentences before a removal that may describe the network it removes
THE_NETWORK = re.compile(r"\b(?:the|this) (?:network|operation|campaign|activity|accounts)\b", re.I)
# under a country heading, "This domestic network originated in Brazil" also describes the section's network
SECTION_NETWORK = re.compile(r"^\W*(?:(?:we|our \w+) (?:assess|believe|found|judge) that )?(?:the|this) (?:[a-z-]+ ){0,2}?"
                             r"(?:network|operation|campaign|activity)\b", re.I)


def _lead_in(sent: Span, info: SentenceInfo) -> bool:
    """A sentence about 'the network' (where it ran, whom it targeted, who ran it) before any removal is told."""
    return bool(THE_NETWORK.search(sent.text)) and (info.origin or bool(info.operators) or "attribution" in info.labels
                                                    or "target" in info.labels) and not is_aggregate(sent)


def _opens_section(sent: Span, info: SentenceInfo, heading: tuple[str, ...], current: Block | None,
                   fresh: bool = False) -> bool:
    """Under a country heading (or any heading no network has followed yet), 'This network originated in
    Iran and targeted Israel' opens the section's network even though its counts are given elsewhere
    (say, in a table or a list of fields)."""
    if current is not None or not (heading or fresh) or not info.origin:
        return False
    if not SECTION_NETWORK.search(sent.text) or is_aggregate(sent):
        return False
    origins = {p.code for p in sent.doc._.iokg_places
               if sent.start <= p.start < sent.end and p.role in ("origin", "origin_weak")}
    return bool(origins) and (fresh or bool(origins & set(heading)))


def origin_label(sent: Span) -> tuple[str, ...]:
    """The origin codes of a terse item's label ('Moldova (Feb):', 'Iran → Israel:'), else ()."""
    match = ORIGIN_LABEL.match(sent.text)
    if not match:
        return ()
    codes = gazetteer.country_codes(match.group("origin"))
    return codes if codes and len(codes) == len(gazetteer.list_items(match.group("origin"))) else ()


def country_heading(sent: Span) -> tuple[str, ...]:
    """'China', '2. Myanmar', 'Saudi Arabia, Egypt and the UAE.': a line made only of country names."""
    places = _countries_by_sentence(sent.doc).get(sent.start, [])
    inside = {i for p in places for i in range(p.start, p.end)}
    rest = [t for t in sent if t.i not in inside and not (t.is_punct or t.is_space or t.like_num or t.lower_ in ("and", "the"))]
    return () if rest or not places else tuple(dict.fromkeys(p.code for p in places))


def _countries_by_sentence(doc: Doc) -> dict[int, list]:
    """Country places grouped by sentence start, built once per document (keeps segmentation linear)."""
    if "iokg_sent_countries" not in doc.user_data:
        table: dict[int, list] = {}
        for p in doc._.iokg_places:
            if p.kind == "country":
                table.setdefault(sent_start(doc, p.start), []).append(p)
        doc.user_data["iokg_sent_countries"] = table
    return doc.user_data["iokg_sent_countries"]


def is_aggregate(sent: Span) -> bool:
    """'we removed 14 networks', 'Three of them originated in Iran': about several networks at once."""
    return bool(AGGREGATE.search(sent.text))


def introduces(sent: Span, info: SentenceInfo) -> bool:
    """Does this sentence introduce a network (a removal, or counts with an origin or operator)?"""
    if "removal" in info.labels:
        return info.removed or ((info.origin or bool(info.operators) or bool(NETWORK_OBJECT.search(sent.text)))
                                and not ANAPHORA.search(sent.text) and not PAST_REMOVAL.search(sent.text))
    if info.origin and FURTHER_COUNT.search(sent.text):
        return True  # "A further 1,000 accounts originated in Mexico"
    if info.origin and LABELLED_ITEM.match(sent.text):
        return True  # "China: a long-running network that targeted Taiwan ...", a summary item
    if info.origin and (ENUMERATED.search(sent.text) or info.removed and NETWORK_OBJECT.search(sent.text)):
        return True  # "Another network, run from Iran, targeted Israel"; "a network of 23,750 accounts run from China"
    return info.removed and (info.origin or bool(info.operators)) and "operator_verb" in info.labels


SUM_LINE = re.compile(r"^\W*(?:in total|overall|altogether|in all|combined)\b", re.I)
PERIOD = re.compile(r"\b(?:this|last|the) (?:month|quarter|year|report)\b|\bacross (?:these|all|the) networks\b|"
                    r"\bin (?:January|February|March|April|May|June|July|August|September|October|November|December)\b")


def _sum_line(sent: Span, info: SentenceInfo, blocks: list[Block]) -> bool:
    """'In total, we removed 130 Facebook accounts ...' after two or more networks: a sum, not a network."""
    if not (info.removed and SUM_LINE.search(sent.text)):
        return False
    if not blocks and not (info.origin or info.operators or ANAPHORA.search(sent.text)):
        return True  # "In total we removed 251 Facebook accounts ..." in a report's opening: its totals
    if PERIOD.search(sent.text) and not (info.origin or info.operators or ANAPHORA.search(sent.text)):
        return True  # "Altogether this month we took down ...": the month's totals, wherever they stand
    doc = sent.doc
    with_counts = {b.intro.start for b in blocks
                   for q in doc._.iokg_quantities if q.kind == "removed" and b.intro.start <= q.start < b.intro.end}
    return len(with_counts) >= 2


def split_by_origin(sent: Span) -> list[Span]:
    """'accounts run from Russia ... and fake accounts in Pakistan': one span per separately introduced origin."""
    origins = [p for p in sent.doc._.iokg_places if sent.start <= p.start < sent.end and p.role in ("origin", "origin_weak")]
    cuts = [sent.start]
    for prev, nxt in zip(origins, origins[1:]):
        between = sent.doc[prev.end:nxt.start]
        nouns = [t.i for t in between if t.lower_ in ("accounts", "network", "operation", "campaign")]
        if nouns and prev.code != nxt.code:
            cuts.append(nouns[0] - (1 if between.doc[nouns[0] - 1].lower_ in ("fake", "inauthentic") else 0))
    cuts.append(sent.end)
    return [sent.doc[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def segment(doc: Doc) -> list[Block]:
    """Group the sentences of a document into blocks, one per network description."""
    index = sentence_index(doc)
    blocks: list[Block] = []
    named: list[set[str]] = []  # operators named in each block's introduction
    current: Block | None = None
    heading: tuple[str, ...] = ()
    lead: list[Span] = []  # "Meta said the network, based in Iran, targeted Israel." before the removal it describes
    section: list[Span] = []  # a country section's sentences before its removal is told
    fresh = False  # after a heading that announces one network, before that network has opened
    for sent in doc.sents:
        info = index[sent.start]
        if not sent.text.strip():
            continue
        countries = country_heading(sent)
        if countries or is_heading(sent):
            current, heading, lead, section = None, countries or heading, [], []
            fresh = bool(NETWORK_HEADING.search(sent.text))  # "3. Network targeting audiences in the Philippines"
            if countries:
                continue
        if info.total or is_aggregate(sent) or _sum_line(sent, info, blocks):
            continue
        label = origin_label(sent) if info.removed else ()
        if label:
            heading = label  # the item's label names where the network ran from
        if introduces(sent, info) or _opens_section(sent, info, heading, current, fresh) or label:
            fresh = False
            for part in split_by_origin(sent):
                before = sorted({s.start: s for s in (*section, *lead)}.values(), key=lambda s: s.start)
                current, heading = Block(intro=part, sents=[*before, part], heading=heading), ()  # a heading labels one block
                blocks.append(current)
                named.append(info.operators)
                lead, section = [], []
            continue
        target = next((b for b, ops in zip(reversed(blocks), reversed(named)) if ops & info.operators), current)
        if target is not None:
            target.sents.append(sent)
            current = target
            continue
        if heading or fresh:
            section.append(sent)
        if _lead_in(sent, info):
            lead = [*lead, sent][-MAX_LEAD:]
    return blocks


def _whole_document(doc: Doc) -> list[Block]:
    """A write-up about one network that only says '... the company removed the network' (no sentence
    introduces it): the whole document describes that network."""
    index = sentence_index(doc)
    sents = [s for s in doc.sents if s.text.strip()]
    removal = next((s for s in sents if "removal" in index[s.start].labels and not is_aggregate(s)
                    and not PAST_REMOVAL.search(s.text) and THE_NETWORK.search(s.text)), None)
    return [Block(intro=removal, sents=sents)] if removal is not None else []


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


import os
ANCHOR_THRESHOLD = float(os.environ.get("IOKG_AT", 0.5))
PLACE_THRESHOLD = float(os.environ.get("IOKG_PT", 0.5))


def segment_units(units: list[Unit], model: LinearModel) -> list[Block]:
    """Blocks of every section: those the model opens, else (recall first) the whole section as one
    block when it carries takedown evidence under its heading."""
    blocks: list[Block] = []
    for section, members in groupby(iter_anchor_features(units), key=lambda pair: pair[0].section):
        members = list(members)
        heading = units[section].country_only if section >= 0 else ()
        opened = open_blocks(members, model, heading, section)
        if not opened and section >= 0 and any(takedown_evidence(u) for u, _ in members):
            opened = [Block(intro=members[0][0].span, sents=[u.span for u, _ in members], heading=heading, section=section)]
        blocks += opened
    return blocks


def open_blocks(members: list, model: LinearModel, heading: tuple[str, ...], section: int) -> list[Block]:
    """Open a block at every unit the model reads as the start of a network; the units after it continue
    it; in a section, the units before its first opening belong to that opening."""
    blocks: list[Block] = []
    pending: list[Span] = []
    for unit, features in members:
        if model.probabilities(features).get("1", 0.0) >= ANCHOR_THRESHOLD:
            blocks.append(Block(intro=unit.span, sents=[*pending, unit.span], heading=() if blocks else heading,
                                section=section))
            pending = []
        elif blocks:
            blocks[-1].sents.append(unit.span)
        elif section >= 0:
            pending.append(unit.span)
    return blocks


def takedown_evidence(unit: Unit) -> bool:
    """Removed counts, or a removal with an origin or an operator."""
    return bool(unit.removed) or ("removal" in unit.cues and bool(unit.origins or unit.operators()))


def extract_document(doc: Document, nlp, model: ExtractorModel | None = None) -> Extraction:
    """Run the pipeline once over the document and return its networks, totals and warnings."""
    return networks_of(doc, nlp(doc.text), model or load_model())


def networks_of(doc: Document, sdoc: Doc, model: ExtractorModel | None) -> Extraction:
    """The networks of an annotated document (the pipeline has run), read with the learned model."""
    if model is not None:
        units = build_units(sdoc)
        apply_place_model(units, model.place, PLACE_THRESHOLD)
        blocks = segment_units(units, model.anchor)
    else:
        blocks = segment(sdoc) or _whole_document(sdoc)
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
    networks = fill_from_rows(networks, table_rows(doc.text))  # figures given only in a summary table
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
        followers=facts.followers_dict(), ad_spend_usd=facts.ad_spend,
        operators=tuple(Operator(o.name, o.category, o.country, o.aliases) for o in facts.operators),
        discovered_via=tuple(facts.discovered), policy=facts.policy,
        promotes=tuple(promotes), attacks=tuple(attacks), techniques=tuple(techniques),
        evidence=evidence, claims=tuple(facts.claims) + tuple(stance_claims) + tuple(technique_claims))


def _umbrella_policy(doc: Doc) -> tuple[str, Span] | None:
    """'We removed six networks for violating our policy against CIB': the policy of every network."""
    for sent in doc.sents:
        labels = {label for s, _, label in doc._.iokg_cues if sent.start <= s < sent.end}
        if "policy_context" in labels and is_aggregate(sent):
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

