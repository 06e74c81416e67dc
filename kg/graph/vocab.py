"""The iokg vocabulary as rdflib namespaces; every term here is declared in ontology/iokg.ttl.

`IOKG` holds classes and properties (a test checks each exists in the ontology); `ID` is the base
of instance IRIs built by kg.graph.iris (deterministic, the same on every machine).
"""
from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO as SCHEMA, SH, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/iokg/"
ID = Namespace(BASE + "id/")
KILLCHAIN = Namespace(BASE + "killchain/")


class IOKG(DefinedNamespace):
    """Classes, properties and named individuals of the iokg ontology."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Network: URIRef
    Takedown: URIRef
    Organization: URIRef
    PRFirm: URIRef
    PoliticalOrganization: URIRef
    PoliticalParty: URIRef
    StateLinkedActor: URIRef
    MediaOutlet: URIRef
    ResearchOrganization: URIRef
    GovernmentBody: URIRef
    UnnamedIndividuals: URIRef
    Person: URIRef
    Government: URIRef
    Movement: URIRef
    Project: URIRef
    Platform: URIRef
    Country: URIRef
    Region: URIRef
    SourceDocument: URIRef
    Evidence: URIRef
    AssetCount: URIRef
    AssetType: URIRef
    AudienceCount: URIRef
    AudienceType: URIRef
    AdSpend: URIRef
    Policy: URIRef
    Indicator: URIRef
    Technique: URIRef
    Operation: URIRef
    Match: URIRef

    # network facts
    origin: URIRef
    target: URIRef
    targetRegion: URIRef
    onPlatform: URIRef
    operatedBy: URIRef
    discoveredVia: URIRef
    policy: URIRef
    removed: URIRef
    audience: URIRef
    assetType: URIRef
    audienceType: URIRef
    count: URIRef
    adSpendUSD: URIRef
    adSpendCurrency: URIRef
    adSpend: URIRef
    amountUSD: URIRef
    rateDate: URIRef
    # shortcuts: the figure of one asset/audience type straight on the network (kg.graph.rdf.SHORTCUT)
    removedFacebookAccounts: URIRef
    removedPages: URIRef
    removedGroups: URIRef
    removedInstagramAccounts: URIRef
    removedEvents: URIRef
    removedTwitterAccounts: URIRef
    removedYouTubeChannels: URIRef
    removedTikTokAccounts: URIRef
    audiencePageFollowers: URIRef
    audienceGroupMembers: URIRef
    audienceInstagramFollowers: URIRef
    promotes: URIRef
    attacks: URIRef
    usesTechnique: URIRef
    hasIndicator: URIRef
    indicatorType: URIRef
    indicatorValue: URIRef
    takedown: URIRef
    enforcedBy: URIRef
    networkIndex: URIRef
    networkKind: URIRef
    # time (kg.extract.dates) and operations (kg.graph.operations)
    takedownDate: URIRef
    dateBasis: URIRef
    datePrecision: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    earlierTakedown: URIRef
    reportedAs: URIRef
    accountOf: URIRef
    firstSeen: URIRef
    lastSeen: URIRef
    continues: URIRef
    match: URIRef
    matched: URIRef
    score: URIRef
    reason: URIRef
    sourceCount: URIRef

    # entities
    category: URIRef
    country: URIRef
    alpha2: URIRef
    alpha3: URIRef
    inCountry: URIRef
    role: URIRef
    nameKey: URIRef

    # provenance
    fileName: URIRef
    sourcePath: URIRef
    sha256: URIRef
    layoutVersion: URIRef
    mediaType: URIRef
    publisher: URIRef
    ingestedAt: URIRef
    evidence: URIRef
    quote: URIRef
    startOffset: URIRef
    endOffset: URIRef
    inDocument: URIRef
    supports: URIRef
    aboutProperty: URIRef
    aboutValue: URIRef

    # named individuals: asset types, audience types, policies
    facebookAccounts: URIRef
    pages: URIRef
    groups: URIRef
    instagramAccounts: URIRef
    events: URIRef
    twitterAccounts: URIRef
    youtubeChannels: URIRef
    tiktokAccounts: URIRef
    pageFollowers: URIRef
    groupMembers: URIRef
    instagramFollowers: URIRef
    ForeignInterference: URIRef
    CoordinatedInauthenticBehavior: URIRef


#: prefix → namespace, for every serialisation and every short IRI iokg prints
PREFIXES = (("iokg", IOKG._NS), ("id", ID), ("killchain", KILLCHAIN), ("schema", SCHEMA), ("prov", PROV), ("sh", SH),
            ("skos", SKOS), ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD))


def bind_prefixes(graph: Graph) -> Graph:
    """Bind iokg's prefixes on `graph`, so its Turtle stays readable."""
    for prefix, ns in PREFIXES:
        graph.bind(prefix, ns, override=True)
    return graph


def short_iri(term) -> str:
    """'id:org/acme-reach' for an IRI under a known prefix, else the term's text (None gives '').

    Hand-written because rdflib's NamespaceManager.curie splits at the last '/' and so misses
    id:org/acme-reach; the longest namespace wins (id: before iokg's base).
    """
    text = "" if term is None else str(term)
    if isinstance(term, URIRef):
        for prefix, ns in _BY_LENGTH:
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
    return text


def local_name(term) -> str:
    """The last segment of an IRI ('Network' of iokg:Network, 'acme' of id:org/acme), a readable fallback
    label; a literal's text as it is."""
    text = str(term)
    return text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or text


_BY_LENGTH = sorted(((prefix, str(ns)) for prefix, ns in PREFIXES), key=lambda pair: -len(pair[1]))
