"""Stance: the parties, people, governments and projects a network's content promoted or attacked.

Placeholder interface, filled in by the stance work (issue 8): `stance_of` takes the sentences
that describe one network and returns (promotes, attacks) with the claims that state them.
"""
from __future__ import annotations

from kg.model import Claim, StanceTarget


def stance_of(sentences, document_text: str = "") -> tuple[list[StanceTarget], list[StanceTarget], list[Claim]]:
    """Return (promotes, attacks, claims) for one network's sentences (spaCy Spans)."""
    return [], [], []
