"""A period's lifecycle steps: clear (make the plan, and place its hours on the period's
shifts, :mod:`peerconomy.services.shifts`), settle (post it to the books and open
the next period), close; a preview (the provisional plan any member may see, nothing stored)
and reopen (the plan withdrawn, kept in the period's history, its placements removed, before
any work is logged on it). Clearing and settling record
their events (:class:`~peerconomy.domain.events.PeriodCleared`,
:class:`~peerconomy.domain.events.PeriodOpened`), whose handlers queue the members' notices in
the step's own transaction (:mod:`peerconomy.services.messagebus`), whichever door it came
through.

Each step locks the pool first, so when two coordinators clear at once the second waits, then
finds the period cleared and is refused; the store holds one plan.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.events import PeriodCleared, PeriodOpened
from peerconomy.domain.period import Action, IllegalTransitionError, PeriodState, advance
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.plan_checks import first_non_finite, plan_warnings
from peerconomy.domain.pool import Period, Plan, active_participants
from peerconomy.domain.scenario import (
    FORMAT,
    LABELS,
    Good,
    Holding,
    Offer,
    Participant,
    Project,
    Scenario,
    Settings,
    Task,
    Wish,
    within_limits,
)
from peerconomy.domain.schedule import PeriodDates, Schedule
from peerconomy.domain.share_parts import ShareParts, share_parts
from peerconomy.domain.work import credits
from peerconomy.ledger.settlement import settlement
from peerconomy.services import lookup, messagebus
from peerconomy.services.audit import record
from peerconomy.services.collecting import active_goods, active_tasks, withdraw_everything_of
from peerconomy.services.errors import ConflictError, InputError, NotFoundError
from peerconomy.services.holdings import carry_holdings, end_holdings_of
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.shifts import place_plan, withdraw_placements

__all__ = ["MyPreview", "PeriodInputs", "Preview", "clear_period", "close_period",
           "input_hash", "may_reopen", "next_dates", "period_inputs", "period_scenario",
           "preview_period", "reopen_period", "reopen_refusal", "require_step",
           "settle_period"]


@dataclass(frozen=True, slots=True)
class PeriodInputs:
    """What a period clears from, as read from the store, before it is checked as one
    scenario. The preview is cached by their hash: while nothing changes, a member's look at
    the period costs reading them, not checking them as a whole (5,000 wishes against their
    goods) and clearing them."""

    settings: Settings
    participants: tuple[Participant, ...]
    projects: tuple[Project, ...]
    tasks: tuple[Task, ...]
    goods: tuple[Good, ...]
    offers: tuple[Offer, ...]
    wishes: tuple[Wish, ...]
    holdings: tuple[Holding, ...]

    def scenario(self) -> Scenario:
        """The scenario the period clears (checked as a whole; a pure function of these)."""
        return Scenario(
            format=FORMAT,
            settings=self.settings,
            participants=list(self.participants),
            projects=list(self.projects),
            tasks=list(self.tasks),
            goods=list(self.goods),
            offers=list(self.offers),
            # wishes kept from before their goods had limits ask for no more than these allow
            wishes=within_limits(self.wishes, self.goods),
            holdings=list(self.holdings),
        )

    def stamp(self) -> str:
        """SHA-256 of these inputs' JSON: equal stamps, equal scenarios."""
        return hashlib.sha256(_INPUTS_JSON.dump_json(self)).hexdigest()


_INPUTS_JSON: TypeAdapter[PeriodInputs] = TypeAdapter(PeriodInputs)


def period_inputs(uow: UnitOfWork, period: Period) -> PeriodInputs:
    """Inside a transaction: what ``period`` clears from (active members and projects, their
    tasks and goods, the period's offers and wishes, the units held, the pool's settings)."""
    pool = lookup.pool(uow, period.pool)
    tasks = active_tasks(uow, pool.name)
    task_ids = {t.id for t in tasks}
    goods = active_goods(uow, pool.name)
    participants = active_participants(uow.pools.members(pool.name))
    here = {p.id for p in participants}
    offered = {g.id for g in goods}
    return PeriodInputs(
        settings=Settings(
            max_weight=pool.settings.max_weight,
            seed=pool.settings.seed + period.number - 1,
            weight_estimates={
                k: w for k, w in period.weight_estimates.items() if k in task_ids and w > 0
            },
        ),
        participants=tuple(participants),
        projects=tuple(Project(id=p.id) for p in uow.pools.projects(pool.name) if p.active),
        tasks=tuple(tasks),
        goods=tuple(goods),
        offers=tuple(uow.periods.offers(pool.name, period.number)),
        wishes=tuple(uow.periods.wishes(pool.name, period.number)),
        holdings=tuple(h.in_scenario() for h in uow.periods.holdings(pool.name)
                       if h.participant in here and h.good in offered),
    )


