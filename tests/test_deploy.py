"""What ``deploy/`` ships for a server: the nightly backup script writes a backup that
restores to the same database, removes only backups past their days and only after a new
one is written; the systemd units pass ``systemd-analyze verify``; the release's version is
the one ``CHANGELOG.md`` names last; and every ``PEERCONOMY_*`` setting left empty (as a
container stack passes one that is not set) is unset, its default."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from peerconomy import __version__
from peerconomy.asgi import create_app
from peerconomy.cli import app
from peerconomy.domain.files import max_file_bytes
from peerconomy.http.settings import AppSettings, base_url_from_environment
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import default_database_url

REPOSITORY = Path(__file__).resolve().parents[1]
DEPLOY = REPOSITORY / "deploy"
BACKUP_SCRIPT = DEPLOY / "peerconomy-backup"
DAY = 24 * 3600
SOURCE = REPOSITORY / "src" / "peerconomy"
SETTINGS_READ = sorted({name for path in SOURCE.rglob("*.py")
                        for name in re.findall(r"\bPEERCONOMY_[A-Z_]+\b", path.read_text())})
"""Every ``PEERCONOMY_*`` variable the code names."""

runner = CliRunner()


def _peerconomy(tmp_path: Path) -> Path:
    """An executable that runs this checkout's ``peerconomy`` (as the venv's would)."""
    wrapper = tmp_path / "peerconomy"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m peerconomy "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def _run_backup(tmp_path: Path, folder: Path, url: str, keep: str = "14"
                ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCONOMY_")}
    env.update(PEERCONOMY_DATABASE_URL=url, PEERCONOMY_BACKUP_DIR=str(folder),
               PEERCONOMY_BACKUP_KEEP_DAYS=keep, PEERCONOMY_BIN=str(_peerconomy(tmp_path)),
               XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run([str(BACKUP_SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)


def _old_backup(folder: Path, name: str, days: float) -> Path:
    path = folder / name
    path.write_bytes(gzip.compress(b"{}"))
    when = time.time() - days * DAY
    os.utime(path, (when, when))
    return path


def test_the_backup_script_writes_a_backup_that_restores_and_keeps_its_days(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'farm.sqlite3'}"
    made = runner.invoke(app, ["pool", "import", str(REPOSITORY / "examples" / "farm.json"),
                               "--pool", "farm", "--db", url])
    assert made.exit_code == 0, made.output
    folder = tmp_path / "backups"
    folder.mkdir()
    expired = _old_backup(folder, "peerconomy-20260101T031500Z.json.gz", days=20)
    kept = _old_backup(folder, "peerconomy-20260110T031500Z.json.gz", days=10)
    other = _old_backup(folder, "notes.json.gz", days=100)  # not ours: left alone

    done = _run_backup(tmp_path, folder, url)
    assert done.returncode == 0, done.stderr
    new = sorted(set(folder.iterdir()) - {kept, other})
    assert len(new) == 1 and re.fullmatch(r"peerconomy-\d{8}T\d{6}Z\.json\.gz", new[0].name)
    assert not expired.exists() and kept.exists() and other.exists()
    assert oct(new[0].stat().st_mode & 0o777) == "0o600"  # the books are nobody else's
    document = json.loads(gzip.decompress(new[0].read_bytes()))
    assert document["format"] == "peerconomy-backup/1"

    # the restore drill: into a new database, whose backup is the same document
    plain = tmp_path / "restored.json"
    plain.write_bytes(gzip.decompress(new[0].read_bytes()))
    restored_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = runner.invoke(app, ["db", "restore", str(plain), "--db", restored_url])
    assert restored.exit_code == 0, restored.output
    again = tmp_path / "again.json"
    assert runner.invoke(app, ["db", "backup", "-o", str(again), "--db", restored_url]
                         ).exit_code == 0
    assert json.loads(again.read_text()) == document


def test_a_failed_backup_removes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    expired = _old_backup(folder, "peerconomy-20260101T031500Z.json.gz", days=20)
    done = _run_backup(tmp_path, folder, "postgresql+psycopg://postgres@127.0.0.1:9/gone"
                                         "?connect_timeout=2")
    assert done.returncode != 0
    assert sorted(folder.iterdir()) == [expired]  # nor a half-written file


@pytest.mark.parametrize("keep", ["two", "-1", "1.5", " 3"])
def test_the_backup_script_names_a_bad_number_of_days_in_one_line(
        tmp_path: Path, keep: str) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    done = _run_backup(tmp_path, folder, f"sqlite:///{tmp_path / 'unused'}", keep=keep)
    assert done.returncode == 2
    assert done.stderr == ("error: PEERCONOMY_BACKUP_KEEP_DAYS must be a whole number of"
                           f" days, got '{keep}'\n")
    assert not list(folder.iterdir())


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # a root of its own: the system's units, the programs the units start where they go
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system",
                    symlinks=True)
    (root / "opt/peerconomy/venv/bin").mkdir(parents=True)
    for program in (root / "opt/peerconomy/venv/bin/peerconomy",
                    root / "opt/peerconomy/peerconomy-backup"):
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    units = root / "etc/systemd/system"
    shutil.copytree(DEPLOY / "systemd", units)
    names = sorted(unit.name for unit in units.iterdir())
    assert names == ["peerconomy-backup.service", "peerconomy-backup.timer",
                     "peerconomy.service"]
    checked = subprocess.run(
        [analyze, "verify", f"--root={root}", *(f"/etc/systemd/system/{n}" for n in names)],
        capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_the_service_is_hardened() -> None:
    unit = (DEPLOY / "systemd" / "peerconomy.service").read_text()
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                    "PrivateTmp=yes", "ReadWritePaths=/var/lib/peerconomy /var/cache/peerconomy",
                    "CapabilityBoundingSet=\n", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"):
        assert setting in unit, setting
    assert "User=peerconomy" in unit and "User=root" not in unit


def test_the_version_is_the_latest_release_of_the_changelog() -> None:
    changelog = (REPOSITORY / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$", changelog, re.M)
    assert releases and releases[0] == __version__, releases


def _configuration(data: Path) -> tuple[object, ...]:
    """What the environment configures: the server's settings, the threads its app answers
    with, the database, the largest file read and the base URL of links made off the server."""
    settings = AppSettings.from_environment(data)
    with TestClient(create_app(MemoryStore(), settings, pages=False)) as client:
        assert client.get("/health").status_code == 200
        threads = client.portal.call(
            lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    return (settings, threads, default_database_url(), max_file_bytes(),
            base_url_from_environment())


def test_the_settings_read_are_the_documented_ones() -> None:
    assert len(SETTINGS_READ) >= 20 and "PEERCONOMY_THREADS" in SETTINGS_READ
    documented = (REPOSITORY / "docs" / "deploy.md").read_text()
    not_served = "PEERCONOMY_MAX_FILE_BYTES"  # the limit of a file read, no server's setting
    assert [name for name in SETTINGS_READ
            if f"`{name}`" not in documented and name != not_served] == []


@pytest.mark.parametrize("blank", ["", "  "])
@pytest.mark.parametrize("name", SETTINGS_READ)
def test_a_setting_left_empty_is_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       name: str, blank: str) -> None:
    for each in SETTINGS_READ:
        monkeypatch.delenv(each, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    unset = _configuration(tmp_path / "data")  # makes the secret key, read back below
    monkeypatch.setenv(name, blank)
    assert _configuration(tmp_path / "data") == unset


def test_a_bad_thread_count_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "k")
    for value, said in [("many", "whole"), ("0", "positive")]:
        monkeypatch.setenv("PEERCONOMY_THREADS", value)
        with pytest.raises(ValueError) as refused:
            AppSettings.from_environment(tmp_path)
        assert str(refused.value) == (f"PEERCONOMY_THREADS must be a {said} number of"
                                      f" threads, got {value!r}")
