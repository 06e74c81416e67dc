"""Small parsers for the text of Meta's indicator cells: counts, followers, countries, IOC kinds (ad spend:
kg.extract.money).

Kept apart from kg.extract.indicators so each rule can be tested on its own strings; none of them knows
about CSV rows or documents.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kg.extract.gazetteer import country_names

_APPROX = r"(?:about|around|approximately|over|more than|less than|fewer than|nearly|almost|roughly)"
_REMOVED = re.compile(rf"^\s*{_APPROX}?\s*(\d[\d,]*)\s+(facebook\s+|instagram\s+)?(accounts?|pages?|groups?|events?)\b(.*)$",
                      re.I | re.S)
_FOLLOWED = re.compile(rf"\b(?:{_APPROX}\s+)?(\d[\d,]*|no)\s+(?:accounts|people|users)\s+(?:followed|joined)\b(.*)",
                       re.I | re.S)
FOLLOWER_KEY = {"7.2.2": "pages", "7.2.3": "groups", "7.2.4": "instagram"}
_DOT = r"(?:\[\.\]|\.)"
_DOMAIN = re.compile(rf"(?i)[a-z0-9_-]+(?:{_DOT}[a-z0-9_-]+)*{_DOT}[a-z]{{2,}}(?:\[?\.\]?)?/?")
_SCHEME = re.compile(r"(?i)^h(?:tt|xx)ps?(?:\[:\]|\{:\}|:)//")
_SENTENCE_START = {"the", "this", "these", "those", "posing", "some", "most", "its", "two", "in", "many", "a", "an"}


@lru_cache(maxsize=2)
def _country_pattern(ignore_case: bool) -> tuple[re.Pattern, dict[str, str]]:
    """One regular expression for every country name of the gazetteer; acronyms (US, UK) keep their case."""
    names = {name: code for name, code in country_names().items() if "," not in name and "(" not in name}
    parts = []
    for name in sorted(names, key=len, reverse=True):
        escaped = re.escape(name)
        parts.append(f"(?-i:{escaped})" if ignore_case and name.isupper() else escaped)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])", re.I if ignore_case else 0)
    return pattern, {name.lower(): code for name, code in names.items()}


def countries_in(text: str, ignore_case: bool = False) -> list[str]:
    """ISO alpha-2 codes of the countries named in `text`, in order, without repeats."""
    pattern, codes = _country_pattern(ignore_case)
    found = [codes[m.group(0).lower()] for m in pattern.finditer(text or "")]
    return list(dict.fromkeys(found))


_TARGET_VERB = re.compile(r"(?i)\btarget(?:ed|ing|s)?\b:?")
_TARGET_FILLER = {"primarily", "mainly", "mostly", "largely", "also", "at", "the", "audiences", "audience",
                  "people", "users", "in", "both", "eu", "and", "or"}


def targeted_countries(text: str) -> list[str]:
    """Countries a phrase says were targeted: 'targeted Lebanon', 'Germany-targeting', 'Country likely targeted: US'."""
    found = []
    for match in re.finditer(r"([A-Z][\w.]*(?: [A-Z][\w.]*)*)-targeting\b", text or ""):
        found += countries_in(match.group(1))
    for match in _TARGET_VERB.finditer(text or ""):
        rest = text[match.end():]
        while True:
            rest = rest.lstrip(" ,")
            length = _starts_with_country(rest)
            if length:
                found += countries_in(rest[:length])
                rest = rest[length:]
                continue
            head = re.match(r"[\w.']+", rest)
            if not head or head.group(0).lower() not in _TARGET_FILLER:
                break
            rest = rest[head.end():]
    return list(dict.fromkeys(found))


def _starts_with_country(text: str) -> int:
    """Length of the country name `text` starts with, or 0."""
    pattern, _codes = _country_pattern(False)
    match = pattern.match(text)
    return match.end() if match else 0


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def removed_count(text: str, instagram: bool = False) -> tuple[str, int] | None:
    """('pages', 39) from '39 Pages'; accounts are Instagram's when the row or text says so."""
    match = _REMOVED.match(text)
    if not match or re.search(r"(?i)facebook\s+and\s+instagram", match.group(4)):
        return None
    qualifier, noun = (match.group(2) or "").strip().lower(), match.group(3).lower().rstrip("s")
    if noun == "account":
        key = "instagram_accounts" if qualifier == "instagram" or (instagram and qualifier != "facebook") else "facebook_accounts"
    else:
        key = {"page": "pages", "group": "groups", "event": "events"}[noun]
    return key, _number(match.group(1))


