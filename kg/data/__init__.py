"""Package data and its one loader: rule data (`*.jsonl`), the ontology, shapes and kill chain
(`ontology/`), canned queries (`queries/`), the diagram template (`viz/`) and model files.

Everything iokg reads at run time lives here, inside the package, so a plain `pip install` works;
the checkout's top-level `ontology/` and `queries/` are links to these folders.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import srsly

DATA_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIR = DATA_DIR / "ontology"
QUERIES_DIR = DATA_DIR / "queries"
MODELS_DIR = DATA_DIR / "models"


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple[dict, ...]:
    """The rows of `kg/data/<name>.jsonl` (or of a path), read once per process."""
    path = Path(name) if name.endswith(".jsonl") else DATA_DIR / f"{name}.jsonl"
    return tuple(srsly.read_jsonl(path))
