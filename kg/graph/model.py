"""Frozen dataclasses at the boundaries of the data flow: document → extraction → claims → RDF.

Every module downstream of the extractor (rdf, store, viz, export) speaks these types only,
so the extractor can change without touching the graph code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Keys of the takedown JSON (kg/data/takedown.schema.json); the RDF and the JSON share them.
REMOVED_KEYS = ("facebook_accounts", "pages", "groups", "instagram_accounts", "events",
                "twitter_accounts", "youtube_channels", "tiktok_accounts")
# The platform each removed-asset count is on (a count implies its platform).
REMOVED_PLATFORM = {"facebook_accounts": "Facebook", "pages": "Facebook", "groups": "Facebook", "events": "Facebook",
                    "instagram_accounts": "Instagram", "twitter_accounts": "Twitter", "youtube_channels": "YouTube",
                    "tiktok_accounts": "TikTok"}
FOLLOWER_KEYS = ("pages", "groups", "instagram")
CATEGORIES = ("pr-marketing", "political", "state-linked", "media", "research", "government", "individuals")
POLICIES = ("foreign-interference", "cib")
#: stance-target kinds, each with a class and an IRI folder of its own (kg.graph.rdf, kg.graph.iris)
STANCE_KINDS = ("party", "person", "movement", "government", "project")


BLOCK_KINDS = ("heading", "paragraph", "item", "row", "label")


@dataclass(frozen=True)
class Block:
    """One structural unit of a Document (heading, paragraph, list item, table row or label line).

    `start`/`end` are offsets into Document.text. `level`: heading level 1-6, list depth for items, else 0.
    `number`: an item's or heading's number as written ("2", "b", "iii"). `cells`: (start, end) of each
    cell of a row. `header`: index of the table's header row (itself for the header row), -1 if none.
    `parent`: index of the heading that scopes the block (or of the label line its bullets hang from), -1.
    """

    kind: str  # one of BLOCK_KINDS; "label" is a "Origin: Iran" or "Honduras / BlueWave Media — ..." line
    start: int
    end: int
    level: int = 0
    number: str | None = None
    cells: tuple[tuple[int, int], ...] = ()
    header: int = -1
    parent: int = -1


@dataclass(frozen=True)
class Document:
    """One input file, read and decoded; `text` is what the extractor sees."""

    path: str
    name: str
    text: str
    format: str  # txt | md | html | pdf | csv
    sha256: str
    encoding: str = "utf-8"
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO 8601 date when the document says it
    blocks: tuple[Block, ...] = ()  # the structure of `text`, in order (kg.read.blocks)

    @property
    def id(self) -> str:
        """Stable id from the content hash: the same bytes give the same id everywhere."""
        return self.sha256[:16]


@dataclass(frozen=True)
class Evidence:
    """A quoted span of a document (usually one sentence) with character offsets into Document.text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TakedownDate:
    """When a network was taken down: an ISO value (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY or --MM), its
    precision, and its basis: "text" (the span says it) or "document" (the document's date, a fallback)."""

    value: str
    precision: str
    basis: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Claim:
    """One atomic fact about a network and the span that says it.

    `field` is a takedown-JSON path such as "origin", "removed.pages", "operators", "promotes";
    `value` is the JSON value of that fact (a code, a count, a name).
    """

    field: str
    value: Any
    evidence: Evidence


@dataclass(frozen=True)
class Operator:
    """An organisation a network was attributed or linked to."""

    name: str
    category: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StanceTarget:
    """A party, person, movement, government or project a network promoted or attacked."""

    name: str
    kind: str = "party"
    role: str | None = None  # "mayoral candidate", "senator", "President of Mexico"
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TechniqueUse:
    """A kill-chain procedure (e.g. "1.1.2") the text says the network used."""

    procedure: str
    label: str = ""


@dataclass(frozen=True)
class Indicator:
    """A machine-readable indicator from a structured source (domain, URL, page name), kept as given."""

    kind: str
    value: str
    comment: str = ""


@dataclass(frozen=True)
class Money:
    """An amount as the document states it, with its value in US dollars and the day of the rate used
    (None when no conversion was needed)."""

    amount: float
    currency: str  # ISO 4217
    usd: int
    rate_date: str | None = None


@dataclass(frozen=True)
class Network:
    """One influence-operation network described by a document, merged across its mentions."""

    index: int  # 1-based position in the document
    label: str  # short human label, e.g. "Spain and El Salvador network"
    origin: tuple[str, ...] = ()
    targets: tuple[str, ...] | None = None
    target_regions: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    removed: dict[str, int | None] = field(default_factory=dict)
    followers: dict[str, int | None] = field(default_factory=dict)
    ad_spend_usd: int | None = None
    ad_spend: Money | None = None  # the amount as stated (another currency converted on the document's date)
    operators: tuple[Operator, ...] = ()
    discovered_via: tuple[str, ...] = ()
    policy: str | None = None
    promotes: tuple[StanceTarget, ...] = ()
    attacks: tuple[StanceTarget, ...] = ()
    techniques: tuple[TechniqueUse, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # the sentences that introduce the network
    claims: tuple[Claim, ...] = ()  # every fact above with the span that states it
    kind: str = "influence-operation"  # or "espionage" for APT files
    date: TakedownDate | None = None  # filled after extraction by kg.extract.dates
    continues_from: tuple[tuple[str, Evidence], ...] = ()  # (date, span) of earlier takedowns it is linked to

    def evidence_for(self, field_name: str, value: Any = None) -> list[Evidence]:
        """The spans that state `field_name` (and `value`, when given)."""
        return [c.evidence for c in self.claims if c.field == field_name and (value is None or c.value == value)]


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one document."""

    document: Document
    networks: tuple[Network, ...]
    warnings: tuple[str, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)  # month totals the document states
