"""Shared pieces of the command line: library errors as one-line messages, --store/--endpoint."""
from __future__ import annotations

import functools

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
