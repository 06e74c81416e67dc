"""The Python API of `kg/__init__.py`: the README's "Use from Python" example run as a doctest, and each
call's contract on its own."""
from __future__ import annotations

import doctest
import shutil

import pytest

import kg
from kg.errors import DocumentError, UsageError
from tests.conftest import EXAMPLES_DIR, PROJECT_DIR

pytestmark = pytest.mark.slow


def readme_section(title: str) -> str:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_example_runs(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLES_DIR, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    section = readme_section("Use from Python")
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    test = doctest.DocTestParser().get_doctest(code, {}, "README.md: Use from Python", "README.md", 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert (tmp_path / "fazze.html").is_file() and (tmp_path / "example-store").is_dir()


def test_every_exported_function_is_documented():
    assert kg.__all__[0] == "__version__"
    for name in kg.__all__[1:]:
        function = getattr(kg, name)
        assert callable(function) and len((function.__doc__ or "").split()) >= 12, name
        assert name in readme_section("Use from Python"), f"README 'Use from Python' never names kg.{name}"


def test_importing_kg_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys, kg; print('spacy' in sys.modules, 'pyoxigraph' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_extract_file_reads_the_formats_and_fails_with_the_file_name(tmp_path):
    found = kg.extract_file(EXAMPLES_DIR / "fazze-vaccine-campaign.md")
    assert found.document.title and found.networks and found.networks[0].origin == ("RU",)
    with pytest.raises(DocumentError, match="nope.txt"):
        kg.extract_file(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="no readable text"):
        kg.extract_text("   ")


def test_query_takes_names_files_and_sparql(tmp_path):
    with kg.open_store(tmp_path / "store") as store:
        kg.ingest([EXAMPLES_DIR / "fazze-vaccine-campaign.md"], store)
        query_file = tmp_path / "count.rq"
        query_file.write_text("# Networks.\nSELECT (COUNT(?n) AS ?n) WHERE { ?n a <https://w3id.org/iokg/ns#Network> }\n",
                              encoding="utf-8")
        assert int(kg.query(store, str(query_file)).rows[0]["n"]) == 1
        text = "SELECT ?label WHERE { ?n a <https://w3id.org/iokg/ns#Network> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        assert [str(r["label"]) for r in kg.query(store, text).rows] == ["Russia network"]
        assert {str(r["quote"]) for r in kg.query(store, "evidence-for", entity="Fazze").rows}
        with pytest.raises(UsageError, match="unknown canned query"):
            kg.query(store, "no-such-query")
        with pytest.raises(UsageError):
            kg.query(store, "targets-of", colour="red")
