"""EndpointBackend against a real Oxigraph server: URL layouts, settings from the environment, escaping
of bound terms, result formats, and the same answers as the embedded store on the same data."""
from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from kg.store.endpoint import EndpointBackend, redact_url, service_urls, strip_credentials
from kg.store.endpoint_wire import parse_results, query_form, with_values
from kg.errors import EndpointError, UsageError
from kg.store.embedded import EmbeddedStore
from tests.servers import oxigraph_server  # noqa: F401

EX = "http://example.org/"
DOC_A = f"""<{EX}net1> <http://www.w3.org/2000/01/rdf-schema#label> "Network one"@en .
<{EX}net1> <{EX}origin> <{EX}ES> .
<{EX}net1> <{EX}count> "118"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{EX}net1> <{EX}quote> "He said \\"hi\\"\\nthen left \\\\ {{ }}" .
""".encode()
DOC_B = f"""<{EX}net2> <http://www.w3.org/2000/01/rdf-schema#label> "Network two" .
<{EX}net2> <{EX}origin> <{EX}ES> .
<{EX}net2> <{EX}origin> <{EX}SV> .
<{EX}net2> <{EX}count> "40"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{EX}net2> <{EX}spend> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .
""".encode()
GRAPHS = {EX + "doc/a": DOC_A, EX + "doc/b": DOC_B}


@pytest.fixture
def endpoint(oxigraph_server):
    with EndpointBackend.from_env(oxigraph_server.url, environ={}) as ep:
        yield ep


@pytest.fixture
def filled(endpoint, tmp_path):
    """The same two graphs in the server and in an embedded store."""
    store = EmbeddedStore(tmp_path / "store")
    for iri, data in GRAPHS.items():
        endpoint.put_graph(iri, data)
        store.put_graph(iri, data)
    yield endpoint, store
    store.close()


# --- configuration ---------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("http://h:7878", ("/query", "/update", "/store")),
    ("http://h:7878/query", ("/query", "/update", "/store")),
    ("http://h:3030/ds/sparql", ("/ds/sparql", "/ds/update", "/ds/data")),
    ("http://h:3030/ds", ("/ds", "/ds", "/ds")),
    ("http://h:7200/repositories/iokg", ("/repositories/iokg", "/repositories/iokg/statements",
                                         "/repositories/iokg/rdf-graphs/service")),
    ("http://h:8890/sparql", ("/sparql", "/sparql", "/sparql-graph-crud")),
])
def test_service_urls_follow_each_server_layout(url, expected):
    assert tuple(u.replace("http://h:" + url.split(":")[2].split("/")[0], "") for u in service_urls(url)) == expected


def test_virtuoso_with_credentials_uses_its_auth_services():
    assert service_urls("http://h:8890/sparql", authenticated=True)[1:] == (
        "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth")


def test_split_urls_and_credentials_from_environment():
    env = {"IOKG_ENDPOINT_UPDATE": "http://u:1/up", "IOKG_ENDPOINT_STORE": "http://s:2/gsp",
           "IOKG_ENDPOINT_USER": "alice", "IOKG_ENDPOINT_PASSWORD": "wonderland", "IOKG_ENDPOINT_TIMEOUT": "7"}
    ep = EndpointBackend.from_env("http://q:3/sparql/query", environ=env)
    assert (ep.query_url, ep.update_url, ep.store_url) == ("http://q:3/sparql/query", "http://u:1/up", "http://s:2/gsp")
    assert ep.timeout == 7.0
    assert "alice" not in repr(vars(ep).get("label")) and "wonderland" not in ep.label


def test_credentials_in_the_url_are_moved_out_of_it():
    ep = EndpointBackend.from_env("http://bob:hunter22@127.0.0.1:9/query?key=abc", environ={})
    assert ep.label == "http://127.0.0.1:9/query"
    assert "hunter22" not in ep.query_url and "bob" not in ep.query_url
    assert redact_url("https://u:p@h/x?token=t") == "https://h/x"
    assert strip_credentials("http://a%40b:p%3Ass@h/")[1:] == ("a@b", "p:ss")


@pytest.mark.parametrize("url", ["ftp://h/sparql", "not a url", "http:///nohost"])
def test_bad_urls_are_endpoint_errors(url):
    with pytest.raises(EndpointError):
        EndpointBackend.from_env(url, environ={})


def test_bad_numbers_in_environment():
    with pytest.raises(UsageError, match="IOKG_ENDPOINT_TIMEOUT"):
        EndpointBackend.from_env("http://h/", environ={"IOKG_ENDPOINT_TIMEOUT": "soon"})


@pytest.mark.parametrize("env", [
    {"IOKG_ENDPOINT_USER": "alice"},
    {"IOKG_ENDPOINT_PASSWORD": "wonderland"},
    {"IOKG_ENDPOINT_USER": "alice", "IOKG_ENDPOINT_PASSWORD": "wonderland", "IOKG_ENDPOINT_TOKEN": "t0ken"},
])
def test_incomplete_or_conflicting_credentials(env):
    with pytest.raises(UsageError) as info:
        EndpointBackend.from_env("http://h/", environ=env)
    assert "wonderland" not in str(info.value) and "t0ken" not in str(info.value)


def test_no_endpoint_at_all():
    with pytest.raises(UsageError, match="--endpoint"):
        EndpointBackend.from_env(None, environ={})


# --- VALUES placement ------------------------------------------------------------------

