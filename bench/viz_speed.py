"""How long diagrams take: writing the HTML, and opening it until headless Chromium reports it drawn.

Synthetic graphs of 100, 1,000 and 5,000 nodes (70% networks, each linked to two countries or
organisations); prints one row per size and fails (exit 1) if 5,000 nodes take 5 s or more to draw.
Run: .venv/bin/python bench/viz_speed.py [--sizes 100,1000,5000]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.out.viz import write_html  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LIMIT_5000 = 5.0
KINDS = ("country", "organisation", "platform")
RELATIONS = ("origin", "target", "operator", "platform", "promotes", "attacks")


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like the real one: many networks, fewer shared entities, two links per network."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    n_entities = max(3, n * 3 // 10)
    for i in range(n_entities):
        kind = KINDS[i % 3]
        g.add_node(f"e{i}", kind=kind, category="pr-marketing" if kind == "organisation" else None,
                   label=f"entity {i}", facts={}, removed={}, documents=set(), evidence=[], networks=0)
    for i in range(n - n_entities):
        g.add_node(f"n{i}", kind="network", category=None, label=f"network {i}", facts={"policy": "cib"},
                   removed={"facebookAccounts": rng.randint(1, 500)}, documents={f"report {i % 40}.txt"},
                   evidence=[f"Network {i} was removed for coordinated inauthentic behaviour."], networks=0)
        for _ in range(2):
            g.add_edge(f"n{i}", f"e{int(rng.paretovariate(1.2)) % n_entities}", relation=rng.choice(RELATIONS))
    return g


def time_in_browser(browser, path: Path) -> tuple[float, float]:
    """(seconds from navigation until the viewer reports drawn, wall seconds for goto + ready)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.iokg && window.iokg.ready", timeout=120_000)
    wall = time.perf_counter() - start
    drawn_ms = page.evaluate("window.iokg.drawnAt")
    page.close()
    if errors:
        raise SystemExit(f"{path}: page errors: {errors[:3]}")
    return drawn_ms / 1000, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated node counts")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    from playwright.sync_api import sync_playwright

    failed = False
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(f"{'nodes':>6} {'edges':>6} {'layout':>7} {'write s':>8} {'MB':>5} {'drawn s':>8} {'wall s':>7}")
        for n in sizes:
            g = synthetic(n)
            start = time.perf_counter()
            out = write_html(g, Path(tmp) / f"g{n}.html")
            write_s = time.perf_counter() - start
            drawn_s, wall_s = time_in_browser(browser, out)
            layout = "python" if n > 500 else "physics"
            print(f"{n:>6} {g.number_of_edges():>6} {layout:>7} {write_s:>8.2f} {out.stat().st_size / 1e6:>5.1f} "
                  f"{drawn_s:>8.2f} {wall_s:>7.2f}")
            if n >= 5000 and drawn_s >= LIMIT_5000:
                failed = True
        browser.close()
    if failed:
        print(f"FAIL: 5,000 nodes took {LIMIT_5000:.0f} s or more to draw")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