def period_scenario(uow: UnitOfWork, period: Period) -> Scenario:
    """Inside a transaction: the scenario ``period`` clears (see :func:`period_inputs`)."""
    return period_inputs(uow, period).scenario()


def input_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: what a plan was cleared from. The names,
    descriptions, places and contacts people read are left out (:data:`LABELS`): the
    clearing does not read them, so renaming a task changes no plan's hash, and a scenario
    without them hashes as it did before they existed."""
    return hashlib.sha256(scenario.model_dump_json(exclude=LABELS).encode()).hexdigest()


def clear_period(
    uow: UnitOfWork, pool: str, *, now: datetime | None = None, actor: str | None = None
) -> Plan:
    """Clear the pool's collecting period and keep its plan; return the plan."""
    with uow, paused_collection():  # a big pool's scenario and plan: ~10^5 acyclic objects
        lookup.pool(uow, pool, lock=True)
        period = lookup.current_period(uow, pool)
        after = advance(period.state, "clear")
        scenario = period_scenario(uow, period)
        plan = Plan(
            pool,
            period.number,
            input_hash(scenario),
            now or datetime.now(UTC),
            _finite(clear_scenario(scenario)),
        )
        uow.periods.add_plan(plan)
        uow.periods.set_state(pool, period.number, after)
        place_plan(uow, period, plan.data)
        record(uow, pool, "period.clear", actor=actor, subject=period.number,
               detail={"input_hash": plan.input_hash}, now=plan.cleared_at)
        messagebus.record(uow, PeriodCleared(plan))
        messagebus.commit(uow)
    return plan


def _finite(data: ClearedPlan) -> ClearedPlan:
    """The plan, if every number in it is finite; a plan that is not could never be settled,
    so it is refused (naming the first bad number) and never stored."""
    where = first_non_finite(data.to_json())
    if where is not None:
        raise InputError(f"plan.{where}", "is not a finite number; the plan is not kept")
    return data


@dataclass(frozen=True, slots=True)
class Preview:
    """The plan the pool's collecting period would clear to now: provisional, never stored.

    ``plan`` is exactly what :func:`clear_period` would keep for the same offers and wishes
    (the clearing is a pure function of the scenario, whose SHA-256 is ``input_hash``);
    ``warnings`` are the coordinator's flags (a share above ten times the median capacity, a
    number that is not finite, see :func:`~peerconomy.domain.plan_checks.plan_warnings`)."""

    pool: str
    period: int
    input_hash: str
    plan: ClearedPlan
    warnings: tuple[dict[str, Any], ...]
    auctioned: frozenset[str] = frozenset()
    """The ids of the auction goods (whose premiums a share's parts name)."""

    def of(self, participant: str) -> MyPreview:
        """What the provisional plan gives ``participant``: share (and its parts),
        assignments, goods."""
        data = self.plan
        return MyPreview(
            share=data.shares.get(participant),
            parts=share_parts(data, participant, self.auctioned),
            assignments=tuple((a.task, a.hours, data.weights.get(a.task, 0.0))
                              for a in data.assignments if a.participant == participant),
            allocations=tuple((a.good, a.quantity, a.cost)
                              for a in data.allocations if a.participant == participant),
        )


@dataclass(frozen=True, slots=True)
class MyPreview:
    """One member's part of a :class:`Preview`: their provisional share (None: not in the
    plan), their assignments (task, hours, weight) and their goods (good, units, cost)."""

    share: float | None
    parts: ShareParts | None
    """What the share is made of: goods, premiums, overhead, refund."""
    assignments: tuple[tuple[str, float, float], ...]
    allocations: tuple[tuple[str, int, float], ...]


