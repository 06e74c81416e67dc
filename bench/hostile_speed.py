"""Seconds and peak memory of `iokg ingest` on hostile inputs, one fresh process per case.

    python bench/hostile_speed.py [--model auto|none] [--cases prose-100k,brackets-50k,...]

Cases: takedown prose of 100 KB, 1 MB and 10 MB, 50 KB of '[', a 5,000-page PDF and a 9 MB Markdown
table, all generated here. Each case runs `ingest_paths` on one file in its own child process
(after loading the pipeline, which is not timed); peak memory is that process's maximum RSS. The
issue's targets, checked in this one run: prose 1 MB / 100 KB time ratio <= 12 (linear), and every
case done (stored, refused by a limit, or stopped) within the per-document limit IOKG_DOC_TIMEOUT.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 12.0
KB, MB = 1000, 1000 * 1000

COUNTRIES = ["Iran", "Russia", "Mexico", "Ecuador", "Nigeria", "Brazil", "the Philippines", "Israel",
             "Egypt", "the United Arab Emirates", "Georgia", "Ukraine", "China", "Honduras", "Poland"]
FIRMS = ["a public relations firm", "a marketing company", "individuals associated with a political party",
         "a digital agency", "employees of a consulting firm"]
TEMPLATES = [
    "We removed {a} Facebook accounts, {p} Pages and {g} Groups for violating our policy against "
    "coordinated inauthentic behavior. This network originated in {c1} and targeted audiences in {c2}.",
    "The people behind this activity used fake accounts to post in {lang} about news and current events in "
    "{c2}, including criticism of the government and support for the opposition.",
    "Although the operators attempted to conceal their identities, our investigation found links to {firm} "
    "based in {c1}.",
    "About {f} accounts followed one or more of these Pages, and around {i} people followed the {n} "
    "Instagram accounts. The network spent about ${spend} on advertising, paid for mostly in US dollars.",
    "We found this activity as part of our internal investigation into suspected coordinated inauthentic "
    "behavior in the region, and we shared our findings with industry peers and researchers.",
]


def prose(size: int, seed: int = 7) -> str:
    """Takedown-report-like paragraphs (varied countries and numbers) up to `size` characters."""
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        c1, c2 = rng.sample(COUNTRIES, 2)
        text = " ".join(t.format(a=rng.randint(5, 900), p=rng.randint(1, 90), g=rng.randint(1, 30), c1=c1, c2=c2,
                                 lang=rng.choice(["English", "Spanish", "Arabic", "French"]), firm=rng.choice(FIRMS),
                                 f=rng.randint(1000, 900000), i=rng.randint(100, 90000), n=rng.randint(2, 60),
                                 spend=rng.randint(100, 90000))
                        for t in rng.sample(TEMPLATES, 3))
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)[:size]


def markdown_table(size: int) -> str:
    rows = ["| Operator | Country | Platform | Accounts |", "|---|---|---|---|"]
    total, k = 0, 0
    while total < size:
        row = f"| Operator {k} | {COUNTRIES[k % len(COUNTRIES)]} | Facebook | {k * 7 % 1000} |"
        rows.append(row)
        total += len(row) + 1
        k += 1
    return "\n".join(rows) + "\n"


def make_cases(folder: Path) -> dict[str, Path]:
    from tests.pdfgen import write_pdf

    cases = {}
    for name, size in (("prose-100KB", 100 * KB), ("prose-1MB", MB), ("prose-10MB", 10 * MB)):
        cases[name] = folder / f"{name}.txt"
        cases[name].write_text(prose(size), encoding="utf-8")
    cases["brackets-50KB"] = folder / "brackets.txt"
    cases["brackets-50KB"].write_text("Report. " + "[" * 50 * KB + "\n", encoding="utf-8")
    cases["pdf-5000-pages"] = folder / "pages.pdf"
    # one-line paragraphs: a line and a blank each, 24 to a page of tests.pdfgen's 48 lines
    write_pdf(cases["pdf-5000-pages"], [prose(80, seed=k) for k in range(5000 * 24)])
    cases["markdown-table-9MB"] = folder / "table.md"
    cases["markdown-table-9MB"].write_text(markdown_table(9 * MB), encoding="utf-8")
    return cases


def run_case(path: str, model: str) -> dict:
    """Child side: load the pipeline, then time one ingest of `path` into a fresh store."""
    from kg.extract.pipeline import load_pipeline
    from kg.store.embedded import EmbeddedStore
    from kg.store.ingest import ingest_paths

    nlp = load_pipeline(model)
    loaded_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "s") as store:
        started = time.perf_counter()
        report = ingest_paths([path], store, nlp)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": report.documents,
            "failure": report.failures[0][1] if report.failures else None,
            "loaded_mb": loaded_rss / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="auto")
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--doc-timeout", help="IOKG_DOC_TIMEOUT for the cases (0: no limit, to see full times)")
    parser.add_argument("--case-file", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if args.case_file:
        print(json.dumps(run_case(args.case_file, args.model)))
        return 0
    from kg.read.limits import doc_timeout

    if args.doc_timeout is not None:
        os.environ["IOKG_DOC_TIMEOUT"] = args.doc_timeout
    limit = doc_timeout() or float("inf")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = make_cases(Path(tmp))
        chosen = [c for c in args.cases.split(",") if c] or list(cases)
        print(f"{'case':20} {'input':>9} {'seconds':>8} {'peak MB':>8}  outcome")
        for name in chosen:
            path = cases[name]
            child = subprocess.run([sys.executable, __file__, "--case-file", str(path), "--model", args.model],
                                   capture_output=True, text=True, cwd=ROOT, env={**os.environ})
            if child.returncode != 0:
                print(f"{name:20} child failed: {child.stderr.strip().splitlines()[-1:]}")
                return 2
            result = results[name] = json.loads(child.stdout.strip().splitlines()[-1])
            outcome = "stored" if result["documents"] else f"refused: {result['failure']}"
            print(f"{name:20} {path.stat().st_size / MB:8.2f}M {result['seconds']:8.2f} {result['peak_mb']:8.0f}  "
                  f"{outcome[:110]}", flush=True)
    ok = True
    if "prose-100KB" in results and "prose-1MB" in results:
        ratio = results["prose-1MB"]["seconds"] / results["prose-100KB"]["seconds"]
        capped = results["prose-1MB"]["seconds"] >= limit
        ok = ratio <= TARGET_RATIO and not capped
        print(f"ratio prose 1 MB / 100 KB: {'>= ' if capped else ''}{ratio:.1f} (target <= {TARGET_RATIO:g}: "
              f"{'ok' if ok else 'FAIL'}{', 1 MB stopped at the time limit' if capped else ''})")
    slow = [name for name, r in results.items() if r["seconds"] >= limit]
    print(f"per-document limit {limit:g} s: {'every case under it' if not slow else 'OVER: ' + ', '.join(slow)}")
    baseline = min(r["loaded_mb"] for r in results.values()) if results else 0
    print(f"(peak MB includes the loaded pipeline, about {baseline:.0f} MB)")
    return 0 if ok and not slow else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
