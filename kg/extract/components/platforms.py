"""Component `iokg_platforms`: mentions of platforms (Facebook, Instagram, Twitter/X, Telegram, ...).

Writes `doc._.iokg_platforms`, a list of (start, end, canonical name) token spans.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import gazetteer
from kg.extract.components.common import matcher_component


BARE_X_NEXT = {"said", "says", "suspended", "removed", "took", "has", "had", "also", "banned", "announced",
               "disclosed", "deleted", "terminated", "'s", "\u2019s", "accounts", "account"}  # "X suspended ...": Twitter


def bare_x(doc: Doc, taken: set[int]) -> list[tuple[int, int, str]]:
    """The platform X written bare ('X suspended 1,200 accounts', 'on X.'), told from the letter by its neighbours."""
    found = []
    if "X." in doc.vocab.strings:  # "accounts on X." at a sentence end is one token
        for i in (int(k) for k in (doc.to_array("ORTH") == doc.vocab.strings["X."]).nonzero()[0]):
            if i and i not in taken and doc[i - 1].lower_ == "on":
                found.append((i, i + 1, "Twitter"))
    x = doc.vocab.strings["X"] if "X" in doc.vocab.strings else None
    if x is None:
        return found
    for i in (int(k) for k in (doc.to_array("ORTH") == x).nonzero()[0]):
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else "."
        prev = doc[i - 1].lower_ if i else ""
        if i not in taken and (nxt in BARE_X_NEXT or prev == "on" and nxt in (".", ",", ";")):
            found.append((i, i + 1, "Twitter"))
    return found


def platform_table() -> dict[str, list[str]]:
    """Canonical platform name → its aliases."""
    table: dict[str, list[str]] = {}
    for alias, name in gazetteer.platforms().items():
        table.setdefault(name, []).append(alias)
    return table


def found_platforms(doc: Doc, spans: list[Span]) -> list[tuple[int, int, str]]:
    """(start, end, platform) of the best matches plus the bare X that means Twitter, in order."""
    found = [(s.start, s.end, s.label_) for s in spans]
    taken = {i for s, e, _ in found for i in range(s, e)}
    return sorted(found + bare_x(doc, taken))


@Language.factory("iokg_platforms", assigns=["doc._.iokg_platforms"])
def make_platforms(nlp: Language, name: str):
    """Find platform names with an ORTH PhraseMatcher (case matters: 'Medium' the site, not 'medium')."""
    return matcher_component(nlp, "iokg_platforms", platform_table(), found_platforms)
