"""Offers and wishes while a period collects them: made, changed, withdrawn, and refused.

The workshop's period 1 collects; its offers stand in the scenario's order (ana, ben on
assembly, ben on painting, chiara, dario) and so do its wishes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from peerconomy.domain.period import IllegalTransitionError
from peerconomy.domain.plan import TaskAssignment
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Alternative, Offer, ScenarioError, Wish
from peerconomy.services import collecting, periods, pools
from peerconomy.services.errors import NotFoundError
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def offer(participant: str, task: str, hours: float, min_weight: float = 1.0) -> Offer:
    return Offer(participant=participant, task=task, hours=hours, min_weight=min_weight)


def wish(participant: str, id: str, *alternatives: Alternative, quantity: int = 1) -> Wish:
    return Wish(participant=participant, id=id, quantity=quantity, alternatives=list(alternatives))


def good(id: str, max_cost: float | None = None) -> Alternative:
    return Alternative(good=id, max_cost=max_cost)


def offers_of(uow: MemoryUnitOfWork, pool: str = "workshop") -> list[Offer]:
    with uow:
        return uow.periods.offers(pool, uow.periods.latest(pool).number)  # type: ignore[union-attr]


def wishes_of(uow: MemoryUnitOfWork, pool: str = "workshop") -> list[Wish]:
    with uow:
        return uow.periods.wishes(pool, uow.periods.latest(pool).number)  # type: ignore[union-attr]


# --- offers ------------------------------------------------------------------------------


def test_a_new_offer_is_added_after_the_standing_ones(uow: MemoryUnitOfWork) -> None:
    before = offers_of(uow)
    made = collecting.make_offer(uow, "workshop", offer("dario", "paint", 3))
    assert made == offer("dario", "paint", 3)
    assert offers_of(uow) == [*before, made]


def test_a_changed_offer_keeps_its_place_in_the_order(uow: MemoryUnitOfWork) -> None:
    before = offers_of(uow)
    collecting.make_offer(uow, "workshop", offer("ben", "assemble", 2, min_weight=1.5))
    after = offers_of(uow)
    assert [(o.participant, o.task) for o in after] == [(o.participant, o.task) for o in before]
    assert after[1] == offer("ben", "assemble", 2, min_weight=1.5)


def test_a_changed_offer_is_cleared_with_its_new_hours(uow: MemoryUnitOfWork) -> None:
    collecting.make_offer(uow, "workshop", offer("ana", "assemble", 3))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert TaskAssignment("ana", "assemble", 3.0) in plan.assignments


def test_a_withdrawn_offer_is_gone(uow: MemoryUnitOfWork) -> None:
    collecting.withdraw_offer(uow, "workshop", "ben", "paint")
    assert ("ben", "paint") not in {(o.participant, o.task) for o in offers_of(uow)}
    assert len(offers_of(uow)) == 4


def test_an_offer_names_an_unknown_member_or_task(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        collecting.make_offer(uow, "workshop", offer("zoe", "paint", 3))
    with pytest.raises(NotFoundError, match="no task 'weld' in pool 'workshop'"):
        collecting.make_offer(uow, "workshop", offer("dario", "weld", 3))
    with pytest.raises(NotFoundError, match="no offer 'dario on paint' in pool 'workshop'"):
        collecting.withdraw_offer(uow, "workshop", "dario", "paint")
    with pytest.raises(NotFoundError, match="no pool 'garage'"):
        collecting.make_offer(uow, "garage", offer("dario", "paint", 3))
    assert store.state is before


def test_a_member_who_left_makes_no_offers_or_wishes(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    pools.remove_member(uow, "workshop", "dario")
    before = store.state
    with pytest.raises(NotFoundError, match="no participant 'dario' in pool 'workshop'"):
        collecting.make_offer(uow, "workshop", offer("dario", "paint", 3))
    with pytest.raises(NotFoundError, match="no participant 'dario' in pool 'workshop'"):
        collecting.make_wish(uow, "workshop", wish("dario", "dario_bike", good("bicycle")))
    assert store.state is before


# --- wishes ------------------------------------------------------------------------------


def test_a_new_wish_is_added_after_the_standing_ones(uow: MemoryUnitOfWork) -> None:
    before = wishes_of(uow)
    made = collecting.make_wish(uow, "workshop", wish("ana", "ana_motorcycle", good("motorcycle")))
    assert wishes_of(uow) == [*before, made]


def test_a_changed_wish_keeps_its_place_in_the_order(uow: MemoryUnitOfWork) -> None:
    before = [w.id for w in wishes_of(uow)]
    changed = wish("ben", "ben_bikes", good("bicycle"), good("motorcycle"), quantity=3)
    collecting.make_wish(uow, "workshop", changed)
    after = wishes_of(uow)
    assert [w.id for w in after] == before
    assert after[1] == changed


def test_a_changed_wish_is_cleared_as_changed(uow: MemoryUnitOfWork) -> None:
    collecting.make_wish(uow, "workshop", wish("ben", "ben_bikes", good("motorcycle")))
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    got = [(a.good, a.quantity) for a in plan.allocations if a.wish == "ben_bikes"]
    assert got == [("motorcycle", 1)]


def test_a_withdrawn_wish_is_gone_and_not_cleared(uow: MemoryUnitOfWork) -> None:
    collecting.withdraw_wish(uow, "workshop", "chiara_motorcycle")
    assert "chiara_motorcycle" not in {w.id for w in wishes_of(uow)}
    plan = periods.clear_period(uow, "workshop", now=NOW).data
    assert plan.production["motorcycle"] == 0


def test_a_wish_names_an_unknown_member_good_or_product_type(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(NotFoundError, match="no participant 'zoe' in pool 'workshop'"):
        collecting.make_wish(uow, "workshop", wish("zoe", "zoe_bike", good("bicycle")))
    with pytest.raises(ScenarioError, match="unknown good 'tandem'") as refused:
        collecting.make_wish(
            uow, "workshop", wish("dario", "dario_tandem", good("bicycle"), good("tandem"))
        )
    assert refused.value.path == "wish.alternatives[1].good"
    with pytest.raises(ScenarioError, match="unknown product type 'scooter'") as refused:
        collecting.make_wish(
            uow, "workshop", wish("dario", "dario_scooter", Alternative(product_type="scooter"))
        )
    assert refused.value.path == "wish.alternatives[0].product_type"
    with pytest.raises(NotFoundError, match="no wish 'zoe_bike' in pool 'workshop'"):
        collecting.withdraw_wish(uow, "workshop", "zoe_bike")
    assert store.state is before


def test_an_alternative_names_a_good_or_a_product_type_not_both(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    both = Alternative(good="bicycle", product_type="bicycle")
    with pytest.raises(ScenarioError, match="must name either 'good' or 'product_type'") as refused:
        collecting.make_wish(uow, "workshop", wish("dario", "dario_bike", both))
    assert refused.value.path == "wish.alternatives[0]"
    with pytest.raises(ScenarioError, match="must name a 'good' or a 'product_type'"):
        collecting.make_wish(uow, "workshop", wish("dario", "dario_bike", Alternative()))
    assert store.state is before


def test_a_wish_mixing_auction_and_non_auction_goods_is_refused(
    store: MemoryStore, bakery_uow: MemoryUnitOfWork
) -> None:
    before = store.state
    mixed = wish("ben", "ben_treat", good("bread"), good("cake", max_cost=5))
    with pytest.raises(ScenarioError, match="mixes auction and non-auction goods") as refused:
        collecting.make_wish(bakery_uow, "bakery", mixed)
    assert refused.value.path == "wish.alternatives"
    assert store.state is before
    # either kind on its own is fine
    collecting.make_wish(bakery_uow, "bakery", wish("ben", "ben_cake", good("cake", max_cost=5)))
    collecting.make_wish(bakery_uow, "bakery", wish("ben", "ben_roll", good("roll"), good("bread")))


def test_another_participants_wish_cannot_be_changed(
    store: MemoryStore, uow: MemoryUnitOfWork
) -> None:
    before = store.state
    with pytest.raises(InputError, match="'ana_bike' is another participant's wish") as refused:
        collecting.make_wish(uow, "workshop", wish("ben", "ana_bike", good("motorcycle")))
    assert refused.value.path == "wish.id"
    assert store.state is before


# --- only while collecting ---------------------------------------------------------------

REFUSED_ONCE_CLEARED: list[tuple[str, Callable[[MemoryUnitOfWork], object]]] = [
    ("make an offer in",
     lambda uow: collecting.make_offer(uow, "workshop", offer("dario", "paint", 3))),
    ("withdraw an offer in",
     lambda uow: collecting.withdraw_offer(uow, "workshop", "ben", "paint")),
    ("make a wish in",
     lambda uow: collecting.make_wish(uow, "workshop", wish("ana", "ana_more", good("bicycle")))),
    ("withdraw a wish in",
     lambda uow: collecting.withdraw_wish(uow, "workshop", "ana_bike")),
]


@pytest.mark.parametrize(("action", "call"), REFUSED_ONCE_CLEARED, ids=[a for a, _ in
                                                                         REFUSED_ONCE_CLEARED])
def test_offers_and_wishes_are_refused_once_the_period_is_cleared(
    store: MemoryStore,
    uow: MemoryUnitOfWork,
    action: str,
    call: Callable[[MemoryUnitOfWork], object],
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    before = store.state
    with pytest.raises(IllegalTransitionError) as refused:
        call(uow)
    assert str(refused.value) == f"cannot {action} a period that is cleared (it must be collecting)"
    assert store.state is before


def test_offers_and_wishes_are_taken_again_once_the_next_period_collects(
    uow: MemoryUnitOfWork,
) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    periods.settle_period(uow, "workshop")
    for _, call in REFUSED_ONCE_CLEARED:
        call(uow)
    assert offer("dario", "paint", 3) in offers_of(uow)
    assert "ana_bike" not in {w.id for w in wishes_of(uow)}


# --- a whole bidding round at once ---------------------------------------------------------


def test_a_round_replaces_every_offer_and_wish_of_the_period(uow: MemoryUnitOfWork) -> None:
    new_offers = [offer("dario", "paint", 3, 1.1), offer("ana", "assemble", 5)]
    new_wishes = [wish("ben", "ben_moto", good("motorcycle")),
                  wish("ana", "ana_bikes", good("bicycle"), quantity=2)]
    collecting.submit_round(uow, "workshop", new_offers, new_wishes)
    assert offers_of(uow) == new_offers
    assert wishes_of(uow) == new_wishes
    plan = periods.clear_period(uow, "workshop", now=NOW)
    assert {a.participant for a in plan.data.assignments} == {"ana", "dario"}
    assert plan.data.production == {"bicycle": 2, "motorcycle": 1}


@pytest.mark.parametrize(
    ("offers", "wishes", "message"),
    [
        ([offer("zoe", "paint", 1)], [], r"offers\[0\]\.participant: no member 'zoe'"),
        ([offer("ana", "paint", 1), offer("ana", "weld", 1)], [],
         r"offers\[1\]\.task: no task 'weld'"),
        ([offer("ana", "paint", 1), offer("ana", "paint", 2)], [],
         r"offers\[1\]: a second offer of 'ana' on 'paint'"),
        ([], [wish("zoe", "z", good("bicycle"))], r"wishes\[0\]\.participant: no member 'zoe'"),
        ([], [wish("ana", "a", good("bicycle")), wish("ben", "a", good("bicycle"))],
         r"wishes\[1\]\.id: 'a' is used twice"),
        ([], [wish("ana", "a", good("bicycle")), wish("ben", "b", good("sofa"))],
         r"wishes\[1\]\.alternatives\[0\]\.good: "),
    ],
)
def test_a_round_with_a_bad_entry_is_refused_whole(
    store: MemoryStore,
    uow: MemoryUnitOfWork,
    offers: list[Offer],
    wishes: list[Wish],
    message: str,
) -> None:
    before = store.state
    with pytest.raises(ScenarioError, match=message):
        collecting.submit_round(uow, "workshop", offers, wishes)
    assert store.state is before


def test_a_round_is_refused_once_the_period_is_cleared(uow: MemoryUnitOfWork) -> None:
    periods.clear_period(uow, "workshop", now=NOW)
    with pytest.raises(IllegalTransitionError, match="cannot submit a round in a period"):
        collecting.submit_round(uow, "workshop", [], [])
