"""Typed views of the extractor's rule data (the jsonl files in kg/data, read by `kg.data.load_jsonl`).

Keeping words and names in data files lets the rules grow without touching code.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from kg.errors import UsageError
from kg.data import load_jsonl


GENERIC_PLACE_WORDS = {"central", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
                       "centre", "center", "capital", "coast", "coastal", "lakes", "highlands", "islands", "island",
                       "upper", "lower", "region", "district", "city", "river", "valley", "greater", "new", "the",
                       "north-east", "north-west", "south-east", "south-west", "northeast", "northwest", "southeast",
                       "southwest", "middle", "interior", "mountain", "plateau", "national", "federal", "union"}


def fold(text: str) -> str:
    """Lower case without accents, apostrophes or punctuation; runs of 3+ letters cut to 2 ("Villlegas")."""
    text = re.sub(r"([a-zà-ÿ])\1{2,}", r"\1\1", text)  # lower-case only: "PPP" stays an acronym
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’]", "", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


@lru_cache(maxsize=None)
def cues() -> dict[str, tuple[str, ...]]:
    """Cue phrase lists by cue name (removal, target, attribution, ...) from cues.jsonl."""
    return {row["cue"]: tuple(row["phrases"]) for row in load_jsonl("cues")}


def cue(name: str) -> tuple[str, ...]:
    """One cue list; a wrong name raises UsageError listing the valid cue names."""
    table = cues()
    if name not in table:
        raise UsageError(f"unknown cue '{name}' (valid: {', '.join(sorted(table))})")
    return table[name]


@lru_cache(maxsize=None)
def quantity_words(kind: str):
    """The `words` (dict or list) of the quantities.jsonl row of that kind."""
    for row in load_jsonl("quantities"):
        if row["kind"] == kind and "words" in row:
            return row["words"]
    kinds = sorted({row["kind"] for row in load_jsonl("quantities")})
    raise UsageError(f"unknown quantity kind '{kind}' (valid: {', '.join(kinds)})")


@lru_cache(maxsize=None)
def asset_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, removed-key) pairs, longest phrase first so 'Instagram accounts' beats 'accounts'."""
    pairs = [(p, row["key"]) for row in load_jsonl("quantities") if row["kind"] == "asset" for p in row["phrases"]]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@dataclass(frozen=True)
class Actor:
    """A known organisation: operator, researcher or tipper."""

    name: str
    aliases: tuple[str, ...]
    category: str | None
    country: str | None
    role: str  # operator | researcher


@lru_cache(maxsize=None)
def actors() -> tuple[Actor, ...]:
    """Known actors from actors.jsonl."""
    return tuple(Actor(r["name"], tuple(r.get("aliases", ())), r.get("category"), r.get("country"), r["role"])
                 for r in load_jsonl("actors"))


@lru_cache(maxsize=None)
def platforms() -> dict[str, str]:
    """Alias → canonical platform name."""
    return {alias: row["name"] for row in load_jsonl("platforms") for alias in row["aliases"]}


@lru_cache(maxsize=None)
def org_types() -> tuple[tuple[str, str], ...]:
    """(org-type noun, category) pairs, longest first ('PR firm' before 'firm')."""
    pairs = [(noun, row["category"]) for row in load_jsonl("org_types") for noun in row["nouns"]]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=None)
def name_words() -> dict[str, str]:
    """Last word of an organisation's name → category ('Party' → political, 'News' → media)."""
    return {word: row["category"] for row in load_jsonl("org_types") for word in row.get("name_words", ())}


@lru_cache(maxsize=None)
def lead_words() -> dict[str, str]:
    """First word of an organisation's name → category ('Partido Popular' → political, 'Government ...' → government)."""
    return {word: row["category"] for row in load_jsonl("org_types") for word in row.get("lead_words", ())}


@lru_cache(maxsize=None)
def country_names() -> dict[str, str]:
    """Country name or short form → ISO alpha-2: every ISO 3166-1 country plus countries.jsonl."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            for value in _name_forms(getattr(country, attr, None) or ""):
                if names.setdefault(value, country.alpha_2) != country.alpha_2:
                    ambiguous.add(value)
    for value in ambiguous:
        del names[value]
    for row in load_jsonl("countries"):
        for name in row["names"]:
            names[name] = row["code"]
            if name.startswith("the "):
                names[name[4:]] = row["code"]
    return names


def _name_forms(value: str) -> list[str]:
    """'Iran, Islamic Republic of' → the full name, 'Islamic Republic of Iran' and 'Iran'."""
    if ", " not in value:
        return [value] if value else []
    head, tail = value.split(", ", 1)
    forms = [value, head]
    if tail.endswith((" of", " of the")) or tail in ("The", "the"):
        forms.append(f"{tail} {head}")
    return forms


@lru_cache(maxsize=None)
def demonyms() -> dict[str, str]:
    """Demonym → ISO alpha-2 ('Iranian' → IR, 'Nigerien' → NE, 'Nigerian' → NG)."""
    return {d: row["code"] for row in load_jsonl("countries") for d in row["demonyms"]}


@lru_cache(maxsize=None)
def subdivisions() -> dict[str, str]:
    """Sub-national place name (ISO 3166-2 plus regions.jsonl) → country code ('Quintana Roo' → MX)."""
    countries = country_names()
    table: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        name = sub.name.split(" [")[0].split(" (")[0]
        if name not in countries and len(name) > 3 and not set(name.lower().split()) <= GENERIC_PLACE_WORDS:
            table.setdefault(name, sub.country_code)
    for row in load_jsonl("regions"):  # common English names that ISO 3166-2 spells locally or lacks
        table[row["name"]] = row["country"]
    return table


def country_code(name: str, folded: bool = False) -> str | None:
    """ISO alpha-2 for a country name, short form or demonym; None if unknown. This is iokg's one country
    resolver: `folded` also accepts any case, accents and punctuation ("VENEZUELA", "u.s.")."""
    code = country_names().get(name) or demonyms().get(name)
    return code or (_folded_countries().get(fold(name)) if folded else None)


@lru_cache(maxsize=None)
def _folded_countries() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, code in [*country_names().items(), *demonyms().items()]:
        table.setdefault(fold(name), code)
    return table


_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|/|\band\b|&)\s*")


def list_items(text: str) -> list[str]:
    """The items of a written list: 'Israel, Bahrain and Iran' → ['Israel', 'Bahrain', 'Iran']."""
    return [item for item in _LIST_SEPARATOR.split(text) if item]


def country_codes(text: str) -> tuple[str, ...]:
    """ISO codes of a written list of countries, in order, once each; items that are not countries are skipped."""
    return tuple(dict.fromkeys(code for code in map(country_code, list_items(text)) if code))


@lru_cache(maxsize=None)
def country_label(code: str) -> str:
    """A short readable name for an ISO code ('IR' → 'Iran'), for network labels."""
    for row in load_jsonl("countries"):
        if row["code"] == code:
            return row["names"][0] if len(row["names"][0]) > 3 else row["names"][min(2, len(row["names"]) - 1)]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)
