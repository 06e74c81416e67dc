"""The whole-seed diagram in headless Chromium: operations fold their sources' networks, platform hubs
hidden, the period filter narrowing it, the --focus node highlighted and centred. Screenshots go to a
temporary folder (IOKG_SCREENSHOTS to keep them elsewhere), never into the repository."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kg.out import netgraph
from kg.out.viz import format_number, write_html
from kg.store.embedded import EmbeddedStore
from tests.out.test_viz_browser import Opened, browser  # noqa: F401

pytestmark = pytest.mark.browser
CENTRE = """id => { const n = window.iokg.network, d = n.canvasToDOM(n.getPositions([id])[id]);
  const c = document.querySelector('#net canvas'); return [d.x - c.clientWidth / 2, d.y - c.clientHeight / 2]; }"""
VISIBLE = "s => window.iokg.nodes.get({filter: n => !n.hidden && (!s || n.style === s)}).map(n => n.label)"


def test_numbers_are_formatted_for_readers():
    assert format_number(3600000) == "3.6 M" and format_number(26) == "26" and format_number("509000") == "509,000"


@pytest.fixture(scope="module")
def seed_page(browser, seed_store, tmp_path_factory):  # noqa: F811
    with EmbeddedStore(seed_store, read_only=True) as store:
        g = netgraph.graph_from_backend(store)
    path = tmp_path_factory.mktemp("viz-ops") / "seeds.html"
    write_html(g, path, "seeds", focus=netgraph.find_nodes(g, "CLS Strategies"), hide_platforms=True)
    page = Opened(browser, path)
    page.page.wait_for_function("() => window.iokg.focusDone", timeout=30000)
    yield page
    page.page.close()


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("IOKG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.page.mouse.move(2, 880)  # no tooltip over the drawing
    page.page.wait_for_timeout(300)
    page.page.screenshot(path=str(folder / f"{name}.png"))


def operations_in(store_path, month: str | None = None) -> int:
    with EmbeddedStore(store_path, read_only=True) as store:
        rows = store.query("PREFIX iokg: <https://w3id.org/iokg/ns#> SELECT ?o ?f WHERE { ?o a iokg:Operation "
                           "OPTIONAL { ?o iokg:firstSeen ?f } }").rows
    return sum(1 for r in rows if month is None or str(r.get("f", "")).startswith(month))


def test_operations_replace_the_networks_they_fold_in(seed_page, seed_store):
    operations = seed_page.page.evaluate(VISIBLE, "operation")
    assert len(operations) == operations_in(seed_store) and seed_page.page.evaluate(VISIBLE, "network") == []
    assert sum(label.startswith("CLS Strategies") for label in operations) == 1
    tip = seed_page.hover(next(label for label in operations if label.startswith("CLS Strategies")))
    assert "operators: CLS Strategies" in tip and "targets:" in tip and "sources: 2" in tip
    assert "000_8a87d10024d998eb.txt" in tip and "001_d2d67c08d139a4d1.txt" in tip and "26 Facebook accounts" in tip
    assert "date: August (year not given)" in tip and "ad spend (USD): $3.6 M" in tip
    assert re.search(r"\[(origin|target|operator|removed|ad spend|date)[a-z ,]*\] ", tip)  # quotes name their fact


def test_platforms_start_hidden_and_come_back(seed_page, tmp_path):
    assert seed_page.page.evaluate(VISIBLE, "platform") == []
    shot(seed_page, "seeds-platforms-hidden-focus", tmp_path)
    seed_page.page.check("#platforms")
    assert set(seed_page.page.evaluate(VISIBLE, "platform")) == {"Facebook", "Instagram"}
    seed_page.page.uncheck("#platforms")
    seed_page.check_clean()


def test_focus_node_is_highlighted_and_centred(seed_page):
    focused = seed_page.page.evaluate("() => window.iokg.focused")
    assert focused.endswith("/org/cls-strategies")
    assert seed_page.page.evaluate("() => window.iokg.network.getSelectedNodes()") == [focused]
    dx, dy = seed_page.page.evaluate(CENTRE, focused)
    assert abs(dx) < 5 and abs(dy) < 5
    assert "CLS Strategies" in seed_page.page.locator("#details-body").inner_text()


def test_period_filter_narrows_to_the_march_2021_report(seed_page, seed_store, tmp_path):
    everything = len(seed_page.page.evaluate(VISIBLE, None))
    seed_page.page.fill("#from", "2021-03")
    seed_page.page.fill("#to", "2021-03")
    seed_page.page.dispatch_event("#to", "change")
    operations = seed_page.page.evaluate(VISIBLE, "operation")
    assert len(operations) == operations_in(seed_store, "2021-03") >= 14
    assert all(label.endswith("Mar 2021") for label in operations)
    assert "Pakistan" not in seed_page.page.evaluate(VISIBLE, "country")  # only linked to an August operation
    assert len(seed_page.page.evaluate(VISIBLE, None)) < everything
    shot(seed_page, "seeds-march-2021", tmp_path)
    seed_page.page.click("#clear-period")
    assert len(seed_page.page.evaluate(VISIBLE, None)) == everything
    seed_page.check_clean()
