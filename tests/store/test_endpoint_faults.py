"""Faults against real processes: a port nobody listens on, a killed Oxigraph server, and a loopback
HTTP server answering 401, 403, 404, 500, 503, garbage and too slowly. Every failure must be a one-line
EndpointError naming the endpoint and never showing the credentials."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from rdflib import Literal, URIRef

from kg.store.endpoint import EndpointBackend, EndpointUnreachable
from kg.errors import EndpointError, QueryError
from tests.servers import fault_server, free_port, oxigraph_server  # noqa: F401

pytestmark = pytest.mark.server

USER, PASSWORD, TOKEN = "analyst7", "pa55-w0rd-SECRET", "tok-SECRET-bearer-123"
SECRETS = (PASSWORD, TOKEN, "analyst7:")


def backend(url: str, **env: str) -> EndpointBackend:
    """A backend configured from an explicit environment, with quick retries so tests stay short."""
    settings = {"IOKG_ENDPOINT_TIMEOUT": "5", "IOKG_ENDPOINT_RETRIES": "2", **env}
    ep = EndpointBackend.from_env(url, environ=settings)
    ep.backoff = 0.05
    return ep


def assert_clean(error: Exception, url_part: str) -> None:
    """One line, names the endpoint, leaks no secret."""
    text = str(error)
    assert "\n" not in text
    assert url_part in text
    for secret in SECRETS:
        assert secret not in text


def test_nothing_listening_is_refused_after_retries():
    port = free_port()
    ep = backend(f"http://127.0.0.1:{port}", IOKG_ENDPOINT_PASSWORD=PASSWORD, IOKG_ENDPOINT_USER=USER)
    started = time.monotonic()
    with pytest.raises(EndpointUnreachable) as info:
        ep.query("ASK {}")
    assert time.monotonic() - started >= 0.1  # urllib3's back-off: at once, then 2 x 0.05 s
    assert "connection refused" in str(info.value)
    assert info.value.exit_code == 5
    assert_clean(info.value, f"127.0.0.1:{port}")


def test_credentials_in_url_never_shown(fault_server):
    host = fault_server.url.replace("http://", "")
    ep = backend(f"http://{USER}:{PASSWORD}@{host}/unauthorized/query")
    assert PASSWORD not in ep.label and USER not in ep.label
    with pytest.raises(EndpointError) as info:
        ep.query("ASK {}")
    assert "HTTP 401" in str(info.value) and "refused" in str(info.value)
    assert_clean(info.value, host)
    # the credentials were sent (as Basic, the scheme the server asked for), not dropped
    assert any("Basic " in seen[2].get("Authorization", "") for seen in fault_server.seen)


def test_401_without_credentials_says_they_are_required(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/unauthorized/query").query("ASK {}")
    assert "required" in str(info.value) and "IOKG_ENDPOINT_USER" in str(info.value)


def test_403_with_bearer_token(fault_server):
    ep = backend(fault_server.url + "/forbidden/query", IOKG_ENDPOINT_TOKEN=TOKEN)
    with pytest.raises(EndpointError) as info:
        ep.update("CLEAR ALL")
    assert "HTTP 403" in str(info.value)
    assert_clean(info.value, fault_server.url)
    assert fault_server.seen[-1][2]["Authorization"] == f"Bearer {TOKEN}"


def test_404_names_the_url(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/missing/query").query("SELECT * { ?s ?p ?o }")
    assert "HTTP 404" in str(info.value)
    assert_clean(info.value, "/missing/query")


def test_500_is_reported_once_and_not_retried(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/broken/query").query("SELECT * { ?s ?p ?o }")
    assert "HTTP 500" in str(info.value) and "internal failure" in str(info.value)
    assert_clean(info.value, fault_server.url)
    assert len(fault_server.seen) == 1


def test_503_is_retried_with_back_off_then_succeeds(fault_server):
    result = backend(fault_server.url + "/flaky/query").query("SELECT ?x {}")
    assert [row["x"] for row in result.rows] == [Literal("ok")]
    assert len(fault_server.seen) == 3


def test_update_is_not_retried_after_503(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/flaky/query").update("CLEAR ALL")
    assert "HTTP 503" in str(info.value)
    assert len(fault_server.seen) == 1


def test_garbage_answer_is_malformed(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/garbage/query").query("SELECT * { ?s ?p ?o }")
    assert "malformed" in str(info.value)
    assert_clean(info.value, fault_server.url)


def test_html_answer_is_unsupported_content(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/html/query").query("SELECT * { ?s ?p ?o }")
    assert "text/html" in str(info.value)


def test_timeout(fault_server):
    ep = backend(fault_server.url + "/slow/query", IOKG_ENDPOINT_TIMEOUT="0.5", IOKG_ENDPOINT_RETRIES="0")
    with pytest.raises(EndpointError) as info:
        ep.query("ASK {}")
    assert "no answer within 0.5s" in str(info.value)


def test_secrets_stay_out_of_logs(fault_server, caplog):
    caplog.set_level(logging.DEBUG)
    host = fault_server.url.replace("http://", "")
    ep = backend(f"http://{host}/unauthorized/query", IOKG_ENDPOINT_USER=USER, IOKG_ENDPOINT_PASSWORD=PASSWORD)
    with pytest.raises(EndpointError):
        ep.put_graph("https://w3id.org/iokg/id/doc/x", b"<http://ex/a> <http://ex/b> <http://ex/c> .\n")
    assert caplog.text  # urllib3 did log the exchange...
    for secret in SECRETS:
        assert secret not in caplog.text  # ...but not the credentials


def test_bad_query_is_a_query_error(oxigraph_server):
    with pytest.raises(QueryError) as info:
        backend(oxigraph_server.url).query("SELECT ?x WHERE { ?x ")
    assert info.value.exit_code == 6
    assert "HTTP 400" in str(info.value)


def test_server_killed_between_writes(oxigraph_server):
    """Graphs written before a crash are whole after restart; the write during the outage fails cleanly."""
    ep = backend(oxigraph_server.url)
    graphs = {f"https://w3id.org/iokg/id/doc/{i}": _triples(i, 200) for i in range(3)}
    for iri, data in list(graphs.items())[:2]:
        ep.put_graph(iri, data)
    oxigraph_server.kill()
    with pytest.raises(EndpointError) as info:
        ep.put_graph("https://w3id.org/iokg/id/doc/2", graphs["https://w3id.org/iokg/id/doc/2"])
    assert_clean(info.value, oxigraph_server.url)
    oxigraph_server.start()
    assert ep.graph_names() == sorted(graphs)[:2]
    assert ep.triple_count() == 400
    ep.put_graph("https://w3id.org/iokg/id/doc/2", graphs["https://w3id.org/iokg/id/doc/2"])
    assert ep.triple_count() == 600


def test_server_killed_during_a_put_leaves_no_half_graph(oxigraph_server):
    """SIGKILL while a large PUT is being stored: after restart the graph is absent or whole, never partial."""
    ep = backend(oxigraph_server.url, IOKG_ENDPOINT_RETRIES="0")
    big = _triples(9, 100_000)
    errors: list[Exception] = []
    writer = threading.Thread(target=lambda: _catch(errors, ep.put_graph, "http://ex/big", big))
    writer.start()
    time.sleep(1.0)
    oxigraph_server.kill()
    writer.join(30)
    oxigraph_server.start()
    count = ep.triple_count()
    assert count in (0, 100_000)
    if count == 0:  # the usual case: the write was cut off and reported
        assert len(errors) == 1 and isinstance(errors[0], EndpointError)
        assert_clean(errors[0], oxigraph_server.url)


def _catch(errors: list, func, *args) -> None:
    try:
        func(*args)
    except Exception as error:  # collected for the assertion in the main thread
        errors.append(error)


def test_bindings_cannot_inject(oxigraph_server):
    """A bound literal that looks like SPARQL stays one literal; a bad IRI is refused before sending."""
    ep = backend(oxigraph_server.url)
    ep.put_graph("http://ex/g", _triples(0, 3))
    evil = Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    result = ep.query("SELECT ?s ?name WHERE { ?s <http://ex/name> ?name }", {"name": evil})
    assert result.rows == ()
    assert ep.triple_count() == 3
    with pytest.raises(Exception) as info:
        ep.query("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://ex/a> } ; DROP ALL ; <x")})
    assert "not a valid IRI" in str(info.value)
    assert ep.triple_count() == 3


def _triples(doc: int, n: int) -> bytes:
    lines = [f'<http://ex/d{doc}/s{i}> <http://ex/name> "name {i}\\nof doc {doc}"@en .' for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


# --- through the command line and the ingest pipeline ----------------------------------------

SMALL_REPORTS = {
    "a_chile.txt": "We removed 12 Facebook accounts and 3 Pages from Chile. The network targeted Peru.",
    "b_ghana.txt": "We took down 40 Instagram accounts operated from Ghana that focused on Nigeria.",
    "c_poland.txt": "We removed 7 Facebook accounts and 2 Groups from Poland. They targeted Lithuania.",
    "d_kenya.txt": "We removed 19 Pages originating in Kenya that targeted audiences in Uganda.",
}


class KillingEndpoint(EndpointBackend):
    """The real EndpointBackend; just before write number `after`+1 (a graph PUT or POST or an update,
    whichever ingest uses) it SIGKILLs the server: a crash in the middle of an ingest."""

    def __init__(self, server, after: int):
        super().__init__(server.url + "/query", server.url + "/update", server.url + "/store", retries=1,
                         backoff=0.05)
        self.server, self.after, self.writes = server, after, 0

    def _before_write(self) -> None:
        if self.writes == self.after:
            self.server.kill()
        self.writes += 1

    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        self._before_write()
        super().put_graph(graph_iri, ntriples)

    def add_to_graph(self, graph_iri: str, ntriples: bytes) -> None:
        self._before_write()
        super().add_to_graph(graph_iri, ntriples)

    def update(self, sparql: str) -> None:
        self._before_write()
        super().update(sparql)


def test_server_killed_mid_ingest_then_rerun_finishes(oxigraph_server, tmp_path, nlp_rules):
    from click.testing import CliRunner

    from kg.cli.main import cli
    from kg.store.ingest import ingest_paths
    from kg.store.embedded import EmbeddedStore
    from kg.graph.iris import OPERATIONS_GRAPH

    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in SMALL_REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with KillingEndpoint(oxigraph_server, after=5) as remote:  # kill-chain PUT, then per document: entities POST, graph PUT
        report = ingest_paths([folder], remote, nlp_rules)
    assert report.documents == 2 and len(report.failures) == 2
    failed = sorted(path.rsplit("/", 1)[-1] for path, _ in report.failures)
    assert failed == ["c_poland.txt", "d_kenya.txt"]
    assert all("connection refused" in reason for _, reason in report.failures)

    oxigraph_server.start()
    with EmbeddedStore(tmp_path / "reference") as reference:
        ingest_paths(sorted(folder.iterdir())[:2], reference, nlp_rules)
        reference.delete_graph(str(OPERATIONS_GRAPH))  # derived; the crashed run could not recompute it
        with backend(oxigraph_server.url) as remote:
            assert report.operations_error and str(OPERATIONS_GRAPH) not in remote.graph_names()
            assert remote.graph_names() == reference.graph_names()  # the two written before the crash...
            assert remote.triple_count() == reference.triple_count()  # ...are complete

    result = CliRunner().invoke(cli, ["ingest", str(folder), "--model", "none", "--endpoint", oxigraph_server.url])
    assert result.exit_code == 0, result.output
    assert "4 documents" in result.output and "(2 unchanged)" in result.output
    with EmbeddedStore(tmp_path / "complete") as complete, backend(oxigraph_server.url) as remote:
        ingest_paths([folder], complete, nlp_rules)
        assert remote.graph_names() == complete.graph_names()  # the job is finished: all four documents
        assert remote.triple_count() == complete.triple_count()


def test_cli_query_against_nothing_listening_is_one_line_exit_5():
    from click.testing import CliRunner

    from kg.cli.main import cli

    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["query", "networks", "--endpoint", url], env={"IOKG_ENDPOINT_RETRIES": "0"})
    assert result.exit_code == 5
    assert result.output.count("\n") == 1 and "connection refused" in result.output and url in result.output


def test_cli_stats_against_garbage_is_one_line_exit_5(fault_server):
    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["stats", "--endpoint", fault_server.url + "/garbage/query"])
    assert result.exit_code == 5
    assert result.output.count("\n") == 1 and "malformed" in result.output


def test_dump_from_a_server_answering_nonsense_is_a_clean_error(fault_server):
    with pytest.raises(EndpointError) as info:
        backend(fault_server.url + "/ok/query").dump_nquads()
    assert_clean(info.value, fault_server.url)
