"""The `iokg` command: parses arguments, calls one library function per command and prints; library
errors become one-line `click.ClickException`s.
"""
from kg.cli.main import cli, main

__all__ = ["cli", "main"]
