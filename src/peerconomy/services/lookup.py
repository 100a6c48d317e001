"""Lookups every service starts with: the pool, its current period, a member, a task, a
pick-up point.

Each raises :class:`~peerconomy.services.errors.NotFoundError` naming what is missing, so
the services themselves read as the steps they take.
"""

from __future__ import annotations

from peerconomy.domain.account import User
from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.pool import Member, Period, Pool
from peerconomy.domain.scenario import Task
from peerconomy.services.errors import NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = ["current_period", "member", "pickup_point", "pool", "require_state", "task", "user"]


def pool(uow: UnitOfWork, name: str, *, lock: bool = False) -> Pool:
    """The pool called ``name``; with ``lock``, held against other writers until commit."""
    found = uow.pools.lock(name) if lock else uow.pools.get(name)
    if found is None:
        raise NotFoundError("pool", name)
    return found


def current_period(uow: UnitOfWork, pool_name: str) -> Period:
    """The pool's latest period."""
    period = uow.periods.latest(pool_name)
    if period is None:  # pragma: no cover - every pool is made with its first period
        raise NotFoundError("period", 1, pool_name)
    return period


def require_state(period: Period, state: PeriodState, action: str) -> None:
    """Refuse ``action`` unless the period is in ``state``, saying where it stands."""
    if period.state is not state:
        raise IllegalTransitionError(period.state, action, state)


def member(uow: UnitOfWork, pool_name: str, participant: str, *, active: bool = True) -> Member:
    """A member of the pool (by default one who has not left)."""
    found = uow.pools.member(pool_name, participant)
    if found is None or (active and not found.active):
        raise NotFoundError("participant", participant, pool_name)
    return found


def task(uow: UnitOfWork, pool_name: str, task_id: str) -> Task:
    """A task of one of the pool's projects."""
    found = next((t for t in uow.pools.tasks(pool_name) if t.id == task_id), None)
    if found is None:
        raise NotFoundError("task", task_id, pool_name)
    return found


def pickup_point(uow: UnitOfWork, pool_name: str, point: str) -> PickupPoint:
    """A pick-up point of the pool, active or retired."""
    found = next((p for p in uow.pools.pickup_points(pool_name) if p.id == point), None)
    if found is None:
        raise NotFoundError("pick-up point", point, pool_name)
    return found


def user(uow: UnitOfWork, name: str) -> User:
    """The account called ``name``, else :class:`NotFoundError`."""
    found = uow.accounts.user(name)
    if found is None:
        raise NotFoundError("user", name)
    return found
