"""Commands over the stored graph as a whole: diagrams (viz), analytics (analyze), copying to a server (push).

Registered on the `iokg` group by kg.cli.main; like it, they parse, call one library function and print.
"""
from __future__ import annotations

import dataclasses
import sys

import click

from kg.cli.options import backend_options, echo_json, error, format_option, handle_errors


# --- diagram and analysis commands ------------------------------------------------------


def _entity_graph(store, endpoint):
    """The chosen backend's graph, without documents, as a networkx graph."""
    from kg.store import open_backend
    from kg.out.netgraph import graph_from_backend

    with open_backend(store, endpoint, read_only=True) as backend:
        return graph_from_backend(backend, include_documents=False)


@click.command()
@backend_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--focus", default=None, help="Draw only the neighbourhood of the entity with this label or code.")
@click.option("--hops", default=1, show_default=True, type=int, help="Radius of --focus in edges.")
@click.option("--country", default=None, help="Only networks run from or targeting this ISO code (e.g. MX).")
@click.option("--operator", default=None, help="Only networks operated by this organisation.")
@click.option("--query", "query_file", default=None, type=click.Path(dir_okay=False),
              help="Draw the result of this SPARQL CONSTRUCT query file instead of the whole graph.")
@click.option("--no-documents", is_flag=True, help="Leave source-document nodes out of the drawing.")
@click.option("--title", default="iokg diagram", show_default=True, help="Page title.")
@click.option("--hide-platforms", is_flag=True, help="Start with the platform hubs hidden (a checkbox shows them).")
@format_option("text", "json", default="text", help="What was written, as a line of text or as JSON.")
@handle_errors
def viz(store, endpoint, output, focus, hops, country, operator, query_file, no_documents, title, hide_platforms, fmt):
    """Draw the graph as one self-contained, offline HTML diagram.

    \b
    Example:
        iokg viz -o out/graph.html --country MX --no-documents
    """
    from kg.store import open_backend
    from kg.out.netgraph import read_query
    from kg.out.viz import draw

    query = read_query(query_file) if query_file else None
    with open_backend(store, endpoint, read_only=True) as backend:
        drawing = draw(backend, output, focus, hops, country, operator, query, not no_documents, title,
                       hide_platforms=hide_platforms)
    if fmt == "json":
        echo_json(drawing)
    else:
        click.echo(f"Wrote {output}: {drawing.nodes} nodes, {drawing.edges} edges")


@click.command()
@backend_options
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Rows per centrality table (0 = all).")
@format_option("table", "json", default="table")
@click.option("--seed", default=42, show_default=True, type=int, help="Seed of the Louvain community search.")
@handle_errors
def analyze(store, endpoint, top, fmt, seed):
    """Centrality, communities and shared-operator country links of the graph.

    \b
    Example:
        iokg analyze --top 5 --format json
    """
    from kg.out.analysis import analyze as run_analysis, format_report

    click.echo(format_report(run_analysis(_entity_graph(store, endpoint), top, seed), fmt))

# --- remote endpoint commands -----------------------------------------------------------


@click.command()
@backend_options
@click.option("--no-verify", is_flag=True, help="Skip counting each graph's triples on the server after its PUT.")
@format_option("text", "json", default="text", help="The summary as a line of text or as JSON.")
@handle_errors
def push(store, endpoint, no_verify, fmt):
    """Copy every named graph of the embedded store to a SPARQL 1.1 server.

    Each graph is replaced with a Graph Store Protocol PUT, so pushing again changes nothing.
    Credentials come from IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD or IOKG_ENDPOINT_TOKEN.

    \b
    Example:
        iokg push --store .iokg --endpoint http://127.0.0.1:7878
    """
    from kg.store.push import push_store

    report = push_store(store, endpoint, verify=not no_verify)
    for graph, reason in report.failures:
        error(f"{graph}: {reason}")
    if fmt == "json":
        echo_json({**dataclasses.asdict(report), "ok": report.ok})
    else:
        click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


COMMANDS = (viz, analyze, push)
