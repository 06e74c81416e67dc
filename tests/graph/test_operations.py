"""Operations: the scored merge of networks of different documents, on synthetic facts, the seeds and
the development gold (kg.graph.operations, kg.graph.operations_rdf, kg.graph.operations_eval)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.graph.operations import NetFacts, cluster, score_pair


def net(iri, doc, **kw) -> NetFacts:
    return NetFacts(iri=iri, document=doc, **kw)


AUG = dict(start=date(2020, 8, 1), end=date(2020, 8, 31))


def test_same_operator_origin_and_date_join_with_reasons():
    a = net("a", "d1", origin=frozenset({"US"}), operators=(("CLS", frozenset({"cls"})),), **AUG)
    b = net("b", "d2", origin=frozenset({"US"}), operators=(("CLS Strategies", frozenset({"cls"})),), **AUG)
    match = score_pair(a, b)
    assert match.score >= 5 and any(r.startswith("operator-shared") for r in match.reasons)
    groups, used = cluster([b, a])
    assert [[n.iri for n in g] for g in groups] == [["a", "b"]] and len(used) == 1


def test_different_origins_or_distant_dates_never_join():
    a = net("a", "d1", origin=frozenset({"RU"}), **AUG)
    assert score_pair(a, net("b", "d2", origin=frozenset({"IR"}), **AUG)).veto
    later = net("c", "d2", origin=frozenset({"RU"}), start=date(2021, 8, 1), end=date(2021, 8, 31))
    assert score_pair(a, later).veto


def test_a_recurring_operator_without_a_date_on_one_side_does_not_join():
    ira = (("IRA", frozenset({"ira"})),)
    a = net("a", "d1", origin=frozenset({"RU"}), operators=ira, **AUG)
    b = net("b", "d2", origin=frozenset({"RU"}), operators=ira)
    assert score_pair(a, b).score < 5


def test_two_networks_of_one_document_never_share_an_operation():
    common = dict(origin=frozenset({"MX"}), targets=frozenset({"MX"}), **AUG)
    groups, _ = cluster([net("a", "d1", **common), net("b", "d1", **common), net("c", "d2", **common)])
    assert all(len({n.document for n in g}) == len(g) for g in groups)


def test_order_of_input_does_not_change_the_operations():
    nets = [net(f"n{i}", f"d{i % 3}", origin=frozenset({"RU"}), targets=frozenset({"UA"}), **AUG) for i in range(7)]
    first, _ = cluster(nets)
    second, _ = cluster(list(reversed(nets)))
    assert [[n.iri for n in g] for g in first] == [[n.iri for n in g] for g in second]


# --- the seeds ----------------------------------------------------------------------------------

def seed_gold_operations(shared_dir, order=sorted):
    """Operations of the seeds' gold networks (dated as iokg dates their documents), as sets of ids."""
    from kg.graph.operations_eval import gold_networks

    nets = gold_networks(shared_dir / "eval" / "gold", shared_dir / "corpus" / "seeds")
    groups, _ = cluster(order(nets, key=lambda n: n.iri))
    return nets, [{n.iri.split("_")[0] + "#" + n.iri.rsplit("#", 1)[1] for n in g} for g in groups]


def test_seed_gold_operations_are_the_takedowns_the_issue_names(shared_dir):
    """The merge on the seeds' gold networks: CLS told by 000 and 001, IRA/PeaceData by 000 (with the
    FBI tip) and 004, the March 2021 report's 14 networks 14 operations of March 2021."""
    nets, groups = seed_gold_operations(shared_dir)
    assert {"000#1", "001#1"} in groups
    assert {"000#2", "004#1"} in groups
    assert "FBI" in next(n for n in nets if n.iri.endswith("000_8a87d10024d998eb.txt#2")).discovered
    march = [n for n in nets if n.document.startswith("003")]
    assert len(march) == 14 and all({f"003#{n.iri.rsplit('#', 1)[1]}"} in groups for n in march)
    assert {(n.start.isoformat()[:7]) for n in march} == {"2021-03"}
    assert len(groups) == len(nets) - 2
    _, reverse = seed_gold_operations(shared_dir, order=lambda xs, key: sorted(xs, key=key, reverse=True))
    assert sorted(map(sorted, reverse)) == sorted(map(sorted, groups))


OPS = """PREFIX iokg: <https://w3id.org/iokg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?op ?label ?src ?first WHERE { ?op a iokg:Operation ; rdfs:label ?label ; iokg:reportedAs ?n .
  ?n prov:wasDerivedFrom/iokg:fileName ?src OPTIONAL { ?op iokg:firstSeen ?first } }"""


def operations_of(path) -> dict[str, dict]:
    from kg.store.embedded import EmbeddedStore

    found: dict[str, dict] = {}
    with EmbeddedStore(path, read_only=True) as store:
        for row in store.query(OPS).rows:
            entry = found.setdefault(str(row["op"]), {"label": str(row["label"]), "sources": [], "first": None})
            entry["sources"].append(str(row["src"])[:3])
            entry["first"] = str(row["first"]) if row.get("first") else None
    return found


