"""Component `iokg_platforms`: mentions of platforms (Facebook, Instagram, Twitter/X, Telegram, ...).

Writes `doc._.iokg_platforms`, a list of (start, end, canonical name) token spans.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg import gazetteer
from kg.components.common import doc_extension, longest, phrase_matcher


def platform_table() -> dict[str, list[str]]:
    """Canonical platform name → its aliases."""
    table: dict[str, list[str]] = {}
    for alias, name in gazetteer.platforms().items():
        table.setdefault(name, []).append(alias)
    return table


@Language.factory("iokg_platforms")
def make_platforms(nlp: Language, name: str):
    """Find platform names with an ORTH PhraseMatcher (case matters: 'Medium' the site, not 'medium')."""
    doc_extension("iokg_platforms")
    matcher = phrase_matcher(nlp.vocab, platform_table(), attr="ORTH")

    def platforms(doc: Doc) -> Doc:
        hits = [(m, s, e) for m, s, e in matcher(doc)]
        doc._.iokg_platforms = [(s, e, nlp.vocab.strings[m]) for m, s, e in longest(hits)]
        return doc

    return platforms
