"""Extraction over files and folders, and the renderers of the takedown JSON (json, jsonl, table).

`extract_file` reads one document and runs the pipeline once over it, `extract_paths` walks folders;
`to_json` prints the takedown JSON that kg/data/takedown.schema.json describes.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.read.document import iter_paths, read_document, shown
from kg.read.limits import time_limit
from kg.errors import DocumentError
from kg.extract.indicators import extract_indicator_file
from kg.graph.model import Extraction, Network
from kg.extract.networks import extract_document
from kg.extract.dates import date_networks

ErrorHandler = Callable[[DocumentError], None]
TABLE_COLUMNS = ("#", "origin", "targets", "removed (fb/pages/groups/ig + other platforms)", "operators")
OTHER_PLATFORM_COUNTS = {"twitter_accounts": "X accounts", "youtube_channels": "YouTube channels",
                         "tiktok_accounts": "TikTok accounts"}


def extract_file(path: str | Path, nlp) -> Extraction:
    """The one extraction entry point for a file (the CLI, ingest and the Python API call it): Meta's
    indicator CSVs go to their reader, every other document through the pipeline once.

    Raises DocumentError naming the file when it cannot be read, or when the extractor fails on it.
    """
    document = read_document(path)
    if document.format == "csv":
        return date_networks(extract_indicator_file(document))
    try:
        return date_networks(extract_document(document, nlp))
    except Exception as error:  # an extractor bug must cost one file, never the batch or a traceback
        raise DocumentError(str(path), f"extraction failed: {type(error).__name__}: {error}") from error


def extract_paths(paths: Iterable, nlp, on_error: ErrorHandler | None = None) -> Iterator[Extraction]:
    """Extract every readable document under `paths`; bad files go to on_error (or raise when None).

    Reading and extracting one file share its time limit (kg.read.limits.time_limit, IOKG_DOC_TIMEOUT).
    """
    for path in iter_paths(paths, on_error=on_error):
        try:
            with time_limit(shown(path)):
                extraction = extract_file(path, nlp)
        except DocumentError as error:
            if on_error is None:
                raise
            on_error(error)
            continue
        yield extraction


def network_json(net: Network) -> dict:
    """One network in the takedown-JSON shape."""
    return {
        "origin": list(net.origin),
        "targets": list(net.targets) if net.targets is not None else None,
        "target_regions": list(net.target_regions),
        "platforms": list(net.platforms),
        "removed": dict(net.removed),
        "followers": dict(net.followers),
        "ad_spend_usd": net.ad_spend_usd,
        "operators": [{"name": op.name, "category": op.category, "country": op.country} for op in net.operators],
        "discovered_via": list(net.discovered_via),
        "policy": net.policy,
        "promotes": [{"name": t.name, "kind": t.kind} for t in net.promotes],
        "attacks": [{"name": t.name, "kind": t.kind} for t in net.attacks],
    }


def document_json(extraction: Extraction) -> dict:
    """One document entry: its file name and its networks."""
    return {"source": extraction.document.name, "networks": [network_json(n) for n in extraction.networks]}


def to_json(extractions: Iterable[Extraction]) -> dict:
    """The whole takedown JSON object: {"documents": [...]}."""
    return {"documents": [document_json(ex) for ex in extractions]}


def to_jsonl(extractions: Iterable[Extraction]) -> Iterator[str]:
    """One JSON line per document."""
    for ex in extractions:
        yield json.dumps(document_json(ex), ensure_ascii=False)


def to_table(extractions: Iterable[Extraction]) -> Iterator[str]:
    """A human-readable summary: one block per document, one row per network."""
    for ex in extractions:
        yield f"{ex.document.name}: {len(ex.networks)} network(s)"
        yield "  " + " | ".join(TABLE_COLUMNS)
        for net in ex.networks:
            removed = "/".join(_fmt(net.removed.get(k)) for k in ("facebook_accounts", "pages", "groups", "instagram_accounts"))
            others = [f"{OTHER_PLATFORM_COUNTS[k]} {net.removed[k]}" for k in OTHER_PLATFORM_COUNTS if net.removed.get(k) is not None]
            removed += f" + {', '.join(others)}" if others else ""  # "-/-/-/- + X accounts 936"
            ops = ", ".join(f"{o.name} ({o.category or '?'}, {o.country or '?'})" for o in net.operators) or "-"
            yield f"  {net.index} | {','.join(net.origin) or '?'} | {','.join(net.targets or ()) or '?'} | {removed} | {ops}"
        for warning in ex.warnings:
            yield f"  warning: {warning}"


def _fmt(value: int | None) -> str:
    return "-" if value is None else str(value)
