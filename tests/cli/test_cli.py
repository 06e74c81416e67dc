"""The CLI as a user meets it: every command documented, with help text and an example."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from tests.conftest import PROJECT_DIR

COMMANDS = sorted(cli.commands)


def test_the_expected_commands_exist():
    expected = {"extract", "ingest", "query", "queries", "export", "validate", "stats", "viz", "analyze", "push"}
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"\biokg {re.escape(name)}\b", readme), f"README.md never shows `iokg {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`iokg {name} --help` shows no example"
    assert f"iokg {name}" in result.output


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in setup.splitlines() if line.startswith("    ")]
    assert commands == ["make demo", "make test"]
    ci = (PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
