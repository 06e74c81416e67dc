"""The seeds scored with the shared scorer's --stance mode: promotes and attacks together must reach F1 0.85."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kg.extract.files import extract_paths, to_json

THRESHOLD = 0.85


def score(tmp_path, gold_dir, extractions, stance: bool) -> dict[str, tuple[int, int, int]]:
    """Run ../shared/eval/score.py on the predictions; (tp, fp, fn) per field from its table."""
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(to_json(extractions), ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, str(gold_dir.parent / "score.py"), str(pred), str(gold_dir)] + (["--stance"] if stance else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    rows = re.findall(r"^(\w[\w.]*)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+) (\d+) (\d+)$", done.stdout, re.M)
    return {field: (int(tp), int(fp), int(fn)) for field, tp, fp, fn in rows}


def stance_f1(table: dict[str, tuple[int, int, int]]) -> float:
    tp, fp, fn = (sum(table[f][i] for f in ("promotes", "attacks")) for i in range(3))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def test_seed_stance_f1_with_the_model(tmp_path, gold_dir, seed_extractions):
    table = score(tmp_path, gold_dir, seed_extractions.values(), stance=True)
    assert {"promotes", "attacks"} <= set(table)
    f1 = stance_f1(table)
    print(f"stance F1 (model) {f1:.3f}: promotes {table['promotes']}, attacks {table['attacks']} (tp, fp, fn)")
    assert f1 >= THRESHOLD


@pytest.mark.slow
def test_seed_stance_f1_without_the_model(tmp_path, gold_dir, seeds_dir, nlp_rules):
    extractions = list(extract_paths([seeds_dir], nlp=nlp_rules))
    f1 = stance_f1(score(tmp_path, gold_dir, extractions, stance=True))
    print(f"stance F1 (rules only) {f1:.3f}")
    assert f1 >= THRESHOLD


def test_stance_scoring_leaves_the_other_fields_as_they_were(tmp_path, gold_dir, seed_extractions):
    plain = score(tmp_path, gold_dir, seed_extractions.values(), stance=False)
    with_stance = score(tmp_path, gold_dir, seed_extractions.values(), stance=True)
    assert {k: v for k, v in with_stance.items() if k not in ("promotes", "attacks")} == plain
