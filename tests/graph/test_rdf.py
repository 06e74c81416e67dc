"""kg.graph.rdf: deterministic IRIs, one graph per document, provenance and Evidence for every fact."""
from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.graph.iris import graph_iri, network_iri, org_iri, slug
from kg.graph.rdf import extraction_graph, to_ntriples
from kg.graph.vocab import ID, IOKG, KILLCHAIN, SCHEMA
from tests.kgfixtures import FIRM_TEXT, firm_extraction

WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_the_same_extraction_gives_byte_identical_ntriples():
    first = to_ntriples(extraction_graph(firm_extraction(), WHEN))
    second = to_ntriples(extraction_graph(firm_extraction(), WHEN))
    assert first == second


def test_slug_folds_accents_case_and_punctuation():
    assert slug("Centre Médiatique Moderne des Comores") == "centre-mediatique-moderne-des-comores"
    assert slug("  CLS   Strategies, LLC ") == "cls-strategies-llc"
    assert slug("Ελληνικά") != slug("Русский")  # non-Latin names still get distinct IRIs


def test_graphs_built_separately_share_organisation_and_country_iris():
    a = extraction_graph(firm_extraction(name="a.txt"), WHEN)
    b = extraction_graph(firm_extraction(accounts=7, name="b.txt", text="Intro. " + FIRM_TEXT), WHEN)
    acme = org_iri("Acme Reach")
    assert (None, IOKG.operatedBy, acme) in a and (None, IOKG.operatedBy, acme) in b
    spain = ID["country/ES"]
    assert (spain, IOKG.alpha2, Literal("ES")) in a and (spain, RDFS.label, Literal("Spain")) in b
    nets_a = set(a.subjects(RDF.type, IOKG.Network))
    nets_b = set(b.subjects(RDF.type, IOKG.Network))
    assert nets_a.isdisjoint(nets_b), "networks of different documents must not merge"


def test_document_provenance_is_recorded():
    ex = firm_extraction()
    g = extraction_graph(ex, WHEN)
    doc = ID[f"document/{ex.document.sha256}"]
    assert (doc, RDF.type, IOKG.SourceDocument) in g
    assert (doc, RDFS.label, Literal("Acme takedown")) in g
    assert (doc, IOKG.fileName, Literal("firm.txt")) in g
    assert (doc, IOKG.sha256, Literal(ex.document.sha256)) in g
    assert (doc, IOKG.publisher, Literal("Example News")) in g
    assert (doc, SCHEMA.datePublished, Literal("2021-04-06", datatype=XSD.date)) in g
    assert (doc, IOKG.ingestedAt, Literal(WHEN.isoformat(), datatype=XSD.dateTime)) in g
    for net in g.subjects(RDF.type, IOKG.Network):
        assert (net, PROV.wasDerivedFrom, doc) in g


def test_every_claim_has_evidence_with_exact_offsets():
    ex = firm_extraction()
    g = extraction_graph(ex, WHEN)
    evidence = list(g.subjects(RDF.type, IOKG.Evidence))
    claims = sum(len(n.claims) for n in ex.networks)
    intros = sum(len(n.evidence) for n in ex.networks)
    assert len(evidence) == claims + intros
    for ev in evidence:
        start, end = int(g.value(ev, IOKG.startOffset)), int(g.value(ev, IOKG.endOffset))
        assert str(g.value(ev, IOKG.quote)) == ex.document.text[start:end]
        assert (g.value(ev, IOKG.supports), IOKG.evidence, ev) in g


