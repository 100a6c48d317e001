"""One tree of refusals: what each kind is, and an input's mistakes refused all at once."""

from __future__ import annotations

import pickle

import pytest

from peerconomy.domain.period import IllegalTransitionError, PeriodState, advance
from peerconomy.domain.refusal import (
    ConflictError,
    InputError,
    NotAllowedError,
    NotFoundError,
    Problem,
    Problems,
    Refusal,
)
from peerconomy.domain.scenario import ScenarioError, parse_scenario
from peerconomy.services.errors import SignInError, StaleEditError
from peerconomy.services.idempotency import Reused
from peerconomy.services.security import TooManyAttemptsError


@pytest.mark.parametrize(
    ("kind", "parent"),
    [
        (InputError, Refusal),
        (ScenarioError, InputError),
        (ConflictError, Refusal),
        (IllegalTransitionError, ConflictError),
        (StaleEditError, ConflictError),
        (Reused, ConflictError),
        (NotFoundError, Refusal),
        (NotAllowedError, Refusal),
        (SignInError, NotAllowedError),
        (TooManyAttemptsError, SignInError),
    ],
)
def test_every_refusal_has_its_place_in_the_tree(kind: type[Exception],
                                                 parent: type[Exception]) -> None:
    assert issubclass(kind, parent)
    assert issubclass(kind, Refusal)


def test_bad_input_is_still_a_value_error_but_a_conflict_is_not() -> None:
    assert issubclass(InputError, ValueError)
    assert not issubclass(IllegalTransitionError, ValueError)


def test_a_scenario_mistake_is_an_input_error_naming_its_field() -> None:
    with pytest.raises(InputError) as refused:
        parse_scenario({"format": "peerconomy-scenario/1", "projects": [],
                        "participants": [{"id": "ana", "capacity": -3}]})
    assert type(refused.value) is ScenarioError
    assert refused.value.problems == (
        Problem("participants[0].capacity", "must be >= 0, got -3"),)


def test_an_illegal_step_is_a_conflict() -> None:
    with pytest.raises(ConflictError, match="cannot settle a period that is open"):
        advance(PeriodState.OPEN, "settle")


def test_an_input_error_with_one_problem_reads_as_before() -> None:
    error = InputError("days", "must be between 1 and 365")
    assert str(error) == "days: must be between 1 and 365"
    assert (error.path, error.reason) == ("days", "must be between 1 and 365")
    assert error.problems == (Problem("days", "must be between 1 and 365"),)


def test_an_input_error_lists_every_problem_the_first_as_its_path() -> None:
    error = InputError.of([Problem("hours", "is missing"), Problem("min_weight", "is missing")])
    assert str(error) == "hours: is missing; min_weight: is missing"
    assert (error.path, error.reason) == ("hours", "is missing")


@pytest.mark.parametrize(
    "error",
    [
        InputError("a", "is missing", Problem("b", "is missing")),
        ScenarioError("tasks[0].id", "is used twice"),
        NotFoundError("task", "knead", "bakery"),
    ],
)
def test_a_refusal_pickles_for_worker_processes(error: Refusal) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def test_relocated_moves_every_problem_and_keeps_the_kind() -> None:
    error = ScenarioError("wish.quantity", "must be >= 1", Problem("wish.id", "is missing"))
    moved = error.relocated(lambda p: Problem(p.path.removeprefix("wish."), p.reason))
    assert type(moved) is ScenarioError
    assert moved.problems == (Problem("quantity", "must be >= 1"), Problem("id", "is missing"))


def test_problems_gathers_every_mistake_and_refuses_them_at_once() -> None:
    problems = Problems()
    problems.refuse()  # none yet: nothing to refuse
    with problems.gathering():
        raise InputError("hours", "must be a number, got 'x'")
    with problems.gathering():
        pass
    problems.note("min_weight", "is missing")
    with pytest.raises(InputError) as refused:
        problems.refuse()
    assert refused.value.problems == (Problem("hours", "must be a number, got 'x'"),
                                      Problem("min_weight", "is missing"))


def test_problems_lets_other_refusals_through() -> None:
    with pytest.raises(ConflictError), Problems().gathering():
        raise ConflictError("the name is taken")
