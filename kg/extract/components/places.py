"""Component `iokg_places`: countries (ISO 3166-1 names, short forms, demonyms) and sub-national regions.

Writes `doc._.iokg_places`, a list of Place records; the role of each place (origin, target) is
decided later by `iokg_roles` from the words around it.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import gazetteer
from kg.extract.components.common import matcher_component

MIN_UPPER_LEN = 5  # upper-case variants ("ALBANIA") only for names this long, so "IN" is not India
PLURAL_ENDINGS = ("an", "i", "o")  # demonyms that name people with an added s (not "Chinese", "French")
US_STATE_CUES = ("state of", "U.S. state of", "US state of")


@dataclass
class Place:
    """A place mention: token span, ISO code, kind (country|demonym|region|macro) and later its role."""

    start: int
    end: int
    code: str
    kind: str
    text: str
    role: str | None = None
    rule_role: str | None = None  # the role the cue rules gave, kept once a learned model has set `role`
    learned: bool = False


def place_table() -> dict[str, list[str]]:
    """Matcher labels → phrases: C:<code>, D:<code>, R:<code> (region) and MACRO."""
    table: dict[str, list[str]] = {}
    for name, code in gazetteer.country_names().items():
        table.setdefault(f"C:{code}", []).append(name)
        if len(name) >= MIN_UPPER_LEN:
            table[f"C:{code}"].append(name.upper())
    for name, code in gazetteer.demonyms().items():
        table.setdefault(f"D:{code}", []).append(name)
        if name.endswith(PLURAL_ENDINGS) and " " not in name:
            table[f"D:{code}"].append(name + "s")  # "run by Ghanaians", "aimed at Israelis"
    for name, code in gazetteer.subdivisions().items():
        table.setdefault(f"R:{code}", []).append(name)
    table["MACRO"] = list(gazetteer.cue("macro_region"))
    return table


def resolve(doc: Doc, label: str, start: int, end: int) -> Place:
    """Turn a matcher hit into a Place, telling the US state of Georgia from the country."""
    text = doc[start:end].text
    if label == "MACRO":
        return Place(start, end, "", "macro", text)
    kind = {"C": "country", "D": "demonym", "R": "region"}[label[0]]
    code = label[2:]
    before = doc[max(0, start - 3):start].text
    if code == "GE" and text == "Georgia" and (before.endswith(US_STATE_CUES) or _after_us_city(doc, start, end)):
        return Place(start, end, "US", "region", text)
    return Place(start, end, code, kind, text)


def _after_us_city(doc: Doc, start: int, end: int) -> bool:
    """'Atlanta, Georgia' or 'Georgia, USA': the US state."""
    after = doc[end:end + 2].text
    return after.startswith((", USA", ", U.S.", ", US")) or (start >= 2 and doc[start - 1].text == ","
                                                             and doc[start - 2].text == "Atlanta")


def _not_a_place(doc: Doc, start: int, end: int) -> bool:
    """'pro-Russia', 'anti-Iranian' (a stance) and 'Russian-speaking' (a language group) are not places."""
    before = doc[max(0, start - 2):start].text.lower().replace(" ", "")
    after = doc[end:end + 2].text.lower().replace(" ", "")
    return before in ("pro-", "anti-") or after in ("-speaking", "-language")


def drop_languages(doc: Doc, found: list[Place]) -> list[Place]:
    """'posted in French and Arabic': a demonym after 'in' (and the list it starts) names a language."""
    kept, language_end = [], -1
    for place in found:
        before = doc[place.start - 1].lower_ if place.start else ""
        gap = place.start - language_end
        listed = language_end >= 0 and (gap <= 1 or gap == 2 and doc[place.start - 1].lower_ in (",", "and", "or"))
        if place.kind == "demonym" and (before == "in" or listed):
            language_end = place.end
            continue
        kept.append(place)
    return kept


def found_places(doc: Doc, spans: list[Span]) -> list[Place]:
    """The places of the best matches, without stances ('pro-Russia') and languages ('in French')."""
    found = [resolve(doc, s.label_, s.start, s.end) for s in spans if not _not_a_place(doc, s.start, s.end)]
    platform_names = set(gazetteer.platforms())
    found = [p for p in found if not (p.kind == "region" and p.text in platform_names)]  # "Meta" is not Colombia's Meta
    return drop_languages(doc, found)


@Language.factory("iokg_places", assigns=["doc._.iokg_places"])
def make_places(nlp: Language, name: str):
    """Find country names, demonyms and regions with one ORTH PhraseMatcher pass."""
    return matcher_component(nlp, "iokg_places", place_table(), found_places)
