"""Tactics: kill-chain procedures a network's text says it used (fake accounts, GAN photos, ads...).

Cue patterns live in kg/data/tactics.jsonl (procedure notation → regular expressions); every
notation there must exist in the kill chain. `techniques_of` runs them over the sentences of one
network and returns the procedures with a Claim per sentence that states each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import UsageError
from kg.graph.killchain import load_killchain
from kg.graph.model import Claim, Evidence, TechniqueUse
from kg.data import DATA_DIR, load_jsonl

TACTICS_FILE = DATA_DIR / "tactics.jsonl"
FIELDS = ("procedure", "name", "patterns")
MIN_WORDS = 3
# A cue right after a negation ("did not run ads", "no evidence of GAN") says the opposite.
_NEGATION = re.compile(r"\b(?:no|not|never|without|nor|neither)\b(?:\W+\w+){0,3}\W*$", re.I)


@dataclass(frozen=True)
class Cue:
    """The patterns that signal one kill-chain procedure."""

    procedure: str
    name: str
    patterns: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def load_cues(path: Path = TACTICS_FILE) -> tuple[Cue, ...]:
    """Read and check the cue file: known keys, compilable patterns, notations that exist in the kill chain."""
    chain = load_killchain()
    cues = []
    for number, entry in enumerate(load_jsonl(path), start=1):
        where = f"{path}: row {number}"
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown or "procedure" not in entry or not entry.get("patterns"):
            raise UsageError(f"{where}: fields must be {', '.join(FIELDS)} (got {', '.join(sorted(entry))})")
        try:
            chain.get(entry["procedure"])
            patterns = tuple(re.compile(p, re.I) for p in entry["patterns"])
        except re.error as error:
            raise UsageError(f"{where}: bad pattern ({error})") from None
        except UsageError as error:
            raise UsageError(f"{where}: {error}") from None
        cues.append(Cue(entry["procedure"], entry.get("name", ""), patterns))
    return tuple(cues)


def _span(sentence, document_text: str) -> Evidence:
    """Evidence for a spaCy Span (its own offsets) or a plain string (found in the document text)."""
    if isinstance(sentence, str):
        start = max(document_text.find(sentence), 0) if document_text else 0
        return Evidence(sentence, start, start + len(sentence))
    return Evidence(sentence.text, sentence.start_char, sentence.end_char)


def cues_in(text: str, cues: tuple[Cue, ...] | None = None) -> list[str]:
    """Notations of the procedures whose patterns match `text` (not right after a negation)."""
    found = []
    for cue in cues if cues is not None else load_cues():
        for pattern in cue.patterns:
            if any(not _NEGATION.search(text[max(0, m.start() - 40):m.start()]) for m in pattern.finditer(text)):
                found.append(cue.procedure)
                break
    return found


def techniques_of(sentences, document_text: str = "") -> tuple[list[TechniqueUse], list[Claim]]:
    """Return (techniques, claims) for one network's sentences (spaCy Spans, or strings)."""
    chain = load_killchain()
    techniques: dict[str, TechniqueUse] = {}
    claims: list[Claim] = []
    for sentence in sentences:
        evidence = _span(sentence, document_text)
        if len(re.findall(r"\w+", evidence.text)) < MIN_WORDS:  # a bullet label such as "Advertising:"
            continue
        for notation in cues_in(evidence.text):
            techniques.setdefault(notation, TechniqueUse(notation, chain.get(notation).label))
            claims.append(Claim("techniques", notation, evidence))
    return list(techniques.values()), claims
