"""The read side: what the doors list, read through views of the workshop
(examples/workshop.json) as it goes from collecting to cleared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerconomy.bootstrap import memory_store
from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.scenario import parse_scenario
from peerconomy.services import periods, pools, views, work
from peerconomy.services.ports import Store

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"


@pytest.fixture
def workshop() -> Store:
    store = memory_store()
    pools.import_scenario(store.unit_of_work(), "workshop",
                          parse_scenario(json.loads(WORKSHOP.read_text())), coordinators=["ana"])
    return store


def test_the_current_periods_offers_and_wishes_and_one_members_offers(workshop: Store) -> None:
    uow = workshop.unit_of_work()
    assert [(o.participant, o.task) for o in views.offers(uow, "workshop")][:3] == [
        ("ana", "assemble"), ("ben", "assemble"), ("ben", "paint")]
    assert [o.task for o in views.offers(uow, "workshop", participant="ben")] == [
        "assemble", "paint"]
    assert views.offered_hours(uow, "workshop") == {"assemble": 18.0, "paint": 10.0}
    assert [w.id for w in views.wishes(uow, "workshop")] == [
        "ana_bike", "ben_bikes", "chiara_motorcycle", "dario_bike"]


def test_projects_come_with_their_tasks_and_goods(workshop: Store) -> None:
    (parts,) = views.projects(workshop.unit_of_work(), "workshop")
    project, tasks, goods = parts
    assert project.id == "workshop"
    assert [t.id for t in tasks] == ["assemble", "paint"]
    assert [g.id for g in goods] == ["bicycle", "motorcycle"]


def test_the_period_board_shows_the_plan_once_cleared_and_whether_it_may_be_reopened(
    workshop: Store,
) -> None:
    new = workshop.unit_of_work
    board = views.period_board(new(), "workshop")
    assert (board.period.state, board.plan, board.previous) == (
        PeriodState.COLLECTING, None, None)
    assert [m.id for m in board.members] == ["ana", "ben", "chiara", "dario"]
    assert periods.require_step(new(), "workshop", "clear").number == 1

    plan = periods.clear_period(new(), "workshop")
    board = views.period_board(new(), "workshop")
    assert board.plan == plan == views.plan(new(), "workshop", 1)
    assert board.can_reopen
    with pytest.raises(IllegalTransitionError):
        periods.require_step(new(), "workshop", "clear")

    work.log_work(new(), "workshop", "ben", "paint", 2)
    assert [log.participant for log in views.work_logs(new(), "workshop")] == ["ben"]
    assert not views.period_board(new(), "workshop").can_reopen


def test_a_missing_account_invitation_or_period_is_none(workshop: Store) -> None:
    uow = workshop.unit_of_work()
    assert views.account(uow, "nobody") is None
    assert views.invitation_pool(uow, "abc.def") is None
    assert views.latest_period(uow, "elsewhere") is None
    assert views.join_requests(uow, "workshop", pending=True) == []
