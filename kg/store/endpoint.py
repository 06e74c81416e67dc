"""A Backend over any SPARQL 1.1 server: the Protocol for query and update, the Graph Store HTTP
Protocol for named graphs (PUT replaces a graph, so re-ingesting a document stays idempotent).

Hand-written on requests rather than SPARQLWrapper because SPARQLWrapper has no Graph Store HTTP Protocol
(GET/PUT/POST/DELETE of named graphs); retries are urllib3's `Retry`, result parsing is rdflib's.
Credentials come from the environment and never reach output, logs or error messages; every failure
becomes a one-line kg.errors.EndpointError naming the endpoint without them.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from rdflib.term import Node
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from kg.store.backend import Backend, QueryResult
from kg.store.endpoint_wire import accept_for, nt_iri, nt_term, parse_answer, with_values
from kg.errors import EndpointError, IokgError, QueryError, UsageError
from kg.out.sanitize import redact, redact_bytes, register_secret

RETRY_STATUS = frozenset({429, 502, 503, 504})
NAMED_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT_ONLY = "WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")  # RFC 6750 b64token


class EndpointUnreachable(EndpointError):
    """No connection could be made at all (refused, unknown host): retrying other graphs is pointless."""


class EndpointRefused(EndpointError):
    """The server turned the request away (401, 403, 404): every similar request will fail the same way."""


def strip_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without user:password@ (and the two parts); anything but a well-formed http(s) URL is an EndpointError."""
    try:
        parts = urlsplit(url.strip())
        port, hostname = parts.port, parts.hostname
        user, password = (unquote(part) if part else None for part in (parts.username, parts.password))
    except ValueError as error:  # bad port, unbalanced [ of an IPv6 host
        raise EndpointError(f"not a valid SPARQL endpoint URL {redact_url(url)!r} ({error})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise EndpointError(f"not an http(s) SPARQL endpoint URL: {redact_url(url)!r}")
    netloc = hostname if ":" not in hostname else f"[{hostname}]"
    if port:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), user, password


def redact_url(url: str) -> str:
    """The URL as error messages show it: no user info (anything up to an '@') and no query string or fragment
    (which may hold a key). Plain string work: it must also cope with URLs too broken to parse."""
    scheme, sep, rest = url.strip().partition("://")
    rest = (rest if sep else scheme).split("?", 1)[0].split("#", 1)[0]
    rest = rest.rsplit("@", 1)[-1]
    return f"{scheme}://{rest}" if sep else rest


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


def check_credentials(user: str | None, password: str | None, token: str | None, auth: str) -> None:
    """Refuse credentials that cannot go into an HTTP header (CR/LF, controls, a token outside RFC 6750)
    before anything is sent, with a message that never shows them."""
    for name, value in (("IOKG_ENDPOINT_USER", user), ("IOKG_ENDPOINT_PASSWORD", password)):
        if value and any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in value):
            raise EndpointError(f"{name} contains a line break or control character; remove it")
    if user and ":" in user:
        raise EndpointError("IOKG_ENDPOINT_USER cannot contain ':' (HTTP Basic would split it there)")
    if auth == "digest" and user and not user.isascii():
        raise EndpointError("IOKG_ENDPOINT_USER must be ASCII for digest authentication")
    if token and not _TOKEN_CHARS.fullmatch(token):
        raise EndpointError("IOKG_ENDPOINT_TOKEN contains characters a bearer token cannot hold "
                            "(a stray line break or space?); only letters, digits and -._~+/= are allowed")


