"""The `iokg` command line: parses arguments, calls one library function, prints.

Library errors (kg.errors.IokgError) become one-line messages with the documented exit code;
nothing else is done here.
"""
from __future__ import annotations

import functools
import sys

import click

from kg.errors import IokgError


class IokgClickError(click.ClickException):
    """A ClickException that keeps the exit code of the library error it wraps."""

    def __init__(self, error: IokgError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


def handle_errors(func):
    """Turn IokgError into a one-line message and exit code instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IokgError as error:
            raise IokgClickError(error) from None

    return wrapper


def backend_options(func):
    """--store and --endpoint, shared by every command that reads or writes the graph."""
    func = click.option(
        "--endpoint",
        envvar="IOKG_ENDPOINT",
        default=None,
        help="SPARQL 1.1 endpoint URL to use instead of the embedded store (env IOKG_ENDPOINT).",
    )(func)
    func = click.option(
        "--store",
        "store",
        envvar="IOKG_STORE",
        default=None,
        type=click.Path(file_okay=False),
        help="Folder of the embedded store (default ./.iokg, env IOKG_STORE).",
    )(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="iokg")
def cli() -> None:
    """iokg: a knowledge graph of online influence operations.

    \b
    Example:
        iokg ingest examples/ && iokg query networks
    """


# --- extraction commands ----------------------------------------------------------------

# --- knowledge-graph commands -----------------------------------------------------------

# --- diagram and analysis commands ------------------------------------------------------


def _entity_graph(store, endpoint, query_file=None, documents=True):
    """The graph (or a CONSTRUCT query's result) of the chosen backend as a networkx graph."""
    from kg.backend import open_backend
    from kg.netgraph import graph_from_backend, read_query

    query = read_query(query_file) if query_file else None
    with open_backend(store, endpoint, read_only=True) as backend:
        return graph_from_backend(backend, query, include_documents=documents)


@cli.command()
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
@handle_errors
def viz(store, endpoint, output, focus, hops, country, operator, query_file, no_documents, title):
    """Draw the graph as one self-contained, offline HTML diagram.

    \b
    Example:
        iokg viz -o out/graph.html --country MX --no-documents
    """
    from kg.netgraph import select
    from kg.viz import write_html

    g = select(_entity_graph(store, endpoint, query_file, not no_documents), focus, hops, country, operator)
    if not len(g):
        raise IokgError("nothing to draw: the graph is empty (run `iokg ingest` first, or check --query)")
    write_html(g, output, title)
    click.echo(f"Wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


@cli.command()
@backend_options
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Rows per centrality table (0 = all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--seed", default=42, show_default=True, type=int, help="Seed of the Louvain community search.")
@handle_errors
def analyze(store, endpoint, top, fmt, seed):
    """Centrality, communities and shared-operator country links of the graph.

    \b
    Example:
        iokg analyze --top 5 --format json
    """
    from kg.analysis import analyze as run_analysis, format_report

    click.echo(format_report(run_analysis(_entity_graph(store, endpoint, documents=False), top, seed), fmt))

# --- remote endpoint commands -----------------------------------------------------------


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="iokg")


if __name__ == "__main__":
    sys.exit(main())
