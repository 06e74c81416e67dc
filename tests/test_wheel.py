"""iokg as a user installs it: the wheel built from this checkout, `pip install`ed into a fresh virtualenv
outside the checkout, runs ingest, query, validate, viz and export on the seeds.

Every other test runs from the editable install, where files read through the checkout's paths are
found even when the wheel lacks them; this one runs the installed `iokg` from a temporary folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.slow


def _run(args, cwd, timeout=600, check=True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "IOKG_STORE", "IOKG_ENDPOINT")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtualenv holding the wheel built from this checkout."""
    root = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", root / "dist", PROJECT_DIR], cwd=root)
    wheels = list((root / "dist").glob("iokg-*.whl"))
    assert len(wheels) == 1, wheels
    venv.EnvBuilder(with_pip=True).create(root / "venv")
    bin_dir = root / "venv" / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheels[0]], cwd=root)
    return bin_dir


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """The user's working folder, outside the checkout."""
    return tmp_path_factory.mktemp("user")


def iokg(installed: Path, work: Path, *args, check=True) -> subprocess.CompletedProcess:
    return _run([installed / "iokg", *args], cwd=work, check=check)


def test_the_installed_package_is_not_the_checkout(installed, work):
    done = _run([installed / "python", "-c", "import kg, kg.data; print(kg.__file__); print(kg.__version__)"], cwd=work)
    location, version = done.stdout.split()
    assert not Path(location).is_relative_to(PROJECT_DIR), location
    assert Path(location).is_relative_to(installed.parent), location
    assert version == "0.1.0"


def test_installed_ingest_query_validate_viz_export(installed, work, seeds_dir):
    store = work / "store"
    done = iokg(installed, work, "ingest", seeds_dir, "--store", store)
    assert "5 documents" in done.stdout and "0 failures" in done.stdout, done.stdout + done.stderr
    assert "error" not in done.stderr.lower(), done.stderr

    listed = iokg(installed, work, "queries").stdout
    assert "pr-firms" in listed and "targets-of" in listed

    rows = json.loads(iokg(installed, work, "query", "pr-firms", "--store", store, "-f", "json").stdout)
    firms = {b["name"]["value"] for b in rows["results"]["bindings"]}
    assert "CLS Strategies" in firms, firms

    checked = iokg(installed, work, "validate", "--store", store)
    assert checked.stdout.startswith("conforms"), checked.stdout

    drawn = iokg(installed, work, "viz", "--store", store, "-o", work / "graph.html")
    html = (work / "graph.html").read_text(encoding="utf-8")
    assert "Wrote" in drawn.stdout and "<script" in html and "CLS Strategies" in html

    iokg(installed, work, "export", "--store", store, "-f", "turtle", "-o", work / "graph.ttl")
    from rdflib import Graph

    graph = Graph().parse(work / "graph.ttl", format="turtle")
    assert len(graph) > 1000
    assert iokg(installed, work, "validate", work / "graph.ttl").returncode == 0


def test_installed_extract_matches_the_shipped_schema(installed, work, seeds_dir):
    import jsonschema

    done = iokg(installed, work, "extract", seeds_dir / "000_8a87d10024d998eb.txt", "-f", "json", "--model", "none")
    where = _run([installed / "python", "-c", "from importlib.resources import files; "
                  "print(files('kg.data').joinpath('takedown.schema.json'))"], cwd=work).stdout.strip()
    assert Path(where).is_relative_to(installed.parent), where
    extracted = json.loads(done.stdout)
    jsonschema.validate(extracted, json.loads(Path(where).read_text(encoding="utf-8")))
    assert extracted["documents"][0]["networks"], done.stdout


def test_installed_python_api_runs(installed, work, seeds_dir):
    code = ("import sys, kg\n"
            "found = kg.extract_file(sys.argv[1])\n"
            "print(len(found.networks), all(len(c) == 2 for n in found.networks for c in n.origin))\n"
            "with kg.open_store('api-store') as store:\n"
            "    kg.ingest(sys.argv[1], store)\n"
            "    print(len(kg.query(store, 'networks').rows))\n")
    done = _run([installed / "python", "-c", code, seeds_dir / "003_fffc370fba008b8a.txt"], cwd=work)
    found, codes, stored = done.stdout.split()
    assert int(found) >= 2 and codes == "True" and int(stored) == int(found), done.stdout
