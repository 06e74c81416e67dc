"""STIX 2.1 export: parses back with stix2, relationships allowed by the spec, ids stable across exports."""
from __future__ import annotations

import io
import json
import uuid

import pytest
import stix2
from rdflib import Graph

from kg.read.document import read_document
from kg.extract.indicators import extract_indicator_file
from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator, TechniqueUse
from kg.graph.rdf import extraction_graph
from kg.out.stix import NAMESPACE, stix_pattern, write_bundle
from tests.conftest import META_DIR

# STIX 2.1 (OASIS, 2021), section 4: the relationships each SDO defines, as (source, type, target).
# Plus the generic ones any object may use (section 5.1.3: derived-from, duplicate-of, related-to).
SPEC_RELATIONSHIPS = {
    ("attack-pattern", "delivers", "malware"), ("attack-pattern", "targets", "identity"),
    ("attack-pattern", "targets", "location"), ("attack-pattern", "targets", "vulnerability"),
    ("attack-pattern", "uses", "malware"), ("attack-pattern", "uses", "tool"),
    ("campaign", "attributed-to", "intrusion-set"), ("campaign", "attributed-to", "threat-actor"),
    ("campaign", "compromises", "infrastructure"), ("campaign", "originates-from", "location"),
    ("campaign", "targets", "identity"), ("campaign", "targets", "location"),
    ("campaign", "targets", "vulnerability"), ("campaign", "uses", "attack-pattern"),
    ("campaign", "uses", "infrastructure"), ("campaign", "uses", "malware"), ("campaign", "uses", "tool"),
    ("identity", "located-at", "location"),
    ("indicator", "based-on", "observed-data"), ("indicator", "indicates", "attack-pattern"),
    ("indicator", "indicates", "campaign"), ("indicator", "indicates", "infrastructure"),
    ("indicator", "indicates", "intrusion-set"), ("indicator", "indicates", "malware"),
    ("indicator", "indicates", "threat-actor"), ("indicator", "indicates", "tool"),
    ("intrusion-set", "attributed-to", "threat-actor"), ("intrusion-set", "compromises", "infrastructure"),
    ("intrusion-set", "hosts", "infrastructure"), ("intrusion-set", "owns", "infrastructure"),
    ("intrusion-set", "originates-from", "location"), ("intrusion-set", "targets", "identity"),
    ("intrusion-set", "targets", "location"), ("intrusion-set", "targets", "vulnerability"),
    ("intrusion-set", "uses", "attack-pattern"), ("intrusion-set", "uses", "infrastructure"),
    ("intrusion-set", "uses", "malware"), ("intrusion-set", "uses", "tool"),
    ("threat-actor", "attributed-to", "identity"), ("threat-actor", "compromises", "infrastructure"),
    ("threat-actor", "hosts", "infrastructure"), ("threat-actor", "impersonates", "identity"),
    ("threat-actor", "located-at", "location"), ("threat-actor", "owns", "infrastructure"),
    ("threat-actor", "targets", "identity"), ("threat-actor", "targets", "location"),
    ("threat-actor", "targets", "vulnerability"), ("threat-actor", "uses", "attack-pattern"),
    ("threat-actor", "uses", "infrastructure"), ("threat-actor", "uses", "malware"),
    ("threat-actor", "uses", "tool"),
}
GENERIC = {"derived-from", "duplicate-of", "related-to"}


def _prose_extraction() -> Extraction:
    """A small article of our own with an attributed network, to exercise operators."""
    text = "A PR firm in Italy ran a network from Spain that targeted El Salvador with GAN photos."
    doc = Document(path="/tmp/story.txt", name="story.txt", text=text, format="txt", sha256="ab" * 32)
    span = Evidence(text, 0, len(text))
    net = Network(index=1, label="Spain network", origin=("ES",), targets=("SV",), platforms=("Facebook",),
                  operators=(Operator("Example Reputation", "pr-marketing", "IT"),),
                  techniques=(TechniqueUse("1.1.2", "GAN photos"),), removed={"pages": 8}, ad_spend_usd=100,
                  claims=(Claim("techniques", "1.1.2", span), Claim("operators", "Example Reputation", span)))
    return Extraction(doc, (net,))


@pytest.fixture(scope="module")
def graph(shared_dir) -> Graph:
    g = extraction_graph(_prose_extraction())
    for name in ("Q1_2024_Croatia_Based_CIB_Network.csv", "Q1_2023_Pakistan_APT.csv"):
        g += extraction_graph(extract_indicator_file(read_document(META_DIR / name)))
    return g


def _export(graph) -> bytes:
    buffer = io.BytesIO()
    assert write_bundle(graph, buffer) > 0
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bundle(graph):
    return stix2.parse(_export(graph).decode("utf-8"), allow_custom=False)


def test_bundle_parses_back_with_the_expected_object_types(bundle):
    types = {o.type for o in bundle.objects}
    assert {"campaign", "intrusion-set", "threat-actor", "identity", "location", "attack-pattern",
            "relationship", "indicator"} <= types


def test_indicators_get_live_patterns_and_keep_the_defanged_name(bundle):
    by_name = {o.name: o for o in bundle.objects if o.type == "indicator"}
    gravity = by_name["bingechat[.]net"]
    assert gravity.pattern == "[domain-name:value = 'bingechat.net']" and gravity.pattern_type == "stix"
    assert gravity.indicator_types == ["malicious-activity"]
    assert all("[.]" not in o.pattern for o in by_name.values())


