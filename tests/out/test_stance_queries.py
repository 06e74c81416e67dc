"""The party, beneficiaries and attacked queries on real Oxigraph stores: the seeds, and a text of our own."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.store.ingest import store_extraction
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator
from kg.extract.stance import stance_of
from kg.store.embedded import EmbeddedStore


def query(store, *args) -> list[dict[str, str]]:
    """Rows of `iokg query ... --format json` as {variable: value}."""
    result = CliRunner().invoke(cli, ["query", *args, "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def test_party_query_on_the_seeds_shows_who_attacked_and_who_promoted_morena(seed_store):
    rows = query(seed_store, "party", "--param", "name=Morena")
    attacked = [r for r in rows if r["relation"] == "attacked by"]
    promoted = [r for r in rows if r["relation"] == "promoted by"]
    assert attacked and all("CLS Strategies" in r["operators"] for r in attacked)
    assert {r["source"] for r in attacked} == {"000_8a87d10024d998eb.txt", "001_d2d67c08d139a4d1.txt"}
    assert all(r["party"] == "MORENA" for r in rows)
    assert all(r["evidence"] and "morena" in r["evidence"].lower() for r in attacked + promoted)
    assert len(promoted) == 2 and {r["source"] for r in promoted} == {"003_fffc370fba008b8a.txt"}
    assert all("Mexico" in r["label"] or "MX" in r["label"] for r in promoted)


def test_party_query_accepts_any_spelling(seed_store):
    by_name = {tuple(sorted((r["relation"], r["network"]) for r in query(seed_store, "party", "--param", f"name={n}")))
               for n in ("MORENA", "morena", "National Regeneration Movement")}
    assert len(by_name) == 1


def test_beneficiaries_and_attacked_on_the_seeds(seed_store):
    promoted = {r["beneficiary"]: r for r in query(seed_store, "beneficiaries")}
    attacked = {r["attacked"]: r for r in query(seed_store, "attacked")}
    assert promoted["Union Sociale Libérale"]["kind"] == "party"
    assert promoted["Marybel Villegas Canché"]["role"] == "senator"
    assert attacked["Henry Flores"]["role"] == "mayoral candidate"
    assert "Reputation Up" in attacked["Henry Flores"]["operators"]
    assert "criticism of mayoral candidate Henry Flores" in attacked["Henry Flores"]["evidence"]


TEXT = ("The first network was run by the Solidarity Front party. It posted criticism of Mayor Ilse Brandt. "
        "The second network amplified the content of the Solidarity Front.")


@pytest.fixture(scope="module")
def own_store(tmp_path_factory, nlp):
    """One document, two networks: the Solidarity Front runs the first and the second promotes it."""
    doc = nlp(TEXT)
    sents = list(doc.sents)
    document = Document("own.txt", "own.txt", TEXT, "txt", hashlib.sha256(TEXT.encode()).hexdigest())
    networks = []
    for index, part in ((1, sents[:2]), (2, sents[2:])):
        promotes, attacks, claims = stance_of(part, TEXT)
        operators = (Operator("Solidarity Front", "political", "DE"),) if index == 1 else ()
        if operators:  # like the extractor, the operator comes with the sentence that names it
            first = part[0]
            span = Evidence(first.text, first.start_char, first.end_char)
            claims = [Claim("operators", "Solidarity Front", span), *claims]
        networks.append(Network(index, f"network {index}", origin=("DE",), operators=operators,
                                promotes=tuple(promotes), attacks=tuple(attacks), claims=tuple(claims)))
    path = tmp_path_factory.mktemp("own") / "store"
    with EmbeddedStore(path) as store:
        store_extraction(store, Extraction(document, tuple(networks)))
    return path


def test_party_that_ran_one_network_and_was_promoted_by_another_is_one_node(own_store):
    rows = query(own_store, "party", "--param", "name=Solidarity Front")
    assert sorted((r["relation"], r["label"]) for r in rows) == [("promoted by", "network 2"), ("ran", "network 1")]
    assert {r["party"] for r in rows} == {"Solidarity Front"}
    (promoted,) = [r for r in rows if r["relation"] == "promoted by"]
    assert promoted["evidence"] == "The second network amplified the content of the Solidarity Front."
    nodes = query(own_store, "-e", "SELECT DISTINCT ?p WHERE { ?n1 <https://w3id.org/iokg/ns#operatedBy> ?p . "
                                   "?n2 <https://w3id.org/iokg/ns#promotes> ?p }")
    assert len(nodes) == 1


def test_attacked_person_keeps_role_and_sentence(own_store):
    (row,) = query(own_store, "attacked")
    assert (row["attacked"], row["kind"], row["role"]) == ("Ilse Brandt", "person", "Mayor")
    assert row["evidence"] == "It posted criticism of Mayor Ilse Brandt."


@pytest.mark.parametrize("name", ["MEK", "Georgian March"])
def test_seed_operators_that_promote_themselves_are_one_node(seed_store, name):
    rows = query(seed_store, "party", "--param", f"name={name}")
    assert {r["relation"] for r in rows} == {"ran", "promoted by"}
    assert len({r["party"] for r in rows}) == 1
    assert len({r["network"] for r in rows}) == 1