@dataclass(frozen=True, slots=True)
class _Kept:
    """A preview as the cache keeps it: the real input hash (what a clear would record), the
    provisional plan, its warnings and the auction goods' ids."""

    input_hash: str
    plan: ClearedPlan
    warnings: tuple[dict[str, Any], ...]
    auctioned: frozenset[str]


_PREVIEWS: OrderedDict[str, _Kept] = OrderedDict()
_PREVIEWS_KEPT = 16
"""Previews by the stamp of their period's inputs, the least recently asked dropped first:
while nothing changes in a period, every member's look at it costs reading its inputs and
their hash, not a check of the scenario and a clearing."""
_PREVIEWS_LOCK = threading.Lock()
"""The server answers requests in threads: one's eviction must not come between another's
look-up and its move to the end."""


def preview_period(uow: UnitOfWork, pool: str) -> Preview:
    """Clear the pool's collecting period without keeping anything: the provisional plan any
    member may see, with the coordinator's warnings. Cached by the stamp of the period's
    inputs (:meth:`PeriodInputs.stamp`)."""
    with uow, paused_collection():
        lookup.pool(uow, pool)
        period = lookup.current_period(uow, pool)
        advance(period.state, "clear")  # only a period that could be cleared now
        inputs = period_inputs(uow, period)
    stamp = inputs.stamp()
    with _PREVIEWS_LOCK:
        kept = _PREVIEWS.get(stamp)
        if kept is not None:
            _PREVIEWS.move_to_end(stamp)
    if kept is None:
        with paused_collection():
            scenario = inputs.scenario()
            data = clear_scenario(scenario)
        where = first_non_finite(data.to_json())
        warnings = plan_warnings(data, [p.capacity for p in scenario.participants])
        if where is not None:
            warnings.insert(0, {"kind": "non_finite", "field": f"plan.{where}"})
        kept = _Kept(input_hash(scenario), data, tuple(warnings),
                     frozenset(g.id for g in scenario.goods if g.model == "auction"))
        with _PREVIEWS_LOCK:
            _PREVIEWS[stamp] = kept
            while len(_PREVIEWS) > _PREVIEWS_KEPT:
                _PREVIEWS.popitem(last=False)
    return Preview(pool, period.number, kept.input_hash, kept.plan, kept.warnings,
                   kept.auctioned)


def require_step(uow: UnitOfWork, pool: str, action: Action) -> Period:
    """The pool's current period, where ``action`` may be taken from the state it is in
    now; else :class:`~peerconomy.domain.period.IllegalTransitionError` (a door refuses a
    step at once, before it starts a long one such as the clearing)."""
    with uow:
        period = lookup.current_period(uow, pool)
    advance(period.state, action)
    return period


def reopen_refusal(period: Period, logged: int) -> str | None:
    """Why the cleared ``period``, with ``logged`` work logs on its plan, may not be
    reopened (None: it may): work logged on the plan would lose its ground."""
    if logged:
        return (f"period {period.number} of pool {period.pool!r} has work logged on its plan"
                f" ({logged} entries); it can be settled, not reopened")
    return None


def may_reopen(period: Period, logged: int) -> bool:
    """Whether :func:`reopen_period` would reopen ``period`` (with ``logged`` work logs on
    its plan): it is cleared and :func:`reopen_refusal` has nothing against it."""
    try:
        advance(period.state, "reopen")
    except IllegalTransitionError:
        return False
    return reopen_refusal(period, logged) is None


