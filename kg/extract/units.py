"""Units of a document: its sentences and lines, each with the section (heading scope) it sits in
and a summary of what the mention-finding components saw in it.

Units are what candidate networks are proposed from and what facts are assigned through; building
them is one pass over the Doc's annotations, so everything after it stays linear in the document.
"""
from __future__ import annotations

import re
from functools import cached_property
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span

ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.)]\s|\(?[a-hivx]{1,4}\)\s|\d{1,2}\s*$|#+\s)")
BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013\u2014>]|\d{1,2}[.)])\s")
LABEL = re.compile(r"^\W*(?P<label>[A-Za-z][\w '’/()-]{0,40}?)\s*[:：]\s*\S")
SLASH_LINE = re.compile(r"^\W*[A-Z][\w .'’-]{1,40}?\s+/\s+\S")
NETWORK_WORD = re.compile(r"\b(?:network|operation|campaign|cluster|takedown)s?\b", re.I)


@dataclass
class Unit:
    """One sentence or line: its span, section and layout, and the mentions found inside it."""

    span: Span
    index: int
    section: int  # index of the heading unit that scopes it, -1 before any heading
    heading: bool = False
    country_only: tuple[str, ...] = ()  # a line made only of country names ("2. Myanmar", "Serbia.")
    cues: set[str] = field(default_factory=set)
    quantities: list = field(default_factory=list)
    places: list = field(default_factory=list)
    orgs: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:  # cached: the place features ask for it once per mention, and a unit can be 1 MB
        return self.span.text

    @property
    def removed(self) -> list:
        return [q for q in self.quantities if q.kind == "removed"]

    @property
    def origins(self) -> set[str]:
        """Countries read as origins (by the learned place model once it has run, else by the cue rules)."""
        return {p.code for p in self.places if p.code and p.role in ("origin", "origin_weak", "both")}

    def operators(self) -> set[str]:
        return {o.name for o in self.orgs if o.role == "operator"} | {a.name for _, _, a in self.actors if a.role == "operator"}


def is_heading(sent: Span) -> bool:
    """Numbered items, Markdown headings, all-capitals lines and short title lines start a new context."""
    line = sent.text.strip()
    if not line:
        return False
    letters = [c for c in line if c.isalpha()]
    if ITEM_START.match(line) and len(line.split()) <= 12:
        return True
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return True
    stripped = line.strip("*_# ")
    own_line = sent.start == 0 or "\n" in sent.doc[sent.start - 1].text_with_ws
    return (sent.text.endswith("\n") and own_line and stripped[:1].isupper() and stripped[-1:] not in ".!?;,|"
            and len(stripped.split()) <= 10)


def build_units(doc: Doc) -> list[Unit]:
    """The document's non-blank sentences as Units, with their mentions gathered in one pass."""
    units: list[Unit] = []
    unit_of = [-1] * len(doc)
    section = -1
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        unit = Unit(sent, len(units), section)
        unit_of[sent.start:sent.end] = [unit.index] * (sent.end - sent.start)
        units.append(unit)
    for p in doc._.iokg_places:
        if unit_of[p.start] >= 0:
            units[unit_of[p.start]].places.append(p)
    for q in doc._.iokg_quantities:
        if unit_of[q.start] >= 0:
            units[unit_of[q.start]].quantities.append(q)
    for o in doc._.iokg_orgs:
        if unit_of[o.start] >= 0:
            units[unit_of[o.start]].orgs.append(o)
    for start, end, actor in doc._.iokg_actors:
        if unit_of[start] >= 0:
            units[unit_of[start]].actors.append((start, end, actor))
    for start, _, label in doc._.iokg_cues:
        if unit_of[start] >= 0:
            units[unit_of[start]].cues.add(label)
    for start, _, platform in doc._.iokg_platforms:
        if unit_of[start] >= 0:
            units[unit_of[start]].platforms.append(platform)
    kinds = block_kinds(doc)
    for unit in units:
        unit.country_only = country_only(unit)
        if kinds is None:
            unit.heading = bool(unit.country_only) or is_heading(unit.span)
        else:  # the reader's structure says which lines are headings
            unit.heading = bool(unit.country_only) or kinds[unit.span.start] == "heading"
        if unit.heading:
            section = unit.index
        unit.section = section
    return units


def block_kinds(doc: Doc) -> list[str | None] | None:
    """For each token, the kind of the reader's block holding it (None between blocks); None when the
    Doc carries no blocks."""
    blocks = doc._.iokg_blocks if Doc.has_extension("iokg_blocks") else None
    if not blocks:
        return None
    kinds: list[str | None] = [None] * len(doc)
    for block in blocks:
        kinds[block.span.start:block.span.end] = [block.kind] * len(block.span)
    return kinds


def country_only(unit: Unit) -> tuple[str, ...]:
    """'China', '2. Myanmar', 'Saudi Arabia, Egypt and the UAE.': a line made only of country names."""
    countries = [p for p in unit.places if p.kind == "country"]
    if not countries:
        return ()
    inside = {i for p in countries for i in range(p.start, p.end)}
    rest = [t for t in unit.span if t.i not in inside and not (t.is_punct or t.is_space or t.like_num
                                                                or t.lower_ in ("and", "the", "#", "##", "###"))]
    return () if rest else tuple(dict.fromkeys(p.code for p in countries))
