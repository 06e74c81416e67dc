"""People and parties as stance targets: names folded for comparison, parties resolved, variants merged.

"President Talon" and "Patrice Talon" become one person; "MORENA", "Morena" and "National
Regeneration Movement" one party (kg/data/parties.jsonl); "Venezuela's political opposition" and
"political opposition in Venezuela" one movement.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from kg.errors import UsageError
from kg.graph.model import StanceTarget
from kg.data import DATA_DIR, load_jsonl
from kg.extract.gazetteer import country_code, fold

STOPWORDS = {"the", "of", "in", "s", "and", "a", "an", "for"}
NAME_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w’'\-]*|d['’][A-ZÀ-Þ][\w\-]*)"
PARTICLES = {"de", "del", "la", "las", "los", "van", "von", "da", "dos", "das", "bin", "al", "el", "y", "e", "du", "des",
             "le", "for", "of", "the"}


@dataclass(frozen=True)
class Party:
    """One entry of kg/data/parties.jsonl."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    kind: str


@functools.lru_cache(maxsize=1)
def _party_index() -> dict[str, Party]:
    index: dict[str, Party] = {}
    for number, row in enumerate(load_jsonl("parties"), 1):
        try:
            party = Party(row["name"], tuple(row.get("aliases", ())), row.get("country"), row.get("kind", "party"))
        except KeyError as error:
            raise UsageError(f"{DATA_DIR / 'parties.jsonl'}: row {number}: bad party entry (no {error})") from None
        for name in (party.name, *party.aliases):
            index.setdefault(fold(name), party)
    return index


def find_party(name: str) -> Party | None:
    """The known party or movement this name (or alias, any spelling) refers to, if any."""
    key = fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I))
    index = _party_index()
    return index.get(key) or index.get(re.sub(r"\s+(party|movement)$", "", key))


def country_of(text: str) -> str | None:
    """ISO code when `text` is a country name or demonym in any case or spelling ("Iranian", "Venezuela's")."""
    return country_code(re.sub(r"['’]s$", "", text.strip()), folded=True)


_SPELLED_OUT = re.compile(r"((?:[A-ZÀ-Þ][\w’'-]*\s+(?:(?:de|des|del|du|of|for|the|and|la|le|al|el|&)\s+)*){1,8})"
                          r"\(([A-Z]{2,8})\)")


@functools.lru_cache(maxsize=8)
def acronym_map(text: str, initials: bool = True) -> dict[str, str]:
    """"Mojahedin-e Khalq (MEK)" -> {"MEK": "Mojahedin-e Khalq"}: the acronyms a document spells out (iokg's one
    acronym finder). With `initials` only those whose long form starts with the acronym's first letter; operators
    need all ("Justice and Development Party (AKP)" is Turkish for the AKP)."""
    found: dict[str, str] = {}
    for m in _SPELLED_OUT.finditer(text):
        long_form = m.group(1).strip()
        if not initials or long_form[0].upper() == m.group(2)[0]:
            found.setdefault(m.group(2), long_form)
    return found


def name_runs(text: str) -> list[tuple[int, int]]:
    """Character spans of capitalised name runs ("Miguel Ángel Navarro Quintero", "Roberto d'Aubuisson")."""
    pattern = rf"(?<![\w#@]){NAME_TOKEN}(?:\s+(?:(?:{'|'.join(PARTICLES)})\s+){{0,2}}{NAME_TOKEN})*"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


@functools.lru_cache(maxsize=8)
def _names_by_end_word(text: str) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Names of two to five words in `text`, by their folded first and last word (read once per text)."""
    table: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for start, end in name_runs(text):
        words = text[start:end].split()
        if len(words) < 2 or len(words) > 5 or any(w in ("for", "of", "the") for w in words):
            continue
        entry = (text[start:end], frozenset(fold(w) for w in words))
        for key in {fold(words[0]), fold(words[-1])}:
            table.setdefault(key, []).append(entry)
    return table


def _candidates(token: str, text: str, roles: set[str]) -> set[str]:
    """Longer names in `text` that contain `token` as their first or last word."""
    return {name for name, folded in _names_by_end_word(text).get(fold(token), []) if not folded & set(roles)}


def expand_name(name: str, document_text: str, roles: set[str] = frozenset()) -> str:
    """The full form of a one-word person name when the document gives exactly one ("Arauz" -> "Andrés Arauz")."""
    if " " in name.strip():
        return name
    found = _candidates(name, document_text, roles)
    longest = max(found, key=lambda n: len(n.split()), default=None)
    if longest and all(set(fold(f).split()) <= set(fold(longest).split()) for f in found):
        return longest
    for tag in re.findall(r"#(\w+)", document_text):  # "#robertodaubuisson" joins "Roberto" and "d'Aubuisson"
        tag = fold(tag)
        if tag.startswith(fold(name)) and len(tag) > len(fold(name)) + 2:
            rest = tag[len(fold(name)):]
            match = next((w for w in re.findall(NAME_TOKEN, document_text) if fold(w).replace(" ", "") == rest), None)
            if match:
                return f"{name} {match}"
    return name


def target_key(target: StanceTarget) -> frozenset[str]:
    """Words that identify a target regardless of word order, possessives or demonyms."""
    if target.kind in ("party", "movement"):
        party = find_party(target.name)
        if party:
            return frozenset({"party:" + fold(party.name)})
    words = [w for w in fold(target.name).split() if w not in STOPWORDS]
    return frozenset((country_of(w) or w) if target.kind != "person" else w for w in words)


def same_target(a: StanceTarget, b: StanceTarget) -> bool:
    """True when two targets name the same party, movement, government or person."""
    ka, kb = target_key(a), target_key(b)
    if ka == kb:
        return True
    if a.kind == b.kind == "person":
        return bool(ka) and bool(kb) and (ka <= kb or kb <= ka)
    return False


def merge_two(a: StanceTarget, b: StanceTarget) -> StanceTarget:
    """One target from two variants: the longer name wins, the other becomes an alias."""
    keep, other = (a, b) if len(a.name.split()) >= len(b.name.split()) else (b, a)
    aliases = tuple(dict.fromkeys(x for x in (*keep.aliases, other.name, *other.aliases) if x != keep.name))
    return replace(keep, aliases=aliases, role=keep.role or other.role, country=keep.country or other.country)


def merge_targets(targets: list[StanceTarget]) -> list[StanceTarget]:
    """Merge name variants of the same target, keeping first-seen order."""
    merged: list[StanceTarget] = []
    for target in targets:
        for i, seen in enumerate(merged):
            if same_target(seen, target):
                merged[i] = merge_two(seen, target)
                break
        else:
            merged.append(target)
    return merged


def party_target(name: str, kind: str = "party") -> StanceTarget:
    """A party or movement target, canonicalised through kg/data/parties.jsonl when known."""
    party = find_party(name)
    if party:
        aliases = tuple(a for a in (name, *party.aliases) if a != party.name)
        return StanceTarget(party.name, party.kind, country=party.country, aliases=tuple(dict.fromkeys(aliases)))
    return StanceTarget(name, kind)
