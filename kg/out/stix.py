"""The graph as a STIX 2.1 bundle (python stix2) that OpenCTI and MISP can import.

Operations become one `campaign` each (first_seen/last_seen, every source an external reference;
networks outside any operation a campaign of their own, espionage networks `intrusion-set`),
promoted and attacked parties `identity` with `promotes`/`attacks` relationships, operators `threat-actor` plus
`identity`, countries `location`, kill-chain procedures `attack-pattern`. Ids are UUIDv5 of the RDF
IRIs and timestamps come from the graph, so exporting the same store twice gives the same bundle
and a re-export updates objects in an importer instead of duplicating them.
"""
from __future__ import annotations

import json
import re
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import stix2
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.graph.killchain import load_killchain
from kg.graph.vocab import IOKG, KILLCHAIN

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/iokg/")
KILL_CHAIN_NAME = "meta-online-operations-kill-chain"
EPOCH = "2017-01-01T00:00:00Z"  # created/modified of objects that no document dates (countries, procedures)
THREAT_ACTOR_TYPE = {"state-linked": "nation-state", "government": "nation-state", "political": "activist",
                     "media": "sensationalist"}  # PR firms, individuals and the rest: "unknown"
OBSERVABLE = {"domain": "domain-name:value", "url": "url:value", "email": "email-addr:value", "ip": "ipv4-addr:value"}
HASH_PATH = {32: "file:hashes.MD5", 40: "file:hashes.'SHA-1'", 64: "file:hashes.'SHA-256'"}
_REFANG = ((r"\[\.\]|\{\.\}|\(\.\)", "."), (r"\[:\]|\{:\}", ":"), (r"\[at\]|\(at\)", "@"), (r"^hxxp", "http"))
META_NOTICE = ("Procedures from Meta's Online Operations Kill Chain (github.com/facebook/threat-research), "
               "Copyright (c) Meta Platforms, Inc. and its affiliates, MIT License.")


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the same key gives the same id on every export and machine."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}|{key}')}"


def refang(value: str) -> str:
    """'example[.]com' → 'example.com': the live form a STIX pattern needs (the graph keeps the defanged one)."""
    for pattern, plain in _REFANG:
        value = re.sub(pattern, plain, value, flags=re.I)
    return value


def stix_pattern(kind: str, value: str) -> str | None:
    """A STIX pattern for a domain, URL, e-mail, IPv4 address or file hash; None for names and other kinds."""
    plain = refang(value.strip())
    path = HASH_PATH.get(len(plain)) if kind == "hash" else OBSERVABLE.get(kind)
    if path is None or not plain:
        return None
    if kind == "domain":
        plain = plain.rstrip("/")
    escaped = plain.replace("\\", "\\\\").replace("'", "\\'")
    return f"[{path} = '{escaped}']"


