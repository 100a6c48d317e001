"""The ``peerconomy`` command: a plan or a one-line error, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peerconomy import __version__
from peerconomy.cli import app

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))

runner = CliRunner()


def test_there_are_examples() -> None:
    assert {p.name for p in EXAMPLES} >= {"workshop.json", "seaside_flats.json", "farm.json"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_validate_summarises_each_example(example: Path) -> None:
    result = runner.invoke(app, ["validate", str(example)])

    assert result.exit_code == 0, result.output
    assert "a valid scenario" in result.stdout
    for kind in ("participants", "projects", "tasks", "goods", "offers", "wishes"):
        assert kind in result.stdout


def test_validate_counts_what_the_scenario_holds() -> None:
    workshop = next(p for p in EXAMPLES if p.name == "workshop.json")
    data = json.loads(workshop.read_text(encoding="utf-8"))

    result = runner.invoke(app, ["validate", str(workshop)])

    counts = dict(re.findall(r"(\w+)\s*│\s*(\d+)", result.stdout))
    assert counts["participants"] == str(len(data["participants"]))
    assert counts["wishes"] == str(len(data["wishes"]))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_clear_prints_the_plan_of_each_example_as_json(example: Path) -> None:
    result = runner.invoke(app, ["clear", str(example)])

    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["format"] == "peerconomy-plan/2"


def test_clear_writes_the_plan_to_a_file_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"

    result = runner.invoke(app, ["clear", str(EXAMPLES[0]), "--output", str(out)])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "peerconomy-plan/2"


def one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


@pytest.mark.parametrize("command", ["clear", "validate"])
def test_a_missing_file_is_one_line_and_exit_code_2(command: str, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    message = one_line_error([command, str(path)])

    assert message == f"error: {path}: cannot read file: No such file or directory"


@pytest.mark.parametrize("command", ["clear", "validate"])
def test_malformed_json_is_one_line_and_exit_code_2(command: str, tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text('{"format": "peerconomy-scenario/1",\n "participants": [}')

    message = one_line_error([command, str(path)])

    assert message == f"error: {path}:2:19: invalid JSON: Expecting value"


@pytest.mark.parametrize("command", ["clear", "validate"])
def test_a_bad_scenario_is_one_line_naming_the_field(command: str, tmp_path: Path) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["participants"][0]["capacity"] = -3
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(data))

    message = one_line_error([command, str(path)])

    assert message == "error: participants[0].capacity: must be >= 0, got -3"


def test_version_names_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.stdout.strip() == f"peerconomy {__version__}"


def test_the_installed_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text("not json")

    done = subprocess.run(
        [sys.executable, "-m", "peerconomy", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"error: {path}:1:1: invalid JSON: Expecting value\n"
