"""The scheduler: the steps that happen because time passed, run as due jobs.

A job is a function of a source of units of work and the time now that does what is due at
that time and returns how many things it did; :data:`JOBS` names them (the deadline clears,
the reminders of :mod:`peerconomy.services.reminders`), and adding one is one line there.
:func:`tick` runs each once. It runs inside ``peerconomy serve`` (the server's background
worker, :class:`peerconomy.http.mail.OutboxWorker`, every few seconds) and as ``peerconomy
tick`` (once, for a systemd timer or cron); the mail outbox is drained as one more job
(:func:`sending`).

Any number of ticks may run at once, on one database or many processes: each job claims its
work in a transaction of its own (the pool's row lock, then the state checked again), so the
second runner finds nothing left to do. The time is passed in, never read here, so tests move
the clock instead of sleeping.

>>> from peerconomy.bootstrap import memory_store
>>> from datetime import UTC, datetime
>>> tick(memory_store().unit_of_work, datetime(2026, 5, 8, 16, tzinfo=UTC)).counts[0]
('periods cleared at their deadline', 0)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from peerconomy.domain.pool import Plan, clears_itself
from peerconomy.domain.refusal import Refusal
from peerconomy.services import lookup, outbox, periods, reminders
from peerconomy.services.outbox import Sender
from peerconomy.services.ports import UnitOfWork

__all__ = ["JOBS", "SCHEDULER", "Job", "NamedJob", "Sending", "Ticked", "clear_at_deadlines",
           "clear_if_due", "sending", "tick"]

log = logging.getLogger(__name__)

UnitsOfWork = Callable[[], UnitOfWork]
Job = Callable[[UnitsOfWork, datetime], int]
"""Does what is due at the time given, each claim in a transaction of its own from the
source given; how many things it did."""
NamedJob = tuple[str, Job]
"""A job and what its count counts (``periods cleared at their deadline``)."""

SCHEDULER: Final = "scheduler"
"""The actor the audit log names for the steps the scheduler takes."""


def clear_if_due(uow: UnitOfWork, pool: str, now: datetime) -> Plan | None:
    """Clear the pool's period if it is due to clear itself at ``now`` (its offers closed
    and the pool asks for it, :func:`~peerconomy.domain.pool.clears_itself`); the plan, or
    None where nothing was due. Claimed under the pool's lock with the state read again, so
    of two runners at once one clears and the other finds the period cleared. A period a
    coordinator reopened is left to the coordinators to clear again."""
    with uow:
        found = lookup.pool(uow, pool, lock=True)
        period = lookup.current_period(uow, pool)
        if not clears_itself(found.settings, period, now):
            return None
        if uow.periods.withdrawn_plans(pool, period.number):
            return None
        return periods.clear_period(uow, pool, now=now, actor=SCHEDULER)


def clear_at_deadlines(new_uow: UnitsOfWork, now: datetime) -> int:
    """Clear every period due to clear itself at ``now``; how many were cleared. A pool
    whose clearing is refused (a plan that is not finite, say) is logged and left as it is,
    and the others are cleared."""
    with new_uow() as uow:
        due = [p.pool for p in uow.periods.closed_for_offers(now)]
    cleared = 0
    for pool in due:
        try:
            cleared += clear_if_due(new_uow(), pool, now) is not None
        except Refusal as refused:
            log.warning("could not clear the period of pool %r at its deadline: %s",
                        pool, refused)
    return cleared


class Sending:
    """The job that drains the mail outbox through ``send`` (None: no mail server is set
    up, and queued mail is given up on); its count is the messages sent, and
    :attr:`drained` says what its last run did (the messages given up on too)."""

    def __init__(self, send: Sender | None) -> None:
        self.send = send
        self.drained = outbox.Drained()

    def __call__(self, new_uow: UnitsOfWork, now: datetime) -> int:
        self.drained = outbox.drain_all(new_uow, self.send, now=now)
        return self.drained.sent


def sending(send: Sender | None) -> Sending:
    """:class:`Sending` through ``send``."""
    return Sending(send)


JOBS: Final[tuple[NamedJob, ...]] = (
    ("periods cleared at their deadline", clear_at_deadlines),
    ("reminders that offers close", reminders.offers_closing),
    ("reminders of work to confirm", reminders.logs_waiting),
    ("reminders of shifts tomorrow", reminders.shift_tomorrow),
    ("reminders of shifts to log", reminders.shift_unlogged),
)
"""The scheduled jobs, in the order they run (the outbox is added by whoever has a mailer,
:func:`sending`, and runs last, so that what the others queued goes out in the same tick)."""


@dataclass(frozen=True, slots=True)
class Ticked:
    """What one :func:`tick` did: each job's count, and the jobs that failed."""

    counts: tuple[tuple[str, int], ...]
    failed: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: each job's count, then the failed ones."""
        said = ", ".join(f"{name}: {count}" for name, count in self.counts)
        if self.failed:
            said += "; failed: " + ", ".join(self.failed)
        return said


def tick(new_uow: UnitsOfWork, now: datetime, jobs: Sequence[NamedJob] = JOBS) -> Ticked:
    """Run each job once at ``now``; a job that fails is logged and named, and the others
    still run."""
    counts: list[tuple[str, int]] = []
    failed: list[str] = []
    for name, job in jobs:
        try:
            counts.append((name, job(new_uow, now)))
        except Exception:
            log.exception("the scheduled job %r failed", name)
            failed.append(name)
    return Ticked(tuple(counts), tuple(failed))
