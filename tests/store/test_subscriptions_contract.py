"""The store contract for subscriptions: a wish's term and its periods left, alike on memory,
SQLite and PostgreSQL.

The farm sells veg-box shares for a season: ana's share stands for three periods, ben wishes
for a box week by week, and cem's share was made in its last period.
"""

from __future__ import annotations

from datetime import date

import pytest

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, PoolProject
from peerconomy.domain.scenario import Alternative, Good, Wish, parse_scenario
from peerconomy.services import collecting, hints, overview, periods, pools, views
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.subscriptions import Subscribed
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore
FARM = "farm"
BOX = [Alternative(good="veg_box")]
ANA = Wish(participant="ana", id="ana-box", alternatives=BOX, term=3)
BEN = Wish(participant="ben", id="ben-box", alternatives=BOX)
CEM = Wish(participant="cem", id="cem-box", quantity=2, alternatives=BOX, term=1)


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """The farm with period 1 collecting ana's, ben's and cem's wishes."""
    with store.unit_of_work() as setup:
        setup.pools.add(Pool(FARM))
        setup.pools.put_project(FARM, PoolProject("vegetables"))
        setup.pools.add_members(FARM, [Member("ana"), Member("ben"), Member("cem")])
        setup.pools.add_goods(FARM, [Good(id="veg_box", project="vegetables",
                                          model="flat_allocation", capacity=2)])
        setup.periods.add(Period(FARM, 1, PeriodState.COLLECTING))
        setup.periods.add_wishes(FARM, 1, [ANA, BEN, CEM])
        setup.commit()
    return store.unit_of_work()


def next_period(uow: UnitOfWork, number: int) -> None:
    with uow:
        uow.periods.add(Period(FARM, number + 1, PeriodState.COLLECTING))
        uow.periods.carry_over(FARM, number, number + 1)
        uow.commit()


def test_a_subscription_comes_back_with_its_term_and_its_whole_term_left(
    uow: UnitOfWork,
) -> None:
    with uow:
        assert uow.periods.wishes(FARM, 1) == [ANA, BEN, CEM]
        assert uow.periods.wishes(FARM, 1)[0].term == 3
        assert uow.periods.periods_left(FARM, 1) == {"ana-box": 3, "cem-box": 1}


def test_a_subscription_counts_down_and_ends_after_its_last_period(uow: UnitOfWork) -> None:
    next_period(uow, 1)
    with uow:
        assert uow.periods.wishes(FARM, 2) == [ANA, BEN]  # cem's one period is over
        assert uow.periods.periods_left(FARM, 2) == {"ana-box": 2}
        assert uow.periods.periods_left(FARM, 1) == {"ana-box": 3, "cem-box": 1}  # kept
    next_period(uow, 2)
    with uow:
        assert uow.periods.periods_left(FARM, 3) == {"ana-box": 1}
    next_period(uow, 3)
    with uow:
        assert uow.periods.wishes(FARM, 4) == [BEN]  # ben's wish without a term stands
        assert uow.periods.periods_left(FARM, 4) == {}


def test_a_wish_put_again_takes_the_periods_left_given_or_its_whole_term(
    uow: UnitOfWork,
) -> None:
    bigger = Wish(participant="ana", id="ana-box", quantity=2, alternatives=BOX, term=3)
    with uow:
        uow.periods.put_wish(FARM, 1, bigger, periods_left=2)
        uow.periods.put_wish(FARM, 1, Wish(participant="ben", id="ben-box", alternatives=BOX,
                                           term=5))
        uow.periods.put_wish(FARM, 1, Wish(participant="cem", id="cem-box", alternatives=BOX))
        uow.commit()
    with uow:
        assert [w.term for w in uow.periods.wishes(FARM, 1)] == [3, 5, None]
        assert uow.periods.periods_left(FARM, 1) == {"ana-box": 2, "ben-box": 5}


def test_a_withdrawn_subscription_leaves_no_periods_behind(uow: UnitOfWork) -> None:
    with uow:
        assert uow.periods.remove_wish(FARM, 1, "ana-box")
        uow.commit()
    with uow:
        assert uow.periods.periods_left(FARM, 1) == {"cem-box": 1}
        uow.periods.put_wish(FARM, 1, ANA)
        uow.commit()
    with uow:
        assert uow.periods.periods_left(FARM, 1) == {"cem-box": 1, "ana-box": 3}


def test_carrying_over_onto_a_period_with_wishes_counts_down_in_place(uow: UnitOfWork) -> None:
    with uow:
        uow.periods.add(Period(FARM, 2, PeriodState.COLLECTING))
        uow.periods.add_wishes(FARM, 2, [Wish(participant="ana", id="ana-box",
                                              alternatives=BOX)])
        uow.periods.carry_over(FARM, 1, 2)
        uow.commit()
    with uow:
        assert uow.periods.wishes(FARM, 2) == [ANA, BEN]
        assert uow.periods.periods_left(FARM, 2) == {"ana-box": 2}


