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

# --- remote endpoint commands -----------------------------------------------------------


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="iokg")


if __name__ == "__main__":
    sys.exit(main())
