"""Meta's machine-readable threat indicators (CSV) as Extractions, with every fact tied to its row.

Two shapes exist: kill-chain files (`Tactic,Technique,Procedure,Indicator[,Notes]`, one network
per file) and the 2022 files (`indicator_type,indicator_value,comment,ds`, several actors per file,
grouped by the actor the comment names). Espionage/APT networks are kept with kind "espionage".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DocumentError
from kg.extract.indicator_text import (classify, countries_in, follower_count, humanize_name, is_page_name,
                                       removed_count, targeted_countries)
from kg.extract.money import first_dollars
from kg.graph.killchain import KillChain, load_killchain
from kg.graph.model import Claim, Document, Evidence, Extraction, Indicator, Network, TechniqueUse

PLATFORM_OF = {"0.9.1": "Facebook", "0.9.2": "Instagram", "0.9.3": "Threads", "0.9.4": "Twitter",
               "0.9.5": "YouTube", "0.9.6": "TikTok", "0.9.7": "Telegram"}
NAME_PROCEDURES = ("1.3.", "1.5.")  # fictitious or impersonated outlets: short cells are page/brand names
ESPIONAGE_NAME = re.compile(r"(?:^|[_\W])(?:APT|espionage)(?:$|[_\W])", re.I)
_NOTATION = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?:\s|$)")
MAX_SAME_CLAIMS = 3  # Doppelganger lists ~6,000 redirect domains under one procedure: 3 rows show it


@dataclass(frozen=True)
class Row:
    """One CSV record: its cells and the character span of the record in Document.text."""

    cells: tuple[str, ...]
    evidence: Evidence

    def cell(self, index: int) -> str:
        return self.cells[index].strip() if index < len(self.cells) else ""


def read_rows(text: str) -> list[Row]:
    """Parse CSV text keeping each record's offsets (quoted cells may span lines)."""
    lines = [line for line in re.split(r"(?<=\n)", text) if line]  # only "\n" ends a line, as in csv
    consumed = [0]

    def feed():
        for line in lines:
            consumed[0] += len(line)
            yield line

    rows, start = [], 0
    for cells in csv.reader(feed()):
        end = consumed[0]
        raw = text[start:end].rstrip()
        rows.append(Row(tuple(cells), Evidence(raw, start, start + len(raw))))
        start = end
    return rows


def extract_indicator_file(doc: Document) -> Extraction:
    """The network(s) of one Meta indicator CSV; DocumentError when the file has neither known shape."""
    rows = read_rows(doc.text.lstrip("\ufeff"))
    header = [c.strip().lower() for c in rows[0].cells] if rows else []
    if header[:3] == ["tactic", "technique", "procedure"] and len(header) >= 4:
        builder = _KillChainFile(doc, load_killchain())
        return builder.extract(rows[1:])
    if header == ["tactic", "technique", "procedure"]:
        return Extraction(doc, (), (f"{doc.name}: the kill chain itself (no network); it is loaded from "
                                    "ontology/killchain.ttl, built by scripts/build_killchain.py",))
    if header[:3] == ["indicator_type", "indicator_value", "comment"]:
        return _legacy_extraction(doc, rows[1:])
    raise DocumentError(doc.path, "not a Meta indicator file: header must start with "
                                  "'Tactic,Technique,Procedure,Indicator' or 'indicator_type,indicator_value,comment,ds'")


