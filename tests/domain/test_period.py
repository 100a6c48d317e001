"""The period lifecycle: each step in order, and a clear refusal of any other."""

from __future__ import annotations

import itertools

import pytest

from peerconomy.domain.period import (
    IllegalTransitionError,
    PeriodState,
    accepts_offers,
    advance,
    has_plan,
)

LIFE = [("collect", PeriodState.COLLECTING), ("clear", PeriodState.CLEARED),
        ("settle", PeriodState.SETTLED), ("close", PeriodState.CLOSED)]


def test_a_period_goes_from_open_to_closed_step_by_step() -> None:
    state = PeriodState.OPEN
    for action, after in LIFE:
        state = advance(state, action)  # type: ignore[arg-type]
        assert state is after


LEGAL = {(PeriodState.OPEN, "collect"), (PeriodState.COLLECTING, "clear"),
         (PeriodState.CLEARED, "settle"), (PeriodState.SETTLED, "close")}
ILLEGAL = [(s, a) for s, (a, _) in itertools.product(PeriodState, LIFE) if (s, a) not in LEGAL]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_other_step_is_refused_with_a_reason(state: PeriodState, action: str) -> None:
    with pytest.raises(IllegalTransitionError, match=f"cannot {action} a period that is "
                       f"{state.value} \\(it must be "):
        advance(state, action)  # type: ignore[arg-type]


def test_a_settled_period_cannot_be_cleared_again() -> None:
    with pytest.raises(IllegalTransitionError) as err:
        advance(PeriodState.SETTLED, "clear")
    assert str(err.value) == "cannot clear a period that is settled (it must be collecting)"
    assert err.value.needed is PeriodState.COLLECTING


def test_only_a_collecting_period_takes_offers_and_wishes() -> None:
    assert [s for s in PeriodState if accepts_offers(s)] == [PeriodState.COLLECTING]


def test_a_period_has_its_plan_from_its_clearing_on() -> None:
    assert [s for s in PeriodState if has_plan(s)] == [
        PeriodState.CLEARED, PeriodState.SETTLED, PeriodState.CLOSED]
