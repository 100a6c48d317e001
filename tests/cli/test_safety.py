"""Nothing half-happens: concurrent clears, and processes killed in the middle of a step.

A helper process runs one service step on the real store, with its unit of work's commit
held back: once everything is written but not committed it touches a marker file and
sleeps. The test then kills it (SIGKILL) or races a second ``peerconomy`` process against it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from peerconomy.cli import app

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
runner = CliRunner()

HELD_STEP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peerconomy.services import periods
    from peerconomy.store.sql import open_store

    url, step, marker, hold = sys.argv[1], sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
    uow = open_store(url).unit_of_work()
    commit = uow.commit

    def held_commit():
        marker.touch()  # everything is written, nothing committed
        time.sleep(hold)
        commit()

    uow.commit = held_commit
    getattr(periods, step + "_period")(uow, "workshop")
    """
)


def cli(db: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def held_step(db: str, step: str, marker: Path, hold: float) -> subprocess.Popen[bytes]:
    """Start ``step`` (clear or settle) in a process and wait until it is about to commit."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HELD_STEP, db, step, str(marker), str(hold)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1].decode()
        assert time.monotonic() < deadline, "the step never got to its commit"
        time.sleep(0.05)
    return proc


def peerconomy(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peerconomy", *args, "--db", db],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )


def test_a_process_killed_while_clearing_leaves_no_plan(
    db_url: str, tmp_path: Path, workshop_plan: dict[str, object]
) -> None:
    cli(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    proc = held_step(db_url, "clear", tmp_path / "writing", hold=60)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()

    # still collecting, no plan: settling is refused, and clearing works as if nothing happened
    assert "collecting" in peerconomy(db_url, "period", "settle", "--pool", "workshop").stderr
    plan = json.loads(cli(db_url, "period", "clear", "--pool", "workshop", "--json"))
    assert plan == workshop_plan


def test_a_process_killed_while_settling_posts_nothing(db_url: str, tmp_path: Path) -> None:
    cli(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    cli(db_url, "period", "clear", "--pool", "workshop")
    proc = held_step(db_url, "settle", tmp_path / "writing", hold=60)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()

    assert cli(db_url, "ledger", "export", "--pool", "workshop", "--format", "json") == "[]\n"
    assert "period 2 is collecting" in cli(db_url, "period", "settle", "--pool", "workshop")
    held = json.loads(cli(db_url, "ledger", "balances", "--pool", "workshop", "--json"))
    assert held["pool_account"] == "21.000000" and held["sum"] == "0.000000"


def test_of_two_clears_at_once_one_wins_and_the_other_is_told(db_url: str, tmp_path: Path) -> None:
    cli(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    first = held_step(db_url, "clear", tmp_path / "writing", hold=2)
    second = peerconomy(db_url, "period", "clear", "--pool", "workshop", "--json")
    _, first_err = first.communicate(timeout=60)

    assert first.returncode == 0, first_err.decode()
    assert second.returncode == 2
    assert second.stderr == (
        "error: cannot clear a period that is cleared (it must be collecting)\n"
    )
    # one plan: the one the first process cleared, and the period moved on once
    assert "period 2 is collecting" in cli(db_url, "period", "settle", "--pool", "workshop")


def test_two_clear_commands_started_together_make_one_plan(
    db_url: str, workshop_plan: dict[str, object]
) -> None:
    cli(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    args = [sys.executable, "-m", "peerconomy", "period", "clear", "--pool", "workshop",
            "--json", "--db", db_url]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs, strict=True)]

    assert sorted(code for code, _, _ in results) == [0, 2]
    (won,) = [out for code, out, _ in results if code == 0]
    (lost,) = [err for code, _, err in results if code == 2]
    assert json.loads(won) == workshop_plan
    assert "cannot clear a period that is cleared" in lost


def test_serve_names_a_bad_trusted_proxy_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["serve", "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}"],
        env={"PEERCONOMY_TRUSTED_PROXIES": "localhost", "PEERCONOMY_SECRET_KEY": "k"},
    )
    assert result.exit_code == 2
    assert result.stderr == ("error: PEERCONOMY_TRUSTED_PROXIES must list IP addresses or"
                             " networks, got 'localhost'\n")
