"""Start-up of `iokg extract`: no rdflib on the extraction path, the kill chain from its on-disk cache."""
from __future__ import annotations

import subprocess
import sys

from kg.graph import killchain
from kg.graph.vocab import KILLCHAIN

EXTRACT_ONE_LINE = """
import sys
from click.testing import CliRunner
from kg.cli.main import cli
result = CliRunner().invoke(cli, ["extract", sys.argv[1], "--model", "none"])
assert result.exit_code == 0, result.output
print(sorted(m for m in sys.modules if m.split(".")[0] in ("rdflib", "pyoxigraph", "networkx", "pyshacl")))
"""


def test_extract_imports_no_rdf_library(tmp_path):
    line = tmp_path / "one.txt"
    line.write_text("We removed 12 Facebook accounts from Iran.\n", encoding="utf-8")
    env = {"IOKG_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", EXTRACT_ONE_LINE, str(line)], capture_output=True, text=True, env=env)
            for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert "rdflib" in runs[0].stdout, "a cold cache is filled by parsing the Turtle"
    assert runs[1].stdout.strip() == "[]", "these imports cost start-up time on every iokg extract"


def test_the_cached_kill_chain_is_the_parsed_one(tmp_path, monkeypatch):
    monkeypatch.setenv("IOKG_CACHE", str(tmp_path))
    killchain.load_killchain.cache_clear()
    try:
        cold = killchain.load_killchain()
        assert list(tmp_path.glob("killchain-*.json"))
        killchain.load_killchain.cache_clear()
        warm = killchain.load_killchain()
    finally:
        killchain.load_killchain.cache_clear()
    assert cold == warm == killchain._parse(killchain.KILLCHAIN_TTL)
    assert killchain.GRAPH_IRI == str(KILLCHAIN)
    assert warm.get("1.1").iri == str(KILLCHAIN["1.1"])
