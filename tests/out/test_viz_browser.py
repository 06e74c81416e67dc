"""Diagrams opened in real headless Chromium (Debian package) through Playwright: counts, tooltips, no
network traffic, no console errors, and hostile text that stays text."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.out import netgraph
from kg.store.embedded import EmbeddedStore
from kg.out.viz import write_html
from tests.out.test_netgraph import XSS_NAME, fill_store, sample_extractions, xss_extraction

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NODE_POINT = """id => { const n = window.iokg.network, p = n.getPositions([id])[id], d = n.canvasToDOM(p);
  const r = document.querySelector('#net canvas').getBoundingClientRect(); return [r.left + d.x, r.top + d.y]; }"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/system-deps.sh (installs Debian's chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A diagram page plus everything it did: console errors, requests, dialogs."""

    def __init__(self, browser, path: Path):
        self.errors, self.requests, self.dialogs = [], [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.iokg && window.iokg.ready", timeout=30000)

    def node_id(self, label: str) -> str:
        return self.page.evaluate("l => window.iokg.nodes.getIds({filter: n => n.label === l})[0]", label)

    def hover(self, label: str) -> str:
        """Move the mouse onto the node and return the text of the tooltip that appears."""
        x, y = self.page.evaluate(NODE_POINT, self.node_id(label))
        self.page.mouse.move(x - 3, y - 3)
        self.page.mouse.move(x, y, steps=3)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        return tip.inner_text()

    def click(self, label: str) -> str:
        x, y = self.page.evaluate(NODE_POINT, self.node_id(label))
        self.page.mouse.click(x, y)
        return self.page.locator("#details-body").inner_text()

    def check_clean(self) -> None:
        assert self.errors == []
        assert [u for u in self.requests if u != self.url and not u.startswith("data:")] == []


def store_graph(store_path: Path, **kw):
    with EmbeddedStore(store_path, read_only=True) as store:
        return netgraph.graph_from_backend(store, **kw)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "store"
    fill_store(path, sample_extractions())
    return path


def check_diagram(browser, store_path: Path, out: Path, hover_label: str) -> Opened:
    """Draw the store, open it, compare with networkx, hover and click a node, take a screenshot."""
    g = store_graph(store_path)
    write_html(g, out)
    opened = Opened(browser, out)
    counts = opened.page.evaluate("""() => ({nodes: iokg.nodes.length, edges: iokg.edges.length,
        drawn: Object.keys(iokg.network.getPositions()).length})""")
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "drawn": g.number_of_nodes()}
    tip = opened.hover(hover_label)
    assert hover_label in tip and "Documents:" in tip
    assert hover_label in opened.click(hover_label)
    opened.page.screenshot(path=str(out.with_suffix(".png")))
    assert out.with_suffix(".png").stat().st_size > 10_000
    opened.check_clean()
    return opened


def test_sample_diagram_in_chromium(browser, sample_store, tmp_path):
    opened = check_diagram(browser, sample_store, tmp_path / "sample.html", "Brightline Media")
    assert "Evidence:" in opened.hover("Spain network")
    opened.page.close()


def test_search_and_class_filter(browser, sample_store, tmp_path):
    write_html(store_graph(sample_store), tmp_path / "f.html")
    opened = Opened(browser, tmp_path / "f.html")
    page = opened.page
    page.fill("#search", "network")
    page.press("#search", "Enter")
    assert page.locator("#status").inner_text() == "4 matches"
    assert len(page.evaluate("iokg.network.getSelectedNodes()")) == 4
    page.locator(".legend-row", has_text="Network").locator("input").uncheck()
    assert page.evaluate("iokg.nodes.get({filter: n => n.hidden}).length") == 4
    page.locator(".legend-row", has_text="attacks").locator("input").uncheck()
    assert page.evaluate("iokg.edges.get({filter: e => e.hidden}).length") == 1
    opened.check_clean()
    page.close()


def test_hostile_text_shows_literally_and_runs_nothing(browser, tmp_path):
    fill_store(tmp_path / "store", [xss_extraction()])
    opened = check_diagram(browser, tmp_path / "store", tmp_path / "xss.html", XSS_NAME)
    page = opened.page
    network = opened.hover("Hostile network <b>bold</b>")
    assert "href=\"javascript:alert(2)\"" in network and "</script><script>alert(3)</script>" in network
    assert page.evaluate("document.querySelectorAll('img, a, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # vis, data block, viewer
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    page.close()


def test_seed_diagram_in_chromium(browser, seed_store, tmp_path):
    """The seeds' diagram: counts equal networkx's, an operation's tooltip shows its sources, nothing leaks."""
    g = store_graph(seed_store)
    assert sum(1 for _, k in g.nodes(data="kind") if k in ("network", "operation")) >= 5
    busiest = max((n for n, k in g.nodes(data="kind") if k in ("network", "operation")), key=lambda n: (g.degree(n), n))
    opened = check_diagram(browser, seed_store, tmp_path / "seeds.html", g.nodes[busiest]["label"])
    assert "Evidence:" in opened.hover(g.nodes[busiest]["label"])
    opened.page.close()


def test_edge_hover_names_the_relation(browser, sample_store, tmp_path):
    write_html(store_graph(sample_store), tmp_path / "fixed.html", layout_threshold=0)  # straight, fixed edges
    opened = Opened(browser, tmp_path / "fixed.html")
    page = opened.page
    ends = [page.evaluate(NODE_POINT, opened.node_id(label)) for label in ("Northern Bureau", "Russia network")]
    page.mouse.move((ends[0][0] + ends[1][0]) / 2 + 2, (ends[0][1] + ends[1][1]) / 2 + 2)
    page.mouse.move((ends[0][0] + ends[1][0]) / 2, (ends[0][1] + ends[1][1]) / 2, steps=3)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text() == "Russia network \u2192 operated by \u2192 Northern Bureau"
    opened.check_clean()
    page.close()
