"""A usage error (a bad, out-of-range, missing or unknown option, argument or command) is one
line on stderr naming what is wrong and why, and exit code 2, like every other refusal of the
command line; nothing is opened or stored. ``--help`` and a group run bare print the help as
before (Typer drew such errors as a usage line, a "Try" line and a box)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.cli.usage import OneLineUsage

runner = CliRunner()


def refused(*args: str, env: dict[str, str] | None = None) -> str:
    """stderr of a command that must be refused as a usage error: one line, exit code 2,
    nothing on stdout."""
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # an argument that is no integer
        (("holding", "notice", "--pool", "farm", "abc"),
         "holding: 'abc' is not a valid integer (see peerconomy holding notice --help)"),
        # an option that is no number
        (("work", "log", "--pool", "farm", "--participant", "ana", "--task", "weed",
          "--hours", "lots"),
         "--hours: 'lots' is not a valid number (see peerconomy work log --help)"),
        # an integer option out of its range
        (("demo", "--periods", "99"),
         "--periods: 99 is not in the range 1<=x<=12 (see peerconomy demo --help)"),
        (("member", "invite", "--pool", "farm", "--days", "0"),
         "--days: 0 is not in the range 1<=x<=365 (see peerconomy member invite --help)"),
        # a required option left out
        (("ledger", "export", "--format", "csv"),
         "--pool: is missing (see peerconomy ledger export --help)"),
        # a choice that is none of the choices
        (("ledger", "export", "--pool", "farm", "--format", "xml"),
         "--format: 'xml' is not one of 'csv', 'json', 'beancount'"
         " (see peerconomy ledger export --help)"),
        # a flag given a value
        (("holding", "list", "--pool", "farm", "--json=yes"),
         "--json: does not take a value"),
        # an option without its value
        (("demo", "--periods"), "--periods: requires an argument"),
        # an unknown option, near a known one or not
        (("holding", "notice", "--pool", "farm", "1", "--frob"),
         "--frob: no such option (did you mean --db?) (see peerconomy holding notice --help)"),
        (("--frob",), "--frob: no such option (see peerconomy --help)"),
        # a required argument left out
        (("clear",), "SCENARIO.json: is missing (see peerconomy clear --help)"),
        (("holding", "notice", "--pool", "farm"),
         "holding: is missing (see peerconomy holding notice --help)"),
        # an argument too many
        (("clear", "a.json", "b.json"),
         "peerconomy clear: got unexpected extra argument(s) (b.json) (see --help)"),
        # an unknown command
        (("holding", "nottice"),
         "peerconomy holding: no such command 'nottice' (did you mean 'notice'?) (see --help)"),
        (("frob",), "peerconomy: no such command 'frob' (see --help)"),
    ],
)
def test_a_usage_error_is_one_line_naming_what_and_why(args: tuple[str, ...],
                                                       said: str) -> None:
    assert refused(*args) == f"error: {said}\n"


def test_a_bad_value_with_a_line_break_or_a_terminal_control_stays_one_line() -> None:
    line = refused("holding", "notice", "--pool", "farm", "1\n2\x1b[31m")
    assert line == ("error: holding: '1\\n2\\x1b[31m' is not a valid integer"
                    " (see peerconomy holding notice --help)\n")
    assert "\x1b" not in refused("--\x1b[2J")


def test_help_and_a_bare_group_still_print_the_help() -> None:
    helped = runner.invoke(app, ["holding", "notice", "--help"])
    assert helped.exit_code == 0 and helped.stderr == ""
    assert "Give notice on a holding" in helped.stdout and "--pool" in helped.stdout
    for bare in ([], ["holding"]):  # no_args_is_help: the help, and exit code 2 as before
        shown = runner.invoke(app, bare)
        assert shown.exit_code == 2 and shown.stderr == "", shown.stderr
        assert "Usage:" in shown.stdout and "error:" not in shown.stdout
    assert runner.invoke(app, ["--version"]).exit_code == 0


def test_python_dash_m_says_a_usage_error_in_one_line_too() -> None:
    """``python -m peerconomy`` goes through Typer's own ``__call__`` (its pretty exceptions):
    still one line."""
    source = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [source, *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-m", "peerconomy", "holding", "notice", "--pool", "farm", "abc"],
        capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("error: holding: 'abc' is not a valid integer"
                           " (see peerconomy holding notice --help)\n")


def test_a_bad_value_from_the_environment_names_the_variable() -> None:
    """Where a value came from an environment variable, the line names the variable, not the
    option the user did not type; and whatever the markup mode, no box."""
    for mode in ("rich", "markdown", None):
        small = typer.Typer(cls=OneLineUsage, rich_markup_mode=mode)

        @small.command()
        def count(times: int = typer.Option(1, "--times", "-t", envvar="TIMES")) -> None:
            """Count."""

        @small.command()
        def other() -> None:
            """Another command, so that ``count`` is a subcommand."""

        from_env = runner.invoke(small, ["count"], env={"TIMES": "many"}, prog_name="small")
        assert (from_env.exit_code, from_env.stderr) == (
            2, "error: TIMES: 'many' is not a valid integer (see small count --help)\n")
        typed = runner.invoke(small, ["count", "-t", "many"], prog_name="small")
        assert (typed.exit_code, typed.stderr) == (
            2, "error: --times: 'many' is not a valid integer (see small count --help)\n")
