"""The demo run: import the sample pool and run it period by period through the services
(clear, simulated work and its communal validation, settle), members answering the hint board
between periods; the result is what each period showed (:class:`~.result.DemoResult`).

Everything is seeded: the same seed gives the same pool, the same plans and the same result.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

import numpy as np

from peerconomy.demo.data import (
    COORDINATORS,
    PICKUP_POINTS,
    POOL_DISPLAY_NAME,
    POOL_NAME,
    TIME_ZONE,
    demo_scenario,
    pick,
    pickup_point_of,
    shift_rules,
)
from peerconomy.demo.result import DemoResult, LoggedWork, PeriodFigures, WorkSummary
from peerconomy.domain.plan import ClearedPlan
from peerconomy.domain.pool import Assignment, Member, Period, WorkLog
from peerconomy.domain.scenario import Offer, parse_scenario
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import (
    accounts,
    books,
    collecting,
    hints,
    membership,
    pickup,
    pools,
    scheduler,
    shifts,
    views,
    work,
)
from peerconomy.services.hints import HintBoard
from peerconomy.services.periods import settle_period
from peerconomy.services.ports import UnitOfWork

__all__ = ["DEMO_SIGN_INS", "UnitOfWorkFactory", "add_demo_accounts", "first_day",
           "run_periods", "set_up_week", "simulate_work"]

UnitOfWorkFactory = Callable[[], UnitOfWork]
_T = TypeVar("_T")
_WEEK: Final = timedelta(days=7)
_SEASON_AHEAD: Final = 12
"""Weeks of shifts made beyond the collecting period."""


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """What members can see of the pool's latest period (everything is transparent)."""

    period: int
    members: tuple[Member, ...]
    offers: tuple[Offer, ...]
    assignments: tuple[Assignment, ...]
    plan: ClearedPlan | None
    last_day: date | None = None
    """The period's last day (None: undated)."""


def _snapshot(uow_factory: UnitOfWorkFactory, pool: str, number: int | None = None) -> _Snapshot:
    with uow_factory() as uow:  # one transaction for the whole snapshot
        latest = views.latest_period(uow, pool)
        if latest is None:  # pragma: no cover - every pool has its first period
            raise LookupError(f"pool {pool!r} has no period")
        n = latest.number if number is None else number
        plan = views.plan(uow, pool, n)
        period = latest if n == latest.number else uow.periods.get(pool, n)
        return _Snapshot(
            n,
            tuple(views.members(uow, pool, active=True)),
            tuple(views.offers(uow, pool, n)),
            tuple(views.assignments(uow, pool, n)),
            None if plan is None else plan.data,
            None if period is None else period.ends_on,
        )


def _choice(rng: np.random.Generator, items: Sequence[_T]) -> _T:
    return items[int(rng.integers(len(items)))]


def _half_hours(hours: float) -> float:
    return max(0.5, round(hours * 2) / 2)


def simulate_work(
    uow_factory: UnitOfWorkFactory, pool: str, rng: np.random.Generator,
    now: datetime | None = None,
) -> WorkSummary:
    """Members work the cleared period's plan, through the work services only.

    Most log their assignments in full, about one in six only partly, and one member forgets
    to log at all. Work on a task with shifts is logged shift by shift (one tap each: the
    shift's day and length fill the log), the hours that fit no shift as plain work on the
    period's last day; a partial log leaves the last shift out. Each log is confirmed by
    another member (a co-worker on the task where there is one: communal validation). One
    member who has no assignment on the most wanted task (open hours first) does two hours
    of it anyway, and a coordinator accepts that work. ``now``: when the logs are made (by
    default, now), after the period's last shift.
    """
    seen = _snapshot(uow_factory, pool)
    assignments = seen.assignments
    workers = list(dict.fromkeys(a.participant for a in assignments))
    leads = [m.id for m in seen.members if m.role == "coordinator"]
    forgetful = [w for w in workers if w not in leads]
    forgetter = _choice(rng, forgetful) if forgetful else None
    on_task: dict[str, list[str]] = {}
    for a in assignments:
        on_task.setdefault(a.task, []).append(a.participant)
    everyone = [m.id for m in seen.members]
    placed = {w: [held.shift for held in shifts.my_shifts(uow_factory(), pool, w).shifts
                  if held.period == seen.period] for w in workers if w != forgetter}

    logs: list[LoggedWork] = []
    for a in assignments:
        if a.participant == forgetter:
            continue
        partly = rng.random() < 1 / 6 and a.hours > 1
        peers = [p for p in on_task[a.task] if p != a.participant]
        by = _choice(rng, peers or [p for p in everyone if p != a.participant])
        hours = 0.0
        on_shifts = [s for s in placed[a.participant] if s.task == a.task]
        for logged in _log_assignment(uow_factory, pool, seen.last_day, a, on_shifts, partly,
                                      rng, now):
            work.confirm_work(uow_factory(), pool, logged.id, by)
            hours += logged.hours
        logs.append(LoggedWork(a.participant, a.task, a.hours, hours, by))

    extra = _unassigned_work(uow_factory, pool, rng, seen, forgetter, now)
    return WorkSummary(
        seen.period,
        tuple(logs),
        tuple(a for a in assignments if a.participant == forgetter),
        extra,
    )