def test_values_opens_the_where_group_past_strings_comments_and_templates():
    query = ('PREFIX ex: <http://e/{x}> # a { comment\n'
             'CONSTRUCT { ?s ex:p "}{" } WHERE { ?s ?p ?o FILTER(?o != "{") }')
    out = with_values(query, {"s": URIRef("http://e/a")})
    assert out.index("VALUES (?s) { (<http://e/a>) }") > out.index("WHERE {")
    assert query_form(query) == "CONSTRUCT"
    assert query_form("# SELECT in a comment\nASK { }") == "ASK"


def test_bad_variable_names_and_terms_are_refused():
    with pytest.raises(UsageError):
        with_values("SELECT * { ?s ?p ?o }", {"s p": URIRef("http://e/a")})
    with pytest.raises(UsageError):
        with_values("SELECT * { ?s ?p ?o }", {"s": "plain python string"})
    with pytest.raises(UsageError):
        with_values("SELECT * { ?s ?p ?o }", {"s": Literal("x", datatype=URIRef("http://bad iri/"))})


# --- real server -----------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, lang=st.sampled_from([None, "en", "es-SV"]))
def test_any_bound_literal_comes_back_unchanged(endpoint, text, lang):
    """Quotes, backslashes, braces, newlines, control and non-BMP characters survive the VALUES round trip."""
    literal = Literal(text, lang=lang)
    result = endpoint.query("SELECT ?x ?len WHERE { BIND(STRLEN(?x) AS ?len) }", {"x": literal})
    assert result.rows == ({"x": literal, "len": Literal(len(text), datatype=XSD.integer)},)


def test_put_is_idempotent_and_delete_removes(endpoint):
    for _ in range(2):
        for iri, data in GRAPHS.items():
            endpoint.put_graph(iri, data)
    assert endpoint.triple_count() == 9
    assert endpoint.graph_names() == sorted(GRAPHS)
    endpoint.put_graph(EX + "doc/a", DOC_A.splitlines(keepends=True)[0])  # replacing shrinks it
    assert endpoint.triple_count() == 6
    endpoint.delete_graph(EX + "doc/b")
    endpoint.delete_graph(EX + "doc/b")  # absent graph: no error
    assert endpoint.graph_names() == [EX + "doc/a"]


def test_query_forms(filled):
    endpoint, _ = filled
    assert endpoint.query(f"ASK {{ <{EX}net2> ?p ?o }}").boolean is True
    graph = endpoint.query(f"CONSTRUCT {{ ?s <{EX}origin> ?o }} WHERE {{ ?s <{EX}origin> ?o }}").graph
    assert len(graph) == 3
    assert endpoint.query(f"DESCRIBE <{EX}net1>").kind == "graph"


def test_xml_results_parse_like_json(filled, oxigraph_server):
    endpoint, _ = filled
    query = f"SELECT ?s ?l WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?s"
    answer = requests.post(oxigraph_server.url + "/query", data={"query": query, "union-default-graph": ""},
                           headers={"Accept": "application/sparql-results+xml"}, timeout=10)
    assert parse_results(answer.content, "xml") == endpoint.query(query)


QUERIES = [
    (f"SELECT ?s ?l WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?s", None),
    (f"SELECT ?o (COUNT(?s) AS ?n) (SUM(?c) AS ?total) WHERE {{ ?s <{EX}origin> ?o ; <{EX}count> ?c }} "
     f"GROUP BY ?o ORDER BY ?o", None),
    (f"SELECT ?o (COUNT(?s) AS ?n) WHERE {{ ?s <{EX}origin> ?o }} GROUP BY ?o", {"o": URIRef(EX + "SV")}),
    (f"SELECT ?s ?q WHERE {{ ?s <{EX}quote> ?q }}", {"q": Literal('He said "hi"\nthen left \\ { }')}),
    (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g ORDER BY ?g", None),
    (f"SELECT ?s ?spend WHERE {{ ?s <{EX}spend> ?spend }}", {"spend": Literal("1.50", datatype=XSD.decimal)}),
    (f"SELECT ?s ?min WHERE {{ ?s <{EX}count> ?c FILTER(?c > ?min) }}", {"min": Literal(50)}),
]


@pytest.mark.parametrize("query, bindings", QUERIES)
def test_same_rows_as_the_embedded_store(filled, query, bindings):
    endpoint, store = filled
    remote, local = endpoint.query(query, bindings), store.query(query, bindings)
    assert remote.rows == local.rows and remote.variables == local.variables
    assert remote.rows  # every query here has an answer, so equality is not vacuous


def test_dump_and_count_match_the_embedded_store(filled):
    endpoint, store = filled
    remote, local = Dataset(), Dataset()
    remote.parse(data=endpoint.dump_nquads(), format="nquads")
    local.parse(data=store.dump_nquads(), format="nquads")
    assert set(remote.quads()) == set(local.quads())
    assert endpoint.triple_count() == store.triple_count() == 9


def test_dump_falls_back_to_select_when_the_graph_store_cannot_be_read(filled, oxigraph_server):
    endpoint, store = filled
    env = {"IOKG_ENDPOINT_STORE": oxigraph_server.url + "/no-graph-store-here"}
    with EndpointBackend.from_env(oxigraph_server.url, environ=env) as odd:
        assert odd.dump_nquads() != b""
        remote, local = Dataset(), Dataset()
        remote.parse(data=odd.dump_nquads(), format="nquads")
        local.parse(data=store.dump_nquads(), format="nquads")
        assert set(remote.quads()) == set(local.quads())
