"""What happened: the domain events a step records, for others to act on.

A service records an event on its unit of work when a step others may want to hear of is
taken (a period cleared, a member invited); the message bus
(:mod:`peerconomy.services.messagebus`) hands it to the handlers that subscribe to its type,
such as the notices that go into the outbox. The step itself knows nothing of mail, so every
door (page, API, command line) that takes it causes the same notices.

Events are frozen value objects that name what happened, in the past tense, and carry what a
handler needs to know of it; they hold no unit of work and do nothing themselves.

>>> from datetime import UTC, datetime
>>> PeriodOpened("seaside", 2, datetime(2026, 1, 1, tzinfo=UTC)).number
2
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peerconomy.domain.account import Invitation, User
from peerconomy.domain.pool import Member, Plan, WorkLog
from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift

__all__ = [
    "AccountEvent",
    "EmailVerificationRequested",
    "Event",
    "MemberInvited",
    "PasswordResetRequested",
    "PeriodCleared",
    "PeriodOpened",
    "ShiftCancelled",
    "SignUpWithKnownEmail",
    "SlotOpened",
    "SwapAnswered",
    "SwapProposed",
    "UserSignedUp",
    "WorkLogged",
]


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in a step; its subclasses say what."""


@dataclass(frozen=True, slots=True)
class PeriodCleared(Event):
    """A period's plan was made and kept (its pool, period and time are the plan's)."""

    plan: Plan


@dataclass(frozen=True, slots=True)
class ShiftCancelled(Event):
    """A coordinator cancelled a shift of ``pool``; ``people`` were placed on it (their
    placement is removed)."""

    pool: str
    shift: Shift
    people: tuple[str, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class SlotOpened(Event):
    """A place on ``shift`` of ``pool``, in a cleared period, opened for anyone to take:
    handed back by ``by``, or a new shift added (``by`` None); ``free`` places are open
    now."""

    pool: str
    shift: Shift
    free: int
    by: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class SwapProposed(Event):
    """A member proposed a swap of shifts (or handing one over) to another member."""

    pool: str
    swap: SwapProposal
    at: datetime


@dataclass(frozen=True, slots=True)
class SwapAnswered(Event):
    """A swap proposal was accepted, declined or withdrawn (its ``state`` says which)."""

    pool: str
    swap: SwapProposal
    at: datetime


@dataclass(frozen=True, slots=True)
class PeriodOpened(Event):
    """Period ``number`` of ``pool`` began collecting offers and wishes."""

    pool: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class WorkLogged(Event):
    """Hours were logged (as ``log`` was stored: pending, or confirmed at once)."""

    log: WorkLog


@dataclass(frozen=True, slots=True)
class MemberInvited(Event):
    """A member was put on a pool's list with an invitation by which its person claims the
    place; ``code`` is the invitation link's code (shown once, never stored)."""

    pool: str
    member: Member
    invitation: Invitation
    code: str


@dataclass(frozen=True, slots=True)
class AccountEvent(Event):
    """Something that happened to ``user``'s account at ``at``."""

    user: User
    at: datetime


@dataclass(frozen=True, slots=True)
class UserSignedUp(AccountEvent):
    """An account was made; its email is not yet verified."""


@dataclass(frozen=True, slots=True)
class SignUpWithKnownEmail(AccountEvent):
    """Someone tried to sign up with the email of the user's account (nothing was made)."""


@dataclass(frozen=True, slots=True)
class EmailVerificationRequested(AccountEvent):
    """The account's owner asked for a new link to verify its email."""


@dataclass(frozen=True, slots=True)
class PasswordResetRequested(Event):
    """A one-time link to reset the password of ``user``'s account was made; ``code`` is
    what it carries (shown once, never stored)."""

    user: User
    code: str
    expires_at: datetime
    at: datetime
