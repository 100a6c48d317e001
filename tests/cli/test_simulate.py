"""``peerconomy simulate``: a configuration in, a report out (page, plots, CSV files); the same
seed gives the same data; bad input is one line naming the field, exit code 2, no report."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from peerconomy.cli import app

runner = CliRunner()

SMALL = """
name = "small"
description = "Two projects, a scarce room."
periods = 3
seed = 1
rules = ["auction", "effort"]
claim = "auction_lowers_costs"
projects = ["kitchen", "garden"]

[[tasks]]
id = "cook"
project = "kitchen"
disutility = [0.5, 1.5]

[[tasks]]
id = "clean"
project = "kitchen"
disutility = [1.2, 2.5]

[[tasks]]
id = "dig"
project = "garden"
disutility = [1.0, 2.0]

[[goods]]
id = "meal"
project = "kitchen"
recipe = { cook = 1.0, clean = 0.5 }

[[goods]]
id = "room"
project = "garden"
recipe = { dig = 2.0 }
capacity = 3
scarce = true

[agents]
count = 12
"""

CSV_FILES = ("periods.csv", "summary.csv", "members.csv", "costs.csv", "weights.csv")
RULES = 2
PERIODS = 3


def simulate(args: list[str]) -> Result:
    return runner.invoke(app, ["simulate", *args], env={"COLUMNS": "200"})


def written(directory: Path, text: str = SMALL, name: str = "small.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """One run of the small configuration: the command's result, its file, the report."""
    directory = tmp_path_factory.mktemp("simulate")
    config = written(directory)
    out = directory / "report"
    return simulate([str(config), "--out", str(out)]), config, out


def test_simulate_writes_the_page_the_plots_and_the_data(first: tuple[Result, Path, Path]
                                                          ) -> None:
    result, _, out = first

    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file()
    assert (out / "plots" / "overview.png").is_file()
    assert (out / "plots" / "overview.svg").is_file()
    assert list((out / "plots").glob("claim_*.png"))
    for name in CSV_FILES:
        assert (out / name).is_file(), name
    assert len(rows(out / "periods.csv")) == 1 + RULES * PERIODS


def test_simulate_prints_the_summary_the_verdict_and_the_reports_path(
    first: tuple[Result, Path, Path]
) -> None:
    result, _, out = first

    assert "Mean per period" in result.stdout
    assert "auction" in result.stdout and "effort" in result.stdout
    assert "claim auction_lowers_costs:" in result.stdout
    assert "holds" in result.stdout
    assert f"report: {out / 'report.html'}" in result.stdout


def test_the_same_seed_gives_the_same_csv_bytes(tmp_path: Path,
                                                first: tuple[Result, Path, Path]) -> None:
    _, config, out = first

    again = simulate([str(config), "--out", str(tmp_path)])

    assert again.exit_code == 0, again.output
    for name in CSV_FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_seed_and_periods_from_the_command_line_override_the_files(
    tmp_path: Path, first: tuple[Result, Path, Path]
) -> None:
    _, config, out = first

    result = simulate([str(config), "--out", str(tmp_path), "--seed", "7", "--periods", "2"])

    assert result.exit_code == 0, result.output
    periods = rows(tmp_path / "periods.csv")
    assert len(periods) == 1 + RULES * 2
    assert {row[2] for row in periods[1:]} == {"1", "2"}
    assert periods[1:3] != rows(out / "periods.csv")[1:3]
    assert (tmp_path / "members.csv").read_bytes() != (out / "members.csv").read_bytes()
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<dt>seed</dt><dd>7</dd>" in page
    assert "<dt>periods</dt><dd>2</dd>" in page


def test_a_sweep_writes_rows_for_every_point(tmp_path: Path) -> None:
    config = written(tmp_path, SMALL.replace("periods = 3", "periods = 2")
                     + '\n[sweep]\n"agents.strategies.luxury" = [0.0, 0.5]\n')

    result = simulate([str(config), "--out", str(tmp_path / "out"), "--sweep"])

    assert result.exit_code == 0, result.output
    summary = rows(tmp_path / "out" / "summary.csv")
    assert [row[:2] for row in summary[1:]] == [
        [f"agents.strategies.luxury={value}", rule]
        for value in ("0.0", "0.5") for rule in ("auction", "effort")]
    assert len(rows(tmp_path / "out" / "periods.csv")) == 1 + 2 * RULES * 2


def test_a_claim_the_runs_cannot_show_is_reported_and_exits_2(tmp_path: Path) -> None:
    config = written(tmp_path, SMALL.replace('"auction_lowers_costs"',
                                             '"coordination_reduces_overproduction"'))

    result = simulate([str(config), "--out", str(tmp_path / "out")])

    assert result.exit_code == 2
    assert result.stderr.startswith("error: claim: ")
    assert "could not be checked" in (tmp_path / "out" / "report.html").read_text("utf-8")


# --- bad input ---------------------------------------------------------------------------


BAD = {
    "unknown rule": (SMALL.replace('"effort"]', '"haggling"]'), [], "error: rules[1]: "),
    "too few members": (SMALL.replace("count = 12", "count = 1"), [],
                        "error: agents.count: must be >= 2, got 1"),
    "unknown claim": (SMALL.replace('"auction_lowers_costs"', '"free_lunch"'), [],
                      "error: claim: "),
    "sweep without a grid": (SMALL, ["--sweep"], "error: sweep: "),
    "a bad sweep point": (SMALL + '\n[sweep]\n"agents.count" = [12, 1]\n', ["--sweep"],
                          "error: sweep: at agents.count=1: agents.count: must be >= 2"),
    "no periods": (SMALL, ["--periods", "0"], "error: --periods: "),
    "a negative seed": (SMALL, ["--seed", "-1"], "error: --seed: "),
}


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


@pytest.mark.parametrize(("text", "args", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_one_line_naming_the_field_and_writes_no_report(
    tmp_path: Path, text: str, args: list[str], message: str
) -> None:
    config = written(tmp_path, text)
    out = tmp_path / "out"

    error = one_line_error(simulate([str(config), "--out", str(out), *args]))

    assert error.startswith(message), error
    assert not out.exists()


def test_a_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"

    error = one_line_error(simulate([str(path), "--out", str(tmp_path / "out")]))

    assert error == f"error: {path}: no such file"
    assert not (tmp_path / "out").exists()


def test_bad_toml_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = written(tmp_path, "name = \n")

    error = one_line_error(simulate([str(path), "--out", str(tmp_path / "out")]))

    assert error.startswith(f"error: {path}: not valid TOML")
    assert not (tmp_path / "out").exists()


def test_an_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    config = written(tmp_path)
    (tmp_path / "taken").write_text("")

    error = one_line_error(simulate([str(config), "--out", str(tmp_path / "taken")]))

    assert error.startswith("error: --out: ")


def test_the_installed_command_runs_without_a_display(tmp_path: Path) -> None:
    config = written(tmp_path, SMALL.replace("periods = 3", "periods = 1"))
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY",
                                                            "MPLBACKEND"}}

    done = subprocess.run(
        [sys.executable, "-W", "error", "-m", "peerconomy", "simulate", str(config),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False, env=env,
    )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "out" / "plots" / "overview.png").is_file()