def _log_assignment(
    uow_factory: UnitOfWorkFactory, pool: str, last_day: date | None, a: Assignment,
    placed: list[Shift], partly: bool, rng: np.random.Generator, now: datetime | None,
) -> list[WorkLog]:
    """Log assignment ``a``: the shifts it is ``placed`` on one by one, and the hours that
    fit no shift (all its hours, on a task without shifts) as plain work on the period's
    ``last_day``; ``partly``: the last shift left out, or the plain hours cut to 40-80 %."""
    rest = a.hours - math.fsum(s.hours(ZoneInfo(TIME_ZONE)) for s in placed)
    done = placed[:-1] if partly else placed
    made = [work.log_shift(uow_factory(), pool, a.participant, s.id, now=now) for s in done]
    if rest >= 0.5:
        hours = rest
        if partly and not placed:  # no shift to leave out: the plain hours are cut
            hours = min(_half_hours(rest * float(rng.uniform(0.4, 0.8))), rest)
        made.append(work.log_work(uow_factory(), pool, a.participant, a.task, hours,
                                  worked_on=last_day, now=now))
    return made


def _unassigned_work(
    uow_factory: UnitOfWorkFactory,
    pool: str,
    rng: np.random.Generator,
    seen: _Snapshot,
    forgetter: str | None,
    now: datetime | None = None,
) -> LoggedWork | None:
    if seen.plan is None or not seen.plan.weights:
        return None
    weights = seen.plan.weights
    uncovered = seen.plan.uncovered
    task = max(weights, key=lambda t: (uncovered[t] > 0, weights[t], t))
    on_it = {a.participant for a in seen.assignments if a.task == task}
    leads = [m.id for m in seen.members if m.role == "coordinator"]
    helpers = [
        m.id for m in seen.members
        if not m.exempt and m.role != "coordinator" and m.id not in on_it and m.id != forgetter
    ]
    if not helpers or not leads:
        return None
    helper = _choice(rng, helpers)
    lead = _choice(rng, leads)
    hours = 2.0 if uncovered[task] <= 0 else min(2.0, _half_hours(uncovered[task]))
    logged = work.log_work(uow_factory(), pool, helper, task, hours,
                           worked_on=seen.last_day, now=now)
    work.confirm_work(uow_factory(), pool, logged.id, lead)
    return LoggedWork(helper, task, 0.0, hours, lead)


def _answer_hint_board(
    uow_factory: UnitOfWorkFactory, pool: str, rng: np.random.Generator, board: HintBoard,
    now: datetime | None = None,
) -> tuple[Offer, ...]:
    """Before the next period clears, a few members answer the hint board: someone offers
    each task's open hours, and three more people offer the weightiest covered task."""
    before = _snapshot(uow_factory, pool, board.period)
    current = _snapshot(uow_factory, pool)
    busy: dict[str, float] = {}
    for a in before.assignments:
        busy[a.participant] = busy.get(a.participant, 0.0) + a.hours

    made: list[Offer] = []

    def free(m: Member, task: str, hours: float) -> bool:
        offered = any(o.participant == m.id and o.task == task for o in current.offers)
        spare = math.inf if m.capacity is None else m.capacity - busy.get(m.id, 0.0)
        answered = any(o.participant == m.id for o in made)
        return not m.exempt and not offered and not answered and spare >= hours

    def offer(who: str, task: str, hours: float, min_weight: float) -> None:
        o = Offer(participant=who, task=task, hours=hours, min_weight=min_weight)
        made.append(collecting.make_offer(uow_factory(), pool, o, now=now))

    for hint in board.uncovered:
        task, hours = str(hint["task"]), float(math.ceil(hint["hours"]))
        takers = [m for m in current.members if free(m, task, hours)]
        if takers:
            asked = round(float(rng.uniform(1.1, 1.6)), 1)
            offer(_choice(rng, takers).id, task, hours, asked)
    open_tasks = {str(h["task"]) for h in board.uncovered}
    covered = [t for items in board.todo.values() for t in items if t.task not in open_tasks]
    if covered:
        top = max(covered, key=lambda t: (t.weight, t.task))
        if top.weight > 1.2:
            takers = [m for m in current.members if free(m, top.task, 3.0)]
            for m in pick(rng, takers, 3):
                asked = round(float(rng.uniform(1.1, max(1.1, top.weight - 0.1))), 1)
                offer(m.id, top.task, float(rng.integers(3, 5)), asked)
    return tuple(made)


