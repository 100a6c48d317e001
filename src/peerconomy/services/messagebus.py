"""The message bus: the events a step recorded on its unit of work, handed to their handlers.

A service records what happened (:func:`record`, a :mod:`peerconomy.domain.events` event)
and ends its step with :func:`commit` instead of ``uow.commit()``. Handlers of two kinds
subscribe to an event's type (as in *Architecture Patterns with Python*, ch. 8-9):

- **in the step's transaction** (``before_commit``): they run before the commit in the same
  unit of work, so what they write (the notices queued in the outbox) is kept exactly when
  the step is; an event they record is handled too, before the commit;
- **after the commit** (``after_commit``): they run once the step is durable (a feed, a
  reminder), never for a step that was rolled back; they open their own transactions.

The bus of the running program is :data:`BUS` (the notices); a test or a later feature may
build another with more handlers and pass it to :func:`commit`.

>>> from peerconomy.domain.events import Event
>>> bus = MessageBus({}, {})
>>> bus.handlers(Event())
()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from peerconomy.domain import events
from peerconomy.domain.events import Event
from peerconomy.services import notice_handlers as notify
from peerconomy.services.ports import UnitOfWork

__all__ = ["BUS", "Handler", "MessageBus", "commit", "record"]

Handler = Callable[[UnitOfWork, Any], None]
"""Acts on one event of the type it subscribes to, in the step's transaction or after it
(see :class:`MessageBus`)."""
Handlers = Mapping[type[Event], tuple[Handler, ...]]


@dataclass(frozen=True, slots=True)
class MessageBus:
    """Which handlers each type of event goes to, in the step's transaction and after it."""

    before_commit: Handlers
    after_commit: Handlers = field(default_factory=dict)

    def handlers(self, event: Event, *, committed: bool = False) -> tuple[Handler, ...]:
        """The handlers ``event`` goes to, in order (``committed``: those after the commit)."""
        return (self.after_commit if committed else self.before_commit).get(type(event), ())

    def commit(self, uow: UnitOfWork) -> list[Event]:
        """Hand the unit of work's new events to their handlers in its transaction (and the
        events those record, in turn), commit, then hand them all to the handlers after the
        commit; return them in the order they were handled."""
        handled: list[Event] = []
        while uow.events:
            event = uow.events.pop(0)
            for handler in self.handlers(event):
                handler(uow, event)
            handled.append(event)
        uow.commit()
        for event in handled:
            for handler in self.handlers(event, committed=True):
                handler(uow, event)
        return handled


BUS: Final = MessageBus({
    events.PeriodCleared: (notify.plan_cleared,),
    events.PeriodOpened: (notify.period_opened,),
    events.WorkLogged: (notify.work_awaits_confirmation,),
    events.ShiftCancelled: (notify.shift_cancelled,),
    events.SlotOpened: (notify.open_slot,),
    events.SwapProposed: (notify.swap_proposed,),
    events.SwapAnswered: (notify.swap_answered,),
    events.MemberInvited: (notify.invitation,),
    events.UserSignedUp: (notify.verification,),
    events.EmailVerificationRequested: (notify.verification,),
    events.SignUpWithKnownEmail: (notify.sign_up_tried,),
    events.PasswordResetRequested: (notify.password_reset,),
})
"""The handlers of the running program, registered here and nowhere else: each event's
notices, queued in its transaction (ARCHITECTURE.md, *Commands, events and the message
bus*, lists them)."""


def record(uow: UnitOfWork, event: Event) -> None:
    """Note that ``event`` happened in the unit of work's transaction (handled at
    :func:`commit`; forgotten if the transaction is rolled back)."""
    uow.events.append(event)


def commit(uow: UnitOfWork, bus: MessageBus = BUS) -> list[Event]:
    """End a step: its events handled by ``bus`` in its transaction, the commit, and the
    handlers after it (:meth:`MessageBus.commit`)."""
    return bus.commit(uow)