@pytest.mark.parametrize("kind,value,pattern", [
    ("url", "hxxps[:]//t[.]me/x'y", "[url:value = 'https://t.me/x\\'y']"),
    ("email", "info[at]amc239[.]com", "[email-addr:value = 'info@amc239.com']"),
    ("hash", "a" * 64, "[file:hashes.'SHA-256' = '" + "a" * 64 + "']"),
    ("domain", "uc4canada[.]com/", "[domain-name:value = 'uc4canada.com']"),
    ("page-name", "Dhaka Television", None),
])
def test_stix_patterns_refang_and_escape(kind, value, pattern):
    assert stix_pattern(kind, value) == pattern
    if pattern:
        stix2.Indicator(pattern=pattern, pattern_type="stix", valid_from="2024-01-01T00:00:00Z")


def test_every_relationship_is_allowed_by_the_spec(bundle):
    by_id = {o.id: o for o in bundle.objects}
    seen = set()
    for rel in (o for o in bundle.objects if o.type == "relationship"):
        source, target = by_id[rel.source_ref], by_id[rel.target_ref]  # both ends are in the bundle
        triple = (source.type, rel.relationship_type, target.type)
        assert triple in SPEC_RELATIONSHIPS or rel.relationship_type in GENERIC, triple
        seen.add(triple)
    assert {("campaign", "uses", "attack-pattern"), ("campaign", "attributed-to", "threat-actor"),
            ("campaign", "originates-from", "location"), ("campaign", "targets", "location"),
            ("threat-actor", "attributed-to", "identity"), ("intrusion-set", "uses", "attack-pattern"),
            ("indicator", "indicates", "intrusion-set")} <= seen


def test_croatia_campaign_uses_its_procedures_with_kill_chain_phases(bundle):
    by_id = {o.id: o for o in bundle.objects}
    (croatia,) = [o for o in bundle.objects if o.type == "campaign" and "Croatia" in o.name]
    used = [by_id[r.target_ref] for r in bundle.objects
            if r.type == "relationship" and r.source_ref == croatia.id and r.relationship_type == "uses"]
    notations = {p.external_references[0].external_id: p for p in used}
    assert {"1.1.1", "1.1.2", "7.1.1"} <= set(notations)
    assert notations["1.1.2"].kill_chain_phases[0].phase_name == "disguising-assets"
    assert notations["7.1.1"].kill_chain_phases[0].kill_chain_name == "meta-online-operations-kill-chain"
    assert "facebookAccounts: 104" in croatia.description
    assert any(o.type == "marking-definition" and "MIT" in o.definition.statement for o in bundle.objects)


def test_operator_is_threat_actor_attributed_to_an_identity_located_in_its_country(bundle):
    by_id = {o.id: o for o in bundle.objects}
    (actor,) = [o for o in bundle.objects if o.type == "threat-actor"]
    assert actor.name == "Example Reputation"
    links = {(r.relationship_type, by_id[r.target_ref].type) for r in bundle.objects
             if r.type == "relationship" and r.source_ref == actor.id}
    assert {("attributed-to", "identity"), ("located-at", "location")} <= links
    countries = {o.country for o in bundle.objects if o.type == "location"}
    assert {"ES", "SV", "IT", "HR"} <= countries


def test_ids_are_uuid5_and_reexport_is_identical(graph, bundle):
    assert _export(graph) == _export(graph)
    for obj in bundle.objects:
        assert uuid.UUID(obj.id.split("--", 1)[1]).version == 5
    assert NAMESPACE.version == 5


def test_export_dispatch_from_a_real_store(tmp_path, graph):
    pytest.importorskip("kg.store.embedded", reason="kg.store.embedded (KG engineer) not in the tree yet")
    from kg.store import open_backend
    from kg.out.export import export
    from kg.store.ingest import store_extraction

    with open_backend(str(tmp_path / "store")) as backend:
        store_extraction(backend, extract_indicator_file(read_document(META_DIR / "Q1_2024_Croatia_Based_CIB_Network.csv")))
        out = tmp_path / "bundle.json"
        export(backend, "stix", out)
        first = out.read_bytes()
        export(backend, "stix", out)
        assert out.read_bytes() == first
    data = json.loads(first)
    assert data["type"] == "bundle"
    parsed = stix2.parse(first.decode("utf-8"), allow_custom=False)
    assert [o.name for o in parsed.objects if o.type == "campaign"] == ["Croatia-based CIB network (Q1 2024)"]


def test_a_later_store_with_the_same_facts_gives_the_same_ids(tmp_path, graph):
    pytest.importorskip("kg.store.embedded", reason="kg.store.embedded (KG engineer) not in the tree yet")
    import time

    from kg.store import open_backend
    from kg.out.export import export
    from kg.store.ingest import store_extraction

    bundles = []
    for name in ("first", "second"):
        with open_backend(str(tmp_path / name)) as backend:
            store_extraction(backend, _prose_extraction())
            out = tmp_path / f"{name}.json"
            export(backend, "stix", out)
            bundles.append({o["id"]: o for o in json.loads(out.read_text())["objects"]})
        time.sleep(1.1)  # ingestion times differ by a second
    first, second = bundles
    assert set(first) == set(second)
    (campaign,) = [k for k in first if k.startswith("campaign--")]
    assert second[campaign]["modified"] > first[campaign]["modified"]  # an importer updates, not duplicates
