"""The command line's door: any refusal is one line on stderr and exit code 2."""

from __future__ import annotations

import pytest
import typer

from peerconomy.cli.common import refusals
from peerconomy.domain import refusal
from peerconomy.domain.period import IllegalTransitionError, PeriodState
from peerconomy.domain.scenario import ScenarioError
from peerconomy.services.errors import SignInError


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (refusal.InputError("days", "must be between 1 and 365"),
         "days: must be between 1 and 365"),
        (refusal.InputError("a", "is missing", refusal.Problem("b", "is missing")),
         "a: is missing; b: is missing"),
        (ScenarioError("offers[0].hours", "must be >= 0, got -1"),
         "offers[0].hours: must be >= 0, got -1"),
        (refusal.ConflictError("the pool 'farm' exists already"),
         "the pool 'farm' exists already"),
        (IllegalTransitionError(PeriodState.OPEN, "settle", PeriodState.CLEARED),
         "cannot settle a period that is open (it must be cleared)"),
        (refusal.NotFoundError("pool", "farm"), "no pool 'farm'"),
        (refusal.NotAllowedError("ana may not confirm her own work"),
         "ana may not confirm her own work"),
        (SignInError("wrong user name or password"), "wrong user name or password"),
    ],
)
def test_a_refusal_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], error: refusal.Refusal, said: str
) -> None:
    with pytest.raises(typer.Exit) as stopped, refusals():
        raise error
    assert stopped.value.exit_code == 2
    assert capsys.readouterr().err == f"error: {said}\n"


def test_what_is_no_refusal_is_not_swallowed() -> None:
    with pytest.raises(KeyError), refusals():
        raise KeyError("a bug")
