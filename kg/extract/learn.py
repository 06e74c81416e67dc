"""The learned decisions of the extractor: linear models over string features, stored as JSON.

A model file holds, per decision ("anchor": does a unit open a network; "place": a country
mention's role), the class names, a bias and a weight row per feature. Loading reads JSON only (no
code runs), scoring is a sum over the active features, so the output is the same on every run.
`scripts/train_extractor.py` (kg.extract.train) writes the file shipped in kg/data/models/.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.data import MODELS_DIR
from kg.errors import UsageError

DEFAULT_MODEL_FILE = MODELS_DIR / "extractor.json"


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression: class names, bias per class, weights per feature."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """Softmax over the classes (a two-class model stores one row: the second class's logit)."""
        scores = list(self.bias)
        for name in features:
            row = self.weights.get(name)
            if row:
                for k, w in enumerate(row):
                    scores[k] += w
        if len(self.classes) == 2 and len(scores) == 1:
            p = 1 / (1 + math.exp(-max(min(scores[0], 50), -50)))
            return {self.classes[0]: 1 - p, self.classes[1]: p}
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def to_json(self) -> dict:
        return {"classes": list(self.classes), "bias": [round(b, 5) for b in self.bias],
                "weights": {f: [round(w, 5) for w in row] for f, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        return cls(tuple(data["classes"]), tuple(data["bias"]), {f: tuple(r) for f, r in data["weights"].items()})


@dataclass(frozen=True)
class ExtractorModel:
    """The extractor's learned decisions, each a LinearModel."""

    anchor: LinearModel
    place: LinearModel
    meta: dict

    def to_json(self) -> dict:
        return {"meta": self.meta, "anchor": self.anchor.to_json(), "place": self.place.to_json()}


def require_model() -> ExtractorModel:
    """The shipped model; a missing file is a broken installation, said in one line."""
    model = load_model()
    if model is None:
        raise UsageError(f"{DEFAULT_MODEL_FILE}: the extractor model file is missing (reinstall iokg, or run "
                         "scripts/train_extractor.py in a checkout)")
    return model


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> ExtractorModel | None:
    """The shipped model (or the file at `path`); None when no model file is installed."""
    file = Path(path) if path else DEFAULT_MODEL_FILE
    if not file.is_file():
        if path:
            raise UsageError(f"{file}: no extractor model file here")
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return ExtractorModel(LinearModel.from_json(data["anchor"]), LinearModel.from_json(data["place"]),
                              data.get("meta", {}))
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{file}: not an extractor model file ({error})") from None
