"""Summary tables in reports: one row per network with its origin, targets and removed counts.

Tables come from the readers' structure (kg.read.blocks.document_tables: header and rows of cells
with their spans). A table is read when its header names an origin column and at least one count
column; each row then gives the figures of the network from that origin, quoted from the row itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.facts import PLATFORM_OF_KEY, origin_label_text
from kg.extract.gazetteer import country_codes
from kg.graph.model import REMOVED_KEYS, Claim, Document, Evidence, Network
from kg.read.blocks import document_tables
from kg.read.layout import text_blocks

#: header words → field; the first matching entry wins, so "Facebook accounts" is read before "accounts"
HEADER_FIELDS = (
    ("origin", ("origin", "country of origin", "from", "country", "source country")),
    ("targets", ("target", "targets", "targeted", "target countries", "audience")),
    ("instagram_accounts", ("instagram",)),
    ("pages", ("pages", "facebook pages")),
    ("groups", ("groups", "facebook groups")),
    ("events", ("events",)),
    ("facebook_accounts", ("facebook accounts", "facebook profiles", "accounts")),
)
_NUMBER = re.compile(r"^\s*(?:about|around|approximately|~)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*$", re.I)


@dataclass(frozen=True)
class TableRow:
    """One data row: its origin and target codes, its counts (None where the cell is empty or a dash)."""

    origin: tuple[str, ...]
    targets: tuple[str, ...]
    counts: dict
    evidence: Evidence


def header_fields(cells: list[str]) -> dict[int, str]:
    """Column index → field for a header row (columns nothing matches are left out)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        words = cell.lower()
        for field, names in HEADER_FIELDS:
            if field not in found.values() and any(re.search(rf"\b{re.escape(n)}\b", words) for n in names):
                found[index] = field
                break
    return found


def _count(cell: str) -> int | None:
    match = _NUMBER.match(cell)
    return int(match.group(1).replace(",", "")) if match else None


def table_rows(source: Document | str) -> list[TableRow]:
    """Every data row of every takedown table of a Document (a bare text is read for its layout)."""
    if isinstance(source, str) or not source.blocks:
        text = source if isinstance(source, str) else source.text
        source = Document(path="", name="", text=text, format="txt", sha256="", blocks=tuple(text_blocks(text)))
    rows: list[TableRow] = []
    for table in document_tables(source):
        fields = header_fields([cell.text for cell in table.header.cells]) if table.header else {}
        if "origin" not in fields.values() or not set(fields.values()) & set(REMOVED_KEYS):
            continue
        for row in table.rows:
            values = {field: row.cells[i].text for i, field in fields.items() if i < len(row.cells)}
            origin = country_codes(values.get("origin", ""))
            if not origin:
                continue
            counts = {f: _count(values[f]) for f in REMOVED_KEYS if f in values}
            rows.append(TableRow(origin, country_codes(values.get("targets", "")), counts,
                                 Evidence(source.text[row.start:row.end], row.start, row.end)))
    return rows


def fill_from_rows(networks: list[Network], rows: list[TableRow]) -> list[Network]:
    """Give each network the figures of the one table row with its origin (the text's own figures win);
    a row whose origin no network has becomes a network of its own."""
    networks = list(networks)
    for row in rows:
        matches = [k for k, n in enumerate(networks) if set(n.origin) == set(row.origin)]
        if len(matches) == 1:
            networks[matches[0]] = _fill(networks[matches[0]], row)
        elif not matches and any(v is not None for v in row.counts.values()):
            empty = Network(index=len(networks) + 1, label=origin_label_text(row.origin), origin=row.origin,
                            removed={key: None for key in REMOVED_KEYS}, evidence=(row.evidence,),
                            claims=tuple(Claim("origin", code, row.evidence) for code in row.origin))
            networks.append(_fill(empty, row))
    return networks


def _fill(net: Network, row: TableRow) -> Network:
    removed, claims = dict(net.removed), list(net.claims)
    for key, value in row.counts.items():
        if value is not None and removed.get(key) is None:
            removed[key] = value
            claims.append(Claim(f"removed.{key}", value, row.evidence))
    targets = net.targets
    if targets is None and row.targets:
        targets = row.targets
        claims += [Claim("targets", code, row.evidence) for code in row.targets]
    platforms = list(net.platforms)
    for key, value in row.counts.items():
        platform = PLATFORM_OF_KEY[key]
        if value is not None and removed.get(key) is not None and platform not in platforms:
            platforms.append(platform)
            claims.append(Claim("platforms", platform, row.evidence))
    return replace(net, removed=removed, targets=targets, platforms=tuple(platforms), claims=tuple(claims))
