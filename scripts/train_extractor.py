"""Train the extractor's learned decisions and write kg/data/models/extractor.json.

Trains on the development corpus and the seeds (../shared beside the checkout, or --shared), with the
gold aligned to mentions automatically (kg.extract.train). Prints the training time and the size of
the model file. Reproducible: the same corpus and code give the same file.

    python scripts/train_extractor.py [--shared ../shared] [-o kg/data/models/extractor.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "bench"))

from extract_quality import annotate  # noqa: E402

from kg.data import MODELS_DIR  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402
from kg.extract.train import train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent / "shared")
    parser.add_argument("--model", default="auto", help="spaCy model the features are read with")
    parser.add_argument("-o", "--output", type=Path, default=MODELS_DIR / "extractor.json")
    args = parser.parse_args()
    nlp = load_pipeline(args.model)
    started = time.perf_counter()
    items = (annotate(nlp, args.shared / "corpus" / "dev", args.shared / "eval" / "dev-gold")
             + annotate(nlp, args.shared / "corpus" / "seeds", args.shared / "eval" / "gold"))
    annotated = time.perf_counter() - started
    model = train([(item["units"], item["gold"]) for item in items])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(items)} documents annotated in {annotated:.1f} s; trained in {model.meta['train_seconds']} s "
          f"({model.meta['anchor_examples']} unit and {model.meta['place_examples']} place examples); "
          f"model file {args.output.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
