"""The outbox: mail queued by the step that caused it, in the step's transaction, and sent
afterwards by whoever drains it (the server, :class:`peerconomy.http.mail.OutboxWorker`;
each message is claimed before it is sent, so servers sharing a database send it once).

:func:`queue` is called inside a service's transaction, so a message exists exactly when its
step was committed. :func:`drain` hands the messages that are due to a sender; one the sender
could not send is tried again later (:func:`~peerconomy.domain.mail.next_try`), and given up
on (and logged) after ``max_tries`` failed tries. A message sent or given up on keeps its row
(when, how many tries, the last error) but loses its content: it may carry a one-time link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final

from peerconomy.domain.mail import MAX_TRIES, QueuedMail, next_try
from peerconomy.services.notices import Notice
from peerconomy.services.ports import UnitOfWork

__all__ = ["CLAIM", "Drained", "Sender", "drain", "drain_all", "queue"]

log = logging.getLogger(__name__)

CLAIM: Final = timedelta(minutes=10)
"""How long a message being sent is kept from other senders (a sender that died while
sending leaves it to be tried again after this)."""
Sender = Callable[[Sequence[Notice]], Sequence[str | None]]
"""Sends notices, one after another; for each, None if it went out, else why not."""


def queue(uow: UnitOfWork, notices: Iterable[Notice], *, now: datetime | None = None
          ) -> list[QueuedMail]:
    """Put ``notices`` in the outbox, inside the caller's transaction (which commits them)."""
    moment = now or datetime.now(UTC)
    with uow:
        return [uow.mail.queue(QueuedMail(0, n.to, n.to_json(), moment, moment))
                for n in notices]


@dataclass(frozen=True, slots=True)
class Drained:
    """What one :func:`drain` did: how many messages went out, failed a try, were given up."""

    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def drain(
    uow: UnitOfWork,
    send: Sender | None,
    *,
    now: datetime | None = None,
    limit: int = 100,
    max_tries: int = MAX_TRIES,
) -> Drained:
    """Send up to ``limit`` messages that are due at ``now``; ``send`` None (no mail server
    is set up) gives them up at once. The messages are read in one transaction, sent outside
    any, and each outcome is written in one more."""
    moment = now or datetime.now(UTC)
    with uow:  # claimed first, so that two servers on one database never send one twice
        due = [replace(m, next_try_at=moment + CLAIM) for m in uow.mail.due(moment, limit)
               if uow.mail.claim(m, moment + CLAIM)]
        uow.commit()
    if not due:
        return Drained()
    if send is None:
        outcomes: Sequence[str | None] = ["no mail server is set up (PEERCONOMY_SMTP_URL)"] * len(
            due)
        tries_left = False
    else:
        try:
            outcomes = send([Notice.from_json(m.notice) for m in due])
        except Exception as error:  # the sender failed as a whole: every message failed
            outcomes = [f"{type(error).__name__}: {error}"] * len(due)
        tries_left = True
    sent = retrying = given_up = 0
    with uow:
        for mail, outcome in zip(due, outcomes, strict=True):
            tries = mail.tries + 1
            if outcome is None:
                done = replace(mail, tries=tries, sent_at=moment, notice="", last_error="")
                sent += 1
            elif tries_left and tries < max_tries:
                done = replace(mail, tries=tries, next_try_at=next_try(moment, tries),
                               last_error=outcome[:1000])
                retrying += 1
            else:
                done = replace(mail, tries=tries, failed_at=moment, notice="",
                               last_error=outcome[:1000])
                given_up += 1
                if tries_left:
                    log.error("gave up on mail %d to %s after %d %s: %s", mail.id,
                              mail.recipient, tries, "try" if tries == 1 else "tries", outcome)
                else:  # nothing was tried
                    log.error("gave up on mail %d to %s without sending it: %s",
                              mail.id, mail.recipient, outcome)
            uow.mail.put(done)
        uow.commit()
    return Drained(sent, retrying, given_up)


def drain_all(
    new_uow: Callable[[], UnitOfWork], send: Sender | None, *, now: datetime | None = None
) -> Drained:
    """:func:`drain` until nothing is due at ``now`` (each round on a new unit of work from
    ``new_uow``); what was done, added up."""
    total = Drained()
    while True:
        done = drain(new_uow(), send, now=now)
        if done == Drained():
            return total
        total = Drained(total.sent + done.sent, total.retrying + done.retrying,
                        total.given_up + done.given_up)