def first_day(periods: int, today: date) -> date:
    """The first day of the demo's period 1: ``periods`` weeks before ``today``, so that the
    periods run lie in the past and the one collecting after them starts ``today``."""
    return today - periods * _WEEK


def run_periods(
    uow_factory: UnitOfWorkFactory, periods: int = 2, seed: int = 0, today: date | None = None
) -> DemoResult:
    """Import the demo pool (coordinated by Ana and Kofi) into a fresh store, give it its
    week (:func:`set_up_week`: weekly periods, the farm's shifts, two pick-up points) and run
    ``periods`` periods end to end, each a week, the last ending the day before ``today``
    (default: today): offers close on the period's Friday-equivalent, two days before its
    end, at 18:00, when the scheduler clears it (the pool asks for that); the members log
    their shifts and work after the period's last day, the coordinators settle. From period
    2 on, a few members first answer the hint board with offers, a day before the offers
    close. The period after them collects from ``today`` on."""
    if periods < 1:
        raise ValueError(f"periods: must be >= 1, got {periods}")
    data = demo_scenario(seed)
    scenario = parse_scenario(data)
    rng = np.random.default_rng([seed, 1])
    start = first_day(periods, today or date.today())
    pools.import_scenario(uow_factory(), POOL_NAME, scenario, coordinators=COORDINATORS)
    set_up_week(uow_factory, start, start + (periods + 1 + _SEASON_AHEAD) * _WEEK)
    figures: list[PeriodFigures] = []
    for number in range(1, periods + 1):
        period = _current(uow_factory, POOL_NAME)
        deadline = period.collect_until
        if deadline is None or period.ends_on is None:  # pragma: no cover - dated above
            raise LookupError(f"period {number} of the demo is not dated")
        changed: tuple[Offer, ...] = ()
        if figures:
            changed = _answer_hint_board(uow_factory, POOL_NAME, rng, figures[-1].hint_board,
                                         now=deadline - timedelta(days=1))
        estimates = dict(period.weight_estimates)
        cleared = scheduler.clear_if_due(uow_factory(), POOL_NAME, deadline)
        if cleared is None:  # pragma: no cover - the pool clears itself at the deadline
            raise LookupError(f"period {number} of the demo did not clear at {deadline}")
        after = datetime.combine(period.ends_on + timedelta(days=1), time(9),
                                 ZoneInfo(TIME_ZONE)).astimezone(UTC)
        done = simulate_work(uow_factory, POOL_NAME, rng, now=after)
        settle_period(uow_factory(), POOL_NAME, on=period.ends_on)
        held = books.balances(uow_factory(), POOL_NAME)
        board = hints.hint_board(uow_factory(), POOL_NAME)
        figures.append(PeriodFigures(number, estimates, cleared.data, changed, done, held,
                                     board, period))
    return DemoResult(POOL_NAME, data, tuple(figures))


def set_up_week(uow_factory: UnitOfWorkFactory, first: date, until: date) -> None:
    """Give the demo pool its calendar, through the services as a coordinator would: its
    name people read, weekly periods from ``first`` in Berlin time whose offers close two
    days before a period's last day at 18:00 and which then clear themselves, the farm's
    shifts up to ``until`` and two pick-up points, each member at one of them."""
    pools.update_settings(uow_factory(), POOL_NAME, display_name=POOL_DISPLAY_NAME,
                          period_length=PeriodLength(1, "weeks"), time_zone=TIME_ZONE,
                          auto_clear=True, starts_on=first)
    for rule in shift_rules(first, until):
        shifts.repeat_shifts(uow_factory(), POOL_NAME, rule)
    for point in PICKUP_POINTS:
        pickup.add_point(uow_factory(), POOL_NAME, point)
    for member in views.members(uow_factory(), POOL_NAME):
        pickup.choose_point(uow_factory(), POOL_NAME, member.id, pickup_point_of(member.id))


def _current(uow_factory: UnitOfWorkFactory, pool: str) -> Period:
    latest = views.latest_period(uow_factory(), pool)
    if latest is None:  # pragma: no cover - every pool has its first period
        raise LookupError(f"pool {pool!r} has no period")
    return latest


DEMO_SIGN_INS: Final = (("ana", "coordinator"), ("ben", "member"), ("chiara", "member"))


def add_demo_accounts(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str, str]]:
    """Accounts for three of the demo's people, so the pool can be tried in the browser:
    (name, password, role) each, each account linked to its member as a coordinator would
    (the demo's other people stay unclaimed). The passwords are made up on the spot, not
    kept anywhere but in the fresh demo database (as argon2 hashes)."""
    made = []
    for name, role in DEMO_SIGN_INS:
        password = f"{name}-{secrets.token_hex(4)}"
        accounts.sign_up(uow_factory(), name, f"{name}@demo.example", password,
                         display_name=name.capitalize(), mode="open")
        membership.link_member(uow_factory(), POOL_NAME, name, name)
        made.append((name, password, role))
    return made


