"""kg.store.ingest: documents → extraction → RDF → store, per-document transactions, idempotent re-ingest."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.errors import DocumentError
from kg.store.ingest import ingest_paths, store_extraction
from kg.out.queries import get_canned, run
from kg.graph.iris import ENTITIES_GRAPH
from kg.graph.rdf import extraction_graph
from kg.store.embedded import EmbeddedStore
from tests.kgfixtures import FIRM_TEXT, firm_extraction


def count_networks(store) -> int:
    result = store.query("PREFIX iokg: <https://w3id.org/iokg/ns#> SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { ?n a iokg:Network }")
    return int(result.rows[0]["c"])


def test_storing_the_same_document_twice_changes_nothing(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        written = store_extraction(store, firm_extraction())
        dump = store.dump_nquads()
        assert written == store.triple_count() > 0
        assert store_extraction(store, firm_extraction()) == 0
        assert store.dump_nquads() == dump, "not even the ingestion time may change"


def test_a_changed_document_replaces_its_graph(tmp_path):
    changed = firm_extraction(accounts=7, text="Updated. " + FIRM_TEXT)
    with EmbeddedStore(tmp_path / "s") as store:
        store_extraction(store, firm_extraction())
        store_extraction(store, changed)
        assert store.graph_names() == [str(ENTITIES_GRAPH), "https://w3id.org/iokg/id/graph/file/firm.txt"]
        assert count_networks(store) == 2
        assert store.triple_count() == len(extraction_graph(changed)) + 1  # + its iokg:sourcePath
        counts = {r["origin"].value: int(r["facebook_accounts"]) for r in run(store, get_canned("accounts-by-origin")).rows}
        assert counts["ES"] == 7


@pytest.fixture
def mixed_folder(tmp_path, seeds_dir):
    """One real report (copied at run time from the shared seeds) and two files that cannot be read."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(next(seeds_dir.glob("004_*")), folder / "b_good.txt")
    (folder / "a_empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "c_broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    return folder


def test_bad_files_are_counted_and_the_good_one_goes_in(mixed_folder, tmp_path, nlp):
    heard = []
    with EmbeddedStore(tmp_path / "s") as store:
        report = ingest_paths([mixed_folder], store, nlp, on_error=lambda path, error: heard.append(path))
        assert report.documents == 1 and report.networks >= 1 and report.triples == store.triple_count()
        assert len(report.failures) == 2 and len(heard) == 2
        assert {p.rsplit("/", 1)[-1] for p, _ in report.failures} == {"a_empty.txt", "c_broken.pdf"}
        assert len(store.graph_names()) == 4, "the good document's graph, the entities graph, the kill chain, the operations"
    assert "2 failures" in report.summary()


def test_strict_stops_at_the_first_failure(mixed_folder, tmp_path, nlp):
    with EmbeddedStore(tmp_path / "s") as store:
        with pytest.raises(DocumentError, match="a_empty.txt"):
            ingest_paths([mixed_folder], store, nlp, strict=True)
        assert store.triple_count() == 0


def test_cli_ingest_summary_and_exit_code(mixed_folder, tmp_path):
    store = tmp_path / "cli-store"
    result = CliRunner().invoke(cli, ["ingest", str(mixed_folder), "--store", str(store)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("Ingested 1 documents,") and "2 failures" in lines[-1]
    assert sum(line.startswith("iokg: error: ") for line in lines) == 2 and "Traceback" not in result.output
    again = CliRunner().invoke(cli, ["ingest", str(mixed_folder / "b_good.txt"), "--store", str(store)])
    assert again.exit_code == 0 and "0 triples" in again.output and "(1 unchanged)" in again.output


def test_two_files_with_one_name_in_a_batch_do_not_overwrite_each_other(tmp_path, nlp):
    first, second = tmp_path / "2021" / "report.txt", tmp_path / "2022" / "report.txt"
    text = ("We removed 40 Facebook accounts and 5 Pages for coordinated inauthentic behavior. "
            "This network originated in Mexico and targeted audiences in Ecuador.")
    for path, text in ((first, text), (second, text.replace("Ecuador", "Peru"))):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    with EmbeddedStore(tmp_path / "s") as store:
        report = ingest_paths([first, second], store, nlp)
        assert report.documents == 1 and len(report.failures) == 1
        failed, reason = report.failures[0]
        assert failed == str(second) and "would be stored as 'report.txt'" in reason and str(first) in reason
        targets = {str(r["targets"]) for r in run(store, get_canned("networks")).rows}
        assert any("EC" in t for t in targets) and not any("PE" in t for t in targets)


def test_busy_store_is_a_clear_cli_error(tmp_path, mixed_folder):
    with EmbeddedStore(tmp_path / "busy"):
        result = CliRunner().invoke(cli, ["ingest", str(mixed_folder), "--store", str(tmp_path / "busy")])
    assert result.exit_code == 4 and "store is busy" in result.output


def test_reingesting_the_seeds_leaves_the_store_unchanged(seed_store, seeds_dir, nlp):
    with EmbeddedStore(seed_store) as store:
        before = store.dump_nquads()
        report = ingest_paths([seeds_dir], store, nlp)
        assert report.unchanged == report.documents == 5 and report.triples == 0
        assert store.dump_nquads() == before


def test_ingest_loads_the_kill_chain_once_so_techniques_show_tactics(seed_store):
    from kg.graph.killchain import GRAPH_IRI, load_killchain

    with EmbeddedStore(seed_store, read_only=True) as store:
        assert GRAPH_IRI in store.graph_names()
        rows = run(store, get_canned("techniques")).rows
    assert rows, "the seeds use kill-chain techniques"
    tactics = {c.label for c in load_killchain().concepts.values() if c.broader is None}
    assert all(str(row.get("tactic", "")) in tactics for row in rows)


def test_kill_chain_is_reloaded_only_when_missing_or_changed(tmp_path):
    from kg.store.ingest import ensure_killchain
    from kg.graph.killchain import GRAPH_IRI

    with EmbeddedStore(tmp_path / "s") as store:
        loaded = ensure_killchain(store)
        assert loaded == store.triple_count() > 1000
        assert ensure_killchain(store) == 0
        store.update(f"DELETE WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s <http://www.w3.org/2004/02/skos/core#broader> ?o }} }}")
        assert ensure_killchain(store) == loaded and store.triple_count() == loaded


def test_a_graph_of_an_older_layout_is_rewritten_even_for_the_same_bytes(tmp_path):
    from kg.graph.rdf import LAYOUT_VERSION

    with EmbeddedStore(tmp_path / "s") as store:
        written = store_extraction(store, firm_extraction())
        assert store_extraction(store, firm_extraction()) == 0
        # what a store written before figure shortcuts and name keys holds (layout 1, no version triple)
        store.update("PREFIX iokg: <https://w3id.org/iokg/ns#> DELETE WHERE { GRAPH ?g { ?n iokg:removedFacebookAccounts ?v } }")
        store.update("PREFIX iokg: <https://w3id.org/iokg/ns#> DELETE WHERE { GRAPH ?g { ?d iokg:layoutVersion ?v } }")
        assert store_extraction(store, firm_extraction()) == written
        assert store.query("ASK { ?n <https://w3id.org/iokg/ns#removedFacebookAccounts> 120 }").boolean
        older = f"PREFIX iokg: <https://w3id.org/iokg/ns#> DELETE {{ GRAPH ?g {{ ?d iokg:layoutVersion ?v }} }} " \
                f"INSERT {{ GRAPH ?g {{ ?d iokg:layoutVersion {LAYOUT_VERSION - 1} }} }} WHERE {{ GRAPH ?g {{ ?d iokg:layoutVersion ?v }} }}"
        store.update(older)
        assert store_extraction(store, firm_extraction()) == written
        assert store_extraction(store, firm_extraction()) == 0


def test_an_empty_answer_from_a_store_of_an_older_layout_says_to_ingest_again(tmp_path):
    from kg.store.ingest import older_layout_documents

    path = tmp_path / "s"
    with EmbeddedStore(path) as store:
        store_extraction(store, firm_extraction())
        assert older_layout_documents(store) == 0
        store.update("PREFIX iokg: <https://w3id.org/iokg/ns#> DELETE WHERE { GRAPH ?g { ?d iokg:layoutVersion ?v } }")
        assert older_layout_documents(store) == 1
    result = CliRunner().invoke(cli, ["query", "party", "--param", "name=Nobody", "--store", str(path)])
    assert result.exit_code == 0 and "1 stored documents were written by an older iokg" in result.stderr
    found = CliRunner().invoke(cli, ["query", "networks", "--store", str(path)])
    assert found.exit_code == 0 and "older iokg" not in found.stderr, "only an empty answer prompts the note"
    with EmbeddedStore(path) as store:
        store_extraction(store, firm_extraction())
    again = CliRunner().invoke(cli, ["query", "party", "--param", "name=Nobody", "--store", str(path)])
    assert again.exit_code == 0 and "older iokg" not in again.stderr


def without_ingestion_time(nquads: bytes) -> set[bytes]:
    return {line for line in nquads.splitlines() if line and b"#ingestedAt>" not in line}


def test_jobs_2_stores_what_jobs_1_stores_and_counts_what_was_stored(seed_store, seeds_dir, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    (folder / "zz_broken.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    store = tmp_path / "jobs2"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--store", str(store), "--jobs", "2"])
    assert result.exit_code == 1 and "zz_broken.pdf" in result.output, result.output
    with EmbeddedStore(store, read_only=True) as parallel, EmbeddedStore(seed_store, read_only=True) as serial:
        assert without_ingestion_time(parallel.dump_nquads()) == without_ingestion_time(serial.dump_nquads())
        stored = parallel.triple_count()
    assert "Ingested 5 documents, " in result.output and f" {stored} triples, 1 failures" in result.output, \
        "shared entities are counted once, as stored, not once per document"
