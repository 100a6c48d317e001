"""A command whose optional packages are not installed says in one line how to install them
and exits with code 2: ``simulate`` without mesa or matplotlib (``peerconomy[sim]``),
``federation clear`` without ``--serial`` and ``simulate --ray`` without Ray
(``peerconomy[scale]``). Each runs in a fresh interpreter in which importing the package
fails, as it does where it is not installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SIMULATION = EXAMPLES / "simulations" / "a_auction_lowers_costs.toml"
SWEEP = EXAMPLES / "simulations" / "c_product_types.toml"  # has a sweep grid


def _without(module: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``peerconomy ARGUMENTS`` where ``import module`` fails."""
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from peerconomy.cli import app\n"
            "app(sys.argv[1:], prog_name='peerconomy')\n")
    return subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True,
                          text=True, check=False, timeout=120)


def _federation(tmp_path: Path) -> Path:
    folder = tmp_path / "federation"
    folder.mkdir()
    shutil.copy(EXAMPLES / "farm.json", folder / "farm.json")  # a federation of one pool
    return folder


def _says_how_to_install(done: subprocess.CompletedProcess[str], extra: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.count("\n") == 1, done.stderr[-2000:]  # one line, no traceback
    assert done.stderr.startswith("error: ")
    assert f"pip install '.[{extra}]'" in done.stderr
    assert f"py3-none-any.whl[{extra}]'" in done.stderr
    assert "'peerconomy[" not in done.stderr  # never the unpublished name on PyPI


@pytest.mark.parametrize("module", ["mesa", "matplotlib"])
def test_simulate_without_the_simulator_says_to_install_sim(tmp_path: Path, module: str) -> None:
    done = _without(module, "simulate", str(SIMULATION), "--out", str(tmp_path / "out"),
                    "--periods", "1")

    _says_how_to_install(done, "sim")
    assert f"needs {module}" in done.stderr
    assert not (tmp_path / "out").exists()


def test_federation_clear_without_ray_says_to_install_scale(tmp_path: Path) -> None:
    done = _without("ray", "federation", "clear", str(_federation(tmp_path)))

    _says_how_to_install(done, "scale")
    assert "needs ray" in done.stderr
    assert done.stdout == ""


def test_federation_clear_serially_needs_no_ray(tmp_path: Path) -> None:
    done = _without("ray", "federation", "clear", str(_federation(tmp_path)), "--serial")

    assert done.returncode == 0, done.stderr[-2000:]
    assert '"format": "peerconomy-plan/2"' in done.stdout


def test_simulate_on_ray_without_ray_says_to_install_scale(tmp_path: Path) -> None:
    done = _without("ray", "simulate", str(SWEEP), "--out", str(tmp_path / "out"), "--sweep",
                    "--ray")

    _says_how_to_install(done, "scale")
    assert "--ray needs ray" in done.stderr
    assert not (tmp_path / "out").exists()
