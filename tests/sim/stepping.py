"""Running a simulated pool a few periods in a test, and reading its last plan."""

from __future__ import annotations

from peerconomy.bootstrap import memory_store
from peerconomy.domain.plan import ClearedPlan
from peerconomy.sim import PRESETS
from peerconomy.sim.config import SimulationConfig
from peerconomy.sim.model import PoolModel


def stepped(config: SimulationConfig, rule: str = "auction", periods: int = 0) -> PoolModel:
    """A model of ``config`` under the preset ``rule``, ``periods`` periods on."""
    model = PoolModel(config, PRESETS[rule], store=memory_store())
    for _ in range(periods):
        model.step()
    return model


def last_plan(model: PoolModel) -> ClearedPlan:
    """The plan of the period the model ran last."""
    assert model.outcome is not None
    return model.outcome.plan
