"""The notices each event causes, queued in the outbox in the step's own transaction.

These are the message bus's handlers of the running program
(:data:`peerconomy.services.messagebus.BUS`): each composes the notices of one event
(:mod:`peerconomy.services.notices`) and queues them (:mod:`peerconomy.services.outbox`)
before the step commits, so a message exists exactly when its step was committed, whichever
door the step came through.
"""

from __future__ import annotations

from peerconomy.domain.events import (
    EmailVerificationRequested,
    MemberInvited,
    PasswordResetRequested,
    PeriodCleared,
    PeriodOpened,
    ShiftCancelled,
    SignUpWithKnownEmail,
    SlotOpened,
    SwapAnswered,
    SwapProposed,
    UserSignedUp,
    WorkLogged,
)
from peerconomy.services import notices, outbox
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "invitation",
    "open_slot",
    "password_reset",
    "period_opened",
    "plan_cleared",
    "shift_cancelled",
    "sign_up_tried",
    "swap_answered",
    "swap_proposed",
    "verification",
    "work_awaits_confirmation",
]


def plan_cleared(uow: UnitOfWork, event: PeriodCleared) -> None:
    """Each member hears of their assignments and share."""
    outbox.queue(uow, notices.plan_cleared(uow, event.plan), now=event.plan.cleared_at)


def period_opened(uow: UnitOfWork, event: PeriodOpened) -> None:
    """Everyone hears they may make offers and wishes."""
    outbox.queue(uow, notices.period_opened(uow, event.pool, event.number), now=event.at)


def work_awaits_confirmation(uow: UnitOfWork, event: WorkLogged) -> None:
    """Those who may confirm pending work hear of it."""
    outbox.queue(uow, notices.work_awaits_confirmation(uow, event.log),
                 now=event.log.logged_at)


def shift_cancelled(uow: UnitOfWork, event: ShiftCancelled) -> None:
    """Those placed on a cancelled shift hear of it."""
    outbox.queue(uow, notices.shift_cancelled(uow, event.pool, event.shift,
                                              set(event.people)), now=event.at)


def open_slot(uow: UnitOfWork, event: SlotOpened) -> None:
    """The followers of the shift's project hear of the open place."""
    outbox.queue(uow, notices.open_slot(uow, event.pool, event.shift, event.free, event.by),
                 now=event.at)


def swap_proposed(uow: UnitOfWork, event: SwapProposed) -> None:
    """The member a swap is proposed to hears of it."""
    outbox.queue(uow, notices.swap_proposed(uow, event.pool, event.swap), now=event.at)


def swap_answered(uow: UnitOfWork, event: SwapAnswered) -> None:
    """The other member of the swap hears of the answer."""
    outbox.queue(uow, notices.swap_answered(uow, event.pool, event.swap), now=event.at)


def invitation(uow: UnitOfWork, event: MemberInvited) -> None:
    """The invited member gets their invitation's link, where their pool has their email."""
    notice = notices.invitation(event.member, event.pool, event.invitation, event.code)
    if notice is not None:
        outbox.queue(uow, [notice], now=event.invitation.created_at)


def verification(uow: UnitOfWork, event: UserSignedUp | EmailVerificationRequested) -> None:
    """The account's owner gets a link to verify its email."""
    outbox.queue(uow, [notices.email_verification(event.user)], now=event.at)


def sign_up_tried(uow: UnitOfWork, event: SignUpWithKnownEmail) -> None:
    """The owner of an email someone tried to sign up with hears of it."""
    outbox.queue(uow, [notices.sign_up_tried(event.user)], now=event.at)


def password_reset(uow: UnitOfWork, event: PasswordResetRequested) -> None:
    """The account's owner gets the reset link."""
    outbox.queue(uow, [notices.password_reset(event.user, event.code, event.expires_at)],
                 now=event.at)
