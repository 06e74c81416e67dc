"""The package as a whole: the stages are its only subpackages, no module imports its way back to
itself, package data has one loader, and `kg` exports a small documented API."""
from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.data import load_jsonl
from kg.errors import UsageError

STAGES = {"read", "extract", "graph", "store", "out", "cli"}
KG_DIR = Path(kg.__file__).parent


def test_kg_holds_only_the_stage_packages_data_and_errors():
    done = subprocess.run([sys.executable, "-c", "import kg, pkgutil; "
                           "print(' '.join(m.name for m in pkgutil.iter_modules(kg.__path__)))"],
                          capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == STAGES | {"data", "errors"}
    packages = {m.name for m in pkgutil.iter_modules(kg.__path__) if m.ispkg}
    assert packages == STAGES | {"data"}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_says_what_it_does(stage):
    doc = __import__(f"kg.{stage}", fromlist=["_"]).__doc__ or ""
    assert len(doc.split()) >= 15, f"kg.{stage} needs a one-paragraph docstring"


def _modules() -> dict[str, Path]:
    found = {"kg": KG_DIR / "__init__.py"}
    for info in pkgutil.walk_packages(kg.__path__, "kg."):
        path = Path(info.module_finder.path) / info.name.rsplit(".", 1)[1]
        found[info.name] = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
    return found


def import_graph() -> nx.DiGraph:
    """Module → the kg modules it imports, anywhere in its body (a lazy import inside a function counts)."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert graph.number_of_nodes() > 50 and graph.number_of_edges() > 100
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles[:5])


def test_the_import_walk_sees_lazy_imports():
    """The walk must not miss an import inside a function: open_backend's are the classic case."""
    assert import_graph().has_edge("kg.store", "kg.store.embedded")


def test_the_stages_only_import_downstream_of_the_cli():
    graph = import_graph()
    for name in graph:
        if not name.startswith("kg.cli"):
            assert not any(t.startswith("kg.cli") for t in graph.successors(name)), f"{name} imports the CLI"


def test_rule_data_has_one_loader_with_clear_errors(tmp_path):
    assert load_jsonl("countries")[0]["code"]
    with pytest.raises(UsageError) as error:
        load_jsonl("contries")
    assert "countries" in str(error.value) and "cues" in str(error.value)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ok": 1}\n\n{nope\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.jsonl: not JSON \(invalid json on line 3\)"):
        load_jsonl(bad)
    listed = tmp_path / "list.jsonl"
    listed.write_text('[1, 2]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="row 1 is not a JSON object"):
        load_jsonl(listed)


def test_no_module_reads_jsonl_by_hand():
    """Line-by-line JSON parsing (the four readers load_jsonl replaced) happens in kg.data only."""
    by_hand = re.compile(r"json\.loads\(\s*line\b|srsly\.read_jsonl|for .* in .*\.jsonl.*splitlines")
    for name, path in _modules().items():
        if name != "kg.data":
            assert not by_hand.search(path.read_text(encoding="utf-8")), f"{name} parses JSONL itself"


def test_version_comes_from_the_installed_metadata():
    from importlib.metadata import version

    assert kg.__version__ == version("iokg")
