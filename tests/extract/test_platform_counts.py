"""Twitter/X, YouTube and TikTok counts through the graph: asset counts with platform and evidence, the
shortcut properties, SHACL, the `networks`, `accounts-by-origin` and `conflicts` queries, STIX, diagrams."""
from __future__ import annotations

import hashlib
import io
import json

import pytest

from kg.graph.operations_rdf import refresh_operations
from rdflib import Literal
from rdflib.namespace import RDFS

from kg.graph.model import REMOVED_KEYS, REMOVED_PLATFORM, Claim, Document, Evidence, Extraction, Network, Operator
from kg.graph.rdf import REMOVED_TYPE, SHORTCUT, extraction_graph
from kg.graph.validate import validate_graph
from kg.graph.vocab import IOKG
from kg.out import netgraph, viz
from kg.out.queries import get_canned, parse_params, run
from kg.out.stix import write_bundle
from kg.store.embedded import EmbeddedStore
from kg.store.ingest import store_extraction

TEXT = ("Twitter suspended 1,340 accounts run from Ruritania that targeted Freedonia. "
        "Google said it had terminated 75 YouTube channels tied to the same operators, Lumen Signal. "
        "TikTok took down 410 accounts from that network.")


def _doc(name: str, text: str) -> Document:
    return Document(path=f"/tmp/{name}", name=name, text=text, format="txt",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), title=name)


