"""Meta's indicator CSVs read into networks: counts, spend, procedures, indicators, places, evidence rows."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.read.document import read_document
from kg.errors import DocumentError
from kg.extract.indicator_text import (classify, countries_in, follower_count, humanize_name, is_page_name,
                               removed_count, targeted_countries)
from kg.extract.indicators import extract_indicator_file, file_places, read_rows
from kg.graph.killchain import load_killchain
from tests.conftest import META_DIR

CIB_FILES = sorted(p for p in META_DIR.glob("*.csv") if "cib" in p.name.lower())
APT_FILES = sorted(p for p in META_DIR.glob("*.csv") if "apt" in p.name.lower() or "espionage" in p.name.lower())


def _extract(name: str):
    return extract_indicator_file(read_document(META_DIR / name))


@pytest.fixture(scope="module")
def croatia(shared_dir):
    extraction = _extract("Q1_2024_Croatia_Based_CIB_Network.csv")
    assert len(extraction.networks) == 1
    return extraction.networks[0]


def test_croatia_counts_spend_and_procedures(croatia):
    assert croatia.removed == {"facebook_accounts": 104, "pages": 39, "instagram_accounts": 7}
    assert croatia.ad_spend_usd == 20
    assert {"1.1.1", "1.1.2", "7.1.1"} <= {t.procedure for t in croatia.techniques}
    assert croatia.followers == {"pages": 100, "instagram": 150}
    assert croatia.origin == ("HR",) and croatia.targets == ("HR",)
    assert croatia.platforms == ("Facebook", "Instagram")
    assert croatia.kind == "influence-operation"
    assert croatia.label == "Croatia-based CIB network (Q1 2024)"


def test_croatia_facts_cite_their_rows(croatia):
    doc = read_document(META_DIR / "Q1_2024_Croatia_Based_CIB_Network.csv")
    (pages,) = croatia.evidence_for("removed.pages", 39)
    assert pages.text.endswith("39 Pages") and doc.text[pages.start:pages.end] == pages.text
    (instagram,) = croatia.evidence_for("removed.instagram_accounts", 7)
    assert "0.9.2 Acquiring Instagram accounts" in instagram.text
    (ads,) = croatia.evidence_for("ad_spend_usd")
    assert "About 20 USD in spending for ads" in ads.text
    gan = croatia.evidence_for("techniques", "1.1.2")
    assert gan and "Generative Adversarial Networks" in gan[0].text
    labels = {t.procedure: t.label for t in croatia.techniques}
    assert labels["7.1.1"] == "Advertising to promote content"


@pytest.mark.parametrize("path", CIB_FILES, ids=lambda p: p.name)
def test_every_cib_file_reads_with_row_evidence(path):
    doc = read_document(path)
    extraction = extract_indicator_file(doc)
    chain = load_killchain()
    assert extraction.networks and any(n.kind == "influence-operation" for n in extraction.networks)
    for network in extraction.networks:
        assert network.label and (network.indicators or network.techniques)
        assert all(t.procedure in chain for t in network.techniques)
        for claim in network.claims:
            assert doc.text[claim.evidence.start:claim.evidence.end] == claim.evidence.text


@pytest.mark.parametrize("path", APT_FILES, ids=lambda p: p.name)
def test_espionage_files_are_kept_out_of_influence_operations(path):
    extraction = extract_indicator_file(read_document(path))
    assert all(n.kind == "espionage" for n in extraction.networks)
    assert any("espionage" in w for w in extraction.warnings)


def test_indicators_stay_defanged_and_typed(shared_dir):
    network = _extract("Q1_2024_IRAN-BASED_CIB_NETWORK.csv").networks[0]
    by_value = {i.value: i.kind for i in network.indicators}
    assert by_value["http://jgtm[.]org/"] == "url"
    assert by_value["www.tikvaodesa[.]com"] == "domain"
    assert all("[.]" in v or "." in v for v in by_value)
    brands = _extract("Q1_2024_Bangladesh_Based_Cib_Network.csv").networks[0].indicators
    assert ("page-name", "Dhaka Television") in {(i.kind, i.value) for i in brands}


def test_legacy_file_is_split_by_actor_with_targets(shared_dir):
    extraction = _extract("2022_09_removing_coordinated_inauthentic_behavior_from_china_and_russia.csv")
    by_origin = {n.origin: n for n in extraction.networks}
    assert set(by_origin) == {("CN",), ("RU",)}
    russia = by_origin[("RU",)]
    assert "DE" in russia.targets and russia.kind == "influence-operation"
    assert any(i.kind == "url" and i.comment == "CIB Telegram URL" for i in russia.indicators)
    assert "0.9.7" in {t.procedure for t in russia.techniques}
    mixed = _extract("2022_04_metas_adversarial_threat_report_q1.csv")
    kinds = {n.label.split(" (")[0]: n.kind for n in mixed.networks}
    assert kinds["UNC788, Iran"] == "espionage" and kinds["CIB: Russia, Ukraine"] == "influence-operation"


def test_wrong_header_names_the_file(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("name,value\na,b\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"notes\.csv: not a Meta indicator file"):
        extract_indicator_file(read_document(path))


@pytest.mark.parametrize("text,instagram,expected", [
    ("104 accounts", False, ("facebook_accounts", 104)),
    ("7 accounts", True, ("instagram_accounts", 7)),
    ("7,704 Facebook accounts", False, ("facebook_accounts", 7704)),
    ("954 Facebook Pages", False, ("pages", 954)),
    ("1 Page", False, ("pages", 1)),
    ("18 Instagram accounts", False, ("instagram_accounts", 18)),
    ("About 110 accounts on Facebook and Instagram", False, None),
    ("https://twitter[.]com/x", False, None),
])
def test_removed_count(text, instagram, expected):
    assert removed_count(text, instagram=instagram) == expected


def test_follower_parsing():
    assert follower_count("less than 100 accounts joined this Group", "7.2.3") == ("groups", 100)
    assert follower_count("No accounts followed these Instagram accounts.", "7.2.4") == ("instagram", 0)
    assert follower_count("About 2,300 accounts followed one or more of these Groups") == ("groups", 2300)
    assert follower_count("Posting into Groups focused on regional politics") is None


def test_indicator_kinds_and_page_names():
    assert classify("info[at]holysouls[.]cc") == [("email", "info[at]holysouls[.]cc")]
    assert classify("info[at]amc239[.]com, hosted with Titan.email service") == [("email", "info[at]amc239[.]com")]
    assert classify("https[:]//t[.]me/s/hminewai") == [("url", "https[:]//t[.]me/s/hminewai")]
    assert classify("9481f10c51e9ad5b36846978587b4374") == [("hash", "9481f10c51e9ad5b36846978587b4374")]
    assert classify("euronewstop[.]co[.]uk") == [("domain", "euronewstop[.]co[.]uk")]
    assert classify("Posing as dance teacher") == []
    assert is_page_name("Молдова онлайн - Moldova Online")
    assert not is_page_name("The websites controlled by the network are listed above")


def test_places_from_names_and_phrases():
    assert file_places("Q1_2023_Togo_Burkina_Faso-based_CIB_network.csv") == (("TG", "BF"), ())
    assert file_places("Q1_2024_MOLDOVA_and_MADAGASCAR_TARGETING_CIB_NETWORK.csv") == ((), ("MD", "MG"))
    assert file_places("Q2_2024_US-BASED_CIB_NETWORK.csv") == (("US",), ())
    assert countries_in("run from Russia and the United States by us") == ["RU", "US"]
    assert targeted_countries("The campaign targeted Lebanon. It criticised Iran") == ["LB"]
    assert targeted_countries("Country likely targeted: USA") == ["US"]
    assert targeted_countries("Germany-targeting CIB domain") == ["DE"]
    assert humanize_name("Q2_2023_Spamouflage_China_based_CIB_updated.csv") == "Spamouflage China-based CIB (Q2 2023)"


@pytest.mark.slow
def test_every_cib_file_ingests_into_a_real_store(tmp_path, shared_dir):
    from kg.store import open_backend
    from kg.store.ingest import ingest_paths

    with open_backend(str(tmp_path / "store")) as backend:
        report = ingest_paths(CIB_FILES, backend, nlp=None)
        assert report.failures == [] and report.documents == len(CIB_FILES)
        rows = backend.query("""
            PREFIX iokg: <https://w3id.org/iokg/ns#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?type ?count ?spend (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?techniques) WHERE {
              ?n a iokg:Network ; rdfs:label "Croatia-based CIB network (Q1 2024)" ;
                 iokg:adSpendUSD ?spend ; iokg:usesTechnique ?t ; iokg:removed ?r .
              ?r iokg:assetType ?type ; iokg:count ?count .
            } GROUP BY ?type ?count ?spend""").rows
    counts = {str(r["type"]).rsplit("#", 1)[-1]: int(r["count"]) for r in rows}
    assert counts == {"facebookAccounts": 104, "pages": 39, "instagramAccounts": 7}
    assert {int(r["spend"]) for r in rows} == {20}
    techniques = str(rows[0]["techniques"]).split()
    for notation in ("1.1.1", "1.1.2", "7.1.1"):
        assert f"https://w3id.org/iokg/killchain/{notation}" in techniques


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell, min_size=1, max_size=5), min_size=1, max_size=8))
def test_read_rows_keeps_cells_and_offsets_of_any_csv(records):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    text = buffer.getvalue()
    rows = read_rows(text)
    assert [list(r.cells) for r in rows] == list(csv.reader(io.StringIO(text)))
    for row in rows:
        assert text[row.evidence.start:row.evidence.end] == row.evidence.text
