"""The simulator: what-if runs of a pool over many periods under different allocation rules,
run by the real clearing engine and services, with metrics, claims and reports."""

from peerconomy.sim.config import SimulationConfig, load_config, parse_config
from peerconomy.sim.model import PoolModel
from peerconomy.sim.rules import PRESETS, AllocationRule
from peerconomy.sim.runner import Comparison, Run, compare, run, sweep

__all__ = [
    "PRESETS",
    "AllocationRule",
    "Comparison",
    "PoolModel",
    "Run",
    "SimulationConfig",
    "compare",
    "load_config",
    "parse_config",
    "run",
    "sweep",
]
