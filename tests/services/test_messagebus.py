"""The message bus: a step's events handed to their handlers in its transaction (what they
write is kept with the step, or not at all), and after its commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from peerconomy.domain import events
from peerconomy.domain.events import Event, PeriodOpened
from peerconomy.services import messagebus
from peerconomy.services.audit import record
from peerconomy.services.messagebus import MessageBus
from peerconomy.services.ports import UnitOfWork
from peerconomy.store.memory import MemoryStore

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Greeted(Event):
    """A test's event: someone was greeted."""

    who: str


def audited(uow: UnitOfWork, event: PeriodOpened) -> None:
    """Writes in the step's transaction: an audit entry for the opened period."""
    record(uow, event.pool, "test.opened", actor=None, subject=event.number, now=event.at)


def greet_after_opening(uow: UnitOfWork, event: PeriodOpened) -> None:
    """Records a further event, handled in the same commit."""
    messagebus.record(uow, Greeted(event.pool))


def entries(store: MemoryStore) -> list[str]:
    with store.unit_of_work() as uow:
        return [e.action for e in uow.audit.entries("seaside")]


def test_handlers_write_in_the_steps_transaction_and_later_ones_see_it_committed() -> None:
    store = MemoryStore()
    seen: list[tuple[Event, list[str]]] = []
    bus = MessageBus(
        {PeriodOpened: (audited, greet_after_opening)},
        {PeriodOpened: (lambda uow, event: seen.append((event, entries(store))),),
         Greeted: (lambda uow, event: seen.append((event, [])),)},
    )
    opened = PeriodOpened("seaside", 2, AT)
    with store.unit_of_work() as uow:
        messagebus.record(uow, opened)
        assert messagebus.commit(uow, bus) == [opened, Greeted("seaside")]
        assert uow.events == []
    assert entries(store) == ["test.opened"]
    assert seen == [(opened, ["test.opened"]), (Greeted("seaside"), [])]


def test_the_events_of_a_step_rolled_back_are_forgotten() -> None:
    store = MemoryStore()
    seen: list[Event] = []
    bus = MessageBus({PeriodOpened: (audited,)}, {PeriodOpened: (lambda _, e: seen.append(e),)})
    uow = store.unit_of_work()
    with pytest.raises(LookupError), uow:
        messagebus.record(uow, PeriodOpened("seaside", 2, AT))
        raise LookupError("the step failed")
    assert uow.events == []
    with uow:
        assert messagebus.commit(uow, bus) == []
    assert seen == [] and entries(store) == []


def test_an_event_nobody_subscribes_to_is_let_go() -> None:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        messagebus.record(uow, Greeted("ana"))
        assert messagebus.commit(uow, MessageBus({})) == [Greeted("ana")]


def test_every_event_of_the_domain_has_its_handlers_on_the_programs_bus() -> None:
    kinds = {kind for kind in vars(events).values()
             if isinstance(kind, type) and issubclass(kind, Event)
             and kind not in (Event, events.AccountEvent)}
    assert kinds == set(messagebus.BUS.before_commit)
