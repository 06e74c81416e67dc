"""Component `iokg_actors`: known operators and researchers from actors.jsonl, by name or alias.

Writes `doc._.iokg_actors`, a list of (start, end, Actor). Researchers and tippers (FireEye, FBI)
are kept apart from operators by their `role`, so they are never taken as operators.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import gazetteer
from kg.extract.components.common import best_matches, doc_extension, phrase_matcher


def actor_index() -> dict[str, gazetteer.Actor]:
    """Matcher label (canonical name) → Actor."""
    return {actor.name: actor for actor in gazetteer.actors()}


@Language.factory("iokg_actors")
def make_actors(nlp: Language, name: str):
    """Find known actors with one ORTH PhraseMatcher (acronyms like IRA must keep their case)."""
    doc_extension("iokg_actors")
    index = actor_index()
    table = {n: (a.name, *a.aliases) for n, a in index.items()}
    matcher = phrase_matcher(nlp.vocab, table, attr="ORTH")

    def actors(doc: Doc) -> Doc:
        doc._.iokg_actors = [(s.start, s.end, index[s.label_]) for s in best_matches(doc, matcher(doc))]
        return doc

    return actors
