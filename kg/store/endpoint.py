"""A Backend over any SPARQL 1.1 server: the Protocol for query and update, the Graph Store HTTP
Protocol for named graphs (PUT replaces a graph, so re-ingesting a document stays idempotent).

Credentials come from the environment and never reach output, logs or error messages; every failure
becomes a one-line kg.errors.EndpointError naming the endpoint without them.
"""
from __future__ import annotations

import os
import time
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from rdflib.term import Node

from kg.store.backend import Backend, QueryResult
from kg.store.endpoint_wire import accept_for, nt_iri, nt_term, parse_answer, with_values
from kg.errors import EndpointError, IokgError, QueryError, UsageError

RETRY_STATUS = {429, 502, 503, 504}
NAMED_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT_ONLY = "WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"


class EndpointUnreachable(EndpointError):
    """No connection could be made at all (refused, unknown host): retrying other graphs is pointless."""


class EndpointRefused(EndpointError):
    """The server turned the request away (401, 403, 404): every similar request will fail the same way."""


def strip_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without user:password@ (and the two parts), refusing anything but http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not an http(s) SPARQL endpoint URL: {redact_url(url)!r}")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    user, password = (unquote(part) if part else None for part in (parts.username, parts.password))
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), user, password


def redact_url(url: str) -> str:
    """The URL as error messages show it: no user info and no query string (which may hold a key)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def service_urls(url: str, authenticated: bool = False) -> tuple[str, str, str]:
    """Query, update and graph-store URLs guessed from one URL, following each server's usual layout."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path in ("", "/query"):  # Oxigraph server root
        return at("/query"), at("/update"), at("/store")
    if path == "/sparql":  # Virtuoso; its authenticated services use digest
        if authenticated:
            return at("/sparql"), at("/sparql-auth"), at("/sparql-graph-crud-auth")
        return at("/sparql"), at("/sparql"), at("/sparql-graph-crud")
    if "/repositories/" in path:  # GraphDB and RDF4J
        return url, at(path + "/statements"), at(path + "/rdf-graphs/service")
    for suffix in ("/query", "/sparql"):  # a Fuseki dataset service
        if path.endswith(suffix):
            base = path[: -len(suffix)]
            return url, at(base + "/update"), at(base + "/data")
    return url, url, url  # one URL for everything (a Fuseki dataset URL)


