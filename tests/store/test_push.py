"""`push` copies the embedded store's named graphs to a real Oxigraph server: the same quads, the same
canned-query rows, idempotent, and clean failures when the server is missing, refusing or killed."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from kg.cli.main import cli
from kg.store.endpoint import EndpointBackend, EndpointRefused, EndpointUnreachable
from kg.store.ingest import store_extraction
from kg.store.push import push
from kg.store.embedded import EmbeddedStore
from kg.graph.operations_rdf import refresh_operations
from tests.kgfixtures import FIRM_TEXT, firm_extraction
from tests.servers import canned_answers, fault_server, free_port, oxigraph_server  # noqa: F401

pytestmark = pytest.mark.server
PARAMS = {"entity": "Acme Reach", "country": "EC", "name": "Blue Party"}


@pytest.fixture
def store_path(tmp_path):
    """An embedded store with three documents' graphs (two disagree on a count, so `conflicts` has rows)."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        for accounts, name in ((120, "first.txt"), (150, "second.txt"), (90, "third.txt")):
            store_extraction(store, firm_extraction(accounts, name, FIRM_TEXT + " " + name))
        refresh_operations(store)  # as ingest does; the three tell the same takedowns
    return path


def quads(backend) -> set[tuple]:
    """Every quad of the backend as (s, p, o, graph IRI string)."""
    dataset = Dataset()
    dataset.parse(data=backend.dump_nquads(), format="nquads")
    return {(s, p, o, str(getattr(g, "identifier", g))) for s, p, o, g in dataset.quads()}


def endpoint_for(server, **env) -> EndpointBackend:
    ep = EndpointBackend.from_env(server.url if hasattr(server, "url") else server, environ=env)
    ep.backoff = 0.05
    return ep


def test_push_gives_the_same_graph_and_answers(store_path, oxigraph_server):
    with EmbeddedStore(store_path, read_only=True) as store, endpoint_for(oxigraph_server) as remote:
        report = push(store, remote)
        assert report.ok and report.graphs == len(store.graph_names()) >= 3
        assert report.triples == store.triple_count()
        assert remote.graph_names() == store.graph_names()
        assert quads(remote) == quads(store)
        local_answers = canned_answers(store, PARAMS)
        assert canned_answers(remote, PARAMS) == local_answers
        assert all(local_answers[name] for name in ("networks", "operators", "conflicts", "evidence-for"))


def test_push_twice_changes_nothing_and_keeps_other_graphs(store_path, oxigraph_server):
    with EmbeddedStore(store_path, read_only=True) as store, endpoint_for(oxigraph_server) as remote:
        remote.put_graph("http://example.org/someone-elses", b"<http://e/a> <http://e/b> <http://e/c> .\n")
        push(store, remote)
        count = remote.triple_count()
        again = push(store, remote)
        assert again.ok and again.graphs == len(store.graph_names())
        assert remote.triple_count() == count == store.triple_count() + 1


class KillingEndpoint(EndpointBackend):
    """The real EndpointBackend; after `after` successful PUTs it SIGKILLs the server (a crash mid-job)."""

    def __init__(self, server, after: int):
        base = endpoint_for(server)
        super().__init__(base.query_url, base.update_url, base.store_url, retries=1, backoff=0.05)
        self.server, self.after, self.puts = server, after, 0

    def put_graph(self, graph_iri: str, ntriples: bytes) -> None:
        if self.puts == self.after:
            self.server.kill()
        super().put_graph(graph_iri, ntriples)
        self.puts += 1


def test_server_killed_mid_push_then_rerun_finishes(store_path, oxigraph_server):
    with EmbeddedStore(store_path, read_only=True) as store:
        with KillingEndpoint(oxigraph_server, after=1) as remote:
            report = push(store, remote)
        assert report.graphs == 1 and len(report.failures) == 1
        assert report.skipped == len(store.graph_names()) - 2
        assert "connection" in report.failures[0][1] and not report.ok
        oxigraph_server.start()
        with endpoint_for(oxigraph_server) as remote:
            done = store.graph_names()[0]
            assert remote.graph_names() == [done]  # the graph written before the crash is complete
            assert quads(remote) == {q for q in quads(store) if q[3] == done}
            assert push(store, remote).ok
            assert quads(remote) == quads(store)


def test_cli_push(store_path, oxigraph_server):
    result = CliRunner().invoke(cli, ["push", "--store", str(store_path), "--endpoint", oxigraph_server.url])
    assert result.exit_code == 0, result.output
    with EmbeddedStore(store_path, read_only=True) as store:
        graphs = len(store.graph_names())
    assert f"{graphs} graphs" in result.output and "0 failures" in result.output


def test_cli_push_to_nothing_listening(store_path):
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["push", "--store", str(store_path), "--endpoint", url],
                                env={"IOKG_ENDPOINT_RETRIES": "1"})
    assert result.exit_code == 5
    assert result.output.strip().count("\n") == 0 and "connection refused" in result.output
    assert isinstance(result.exception, SystemExit)  # no traceback


def test_cli_push_refused_credentials_stay_secret(store_path, fault_server):
    env = {"IOKG_ENDPOINT_USER": "ops", "IOKG_ENDPOINT_PASSWORD": "very-secret-pw"}
    result = CliRunner().invoke(cli, ["push", "--store", str(store_path), "--endpoint",
                                      fault_server.url + "/unauthorized/query"], env=env)
    assert result.exit_code == 5
    assert "HTTP 401" in result.output and "very-secret-pw" not in result.output


def test_push_raises_when_nothing_could_be_copied(store_path, fault_server):
    with EmbeddedStore(store_path, read_only=True) as store:
        with pytest.raises(EndpointRefused):
            push(store, endpoint_for(fault_server.url + "/missing/query"))
        with pytest.raises(EndpointUnreachable):
            push(store, endpoint_for(f"http://127.0.0.1:{free_port()}", IOKG_ENDPOINT_RETRIES="0"))


def test_graph_ntriples_keeps_each_graph_apart_past_tricky_literals(tmp_path):
    """push asks the store for each graph's N-Triples (Oxigraph's serialiser), no hand-written N-Quads split."""
    with EmbeddedStore(tmp_path / "s") as store:
        store.update('INSERT DATA { GRAPH <http://e/g1> { <http://e/s> <http://e/p> "a \\"quoted\\" <http://not/graph> . '
                     'text"@en } GRAPH <http://e/g2> { <http://e/s> <http://e/p> 5 } <http://e/s> <http://e/p> <http://e/d> }')
        assert store.graph_names() == ["http://e/g1", "http://e/g2"]
        assert store.graph_ntriples("http://e/g1") == (
            b'<http://e/s> <http://e/p> "a \\"quoted\\" <http://not/graph> . text"@en .\n')
        assert store.graph_ntriples("http://e/g2") == (
            b'<http://e/s> <http://e/p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