def follower_count(text: str, notation: str = "") -> tuple[str, int] | None:
    """('pages', 100) from 'About 100 accounts followed one or more of these Pages'; 'No accounts' is 0."""
    match = _FOLLOWED.search(text)
    if not match:
        return None
    key = FOLLOWER_KEY.get(notation)
    if key is None:
        rest = match.group(2).lower()
        key = "instagram" if "instagram" in rest else "groups" if "group" in rest else "pages" if "page" in rest else None
    if key is None:
        return None
    return key, 0 if match.group(1).lower() == "no" else _number(match.group(1))


def indicator_kind(token: str) -> str | None:
    """'url', 'domain', 'email', 'ip' or 'hash' for one token, kept defanged; None for plain words."""
    if re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}", token):
        return "hash"
    if re.fullmatch(rf"\d{{1,3}}(?:{_DOT}\d{{1,3}}){{3}}", token):
        return "ip"
    if _SCHEME.match(token) or ("/" in token and _DOMAIN.match(token.split("/", 1)[0] + "/")) or \
            re.match(r"(?i)^[a-z0-9-]+\[\.\]/", token):
        return "url"
    if "[at]" in token.lower() or re.fullmatch(r"[^@/\s]+@[^@/\s]+\.[a-zA-Z]{2,}", token):
        return "email"
    if _DOMAIN.fullmatch(token):
        return "domain"
    return None


def classify(text: str) -> list[tuple[str, str]]:
    """The indicators a cell holds: every token when all are indicators, else the first one only."""
    tokens = [t for t in re.split(r"\s+|,\s+", text.strip()) if t]
    kinds = [indicator_kind(t) for t in tokens]
    if not tokens or kinds[0] is None:
        return []
    if all(kinds):
        return list(zip(kinds, tokens))
    return [(kinds[0], tokens[0])]


def is_page_name(text: str) -> bool:
    """True for a short brand or Page name ('Dhaka Television'), not a sentence about the network."""
    words = text.split()
    return (0 < len(words) <= 6 and not text.rstrip().endswith(".") and words[0].lower() not in _SENTENCE_START
            and not re.search(r"(?i)\b(network|operation|created|used|posing|posted)\b", text))


def humanize_name(file_name: str) -> str:
    """'Croatia-based CIB network (Q1 2024)' from 'Q1_2024_Croatia_Based_CIB_Network.csv'."""
    words = [w for w in re.split(r"[_\s]+", re.sub(r"(?i)-based(?![a-z])", " based", Path(file_name).stem)) if w]
    period = ""
    if len(words) > 2 and re.fullmatch(r"Q\d", words[0], re.I) and re.fullmatch(r"\d{4}", words[1]):
        period, words = f"{words[0].upper()} {words[1]}", words[2:]
    elif len(words) > 2 and re.fullmatch(r"\d{4}", words[0]) and re.fullmatch(r"\d{2}", words[1]):
        period, words = f"{words[0]}-{words[1]}", words[2:]
    out = []
    for word in words:
        low = word.lower()
        if low == "updated":
            continue
        if low in {"cib", "ib", "apt", "us", "uk"}:
            out.append(word.upper())
        elif low in {"based", "network", "cluster", "and", "targeting", "from", "of", "the"}:
            out.append(low)
        else:
            out.append(word.capitalize() if word.isupper() and len(word) > 3 else word)
    body = re.sub(r" based\b", "-based", " ".join(out))
    return f"{body} ({period})" if period else body
