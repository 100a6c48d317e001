"""``peerconomy`` starts without the engine: the command line imports numpy, numba, scipy,
SQLAlchemy, FastAPI and the simulator's packages only in the commands that use them, so that
``peerconomy --help`` and the commands that do not clear start in a fraction of a second
(issue 18; the times are benchmarks/cli_startup.py's, not a test's)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("numpy", "numba", "scipy", "sqlalchemy", "fastapi", "alembic", "mesa", "matplotlib",
         "ray", "uvicorn", "msgspec", "argon2", "psycopg", "jinja2")
"""Packages none of which ``peerconomy --help`` needs."""

OURS = (*HEAVY, "pydantic")
"""What importing the command line needs none of either. (Typer itself imports pydantic as
soon as it reads a command's parameters, to convert their values: ``user --help`` does.)"""


def _imported(*arguments: str) -> set[str]:
    """The top-level packages a fresh ``python -X importtime`` imports running ``arguments``."""
    done = subprocess.run([sys.executable, "-X", "importtime", *arguments],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("arguments", [
    ("-c", "import peerconomy"),
    ("-c", "import peerconomy.cli"),
    ("-m", "peerconomy", "--help"),
    ("-m", "peerconomy", "--version"),
], ids=" ".join)
def test_the_command_line_itself_imports_no_engine_nor_pydantic(
    arguments: tuple[str, ...],
) -> None:
    imported = _imported(*arguments)

    assert "peerconomy" in imported  # the measurement saw the package load
    assert imported.isdisjoint(OURS), sorted(imported & set(OURS))


@pytest.mark.parametrize("arguments", [
    ("-m", "peerconomy", "user", "--help"),
    ("-m", "peerconomy", "db", "--help"),
    ("-m", "peerconomy", "member", "--help"),
    ("-m", "peerconomy", "simulate", "--help"),
    ("-m", "peerconomy", "federation", "clear", "--help"),
    ("-m", "peerconomy", "ledger", "export", "--help"),
], ids=" ".join)
def test_a_commands_help_imports_no_engine(arguments: tuple[str, ...]) -> None:
    imported = _imported(*arguments)

    assert "peerconomy" in imported  # the measurement saw the package load
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_the_package_still_gives_its_names_on_use() -> None:
    import peerconomy
    from peerconomy.domain.scenario import ScenarioError, parse_scenario

    assert peerconomy.ScenarioError is ScenarioError
    assert peerconomy.parse_scenario is parse_scenario
    assert isinstance(peerconomy.__version__, str) and peerconomy.__version__
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        peerconomy.nothing  # noqa: B018
