"""The issue's quality bar: `iokg extract` on the seeds, scored by ../shared/eval/score.py."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

OVERALL_MIN = {"auto": 0.95, "none": 0.90}
FIELD_MIN = 0.90


def run_score(seeds_dir, gold_dir, shared_dir, tmp_path, model: str) -> str:
    pred = tmp_path / f"pred-{model}.json"
    with pred.open("w") as out:
        subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(seeds_dir), "--format", "json",
                        "--model", model], stdout=out, check=True, timeout=600)
    result = subprocess.run([sys.executable, str(shared_dir / "eval" / "score.py"), str(pred), str(gold_dir)],
                            capture_output=True, text=True, check=True, timeout=120)
    return result.stdout


def field_scores(report: str) -> dict[str, float]:
    table = report.split("field", 1)[1].split("networks missed", 1)[0]
    rows = re.findall(r"^(\S+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", table, re.M)
    return {name: float(f1) for name, f1 in rows}


@pytest.mark.slow
@pytest.mark.parametrize("model", ["auto", "none"])
def test_seed_scores(seeds_dir, gold_dir, shared_dir, tmp_path, model):
    report = run_score(seeds_dir, gold_dir, shared_dir, tmp_path, model)
    overall = float(re.search(r"overall precision [\d.]+ recall [\d.]+ F1 ([\d.]+)", report).group(1))
    assert overall >= OVERALL_MIN[model], report
    fields = field_scores(report)
    assert {"origin", "targets", "removed", "operators", "platforms"} <= set(fields), report
    if model == "auto":
        low = {name: f1 for name, f1 in fields.items() if f1 < FIELD_MIN}
        assert not low, report
