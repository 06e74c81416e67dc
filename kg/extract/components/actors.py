"""Component `iokg_actors`: known operators and researchers from actors.jsonl, by name or alias.

Writes `doc._.iokg_actors`, a list of (start, end, Actor). Researchers and tippers (FireEye, FBI)
are kept apart from operators by their `role`, so they are never taken as operators.
"""
from __future__ import annotations

from spacy.language import Language

from kg.extract import gazetteer
from kg.extract.components.common import matcher_component


def actor_index() -> dict[str, gazetteer.Actor]:
    """Matcher label (canonical name) → Actor."""
    return {actor.name: actor for actor in gazetteer.actors()}


@Language.factory("iokg_actors", assigns=["doc._.iokg_actors"])
def make_actors(nlp: Language, name: str):
    """Find known actors with one ORTH PhraseMatcher (acronyms like IRA must keep their case)."""
    index = actor_index()
    table = {n: (a.name, *a.aliases) for n, a in index.items()}
    return matcher_component(nlp, "iokg_actors", table,
                             lambda doc, spans: [(s.start, s.end, index[s.label_]) for s in spans])