class _Builder:
    """Collects STIX objects by id while walking the RDF graph."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.chain = load_killchain()
        self.objects: dict[str, object] = {}
        self.marking = stix2.MarkingDefinition(id=stix_id("marking-definition", "meta-mit"), created=EPOCH,
                                               definition_type="statement", definition={"statement": META_NOTICE})

    def label(self, node) -> str:
        return str(self.g.value(node, RDFS.label) or node)

    def relate(self, source: str, kind: str, target: str, when) -> None:
        rid = stix_id("relationship", f"{source}|{kind}|{target}")
        self.objects[rid] = stix2.Relationship(id=rid, relationship_type=kind, source_ref=source, target_ref=target,
                                               created=when, modified=when)

    def location(self, country: URIRef) -> str:
        code = str(self.g.value(country, IOKG.alpha2) or str(country).rsplit("/", 1)[-1])
        sid = stix_id("location", code)
        if sid not in self.objects:
            self.objects[sid] = stix2.Location(id=sid, name=self.label(country), country=code,
                                               created=EPOCH, modified=EPOCH)
        return sid

    def attack_pattern(self, notation: str) -> str:
        sid = stix_id("attack-pattern", str(KILLCHAIN[notation]))
        if sid not in self.objects:
            concept, tactic = self.chain.get(notation), self.chain.tactic(notation)
            phase = re.sub(r"[^a-z0-9]+", "-", tactic.label.lower()).strip("-")
            self.objects[sid] = stix2.AttackPattern(
                id=sid, name=concept.label, created=EPOCH, modified=EPOCH,
                kill_chain_phases=[{"kill_chain_name": KILL_CHAIN_NAME, "phase_name": phase}],
                external_references=[{"source_name": KILL_CHAIN_NAME, "external_id": notation,
                                      "url": "https://github.com/facebook/threat-research"}],
                object_marking_refs=[self.marking.id])
            self.objects[self.marking.id] = self.marking
        return sid

    def operator(self, org: URIRef, when) -> str:
        """A threat-actor for the operator, attributed to an identity for the organisation itself."""
        name, category = self.label(org), str(self.g.value(org, IOKG.category) or "")
        actor = stix_id("threat-actor", str(org))
        identity = stix_id("identity", str(org))
        if actor not in self.objects:
            self.objects[actor] = stix2.ThreatActor(id=actor, name=name, created=when, modified=when,
                                                    threat_actor_types=[THREAT_ACTOR_TYPE.get(category, "unknown")])
            kind = "individual" if category == "individuals" else "organization"
            self.objects[identity] = stix2.Identity(id=identity, name=name, identity_class=kind,
                                                    created=when, modified=when)
            self.relate(actor, "attributed-to", identity, when)
            country = self.g.value(org, IOKG.country)
            if country is not None:
                place = self.location(country)
                self.relate(actor, "located-at", place, when)
                self.relate(identity, "located-at", place, when)
        return actor

    def network(self, net: URIRef) -> None:
        """A campaign (intrusion set for espionage) for a network that is no operation's account."""
        espionage = str(self.g.value(net, IOKG.networkKind) or "") == "espionage"
        kind = "intrusion-set" if espionage else "campaign"
        self.campaign(stix_id(kind, str(net)), self.label(net), [net], espionage)

    def operation(self, op: URIRef) -> None:
        """One campaign per operation: its accounts' facts together, their sources as external references,
        first_seen/last_seen from the operation's period."""
        accounts = sorted(set(self.g.objects(op, IOKG.reportedAs)))
        if accounts:
            self.campaign(stix_id("campaign", str(op)), self.label(op), accounts, False,
                          self.g.value(op, IOKG.firstSeen), self.g.value(op, IOKG.lastSeen))

    def campaign(self, sid: str, name: str, nets: list, espionage: bool, first=None, last=None) -> None:
        when = min(self.when(net) for net in nets) if all(isinstance(self.when(n), datetime) for n in nets) \
            else self.when(nets[0])
        refs = []
        for net in nets:
            source = self.g.value(net, PROV.wasDerivedFrom)
            publisher = self.g.value(source, IOKG.publisher) if source is not None else None
            refs.append({"source_name": str(publisher or "iokg"), "external_id": str(net),
                         "description": f"from {self.g.value(source, IOKG.fileName) or source}: {self.summary(net)}"})
        cls = stix2.IntrusionSet if espionage else stix2.Campaign
        seen = {}
        if first is not None and not espionage:
            seen = {"first_seen": f"{first}T00:00:00Z", "last_seen": f"{last or first}T23:59:59Z"}
        self.objects[sid] = cls(id=sid, name=name, description="; ".join(dict.fromkeys(self.summary(n) for n in nets)),
                                created=when, modified=when, external_references=refs, **seen)
        facts = lambda prop: sorted({o for net in nets for o in self.g.objects(net, prop)})  # noqa: E731
        for country in facts(IOKG.origin):
            self.relate(sid, "originates-from", self.location(country), when)
        for country in facts(IOKG.target):
            self.relate(sid, "targets", self.location(country), when)
        for org in facts(IOKG.operatedBy):
            self.relate(sid, "attributed-to", self.operator(org, when), when)
        for prop, kind in ((IOKG.promotes, "promotes"), (IOKG.attacks, "attacks")):
            for target in facts(prop):
                self.relate(sid, kind, self.stance_identity(target, when), when)
        for technique in facts(IOKG.usesTechnique):
            notation = str(technique)[len(str(KILLCHAIN)):]
            if notation in self.chain:
                self.relate(sid, "uses", self.attack_pattern(notation), when)
        for net in nets:
            for node in sorted(set(self.g.objects(net, IOKG.hasIndicator))):
                indicator = self.indicator(node, espionage, when)
                if indicator:
                    self.relate(indicator, "indicates", sid, when)

    def stance_identity(self, target: URIRef, when) -> str:
        """An identity for a party, person, movement, government or project a campaign promoted or attacked."""
        sid = stix_id("identity", str(target))
        if sid not in self.objects:
            person = (target, RDF.type, IOKG.Person) in self.g
            self.objects[sid] = stix2.Identity(id=sid, name=self.label(target), created=when, modified=when,
                                               identity_class="individual" if person else "organization")
        return sid

    def indicator(self, node, espionage: bool, when) -> str | None:
        """A STIX indicator for an observable the source listed (kept defanged in its name)."""
        kind, value = str(self.g.value(node, IOKG.indicatorType)), str(self.g.value(node, IOKG.indicatorValue))
        pattern = stix_pattern(kind, value)
        if pattern is None:
            return None
        sid = stix_id("indicator", f"{kind}|{value}")
        if sid not in self.objects:
            comment = self.g.value(node, RDFS.comment)
            self.objects[sid] = stix2.Indicator(
                id=sid, name=value, pattern=pattern, pattern_type="stix", valid_from=when, created=when,
                modified=when, indicator_types=["malicious-activity" if espionage else "attribution"],
                **({"description": str(comment)} if comment else {}))
        return sid

    def when(self, net: URIRef) -> datetime | str:
        """The ingestion time of the network's source document (fixed for a given store)."""
        source = self.g.value(net, PROV.wasDerivedFrom)
        stamp = self.g.value(source, IOKG.ingestedAt) if source is not None else None
        value = stamp.toPython() if stamp is not None else None
        return value if isinstance(value, datetime) else EPOCH

    def summary(self, net: URIRef) -> str:
        """A one-line description: removed assets, audience and ad spend as the graph states them."""
        parts = []
        for prop in (IOKG.removed, IOKG.audience):
            for node in self.g.objects(net, prop):
                kind = self.g.value(node, IOKG.assetType) or self.g.value(node, IOKG.audienceType)
                parts.append(f"{str(kind).rsplit('#', 1)[-1]}: {self.g.value(node, IOKG.count)}")
        spend = self.g.value(net, IOKG.adSpendUSD)
        if spend is not None:
            parts.append(f"ad spend USD: {spend}")
        return "; ".join(sorted(set(parts))) or "influence operation network"


