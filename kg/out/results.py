"""Printing query results: table/csv/tsv/json for SELECT and ASK, turtle/nt/jsonld for graphs.

Everything passes kg.out.sanitize: table, CSV and TSV cells lose control characters, bidi overrides and
ANSI escapes (a quote from a hostile document cannot repaint the terminal), graph syntaxes escape them
as \\uXXXX; CSV/TSV cells that a spreadsheet would run as a formula are prefixed with '.
"""
from __future__ import annotations

import csv
import io
import json
import re

from rdflib import BNode, Literal, URIRef
from tabulate import tabulate

from kg.store.backend import QueryResult
from kg.errors import UsageError
from kg.out import sanitize
from kg.graph.vocab import ID, IOKG, KILLCHAIN, short_iri

SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
TABLE_WIDTH = 100


def plain(term) -> str:
    """The text of a term: an IRI's string, a literal's lexical form, '' for unbound."""
    return "" if term is None else str(term)


def clean_cell(text: str) -> str:
    """Drop ANSI escape sequences and replace other control and bidi characters with spaces."""
    return sanitize.cell(text)


def guard_formula(text: str) -> str:
    """Prefix ' to cells starting with = + - @ (or tab/CR) unless they are plain numbers."""
    if text and text[0] in "=+-@\t\r" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def text_table(header: list[str], rows: list[list], width: int | None = TABLE_WIDTH) -> str:
    """iokg's one terminal table (tabulate's plain layout): cells lose control characters and are cut
    at `width` with an ellipsis; nothing is read as a number, so '007' stays '007'."""
    cells = [[clean_cell(str(c)) for c in row] for row in rows]
    if width:
        cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    table = tabulate(cells, headers=header, tablefmt="simple", disable_numparse=True, stralign="left")
    return "\n".join(line.rstrip() for line in table.splitlines())


def format_table(result: QueryResult) -> str:
    """Aligned columns for a terminal, IRIs shortened, and a row count."""
    rows = [[short_iri(row.get(v)) for v in result.variables] for row in result.rows]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return text_table(list(result.variables), rows) + "\n" + count + "\n"


def format_delimited(result: QueryResult, delimiter: str) -> str:
    """CSV (RFC 4180 quoting) or TSV (tabs and line breaks in cells become spaces, no quoting)."""
    keep = delimiter != "\t"  # CSV quotes cells, so tabs and line breaks stay; TSV cannot hold them
    table = [[guard_formula(sanitize.cell(plain(row.get(v)), keep)) for v in result.variables] for row in result.rows]
    if delimiter == "\t":
        lines = ["\t".join(result.variables)]
        lines += ["\t".join(cells) for cells in table]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(table)
    return buffer.getvalue()


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
    return sanitize.rdf_text(json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)) + "\n"


def format_result(result: QueryResult, fmt: str | None = None) -> str:
    """Render any result; the default format is table for SELECT/ASK and turtle for graphs."""
    if result.kind == "graph":
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"format {fmt!r} is not for CONSTRUCT/DESCRIBE results; use one of {', '.join(GRAPH_FORMATS)}")
        return sanitize.rdf_text(result.graph.serialize(format={"jsonld": "json-ld", "nt": "nt"}.get(fmt, fmt)))
    fmt = fmt or "table"
    if fmt not in SELECT_FORMATS:
        raise UsageError(f"format {fmt!r} is not for SELECT/ASK results; use one of {', '.join(SELECT_FORMATS)}")
    if result.kind == "ask":
        return format_json(result) if fmt == "json" else ("true\n" if result.boolean else "false\n")
    if fmt == "json":
        return format_json(result)
    if fmt == "table":
        return format_table(result)
    return format_delimited(result, "," if fmt == "csv" else "\t")
