"""Summary tables in reports: one row per network with its origin, targets and removed counts.

The HTML reader writes a <table> row as one line of cells joined by " | ", and Markdown tables
look the same, so a table is a run of such lines with the same number of cells. A table is read
when its header names an origin column and at least one count column; each row then gives the
figures of the network from that origin, quoted from the row itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.facts import PLATFORM_OF_KEY, origin_label_text
from kg.extract.gazetteer import country_codes
from kg.graph.model import REMOVED_KEYS, Claim, Evidence, Network

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
_SEPARATOR_ROW = re.compile(r"^[\s|:\-–—]+$")
_NUMBER = re.compile(r"^\s*(?:about|around|approximately|~)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*$", re.I)


@dataclass(frozen=True)
class TableRow:
    """One data row: its origin and target codes, its counts (None where the cell is empty or a dash)."""

    origin: tuple[str, ...]
    targets: tuple[str, ...]
    counts: dict
    evidence: Evidence


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _runs(text: str) -> list[list[tuple[int, str]]]:
    """Runs of table-like lines (three or more cells, the same count), as (offset, line) pairs."""
    runs, current, width, offset = [], [], 0, 0
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        cells = _cells(bare) if bare.count("|") >= 2 else []
        if len(cells) >= 3 and (not current or len(cells) == width):
            if not _SEPARATOR_ROW.match(bare):
                current.append((offset, bare))
            width = len(cells)
        elif bare.strip() or len(cells) >= 3:  # blank lines between rows keep the run open
            if len(current) >= 2:
                runs.append(current)
            current, width = ([(offset, bare)], len(cells)) if len(cells) >= 3 else ([], 0)
        offset += len(line)
    if len(current) >= 2:
        runs.append(current)
    return runs


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


def table_rows(text: str) -> list[TableRow]:
    """Every data row of every takedown table in the text."""
    rows: list[TableRow] = []
    for run in _runs(text):
        fields = header_fields(_cells(run[0][1]))
        if "origin" not in fields.values() or not set(fields.values()) & set(REMOVED_KEYS):
            continue
        for offset, line in run[1:]:
            cells = _cells(line)
            values = {field: cells[i] for i, field in fields.items() if i < len(cells)}
            origin = country_codes(values.get("origin", ""))
            if not origin:
                continue
            counts = {f: _count(values[f]) for f in REMOVED_KEYS if f in values}
            start = offset + len(line) - len(line.lstrip())
            rows.append(TableRow(origin, country_codes(values.get("targets", "")), counts,
                                 Evidence(line.strip(), start, start + len(line.strip()))))
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
