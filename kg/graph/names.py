"""One resolver for the names users and documents give countries and organisations.

Countries resolve from any case of a name, short name, ISO alpha-2/alpha-3 code or demonym
("Russia", "RU", "RUS", "russian", "UK", "Türkiye") to the ISO alpha-2 code, over the same tables the
extractor reads (kg.extract.gazetteer: pycountry plus kg/data/countries.jsonl). Organisation and
stance names resolve through a store's lower-cased names (iokg:nameKey). `closest` suggests names
for a lookup that found nothing.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

import pycountry

COUNTRY_PARAMS = ("country", "origin", "target")
ENTITY_PARAMS = ("name", "operator", "party", "entity", "organisation", "organization", "discoverer")


def fold(text: str) -> str:
    """Case- and accent-free key with single spaces: 'Türkiye' → 'turkiye', 'U.K.' → 'u.k.'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def country_keys() -> dict[str, str]:
    """Folded name, code or demonym → ISO alpha-2."""
    from kg.extract.gazetteer import country_names, demonyms

    keys: dict[str, str] = {}
    for country in pycountry.countries:
        keys[fold(country.alpha_2)] = country.alpha_2
        keys[fold(country.alpha_3)] = country.alpha_2
    for table in (country_names(), demonyms()):
        for name, code in table.items():
            keys.setdefault(fold(name), code)
            keys.setdefault(fold(name.replace(".", "")), code)
    return keys


def resolve_country(text: str) -> str | None:
    """ISO alpha-2 for any spelling of a country, None when nothing matches."""
    key = fold(text.strip())
    if not key:
        return None
    return country_keys().get(key) or country_keys().get(re.sub(r"^the ", "", key))


def closest(text: str, names, limit: int = 5) -> list[str]:
    """The names most like `text` (case-insensitive), best first."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(fold(name), name)
    found = difflib.get_close_matches(fold(text), list(by_key), n=limit, cutoff=0.6)
    starts = [k for k in sorted(by_key) if fold(text) and (k.startswith(fold(text)) or fold(text) in k.split())]
    return list(dict.fromkeys(by_key[k] for k in (*found, *starts)))[:limit]


def closest_countries(text: str, limit: int = 5) -> list[str]:
    """Country names like `text`, for 'did you mean' hints."""
    names = {getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    from kg.extract.gazetteer import country_names

    return closest(text, names | set(country_names()), limit)
