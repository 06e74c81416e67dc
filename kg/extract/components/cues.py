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
from kg.extract.components.common import best_matches, doc_extension, phrase_matcher, sent_end, sent_start

MATCHED_CUES = ("removal", "aggregate_noun", "origin_strong", "target", "domestic", "attribution",
                "operator_verb", "operator_subject", "discovery", "discovery_subject", "policy_context", "policy_fi", "policy_cib", "region_prefix")
CASE_SENSITIVE = {"policy_cib"}  # its acronyms ("CIB") only in capitals; its spelled-out phrases in any case
POLICY_NAMES = ("policy_fi", "policy_cib")
HYPHENS = ("-", "\u2013")
GAP = 4  # "linked <the operation> to", "attributed <with high confidence> to": words allowed in between


def gapped_cues(doc: Doc, rows: list[tuple[str, list[int], str, bool]]) -> list[tuple[str, int, int]]:
    """(cue, start, end) for a head word, up to GAP words without punctuation, then the tail word; a
    tail-only row marks just the tail ('run from Peru by X': 'by', leaving 'run from' to the origin cue)."""
    found = []
    lowered = doc.to_array("LOWER")
    for label, heads, tail, tail_only in rows:
        for i in numpy.isin(lowered, heads).nonzero()[0]:
            tok = doc[int(i)]
            words = 0
            for j in range(tok.i + 1, min(len(doc), tok.i + 3 * GAP)):
                if doc[j].lower_ == tail and words:
                    found.append((label, j if tail_only else tok.i, j + 1))
                    break
                hyphen = doc[j].text in HYPHENS or doc[j - 1].text in HYPHENS  # "a pro-government network": one word
                if doc[j].is_punct and not hyphen or doc[j].lower_ in ("and", "but"):
                    break
                words += not hyphen
                if words > GAP:
                    break
    return found


def gapped_rows(row: dict) -> list[tuple[list[str], str, bool]]:
    """(head words, tail word, tail only) of a cue row: 'gapped_heads'/'gapped_tail' and any 'gapped' list."""
    pairs = [(row["gapped_heads"], row["gapped_tail"], False)] if "gapped_heads" in row else []
    return pairs + [(g["heads"], g["tail"], g.get("tail_only", False)) for g in row.get("gapped", [])]


def _domestic(doc: Doc, i: int, hits: list[tuple[int, int, str]]) -> bool:
    """Does the sentence around token i call the network domestic or non-government?"""
    first, last = sent_start(doc, i), sent_end(doc, i)
    return any(label == "domestic" and first <= s < last for s, _, label in hits) or \
        any(t.lower_ in ("non-government", "nongovernment", "non-governmental") or t.lower_ == "non" and
            doc[t.i + 1:t.i + 3].text.replace(" ", "").lower() == "-government" for t in doc[first:last])


def split_case(table: dict[str, tuple[str, ...]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(LOWER table, ORTH table): phrases of a case-sensitive cue go to ORTH only when all in capitals."""
    lower: dict[str, list[str]] = {}
    orth: dict[str, list[str]] = {}
    for label, phrases in table.items():
        for phrase in phrases:
            exact = label in CASE_SENSITIVE and phrase.isupper()
            (orth if exact else lower).setdefault(label, []).append(phrase)
    return lower, orth


def policy_context(doc: Doc, hits: list[tuple[int, int, str]], leads: set[str], trails: set[str]) -> list[tuple[int, int, str]]:
    """A policy name stated as the reason for a takedown ("removed for foreign interference", "engaged in
    coordinated inauthentic behavior", "a government interference network") is a policy even without
    the word "policy": the lead or trailing word becomes a `policy_context` cue."""
    found = []
    removal_ends = {e: (s, e) for s, e, label in hits if label == "removal"}
    for start, end, label in hits:
        if label not in POLICY_NAMES or label == "policy_cib" and not _domestic(doc, start, hits):
            continue  # plain CIB is the tier only for a domestic, non-government network
        for size in (3, 2, 1):
            if start - size >= 0 and doc[start - size:start].text.lower() in leads:
                found.append((start - size, start, "policy_context"))
                break
        else:
            if end < len(doc) and doc[end].lower_ in trails:
                found.append((end, end + 1, "policy_context"))
            elif start in removal_ends or start - 1 in removal_ends and doc[start - 1].lower_ in ("the", "more"):
                removal = removal_ends.get(start) or removal_ends[start - 1]
                found.append((*removal, "policy_context"))  # "Removing Coordinated Inauthentic Behavior From ..."
    return found


@Language.factory("iokg_cues", assigns=["doc._.iokg_cues"])
def make_cues(nlp: Language, name: str):
    """Match every cue list with a LOWER PhraseMatcher (and ORTH for case-sensitive ones)."""
    doc_extension("iokg_cues")
    lower_table, orth_table = split_case({c: gazetteer.cue(c) for c in MATCHED_CUES})
    lower = phrase_matcher(nlp.vocab, lower_table, "LOWER")
    orth = phrase_matcher(nlp.vocab, orth_table, "ORTH")
    leads, trails = set(gazetteer.cue("policy_lead")), set(gazetteer.cue("policy_trail"))
    gapped = [(row["cue"], [nlp.vocab.strings.add(h) for h in heads], tail, tail_only) for row in load_jsonl("cues")
              for heads, tail, tail_only in gapped_rows(row)]

    def cues(doc: Doc) -> Doc:
        hits = [*lower(doc), *orth(doc), *gapped_cues(doc, gapped)]
        chosen = [(s.start, s.end, s.label_) for s in best_matches(doc, hits)]
        doc._.iokg_cues = sorted(chosen + policy_context(doc, chosen, leads, trails), key=lambda c: c[0])
        return doc

    return cues
