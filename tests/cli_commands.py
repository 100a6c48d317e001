"""Running a peerconomy command against a database, as the CLI's tests do: its exit code,
stdout and stderr; one that must succeed; one that must be refused (exit 2, one line); and
the workshop's ana with an account whose email is verified, so that notices reach her."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.services import accounts
from peerconomy.store.sql import SqlStore

__all__ = ["WORKSHOP", "ok", "refused", "run", "workshop_with_ana_verified"]

WORKSHOP = Path(__file__).resolve().parent.parent / "examples" / "workshop.json"

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


def workshop_with_ana_verified(store: SqlStore, db: str) -> None:
    """The workshop imported on the command line, with ana coordinating, and member ana
    claimed by the account ``ana.k`` whose email (ana@workshop.example) is verified."""
    ana = accounts.sign_up(store.unit_of_work(), "ana.k", "ana@workshop.example",
                           "ana by the bikes", mode="open")
    with store.unit_of_work() as uow:  # ana has followed her verification link
        uow.accounts.put_user(replace(ana, email_verified_at=datetime.now(UTC)))
        uow.commit()
    ok(db, "pool", "import", str(WORKSHOP), "--pool", "workshop", "--coordinator", "ana")
    ok(db, "member", "link", "--pool", "workshop", "ana", "ana.k")
