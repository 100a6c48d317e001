"""Allocation rules a simulated pool can run under, each a choice of the engine's own settings.

A rule says how the pool's goods are costed (the scarce ones and the others apart) and how
its task weights are set, and nothing else: every rule is run by the real clearing engine and
services, so comparing rules compares what the engine does with them.

=================  ===============  ==============  ======================================
rule               scarce goods     other goods     task weights
=================  ===============  ==============  ======================================
``flat_rate``      flat_rate        flat_rate       the task auction (automatic)
``flat_allocation``  flat_allocation  flat_allocation  the task auction
``effort``         effort           effort          the task auction
``auction``        auction          effort          the task auction
``lottery``        flat_rate        effort          the task auction
``fixed_weights``  effort           effort          fixed by hand (each task's
                                                    ``fixed_weight``)
=================  ===============  ==============  ======================================

Under ``effort``, an over-wished scarce good is drawn by lot at its effort cost (the engine's
way with every non-auction good); under ``lottery`` it is drawn by lot too but costs its winner
nothing extra, its effort being shared by everyone, as a housing co-op that raffles its rooms
and pools the rent. Under ``fixed_weights`` members offer only on tasks whose fixed weight is
at least their disutility, at that weight, and the pool's ``max_weight`` is the highest fixed
weight: a task that is not fully covered is credited at that weight (the engine posts open
hours at ``max_weight``), which with one weight for all tasks (the usual labor-credit rule,
"an hour is an hour") is the fixed weight itself.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from peerconomy.domain.scenario import GoodModel

__all__ = ["PRESETS", "AllocationRule", "TaskRule"]

TaskRule = Literal["auction", "fixed"]


class AllocationRule(BaseModel):
    """How goods are costed and task weights set; ``name`` labels it in reports."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    scarce: GoodModel = "auction"
    other: GoodModel = "effort"
    tasks: TaskRule = "auction"

    def good_model(self, scarce: bool) -> GoodModel:
        """The engine's model for a good under this rule."""
        return self.scarce if scarce else self.other


PRESETS: dict[str, AllocationRule] = {
    rule.name: rule
    for rule in (
        AllocationRule(name="flat_rate", scarce="flat_rate", other="flat_rate"),
        AllocationRule(name="flat_allocation", scarce="flat_allocation", other="flat_allocation"),
        AllocationRule(name="effort", scarce="effort", other="effort"),
        AllocationRule(name="auction", scarce="auction", other="effort"),
        AllocationRule(name="lottery", scarce="flat_rate", other="effort"),
        AllocationRule(name="fixed_weights", scarce="effort", other="effort", tasks="fixed"),
    )
}
"""The rules compared by name in a configuration's ``rules``."""
