"""``peerconomy warm-up`` compiles the engine a large pool's first clear would otherwise wait on."""

from __future__ import annotations

from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.mechanisms import _jit

# every kernel the flow core and the components call from Python
CALLED_FROM_PYTHON = {
    "peerconomy.mechanisms._flow_auction.auction",
    "peerconomy.mechanisms._flow_scaling.build",
    "peerconomy.mechanisms._flow_scaling.cost_scaling",
    "peerconomy.mechanisms._flow_scaling.extreme_distances",
    "peerconomy.mechanisms._flow_ssp.solve_ssp",
    "peerconomy.mechanisms._flow_unit.clear",
    "peerconomy.mechanisms.components._label",
    "peerconomy.mechanisms.flow._decimals",
}


def test_warm_up_compiles_every_kernel_a_clearing_calls_and_says_each_step() -> None:
    result = CliRunner().invoke(app, ["warm-up"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Compiling the clearing engine (or loading it from the cache):"
    assert lines[1:6] == [
        "  the unit auction…",
        "  cost scaling…",
        "  the auction's warm start…",
        "  the fallback…",
        "  connected components…",
    ]
    assert lines[6].startswith("✓ the clearing engine is ready (")
    compiled = {f"{d.py_func.__module__}.{d.py_func.__name__}" for d in _jit.compiled_kernels()}
    assert compiled >= CALLED_FROM_PYTHON
