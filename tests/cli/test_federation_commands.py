"""``peerconomy federation clear DIR``: the merged pool's plan (or each pool's part) as JSON,
and bad input as one line naming the file and the field, exit code 2. Also ``peerconomy
simulate --sweep --ray``: the same report as the serial sweep."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_simulate import SMALL, simulate, written
from typer.testing import CliRunner, Result

import peerconomy
from peerconomy.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scale"))
from federations import federation  # the scale tests' federations

runner = CliRunner()


def clear(*args: str) -> Result:
    return runner.invoke(app, ["federation", "clear", *args])


def write(directory: Path, pools: dict[str, dict[str, Any]]) -> Path:
    for name, pool in pools.items():
        (directory / f"{name}.json").write_text(json.dumps(pool), encoding="utf-8")
    return directory


def merged(pools: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from peerconomy.scale import merge_pools

    return peerconomy.clear(merge_pools(pools).merged)


def test_clear_prints_the_merged_pools_plan(tmp_path: Path) -> None:
    pools = federation(8)

    result = clear(str(write(tmp_path, pools)), "--serial")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == merged(pools)


def test_clear_writes_each_pools_part_to_a_file(tmp_path: Path) -> None:
    pools = federation(9, n_pools=3)
    out = tmp_path / "plan.json"

    result = clear(str(write(tmp_path, pools)), "--serial", "--split", "-o", str(out))

    assert result.exit_code == 0, result.output
    written_plan = json.loads(out.read_text(encoding="utf-8"))
    assert written_plan["format"] == "peerconomy-federation-plan/1"
    assert list(written_plan["pools"]) == ["pool0", "pool1", "pool2"]
    assert written_plan["pools"]["pool1"]["shares"] == {
        p["id"]: merged(pools)["shares"][p["id"]] for p in pools["pool1"]["participants"]}


def clash(directory: Path) -> list[str]:
    pools = federation(1, n_pools=2)
    pools["pool1"]["participants"][0]["id"] = pools["pool0"]["participants"][0]["id"]
    write(directory, pools)
    return [str(directory), "--serial"]


def bad_field(directory: Path) -> list[str]:
    pools = federation(1, n_pools=2)
    pools["pool1"]["offers"][0]["hours"] = -2
    write(directory, pools)
    return [str(directory), "--serial"]


def settings_differ(directory: Path) -> list[str]:
    pools = federation(1, n_pools=2)
    pools["pool1"]["settings"]["seed"] += 1
    write(directory, pools)
    return [str(directory), "--serial"]


def broken_json(directory: Path) -> list[str]:
    write(directory, federation(1, n_pools=2))
    (directory / "pool1.json").write_text('{"format": ', encoding="utf-8")
    return [str(directory), "--serial"]


def empty(directory: Path) -> list[str]:
    return [str(directory), "--serial"]


def serial_on_a_cluster(directory: Path) -> list[str]:
    write(directory, federation(1, n_pools=2))
    return [str(directory), "--serial", "--address", "ray://nowhere:10001"]


BAD = {
    "an id in two pools": (clash, r"error: {d}/pool1\.json: participants\[0\]\.id: '.*' is also a"
                                  r" participant of pool 'pool0' \({d}/pool0\.json\)"),
    "a bad field": (bad_field, r"error: {d}/pool1\.json: offers\[0\]\.hours: must be >= 0,"
                               r" got -2"),
    "differing settings": (settings_differ, r"error: {d}/pool1\.json: settings: differ from"
                                            r" {d}/pool0\.json's"),
    "broken JSON": (broken_json, r"error: {d}/pool1\.json:1:12: invalid JSON: .*"),
    "no pools": (empty, r"error: {d}: holds no pool \(\*\.json scenario files\)"),
    "--serial with --address": (serial_on_a_cluster, r"error: --address: not with --serial"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, case: str) -> None:
    make, pattern = BAD[case]

    result = clear(*make(tmp_path))

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1


    assert re.fullmatch(pattern.format(d=re.escape(str(tmp_path))) + "\n", result.stderr), (
        result.stderr)


def test_simulate_refuses_ray_without_a_sweep(tmp_path: Path) -> None:
    result = simulate([str(written(tmp_path)), "--out", str(tmp_path / "out"), "--ray"])

    assert result.exit_code == 2
    assert result.stderr == "error: --ray: runs a sweep's points in parallel; give --sweep too\n"


@pytest.fixture(scope="module")
def ray_for_the_module() -> Iterator[None]:
    import ray

    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    try:
        yield
    finally:
        if started:
            ray.shutdown()


@pytest.mark.usefixtures("ray_for_the_module")
def test_a_sweep_on_ray_writes_the_serial_sweeps_data(tmp_path: Path) -> None:
    config = written(tmp_path, SMALL.replace("periods = 3", "periods = 2")
                     + '\n[sweep]\n"agents.strategies.luxury" = [0.0, 0.5]\n')

    serial = simulate([str(config), "--out", str(tmp_path / "serial"), "--sweep"])
    on_ray = simulate([str(config), "--out", str(tmp_path / "ray"), "--sweep", "--ray"])

    assert serial.exit_code == 0, serial.output
    assert on_ray.exit_code == 0, on_ray.output
    for name in ("periods.csv", "summary.csv", "members.csv", "costs.csv", "weights.csv"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "serial" / name
                                                           ).read_bytes(), name
