"""The CLI as a user meets it: every command documented, with help text and an example."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import click
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


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_f_format(name):
    options = [p for p in cli.commands[name].params if isinstance(p, click.Option)]
    assert any(set(p.opts) == {"-f", "--format"} for p in options), f"`iokg {name}` has no -f/--format"


def test_every_error_has_one_prefix(tmp_path):
    runner = CliRunner()
    checks = [
        (["no-such-command"], 2, "No such command"),                                 # click's usage error
        (["query", "--no-such-option"], 2, "No such option"),                        # click's, in a subcommand
        (["query", "no-such-query", "--store", str(tmp_path / "s")], 2, "unknown canned query"),  # ours
        (["extract", str(tmp_path / "missing.txt"), "--model", "none"], 1, "missing.txt"),  # a per-file error
    ]
    for args, code, text in checks:
        result = runner.invoke(cli, args)
        assert result.exit_code == code, (args, result.output)
        errors = [line for line in result.stderr.splitlines() if "rror" in line]
        assert len(errors) == 1 and errors[0].startswith("iokg: error: ") and text in errors[0], (args, result.stderr)


def test_library_warnings_reach_the_terminal_as_prefixed_lines(capsys):
    import logging

    CliRunner().invoke(cli, ["queries"])
    capsys.readouterr()
    logging.getLogger("kg.extract.pipeline").warning("model %s not installed", "xx")
    assert capsys.readouterr().err == "iokg: warning: model xx not installed\n"


def test_library_code_never_prints():
    for path in (PROJECT_DIR / "kg").rglob("*.py"):
        if "cli" in path.relative_to(PROJECT_DIR / "kg").parts:
            continue
        source = path.read_text(encoding="utf-8")
        assert "print(" not in source and "import click" not in source, f"{path} prints; use logging or warnings"


def test_canned_query_names_complete_in_the_shell():
    env = {**os.environ, "_IOKG_COMPLETE": "bash_complete", "COMP_WORDS": "iokg query pr", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-m", "kg.cli"], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["plain,pr-firms"], done.stdout + done.stderr
    env["COMP_WORDS"] = "iokg query "
    every = subprocess.run([sys.executable, "-m", "kg.cli"], env=env, capture_output=True, text=True, timeout=120)
    assert {"plain,networks", "plain,targets-of", "plain,pr-firms"} <= set(every.stdout.split())
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert "_IOKG_COMPLETE=bash_source" in readme and "_IOKG_COMPLETE=zsh_source" in readme


def test_json_summaries_parse():
    result = CliRunner().invoke(cli, ["queries", "-f", "json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert "country" in listed["targets-of"]["params"] and listed["pr-firms"]["description"]
