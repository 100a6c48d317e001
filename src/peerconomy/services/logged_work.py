"""Work logs as people read them, and the shifts a member may still log.

Those who confirm a log vouch for what it says: the task (by the name people read), the day,
the shift's time and place where it came from one, the hours and the note; and hours the
worker logged beyond their assignment are shown as such (they earn nothing:
:func:`~peerconomy.domain.work.beyond_assignment`). A member's shifts that have ended and
that they have not logged yet are offered to be logged in one step
(:func:`~peerconomy.services.work.log_shift`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from peerconomy.domain.names import Labels
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import WorkLog, WorkStatus
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift
from peerconomy.domain.work import beyond_assignment
from peerconomy.domain.work_log import from_shift
from peerconomy.services import lookup
from peerconomy.services.ports import UnitOfWork

__all__ = ["LoggedWork", "ShiftToLog", "line_of", "lines_of", "logged_work", "shifts_to_log",
           "task_names"]


def task_names(uow: UnitOfWork, pool: str) -> Labels:
    """Inside a transaction: the pool's tasks as people read them (``.task(id)``: the
    display name, else the id). The one place the work lines, the API's ``task_name`` and
    the command line ask."""
    return Labels.of(pool, tasks=uow.pools.tasks(pool))


@dataclass(frozen=True, slots=True)
class LoggedWork:
    """A work log with what its readers need beside it."""

    log: WorkLog
    task_name: str
    shift: Shift | None
    """The shift it was logged from (None: logged by hand)."""
    beyond: float
    """Hours the worker logged on this task beyond their assignment, all their logs of it
    together (0: none, or no assignment on it)."""


def lines_of(uow: UnitOfWork, pool: str, number: int, logs: Iterable[WorkLog]
             ) -> list[LoggedWork]:
    """Inside a transaction: ``logs`` of period ``number`` with their shift, task name and
    the hours beyond the assignment (counted over all the period's logs)."""
    logs = list(logs)
    if not logs:
        return []
    beyond = beyond_assignment(uow.periods.assignments(pool, number),
                               uow.periods.work_logs(pool, number))
    shifts = ({s.id: s for s in uow.shifts.of_pool(pool)}
              if any(log.shift is not None for log in logs) else {})
    names = task_names(uow, pool)
    return [LoggedWork(log, names.task(log.task),
                       None if log.shift is None else shifts.get(log.shift),
                       beyond.get((log.participant, log.task), 0.0)) for log in logs]


def line_of(uow: UnitOfWork, log: WorkLog) -> LoggedWork:
    """One stored log as :func:`lines_of` gives it."""
    with uow:
        return lines_of(uow, log.pool, log.period, [log])[0]


def logged_work(uow: UnitOfWork, pool: str, *, participant: str | None = None,
                status: WorkStatus | None = None) -> list[LoggedWork]:
    """The current period's work logs (only ``participant``'s, only of ``status``, where
    given), oldest first, as :func:`lines_of` gives them."""
    with uow:
        lookup.pool(uow, pool)
        number = lookup.current_period(uow, pool).number
        logs = [log for log in uow.periods.work_logs(pool, number)
                if participant in (None, log.participant) and status in (None, log.status)]
        return lines_of(uow, pool, number, logs)


@dataclass(frozen=True, slots=True)
class ShiftToLog:
    """A shift a member was placed on that has ended and that they have not logged: what a
    log from it would say."""

    shift: Shift
    task_name: str
    hours: float


def shifts_to_log(uow: UnitOfWork, pool: str, participant: str,
                  now: datetime | None = None) -> list[ShiftToLog]:
    """``participant``'s shifts in the current period, once cleared, that ended by ``now``
    and that they have not logged yet, by day and time."""
    at = now or datetime.now(UTC)
    with uow:
        found = lookup.pool(uow, pool)
        period = lookup.current_period(uow, pool)
        if period.state is not PeriodState.CLEARED:
            return []
        mine = {id for id, who in uow.shifts.placements(pool, period.number)
                if who == participant}
        if not mine:
            return []
        logged = {log.shift for log in uow.periods.work_logs(pool, period.number)
                  if log.participant == participant}
        shifts = [s for s in uow.shifts.of_pool(pool)
                  if s.id in mine and s.id not in logged and not s.cancelled]
        names = task_names(uow, pool)
    where = zone(found.settings.schedule.time_zone)
    ended = [s for s in shifts if s.span(where)[1] <= at]
    ended.sort(key=lambda s: (s.day, s.start, s.id))
    return [ShiftToLog(s, names.task(s.task), from_shift(s, where, at).hours) for s in ended]
