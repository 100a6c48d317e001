"""Running a peerconomy command against a database, as the CLI's tests do: its exit code,
stdout and stderr; one that must succeed; one that must be refused (exit 2, one line)."""

from __future__ import annotations

from typer.testing import CliRunner

from peerconomy.cli import app

__all__ = ["ok", "refused", "run"]

runner = CliRunner()


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def ok(db: str, *args: str) -> str:
    code, out, err = run(db, *args)
    assert code == 0, err or out
    return out


def refused(db: str, *args: str) -> str:
    """Run a command that must be refused: exit 2 and one line on stderr."""
    code, out, err = run(db, *args)
    assert code == 2, out
    assert err.endswith("\n") and err.count("\n") == 1 and err.startswith("error: ")
    return err
