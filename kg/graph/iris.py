"""Deterministic IRIs under https://w3id.org/iokg/id/: the same organisation, country, document or
network gets the same IRI on every run and machine, so graphs built separately merge by union.

IRIs depend only on normalised names, ISO codes and content hashes; a document's graph is named by its
path relative to the folder it was ingested from, so two different files never share a graph.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import URIRef

from kg.graph.model import STANCE_KINDS, Document, Network, StanceTarget
from kg.graph.vocab import ID



def slug(name: str) -> str:
    """Normalised name for IRIs: accents folded, lower case, runs of other characters become '-'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if text:
        return text
    return "u" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def digest(*parts: Any) -> str:
    """Short stable hash of the parts' text, for IRIs that must differ when the facts differ."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]


ENTITIES_GRAPH = ID["graph/entities"]
OPERATIONS_GRAPH = ID["graph/operations"]  # computed over the whole store after ingest


def country_iri(code: str) -> URIRef:
    return ID[f"country/{code.upper()}"]


def org_iri(name: str) -> URIRef:
    return ID[f"org/{slug(name)}"]


def platform_iri(name: str) -> URIRef:
    return ID[f"platform/{slug(name)}"]


def document_iri(document: Document) -> URIRef:
    return ID[f"document/{document.sha256}"]


FILE_GRAPHS = ID["graph/file/"]


def source_key(document: Document, source: str | None = None) -> str:
    """What names a document's graph: its path relative to the ingest root (`source`, '/'-separated,
    Unicode NFC), or its file name when it was not found under a folder."""
    key = source if source is not None else Path(document.path).name
    return unicodedata.normalize("NFC", key.replace(os.sep, "/"))


def graph_iri(document: Document, source: str | None = None) -> URIRef:
    """The named graph of a document: its source key percent-encoded (case, spaces and every script kept
    apart), so an edited file replaces its own graph and a different file never does."""
    raw = os.fsencode(source_key(document, source))  # undecodable bytes of a file name survive as bytes
    return URIRef(FILE_GRAPHS + quote(raw, safe="/-._~"))


def legacy_graph_iri(document: Document) -> URIRef:
    """The graph name iokg used before (file-name slug, which let different files collide); for migration."""
    return ID[f"graph/{slug(document.name)}"]


def network_iri(document: Document, network: Network) -> URIRef:
    facts = digest(sorted(network.origin), sorted(network.targets or ()), sorted(o.name for o in network.operators))
    return ID[f"network/{document.id}-{network.index}-{facts[:6]}"]


def stance_key(name: str) -> str:
    """One key for the two ways English words a country's body: "Bolivia's interim government" and
    "interim government in Bolivia" (or "of Bolivia") are both "interim government bolivia"."""
    from kg.graph.names import resolve_country

    text = " ".join(name.replace("\u2019", "'").split())
    match = re.fullmatch(r"(?:the )?(.+?)'s? (.+)", text, re.I)
    if match and resolve_country(match.group(1)):
        return f"{match.group(2)} {resolve_country(match.group(1))}"
    match = re.fullmatch(r"(?:the )?(.+?) (?:in|of) (?:the )?(.+)", text, re.I)
    if match and resolve_country(match.group(2)):
        return f"{match.group(1)} {resolve_country(match.group(2))}"
    return name


def stance_iri(target: StanceTarget) -> URIRef:
    """Parties and movements share the organisation IRI, so an operator can also be a stance target;
    a country's body keeps one IRI however it is worded (stance_key)."""
    if target.kind in ("party", "movement"):
        return org_iri(stance_key(target.name))
    return ID[f"{target.kind if target.kind in STANCE_KINDS else 'party'}/{slug(stance_key(target.name))}"]