def file_places(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(origin, targets) country codes the file name states: 'X_based' is origin, 'X_TARGETING' targets."""
    stem = Path(name).stem.replace("_", " ").replace("-", " ")
    targeting = re.search(r"(?i)\btargeting\b", stem)
    before = stem[:targeting.start()] if targeting else stem
    codes = tuple(countries_in(before, ignore_case=True))
    return ((), codes) if targeting else (codes, ())


class _KillChainFile:
    """Builds the one network of a kill-chain-shaped file, row by row."""

    def __init__(self, doc: Document, chain: KillChain):
        self.doc, self.chain = doc, chain
        self.claims: list[Claim] = []
        self.seen: dict[tuple, int] = {}
        self.warnings: list[str] = []
        self.removed: dict[str, int] = {}
        self.followers: dict[str, int] = {}
        self.ad_spend: int | None = None
        self.techniques: dict[str, TechniqueUse] = {}
        self.indicators: list[Indicator] = []
        self.platforms: list[str] = []
        self.targets: list[str] = []

    def extract(self, rows: list[Row]) -> Extraction:
        for row in rows:
            if any(row.cells):
                self._row(row)
        origin, named_targets = file_places(self.doc.name)
        targets = tuple(dict.fromkeys(named_targets + tuple(self.targets))) or None
        kind = self._kind()
        label = humanize_name(self.doc.name)
        if kind == "espionage":
            self.warnings.append(f"{self.doc.name}: espionage/APT network, kept as kind 'espionage', not an influence operation")
        network = Network(index=1, label=label, origin=origin, targets=targets, platforms=tuple(self.platforms),
                          removed=dict(self.removed), followers=dict(self.followers), ad_spend_usd=self.ad_spend,
                          techniques=tuple(self.techniques.values()), indicators=tuple(self.indicators),
                          claims=tuple(self.claims), kind=kind)
        return Extraction(self.doc, (network,), tuple(dict.fromkeys(self.warnings)))

    def _claim(self, field: str, value, row: Row) -> None:
        """Record a fact's row; a fact repeated on many rows keeps its first MAX_SAME_CLAIMS rows."""
        self.seen[(field, value)] = self.seen.get((field, value), 0) + 1
        if self.seen[(field, value)] <= MAX_SAME_CLAIMS:
            self.claims.append(Claim(field, value, row.evidence))

    def _row(self, row: Row) -> None:
        notation = self._notation(row)
        text = row.cell(3)
        notes = row.cell(4)
        if notation:
            self._technique(notation, row)
            if notation in PLATFORM_OF:
                self._platform(PLATFORM_OF[notation], row)
        if not text:
            return
        if notation in ("0.9.1", "0.9.2") and self._count(notation, text, row):
            return
        if notation.startswith("7.2") or follower_count(text):
            if self._followers(notation, text, row):
                return
        if notation.startswith("7.1") or "spending for ads" in text.lower():
            self._ads(text, row)
            return
        implied = notation.startswith("7.3") or "target" in self._label(notation).lower()
        codes = targeted_countries(f"{text} {notes}") or (countries_in(f"{text} {notes}") if implied else [])
        for code in codes:
            if code not in self.targets:
                self.targets.append(code)
            self._claim("targets", code, row)
        self._indicators(notation, text, notes, row)

    def _notation(self, row: Row) -> str:
        """The most specific known notation of the row (procedure, else technique)."""
        for cell in (row.cell(2), row.cell(1)):
            match = _NOTATION.match(cell)
            if not match:
                continue
            notation = re.sub(r"^(\d+\.\d+\.\d+)\.0$", r"\1", match.group(1).rstrip("."))
            if notation in self.chain:
                return notation
            self.warnings.append(f"{self.doc.name}: '{cell[:40]}' has notation {notation}, which the kill chain lacks")
        return ""

    def _label(self, notation: str) -> str:
        return self.chain.get(notation).label if notation else ""

    def _technique(self, notation: str, row: Row) -> None:
        self.techniques.setdefault(notation, TechniqueUse(notation, self._label(notation)))
        self._claim("techniques", notation, row)

    def _platform(self, name: str, row: Row) -> None:
        if name not in self.platforms:
            self.platforms.append(name)
            self._claim("platforms", name, row)

    def _count(self, notation: str, text: str, row: Row) -> bool:
        found = removed_count(text, instagram=notation == "0.9.2")
        if found is None:
            if re.match(r"(?i)\s*(about\s+)?[\d,]+\s+accounts\s+on\s+facebook\s+and\s+instagram", text):
                self.warnings.append(f"{self.doc.name}: '{text}' counts Facebook and Instagram together; not split")
                return True
            return False
        key, count = found
        if key in self.removed and self.removed[key] != count:
            self.warnings.append(f"{self.doc.name}: two counts for {key} ({self.removed[key]}, {count}); kept the first")
            return True
        self.removed.setdefault(key, count)
        self._claim(f"removed.{key}", count, row)
        return True

    def _followers(self, notation: str, text: str, row: Row) -> bool:
        found = follower_count(text, notation)
        if found is None:
            return False
        key, count = found
        self.followers.setdefault(key, count)
        self._claim(f"followers.{key}", count, row)
        return True

    def _ads(self, text: str, row: Row) -> None:
        amount = first_dollars(text)
        if amount is None:
            self.warnings.append(f"{self.doc.name}: ad spend not stated as a number: '{text[:60]}'")
            return
        if self.ad_spend is None:
            self.ad_spend = amount
            self._claim("ad_spend_usd", amount, row)

    def _indicators(self, notation: str, text: str, notes: str, row: Row) -> None:
        values = classify(text)
        if not values and notation == "0.4.1":
            values = [("organization", text)]
        if not values and notation.startswith(NAME_PROCEDURES) and is_page_name(text):
            values = [("page-name", text)]
        for kind, value in values:
            self.indicators.append(Indicator(kind, value, notes))
            self._claim("indicators", value, row)

    def _kind(self) -> str:
        if ESPIONAGE_NAME.search(Path(self.doc.name).stem):
            return "espionage"
        malware = [n for n in self.techniques if re.search(r"malware|malicious", self._label(n), re.I)]
        return "espionage" if len(malware) * 3 >= max(len(self.techniques), 1) and malware else "influence-operation"


LEGACY_KIND = {"domain_name": "domain", "cib_url": "url", "telegram_url": "url", "phishing_url": "url",
               "md5": "hash", "sha256": "hash", "sha1": "hash", "ip": "ip"}
LEGACY_TECHNIQUE = {("domain", True): "0.6.2", ("domain", False): "0.6.1", ("telegram_url", True): "0.9.7"}


def _legacy_key(comment: str) -> str:
    """The actor a 2022-style comment names: 'CIB: Russia, Ukraine', 'APT36', 'UNC788, Iran' or 'CIB'."""
    comment = comment.strip()
    if comment.upper().startswith("CIB:"):
        return comment
    if ":" in comment:
        return comment.split(":", 1)[0].strip()
    return "CIB" if re.search(r"\bCIB\b", comment) else comment


def _legacy_extraction(doc: Document, rows: list[Row]) -> Extraction:
    """One network per actor named in the comments of a 2022-style file."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row.cell(1):
            groups.setdefault(_legacy_key(row.cell(2)), []).append(row)
    file_origin, _ = file_places(doc.name)
    claimed = {code for key in groups for code in countries_in(key)}
    leftover = tuple(c for c in file_origin if c not in claimed) or file_origin
    networks, warnings = [], []
    for index, (key, members) in enumerate(groups.items(), start=1):
        influence = any("CIB" in row.cell(2) for row in members)
        origin = tuple(countries_in(key)) or (leftover if influence else ())
        network = _legacy_network(doc, index, key, members, origin, influence)
        if not influence:
            warnings.append(f"{doc.name}: '{key}' is an espionage/APT actor, kept as kind 'espionage'")
        networks.append(network)
    return Extraction(doc, tuple(networks), tuple(warnings))


def _legacy_network(doc: Document, index: int, key: str, rows: list[Row], origin: tuple[str, ...],
                    influence: bool) -> Network:
    chain = load_killchain()
    claims, indicators, techniques, targets, seen = [], [], {}, [], {}
    for row in rows:
        raw_kind, value, comment = row.cell(0).lower(), row.cell(1), row.cell(2)
        kind = LEGACY_KIND.get(raw_kind, raw_kind)
        indicators.append(Indicator(kind, value, comment))
        claims.append(Claim("indicators", value, row.evidence))
        notation = LEGACY_TECHNIQUE.get((raw_kind if raw_kind == "telegram_url" else kind, influence))
        if notation:
            techniques.setdefault(notation, TechniqueUse(notation, chain.get(notation).label))
            seen[notation] = seen.get(notation, 0) + 1
            if seen[notation] <= MAX_SAME_CLAIMS:
                claims.append(Claim("techniques", notation, row.evidence))
        for code in targeted_countries(comment):
            if targets.count(code) < MAX_SAME_CLAIMS:
                claims.append(Claim("targets", code, row.evidence))
            targets.append(code)
    period = re.match(r"(\d{4})_(\d{2})_", doc.name)
    name = f"CIB network from {', '.join(origin)}" if key == "CIB" and origin else key
    label = f"{name} ({period.group(1)}-{period.group(2)} report)" if period else f"{name} ({humanize_name(doc.name)})"
    return Network(index=index, label=label, origin=origin, targets=tuple(dict.fromkeys(targets)) or None,
                   techniques=tuple(techniques.values()), indicators=tuple(indicators), claims=tuple(claims),
                   kind="influence-operation" if influence else "espionage")