# --- the services on each store --------------------------------------------------------------

SEASON = {
    "format": "peerconomy-scenario/1",
    "settings": {"seed": 3},
    "participants": [{"id": "ana"}, {"id": "ben"}, {"id": "cem"}, {"id": "dora"}],
    "projects": [{"id": "vegetables"}],
    "tasks": [{"id": "harvest", "project": "vegetables"}],
    "goods": [{"id": "veg_box", "project": "vegetables", "model": "flat_allocation",
               "capacity": 2, "recipe": {"harvest": 1}}],
    "offers": [{"participant": "cem", "task": "harvest", "hours": 6, "min_weight": 1}],
}
"""Two veg boxes a week. Ana takes a share for two weeks, ben for three; cem and dora wish
for a box week by week."""


def _season(store: Store) -> None:
    pools.import_scenario(store.unit_of_work(), FARM, parse_scenario(SEASON),
                          coordinators=["ana"])
    for wish in (Wish(participant="cem", id="cem-box", alternatives=BOX),
                 Wish(participant="ana", id="ana-box", alternatives=BOX, term=2),
                 Wish(participant="dora", id="dora-box", alternatives=BOX),
                 Wish(participant="ben", id="ben-box", alternatives=BOX, term=3)):
        collecting.make_wish(store.unit_of_work(), FARM, wish)


def _week(store: Store, number: int) -> dict[str, int]:
    """Clear and settle the week; who got a box."""
    plan = periods.clear_period(store.unit_of_work(), FARM)
    periods.settle_period(store.unit_of_work(), FARM, on=date(2026, 11, number))
    return {a.participant: a.quantity for a in plan.data.allocations}


def test_the_season_shares_are_served_first_count_down_and_end(store: Store) -> None:
    _season(store)
    assert _week(store, 1) == {"ana": 1, "ben": 1}
    mine = overview.my_period(store.unit_of_work(), FARM, "ana")
    assert mine.periods_left == {"ana-box": 1}
    assert _week(store, 2) == {"ana": 1, "ben": 1}
    wished = {w.id for w in views.wishes(store.unit_of_work(), FARM)}
    assert wished == {"cem-box", "dora-box", "ben-box"}  # ana's two weeks are over
    week3 = _week(store, 3)
    assert week3["ben"] == 1 and sorted(week3) in (["ben", "cem"], ["ben", "dora"])
    assert {w.id for w in views.wishes(store.unit_of_work(), FARM)} == {"cem-box", "dora-box"}
    assert overview.my_period(store.unit_of_work(), FARM, "ben").periods_left == {}


def test_the_farm_sees_its_subscribed_boxes_for_the_coming_weeks(store: Store) -> None:
    _season(store)
    board = hints.hint_board(store.unit_of_work(), FARM)
    assert board.subscribed_from == 1
    assert board.subscribed == {"vegetables": [Subscribed("veg_box", None, (2, 2, 1))]}
    _week(store, 1)
    board = hints.hint_board(store.unit_of_work(), FARM)
    assert (board.period, board.subscribed_from) == (1, 2)
    assert board.as_json()["subscribed"] == {
        "vegetables": [{"good": "veg_box", "product_type": None, "units": [2, 1]}]}


def test_a_changed_share_keeps_its_weeks_and_a_new_term_starts_again(store: Store) -> None:
    _season(store)
    _week(store, 1)
    two = Wish(participant="ben", id="ben-box", quantity=2, alternatives=BOX, term=3)
    collecting.make_wish(store.unit_of_work(), FARM, two)
    assert overview.my_period(store.unit_of_work(), FARM, "ben").periods_left == {"ben-box": 2}
    longer = Wish(participant="ana", id="ana-box", alternatives=BOX, term=4)
    collecting.make_wish(store.unit_of_work(), FARM, longer)
    assert overview.my_period(store.unit_of_work(), FARM, "ana").periods_left == {"ana-box": 4}
    weekly = Wish(participant="ana", id="ana-box", alternatives=BOX)
    collecting.make_wish(store.unit_of_work(), FARM, weekly)
    assert overview.my_period(store.unit_of_work(), FARM, "ana").periods_left == {}


def test_a_share_outlives_a_reopened_week(store: Store) -> None:
    _season(store)
    periods.clear_period(store.unit_of_work(), FARM)
    periods.reopen_period(store.unit_of_work(), FARM)
    assert _week(store, 1) == {"ana": 1, "ben": 1}
    assert overview.my_period(store.unit_of_work(), FARM, "ben").periods_left == {"ben-box": 2}
