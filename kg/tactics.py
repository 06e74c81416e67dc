"""Tactics: kill-chain procedures a network's text says it used (fake accounts, GAN photos, ads...).

Placeholder interface, filled in by the tactics work (issue 7): `techniques_of` takes the sentences
that describe one network and returns the procedures with the claims that state them.
"""
from __future__ import annotations

from kg.model import Claim, TechniqueUse


def techniques_of(sentences, document_text: str = "") -> tuple[list[TechniqueUse], list[Claim]]:
    """Return (techniques, claims) for one network's sentences (spaCy Spans)."""
    return [], []
