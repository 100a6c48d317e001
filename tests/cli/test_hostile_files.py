"""Hostile files on the command line: whatever a file holds or is (a FIFO, a device, a link
to ``/dev/zero`` or out of a federation's folder, a file too large, 200,000 levels of
nesting, a 5,000-digit integer, a quantity of 10**30), ``validate``, ``clear``,
``federation clear`` and ``pool import`` answer with one line naming the file and the reason
and exit code 2: no traceback, no hang. Each runs as a real process with a timeout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIO = '{"format": "peerconomy-scenario/1", "participants": [%s], "projects": []}'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``peerconomy ARGS`` in a process of its own; a hang fails the test (timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "peerconomy", *args], capture_output=True, text=True,
        timeout=120, env={**os.environ, **(env or {})}, check=False,
    )


def refused(answer: subprocess.CompletedProcess[str], *words: str) -> None:
    assert answer.returncode == 2, answer.stderr
    lines = answer.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), answer.stderr
    assert "Traceback" not in answer.stderr
    for word in words:
        assert word in lines[0]


def deep(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000)


def deep_inside(path: Path) -> None:
    path.write_text(SCENARIO % ("[" * 200_000 + "]" * 200_000))


def long_integer(path: Path) -> None:
    path.write_text(SCENARIO % ('{"id": "ana", "capacity": %s}' % ("9" * 5000)))


def huge_quantity(path: Path) -> None:
    data = json.loads((EXAMPLES / "workshop.json").read_text())
    data["wishes"][0]["quantity"] = 10**30
    path.write_text(json.dumps(data))


def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


MAKERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "200,000 levels of nesting": (deep, "nested too deeply"),
    "200,000 levels inside a scenario": (deep_inside, "nested too deeply"),
    "a 5,000-digit integer": (long_integer, "too many digits"),
    "a quantity of 10**30": (huge_quantity, "wishes[0].quantity: must be <= 100000"),
    "a FIFO": (fifo, "not a regular file (a FIFO)"),
    "a symlink to /dev/zero": (zero, "not a regular file (a character device)"),
}


@pytest.mark.parametrize("command", ["validate", "clear", "import"])
@pytest.mark.parametrize("case", list(MAKERS))
def test_a_hostile_scenario_file_is_one_line_and_exit_2(
    tmp_path: Path, command: str, case: str
) -> None:
    make, reason = MAKERS[case]
    path = tmp_path / "hostile.json"
    make(path)
    args = (["pool", "import", str(path), "--pool", "p", "--db",
             f"sqlite:///{tmp_path / 'pool.sqlite3'}"] if command == "import"
            else [command, str(path)])
    answer = run(*args)
    refused(answer, reason)
    if not case.startswith("a quantity"):  # a field's error names the field, not the file
        assert str(path) in answer.stderr


def test_a_device_is_refused(tmp_path: Path) -> None:
    refused(run("validate", "/dev/zero"), "/dev/zero", "not a regular file")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    refused(run("clear", str(tmp_path)), str(tmp_path), "not a regular file (a directory)")


def test_a_file_too_large_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    shutil.copy(EXAMPLES / "workshop.json", path)
    answer = run("validate", str(path), env={"PEERCONOMY_MAX_FILE_BYTES": "100"})
    refused(answer, str(path), "file too large", "at most 100")


@pytest.mark.parametrize("kind", ["a link out of the folder", "a link to /dev/zero", "a FIFO"])
def test_a_federation_folder_with_a_hostile_file_is_refused(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "federation"
    folder.mkdir()
    shutil.copy(EXAMPLES / "workshop.json", folder / "workshop.json")
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(json.loads((EXAMPLES / "farm.json").read_text())))
    hostile = folder / "other.json"
    if kind == "a FIFO":
        os.mkfifo(hostile)
    else:
        hostile.symlink_to(secret if kind == "a link out of the folder" else Path("/dev/zero"))
    answer = run("federation", "clear", "--serial", str(folder))
    refused(answer, str(hostile), "links out of the folder" if "link" in kind
            else "not a regular file (a FIFO)")


def test_a_link_inside_the_federation_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "federation"
    folder.mkdir()
    shutil.copy(EXAMPLES / "workshop.json", folder / "real.json")
    (folder / "workshop.json").symlink_to(folder / "real.json")
    folder.joinpath("real.json").rename(folder / "real.data")
    (folder / "workshop.json").unlink()
    (folder / "workshop.json").symlink_to("real.data")
    answer = run("federation", "clear", "--serial", str(folder))
    assert answer.returncode == 0, answer.stderr