def union_of(graph: Graph) -> Graph:
    """A Dataset seen as the union of its named graphs (a view, no copy); a plain Graph as itself."""
    if isinstance(graph, Dataset):
        return Dataset(store=graph.store, default_union=True)
    return graph


def build_bundle(graph: Graph) -> stix2.Bundle:
    """The STIX bundle of every network in the graph, objects sorted by id."""
    union = union_of(graph)
    builder = _Builder(union)
    for op in sorted(set(union.subjects(RDF.type, IOKG.Operation))):
        builder.operation(op)
    for net in sorted(set(union.subjects(RDF.type, IOKG.Network))):
        espionage = str(union.value(net, IOKG.networkKind) or "") == "espionage"
        if espionage or union.value(net, IOKG.accountOf) is None:
            builder.network(net)
    objects = [builder.objects[k] for k in sorted(builder.objects)]
    bundle_id = stix_id("bundle", "|".join(sorted(builder.objects)))
    return stix2.Bundle(objects=objects, id=bundle_id) if objects else stix2.Bundle(id=bundle_id)


def write_bundle(graph: Graph, out: str | Path | BinaryIO | None = None) -> int:
    """Write the bundle as JSON to a path, a binary stream or stdout; returns the number of objects."""
    bundle = build_bundle(graph)
    data = json.dumps(json.loads(bundle.serialize()), indent=2, sort_keys=True).encode("utf-8") + b"\n"
    if out is None:
        sys.stdout.buffer.write(data)
    elif isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)
    return len(bundle.get("objects", []))
