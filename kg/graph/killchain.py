"""Meta's Online Operations Kill Chain, read from ontology/killchain.ttl (built by scripts/build_killchain.py).

One loader for the tactics tagger, the indicator reader and the STIX export, so that every
procedure notation the project emits is checked against the same concept scheme.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import UsageError
from kg.data import ONTOLOGY_DIR

KILLCHAIN_TTL = ONTOLOGY_DIR / "killchain.ttl"
GRAPH_IRI = "https://w3id.org/iokg/killchain/"  # kg.graph.vocab.KILLCHAIN; the kill chain's graph in a store


@dataclass(frozen=True)
class Concept:
    """A tactic ("1"), technique ("1.1") or procedure ("1.1.2") of the kill chain."""

    notation: str
    label: str
    broader: str | None

    @property
    def iri(self) -> str:
        return GRAPH_IRI + self.notation


@dataclass(frozen=True)
class KillChain:
    """All concepts by notation, with helpers to walk up from a procedure to its tactic."""

    concepts: dict[str, Concept]

    def __contains__(self, notation: str) -> bool:
        return notation in self.concepts

    def get(self, notation: str) -> Concept:
        """The concept with this notation; a UsageError lists nearby notations when it is unknown."""
        if notation not in self.concepts:
            prefix = notation.rsplit(".", 1)[0]
            near = sorted(n for n in self.concepts if n.startswith(prefix + ".")) or self.procedures()[:10]
            raise UsageError(f"unknown kill-chain notation '{notation}' (valid e.g.: {', '.join(near)})")
        return self.concepts[notation]

    def tactic(self, notation: str) -> Concept:
        """The top concept (tactic) above a technique or procedure."""
        concept = self.get(notation)
        while concept.broader is not None:
            concept = self.concepts[concept.broader]
        return concept

    def procedures(self) -> list[str]:
        """Notations of the leaf concepts (procedures), in kill-chain order."""
        parents = {c.broader for c in self.concepts.values()}
        leaves = [n for n in self.concepts if n not in parents and self.concepts[n].broader]
        return sorted(leaves, key=_order)


def _order(notation: str) -> tuple[int, ...]:
    return tuple(int(part) for part in notation.split("."))


@lru_cache(maxsize=4)
def load_killchain(path: Path = KILLCHAIN_TTL) -> KillChain:
    """Parse the SKOS file once per process; its concepts are cached on disk by the file's hash, so
    extraction starts without importing rdflib and parsing Turtle (~0.2 s of every `iokg extract`)."""
    if not Path(path).is_file():
        raise UsageError(f"{path}: kill chain not found (run scripts/build_killchain.py)")
    data = Path(path).read_bytes()
    cache = _cache_dir() / f"killchain-{hashlib.sha256(data).hexdigest()[:32]}.json"
    try:
        rows = json.loads(cache.read_text(encoding="utf-8"))
        return KillChain({row[0]: Concept(*row) for row in rows})
    except (OSError, ValueError, TypeError):
        pass
    chain = _parse(path)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f".{cache.name}.{os.getpid()}")
        temporary.write_text(json.dumps([[c.notation, c.label, c.broader] for c in chain.concepts.values()]))
        os.replace(temporary, cache)
    except OSError:  # a read-only home only means no cache
        pass
    return chain


def _parse(path: Path) -> KillChain:
    """The concepts of the SKOS file, read with rdflib."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(path, format="turtle")
    concepts = {}
    for concept in graph.subjects(SKOS.notation, None):
        notation = str(graph.value(concept, SKOS.notation))
        broader = graph.value(concept, SKOS.broader)
        concepts[notation] = Concept(notation, str(graph.value(concept, SKOS.prefLabel) or ""),
                                     str(graph.value(broader, SKOS.notation)) if broader else None)
    return KillChain(concepts)


def _cache_dir() -> Path:
    """$IOKG_CACHE, else $XDG_CACHE_HOME/iokg or ~/.cache/iokg (as kg.extract.components.common)."""
    if os.environ.get("IOKG_CACHE"):
        return Path(os.environ["IOKG_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iokg"


def load_into(backend, path: Path = KILLCHAIN_TTL) -> int:
    """Put the kill chain into its own named graph of a store (replacing it); return its triple count."""
    from rdflib import Graph

    graph = Graph().parse(path, format="turtle")
    backend.put_graph(GRAPH_IRI, graph.serialize(format="nt", encoding="utf-8"))
    return len(graph)
