"""Shared pieces of the command line: one message prefix (`iokg: error: ...`, `iokg: warning: ...`) for
library errors, click's own usage errors and library log records; -f/--format; --store/--endpoint;
completion of canned query names.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import logging

import click

from kg.errors import IokgError

PROG = "iokg"


def error(message: str) -> None:
    """Print one error line on stderr."""
    click.echo(f"{PROG}: error: {message}", err=True)


def warning(message: str) -> None:
    """Print one warning line on stderr."""
    click.echo(f"{PROG}: warning: {message}", err=True)


def _show(exc: click.ClickException, file=None) -> None:
    """click's error display with our prefix: usage and hint first for usage errors, then one line."""
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        hint = f"Try '{exc.ctx.command_path} {exc.ctx.help_option_names[0]}' for help.\n"
        click.echo(exc.ctx.get_usage() + "\n" + hint, err=True)
    error(exc.format_message())


def _prefixed(exc: click.ClickException) -> click.ClickException:
    exc.show = functools.partial(_show, exc)  # click's main() calls exc.show()
    return exc


class IokgGroup(click.Group):
    """The `iokg` group: every ClickException, ours or click's, is shown as `iokg: error: ...`."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            raise _prefixed(exc) from exc.__cause__

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _prefixed(exc) from exc.__cause__


class IokgClickError(click.ClickException):
    """A ClickException that keeps the exit code of the library error it wraps."""

    def __init__(self, exc: IokgError):
        super().__init__(str(exc))
        self.exit_code = exc.exit_code


def handle_errors(func):
    """Turn IokgError into a one-line message and exit code instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IokgError as exc:
            raise IokgClickError(exc) from None

    return wrapper


class _EchoHandler(logging.Handler):
    """Library log records (warnings and up) as `iokg: warning: ...` lines on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{PROG}: {record.levelname.lower()}: {record.getMessage()}", err=True)


def show_library_logs() -> None:
    """Route the `kg` logger's warnings to stderr in our format (once per process)."""
    logger = logging.getLogger("kg")
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        handler = _EchoHandler(logging.WARNING)
        logger.addHandler(handler)


def format_option(*choices: str, default: str | None = None, help: str | None = None):
    """-f/--format with these choices, stored as `fmt`."""
    return click.option("-f", "--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=default is not None, help=help)


def echo_json(data) -> None:
    """A dataclass, dict or list as indented JSON on stdout (paths and other objects as their text)."""
    if dataclasses.is_dataclass(data):
        data = dataclasses.asdict(data)
    click.echo(json.dumps(data, indent=1, ensure_ascii=False, default=str))


def complete_query_name(ctx, param, incomplete: str):
    """Shell completion for a canned query name: the names of kg/data/queries that start with `incomplete`."""
    from click.shell_completion import CompletionItem

    from kg.out.queries import canned_queries

    return [CompletionItem(name, help=query.description)
            for name, query in canned_queries().items() if name.startswith(incomplete)]


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
