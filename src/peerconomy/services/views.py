"""The read side: what the pages, the API and the command line list, each read in one
transaction (joining the caller's, where a page reads several in one).

The doors read through these views (and those of :mod:`peerconomy.services.overview`),
never through a repository, so that what a list holds and in which order is said once, and
a store's repositories can change behind them. "The current period" is the pool's latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from peerconomy.domain.account import ApiToken, JoinRequest, User
from peerconomy.domain.pool import (
    Assignment,
    Member,
    Period,
    Plan,
    PoolProject,
    WithdrawnPlan,
    WorkLog,
)
from peerconomy.domain.scenario import Good, Offer, Task, Wish
from peerconomy.services import lookup
from peerconomy.services.errors import NotFoundError
from peerconomy.services.periods import may_reopen
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "PeriodBoard",
    "PlanHistory",
    "ProjectParts",
    "account",
    "assignments",
    "invitation_pool",
    "join_request",
    "join_requests",
    "latest_period",
    "members",
    "offered_hours",
    "offers",
    "period_board",
    "periods_left",
    "plan",
    "plan_history",
    "projects",
    "tokens",
    "wishes",
    "work_logs",
]


def _number(uow: UnitOfWork, pool: str, number: int | None) -> int:
    """``number``, or the number of the pool's current period where it is None."""
    return lookup.current_period(uow, pool).number if number is None else number


def account(uow: UnitOfWork, name: str) -> User | None:
    """The account called ``name``, or None."""
    with uow:
        return uow.accounts.user(name)


def tokens(uow: UnitOfWork, user: str) -> list[ApiToken]:
    """The user's API tokens, oldest first, revoked ones included."""
    with uow:
        return uow.accounts.tokens(user)


def invitation_pool(uow: UnitOfWork, code: str) -> str | None:
    """The pool of the invitation whose link carries ``code`` (None: no such invitation)."""
    with uow:
        found = uow.accounts.invitation(code.partition(".")[0])
    return found.pool if found is not None else None


def latest_period(uow: UnitOfWork, pool: str) -> Period | None:
    """The pool's period with the highest number, or None."""
    with uow:
        return uow.periods.latest(pool)


def plan(uow: UnitOfWork, pool: str, number: int) -> Plan | None:
    """Period ``number``'s plan, or None if it was not cleared."""
    with uow:
        return uow.periods.plan(pool, number)


@dataclass(frozen=True, slots=True)
class PlanHistory:
    """A period's plans: the current one (None: not cleared now) and those withdrawn by
    reopening the period, the first withdrawn first, each with its input hash."""

    period: Period
    current: Plan | None
    withdrawn: list[WithdrawnPlan]


def plan_history(uow: UnitOfWork, pool: str, number: int | None = None) -> PlanHistory:
    """Period ``number``'s plans (None: the current period's), current and withdrawn."""
    with uow:
        lookup.pool(uow, pool)
        found = _number(uow, pool, number)
        period = uow.periods.get(pool, found)
        if period is None:
            raise NotFoundError("period", found, pool)
        return PlanHistory(period, uow.periods.plan(pool, found),
                           uow.periods.withdrawn_plans(pool, found))


def offers(uow: UnitOfWork, pool: str, number: int | None = None, *,
           participant: str | None = None) -> list[Offer]:
    """The offers of period ``number`` (None: the current one), only ``participant``'s if
    given."""
    with uow:
        return uow.periods.offers(pool, _number(uow, pool, number), participant=participant)


def offered_hours(uow: UnitOfWork, pool: str) -> dict[str, float]:
    """The hours offered on each task in the current period (tasks nobody offered on left
    out)."""
    with uow:
        return uow.periods.offered_hours(pool, _number(uow, pool, None))


def wishes(uow: UnitOfWork, pool: str) -> list[Wish]:
    """The current period's wishes."""
    with uow:
        return uow.periods.wishes(pool, _number(uow, pool, None))


def periods_left(uow: UnitOfWork, pool: str) -> dict[str, int]:
    """The current period's subscriptions (wishes with a term): each one's wish id and the
    periods it still stands, this one included."""
    with uow:
        return uow.periods.periods_left(pool, _number(uow, pool, None))


def assignments(uow: UnitOfWork, pool: str, number: int) -> list[Assignment]:
    """Period ``number``'s assignments with their tasks' weights (empty if not cleared)."""
    with uow:
        return uow.periods.assignments(pool, number)


def work_logs(uow: UnitOfWork, pool: str, number: int | None = None) -> list[WorkLog]:
    """The work logged in period ``number`` (None: the current one), oldest first."""
    with uow:
        return uow.periods.work_logs(pool, _number(uow, pool, number))


def members(uow: UnitOfWork, pool: str, *, active: bool = False) -> list[Member]:
    """The pool's members (``active``: only those who have not left)."""
    with uow:
        found = uow.pools.members(pool)
    return [m for m in found if m.active] if active else found


class ProjectParts(NamedTuple):
    """A project of the pool with the tasks and goods it has (had, where it left)."""

    project: PoolProject
    tasks: list[Task]
    goods: list[Good]


def projects(uow: UnitOfWork, pool: str) -> list[ProjectParts]:
    """The pool's projects, active or not, each with its tasks and goods."""
    with uow:
        tasks, goods = uow.pools.tasks(pool), uow.pools.goods(pool)
        return [
            ProjectParts(p, [t for t in tasks if t.project == p.id],
                         [g for g in goods if g.project == p.id])
            for p in uow.pools.projects(pool)
        ]


def join_request(uow: UnitOfWork, pool: str, user: str) -> JoinRequest | None:
    """The user's request to join the pool, or None."""
    with uow:
        return uow.accounts.join_request(pool, user)


def join_requests(uow: UnitOfWork, pool: str, *, pending: bool = False) -> list[JoinRequest]:
    """The pool's requests to join, oldest first (``pending``: only those not decided)."""
    with uow:
        found = uow.accounts.join_requests(pool)
    return [r for r in found if r.status == "pending"] if pending else found


@dataclass(frozen=True, slots=True)
class PeriodBoard:
    """What a coordinator sees of the current period: where it stands, the latest plan, who
    waits to join, and whether the plan may be discarded."""

    period: Period
    previous: Period | None
    plan: Plan | None
    """The current period's plan, else the previous period's (None: neither has one)."""
    requests: list[JoinRequest]
    """Requests to join not yet decided."""
    can_reopen: bool
    members: list[Member]
    """The active members."""
    withdrawn: list[WithdrawnPlan]
    """The current period's withdrawn plans, the first withdrawn first."""


def period_board(uow: UnitOfWork, pool: str) -> PeriodBoard:
    """The current period as a coordinator runs it (:class:`PeriodBoard`)."""
    with uow:
        period = lookup.current_period(uow, pool)
        previous = uow.periods.get(pool, period.number - 1) if period.number > 1 else None
        latest = uow.periods.plan(pool, period.number)
        if latest is None and previous is not None:
            latest = uow.periods.plan(pool, previous.number)
        return PeriodBoard(
            period, previous, latest, join_requests(uow, pool, pending=True),
            may_reopen(period, len(uow.periods.work_logs(pool, period.number))),
            members(uow, pool, active=True),
            uow.periods.withdrawn_plans(pool, period.number),
        )