def reopen_period(
    uow: UnitOfWork, pool: str, *, now: datetime | None = None, actor: str | None = None
) -> Period:
    """Reopen the pool's cleared period for collecting: its plan is withdrawn (kept in the
    period's history, marked withdrawn, with when and by whom), the offers and wishes stay.
    Refused once work is logged on the plan (it would lose its ground), and for a period that
    is not cleared (a settled one is never reopened)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        period = lookup.current_period(uow, pool)
        _refuse_a_settled_one(uow, period)
        after = advance(period.state, "reopen")
        refused = reopen_refusal(period, len(uow.periods.work_logs(pool, period.number)))
        if refused is not None:
            raise ConflictError(refused)
        moment = now or datetime.now(UTC)
        withdrawn = uow.periods.withdraw_plan(pool, period.number, at=moment, by=actor)
        withdraw_placements(uow, period)
        uow.periods.set_state(pool, period.number, after)
        record(uow, pool, "period.reopen", actor=actor, subject=period.number,
               detail={"input_hash": None if withdrawn is None else withdrawn.plan.input_hash},
               now=moment)
        uow.commit()
    return period.moved_to(after)


def _refuse_a_settled_one(uow: UnitOfWork, period: Period) -> None:
    """Where the pool's current period collects after a settled one, say so: the coordinator
    asking to reopen means the settled period, and a settled period is never reopened."""
    if period.state is not PeriodState.COLLECTING or period.number == 1:
        return
    before = uow.periods.get(period.pool, period.number - 1)
    if before is not None and before.state in (PeriodState.SETTLED, PeriodState.CLOSED):
        raise ConflictError(
            f"cannot reopen a period that is collecting (it must be cleared): period"
            f" {before.number} of pool {period.pool!r} is {before.state.value}, and a settled"
            " period is never reopened")


def settle_period(
    uow: UnitOfWork, pool: str, *, on: date | None = None, actor: str | None = None
) -> Period:
    """Post the cleared period's shares and confirmed credits to the ledger, and open the next
    period, collecting, with the offers and wishes standing and the weights just found as its
    estimates, dated where the pool's periods are (:func:`next_dates`). Return the new
    period."""
    with uow, paused_collection():
        found = lookup.pool(uow, pool, lock=True)
        period = lookup.current_period(uow, pool)
        after = advance(period.state, "settle")
        plan = uow.periods.plan(pool, period.number)
        if plan is None:  # pragma: no cover - a cleared period always has its plan
            raise NotFoundError("plan of period", period.number, pool)
        weights = plan.data.weights
        earned = credits(
            uow.periods.assignments(pool, period.number),
            weights,
            plan.data.uncovered,
            uow.periods.work_logs(pool, period.number),
        )
        uow.journal.add(
            pool, settlement(period.number, on or date.today(), plan.data.shares, earned)
        )
        uow.periods.set_state(pool, period.number, after)
        following = Period(pool, period.number + 1, PeriodState.COLLECTING,
                           dict(weights)).dated(next_dates(found.settings.schedule, period))
        uow.periods.add(following)
        uow.periods.carry_over(pool, period.number, following.number)
        carry_holdings(uow, period, plan.data, following)
        _withdraw_what_left(uow, following)
        record(uow, pool, "period.settle", actor=actor, subject=period.number,
               detail={"opened": following.number})
        messagebus.record(uow, PeriodOpened(pool, following.number, datetime.now(UTC)))
        messagebus.commit(uow)
    return following


def next_dates(schedule: Schedule, before: Period, *, now: datetime | None = None
               ) -> PeriodDates | None:
    """The dates of the period after ``before`` in a pool of ``schedule`` (None: undated, the
    pool has no period length): it begins the day after ``before`` ends, or, where
    ``before`` was undated, on the pool's today at ``now``."""
    if schedule.length is None:
        return None
    if before.ends_on is not None:
        return schedule.dates(before.ends_on + timedelta(days=1))
    return schedule.dates(schedule.today(now or datetime.now(UTC)))


def _withdraw_what_left(uow: UnitOfWork, period: Period) -> None:
    """Standing offers and wishes do not outlive their members and projects: members and
    projects that left while the period was cleared take theirs with them."""
    pool = period.pool
    active = {p.id for p in uow.pools.projects(pool) if p.active}
    left = {m.id for m in uow.pools.members(pool) if not m.active}
    gone = {g.id for g in uow.pools.goods(pool) if g.project not in active}
    withdraw_everything_of(
        uow,
        period,
        participants=left,
        tasks={t.id for t in uow.pools.tasks(pool) if t.project not in active},
        goods=gone,
    )
    end_holdings_of(uow, pool, left, gone)


def close_period(
    uow: UnitOfWork, pool: str, number: int, *, actor: str | None = None
) -> Period:
    """Close a settled period: its books are final (corrections go into later periods)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        period = uow.periods.get(pool, number)
        if period is None:
            raise NotFoundError("period", number, pool)
        closed = period.moved_to(advance(period.state, "close"))
        uow.periods.set_state(pool, number, closed.state)
        record(uow, pool, "period.close", actor=actor, subject=number)
        uow.commit()
    return closed
