"""What the pages and the API show: read-only views of a pool, one transaction each.

*My period* (a member's share, credits, balance, assignments and next steps), the task and
goods lists with last period's weights and costs, the work awaiting confirmation, and the
history behind the ledger's charts (balances, weights and premiums period by period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peerconomy.domain.period import PeriodState, has_plan
from peerconomy.domain.pool import Assignment, Period, Plan, WorkLog
from peerconomy.domain.scenario import Good, Offer, Task, Wish
from peerconomy.domain.share_parts import ShareParts, share_parts
from peerconomy.domain.work import (
    awaits,
    beyond_assignment,
    credits,
    may_confirm,
    may_reject,
    may_withdraw,
)
from peerconomy.ledger.journal import participant_account
from peerconomy.services import lookup
from peerconomy.services.collecting import active_goods, active_tasks
from peerconomy.services.logged_work import LoggedWork, lines_of
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "GoodRow",
    "History",
    "MyPeriod",
    "TaskRow",
    "auction_goods",
    "goods_overview",
    "history",
    "my_period",
    "tasks_overview",
    "work_to_confirm",
]


@dataclass(frozen=True, slots=True)
class MyPeriod:
    """A member's view of the current period."""

    pool: str
    participant: str
    period: Period
    offers: list[Offer]
    wishes: list[Wish]
    assignments: list[Assignment]
    """Their assignments in the current period's plan (empty before it is cleared)."""
    allocations: list[dict[str, Any]]
    """Goods the plan gives them (``good``, ``quantity``, ``cost``)."""
    share: float | None
    """Their share of the period's work in weighted hours (None before the clearing)."""
    credits: float
    """Credit of their confirmed work in the current period so far, in weighted hours."""
    balance: Decimal
    """Their balance in the books (credits minus shares of the settled periods)."""
    logs: list[WorkLog]
    """Work they logged in the current period."""
    to_confirm: list[WorkLog]
    """Others' pending work on their tasks (a coordinator's: all of it), shown to them."""
    confirmable: frozenset[int] = frozenset()
    """The ids of the logs of ``to_confirm`` they may confirm (:func:`may_confirm`): the page
    draws a *Confirm* button on these only."""
    rejectable: frozenset[int] = frozenset()
    """The ids of the logs of ``to_confirm`` they may reject (:func:`may_reject`)."""
    next_steps: list[str] = field(default_factory=list)
    """What to do next, as codes the pages turn into sentences: ``offer``, ``wish``,
    ``wait_for_clearing``, ``log_work``, ``confirm_work``, ``wait_for_settlement``."""
    share_parts: ShareParts | None = None
    """What their share is made of: goods, premiums, overhead, refund (None before the
    clearing, and for a plan of format ``/1``)."""
    periods_left: dict[str, int] = field(default_factory=dict)
    """Of their subscriptions (wishes with a term), the periods each still stands, this one
    included."""
    lines: dict[int, LoggedWork] = field(default_factory=dict)
    """The period's logs (those of ``logs`` and ``to_confirm`` among them), by id, as their
    readers see them: the task's name, the shift it came from, the hours beyond the worker's
    assignment."""
    withdrawable: frozenset[int] = frozenset()
    """The ids of the logs of ``logs`` they may withdraw (:func:`may_withdraw`: those
    awaiting confirmation)."""
    beyond_assignment: dict[str, float] = field(default_factory=dict)
    """The hours they logged beyond their assignment, by task (tasks without excess left
    out): shown as such, they earn nothing."""


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task of the pool with what the latest plan says of it."""

    task: Task
    hours_needed: float | None
    """Hours the latest plan needed (assigned and uncovered; None: never cleared)."""
    weight: float | None
    """Last period's weight (None: never cleared)."""
    open_hours: float
    """Hours of the latest plan nobody was assigned."""


@dataclass(frozen=True, slots=True)
class GoodRow:
    """A good of the pool with its last cost."""

    good: Good
    unit_cost: float | None
    premium: float | None
    allocated: int | None
    wished: int | None


@dataclass(frozen=True, slots=True)
class History:
    """Period by period, for the ledger's charts."""

    periods: list[int]
    """The numbers of the periods that have a plan."""
    balances: dict[int, Decimal]
    """The participant's balance after each period's postings (settled periods only)."""
    weights: dict[str, dict[int, float]]
    """Each task's weight by period."""
    premiums: dict[str, dict[int, float]]
    """Each good's premium by period (goods that ever had one)."""


def _latest_plan(uow: UnitOfWork, pool: str) -> tuple[Period, Plan | None]:
    """The current period and the latest plan: its own once cleared, else the last period's."""
    period = lookup.current_period(uow, pool)
    if has_plan(period.state):
        return period, uow.periods.plan(pool, period.number)
    return period, uow.periods.plan(pool, period.number - 1) if period.number > 1 else None


