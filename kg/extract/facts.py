"""The facts one block of sentences states about a network, each with the sentence that states it.

`block_facts` reads the annotations the iokg components left on the Doc (places with roles,
quantities, organisations, platforms, cues); `Facts.affinity` says how well two blocks fit
together, which kg.extract.networks uses to merge a summary item with its detailed section.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Span

from kg.extract import gazetteer
from kg.extract.components.common import sent_end, sent_start
from kg.graph.model import Claim, Evidence, Money, REMOVED_KEYS, FOLLOWER_KEYS
from kg.graph.model import REMOVED_PLATFORM as PLATFORM_OF_KEY

META_PLATFORMS = ("Facebook", "Instagram")
SIMILAR_NAME_MAX_EDITS = 1
HOME_TARGET = re.compile(r"\b(?:target(?:ed|ing|s)?|focus(?:ed|ing) (?:\w+ )?on|aim(?:ed|ing) at|directed at)\s+"
                         r"(?:[\w-]+\s+){0,3}?(?:in (?:the|that|this|their|its) (?:own )?country|at home)\b", re.I)
DOMESTIC_FOCUS = re.compile(r"\bdomestic(?:ally|-focused)\b|\bdomestic (?:audiences?|users|people|public|population|"
                            r"voters|readers|network|operation|campaign|targets?|dissent|critics|opponents|opposition)\b", re.I)  # not "domestic issues"
SAME_NETWORK = re.compile(r"\b(?:the same|this|that) (?:network|operation|campaign|activity)\b", re.I)
SAME_REGION = re.compile(r"\b(?:in|across) (?:that|the same) (?:state|region|province|city|department|governorate)\b", re.I)

# "individuals in Serbia associated with Vertikala Digital": people who work for a named operator
WORKS_FOR = re.compile(r"\b(?:associated with|working (?:for|on behalf of)|employed by|employees of|hired by|"
                       r"on behalf of)\b", re.I)


@dataclass
class OperatorFact:
    name: str
    category: str | None
    country: str | None
    aliases: tuple[str, ...] = ()


@dataclass
class Facts:
    """Everything a block says about its network, with claims pointing at the sentences."""

    origin: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    followers: dict[str, int] = field(default_factory=dict)
    ad_spend: int | None = None
    operators: list[OperatorFact] = field(default_factory=list)
    discovered: list[str] = field(default_factory=list)
    policy: str | None = None
    domestic: bool = False
    inferred_origin: bool = False  # origin taken from the operator's country, not stated
    converted: bool = False  # ad_spend converted from another currency (no dollar figure seen yet)
    money: Money | None = None  # ad_spend as the text states it (kg.extract.money)
    claims: list[Claim] = field(default_factory=list)

    def add(self, name: str, value, sent: Span) -> None:
        """Record one fact (lists deduplicated, first figure wins) and its claim."""
        target = getattr(self, name)
        if isinstance(target, list):
            if value in target:
                return
            target.append(value)
        self.claims.append(Claim(_claim_field(name, value), _claim_value(value), evidence(sent)))

    def named_operators(self) -> set[str]:
        return {o.name for o in self.operators if o.category != "individuals"}

    def affinity(self, other: Facts) -> int:
        """0 when the two cannot be one network; higher when more facts agree."""
        shared = set(self.removed) & set(other.removed)
        if any(self.removed[k] != other.removed[k] for k in shared):
            return 0
        stated = self.origin and other.origin and not (self.inferred_origin or other.inferred_origin)
        if stated and not set(self.origin) & set(other.origin) and len(shared) < 2:
            return 0  # different origins, unless two or more identical counts say it is the same network
        mine, theirs = self.named_operators(), other.named_operators()
        weak = 1 if not (self.origin or mine) or not (other.origin or theirs) else 0  # "In all, it took down 265 assets"
        if self.removed and other.removed and not shared and not weak:
            return 0  # two identified networks with different kinds of counts; an anonymous block may add Pages
        common = any(a == b or _similar(a, b) for a in mine for b in theirs)
        if mine and theirs and not common:
            return 0
        same = bool(self.origin) and set(self.origin) == set(other.origin)
        return (2 if same else 0) + 3 * len(shared) + (3 if common else 0) + weak

    def is_network(self) -> bool:
        return bool(self.origin or self.removed or self.named_operators())

    def copy(self) -> Facts:
        return copy.deepcopy(self)

    def absorb(self, other: Facts) -> None:
        """Add the other block's facts (first figure and first policy win)."""
        if self.inferred_origin and other.origin and not other.inferred_origin:
            self.origin, self.inferred_origin = list(other.origin), False
        elif not (other.inferred_origin and self.origin):
            self.origin.extend(v for v in other.origin if v not in self.origin)
        for name in ("targets", "regions", "platforms", "discovered"):
            getattr(self, name).extend(v for v in getattr(other, name) if v not in getattr(self, name))
        for key, value in other.removed.items():
            self.removed.setdefault(key, value)
        for key, value in other.followers.items():
            self.followers.setdefault(key, value)
        if self.ad_spend is None or (self.converted and other.ad_spend is not None and not other.converted):
            self.ad_spend, self.converted, self.money = other.ad_spend, other.converted, other.money
        for op in other.operators:
            _add_operator(self.operators, op)
        self.policy = self.policy or other.policy
        self.domestic = self.domestic or other.domestic
        seen = {(c.field, repr(c.value), c.evidence.start) for c in self.claims}
        self.claims.extend(c for c in other.claims if (c.field, repr(c.value), c.evidence.start) not in seen
                           and self._kept(c))

    def _kept(self, claim: Claim) -> bool:
        """A figure's claim is kept only for the value the network keeps (first figure wins)."""
        group, _, key = claim.field.partition(".")
        if group in ("removed", "followers"):
            return getattr(self, group).get(key) == claim.value
        return claim.field != "ad_spend_usd" or claim.value == self.ad_spend

    def finish(self) -> None:
        """Derived facts: a domestic network targets its origin; unnamed individuals give way to the
        organisation they work for; counts imply their platforms."""
        if self.domestic:
            self.targets.extend(c for c in self.origin if c not in self.targets)
        staff = {op.name for op in self.operators if op.category == "individuals" and self._works_for_named(op.name)}
        if staff:  # "individuals in Serbia associated with Vertikala Digital": the firm is the operator
            self.operators = [op for op in self.operators if op.name not in staff]
            self.claims = [c for c in self.claims if not (c.field == "operators" and c.value in staff)]
        for op in self.operators:
            if op.country is None and op.category != "individuals" and len(self.origin) == 1:
                op.country = self.origin[0]  # an operator the text places nowhere is of the country its network ran from
        for key in self.removed:
            platform = PLATFORM_OF_KEY.get(key)
            if platform and platform not in self.platforms:
                self.platforms.append(platform)
                source = next(c.evidence for c in self.claims if c.field == f"removed.{key}")
                self.claims.append(Claim("platforms", platform, source))

    def _works_for_named(self, name: str) -> bool:
        """Does the sentence naming these individuals say they work for one of the named operators?"""
        named = [op.name for op in self.operators if op.category != "individuals"]
        for claim in self.claims:
            if claim.field == "operators" and claim.value == name:
                found = WORKS_FOR.search(claim.evidence.text)
                if found and any(n in claim.evidence.text[found.start():] for n in named):
                    return True
        return False

    def targets_or_none(self) -> tuple[str, ...] | None:
        return tuple(self.targets) if self.targets else None

    def removed_dict(self) -> dict[str, int | None]:
        return {key: self.removed.get(key) for key in REMOVED_KEYS}

    def followers_dict(self) -> dict[str, int | None]:
        return {key: self.followers.get(key) for key in FOLLOWER_KEYS}

    def label(self) -> str:
        if self.origin:
            return origin_label_text(self.origin)
        ops = self.named_operators()
        return f"{sorted(ops)[0]} network" if ops else "unattributed network"


