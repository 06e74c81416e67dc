"""Words per second of `iokg extract` against the bare spaCy model on the same text, and their ratio.

    python bench/extract_speed.py [PATH ...] [--repeat N]

Default text: the seed corpus (../shared/corpus/seeds). Our time covers the whole extraction
(pipeline with the iokg components, segmentation, merging); the bare time is spacy.load() of the
same model over the same texts. The issue's target: our components add at most 25% (ratio ≤ 1.25).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.read.document import iter_paths, read_document  # noqa: E402
from kg.extract.pipeline import DEFAULT_MODEL, RULE_COMPONENTS, load_pipeline  # noqa: E402
from kg.extract.networks import extract_document  # noqa: E402

DEFAULT_PATHS = [Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "seeds"]
TARGET_RATIO = 1.25


def best_times(funcs, repeat: int) -> list[float]:
    """The fastest of `repeat` runs of each function, interleaved so that load from other processes
    on a shared machine hits both sides alike."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for k, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    documents = [read_document(p) for p in iter_paths(args.paths)]
    words = sum(len(d.text.split()) for d in documents)
    bare = spacy.load(DEFAULT_MODEL)
    ours = load_pipeline("auto")
    for doc in documents:  # warm up both pipelines (vocab, lookups)
        bare(doc.text)
        extract_document(doc, ours)
    bare_s, ours_s = best_times([lambda: [bare(d.text) for d in documents],
                                 lambda: [extract_document(d, ours) for d in documents]], args.repeat)
    with ours.select_pipes(disable=list(RULE_COMPONENTS)):
        statistical = [ours(d.text) for d in documents]
    rule_s = best_times([lambda: [proc(doc) for doc in statistical for name, proc in ours.pipeline
                                  if name in RULE_COMPONENTS]], args.repeat)[0]
    ratio = ours_s / bare_s
    print(f"documents {len(documents)}, words {words}")
    print(f"bare {DEFAULT_MODEL}: {words / bare_s:,.0f} words/s ({bare_s:.3f} s)")
    print(f"iokg extract:  {words / ours_s:,.0f} words/s ({ours_s:.3f} s)")
    print(f"iokg rule components alone: {rule_s:.3f} s ({100 * rule_s / bare_s:.1f}% of the bare model's time; "
          f"iokg loads the model without its lemmatizer and attribute ruler, which nothing reads)")
    print(f"ratio (iokg / bare time): {ratio:.2f}  (target <= {TARGET_RATIO}) {'OK' if ratio <= TARGET_RATIO else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