def my_period(uow: UnitOfWork, pool: str, participant: str) -> MyPeriod:
    """A member's share, credits so far, balance, assignments and next steps."""
    with uow:
        lookup.pool(uow, pool)
        me = lookup.member(uow, pool, participant, active=False)
        period = lookup.current_period(uow, pool)
        number = period.number
        offers = uow.periods.offers(pool, number, participant=participant)
        wishes = uow.periods.wishes(pool, number, participant=participant)
        left = uow.periods.periods_left(pool, number)
        plan = uow.periods.plan(pool, number) if has_plan(period.state) else None
        all_assignments = uow.periods.assignments(pool, number) if plan else []
        logs = uow.periods.work_logs(pool, number) if plan else []
        balance = uow.journal.balance(pool, participant_account(participant))
        auctioned = auction_goods(uow, pool) if plan else frozenset()
        lines = {line.log.id: line for line in lines_of(uow, pool, number, logs)}
    mine = [a for a in all_assignments if a.participant == participant]
    share = float(plan.data.shares.get(participant, 0.0)) if plan else None
    earned = (
        credits(all_assignments, plan.data.weights, plan.data.uncovered, logs).get(
            participant, 0.0
        )
        if plan
        else 0.0
    )
    my_tasks = {a.task for a in mine}
    to_confirm = [log for log in logs if awaits(log, me, my_tasks)]
    confirmable = frozenset(log.id for log in to_confirm if may_confirm(log, me))
    rejectable = frozenset(log.id for log in to_confirm if may_reject(log, me))
    steps: list[str] = []
    if period.state is PeriodState.COLLECTING:
        steps += [s for s, done in (("offer", offers), ("wish", wishes)) if not done]
        steps.append("wait_for_clearing")
    elif period.state is PeriodState.CLEARED:
        logged: dict[str, float] = defaultdict(float)
        for log in logs:
            if log.participant == participant and log.status != "rejected":
                logged[log.task] += log.hours
        if any(logged[a.task] < a.hours - 1e-9 for a in mine):
            steps.append("log_work")
        if confirmable:
            steps.append("confirm_work")
        steps.append("wait_for_settlement")
    allocations = [
        {"good": a.good, "quantity": a.quantity, "cost": a.cost}
        for a in (plan.data.allocations if plan else ())
        if a.participant == participant
    ]
    return MyPeriod(
        pool,
        participant,
        period,
        offers,
        wishes,
        mine,
        allocations,
        share,
        earned,
        balance,
        [log for log in logs if log.participant == participant],
        to_confirm,
        confirmable,
        rejectable,
        steps,
        share_parts(plan.data, participant, auctioned) if plan else None,
        {w.id: left[w.id] for w in wishes if w.id in left},
        lines,
        frozenset(log.id for log in logs if may_withdraw(log, participant)
                  and log.participant == participant),
        {task: hours for (who, task), hours in beyond_assignment(all_assignments, logs).items()
         if who == participant},
    )


def auction_goods(uow: UnitOfWork, pool: str) -> frozenset[str]:
    """Inside a transaction: the ids of the pool's auction goods (their premiums are
    charged; see :func:`~peerconomy.domain.share_parts.share_parts`)."""
    return frozenset(g.id for g in uow.pools.goods(pool) if g.model == "auction")


def tasks_overview(uow: UnitOfWork, pool: str) -> list[TaskRow]:
    """The pool's active tasks with hours needed, weight and open hours of the latest plan."""
    with uow:
        lookup.pool(uow, pool)
        tasks = active_tasks(uow, pool)
        _, plan = _latest_plan(uow, pool)
    assigned: dict[str, float] = defaultdict(float)
    for a in plan.data.assignments if plan else ():
        assigned[a.task] += a.hours
    weights = plan.data.weights if plan else {}
    uncovered = plan.data.uncovered if plan else {}
    return [
        TaskRow(
            t,
            assigned[t.id] + uncovered.get(t.id, 0.0) if plan else None,
            weights.get(t.id),
            uncovered.get(t.id, 0.0),
        )
        for t in tasks
    ]


def goods_overview(uow: UnitOfWork, pool: str) -> list[GoodRow]:
    """The pool's active goods with the latest plan's cost, premium and allocation."""
    with uow:
        lookup.pool(uow, pool)
        goods = active_goods(uow, pool)
        _, plan = _latest_plan(uow, pool)
    figures = plan.data.goods if plan else {}
    rows = []
    for g in goods:
        f = figures.get(g.id)
        rows.append(
            GoodRow(
                g,
                f.unit_cost if f else None,
                f.premium if f else None,
                f.allocated if f else None,
                f.wished if f else None,
            )
        )
    return rows


def work_to_confirm(uow: UnitOfWork, pool: str) -> list[WorkLog]:
    """The current period's pending work logs, oldest first."""
    with uow:
        lookup.pool(uow, pool)
        period = lookup.current_period(uow, pool)
        return [
            log for log in uow.periods.work_logs(pool, period.number) if log.status == "pending"
        ]


def history(uow: UnitOfWork, pool: str, participant: str | None = None) -> History:
    """Balances (of ``participant``), weights and premiums, period by period."""
    with uow:
        lookup.pool(uow, pool)
        latest = lookup.current_period(uow, pool).number
        plans = [p for n in range(1, latest + 1) if (p := uow.periods.plan(pool, n)) is not None]
        journal = uow.journal.transactions(pool) if participant is not None else []
    balances: dict[int, Decimal] = {}
    if participant is not None:
        account = participant_account(participant)
        running = Decimal(0)
        for t in journal:
            running += sum((p.amount for p in t.postings if p.account == account), Decimal(0))
            balances[t.period] = running
    weights: dict[str, dict[int, float]] = defaultdict(dict)
    premiums: dict[str, dict[int, float]] = defaultdict(dict)
    for plan in plans:
        for task, weight in plan.data.weights.items():
            weights[task][plan.period] = weight
        for good, figures in plan.data.goods.items():
            premiums[good][plan.period] = figures.premium
    return History(
        [p.period for p in plans],
        balances,
        dict(weights),
        {g: by_period for g, by_period in premiums.items() if any(by_period.values())},
    )
