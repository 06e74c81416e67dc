"""Component `iokg_cues`: the cue phrases of cues.jsonl (removal verbs, target and origin phrases,
attribution and discovery phrases, policy names), matched case-insensitively in one pass.

Writes `doc._.iokg_cues`, a list of (start, end, cue name) token spans, longest match first.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from kg import gazetteer
from kg.components.common import doc_extension, longest, phrase_matcher

MATCHED_CUES = ("removal", "aggregate_noun", "origin_strong", "target", "domestic", "attribution",
                "operator_verb", "discovery", "policy_context", "policy_fi", "policy_cib", "region_prefix")
CASE_SENSITIVE = {"policy_cib"}  # "CIB" only in capitals
GAP = 4  # "linked <the operation> to", "attributed <with high confidence> to": words allowed in between


def gapped_patterns(heads: list[str], tail: str) -> list[list[dict]]:
    """Matcher patterns: a head verb, up to GAP words (no punctuation), then the tail word."""
    head = {"LOWER": {"IN": heads}}
    return [[head, *([{"IS_PUNCT": False, "LOWER": {"NOT_IN": [tail, "and", "but"]}}] * n), {"LOWER": tail}]
            for n in range(1, GAP + 1)]


@Language.factory("iokg_cues")
def make_cues(nlp: Language, name: str):
    """Match every cue list with a LOWER PhraseMatcher (and ORTH for case-sensitive ones)."""
    doc_extension("iokg_cues")
    lower = phrase_matcher(nlp.vocab, {c: gazetteer.cue(c) for c in MATCHED_CUES if c not in CASE_SENSITIVE}, "LOWER")
    orth = phrase_matcher(nlp.vocab, {c: gazetteer.cue(c) for c in CASE_SENSITIVE}, "ORTH")
    gapped = Matcher(nlp.vocab)
    for row in gazetteer.load("cues"):
        if "gapped_heads" in row:
            gapped.add(row["cue"], gapped_patterns(row["gapped_heads"], row["gapped_tail"]))

    def cues(doc: Doc) -> Doc:
        hits = [(nlp.vocab.strings[m], s, e) for m, s, e in [*lower(doc), *orth(doc), *gapped(doc)]]
        doc._.iokg_cues = [(s, e, label) for label, s, e in longest(hits)]
        return doc

    return cues
