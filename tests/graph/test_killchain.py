"""The kill chain as SKOS: generated from Meta's CSV, committed, loadable, licence kept."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDFS, SKOS

from kg.errors import UsageError
from kg.graph.killchain import KILLCHAIN_TTL, load_killchain
from kg.graph.vocab import KILLCHAIN
from tests.conftest import META_DIR, PROJECT_DIR

CSV = META_DIR / "Online_Operations_Killchain-TTPs.csv"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, shared_dir):
    out = tmp_path_factory.mktemp("kc") / "killchain.ttl"
    done = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "build_killchain.py"), str(CSV), "-o", str(out)],
                          capture_output=True, text=True, check=True)
    assert "triples" in done.stdout
    return out


def test_committed_file_matches_a_fresh_build(regenerated):
    assert isomorphic(Graph().parse(regenerated), Graph().parse(KILLCHAIN_TTL))


def test_every_csv_procedure_is_a_concept_under_its_technique_and_tactic():
    chain = load_killchain()
    rows = [r for r in csv.reader(CSV.open(encoding="utf-8-sig")) if r and r[0].strip()][1:]
    assert len(rows) > 150
    for tactic, technique, procedure in rows:
        notation = procedure.split()[0].removesuffix(".0") if procedure.count(".") > 2 else procedure.split()[0]
        concept = chain.get(notation)
        assert concept.broader == technique.split()[0].rstrip(".")
        assert chain.tactic(notation).notation == tactic.split(".")[0]


def test_gan_procedure_has_label_and_hierarchy():
    chain = load_killchain()
    gan = chain.get("1.1.2")
    assert "generative adversarial" in gan.label.lower()
    assert gan.broader == "1.1" and chain.get("1.1").label == "Adopting visual disguise"
    assert chain.tactic("1.1.2").label == "Disguising assets"
    assert gan.iri == str(KILLCHAIN["1.1.2"])


def test_ten_tactics_are_top_concepts_and_procedures_are_leaves():
    graph = Graph().parse(KILLCHAIN_TTL)
    scheme = KILLCHAIN[""]
    tops = sorted(str(graph.value(t, SKOS.notation)) for t in graph.objects(scheme, SKOS.hasTopConcept))
    assert tops == [str(n) for n in range(10)]
    procedures = load_killchain().procedures()
    assert "7.1.1" in procedures and "7.1" not in procedures and "0.9.10" in procedures
    assert "0.9.10.0" not in load_killchain()


def test_meta_mit_notice_travels_with_the_data():
    text = KILLCHAIN_TTL.read_text(encoding="utf-8")
    assert "# MIT License" in text and "Meta Platforms, Inc." in text
    graph = Graph().parse(KILLCHAIN_TTL)
    scheme = KILLCHAIN[""]
    comment = str(graph.value(scheme, RDFS.comment))
    assert "Permission is hereby granted" in comment
    assert graph.value(scheme, DCTERMS.license) is not None
    assert (scheme, SKOS.prefLabel, Literal("Online Operations Kill Chain", lang="en")) in graph


def test_unknown_notation_lists_valid_ones():
    with pytest.raises(UsageError, match=r"unknown kill-chain notation '1\.1\.99'.*1\.1\.2"):
        load_killchain().get("1.1.99")


def test_build_script_rejects_a_csv_without_notations(tmp_path):
    bad = tmp_path / "Online_Operations_Killchain-TTPs.csv"
    bad.write_text("Tactic,Technique,Procedure\nAcquiring,IP,Proxy\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT License\nCopyright (c) Meta Platforms, Inc.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "build_killchain.py"), str(bad),
                           "-o", str(tmp_path / "out.ttl")], capture_output=True, text=True)
    assert done.returncode != 0 and "line 2" in done.stderr
    assert not (tmp_path / "out.ttl").exists()


def test_load_into_a_real_store_keeps_its_own_graph(tmp_path):
    pytest.importorskip("kg.store.embedded", reason="kg.store.embedded (KG engineer) not in the tree yet")
    from kg.store import open_backend
    from kg.graph.killchain import GRAPH_IRI, load_into

    with open_backend(str(tmp_path / "store")) as backend:
        count = load_into(backend)
        assert GRAPH_IRI in backend.graph_names()
        rows = backend.query("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                             "SELECT ?l WHERE { GRAPH ?g { ?c skos:notation \"1.1.2\" ; skos:prefLabel ?l } }").rows
        assert len(rows) == 1 and count == len(Graph().parse(KILLCHAIN_TTL))
