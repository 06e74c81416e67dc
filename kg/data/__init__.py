"""Package data and its one loader: rule data (`*.jsonl`), the ontology, shapes and kill chain
(`ontology/`), canned queries (`queries/`), the diagram template (`viz/`), the takedown-JSON schema
and model files.

Everything iokg reads at run time lives here, inside the package, so a plain `pip install` works;
the checkout's top-level `ontology/` and `queries/` are links to these folders.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import srsly

from kg.errors import UsageError

DATA_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIR = DATA_DIR / "ontology"
QUERIES_DIR = DATA_DIR / "queries"
MODELS_DIR = DATA_DIR / "models"
TAKEDOWN_SCHEMA = DATA_DIR / "takedown.schema.json"


def data_names() -> list[str]:
    """Names of the rule files under kg/data (without the .jsonl suffix)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.jsonl"))


@lru_cache(maxsize=None)
def load_jsonl(name: str | Path) -> tuple[dict, ...]:
    """The rows of `kg/data/<name>.jsonl` (or of a .jsonl path), read once per process with srsly.

    A wrong name is a UsageError listing the valid ones; a bad line one naming the file and line.
    """
    path = Path(name) if str(name).endswith(".jsonl") else DATA_DIR / f"{name}.jsonl"
    if not path.is_file():
        if path.parent == DATA_DIR:
            raise UsageError(f"unknown rule file '{path.stem}' (valid: {', '.join(data_names())})")
        raise UsageError(f"{path}: no such rule file")
    try:
        rows = tuple(srsly.read_jsonl(path))
    except ValueError as error:  # srsly: "Invalid JSON on line N: ..."
        raise UsageError(f"{path}: not JSON ({str(error).split(':', 1)[0].lower()})") from None
    bad = next((number for number, row in enumerate(rows, 1) if not isinstance(row, dict)), None)
    if bad:
        raise UsageError(f"{path}: row {bad} is not a JSON object")
    return rows


@lru_cache(maxsize=None)
def takedown_schema() -> dict:
    """The JSON Schema of `iokg extract --format json` (kg/data/takedown.schema.json)."""
    return json.loads(TAKEDOWN_SCHEMA.read_text(encoding="utf-8"))
