"""Extraction → RDF: one named graph per source document with sentence-level provenance.

Each document's graph holds its networks, facts and Evidence nodes; the shared nodes it mentions
(countries, organisations, platforms, stance targets) are described in the entities graph, so a
union of all graphs states them once. IRIs come from kg.graph.iris.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.graph.iris import country_iri, digest, document_iri, network_iri, org_iri, platform_iri, slug, stance_iri
from kg.graph.model import Claim, Evidence, Extraction, Money, Network, Operator, StanceTarget, TakedownDate
from kg.graph.vocab import ID, IOKG, KILLCHAIN, SCHEMA, bind_prefixes
from kg.read.dates import interval

CATEGORY_CLASS = {
    "pr-marketing": IOKG.PRFirm,
    "political": IOKG.PoliticalOrganization,
    "state-linked": IOKG.StateLinkedActor,
    "media": IOKG.MediaOutlet,
    "research": IOKG.ResearchOrganization,
    "government": IOKG.GovernmentBody,
    "individuals": IOKG.UnnamedIndividuals,
}
STANCE_CLASS = {
    "party": IOKG.PoliticalParty,
    "person": IOKG.Person,
    "movement": IOKG.Movement,
    "government": IOKG.Government,
    "project": IOKG.Project,
}
REMOVED_TYPE = {
    "facebook_accounts": (IOKG.facebookAccounts, "Facebook"),
    "pages": (IOKG.pages, "Facebook"),
    "groups": (IOKG.groups, "Facebook"),
    "instagram_accounts": (IOKG.instagramAccounts, "Instagram"),
    "events": (IOKG.events, "Facebook"),
    "twitter_accounts": (IOKG.twitterAccounts, "Twitter"),
    "youtube_channels": (IOKG.youtubeChannels, "YouTube"),
    "tiktok_accounts": (IOKG.tiktokAccounts, "TikTok"),
}
AUDIENCE_TYPE = {
    "pages": (IOKG.pageFollowers, "Facebook"),
    "groups": (IOKG.groupMembers, "Facebook"),
    "instagram": (IOKG.instagramFollowers, "Instagram"),
}
# One datatype property per figure straight on the network, next to the qualified count nodes (which
# carry the evidence): aggregates read one triple per figure instead of a three-way join.
SHORTCUT = {
    ("removed", "facebook_accounts"): IOKG.removedFacebookAccounts,
    ("removed", "pages"): IOKG.removedPages,
    ("removed", "groups"): IOKG.removedGroups,
    ("removed", "instagram_accounts"): IOKG.removedInstagramAccounts,
    ("removed", "events"): IOKG.removedEvents,
    ("removed", "twitter_accounts"): IOKG.removedTwitterAccounts,
    ("removed", "youtube_channels"): IOKG.removedYouTubeChannels,
    ("removed", "tiktok_accounts"): IOKG.removedTikTokAccounts,
    ("audience", "pages"): IOKG.audiencePageFollowers,
    ("audience", "groups"): IOKG.audienceGroupMembers,
    ("audience", "instagram"): IOKG.audienceInstagramFollowers,
}
POLICY = {"foreign-interference": IOKG.ForeignInterference, "cib": IOKG.CoordinatedInauthenticBehavior}
MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html", "pdf": "application/pdf", "csv": "text/csv"}


#: bumped when the triples written for the same document change shape; ingest rewrites older graphs
#: (2: figure shortcut properties, 3: iokg:nameKey on organisations and stance targets,
#: 4: Twitter/X, YouTube and TikTok asset counts and iokg:adSpend nodes, 5: takedown dates)
LAYOUT_VERSION = 5


class GraphBuilder:
    """Collects the triples of one document's graph."""

    def __init__(self, extraction: Extraction, ingested_at: datetime | None = None):
        self.ex = extraction
        self.doc = extraction.document
        self.doc_iri = document_iri(self.doc)
        self.g = _graph()
        self.shared = _graph()
        self.ingested_at = ingested_at or datetime.now(timezone.utc).replace(microsecond=0)

    def add(self, s, p, o) -> None:
        """A triple of this document's graph."""
        self.g.add((s, p, o))

    def ent(self, s, p, o) -> None:
        """A triple describing a shared entity (country, organisation, platform...): the entities graph."""
        self.shared.add((s, p, o))

    def build(self) -> tuple[Graph, Graph]:
        """The document node, then each network with its facts and evidence; returns (document, shared)."""
        self.document()
        for network in self.ex.networks:
            self.network(network)
        return self.g, self.shared

    def document(self) -> None:
        d, iri = self.doc, self.doc_iri
        self.add(iri, RDF.type, IOKG.SourceDocument)
        self.add(iri, RDFS.label, Literal(d.title or d.name))
        self.add(iri, IOKG.fileName, Literal(d.name))
        self.add(iri, IOKG.sha256, Literal(d.sha256))
        self.add(iri, IOKG.layoutVersion, Literal(LAYOUT_VERSION))
        self.add(iri, IOKG.mediaType, Literal(MEDIA_TYPES.get(d.format, "application/octet-stream")))
        self.add(iri, IOKG.ingestedAt, Literal(self.ingested_at.isoformat(), datatype=XSD.dateTime))
        if d.publisher:
            self.add(iri, IOKG.publisher, Literal(d.publisher))
        if d.date:
            self.add(iri, SCHEMA.datePublished, _date_literal(d.date))

    def country(self, code: str) -> URIRef:
        iri = country_iri(code)
        self.ent(iri, RDF.type, IOKG.Country)
        self.ent(iri, IOKG.alpha2, Literal(code.upper()))
        found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
        if found is not None:
            self.ent(iri, RDFS.label, Literal(getattr(found, "common_name", None) or found.name))
            self.ent(iri, IOKG.alpha3, Literal(found.alpha_3))
        else:
            self.ent(iri, RDFS.label, Literal(code.upper()))
        return iri

    def platform(self, name: str) -> URIRef:
        iri = platform_iri(name)
        self.ent(iri, RDF.type, IOKG.Platform)
        self.ent(iri, RDFS.label, Literal(name))
        return iri

    def organisation(self, name: str, category: str | None = None, country: str | None = None,
                     aliases: tuple[str, ...] = ()) -> URIRef:
        iri = org_iri(name)
        self.ent(iri, RDF.type, IOKG.Organization)
        if category in CATEGORY_CLASS:
            self.ent(iri, RDF.type, CATEGORY_CLASS[category])
            self.ent(iri, IOKG.category, Literal(category))
        self.names(iri, name, aliases)
        if country:
            self.ent(iri, IOKG.country, self.country(country))
        return iri

    def names(self, iri: URIRef, name: str, aliases: tuple[str, ...]) -> None:
        """Label, alternate names and their lower-case keys (iokg:nameKey) for case-insensitive lookup."""
        self.ent(iri, RDFS.label, Literal(name))
        for alias in aliases:
            self.ent(iri, SCHEMA.alternateName, Literal(alias))
        for text in (name, *aliases):
            self.ent(iri, IOKG.nameKey, Literal(text.lower()))

    def stance_target(self, target: StanceTarget) -> URIRef:
        iri = stance_iri(target)
        self.ent(iri, RDF.type, STANCE_CLASS.get(target.kind, IOKG.PoliticalParty))
        if target.kind in ("party", "movement"):
            self.ent(iri, RDF.type, IOKG.Organization)
        self.names(iri, target.name, target.aliases)
        if target.role:
            self.ent(iri, IOKG.role, Literal(target.role))
        if target.country:
            self.ent(iri, IOKG.country, self.country(target.country))
        return iri

    def region(self, name: str, network: Network) -> URIRef:
        iri = ID[f"region/{slug(name)}"]
        self.ent(iri, RDF.type, IOKG.Region)
        self.ent(iri, RDFS.label, Literal(name))
        if network.targets and len(network.targets) == 1:
            self.ent(iri, IOKG.inCountry, self.country(network.targets[0]))
        return iri

    def network(self, n: Network) -> URIRef:
        """A network node with its facts, its takedown and an Evidence node per claim."""
        iri = network_iri(self.doc, n)
        add = self.add
        add(iri, RDF.type, IOKG.Network)
        add(iri, RDFS.label, Literal(n.label or f"network {n.index}"))
        add(iri, IOKG.networkIndex, Literal(n.index))
        add(iri, IOKG.networkKind, Literal(n.kind))
        add(iri, PROV.wasDerivedFrom, self.doc_iri)
        for code in n.origin:
            add(iri, IOKG.origin, self.country(code))
        for code in n.targets or ():
            add(iri, IOKG.target, self.country(code))
        for name in n.target_regions:
            add(iri, IOKG.targetRegion, self.region(name, n))
        for name in n.platforms:
            add(iri, IOKG.onPlatform, self.platform(name))
        for key, value in n.removed.items():
            if value is not None and key in REMOVED_TYPE:
                add(iri, IOKG.removed, self.quantity(iri, "removed", key, value))
                add(iri, SHORTCUT["removed", key], Literal(int(value)))
        for key, value in n.followers.items():
            if value is not None and key in AUDIENCE_TYPE:
                add(iri, IOKG.audience, self.quantity(iri, "audience", key, value))
                add(iri, SHORTCUT["audience", key], Literal(int(value)))
        if n.ad_spend_usd is not None:
            spent = n.ad_spend or Money(n.ad_spend_usd, "USD", n.ad_spend_usd)
            add(iri, IOKG.adSpendUSD, Literal(n.ad_spend_usd))
            add(iri, IOKG.adSpendCurrency, Literal(spent.currency))
            add(iri, IOKG.adSpend, self.spend(iri, spent))
        for op in n.operators:
            add(iri, IOKG.operatedBy, self.organisation(op.name, op.category, op.country, op.aliases))
        for name in n.discovered_via:
            add(iri, IOKG.discoveredVia, self.organisation(name))
        if n.policy in POLICY:
            add(iri, IOKG.policy, POLICY[n.policy])
        for target in n.promotes:
            add(iri, IOKG.promotes, self.stance_target(target))
        for target in n.attacks:
            add(iri, IOKG.attacks, self.stance_target(target))
        for use in n.techniques:
            add(iri, IOKG.usesTechnique, self.technique(use.procedure, use.label))
        for indicator in n.indicators:
            add(iri, IOKG.hasIndicator, self.indicator(iri, indicator))
        self.takedown(iri, n)
        self.dates(iri, n)
        for span in n.evidence:
            self.evidence(iri, span, None, None, "intro")
        for claim in n.claims:
            self.claim(iri, n, claim)
        return iri

    def quantity(self, net: URIRef, kind: str, key: str, value: int) -> URIRef:
        """An AssetCount (kind "removed") or AudienceCount (kind "audience") node of a network."""
        table, cls, prop = (REMOVED_TYPE, IOKG.AssetCount, IOKG.assetType) if kind == "removed" else \
            (AUDIENCE_TYPE, IOKG.AudienceCount, IOKG.audienceType)
        type_iri, platform = table[key]
        iri = URIRef(f"{net}/{kind}/{key}")
        self.add(iri, RDF.type, cls)
        self.add(iri, prop, type_iri)
        self.add(iri, IOKG.count, Literal(int(value)))
        self.add(iri, IOKG.onPlatform, self.platform(platform))
        return iri

    def spend(self, net: URIRef, spent: Money) -> URIRef:
        """The AdSpend node of a network: the amount and currency as stated, and the dollars."""
        iri = URIRef(f"{net}/ad-spend")
        self.add(iri, RDF.type, IOKG.AdSpend)
        self.add(iri, SCHEMA.value, _amount_literal(spent.amount))
        self.add(iri, SCHEMA.currency, Literal(spent.currency))
        self.add(iri, IOKG.amountUSD, Literal(spent.usd))
        if spent.rate_date:
            self.add(iri, IOKG.rateDate, Literal(spent.rate_date, datatype=XSD.date))
        return iri

    def technique(self, procedure: str, label: str = "") -> URIRef:
        iri = KILLCHAIN[procedure]
        self.ent(iri, RDF.type, IOKG.Technique)
        if label:
            self.ent(iri, RDFS.label, Literal(label))
        return iri

    def indicator(self, net: URIRef, indicator) -> URIRef:
        iri = URIRef(f"{net}/indicator/{digest(indicator.kind, indicator.value)}")
        self.add(iri, RDF.type, IOKG.Indicator)
        self.add(iri, IOKG.indicatorType, Literal(indicator.kind))
        self.add(iri, IOKG.indicatorValue, Literal(indicator.value))
        if indicator.comment:
            self.add(iri, RDFS.comment, Literal(indicator.comment))
        return iri

    def takedown(self, net: URIRef, n: Network) -> None:
        """The enforcement action that removed the network: platforms, policy, report date."""
        iri = URIRef(f"{net}/takedown")
        self.add(net, IOKG.takedown, iri)
        self.add(iri, RDF.type, IOKG.Takedown)
        self.add(iri, PROV.wasDerivedFrom, self.doc_iri)
        for name in n.platforms:
            self.add(iri, IOKG.enforcedBy, self.platform(name))
        if n.policy in POLICY:
            self.add(iri, IOKG.policy, POLICY[n.policy])
        if self.doc.date:
            self.add(iri, SCHEMA.datePublished, _date_literal(self.doc.date))

    def dates(self, net: URIRef, n: Network) -> None:
        """The takedown date on the network and its takedown (with its basis, precision, period and
        evidence), and the dates of earlier takedowns the text links the network to."""
        found = n.date
        if found is None and self.doc.date and interval(self.doc.date) is not None:  # the fallback, marked so
            found = TakedownDate(self.doc.date, _precision(self.doc.date), "document")
        if found is not None:
            value = _date_literal(found.value)
            for node in (net, URIRef(f"{net}/takedown")):
                self.add(node, IOKG.takedownDate, value)
            self.add(net, IOKG.dateBasis, Literal(found.basis))
            self.add(net, IOKG.datePrecision, Literal(found.precision))
            span = interval(found.value)
            if span is not None:
                self.add(net, IOKG.periodStart, Literal(span[0].isoformat(), datatype=XSD.date))
                self.add(net, IOKG.periodEnd, Literal(span[1].isoformat(), datatype=XSD.date))
            if found.evidence is not None:
                self.evidence(net, found.evidence, IOKG.takedownDate, value, f"date={found.value}")
        for when, span in n.continues_from:
            value = _date_literal(when)
            self.add(net, IOKG.earlierTakedown, value)
            self.evidence(net, span, IOKG.earlierTakedown, value, f"earlier={when}")

    def evidence(self, net: URIRef, span: Evidence, prop: URIRef | None, value, key: str) -> URIRef:
        """One Evidence node: the quoted span, its offsets and document, and the fact it supports."""
        iri = ID[f"evidence/{self.doc.id}/{span.start}-{span.end}/{digest(net, key)}"]
        self.add(iri, RDF.type, IOKG.Evidence)
        self.add(iri, IOKG.quote, Literal(span.text))
        self.add(iri, IOKG.startOffset, Literal(int(span.start)))
        self.add(iri, IOKG.endOffset, Literal(int(span.end)))
        self.add(iri, IOKG.inDocument, self.doc_iri)
        self.add(iri, IOKG.supports, net)
        self.add(net, IOKG.evidence, iri)
        if prop is not None:
            self.add(iri, IOKG.aboutProperty, prop)
        if value is not None:
            self.add(iri, IOKG.aboutValue, value)
        return iri

    def claim(self, net: URIRef, n: Network, claim: Claim) -> None:
        """Evidence for one claim, pointing at the property and the node or literal it states."""
        head, _, key = claim.field.partition(".")
        values = claim.value if isinstance(claim.value, (list, tuple)) else [claim.value]
        for value in values:
            prop, node = self.claim_target(net, n, head, key, value)
            self.evidence(net, claim.evidence, prop, node, f"{claim.field}={value!r}")

    def claim_target(self, net: URIRef, n: Network, head: str, key: str, value: Any):
        """(property, value node) for a claim field; unknown fields keep their value as text."""
        name = value.get("name") if isinstance(value, dict) else value
        if value is None:
            return None, None
        if head in ("origin", "targets"):
            return (IOKG.origin if head == "origin" else IOKG.target), self.country(str(value))
        if head == "target_regions":
            return IOKG.targetRegion, self.region(str(value), n)
        if head == "platforms":
            return IOKG.onPlatform, self.platform(str(value))
        if head in ("removed", "followers") and key:
            table = REMOVED_TYPE if head == "removed" else AUDIENCE_TYPE
            kind = "removed" if head == "removed" else "audience"
            if key in table and isinstance(value, int):
                return (IOKG.removed if head == "removed" else IOKG.audience), self.quantity(net, kind, key, value)
        if head == "ad_spend_usd" and isinstance(value, int):
            return IOKG.adSpendUSD, Literal(value)
        if head == "operators" and name:
            op = next((o for o in n.operators if o.name == name), Operator(str(name)))
            return IOKG.operatedBy, self.organisation(op.name, op.category, op.country, op.aliases)
        if head == "discovered_via" and name:
            return IOKG.discoveredVia, self.organisation(str(name))
        if head == "policy" and value in POLICY:
            return IOKG.policy, POLICY[value]
        if head in ("promotes", "attacks") and name:
            pool = n.promotes if head == "promotes" else n.attacks
            target = next((t for t in pool if t.name == name), StanceTarget(str(name)))
            return (IOKG.promotes if head == "promotes" else IOKG.attacks), self.stance_target(target)
        if head == "techniques" and name:
            return IOKG.usesTechnique, self.technique(str(value.get("procedure", name) if isinstance(value, dict) else name))
        return None, Literal(str(value))