def origin_label_text(origin) -> str:
    """'Spain and El Salvador network': a network's label from its origin codes."""
    return " and ".join(gazetteer.country_label(code) for code in origin) + " network"


def evidence(sent: Span) -> Evidence:
    """The sentence as quoted evidence with character offsets into the document text."""
    return Evidence(sent.text, sent.start_char, sent.end_char)


def _claim_field(name: str, value) -> str:
    return {"regions": "target_regions", "discovered": "discovered_via", "ad_spend": "ad_spend_usd"}.get(name, name)


def _claim_value(value):
    return value.name if isinstance(value, OperatorFact) else value


def _add_operator(operators: list[OperatorFact], new: OperatorFact) -> bool:
    """Add unless the same organisation is already there (same name, alias, or a one-letter typo)."""
    for op in operators:
        names = {op.name, *op.aliases}
        if new.name in names or set(new.aliases) & names or _similar(new.name, op.name):
            op.country = op.country or new.country
            op.category = op.category or new.category
            return False
    operators.append(new)
    return True


def _similar(a: str, b: str) -> bool:
    """Edit distance at most one, for names at least five letters long (ElBaladd / EIBaladd)."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > SIMILAR_NAME_MAX_EDITS:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= SIMILAR_NAME_MAX_EDITS
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def named_tokens(doc) -> set[int]:
    """Tokens inside known actors or found organisations (their places are part of a name), cached per Doc."""
    if "iokg_named" not in doc.user_data:
        doc.user_data["iokg_named"] = ({i for s, e, _ in doc._.iokg_actors for i in range(s, e)}
                                       | {i for o in doc._.iokg_orgs for i in range(o.start, o.end)})
    return doc.user_data["iokg_named"]


class Mentions:
    """The components' mentions of one Doc sorted by token, so a span's mentions are found by bisection
    (reading a block stays linear in the document instead of sentences x mentions)."""

    def __init__(self, doc) -> None:
        self.places = sorted(doc._.iokg_places, key=lambda p: p.start)
        self.quantities = sorted(doc._.iokg_quantities, key=lambda q: q.start)
        self.orgs = sorted(doc._.iokg_orgs, key=lambda o: o.start)
        self.actors = sorted(doc._.iokg_actors, key=lambda a: a[0])
        self.cues = sorted(doc._.iokg_cues, key=lambda c: c[0])
        self.platforms = sorted(doc._.iokg_platforms, key=lambda p: p[0])
        self._starts = {name: [_start(m) for m in getattr(self, name)]
                        for name in ("places", "quantities", "orgs", "actors", "cues", "platforms")}

    def within(self, name: str, start: int, end: int) -> list:
        """The mentions of kind `name` that start inside tokens [start, end)."""
        starts = self._starts[name]
        return getattr(self, name)[bisect_left(starts, start):bisect_left(starts, end)]


def _start(mention) -> int:
    return mention[0] if isinstance(mention, tuple) else mention.start


def mentions_of(doc) -> Mentions:
    """The Mentions index of a Doc, built once."""
    if "iokg_mentions" not in doc.user_data:
        doc.user_data["iokg_mentions"] = Mentions(doc)
    return doc.user_data["iokg_mentions"]


def block_facts(intro: Span, sents: list[Span], enforcer: str | None = None) -> Facts:
    """Read the facts of one block from the component annotations of its sentences.

    `enforcer` is the platform doing the document's takedowns ("Twitter suspended ..."): bare
    "accounts" in a block that names no platform are its accounts, not Facebook's.
    """
    doc = intro.doc
    facts = Facts()
    named = named_tokens(doc)
    for sp in sents:
        is_intro = sp.start == intro.start and sp.end == intro.end
        _places(facts, sp, is_intro, named, origin_open=is_intro or not facts.origin)
        _policy_and_platforms(facts, sp, is_intro)
        _quantities(facts, sp, facts.platforms[0] if facts.platforms else enforcer)
        _organisations(facts, sp, is_intro)
    if not facts.origin:
        # "run by people in Lebanon working for a firm registered in Cyprus": where the people are
        # says where it ran from; without them, the countries of the organisations behind it
        people = [op for op in facts.operators if op.country and op.category == "individuals"]
        for op in people or [op for op in facts.operators if op.country]:
            facts.add("origin", op.country, intro)
            facts.inferred_origin = True
    return facts


def _places(facts: Facts, sp: Span, is_intro: bool, named: set[int], origin_open: bool) -> None:
    doc = sp.doc
    index = mentions_of(doc)
    for place in index.within("places", sp.start, sp.end):
        if place.start in named or place.kind == "macro":
            continue
        if place.role in ("origin", "both") or (place.role == "origin_weak" and is_intro):
            if place.kind != "region" and origin_open:
                facts.add("origin", place.code, sp)
            elif place.kind == "region" and SAME_REGION.search(sp.text):
                facts.add("regions", place.text, sp)  # "from the state of Colima ... audiences in that state"
        if place.role in ("target", "both"):
            if place.kind == "region":
                facts.add("regions", place.text, sp)
            if place.code:
                facts.add("targets", place.code, sp)
    if HOME_TARGET.search(sp.text) or (DOMESTIC_FOCUS.search(sp.text) and any(
            label == "domestic" for _, _, label in index.within("cues", sp.start, sp.end))):
        facts.domestic = True  # "domestic audiences", "targeted people in that country", "aimed at audiences at home"


def _quantities(facts: Facts, sp: Span, enforcer: str | None) -> None:
    index = mentions_of(sp.doc)
    for q in index.within("quantities", sp.start, sp.end):
        if q.key == "facebook_accounts" and enforcer not in (None, *META_PLATFORMS) and "Facebook" not in q.text:
            continue  # "Twitter suspended 936 accounts": not Facebook accounts
        if q.kind == "removed" and q.key not in REMOVED_KEYS:
            for _, _, platform in index.within("platforms", q.start, q.end):  # "15 YouTube channels"
                facts.add("platforms", platform, sp)
        if q.kind == "removed" and q.key in REMOVED_KEYS and q.key not in facts.removed:
            facts.removed[q.key] = q.value
            facts.claims.append(Claim(f"removed.{q.key}", q.value, evidence(sp)))
        elif q.kind == "followers" and q.key not in facts.followers:
            facts.followers[q.key] = q.value
            facts.claims.append(Claim(f"followers.{q.key}", q.value, evidence(sp)))
        elif (q.kind == "ad_spend" and (facts.ad_spend is None or facts.converted)
              or q.kind == "ad_spend_converted" and facts.ad_spend is None):
            facts.ad_spend, facts.converted = q.value, q.kind == "ad_spend_converted"  # a dollar figure beats a conversion
            facts.money = q.money
            facts.claims.append(Claim("ad_spend_usd", q.value, evidence(sp)))


def spelled_out(doc, name: str, aliases: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """'SNS' where the document wrote 'Serbian Progressive Party (SNS)': the long form as the name,
    the acronym as an alias."""
    from kg.extract.stance import acronym_map

    if "iokg_spelled_out" not in doc.user_data:
        doc.user_data["iokg_spelled_out"] = acronym_map(doc.text)
    long_form = doc.user_data["iokg_spelled_out"].get(name)
    if long_form is None:
        return name, aliases
    return long_form, tuple(dict.fromkeys((name, *aliases)))


def _organisations(facts: Facts, sp: Span, is_intro: bool) -> None:
    doc = sp.doc
    index = mentions_of(doc)
    found = index.within("orgs", sp.start, sp.end)
    for org in found:
        if org.role == "discovery":
            facts.add("discovered", org.name, sp)
            continue
        name, aliases = spelled_out(doc, org.name, org.aliases)
        if _add_operator(facts.operators, OperatorFact(name, org.category, org.country, aliases)):
            facts.claims.append(Claim("operators", name, evidence(sp)))
    for s, _, actor in index.within("actors", sp.start, sp.end) if is_intro else ():  # elsewhere only after an attribution cue
        if actor.role == "operator":
            op = OperatorFact(actor.name, actor.category, actor.country, actor.aliases)
            if _add_operator(facts.operators, op):
                facts.claims.append(Claim("operators", actor.name, evidence(sp)))


def _policy_and_platforms(facts: Facts, sp: Span, is_intro: bool) -> None:
    doc = sp.doc
    index = mentions_of(doc)
    labels = [(s, label) for s, _, label in index.within("cues", sp.start, sp.end)]
    names = {label for _, label in labels}
    if "policy_context" in names and facts.policy is None:
        policy = "foreign-interference" if "policy_fi" in names else "cib" if "policy_cib" in names else None
        if policy:
            facts.policy = policy
            facts.claims.append(Claim("policy", policy, evidence(sp)))
    if is_intro or SAME_NETWORK.search(sp.text):  # "Twitter separately suspended accounts tied to the same operation"
        sent = doc[sent_start(doc, sp.start):sent_end(doc, sp.start)]
        removal = min((s for s, _, label in index.within("cues", sent.start, sent.end) if label == "removal"), default=None)
        for s, _, platform in index.within("platforms", sent.start, sent.end):
            if removal is not None and s < removal:
                facts.add("platforms", platform, sp)
                break
