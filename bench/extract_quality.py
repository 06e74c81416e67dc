"""Extraction quality measured honestly: k-fold cross-validation by document on the development corpus.

Each fold's model is trained on the other folds (plus the seeds) and scores only its held-out
documents; the seeds, tests/data/unseen and the bundled examples are scored with the model trained on
all of the development corpus and the seeds (a training score for the seeds). The last line reads
`cross-validated F1 0.xxx` over the whole development corpus.

    python bench/extract_quality.py [--folds 5] [--model auto|none] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from kg.extract.files import document_json  # noqa: E402
from kg.extract.networks import networks_of  # noqa: E402
from kg.extract.pipeline import load_pipeline, parse_document  # noqa: E402
from kg.extract.train import train  # noqa: E402
from kg.extract.units import build_units  # noqa: E402
from kg.read.document import read_document  # noqa: E402

GENRES = {"rep": "platform reports", "dig": "digests and briefings", "news": "journalism",
          "res": "other platforms and researchers"}


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def annotate(nlp, folder: Path, gold_dir: Path) -> list[dict]:
    """Read and annotate every document of `folder` that has a gold file (the pipeline runs once)."""
    out = []
    for path in sorted(folder.iterdir()):
        gold_file = gold_dir / (path.name.rsplit(".", 1)[0] + ".json")
        if not path.is_file() or not gold_file.is_file():
            continue
        document = read_document(path)
        sdoc = parse_document(nlp, document)
        out.append({"doc": document, "sdoc": sdoc, "units": build_units(sdoc),
                    "gold": json.loads(gold_file.read_text(encoding="utf-8"))})
    return out


def score(scorer, items: list[dict], model, tally: Counter | None = None) -> tuple[Counter, dict[str, Counter]]:
    """tp/fp/fn over the items, in total and per document (and per field into `tally`)."""
    total, per_doc = Counter(), {}
    for item in items:
        pred = document_json(networks_of(item["doc"], item["sdoc"], model))
        doc = scorer.score_document(item["gold"], pred, Counter() if tally is None else tally, False)
        per_doc[item["doc"].name] = doc
        total.update(doc)
    return total, per_doc


def f1(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def line(name: str, c: Counter) -> str:
    p, r, f = f1(c)
    return f"{name:<34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   missed {c['missed_networks']:>3}  spurious {c['spurious_networks']:>3}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--shared", type=Path, default=HERE.parent / "shared")
    parser.add_argument("--fields", action="store_true", help="also print the CV figures per field")
    parser.add_argument("--docs", action="store_true", help="also print the CV figures per document")
    args = parser.parse_args()
    scorer = load_scorer(args.shared)
    nlp = load_pipeline(args.model)
    started = time.perf_counter()
    dev = annotate(nlp, args.shared / "corpus" / "dev", args.shared / "eval" / "dev-gold")
    seeds = annotate(nlp, args.shared / "corpus" / "seeds", args.shared / "eval" / "gold")
    unseen = annotate(nlp, HERE / "tests" / "data" / "unseen", HERE / "tests" / "data" / "unseen" / "gold")
    examples = annotate(nlp, HERE / "examples", HERE / "examples" / "gold")
    print(f"annotated {len(dev)} dev, {len(seeds)} seed, {len(unseen)} unseen, {len(examples)} example documents "
          f"in {time.perf_counter() - started:.1f} s")
    per_genre: dict[str, Counter] = {g: Counter() for g in GENRES}
    overall, fields, per_docs = Counter(), Counter(), {}
    for k in range(args.folds):
        held = [item for i, item in enumerate(dev) if i % args.folds == k]
        rest = [item for i, item in enumerate(dev) if i % args.folds != k] + seeds
        model = train([(item["units"], item["gold"]) for item in rest])
        total, per_doc = score(scorer, held, model, fields)
        overall.update(total)
        per_docs.update(per_doc)
        for name, c in per_doc.items():
            per_genre[name.split("_", 1)[0]].update(c)
    full = train([(item["units"], item["gold"]) for item in dev + seeds])
    for genre, name in GENRES.items():
        print(line(f"dev {name} (CV)", per_genre[genre]))
    for label, items in (("seeds (training)", seeds), ("tests/data/unseen", unseen), ("examples", examples)):
        if items:
            print(line(label, score(scorer, items, full)[0]))
    if args.fields:
        for name in sorted({f for _, f in fields}):
            c = Counter({kind: fields[(kind, name)] for kind in ("tp", "fp", "fn")})
            print(line(f"  field {name}", c) + f"   tp {c['tp']} fp {c['fp']} fn {c['fn']}")
    if args.docs:
        for name, c in sorted(per_docs.items()):
            print(line(f"  {name[:32]}", c))
    print(line("dev overall (CV)", overall))
    print(f"cross-validated F1 {f1(overall)[2]:.3f}")


if __name__ == "__main__":
    main()
