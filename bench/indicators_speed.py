"""Time the structured-source path on Meta's indicator folder: CSV → Extraction → RDF → STIX bundle.

    .venv/bin/python bench/indicators_speed.py [FOLDER]

Prints rows per second for reading, triples per second for the RDF, objects per second for STIX,
and the share of the total each stage takes (no thresholds: the figures go in the report).
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph  # noqa: E402

from kg.read.document import read_document  # noqa: E402
from kg.extract.indicators import extract_indicator_file, read_rows  # noqa: E402
from kg.graph.rdf import extraction_graph  # noqa: E402
from kg.out.stix import write_bundle  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "meta-threat-research"


def main(folder: Path) -> None:
    files = sorted(folder.glob("*.csv"))
    start = time.perf_counter()
    docs = [read_document(f) for f in files]
    extractions = [extract_indicator_file(d) for d in docs]
    read_s = time.perf_counter() - start
    rows = sum(len(read_rows(d.text)) for d in docs)
    start = time.perf_counter()
    graph = Graph()
    for extraction in extractions:
        graph += extraction_graph(extraction)
    rdf_s = time.perf_counter() - start
    start = time.perf_counter()
    objects = write_bundle(graph, io.BytesIO())
    stix_s = time.perf_counter() - start
    total = read_s + rdf_s + stix_s
    networks = sum(len(e.networks) for e in extractions)
    print(f"{len(files)} files, {rows} rows, {networks} networks, {len(graph)} triples, {objects} STIX objects")
    for name, seconds, amount, unit in (("read+extract", read_s, rows, "rows"), ("rdf", rdf_s, len(graph), "triples"),
                                        ("stix", stix_s, objects, "objects")):
        print(f"{name:13} {seconds:6.2f} s  {amount / seconds:9.0f} {unit}/s  {seconds / total:5.1%} of total")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