class EndpointBackend(Backend):
    """A remote SPARQL 1.1 server used exactly like the embedded store."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: str = "auto",
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.25,
        union_param: str | None = "union-default-graph",
    ):
        self.query_url, user_q, pass_q = strip_credentials(query_url)
        self.update_url = strip_credentials(update_url or self.query_url)[0]
        self.store_url = strip_credentials(store_url or self.query_url)[0]
        self.label = redact_url(self.query_url)
        user, password = user or user_q, password or pass_q
        self._secrets = [s for s in (password, token) if s and len(s) >= 3]
        if auth not in ("auto", "basic", "digest"):
            raise UsageError(f"unknown endpoint auth {auth!r}; valid: auto, basic, digest")
        self._auth_mode = auth
        self._auth: HTTPBasicAuth | HTTPDigestAuth | None = None
        if user and password and auth != "auto":
            self._auth = HTTPDigestAuth(user, password) if auth == "digest" else HTTPBasicAuth(user, password)
        self._credentials = (user, password)
        self._session = requests.Session()
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"
        self.timeout, self.retries, self.backoff = timeout, max(0, retries), backoff
        self.union_param = union_param or None

    @classmethod
    def from_env(cls, url: str | None = None, environ: Mapping[str, str] | None = None) -> "EndpointBackend":
        """A backend for `url` (or IOKG_ENDPOINT), with split URLs, credentials and limits from the environment."""
        env = os.environ if environ is None else environ
        url = url or env.get("IOKG_ENDPOINT")
        if not url:
            raise UsageError("no SPARQL endpoint given: pass --endpoint URL or set IOKG_ENDPOINT")
        bare, url_user, url_password = strip_credentials(url)
        user = env.get("IOKG_ENDPOINT_USER") or url_user
        password = env.get("IOKG_ENDPOINT_PASSWORD") or url_password
        token = env.get("IOKG_ENDPOINT_TOKEN")
        if bool(user) != bool(password):
            raise UsageError("set both IOKG_ENDPOINT_USER and IOKG_ENDPOINT_PASSWORD (or neither)")
        if token and user:
            raise UsageError("set either IOKG_ENDPOINT_TOKEN or IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD, not both")
        query, update, store = service_urls(bare, authenticated=bool(user and password))
        try:
            timeout = float(env.get("IOKG_ENDPOINT_TIMEOUT", "60"))
            retries = int(env.get("IOKG_ENDPOINT_RETRIES", "3"))
        except ValueError:
            raise UsageError("IOKG_ENDPOINT_TIMEOUT must be a number and IOKG_ENDPOINT_RETRIES an integer") from None
        return cls(
            env.get("IOKG_ENDPOINT_QUERY") or query,
            env.get("IOKG_ENDPOINT_UPDATE") or update,
            env.get("IOKG_ENDPOINT_STORE") or store,
            user=user,
            password=password,
            token=token,
            auth=env.get("IOKG_ENDPOINT_AUTH", "auto").lower(),
            timeout=timeout,
            retries=retries,
            union_param=env.get("IOKG_ENDPOINT_UNION_PARAM", "union-default-graph"),
        )

    # --- HTTP -----------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return " ".join(text.split())

    def _fail(self, reason: str, cls: type[IokgError] = EndpointError, url: str | None = None) -> IokgError:
        where = redact_url(url) if url else self.label
        return cls(self._redact(f"SPARQL endpoint {where}: {reason}"))

    def _answer_challenge(self, response: requests.Response) -> bool:
        """Auto mode: the first 401 picks Basic or Digest (Virtuoso asks for Digest) from its challenge."""
        challenge = response.headers.get("WWW-Authenticate", "").lower()
        if self._auth_mode != "auto" or self._auth is not None or not all(self._credentials):
            return False
        if challenge.startswith("digest"):
            self._auth = HTTPDigestAuth(*self._credentials)
        elif challenge.startswith("basic"):
            self._auth = HTTPBasicAuth(*self._credentials)
        else:
            return False
        return True

    def _send(
        self, method: str, url: str, *, idempotent: bool, on_400: type[IokgError] = QueryError, **kwargs
    ) -> requests.Response:
        """One HTTP exchange with retries and back-off: any request when nothing was sent, idempotent ones otherwise.

        `on_400` is the error class for a rejected request: a query error for SPARQL text, an endpoint
        error for graph data (which iokg wrote itself).
        """
        attempts, attempt = 1 + self.retries, 0
        while True:
            attempt += 1
            error: IokgError
            try:
                response = self._session.request(
                    method, url, auth=self._auth, timeout=(min(10.0, self.timeout), self.timeout), **kwargs
                )
            except requests.exceptions.ConnectTimeout:
                error = self._fail(f"no connection within {min(10.0, self.timeout):g}s", EndpointUnreachable, url)
            except requests.exceptions.Timeout:
                error = self._fail(f"no answer within {self.timeout:g}s", url=url)
                if not idempotent:
                    raise error from None
            except requests.exceptions.ConnectionError as exc:
                error = self._connection_error(exc, url)
                if not idempotent and not isinstance(error, EndpointUnreachable):
                    raise error from None
            else:
                if response.status_code == 401 and self._answer_challenge(response):
                    attempt -= 1
                    continue
                if response.status_code not in RETRY_STATUS or not idempotent:
                    return self._check(response, url, on_400)
                error = self._status_error(response, url, on_400)
            if attempt >= attempts:
                raise error from None
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def _connection_error(self, exc: Exception, url: str) -> IokgError:
        text = str(exc).lower()
        if "refused" in text:
            return self._fail("connection refused (is the server running?)", EndpointUnreachable, url)
        if "name or service not known" in text or "nodename nor servname" in text or "resolve" in text:
            return self._fail("unknown host", EndpointUnreachable, url)
        if "reset" in text or "aborted" in text or "remotedisconnected" in text:
            return self._fail("connection lost before the answer (server stopped or crashed?)", url=url)
        return self._fail("connection failed", EndpointUnreachable, url)

    def _check(self, response: requests.Response, url: str, on_400: type[IokgError]) -> requests.Response:
        if response.status_code < 300:
            return response
        raise self._status_error(response, url, on_400)

    def _status_error(self, response: requests.Response, url: str, on_400: type[IokgError]) -> IokgError:
        status = response.status_code
        detail = " ".join(response.text.split())[:160] if response.text else ""
        if status in (401, 403):
            hint = "set IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD or IOKG_ENDPOINT_TOKEN"
            sent = self._auth is not None or "Authorization" in self._session.headers
            given = "were refused" if sent else "are required"
            return self._fail(f"HTTP {status}, credentials {given} ({hint})", EndpointRefused, url)
        if status == 404:
            hint = "check the URL or IOKG_ENDPOINT_QUERY/UPDATE/STORE"
            return self._fail(f"HTTP 404 not found ({hint})", EndpointRefused, url)
        if status == 400:
            return self._fail(f"rejected the request (HTTP 400: {detail or 'no detail'})", on_400, url)
        if status >= 500:
            return self._fail(f"server error (HTTP {status}{': ' + detail if detail else ''})", url=url)
        return self._fail(f"unexpected HTTP {status}{': ' + detail if detail else ''}", url=url)

    # --- Backend --------------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a query over the SPARQL 1.1 Protocol (POST form); `bindings` become an escaped VALUES block.

        Like the embedded store, the default graph is the union of the named graphs: Oxigraph is asked
        for it with its `union-default-graph` parameter, Virtuoso and GraphDB do it by themselves.
        """
        return self._query(with_values(sparql, bindings) if bindings else sparql, union=True)

    def _query(self, text: str, union: bool) -> QueryResult:
        form = {"query": text}
        if union and self.union_param:
            form[self.union_param] = ""
        response = self._send(
            "POST", self.query_url, idempotent=True, data=form, headers={"Accept": accept_for(text)}
        )
        try:
            return parse_answer(response.content, response.headers.get("Content-Type"), self.label)
        except EndpointError as error:
            raise EndpointError(self._redact(str(error))) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (never retried once sent: it may not be idempotent)."""
        self._send("POST", self.update_url, idempotent=False, data={"update": sparql})

    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph with a Graph Store Protocol PUT (Turtle if the server refuses N-Triples)."""
        self._store_write("PUT", graph_iri, ntriples)

    def add_to_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Merge triples into one named graph with a Graph Store Protocol POST (retried: set semantics make it idempotent)."""
        self._store_write("POST", graph_iri, ntriples)

    def _store_write(self, method: str, graph_iri: str, ntriples: bytes) -> None:
        """A Graph Store PUT or POST of N-Triples, in Turtle if the server refuses N-Triples (HTTP 415)."""
        nt_iri(graph_iri)
        for mime in ("application/n-triples", "text/turtle"):
            try:
                self._send(
                    method, self.store_url, idempotent=True, on_400=EndpointError, params={"graph": graph_iri},
                    data=ntriples, headers={"Content-Type": mime},
                )
                return
            except EndpointError as error:
                if "HTTP 415" not in str(error) or mime == "text/turtle":
                    raise

    def delete_graph(self, graph_iri: str) -> None:
        """Drop a named graph with a Graph Store Protocol DELETE; a graph that is not there is fine."""
        nt_iri(graph_iri)
        try:
            self._send("DELETE", self.store_url, idempotent=True, on_400=EndpointError, params={"graph": graph_iri})
        except EndpointRefused as error:
            # 404 is the protocol's answer for an absent graph, but a wrong store URL says the same
            still_there = self._query(f"ASK {{ GRAPH {nt_iri(graph_iri)} {{ ?s ?p ?o }} }}", union=False).boolean
            if "HTTP 404" not in str(error) or still_there:
                raise

    def graph_names(self) -> list[str]:
        """IRIs of the non-empty named graphs (portable: no server keeps empty graphs the same way)."""
        rows = self._query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False).rows
        return sorted(str(row["g"]) for row in rows if "g" in row)

    def dump_nquads(self) -> bytes:
        """Every quad as N-Quads: the named graphs, then default-graph triples found in no named graph.

        Each named graph is fetched with a Graph Store GET as N-Triples (light to read); a server
        whose graph store cannot answer that is read with one SELECT over all graphs instead.
        """
        try:
            named = [self._graph_nquads(name) for name in self.graph_names()]
        except (EndpointUnreachable, QueryError):
            raise
        except EndpointError:
            named = [self._select_nquads(NAMED_QUADS, ("s", "p", "o", "g"))]
        default = self._select_nquads("SELECT ?s ?p ?o " + DEFAULT_ONLY, ("s", "p", "o"))
        return ("".join(named) + default).encode("utf-8")

    def _graph_nquads(self, graph_iri: str) -> str:
        """One named graph via Graph Store GET, each N-Triples line given the graph as fourth term."""
        response = self._send("GET", self.store_url, idempotent=True, on_400=EndpointError,
                              params={"graph": graph_iri}, headers={"Accept": "application/n-triples"})
        mime = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if mime in ("application/n-triples", "text/plain"):
            text = response.content.decode("utf-8")
        else:
            graph = parse_answer(response.content, mime, self.label).graph
            if graph is None:
                raise self._fail(f"graph store answered {mime} for a graph", url=self.store_url)
            text = graph.serialize(format="nt")
        suffix = f" {nt_iri(graph_iri)} .\n"
        lines = (line.strip() for line in text.splitlines())
        return "".join(line[:-1].rstrip() + suffix for line in lines if line.endswith("."))

    def _select_nquads(self, sparql: str, variables: tuple[str, ...]) -> str:
        rows = self._query(sparql, union=False).rows
        try:
            return "".join(" ".join(nt_term(row[v], allow_bnode=True) for v in variables) + " .\n" for row in rows)
        except (KeyError, UsageError):
            raise self._fail("answered a quad query with incomplete or invalid terms") from None

    def triple_count(self) -> int:
        """Quads in named graphs plus default-graph triples in no named graph (right for union-default servers too)."""
        named = self._query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        default = self._query("SELECT (COUNT(*) AS ?n) " + DEFAULT_ONLY, union=False)
        try:
            return sum(int(result.rows[0]["n"]) for result in (named, default))
        except (IndexError, KeyError, ValueError):
            raise self._fail("answered a COUNT query without a number") from None

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()