def test_attribution_and_count_evidence_point_at_their_values():
    g = extraction_graph(firm_extraction(), WHEN)
    about_org = [ev for ev in g.subjects(IOKG.aboutValue, org_iri("Acme Reach"))]
    assert about_org and all(g.value(ev, IOKG.aboutProperty) == IOKG.operatedBy for ev in about_org)
    count_ev = [ev for ev in g.subjects(IOKG.aboutProperty, IOKG.removed)]
    values = {int(g.value(g.value(ev, IOKG.aboutValue), IOKG.count)) for ev in count_ev}
    assert values == {120, 9, 40}
    spend = [ev for ev in g.subjects(IOKG.aboutProperty, IOKG.adSpendUSD)]
    assert [g.value(ev, IOKG.aboutValue) for ev in spend] == [Literal(5000)]


def test_counts_stance_techniques_indicators_and_takedown():
    ex = firm_extraction()
    g = extraction_graph(ex, WHEN)
    net = network_iri(ex.document, ex.networks[0])
    removed = {g.value(q, IOKG.assetType): int(g.value(q, IOKG.count)) for q in g.objects(net, IOKG.removed)}
    assert removed == {IOKG.facebookAccounts: 120, IOKG.pages: 9}  # groups=None is not written
    (audience,) = g.objects(net, IOKG.audience)
    assert g.value(audience, IOKG.audienceType) == IOKG.pageFollowers
    assert (net, IOKG.promotes, org_iri("Blue Party")) in g
    assert (org_iri("Blue Party"), RDF.type, IOKG.PoliticalParty) in g
    jane = ID["person/jane-roe"]
    assert (net, IOKG.attacks, jane) in g and (jane, IOKG.role, Literal("senator")) in g
    assert (net, IOKG.usesTechnique, KILLCHAIN["1.1.2"]) in g
    (indicator,) = g.objects(net, IOKG.hasIndicator)
    assert g.value(indicator, IOKG.indicatorValue) == Literal("acme.example")
    takedown = g.value(net, IOKG.takedown)
    assert g.value(takedown, IOKG.policy) == IOKG.ForeignInterference
    assert g.value(takedown, IOKG.enforcedBy) == ID["platform/facebook"]
    assert (ID["region/guayas"], IOKG.inCountry, ID["country/EC"]) in g
    assert (org_iri("Acme Reach"), RDF.type, IOKG.PRFirm) in g
    assert (org_iri("Acme Reach"), SCHEMA.alternateName, Literal("Acme")) in g


def test_graph_name_follows_the_file_and_network_iri_the_content():
    ex = firm_extraction()
    changed = firm_extraction(accounts=1, text="New first line. " + FIRM_TEXT)
    assert graph_iri(ex.document) == graph_iri(changed.document)
    assert network_iri(ex.document, ex.networks[0]) != network_iri(changed.document, changed.networks[0])
    assert str(graph_iri(ex.document)).startswith(str(ID))
    assert isinstance(network_iri(ex.document, ex.networks[0]), URIRef)


def test_shared_entities_are_split_from_the_document_graph():
    from kg.graph.rdf import extraction_graphs

    document, shared = extraction_graphs(firm_extraction(), WHEN)
    spain = ID["country/ES"]
    assert (spain, RDFS.label, Literal("Spain")) in shared and (spain, None, None) not in document
    assert (org_iri("Acme Reach"), RDF.type, IOKG.PRFirm) in shared
    assert next(document.subjects(RDF.type, IOKG.Network), None) is not None
    assert next(shared.subjects(RDF.type, IOKG.Network), None) is None
    assert len(extraction_graph(firm_extraction(), WHEN)) == len(document) + len(shared)


def test_shortcut_figures_on_the_network_equal_the_count_nodes():
    from kg.graph.rdf import SHORTCUT

    g = extraction_graph(firm_extraction(accounts=26), WHEN)
    checked = 0
    for net in g.subjects(RDF.type, IOKG.Network):
        for link, type_prop in ((IOKG.removed, IOKG.assetType), (IOKG.audience, IOKG.audienceType)):
            for node in g.objects(net, link):
                kind, key = str(node).rsplit("/", 2)[-2:]
                figures = set(g.objects(net, SHORTCUT[kind, key]))
                assert figures == set(g.objects(node, IOKG.count)) and len(figures) == 1
                checked += 1
    shortcuts = set(SHORTCUT.values())
    assert checked == sum(1 for _, p, _ in g if p in shortcuts) == 4  # 26 accounts, 9 Pages, 1000 followers; 40 accounts
    assert Literal(26) in set(g.objects(None, IOKG.removedFacebookAccounts))


