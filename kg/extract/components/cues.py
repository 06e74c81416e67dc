"""Component `iokg_cues`: the cue phrases of cues.jsonl (removal verbs, target and origin phrases,
attribution and discovery phrases, policy names), matched case-insensitively in one pass.

Writes `doc._.iokg_cues`, a list of (start, end, cue name) token spans, longest match first.
"""
from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from kg.data import load_jsonl
from kg.extract import gazetteer
from kg.extract.components.common import best_matches, doc_extension, phrase_matcher

MATCHED_CUES = ("removal", "aggregate_noun", "origin_strong", "target", "domestic", "attribution",
                "operator_verb", "discovery", "policy_context", "policy_fi", "policy_cib", "region_prefix")
CASE_SENSITIVE = {"policy_cib"}  # "CIB" only in capitals
GAP = 4  # "linked <the operation> to", "attributed <with high confidence> to": words allowed in between


def gapped_cues(doc: Doc, rows: list[tuple[str, list[int], str]]) -> list[tuple[str, int, int]]:
    """(cue, start, end) for a head word, up to GAP words without punctuation, then the tail word."""
    found = []
    lowered = doc.to_array("LOWER")
    for label, heads, tail in rows:
        for i in numpy.isin(lowered, heads).nonzero()[0]:
            tok = doc[int(i)]
            for j in range(tok.i + 2, min(len(doc), tok.i + GAP + 2)):
                if doc[j].lower_ == tail:
                    found.append((label, tok.i, j + 1))
                    break
                if doc[j].is_punct or doc[j].lower_ in ("and", "but"):
                    break
    return found


@Language.factory("iokg_cues")
def make_cues(nlp: Language, name: str):
    """Match every cue list with a LOWER PhraseMatcher (and ORTH for case-sensitive ones)."""
    doc_extension("iokg_cues")
    lower = phrase_matcher(nlp.vocab, {c: gazetteer.cue(c) for c in MATCHED_CUES if c not in CASE_SENSITIVE}, "LOWER")
    orth = phrase_matcher(nlp.vocab, {c: gazetteer.cue(c) for c in CASE_SENSITIVE}, "ORTH")
    gapped = [(row["cue"], [nlp.vocab.strings.add(h) for h in row["gapped_heads"]], row["gapped_tail"])
              for row in load_jsonl("cues") if "gapped_heads" in row]

    def cues(doc: Doc) -> Doc:
        hits = [*lower(doc), *orth(doc), *gapped_cues(doc, gapped)]
        doc._.iokg_cues = [(s.start, s.end, s.label_) for s in best_matches(doc, hits)]
        return doc

    return cues
