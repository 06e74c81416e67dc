"""Canned queries on operations and time, and names that find things (kg.names through `iokg query`)."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.graph.names import resolve_country


def query(store, *args) -> tuple[list[dict], str, int]:
    result = CliRunner().invoke(cli, ["query", *args, "--store", str(store), "--format", "csv"])
    return list(csv.DictReader(io.StringIO(result.stdout))), result.stderr, result.exit_code


@pytest.mark.parametrize("name", ["Russia", "RU", "RUS", "russia", "Russian", "Russian Federation"])
def test_country_names_resolve_from_any_spelling(name):
    assert resolve_country(name) == "RU"


@pytest.mark.parametrize("name,code", [("UK", "GB"), ("Türkiye", "TR"), ("turkey", "TR"), ("U.K.", "GB"),
                                       ("mexico", "MX"), ("British", "GB")])
def test_other_countries_resolve(name, code):
    assert resolve_country(name) == code


def test_targets_of_gives_the_same_rows_for_every_spelling(seed_store):
    rows = [query(seed_store, "targets-of", "--param", f"country={name}")[0] for name in ("UK", "gb", "United Kingdom", "british")]
    assert rows[0] and all(r == rows[0] for r in rows)


def test_an_unknown_name_says_so_with_the_closest_names(seed_store):
    rows, err, code = query(seed_store, "targets-of", "--param", "country=Mexcio")
    assert code == 0 and rows == [] and "Mexico" in err
    rows, err, code = query(seed_store, "evidence-for", "--param", "entity=CLS Strategy")
    assert code == 0 and rows == [] and "CLS Strategies" in err


def test_entity_names_match_any_case(seed_store):
    assert query(seed_store, "evidence-for", "--param", "entity=cls strategies")[0] == \
        query(seed_store, "evidence-for", "--param", "entity=CLS Strategies")[0] != []


def operation_count(store) -> int:
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(store, read_only=True) as backend:
        return len(backend.query("SELECT DISTINCT ?o WHERE { ?o a <https://w3id.org/iokg/ns#Operation> }").rows)


def test_operations_lists_each_takedown_once_with_its_sources(seed_store):
    rows, _, code = query(seed_store, "operations")
    assert code == 0 and len(rows) == operation_count(seed_store) >= 18
    cls = [r for r in rows if r["label"].startswith("CLS Strategies")]
    assert len(cls) == 1 and cls[0]["source_count"] == "2"
    assert (cls[0]["facebook_accounts"], cls[0]["pages"], cls[0]["instagram_accounts"], cls[0]["ad_spend_usd"]) == \
        ("26", "46", "36", "3600000")


def test_conflicts_report_figures_compared_per_operation(seed_store):
    rows, _, _ = query(seed_store, "conflicts")
    cls = {r["fact"]: r["status"] for r in rows if r["label"].startswith("CLS Strategies")}
    assert cls == {"facebookAccounts": "agree", "pages": "agree", "instagramAccounts": "agree", "adSpendUSD": "agree"}


def test_timeline_by_month_and_quarter_within_a_period(seed_store):
    networks = query(seed_store, "networks")[0]
    march = {r["operation"] for r in networks if r["source"].startswith("003")}
    rows, _, _ = query(seed_store, "timeline", "--param", "from=2021-01", "--param", "to=2021-12")
    assert {r["operation"] for r in rows} == march and {r["period"] for r in rows} == {"2021-03"}
    rows, _, _ = query(seed_store, "timeline", "--param", "from=2021", "--param", "to=2021", "--param", "by=quarter")
    assert {r["period"] for r in rows} == {"2021-Q1"} and len(rows) == len(march)
    assert query(seed_store, "timeline", "--param", "from=2020-01", "--param", "to=2020-12")[0] == []


def test_most_targeted_counts_operations_not_retellings(seed_store):
    rows, _, _ = query(seed_store, "most-targeted")
    counts = {r["code"]: (int(r["operations"]), int(r["accounts"])) for r in rows}
    networks = query(seed_store, "networks")[0]
    mexico = [r for r in networks if "MX" in r["targets"].split()]
    assert counts["MX"] == (len({r["operation"] for r in mexico}), len(mexico))
    assert counts["MX"][0] < counts["MX"][1]  # CLS, told by two documents, counts once


def test_networks_show_their_operation_and_date(seed_store):
    rows, _, _ = query(seed_store, "networks")
    assert all(r["operation"] and r["operation_label"] for r in rows)
    march = [r for r in rows if r["source"].startswith("003")]
    assert len(march) >= 14 and all(r["date"].startswith("2021-03") for r in march)