def test_seed_store_operations(seed_store, seed_extractions):
    """What iokg ingests from the seeds: CLS told by 000 and 001 is one operation, every network of
    the March 2021 report is an operation of its own dated 2021-03, no document tells one twice."""
    ops = operations_of(seed_store)
    cls = [o for o in ops.values() if o["label"].startswith("CLS Strategies")]
    assert len(cls) == 1 and sorted(cls[0]["sources"]) == ["000", "001"]
    march = [o for o in ops.values() if "003" in o["sources"]]
    report = next(ex for name, ex in seed_extractions.items() if name.startswith("003"))
    assert len(march) == len(report.networks) >= 14
    assert all(o["sources"] == ["003"] and o["first"].startswith("2021-03") for o in march)
    for o in ops.values():  # no two networks of one document share an operation
        assert len(o["sources"]) == len(set(o["sources"]))
    assert sum(len(o["sources"]) for o in ops.values()) == sum(len(ex.networks) for ex in seed_extractions.values())


def test_reverse_ingest_order_gives_the_same_operations(nlp, seeds_dir, seed_store, tmp_path):
    from kg.store.embedded import EmbeddedStore
    from kg.store.ingest import ingest_paths

    with EmbeddedStore(tmp_path / "rev") as store:
        for path in sorted(seeds_dir.iterdir(), reverse=True):
            ingest_paths([path], store, nlp)
    assert operations_of(tmp_path / "rev") == operations_of(seed_store)


def test_discoveries_name_the_operation_of_the_tip(seed_store):
    from kg.out.queries import get_canned, run
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(seed_store, read_only=True) as store:
        rows = run(store, get_canned("discoveries")).rows
    fbi = [r for r in rows if str(r["discoverer"]) == "FBI"]
    assert fbi and all("Internet Research Agency" in str(r["label"]) for r in fbi)


# --- the development gold ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dev_networks(shared_dir, nlp):
    """(gold networks dated by iokg, extracted networks, alignment) of the development corpus."""
    from kg.extract.files import extract_paths
    from kg.graph.operations_eval import align, dated_by, facts_from_network, gold_networks

    corpus, gold_dir = shared_dir / "corpus" / "dev", shared_dir / "eval" / "dev-gold"
    if not gold_dir.is_dir():
        pytest.skip("no development gold")
    extracted = [facts_from_network(ex.document.name, n) for ex in extract_paths([corpus], nlp) for n in ex.networks]
    gold = gold_networks(gold_dir, corpus)
    mapping = align(extracted, gold)
    return dated_by(gold, extracted, mapping), extracted, mapping


def test_merge_precision_and_recall_on_the_development_gold(dev_networks):
    """The merge logic measured on the gold networks as input (dated as iokg dates them)."""
    from kg.graph.operations_eval import pairwise

    gold, _, _ = dev_networks
    score = pairwise(gold)
    print(f"\nmerge on gold networks: precision {score.precision:.3f} recall {score.recall:.3f} "
          f"({score.merged_pairs} merged pairs, {score.true_pairs} reference pairs)")
    assert score.true_pairs > 40
    assert score.precision >= 0.90 and score.recall >= 0.90


def test_merge_on_extracted_networks(dev_networks):
    """The same measure on what iokg extracts (extraction errors included), against the gold reference."""
    from kg.graph.operations_eval import pairwise_against

    gold, extracted, mapping = dev_networks
    score = pairwise_against(extracted, mapping, gold)
    print(f"\nmerge on extracted networks: precision {score.precision:.3f} recall {score.recall:.3f} "
          f"({len(extracted)} networks, {len(mapping)} aligned to the gold; {score.merged_pairs} merged pairs, "
          f"{score.true_pairs} reference pairs)")
    assert score.precision >= 0.60 and score.recall >= 0.60  # extraction errors weigh here, not the merge


def test_blocking_finds_every_pair_that_all_pairs_would(monkeypatch):
    """Comparing only networks of one origin and period window gives the operations of scoring all pairs."""
    import itertools
    import sys

    from kg.graph import operations

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from operations_speed import synthetic

    nets = synthetic(240, seed=3)
    nets += [NetFacts(iri=f"x{i}", document=f"dx{i}", targets=frozenset({"UA"}), figures={"pages": 12},
                      start=date(2019, 5, 1), end=date(2019, 5, 31)) for i in range(3)]  # no origin
    blocked, _ = cluster(nets)
    monkeypatch.setattr(operations, "candidate_pairs", lambda ns, table=None: itertools.combinations(ns, 2))
    everything, _ = operations.cluster(nets)
    assert [[n.iri for n in g] for g in blocked] == [[n.iri for n in g] for g in everything]
    assert any(len(g) > 1 for g in blocked)


def test_a_network_linked_to_an_earlier_takedown_continues_its_operation():
    from kg.graph.operations import continues_links

    earlier = net("old", "d1", origin=frozenset({"IR"}), targets=frozenset({"IL"}),
                  start=date(2020, 10, 1), end=date(2020, 10, 31))
    later = net("new", "d2", origin=frozenset({"IR"}), targets=frozenset({"IL"}), earlier=("2020-10",),
                start=date(2021, 3, 1), end=date(2021, 3, 31))
    other = net("far", "d3", origin=frozenset({"RU"}), start=date(2020, 10, 1), end=date(2020, 10, 31))
    groups, _ = cluster([earlier, later, other])
    index = {g[0].iri: i for i, g in enumerate(groups)}
    assert continues_links(groups) == [(index["new"], index["old"], "2020-10")]
