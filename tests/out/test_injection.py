"""Issue 6, items 3 and 5: --param values are data, `iokg query` is read-only without --update,
and labels taken from documents are escaped in every output (terminal table, CSV/TSV, HTML).

Runs the real CLI on a real Oxigraph store; "unchanged" means the N-Quads dump is byte-identical.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.store.ingest import store_extraction
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator
from kg.out.queries import canned_queries
from kg.store.embedded import EmbeddedStore

INJECTION = 'x" } ; DROP ALL ; #'
EVIL_IRI = "<http://evil>"
HOSTILE_NAMES = {
    "ansi": "\x1b[31mRed Firm\x1b[0m\x1b]0;owned\x07",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "html": "<img src=x onerror=alert(1)></script><script>alert(2)</script>",
}
ESCAPED = INJECTION.replace('"', '\\"')
SEED_DATA = f"""INSERT DATA {{ GRAPH <urn:test> {{
  <urn:hostile> <urn:label> "{ESCAPED}" .
  <urn:plain> <urn:label> "x" .
  <urn:iri> <urn:link> <http://evil> .
  <urn:other> <urn:link> <http://good> .
}} }}"""


def iokg(*args: str):
    return CliRunner().invoke(cli, list(args))


def hostile_extraction() -> Extraction:
    """A document whose operators carry terminal escapes, spreadsheet formulas and markup."""
    text = "A network from Spain targeted Ecuador. " * 2
    doc = Document(path="/tmp/hostile.txt", name="hostile.txt", text=text, format="txt",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    span = Evidence(text[:38], 0, 38)
    operators = tuple(Operator(name, "pr-marketing", "ES") for name in HOSTILE_NAMES.values())
    network = Network(index=1, label="Spain network", origin=("ES",), targets=("EC",), platforms=("Facebook",),
                      removed={"facebook_accounts": 10}, operators=operators, evidence=(span,),
                      claims=tuple(Claim("operators", o.name, span) for o in operators))
    return Extraction(document=doc, networks=(network,))


@pytest.fixture
def store(tmp_path):
    """A store with a hand-built hostile document and a few test triples."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as opened:
        store_extraction(opened, hostile_extraction())
        opened.update(SEED_DATA)
    return path


def dump(path) -> bytes:
    with EmbeddedStore(path, read_only=True) as opened:
        return opened.dump_nquads()


def test_injection_param_is_matched_literally_and_changes_nothing(store):
    before = dump(store)
    result = iokg("query", "-e", "SELECT ?s ?v WHERE { ?s <urn:label> ?v }", "--param", f"v={INJECTION}",
                  "--store", str(store), "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["s\tv", f"urn:hostile\t{INJECTION}"]
    assert dump(store) == before


def test_iri_param_is_an_iri_term_not_query_text(store):
    before = dump(store)
    result = iokg("query", "-e", "SELECT ?s ?v WHERE { ?s <urn:link> ?v }", "--param", f"v={EVIL_IRI}",
                  "--store", str(store), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.split() == ["s,v", "urn:iri,http://evil"]
    assert dump(store) == before


@pytest.mark.parametrize("value", ["<http://evil> } ; DROP ALL ; #>", "<urn:a> <urn:b>", "<\n>", '<" } DROP ALL #>'])
def test_malformed_iri_param_is_a_clear_error_or_no_match(store, value):
    before = dump(store)
    result = iokg("query", "-e", "SELECT ?s ?v WHERE { ?s <urn:link> ?v }", "--param", f"v={value}",
                  "--store", str(store), "--format", "csv")
    assert "Traceback" not in result.output and not isinstance(result.exception, (ValueError, TypeError))
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert result.stdout.split() == ["s,v"]
    else:
        assert len(result.stderr.strip().splitlines()) == 1
    assert dump(store) == before


@pytest.mark.parametrize("name", sorted(n for n, q in canned_queries().items() if q.params))
def test_every_canned_parameter_takes_injection_as_data(store, name):
    before = dump(store)
    params = []
    for key in canned_queries()[name].params:
        params += ["--param", f"{key}={INJECTION}"]
    result = iokg("query", name, *params, "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "Update applied" not in result.output
    assert dump(store) == before


@pytest.mark.parametrize("sparql", [
    "DROP ALL",
    "drop all",
    "PREFIX ex: <urn:ex#>\n# a comment\nCLEAR ALL",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <urn:test> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_query_is_read_only_without_update(store, sparql):
    before = dump(store)
    result = iokg("query", "-e", sparql, "--store", str(store))
    assert result.exit_code == 2 and "--update" in result.output and "Traceback" not in result.output
    assert dump(store) == before


def test_query_followed_by_update_is_a_syntax_error(store):
    before = dump(store)
    result = iokg("query", "-e", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "--store", str(store))
    assert result.exit_code == 6 and "syntax" in result.output.lower()
    assert dump(store) == before


def test_update_from_a_query_file_needs_update_flag(store, tmp_path):
    rq = tmp_path / "wipe.rq"
    rq.write_text("# looks harmless\nDROP ALL\n")
    before = dump(store)
    assert iokg("query", str(rq), "--store", str(store)).exit_code == 2
    assert dump(store) == before


def test_update_flag_does_change_the_store(store):
    """The counterpart that shows the checks above could see a change."""
    result = iokg("query", "--update", "-e", "DROP GRAPH <urn:test>", "--store", str(store))
    assert result.exit_code == 0
    check = iokg("query", "-e", "SELECT ?s WHERE { ?s <urn:label> ?v }", "--store", str(store), "--format", "csv")
    assert check.stdout.split() == ["s"]


def test_update_refuses_params(store):
    before = dump(store)
    result = iokg("query", "--update", "-e", "DELETE WHERE { ?s <urn:label> ?v }", "--param", f"v={INJECTION}",
                  "--store", str(store))
    assert result.exit_code == 2 and dump(store) == before


OPERATOR_NAMES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?name WHERE { ?o rdfs:label ?name } ORDER BY ?name"


def test_table_output_has_no_control_characters(store):
    result = iokg("query", "-e", OPERATOR_NAMES, "--store", str(store))
    assert result.exit_code == 0
    assert "Red Firm" in result.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.stdout)


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_delimited_output_guards_formulas(store, fmt, delimiter):
    result = iokg("query", "-e", OPERATOR_NAMES, "--store", str(store), "--format", fmt)
    assert result.exit_code == 0
    cells = [row[0] for row in csv.reader(io.StringIO(result.stdout), delimiter=delimiter)][1:]
    hostile = [c for c in cells if any(n.lstrip("=+-@")[:8] in c for n in HOSTILE_NAMES.values())]
    assert len(hostile) >= 4
    for cell in cells:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells


def test_html_diagram_keeps_hostile_labels_as_data(store, tmp_path):
    out = tmp_path / "d.html"
    result = iokg("viz", "--store", str(store), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "onerror=alert(1)" in page.replace("\\u003c", "<").replace("\\u003e", ">")  # the label is there...
    assert "<img src=x" not in page and "<script>alert(2)" not in page  # ...but never as markup
    assert "\x1b" not in page or "\\u001b" in page
