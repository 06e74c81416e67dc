"""The cue rules of earlier versions, kept as features of the unit model rather than as gates.

Each pattern names a way reports introduce, enumerate, sum up or look back at networks ("another
network, run from Iran", "In total we removed", "a network we removed in 2020"). `rule_features`
says which ones fire in a unit and whether the old rule would have opened a network there; the
learned model decides how much each is worth.
"""
from __future__ import annotations

import re

from kg.extract import gazetteer
from kg.extract.units import Unit

NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|many|both|\d+)"
PATTERNS = {
    # "we removed 14 networks", "Three of them originated in Iran", "The third, from Indonesia, ..."
    "aggregate": re.compile(rf"\b{NUMBER_WORDS} of them\b|\b{NUMBER_WORDS}(?:\s+[\w-]+){{0,2}}\s+"
                            r"(?:networks|operations|campaigns|clusters)\b"
                            r"|^\W*the (?:first|second|third|fourth|fifth|sixth|other|last|remaining)\s*[,—–]", re.I),
    "network_object": re.compile(r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,3}(?:network|operation|campaign)\b"
                                 r"|\b\d[\d,]*\s+(?:Facebook|Instagram)\b", re.I),
    # "Another network, run from Iran", "The second network came from Russia"
    "enumerated": re.compile(r"(?:^|[\s,;:])(?:one|another|a second|a third|a fourth|a fifth|a sixth|the first|"
                             r"the second|the third|the fourth|the fifth|the last|a final|the other)\s+(?:[\w-]+\s+){0,3}"
                             r"(?:network|operation|campaign|set|cluster)\b", re.I),
    "labelled_item": re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?[A-Z][^:\n]{1,60}:\s+(?:[\w-]+\s+){0,5}"
                                r"(?:network|operation|campaign)\b"),
    "further_count": re.compile(r"\b(?:a further|another|an additional|a second|a third|the remaining)\s+[\d,]+\s+"
                                r"(?:[\w-]+\s+)?(?:accounts|profiles|Pages|channels)\b", re.I),
    "anaphora": re.compile(r"\b(?:this|these|the same|that|its|their)\s+(?:\w+\s+)?(?:network|activity|operation|"
                           r"campaign|accounts|assets)\b|\b(?:removed|took down|disrupted) (?:it|them)\b"
                           r"|\bbehind (?:it|them)\b", re.I),
    # "a network the company removed in 2020": an earlier takedown, told in passing
    "past_removal": re.compile(
        r"\b(?:network|operation|campaign|activit(?:y|ies))s? (?:that |which )?(?:we|it|the company|[A-Z]\w+) "
        r"(?:had |previously )?(?:removed|took down|disrupted|disclosed|announced|described)\b[^.]{0,30}?\bin "
        r"(?:(?:19|20)\d\d|January|February|March|April|May|June|July|August|September|October|November|December)\b"
        r"|\b(?:disclosed|described|announced|reported) in our (?:earlier|previous|prior|last)\b|\bre-?established\b",
        re.I),
    "sum_line": re.compile(r"^\W*(?:in total|overall|altogether|in all|combined)\b", re.I),
    "period": re.compile(r"\b(?:this|last|the) (?:month|quarter|year|report)\b|\bacross (?:these|all|the) networks\b",
                         re.I),
    "the_network": re.compile(r"\b(?:the|this) (?:network|operation|campaign|activity|accounts)\b", re.I),
    "section_network": re.compile(r"^\W*(?:(?:we|our \w+) (?:assess|believe|found|judge) that )?(?:the|this) "
                                  r"(?:[a-z-]+ ){0,2}?(?:network|operation|campaign|activity)\b", re.I),
    "question": re.compile(r"\?\s*$"),
    "first_person": re.compile(r"\b(?:we|our)\b", re.I),
}
# "Moldova (Feb): 68 FB accts ...", "Iran → Israel (Apr): 31 FB ...": a terse item labelled with its origin
ORIGIN_LABEL = re.compile(r"^\W*(?P<origin>[A-Z][\w .'-]{1,40}?)\s*(?:(?:→|->|to)\s*(?P<targets>[A-Z][^(:]{1,60}?))?"
                          r"\s*(?:\([^)]{1,20}\))?\s*:[*_]*\s")


def rule_origins(unit: Unit) -> set[str]:
    """Countries the cue rules (not the learned model) read as origins."""
    return {p.code for p in unit.places if p.code and (p.rule_role if p.learned else p.role) in ("origin", "origin_weak")}


def origin_label(unit: Unit) -> tuple[str, ...]:
    """The origin codes of a terse item's label ('Moldova (Feb):', 'Iran → Israel:'), else ()."""
    match = ORIGIN_LABEL.match(unit.text)
    if not match:
        return ()
    codes = gazetteer.country_codes(match.group("origin"))
    return codes if codes and len(codes) == len(gazetteer.list_items(match.group("origin"))) else ()


def rule_opens(unit: Unit, fired: set[str]) -> bool:
    """Would the old cue rules have opened a network at this unit?"""
    origin, operators, removed = bool(rule_origins(unit)), bool(unit.operators()), bool(unit.removed)
    if "removal" in unit.cues:
        return removed or ((origin or operators or "network_object" in fired)
                           and not {"anaphora", "past_removal"} & fired)
    if origin and {"further_count", "labelled_item", "enumerated"} & fired:
        return True
    if origin and removed and "network_object" in fired:
        return True
    return removed and (origin or operators) and "operator_verb" in unit.cues


def rule_features(unit: Unit) -> list[str]:
    """Which cue patterns fire in the unit, and the old rules' verdict, as features."""
    fired = {name for name, pattern in PATTERNS.items() if pattern.search(unit.text)}
    out = [f"re={name}" for name in sorted(fired)]
    if rule_opens(unit, fired):
        out.append("rule_opens")
    if unit.removed and origin_label(unit):
        out.append("origin_label")
    return out
