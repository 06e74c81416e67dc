"""Canned SPARQL queries (queries/*.rq), typed parameters, and running a query on any Backend.

A canned query's first comment line is its one-line description; `# param NAME: text` lines declare
the parameters it needs. Parameter values become RDF terms passed as bindings (SPARQL substitutions),
so user text is never pasted into a query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.store.backend import Backend, QueryResult
from kg.store.endpoint_wire import mask
from kg.errors import DocumentError, UsageError
from kg.data import QUERIES_DIR
from kg.graph.vocab import local_name

_PARAM_LINE = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$")
_DEFAULT = re.compile(r"\(default:\s*([^)]*)\)")
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)  # the keyword, not ?service or ex:service
_PROLOGUE = re.compile(r"^\s*((#[^\n]*\n)|(PREFIX\s+\S*:\s*<[^>]*>)|(BASE\s*<[^>]*>)|\s+)*", re.IGNORECASE)


@dataclass(frozen=True)
class CannedQuery:
    """A query file: its name (file stem), description, declared parameters and text."""

    name: str
    description: str
    params: dict[str, str]
    text: str
    path: Path


def parse_query_file(path: Path) -> CannedQuery:
    """Read a .rq file and its header comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(str(path), f"cannot read query file: {error.__class__.__name__}") from None
    description, params = "", {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM_LINE.match(line)
        if match:
            params[match.group(1)] = match.group(2).strip()
        elif not description:
            description = line.lstrip("#").strip()
    return CannedQuery(path.stem, description, params, text, path)


def canned_queries(folder: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """Every queries/*.rq by name, sorted."""
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def get_canned(name: str, folder: Path = QUERIES_DIR) -> CannedQuery:
    """The canned query `name`; an unknown name is a UsageError listing the valid ones."""
    queries = canned_queries(folder)
    if name not in queries:
        raise UsageError(f"unknown canned query {name!r}; valid names: {', '.join(queries)}")
    return queries[name]


def resolve(spec: str | None, expression: str | None = None) -> CannedQuery:
    """A query from `-e` text, a .rq file path, or a canned name (in that order)."""
    if expression is not None:
        if spec:
            raise UsageError("give either a query name/file or -e SPARQL, not both")
        return CannedQuery("-e", "", {}, expression, Path("-"))
    if not spec:
        raise UsageError(f"name a canned query, a .rq file or pass -e SPARQL; canned: {', '.join(canned_queries())}")
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise DocumentError(spec, "no such query file")
        found = parse_query_file(path)
        return CannedQuery(spec, found.description, found.params, found.text, path)
    return get_canned(spec)


def parse_value(value: str) -> Node:
    """Typed RDF term for a --param value: <iri>, integer, decimal, true/false, else a plain string."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        iri = value[1:-1]
        if _BAD_IRI.search(iri):
            raise UsageError(f"bad --param value {value!r}: an IRI cannot contain spaces, control "
                             "characters or any of <>\"{}|^`\\")
        try:
            urlsplit(iri)  # an unbalanced [ of an IPv6 host, for one
        except ValueError as error:
            raise UsageError(f"bad --param value {value!r}: not a valid IRI ({error})") from None
        if not _SCHEME.match(iri):
            raise UsageError(f"bad --param value {value!r}: not an absolute IRI (it needs a scheme such as https:)")
        return URIRef(iri)
    if re.fullmatch(r"[+-]?\d+", value):
        return Literal(int(value))
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return Literal(Decimal(value))
    if value in ("true", "false"):
        return Literal(value == "true")
    return Literal(value)


def parse_params(pairs: list[str] | tuple[str, ...], query: CannedQuery) -> dict[str, Node]:
    """`key=value` strings → bindings, checked against the parameters the query declares."""
    bindings: dict[str, Node] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _VAR_NAME.match(key):
            raise UsageError(f"bad --param {pair!r}: expected key=value with a SPARQL variable name as key")
        if query.params and key not in query.params:
            raise UsageError(f"query {query.name!r} has no parameter {key!r}; valid: {', '.join(query.params)}")
        if not query.params and query.name in canned_queries():
            raise UsageError(f"query {query.name!r} takes no parameters")
        bindings[key] = parse_value(value)
    for name, text in query.params.items():
        default = _DEFAULT.search(text)
        if name not in bindings and default:
            bindings[name] = Literal(default.group(1).strip())
    missing = [name for name in query.params if name not in bindings]
    if missing:
        hints = "; ".join(f"{m}: {query.params[m]}" for m in missing)
        raise UsageError(f"query {query.name!r} needs --param {missing[0]}=... ({hints})")
    return bindings


def is_update(sparql: str) -> bool:
    """True when the text (after comments and prefixes) is a SPARQL Update."""
    rest = sparql[_PROLOGUE.match(sparql).end():]
    return bool(_UPDATE.match(rest))


def uses_service(sparql: str) -> bool:
    """True when the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(mask(sparql)))


def run(backend: Backend, query: CannedQuery, bindings: dict[str, Node] | None = None,
        allow_update: bool = False, allow_service: bool = False) -> QueryResult | None:
    """Run a query (or, only when allowed, an update, which returns None).

    SERVICE is refused unless allowed: it makes the store fetch from a server the query names, so a
    query someone hands you could reach hosts inside your network (SSRF) or tell a third party you ran it.
    """
    if not allow_service and uses_service(query.text):
        raise UsageError(f"{query.name} uses SERVICE, which fetches data from another server named in the "
                         "query; pass --allow-service if you trust that server")
    if is_update(query.text):
        if not allow_update:
            raise UsageError(f"{query.name} is a SPARQL Update; pass --update to let it change the store")
        if bindings:
            raise UsageError("--param cannot be used with an update")
        backend.update(query.text)
        return None
    return backend.query(query.text, bindings=bindings or None)


STATS_QUERY = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances) ?class
"""


def stats(backend: Backend) -> dict[str, int]:
    """Instances per class (union graph), plus the named-graph and quad counts."""
    counts = {"graphs": len(backend.graph_names()), "quads": backend.triple_count()}
    for row in backend.query(STATS_QUERY).rows:
        counts[local_name(row["class"])] = int(row["instances"])
    return counts


_ALL_NAMES = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE { ?e iokg:nameKey ?k ; rdfs:label ?name }
"""
_LABEL_OF = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?key ?label WHERE { ?e iokg:nameKey ?key ; rdfs:label ?label } ORDER BY ?label LIMIT 1
"""


def resolve_names(backend: Backend, query: CannedQuery, bindings: dict[str, Node]) -> tuple[dict[str, Node], list[str]]:
    """Bindings with every name parameter resolved (countries to their ISO code from any spelling,
    organisations and stance targets to their stored name from any case or alias), and a note per
    name that matched nothing, naming the closest known names."""
    from kg.graph.names import COUNTRY_PARAMS, ENTITY_PARAMS, closest, closest_countries, resolve_country

    resolved, notes = dict(bindings), []
    for key, value in bindings.items():
        if not isinstance(value, Literal) or not str(value).strip():
            continue
        text = str(value)
        if key in COUNTRY_PARAMS:
            code = resolve_country(text)
            if code is not None:
                resolved[key] = Literal(code)
            else:
                hint = ", ".join(closest_countries(text)) or "none"
                notes.append(f"no country called {text!r}; closest names: {hint}")
        elif key in ENTITY_PARAMS:
            rows = backend.query(_LABEL_OF, bindings={"key": Literal(text.lower())}).rows
            if rows:
                resolved[key] = Literal(str(rows[0]["label"]))
            else:
                known = [str(row["name"]) for row in backend.query(_ALL_NAMES).rows]
                hint = ", ".join(closest(text, known)) or "none"
                notes.append(f"no organisation, party or person called {text!r} in the store; closest names: {hint}")
    return resolved, notes
