"""A period from collecting to settled, on the workshop pool."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.scenario import Offer, Scenario
from peerconomy.ledger.journal import POOL, participant_account
from peerconomy.services import books, collecting, periods, work
from peerconomy.services.errors import ConflictError, NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_an_imported_pool_clears_exactly_as_its_scenario_file(
    uow: MemoryUnitOfWork, workshop: Scenario
) -> None:
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert plan.data == clear_scenario(workshop)
    assert plan.period == 1 and plan.cleared_at == NOW
    with uow:
        assert uow.periods.get("workshop", 1).state is PeriodState.CLEARED  # type: ignore[union-attr]
        assert uow.periods.plan("workshop", 1) == plan


def test_the_input_hash_names_what_was_cleared(uow: MemoryUnitOfWork, workshop: Scenario) -> None:
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert plan.input_hash == periods.input_hash(workshop)
    assert len(plan.input_hash) == 64


def test_a_second_clear_is_refused_and_the_first_plan_stays(uow: MemoryUnitOfWork) -> None:
    first = periods.clear_period(uow, "workshop", now=NOW)
    with pytest.raises(IllegalTransitionError, match="cannot clear a period that is cleared"):
        periods.clear_period(uow, "workshop", now=NOW)
    with uow:
        assert uow.periods.plan("workshop", 1) == first


def test_an_existing_pool_name_is_refused_and_nothing_changes(
    store: MemoryStore, uow: MemoryUnitOfWork, workshop: Scenario
) -> None:
    before = store.state
    with pytest.raises(ConflictError, match="the name 'workshop' cannot be used; choose another"):
        import_scenario(store.unit_of_work(), "workshop", workshop)
    assert store.state is before


def test_settling_posts_shares_and_confirmed_credits_and_the_books_balance(
    uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    # ana assembles her 8 hours, chiara confirms; ben logs 3 of his 6 but nobody confirms yet
    work.log_work(uow, "workshop", "ana", "assemble", 8, confirmed_by="chiara", now=NOW)
    work.log_work(uow, "workshop", "ben", "assemble", 3, now=NOW)
    nxt = periods.settle_period(uow, "workshop", on=date(2026, 11, 30))
    assert (nxt.number, nxt.state) == (2, PeriodState.COLLECTING)
    held = books.balances(uow, "workshop")
    assert sum(held.values()) == 0
    # shares: ana 1 bicycle (3.0); credits: her 8 confirmed hours at weight 1
    assert held[participant_account("ana")] == Decimal("5")
    assert held[participant_account("ben")] == Decimal("-6")  # two bicycles, nothing confirmed
    assert held[participant_account("chiara")] == Decimal("-9")
    assert held[participant_account("dario")] == Decimal("-3")
    assert held[POOL] == Decimal("13")  # work planned but not done: 21 shared, 8 credited
    with uow:
        assert uow.periods.get("workshop", 1).state is PeriodState.SETTLED  # type: ignore[union-attr]


def test_the_next_period_keeps_standing_offers_and_estimates_last_weights(
    uow: MemoryUnitOfWork,
) -> None:
    plan = periods.clear_period(uow, "workshop", now=NOW)
    periods.settle_period(uow, "workshop", on=date(2026, 11, 30))
    with uow:
        second = uow.periods.get("workshop", 2)
        assert second is not None and second.weight_estimates == plan.data.weights
        assert uow.periods.offers("workshop", 2) == uow.periods.offers("workshop", 1)
        assert uow.periods.wishes("workshop", 2) == uow.periods.wishes("workshop", 1)
    collecting.make_offer(
        uow, "workshop", Offer(participant="dario", task="paint", hours=2, min_weight=1.0)
    )
    with uow:  # a change in period 2 leaves period 1's record alone
        assert len(uow.periods.offers("workshop", 2)) == len(uow.periods.offers("workshop", 1)) + 1


def test_offers_are_refused_once_the_period_is_cleared(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    offer = Offer(participant="dario", task="paint", hours=2, min_weight=1.0)
    with pytest.raises(IllegalTransitionError, match="cannot make an offer in a period that is"
                       " cleared"):
        collecting.make_offer(uow, "workshop", offer)


def test_settling_a_collecting_period_is_refused(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(IllegalTransitionError, match="cannot settle a period that is collecting"):
        periods.settle_period(uow, "workshop")


def test_a_settled_period_closes_once(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    periods.settle_period(uow, "workshop", on=date(2026, 11, 30))
    assert periods.close_period(uow, "workshop", 1).state is PeriodState.CLOSED
    with pytest.raises(IllegalTransitionError, match="cannot close a period that is closed"):
        periods.close_period(uow, "workshop", 1)
    with pytest.raises(NotFoundError, match="no period 7"):
        periods.close_period(uow, "workshop", 7)


def test_an_unknown_pool_is_named(store: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="no pool 'bakery'"):
        periods.clear_period(store.unit_of_work(), "bakery")