def test_stance_kinds_are_defined_once_and_each_has_a_class():
    from kg.graph import iris, model
    from kg.graph.rdf import STANCE_CLASS

    assert iris.STANCE_KINDS is model.STANCE_KINDS
    assert set(model.STANCE_KINDS) == set(STANCE_CLASS)


def test_one_iri_shortener_for_tables_and_reports():
    from rdflib.namespace import SH

    from kg.graph.vocab import short_iri

    assert short_iri(ID["org/acme-reach"]) == "id:org/acme-reach"
    assert short_iri(IOKG.Network) == "iokg:Network"
    assert short_iri(SH.Violation) == "sh:Violation"
    assert short_iri(SCHEMA.datePublished) == "schema:datePublished"
    assert short_iri(URIRef("http://example.org/x")) == "http://example.org/x"
    assert short_iri(Literal("https://w3id.org/iokg/id/x")) == "https://w3id.org/iokg/id/x"  # a literal stays as written
    assert short_iri(None) == ""


def test_ad_spend_keeps_the_amount_and_currency_as_stated():
    from dataclasses import replace

    from kg.graph.model import Money
    from kg.graph.validate import validate_graph

    extraction = firm_extraction()
    euros = Money(4_000, "EUR", 4_480, "2021-04-06")
    net = replace(extraction.networks[0], ad_spend_usd=euros.usd, ad_spend=euros)
    g = extraction_graph(replace(extraction, networks=(net, *extraction.networks[1:])))
    iri = network_iri(extraction.document, net)
    (spend,) = g.objects(iri, IOKG.adSpend)
    assert (spend, RDF.type, IOKG.AdSpend) in g
    assert g.value(spend, SCHEMA.value) == Literal(4_000)
    assert g.value(spend, SCHEMA.currency) == Literal("EUR")
    assert g.value(spend, IOKG.amountUSD) == Literal(4_480)
    assert g.value(spend, IOKG.rateDate) == Literal("2021-04-06", datatype=XSD.date)
    assert g.value(iri, IOKG.adSpendUSD) == Literal(4_480) and g.value(iri, IOKG.adSpendCurrency) == Literal("EUR")
    assert validate_graph(g).conforms


def test_fractional_amounts_are_canonical_decimals():
    from dataclasses import replace

    from kg.graph.model import Money

    extraction = firm_extraction()
    net = replace(extraction.networks[0], ad_spend=Money(2_500.50, "GBP", 3_200, "2020-01-02"))
    g = extraction_graph(replace(extraction, networks=(net,)))
    (spend,) = g.objects(network_iri(extraction.document, net), IOKG.adSpend)
    assert g.value(spend, SCHEMA.value) == Literal("2500.5", datatype=XSD.decimal)


def test_a_dollar_figure_gets_an_ad_spend_node_without_a_rate():
    extraction = firm_extraction()
    g = extraction_graph(extraction)
    (spend,) = g.objects(network_iri(extraction.document, extraction.networks[0]), IOKG.adSpend)
    assert g.value(spend, SCHEMA.currency) == Literal("USD") and g.value(spend, IOKG.amountUSD) == Literal(5000)
    assert g.value(spend, IOKG.rateDate) is None


def test_local_name_is_the_last_segment():
    from kg.graph.vocab import local_name

    assert local_name(IOKG.Network) == "Network"
    assert local_name(ID["org/acme-reach"]) == "acme-reach"
    assert local_name(URIRef("https://example.org/things/")) == "things"
    assert local_name(Literal("plain text")) == "plain text"