def retry_policy(retries: int, backoff: float, idempotent: bool) -> Retry:
    """urllib3's Retry: connection failures always (nothing was sent); read failures and 429/502/503/504 only
    for idempotent requests. Retry-After is ignored so a hostile server cannot make iokg sleep for hours."""
    return Retry(total=retries, connect=retries, read=retries if idempotent else False,
                 status=retries if idempotent else 0, other=0, redirect=0,
                 allowed_methods=None,
                 status_forcelist=RETRY_STATUS if idempotent else (), backoff_factor=backoff,
                 respect_retry_after_header=False, raise_on_status=False, raise_on_redirect=False)


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
        if auth not in ("auto", "basic", "digest"):
            raise UsageError(f"unknown endpoint auth {auth!r}; valid: auto, basic, digest")
        register_secret(password, user)
        register_secret(token)
        check_credentials(user, password, token, auth)
        self._auth_mode = auth
        self._credentials = (user, password)
        self._auth: HTTPBasicAuth | HTTPDigestAuth | None = None
        if user and password and auth != "auto":
            self._auth = self._make_auth(auth)
        self._token = token
        self._sessions: dict[bool, requests.Session] = {}
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

    def _make_auth(self, scheme: str) -> HTTPBasicAuth | HTTPDigestAuth:
        """Basic sends UTF-8 (RFC 7617; requests would encode Latin-1 and fail on other passwords)."""
        user, password = self._credentials
        if scheme == "digest":
            return HTTPDigestAuth(user, password)
        return HTTPBasicAuth(user.encode("utf-8"), password.encode("utf-8"))

    def _session(self, idempotent: bool) -> requests.Session:
        """A pooled session whose adapter retries per `retry_policy` (built on first use, so retries and
        backoff can still be changed after construction)."""
        session = self._sessions.get(idempotent)
        if session is None:
            session = self._sessions[idempotent] = requests.Session()
            adapter = HTTPAdapter(max_retries=retry_policy(self.retries, self.backoff, idempotent))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            if self._token:
                session.headers["Authorization"] = f"Bearer {self._token}"
        return session

    def _fail(self, reason: str, cls: type[IokgError] = EndpointError, url: str | None = None) -> IokgError:
        where = redact_url(url) if url else self.label
        return cls(f"SPARQL endpoint {where}: {reason}")

    def _answer_challenge(self, response: requests.Response) -> bool:
        """Auto mode: the first 401 picks Basic or Digest (Virtuoso asks for Digest) from its challenge."""
        challenge = response.headers.get("WWW-Authenticate", "").lower()
        if self._auth_mode != "auto" or self._auth is not None or not all(self._credentials):
            return False
        if challenge.startswith("digest") or challenge.startswith("basic"):
            self._auth = self._make_auth(challenge.split()[0])
            return True
        return False

    def _send(
        self, method: str, url: str, *, idempotent: bool, on_400: type[IokgError] = QueryError, **kwargs
    ) -> requests.Response:
        """One HTTP exchange; urllib3 retries it (see `retry_policy`) and every failure becomes a one-line error.

        `on_400` is the error class for a rejected request: a query error for SPARQL text, an endpoint
        error for graph data (which iokg wrote itself).
        """
        for _ in range(2):  # a second time only to answer an authentication challenge
            response = self._exchange(method, url, idempotent, kwargs)
            if not (response.status_code == 401 and self._answer_challenge(response)):
                break
        return self._check(response, url, on_400)

    def _exchange(self, method: str, url: str, idempotent: bool, kwargs: dict) -> requests.Response:
        connect = min(10.0, self.timeout)
        try:
            return self._session(idempotent).request(method, url, auth=self._auth, timeout=(connect, self.timeout),
                                                     **kwargs)
        except requests.exceptions.ConnectTimeout:
            raise self._fail(f"no connection within {connect:g}s", EndpointUnreachable, url) from None
        except requests.exceptions.Timeout:
            raise self._fail(f"no answer within {self.timeout:g}s", url=url) from None
        except requests.exceptions.ConnectionError as exc:
            raise self._connection_error(exc, url) from None
        except (requests.exceptions.RequestException, ValueError, UnicodeError) as exc:
            # invalid URL, header or encoding: never echo the exception, it may quote a header value
            raise self._fail(f"request could not be sent ({type(exc).__name__})", url=url) from None

    def _connection_error(self, exc: Exception, url: str) -> IokgError:
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, ReadTimeoutError):
            return self._fail(f"no answer within {self.timeout:g}s", url=url)
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
        # redacted as bytes before decoding, so an echoed credential goes in whatever encoding it came back
        detail = " ".join(redact(redact_bytes(response.content).decode("utf-8", "replace")).split())[:160]
        if status in (401, 403):
            hint = "set IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD or IOKG_ENDPOINT_TOKEN"
            sent = self._auth is not None or self._token is not None
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
        return parse_answer(response.content, response.headers.get("Content-Type"), self.label)

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
        """One named graph's N-Triples, each line given the graph as fourth term."""
        suffix = f" {nt_iri(graph_iri)} .\n"
        lines = (line.strip() for line in self.graph_ntriples(graph_iri).decode("utf-8").splitlines())
        return "".join(line[:-1].rstrip() + suffix for line in lines if line.endswith("."))

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One named graph via Graph Store GET as N-Triples (re-serialised by rdflib if the server sends another syntax)."""
        response = self._send("GET", self.store_url, idempotent=True, on_400=EndpointError,
                              params={"graph": graph_iri}, headers={"Accept": "application/n-triples"})
        mime = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if mime in ("application/n-triples", "text/plain"):
            try:
                response.content.decode("utf-8")
            except UnicodeDecodeError:
                raise self._fail("graph store answered N-Triples that are not UTF-8", url=self.store_url) from None
            return response.content
        graph = parse_answer(response.content, mime, self.label).graph
        if graph is None:
            raise self._fail(f"graph store answered {mime} for a graph", url=self.store_url)
        return graph.serialize(format="nt", encoding="utf-8")

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
        for session in self._sessions.values():
            session.close()
