"""What a run of the demo found, period by period: frozen values the story is told from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Assignment, Period
from peerconomy.domain.scenario import Offer
from peerconomy.ledger.journal import Account
from peerconomy.services.hints import HintBoard

__all__ = ["DemoResult", "LoggedWork", "PeriodFigures", "WorkSummary"]


class LoggedWork(NamedTuple):
    """Work a member logged in the simulation, and who confirmed (or accepted) it."""

    participant: str
    task: str
    assigned: float
    """The hours the plan assigned (0 for unassigned work)."""
    logged: float
    confirmed_by: str


@dataclass(frozen=True, slots=True)
class WorkSummary:
    """What members did with one period's plan."""

    period: int
    logs: tuple[LoggedWork, ...]
    """Assigned work, logged and confirmed by another member."""
    forgotten: tuple[Assignment, ...]
    """The assignments of the member who forgot to log."""
    unassigned: LoggedWork | None
    """Work done without an assignment, accepted by a coordinator."""

    @property
    def partly(self) -> tuple[LoggedWork, ...]:
        """Logs of less than the assigned hours."""
        return tuple(log for log in self.logs if log.logged < log.assigned)


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """One period of the demo: its estimates, plan, work, balances after settling, hints."""

    number: int
    weight_estimates: Mapping[str, float]
    plan: ClearedPlan
    offers_changed: tuple[Offer, ...]
    """Offers members made or changed before this period cleared."""
    work: WorkSummary
    balances: Mapping[Account, Decimal]
    hint_board: HintBoard
    period: Period | None = None
    """The period as it collected: its dates (None: undated)."""


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What :func:`run_demo` did: the pool's name, its scenario, and each period's figures."""

    pool: str
    scenario: Mapping[str, Any]
    periods: tuple[PeriodFigures, ...]

    @property
    def plans(self) -> tuple[ClearedPlan, ...]:
        """Each period's plan (``peerconomy-plan/2``)."""
        return tuple(p.plan for p in self.periods)

    @property
    def balances(self) -> tuple[Mapping[Account, Decimal], ...]:
        """The balances after each settlement (the pool's account last)."""
        return tuple(p.balances for p in self.periods)