def _date_literal(text: str) -> Literal:
    """xsd:date for YYYY-MM-DD, xsd:gYearMonth for YYYY-MM (and the first month of a quarter YYYY-Qn),
    xsd:gYear for YYYY, xsd:gMonth for a month without its year (--MM), else a plain string."""
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if quarter:
        return Literal(f"{quarter.group(1)}-{3 * int(quarter.group(2)) - 2:02d}", datatype=XSD.gYearMonth)
    if re.fullmatch(r"--\d{2}", text):
        return Literal(text, datatype=XSD.gMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    return Literal(text)


def _amount_literal(amount: float) -> Literal:
    """A whole amount as xsd:integer, else xsd:decimal in canonical form: stores and Turtle writers keep
    both lexically as they are ("4000.00"^^xsd:decimal would come back as "4000" or "4000.0")."""
    value = Decimal(str(amount)).normalize()
    if value == value.to_integral_value():
        return Literal(int(value))
    return Literal(format(value, "f"), datatype=XSD.decimal)
def _precision(value: str) -> str:
    """day, month, quarter or year of an ISO value."""
    if "Q" in value:
        return "quarter"
    return {10: "day", 7: "month"}.get(len(value), "year")


def _graph() -> Graph:
    return bind_prefixes(Graph())


def extraction_graphs(extraction: Extraction, ingested_at: datetime | None = None) -> tuple[Graph, Graph]:
    """(document graph, shared-entity triples) of one document.

    The document graph holds the networks, facts, evidence and provenance; the shared triples
    (labels, codes and classes of countries, organisations, platforms, regions, stance targets,
    techniques) go to ENTITIES_GRAPH, so each exists once in the store and a union default graph
    does not repeat it once per document.
    """
    return GraphBuilder(extraction, ingested_at).build()


def extraction_graph(extraction: Extraction, ingested_at: datetime | None = None) -> Graph:
    """Everything one document says, document graph and shared triples together."""
    document, shared = extraction_graphs(extraction, ingested_at)
    for triple in shared:
        document.add(triple)
    return document


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples bytes, sorted so the same graph always gives the same bytes."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(line for line in lines if line.strip())) + b"\n"
