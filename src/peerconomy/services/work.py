"""Work logged in a cleared period, and its communal validation.

Where the pool asks for communal validation, logged work counts once another member or a
coordinator confirms it (never the worker themself, nor a coordinator who logged it for
them). Work on a task the plan did not assign
to the worker counts only once a coordinator accepts it. Work that awaits confirmation is
told to those who may confirm it (a :class:`~peerconomy.domain.events.WorkLogged` event,
whose notices are queued in the outbox with the log).

A log carries the day the work was done (default: today in the pool's time zone) and a note
for those who confirm it (:mod:`peerconomy.domain.work_log` holds both rules). A member logs
a shift they were placed on in one step once it has ended (:func:`log_shift`): its task, day
and length fill the log, and a shift is logged once per person. The worker (or whoever
logged it for them) may withdraw a log while it awaits confirmation (:func:`withdraw_work`);
confirmed or rejected work stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from peerconomy.domain.bounds import LOGGED_HOURS, check_number
from peerconomy.domain.events import WorkLogged
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, WorkLog
from peerconomy.domain.refusal import InputError
from peerconomy.domain.schedule import zone
from peerconomy.domain.work import confirm_refusal, reject_refusal, withdraw_refusal
from peerconomy.domain.work_log import check_note, check_worked_on, from_shift, today_in
from peerconomy.services import lookup, messagebus
from peerconomy.services.audit import record
from peerconomy.services.errors import ConflictError, NotAllowedError, NotFoundError
from peerconomy.services.ports import UnitOfWork

__all__ = ["DoneWork", "confirm_work", "log_confirmed_work", "log_shift", "log_work",
           "reject_work", "withdraw_work"]


def log_work(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    task: str,
    hours: float,
    *,
    worked_on: date | None = None,
    note: str = "",
    confirmed_by: str | None = None,
    logged_by: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> WorkLog:
    """Log hours a participant worked on a task in the cleared period, on day ``worked_on``
    (default: today in the pool's time zone), with a ``note`` for those who confirm it;
    ``confirmed_by`` confirms it at once (or, for unassigned work, a coordinator accepts
    it). ``logged_by`` is the member who logs it (a coordinator for another member): they
    may not confirm it."""
    _check_hours(hours, "hours")
    note = check_note(note)
    at = now or datetime.now(UTC)
    with uow:
        the_pool, period = _open_for_work(uow, pool)
        lookup.task(uow, pool, task)
        today = today_in(zone(the_pool.settings.schedule.time_zone), at)
        day = check_worked_on(today if worked_on is None else worked_on, today=today,
                              starts_on=period.starts_on)
        stored = _log(uow, the_pool, period, participant, task, float(hours), at,
                      worked_on=day, note=note, shift=None, confirmed_by=confirmed_by,
                      logged_by=logged_by, actor=actor)
        messagebus.commit(uow)
    return stored


def log_shift(
    uow: UnitOfWork,
    pool: str,
    participant: str,
    shift: int,
    *,
    hours: float | None = None,
    note: str = "",
    task: str | None = None,
    worked_on: date | None = None,
    logged_by: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> WorkLog:
    """Log a shift ``participant`` was placed on in the cleared period, once it has ended:
    its task, its day and (unless ``hours`` says otherwise) its length fill the log. A shift
    not theirs is refused naming ``shift`` (a ``task`` or ``worked_on`` given that is not
    the shift's, naming that); one not ended yet, or logged by them already, is a
    conflict."""
    if hours is not None:
        _check_hours(hours, "hours")
    note = check_note(note)
    at = now or datetime.now(UTC)
    with uow:
        the_pool, period = _open_for_work(uow, pool)
        lookup.member(uow, pool, participant)
        found = uow.shifts.get(pool, shift)
        if found is None or (shift, participant) not in uow.shifts.placements(
                pool, period.number):
            raise InputError("shift", f"must be a shift {participant!r} was placed on in"
                                      f" period {period.number}, got {shift!r}"[:200])
        if task is not None and task != found.task:
            raise InputError("task", f"must be the shift's task {found.task!r} or left out,"
                                     f" got {task!r}"[:200])
        if worked_on is not None and worked_on != found.day:
            raise InputError("worked_on", f"must be the shift's date {found.day} or left out,"
                                          f" got {worked_on}")
        done = from_shift(found, zone(the_pool.settings.schedule.time_zone), at)
        logged = next((log for log in uow.periods.work_logs(pool, period.number)
                       if (log.participant, log.shift) == (participant, shift)), None)
        if logged is not None:
            raise ConflictError(f"shift {shift} is logged already, as work log {logged.id}"
                                f" ({logged.status})")
        stored = _log(uow, the_pool, period, participant, done.task,
                      done.hours if hours is None else float(hours), at,
                      worked_on=done.worked_on, note=note, shift=shift, confirmed_by=None,
                      logged_by=logged_by, actor=actor)
        messagebus.commit(uow)
    return stored


def _open_for_work(uow: UnitOfWork, pool: str) -> tuple[Pool, Period]:
    """Inside a transaction: the pool, locked, and its current period, which must be
    cleared."""
    the_pool = lookup.pool(uow, pool, lock=True)
    period = lookup.current_period(uow, pool)
    lookup.require_state(period, PeriodState.CLEARED, "log work in")
    return the_pool, period


def _log(uow: UnitOfWork, the_pool: Pool, period: Period, participant: str, task: str,
         hours: float, at: datetime, *, worked_on: date, note: str, shift: int | None,
         confirmed_by: str | None, logged_by: str | None, actor: str | None) -> WorkLog:
    """Inside a transaction: store a checked log (confirmed at once where the pool needs no
    confirmation of assigned work, or where ``confirmed_by`` may confirm it), its audit entry
    and its :class:`~peerconomy.domain.events.WorkLogged` event."""
    pool = the_pool.name
    lookup.member(uow, pool, participant)
    if logged_by is not None and logged_by != participant:
        lookup.member(uow, pool, logged_by)
    else:
        logged_by = None
    assigned = any(
        a.participant == participant and a.task == task
        for a in uow.periods.assignments(pool, period.number)
    )
    log = WorkLog(0, pool, period.number, participant, task, hours, at, assigned,
                  logged_by=logged_by, worked_on=worked_on, note=note, shift=shift)
    if assigned and not the_pool.settings.communal_validation:
        log = replace(log, status="confirmed")
    if confirmed_by is not None:
        log = _confirmed(log, lookup.member(uow, pool, confirmed_by))
    stored = uow.periods.add_work_log(log)
    record(uow, pool, "work.log", actor=actor, subject=stored.id, detail=_detail(stored),
           now=stored.logged_at)
    messagebus.record(uow, WorkLogged(stored))
    return stored


@dataclass(frozen=True)
class DoneWork:
    """Hours a participant worked on a task, and the member who confirms them."""

    participant: str
    task: str
    hours: float
    confirmed_by: str


def log_confirmed_work(
    uow: UnitOfWork, pool: str, done: Sequence[DoneWork], *, now: datetime | None = None,
    actor: str | None = None,
) -> list[WorkLog]:
    """Log many confirmed pieces of work in the cleared period in one transaction, as a
    coordinator bringing in the work sheet of a whole period (or the simulator) does. Each is
    checked as :func:`log_work` with ``confirmed_by`` checks it, and the batch is refused
    whole, naming the first bad entry (``done[3].confirmed_by``), if one fails."""
    at = now or datetime.now(UTC)
    with uow:
        lookup.pool(uow, pool, lock=True)
        period = lookup.current_period(uow, pool)
        lookup.require_state(period, PeriodState.CLEARED, "log work in")
        members = {m.id: m for m in uow.pools.members(pool) if m.active}
        tasks = {t.id for t in uow.pools.tasks(pool)}
        assigned = {(a.participant, a.task) for a in uow.periods.assignments(pool, period.number)}
        logs = []
        for i, entry in enumerate(done):
            _check_hours(entry.hours, f"done[{i}].hours")
            for field, who in (("participant", entry.participant),
                               ("confirmed_by", entry.confirmed_by)):
                if who not in members:
                    raise InputError(f"done[{i}].{field}",
                                     f"no member {who!r} in pool {pool!r}")
            if entry.task not in tasks:
                raise InputError(f"done[{i}].task", f"no task {entry.task!r} in pool {pool!r}")
            log = WorkLog(0, pool, period.number, entry.participant, entry.task, float(entry.hours),
                          at, (entry.participant, entry.task) in assigned)
            try:
                logs.append(_confirmed(log, members[entry.confirmed_by]))
            except NotAllowedError as refused:
                raise InputError(f"done[{i}].confirmed_by", str(refused)) from refused
        stored = [uow.periods.add_work_log(log) for log in logs]
        record(uow, pool, "work.log_sheet", actor=actor, subject=period.number,
               detail={"logs": [log.id for log in stored],
                       "hours": sum(log.hours for log in stored)}, now=at)
        uow.commit()
    return stored


def confirm_work(uow: UnitOfWork, pool: str, log_id: int, by: str) -> WorkLog:
    """Confirm logged work (for unassigned work: a coordinator accepts it)."""
    with uow:
        log = _pending(uow, pool, log_id)
        confirmed = _confirmed(log, lookup.member(uow, pool, by))
        uow.periods.put_work_log(confirmed)
        record(uow, pool, "work.confirm", actor=by, subject=log_id, detail=_detail(confirmed))
        uow.commit()
    return confirmed


def reject_work(uow: UnitOfWork, pool: str, log_id: int, by: str) -> WorkLog:
    """A coordinator rejects logged work: it earns nothing."""
    with uow:
        log = _pending(uow, pool, log_id)
        refused = reject_refusal(log, lookup.member(uow, pool, by))
        if refused is not None:
            raise NotAllowedError(refused)
        rejected = replace(log, status="rejected", confirmed_by=by)
        uow.periods.put_work_log(rejected)
        record(uow, pool, "work.reject", actor=by, subject=log_id, detail=_detail(rejected))
        uow.commit()
    return rejected


def withdraw_work(uow: UnitOfWork, pool: str, log_id: int, by: str, *,
                  now: datetime | None = None, actor: str | None = None) -> WorkLog:
    """The worker (or whoever logged it for them) withdraws a log that awaits confirmation:
    it is gone, and a shift it came from may be logged again. Someone else is not allowed;
    confirmed or rejected work is a conflict (it stays, as the books' record of it)."""
    with uow:
        lookup.pool(uow, pool, lock=True)
        log = uow.periods.work_log(pool, log_id)
        if log is None:
            raise NotFoundError("work log", log_id, pool)
        refused = withdraw_refusal(log, by)
        if refused is not None:
            raise NotAllowedError(refused)
        if log.status != "pending":
            raise ConflictError(f"work log {log_id} is {log.status}: only work that awaits"
                                " confirmation may be withdrawn")
        _in_cleared_period(uow, pool, log, "withdraw work in")
        uow.periods.remove_work_log(pool, log_id)
        record(uow, pool, "work.withdraw", actor=actor or by, subject=log_id,
               detail=_detail(log), now=now)
        uow.commit()
    return log


def _detail(log: WorkLog) -> dict[str, object]:
    """A work log as an audit entry's detail."""
    return {"period": log.period, "participant": log.participant, "task": log.task,
            "hours": log.hours, "status": log.status, "confirmed_by": log.confirmed_by,
            "worked_on": None if log.worked_on is None else log.worked_on.isoformat(),
            "shift": log.shift}


def _check_hours(hours: object, path: str) -> None:
    """Logged hours are a finite number above 0, at most the hours of a period (a bool is no
    number here)."""
    check_number(hours, path, LOGGED_HOURS)


def _pending(uow: UnitOfWork, pool: str, log_id: int) -> WorkLog:
    lookup.pool(uow, pool, lock=True)
    log = uow.periods.work_log(pool, log_id)
    if log is None:
        raise NotFoundError("work log", log_id, pool)
    _in_cleared_period(uow, pool, log, "confirm work in")
    if log.status != "pending":
        raise ConflictError(f"work log {log_id} is {log.status} already")
    return log


def _in_cleared_period(uow: UnitOfWork, pool: str, log: WorkLog, action: str) -> None:
    """Refuse a step on ``log`` unless it is of the current period, which is cleared."""
    period = lookup.current_period(uow, pool)
    if log.period != period.number:
        raise ConflictError(f"work log {log.id} is of period {log.period}, which is settled")
    lookup.require_state(period, PeriodState.CLEARED, action)


def _confirmed(log: WorkLog, by: Member) -> WorkLog:
    """The log confirmed by ``by`` (unassigned work: accepted by a coordinator), if
    :func:`~peerconomy.domain.work.confirm_refusal` allows it."""
    refused = confirm_refusal(log, by)
    if refused is not None:
        raise NotAllowedError(refused)
    if not log.assigned:
        return replace(log, status="confirmed", confirmed_by=by.id, accepted_by=by.id)
    return replace(log, status="confirmed", confirmed_by=by.id)
