"""Sending mail and running the scheduler: the outbox drained by the server, through the
site's mailer, and the scheduler's due jobs run beside it.

The services queue messages in the outbox in the transaction of the step that caused them
(:mod:`peerconomy.services.outbox`); :class:`OutboxWorker` sends them from one background
thread of the server, so a slow or absent mail server never slows or fails a member's
request, and a message queued while the server was stopped (by the command line, say) goes
out once it runs. A message the mail server refuses or cannot take is tried again later,
then given up on and logged. The mailer it sends through (:class:`peerconomy.mailer.Mailer`,
one SMTP server) is built by the composition root (:func:`peerconomy.bootstrap.mailer`).

The same thread runs the scheduler's jobs (:mod:`peerconomy.services.scheduler`: a period
clearing itself at its deadline) at the app's clock's time on each round, then the outbox,
so that what they queued goes out at once; ``peerconomy tick`` runs the same jobs once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from peerconomy.mailer import MailerLike
from peerconomy.services import outbox, scheduler
from peerconomy.services.outbox import Sender
from peerconomy.services.ports import UnitOfWork

__all__ = ["OutboxWorker"]

# the logger keeps the name it had in peerconomy.api, which operators' log filters may name
log = logging.getLogger("peerconomy.http.mail")


class OutboxWorker:
    """Runs the scheduler's ``jobs`` at ``clock``'s time and drains the outbox, from one
    background thread: at start, every ``poll_seconds``, when woken (:meth:`wake`), and once
    more at stop. ``mailer`` says whom to send through now (None: no mail server is set up,
    and queued mail is given up on)."""

    def __init__(self, new_uow: Callable[[], UnitOfWork],
                 mailer: Callable[[], MailerLike | None], *,
                 clock: Callable[[], datetime] | None = None,
                 jobs: Sequence[scheduler.NamedJob] = scheduler.JOBS,
                 poll_seconds: float = 2.0) -> None:
        self._new_uow = new_uow
        self._mailer = mailer
        self._clock = clock or (lambda: datetime.now(UTC))
        self._jobs = tuple(jobs)
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin draining in the background."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="peerconomy-outbox",
                                            daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Drain soon (something was queued)."""
        self._wake.set()

    def flush(self, now: datetime | None = None) -> outbox.Drained:
        """Send what is due ``now`` (default: the time now), in the caller's thread; what it
        did."""
        with self._lock:
            mailer = self._mailer()
            send: Sender | None = mailer.send if mailer is not None else None
            return outbox.drain_all(self._new_uow, send, now=now)

    def tick(self) -> scheduler.Ticked:
        """Run the scheduler's jobs at the clock's time, then send what is due, in the
        caller's thread; what they did."""
        return scheduler.tick(self._new_uow, self._clock(), (
            *self._jobs, ("mails sent", lambda _new_uow, _now: self.flush().sent)))

    def close(self) -> None:
        """Stop the thread, after one last drain."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while True:
            try:
                self.tick()  # each job's failure is logged by the scheduler
            except Exception:  # the clock itself failed: try again at the next poll
                log.exception("could not run the scheduled jobs")
            if self._stop.is_set():
                return
            self._wake.wait(self._poll)
            self._wake.clear()


