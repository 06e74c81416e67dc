"""Canned queries, typed parameters and result formats, on real Oxigraph stores.

Unit tests use hand-built extractions with known answers; the seed tests (issue 3 "Done when")
run the canned queries on the session store built from the five seed documents.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.store.backend import QueryResult
from kg.cli.main import cli
from kg.errors import UsageError
from kg.store.ingest import store_extraction
from kg.out.queries import canned_queries, get_canned, is_update, parse_params, parse_value, resolve, run, stats
from kg.out.results import clean_cell, format_result, guard_formula
from kg.store.embedded import EmbeddedStore
from kg.graph.operations_rdf import refresh_operations
from tests.kgfixtures import disagreeing_firm_extractions, firm_extraction

REQUIRED = {"networks", "operators", "pr-firms", "accounts-by-origin", "multi-country-operators",
            "targets-of", "evidence-for", "conflicts"}


@pytest.fixture(scope="module")
def firm_store(tmp_path_factory):
    """Two documents about the same firm that disagree on one count (120 vs 150 accounts)."""
    path = tmp_path_factory.mktemp("firm") / "store"
    with EmbeddedStore(path) as store:
        for extraction in disagreeing_firm_extractions():
            store_extraction(store, extraction)
        refresh_operations(store)  # as ingest does after its documents
    with EmbeddedStore(path, read_only=True) as store:
        yield store


def rows(store, name, *params):
    query = get_canned(name)
    return [{k: str(v) for k, v in row.items()} for row in run(store, query, parse_params(params, query)).rows]


# --- loader and parameters ---------------------------------------------------------------

def test_every_required_canned_query_exists_with_a_description():
    found = canned_queries()
    assert REQUIRED <= set(found)
    for canned in found.values():
        assert canned.description and not canned.description.startswith("PREFIX")
    assert set(found["targets-of"].params) == {"country"}
    assert set(found["evidence-for"].params) == {"entity"}


def test_unknown_query_lists_valid_names():
    with pytest.raises(UsageError) as error:
        get_canned("no-such-query")
    assert "valid names:" in str(error.value) and "pr-firms" in str(error.value)


def test_param_values_become_typed_terms():
    assert parse_value("42") == Literal(42) and parse_value("42").datatype is not None
    assert parse_value("-1.5") == Literal(Decimal("-1.5"))
    assert parse_value("true") == Literal(True)
    assert parse_value("<https://w3id.org/iokg/id/country/EC>") == URIRef("https://w3id.org/iokg/id/country/EC")
    assert parse_value("Reputation Up") == Literal("Reputation Up")


def test_param_errors_are_usage_errors():
    targets = get_canned("targets-of")
    with pytest.raises(UsageError, match="needs --param country"):
        parse_params([], targets)
    with pytest.raises(UsageError, match="valid: country"):
        parse_params(["nation=EC"], targets)
    with pytest.raises(UsageError, match="key=value"):
        parse_params(["country"], targets)
    with pytest.raises(UsageError, match="takes no parameters"):
        parse_params(["x=1"], get_canned("networks"))


def test_updates_are_recognised_and_refused_without_permission(firm_store):
    assert is_update("PREFIX x: <http://x/>\n# c\nDELETE WHERE { ?s ?p ?o }")
    assert not is_update("PREFIX x: <http://x/>\nSELECT * WHERE { ?s ?p ?o }")
    before = firm_store.triple_count()
    with pytest.raises(UsageError, match="--update"):
        run(firm_store, resolve(None, "DELETE WHERE { ?s ?p ?o }"))
    assert firm_store.triple_count() == before


def test_update_runs_when_allowed(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        store_extraction(store, firm_extraction())
        run(store, resolve(None, "DROP ALL"), allow_update=True)
        assert store.triple_count() == 0


# --- canned queries on known data ---------------------------------------------------------

def test_accounts_by_origin_sums_each_network_once(firm_store):
    by_origin = {r["origin"]: r for r in rows(firm_store, "accounts-by-origin")}
    assert by_origin["ES"]["facebook_accounts"] == "270" and by_origin["ES"]["pages"] == "18"
    assert by_origin["MX"]["facebook_accounts"] == "80" and by_origin["MX"]["networks"] == "2"


@pytest.mark.parametrize("country", ["EC", "ECU", "Ecuador"])
def test_targets_of_accepts_codes_and_names(firm_store, country):
    found = rows(firm_store, "targets-of", f"country={country}")
    assert {r["label"] for r in found} == {"Spain network"} and len(found) == 2
    assert all(r["operators"] == "Acme Reach" for r in found)


def test_targets_of_an_untargeted_or_unknown_country_is_empty(firm_store):
    assert rows(firm_store, "targets-of", "country=Peru") == []
    assert rows(firm_store, "targets-of", "country=Spain network") == [], "only country codes and names match"


def test_evidence_for_returns_the_linking_sentence_by_name_or_alias(firm_store):
    for name in ("Acme Reach", "Acme"):
        found = rows(firm_store, "evidence-for", f"entity={name}")
        assert {r["source"] for r in found} == {"firm.txt", "other.txt"}
        assert any(r["quote"].startswith("Acme Reach, a marketing firm in Spain") for r in found)
        assert all(r["property"].endswith("operatedBy") for r in found)
    assert rows(firm_store, "evidence-for", "entity=Nobody Ltd") == []


def test_conflicts_compare_every_figure_of_an_operation(firm_store):
    found = rows(firm_store, "conflicts")
    differ = [r for r in found if r["status"] == "differ"]
    assert len(differ) == 1
    (row,) = differ
    assert row["label"].startswith("Acme Reach") and row["fact"] == "facebookAccounts"
    assert sorted(row["values"].split("; ")) == ["120 (firm.txt)", "150 (other.txt)"]
    agree = {(r["label"].split(" · ")[0], r["fact"]) for r in found if r["status"] == "agree"}
    assert ("Acme Reach", "pages") in agree and ("Acme Reach", "adSpendUSD") in agree  # compared, and they agree
    assert all(r["sources_compared"] == "2" for r in found)


def test_operators_pr_firms_and_networks(firm_store):
    (op,) = rows(firm_store, "operators")
    assert (op["name"], op["category"], op["country"], op["networks"], op["targeted"]) == ("Acme Reach", "pr-marketing", "ES", "2", "EC")
    (firm,) = rows(firm_store, "pr-firms")
    assert firm["sources"].split() == ["firm.txt", "other.txt"]
    nets = rows(firm_store, "networks")
    assert len(nets) == 4
    spain = [n for n in nets if n["source"] == "firm.txt" and n["origin"] == "ES"][0]
    assert (spain["targets"], spain["facebook_accounts"], spain["pages"], spain["ad_spend_usd"]) == ("EC", "120", "9", "5000")
    assert rows(firm_store, "multi-country-operators") == []


def test_stats_counts_instances_per_class(firm_store):
    counts = stats(firm_store)
    assert counts["Network"] == 4 and counts["SourceDocument"] == 2 and counts["graphs"] == 4  # + entities, operations
    assert counts["Operation"] == 2  # each document's two networks tell the same two takedowns
    assert counts["PRFirm"] == 1 and counts["quads"] == firm_store.triple_count()


# --- formatting ---------------------------------------------------------------------------

HOSTILE = QueryResult(kind="select", variables=("a", "b"), rows=(
    {"a": Literal("\x1b[31mred\x1b[0m\x07bell\nline"), "b": Literal("=HYPERLINK(\"http://x\")")},
    {"a": Literal("-5"), "b": Literal("@SUM(A1)")},
))


def test_table_strips_ansi_escapes_and_control_characters():
    text = format_result(HOSTILE, "table")
    assert "\x1b" not in text and "\x07" not in text
    assert "red bell line" in text
    assert clean_cell("\x1b]0;title\x07ok") == "ok"


def test_csv_and_tsv_guard_formula_cells():
    parsed = list(csv.reader(io.StringIO(format_result(HOSTILE, "csv"))))
    assert parsed[1][1] == "'=HYPERLINK(\"http://x\")" and parsed[2] == ["-5", "'@SUM(A1)"]
    tsv = format_result(HOSTILE, "tsv").splitlines()
    assert tsv[1].split("\t")[1].startswith("'=") and len(tsv) == 3
    assert guard_formula("+1") == "+1" and guard_formula("+cmd") == "'+cmd"


def test_json_is_sparql_results_json():
    data = json.loads(format_result(HOSTILE, "json"))
    assert data["head"]["vars"] == ["a", "b"]
    assert data["results"]["bindings"][1]["a"] == {"type": "literal", "value": "-5"}


def test_wrong_format_for_the_result_kind_is_a_usage_error():
    with pytest.raises(UsageError, match="turtle"):
        format_result(QueryResult(kind="select"), "turtle")


# --- command line -------------------------------------------------------------------------

def test_cli_query_with_param_and_csv(firm_store):
    result = CliRunner().invoke(cli, ["query", "targets-of", "--param", "country=Ecuador", "--format", "csv",
                                      "--store", str(firm_store.path)])
    assert result.exit_code == 0, result.output
    assert "Spain network" in result.output and result.output.startswith("country,network")


def test_cli_query_errors_are_one_line(firm_store):
    runner = CliRunner()
    unknown = runner.invoke(cli, ["query", "nope", "--store", str(firm_store.path)])
    assert unknown.exit_code == 2 and "valid names" in unknown.output and "Traceback" not in unknown.output
    bad = runner.invoke(cli, ["query", "-e", "SELECT WHERE {", "--store", str(firm_store.path)])
    assert bad.exit_code == 6 and len(bad.output.strip().splitlines()) == 1
    construct = runner.invoke(cli, ["query", "-e", "CONSTRUCT WHERE { ?s a ?o }", "-f", "nt", "--store", str(firm_store.path)])
    assert construct.exit_code == 0 and construct.output.count(" .\n") > 10


def test_cli_queries_lists_descriptions():
    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 0
    for name in REQUIRED:
        assert name in result.output
    assert "--param country=" in result.output


# --- seeds (issue 3 "Done when") ----------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(seed_store):
    with EmbeddedStore(seed_store, read_only=True) as store:
        yield store


def test_seed_pr_firms(seeds):
    names = " | ".join(r["name"] for r in rows(seeds, "pr-firms")).lower()
    for firm in ("cls strategies", "reputation up", "leanga software", "bee interactive", "flow agency"):
        assert firm in names, names
    assert "comores" in names or "comoros" in names, names


def test_seed_accounts_by_origin_mexico_is_371(seeds):
    by_origin = {r["origin"]: r for r in rows(seeds, "accounts-by-origin")}
    assert by_origin["MX"]["facebook_accounts"] == "371"


def test_seed_targets_of_ecuador_returns_leanga(seeds):
    found = rows(seeds, "targets-of", "country=Ecuador")
    assert any("leanga" in r.get("operators", "").lower() for r in found), found


def test_seed_evidence_for_reputation_up_is_the_march_2021_sentence(seeds, seeds_dir):
    found = rows(seeds, "evidence-for", "entity=Reputation Up")
    report = next(seeds_dir.glob("003_*"))
    linking = [r for r in found if r["source"] == report.name and "Reputation Up" in r["quote"]]
    assert linking, found
    text = report.read_text(encoding="utf-8")
    for r in linking:
        assert r["quote"] in text


def test_seed_conflicts_match_the_cls_counts_of_the_extractions(seeds, seed_extractions):
    """Whatever the extractor reads, `conflicts` lists exactly the CLS counts on which two sources differ."""
    counts = {}
    for name, ex in seed_extractions.items():
        for n in ex.networks:
            if any(o.name == "CLS Strategies" for o in n.operators):
                for key, value in n.removed.items():
                    if value is not None:
                        counts.setdefault(key, {})[name] = value
    expected = {key for key, by_doc in counts.items() if len(set(by_doc.values())) > 1}
    found = {r["fact"] for r in rows(seeds, "conflicts") if r["label"].startswith("CLS Strategies") and r["status"] == "differ"}
    names = {"facebook_accounts": "facebookAccounts", "pages": "pages", "groups": "groups",
             "instagram_accounts": "instagramAccounts", "events": "events"}
    assert {f for f in found if f in names.values()} == {names[k] for k in expected}


def _variant(extraction, name, **changes):
    """The firm extraction under another file name with its first network changed."""
    from dataclasses import replace

    first, second = extraction.networks
    doc = replace(extraction.document, name=name, path=name, sha256=name * 4)
    return replace(extraction, document=doc, networks=(replace(first, **changes), second))


def test_operator_with_a_targetless_network_keeps_its_targets_and_ad_spend_conflicts(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        store_extraction(store, firm_extraction())
        store_extraction(store, _variant(firm_extraction(), "nowhere.txt", targets=(), index=3))
        (op,) = rows(store, "operators")
        assert (op["name"], op["networks"], op["targeted"]) == ("Acme Reach", "2", "EC")
        store_extraction(store, _variant(firm_extraction(), "dearer.txt", ad_spend_usd=9000))
        refresh_operations(store)
        spend = [r for r in rows(store, "conflicts") if r["fact"] == "adSpendUSD"]
    assert [(r["status"], sorted(r["values"].split("; "))) for r in spend] == \
        [("differ", ["5000 (firm.txt)", "5000 (nowhere.txt)", "9000 (dearer.txt)"])]