def _ev(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def three_platform_extraction(name: str = "three.txt", twitter: int = 1340, text: str = TEXT) -> Extraction:
    """One network (origin Burundi, invented facts) with counts on Twitter, YouTube and TikTok only."""
    text = text.replace("1,340", f"{twitter:,}")
    s1, s2, s3 = (_ev(text, s.strip() + ".") for s in text.split(".")[:3])
    removed = {key: None for key in REMOVED_KEYS} | {"twitter_accounts": twitter, "youtube_channels": 75,
                                                     "tiktok_accounts": 410}
    net = Network(index=1, label="Burundi network", origin=("BI",), targets=("TZ",),
                  platforms=("Twitter", "YouTube", "TikTok"), removed=removed,
                  operators=(Operator("Lumen Signal", "pr-marketing", "BI"),), evidence=(s1,),
                  claims=(Claim("origin", "BI", s1), Claim("removed.twitter_accounts", twitter, s1),
                          Claim("removed.youtube_channels", 75, s2), Claim("removed.tiktok_accounts", 410, s3),
                          Claim("operators", "Lumen Signal", s2)))
    return Extraction(_doc(name, text), (net,))


@pytest.fixture(scope="module")
def graph():
    return extraction_graph(three_platform_extraction())


def test_every_removed_key_has_a_graph_type_a_shortcut_and_a_platform():
    assert set(REMOVED_TYPE) == set(REMOVED_KEYS) == set(REMOVED_PLATFORM)
    assert all(("removed", key) in SHORTCUT for key in REMOVED_KEYS)
    assert all(REMOVED_TYPE[key][1] == REMOVED_PLATFORM[key] for key in REMOVED_KEYS)


@pytest.mark.parametrize("key, asset_type, shortcut, platform, value", [
    ("twitter_accounts", IOKG.twitterAccounts, IOKG.removedTwitterAccounts, "Twitter", 1340),
    ("youtube_channels", IOKG.youtubeChannels, IOKG.removedYouTubeChannels, "YouTube", 75),
    ("tiktok_accounts", IOKG.tiktokAccounts, IOKG.removedTikTokAccounts, "TikTok", 410),
])
def test_counts_are_asset_counts_on_their_platform_with_evidence_and_a_shortcut(graph, key, asset_type, shortcut,
                                                                                 platform, value):
    (net,) = graph.subjects(IOKG.networkIndex, Literal(1))
    (node,) = [q for q in graph.objects(net, IOKG.removed) if graph.value(q, IOKG.assetType) == asset_type]
    assert graph.value(node, IOKG.count).toPython() == value
    assert str(graph.value(graph.value(node, IOKG.onPlatform), RDFS.label)) == platform
    assert graph.value(net, shortcut).toPython() == value
    quotes = [str(graph.value(ev, IOKG.quote)) for ev in graph.subjects(IOKG.aboutValue, node)]
    assert len(quotes) == 1 and f"{value:,}" in quotes[0]
    assert not list(graph.objects(net, IOKG.removedFacebookAccounts))  # None is not written


def test_the_graph_conforms_to_the_shapes(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text()


def test_a_negative_shortcut_breaks_the_shapes():
    graph = extraction_graph(three_platform_extraction())
    (net,) = graph.subjects(IOKG.networkIndex, Literal(1))
    graph.set((net, IOKG.removedTikTokAccounts, Literal(-4)))
    assert not validate_graph(graph).conforms


def rows(store, name, *params):
    query = get_canned(name)
    return [{k: str(v) for k, v in row.items()} for row in run(store, query, parse_params(params, query)).rows]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("platforms") / "store"
    with EmbeddedStore(path) as s:
        store_extraction(s, three_platform_extraction())
        store_extraction(s, three_platform_extraction("again.txt", twitter=1500, text="Second telling. " + TEXT))
        refresh_operations(s)  # as ingest does: the two tellings become one operation whose figures conflicts compares
    with EmbeddedStore(path, read_only=True) as s:
        yield s


def test_networks_query_lists_the_three_counts(store):
    found = {r["source"]: r for r in rows(store, "networks")}
    assert (found["three.txt"]["twitter_accounts"], found["three.txt"]["youtube_channels"],
            found["three.txt"]["tiktok_accounts"]) == ("1340", "75", "410")
    assert found["again.txt"]["twitter_accounts"] == "1500"
    assert found["three.txt"].get("facebook_accounts", "") in ("", "None")


def test_accounts_by_origin_sums_the_new_counts_per_country(store):
    (burundi,) = [r for r in rows(store, "accounts-by-origin") if r["origin"] == "BI"]
    assert (burundi["networks"], burundi["twitter_accounts"], burundi["youtube_channels"],
            burundi["tiktok_accounts"], burundi["facebook_accounts"]) == ("2", "2840", "150", "820", "0")


def test_conflicts_reports_two_sources_disagreeing_on_a_twitter_count(store):
    found = [r for r in rows(store, "conflicts") if r["fact"] == "twitterAccounts"]
    assert len(found) == 1 and found[0]["status"] == "differ", found  # compared per operation (issue #15)
    assert "1340" in found[0]["values"] and "1500" in found[0]["values"]


def test_stix_campaign_description_states_the_counts(graph):
    out = io.BytesIO()
    write_bundle(graph, out)
    bundle = json.loads(out.getvalue())
    (campaign,) = [o for o in bundle["objects"] if o["type"] == "campaign"]
    for part in ("twitterAccounts: 1340", "youtubeChannels: 75", "tiktokAccounts: 410"):
        assert part in campaign["description"]


def test_diagram_tooltip_and_size_use_the_counts(graph):
    g = netgraph.build_graph(graph)
    (net,) = [n for n, d in g.nodes(data=True) if d["kind"] == "network"]
    assert g.nodes[net]["removed"] == {"twitterAccounts": 1340, "youtubeChannels": 75, "tiktokAccounts": 410}
    page = viz.render_html(g)
    block = page.split('id="iokg-data">', 1)[1].split("</script>", 1)[0]
    (node,) = [n for n in json.loads(block)["nodes"] if n["label"] == "Burundi network"]
    assert ["removed", "1,340 twitterAccounts"] in node["info"]["facts"]
    assert ["removed", "75 youtubeChannels"] in node["info"]["facts"]


@pytest.mark.parametrize("text, key, value, platform", [
    ("Twitter suspended 1,460 accounts run from Bolivia that targeted Paraguay. The accounts posed as farmers.",
     "twitter_accounts", 1460, "Twitter"),
    ("Google's analysts said YouTube had terminated 212 channels run from Kenya. The channels uploaded clips.",
     "youtube_channels", 212, "YouTube"),
    ("TikTok said it removed 3,050 accounts operated from Indonesia that targeted voters in Indonesia.",
     "tiktok_accounts", 3050, "TikTok"),
])
def test_text_to_json_to_graph(nlp, text, key, value, platform):
    from kg.extract.files import network_json
    from kg.extract.networks import extract_document

    ex = extract_document(_doc("one.txt", text), nlp)
    (net,) = ex.networks
    assert network_json(net)["removed"][key] == value and platform in net.platforms
    assert {k for k, v in net.removed.items() if v is not None} == {key}
    graph = extraction_graph(ex)
    (node,) = graph.subjects(IOKG.count, Literal(value))
    assert graph.value(node, IOKG.assetType) == REMOVED_TYPE[key][0]
    assert validate_graph(graph).conforms
