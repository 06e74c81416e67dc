"""What travels over the wire to a SPARQL endpoint: terms written as N-Triples, bindings turned
into a VALUES block, and answers (SPARQL JSON/XML results, N-Triples/Turtle) read back into rdflib terms
by rdflib's own parsers.

Kept apart from kg.store.endpoint so the HTTP code stays short and these pure functions are easy to test.
"""
from __future__ import annotations

import io
import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from kg.store.backend import QueryResult
from kg.errors import EndpointError, UsageError

_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BNODE_LABEL = re.compile(r"[^A-Za-z0-9_\-.]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def nt_iri(iri: str) -> str:
    """An IRI as `<...>`; refuses characters N-Triples forbids instead of letting them break the query."""
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise UsageError(f"not a valid IRI for SPARQL: {iri[:80]!r}")
    return f"<{iri}>"


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def nt_term(term: Node, allow_bnode: bool = False) -> str:
    """An rdflib term in N-Triples syntax, every character of a literal escaped."""
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        body = f'"{_escape(str(term))}"'
        if term.language:
            if not _LANG.match(term.language):
                raise UsageError(f"not a valid language tag: {term.language[:40]!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{nt_iri(str(term.datatype))}"
        return body
    if isinstance(term, BNode) and allow_bnode:
        return "_:" + (_BNODE_LABEL.sub("_", str(term)) or "b")
    raise UsageError(f"cannot send {type(term).__name__} {str(term)[:60]!r} to an endpoint: bind an IRI or a literal")


def values_block(bindings: dict[str, Node]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }` from variable names and terms, each escaped as N-Triples."""
    names, terms = [], []
    for name, term in bindings.items():
        name = name.lstrip("?$")
        if not _VAR.match(name):
            raise UsageError(f"not a valid SPARQL variable name: {name[:40]!r}")
        names.append("?" + name)
        terms.append(nt_term(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def mask(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out, so braces and keywords can be found safely."""
    pattern = re.compile(
        r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
        r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*',
        re.S,
    )
    return pattern.sub(lambda m: " " * len(m.group(0)), sparql)


def _closing_brace(masked: str, start: int) -> int:
    depth = 0
    for pos in range(start, len(masked)):
        if masked[pos] == "{":
            depth += 1
        elif masked[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
    raise UsageError("query has unbalanced braces")


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of the query, read past prefixes, strings and comments."""
    form = re.search(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", mask(sparql), re.I)
    return form.group(1).upper() if form else ""


def accept_for(sparql: str) -> str:
    """The Accept header for this query: RDF for graph forms (some servers would send bindings otherwise)."""
    return ACCEPT_GRAPH if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else ACCEPT_RESULTS


def with_values(sparql: str, bindings: dict[str, Node]) -> str:
    """The query with a VALUES block opening its WHERE group, so bound variables act as if pre-bound.

    Placing it inside the group (rather than after the solution modifiers) keeps the binding in
    force under GROUP BY and aggregates, which is how the embedded store's substitution behaves.
    """
    if not bindings:
        return sparql
    masked = mask(sparql)
    form = re.search(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", masked, re.I)
    if form is None:
        raise UsageError("bindings need a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    pos = form.end()
    if form.group(1).upper() == "CONSTRUCT" and re.match(r"\s*\{", masked[pos:]):
        pos = _closing_brace(masked, masked.index("{", pos)) + 1
    brace = masked.find("{", pos)
    if brace < 0:
        raise UsageError("query has no WHERE group to bind variables in")
    return f"{sparql[:brace + 1]} {values_block(bindings)} {sparql[brace + 1:]}"


def make_literal(value: str, lang: str | None, datatype: str | None) -> Literal:
    """An rdflib literal the way the embedded store builds it: xsd:string literals stay plain."""
    if lang:
        return Literal(value, lang=lang)
    if datatype and datatype != str(XSD.string):
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _as_stored(term: Node) -> Node:
    if isinstance(term, Literal):
        return make_literal(str(term), term.language, str(term.datatype) if term.datatype else None)
    return term


def parse_results(body: bytes, fmt: str) -> QueryResult:
    """SPARQL 1.1 Query Results in JSON or XML (`fmt`), read by rdflib's own result parsers.

    An XML answer with a DTD is refused first: rdflib parses with lxml's huge_tree, which would let a
    hostile server expand entities without limit, and no SPARQL result needs one.
    """
    if fmt == "xml" and (b"<!DOCTYPE" in body or b"<!ENTITY" in body):
        raise ValueError("XML results with a DTD or entities")
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple({str(k): _as_stored(v) for k, v in row.items() if v is not None} for row in result.bindings)
    return QueryResult("select", variables=variables, rows=rows)


GRAPH_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}
RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"


def parse_answer(body: bytes, content_type: str | None, label: str) -> QueryResult:
    """The query answer in whichever of the supported formats the server chose, or a one-line EndpointError."""
    mime = (content_type or "").split(";")[0].strip().lower()
    try:
        if mime in RESULT_FORMATS:
            return parse_results(body, RESULT_FORMATS[mime])
        if mime in GRAPH_FORMATS:
            if GRAPH_FORMATS[mime] == "xml" and (b"<!DOCTYPE" in body or b"<!ENTITY" in body):
                raise ValueError("RDF/XML with a DTD or entities")
            graph = Graph()
            graph.parse(data=body.decode("utf-8"), format=GRAPH_FORMATS[mime])
            return QueryResult("graph", graph=graph)
    except Exception as exc:  # any parser failure means the server sent something unusable
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise EndpointError(f"SPARQL endpoint {label} answered with malformed {mime} ({reason})") from None
    raise EndpointError(f"SPARQL endpoint {label} answered with unsupported content type {mime or 'none'!r}")
