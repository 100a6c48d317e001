"""A period's lifecycle: open → collecting → cleared → settled → closed.

A cleared period may also be *reopened* (cleared → collecting) by a coordinator before any
work is logged on its plan: the plan is discarded, so a plan that cannot be settled never
freezes the pool.

Offers and wishes may be made, changed and withdrawn only while the period is collecting; the
plan is made by clearing; settling posts it to the books. Any other step is refused with an
error that says where the period stands and what the step needs.

>>> advance(PeriodState.COLLECTING, "clear")
<PeriodState.CLEARED: 'cleared'>
>>> advance(PeriodState.OPEN, "settle")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
IllegalTransitionError: cannot settle a period that is open (it must be cleared)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from peerconomy.domain.refusal import ConflictError

__all__ = ["Action", "IllegalTransitionError", "PeriodState", "accepts_offers", "advance",
           "has_plan"]


class PeriodState(StrEnum):
    """Where a period stands."""

    OPEN = "open"
    COLLECTING = "collecting"
    CLEARED = "cleared"
    SETTLED = "settled"
    CLOSED = "closed"


Action = Literal["collect", "clear", "settle", "close", "reopen"]

_STEPS: Final[dict[str, tuple[PeriodState, PeriodState]]] = {
    "collect": (PeriodState.OPEN, PeriodState.COLLECTING),
    "clear": (PeriodState.COLLECTING, PeriodState.CLEARED),
    "settle": (PeriodState.CLEARED, PeriodState.SETTLED),
    "close": (PeriodState.SETTLED, PeriodState.CLOSED),
    "reopen": (PeriodState.CLEARED, PeriodState.COLLECTING),
}


class IllegalTransitionError(ConflictError):
    """A lifecycle step the period's state does not allow (a conflict with the stored state)."""

    def __init__(self, state: PeriodState, action: str, needed: PeriodState | None) -> None:
        self.state, self.action, self.needed = state, action, needed
        why = f" (it must be {needed.value})" if needed is not None else ""
        super().__init__(f"cannot {action} a period that is {state.value}{why}")


def advance(state: PeriodState, action: Action) -> PeriodState:
    """The state after ``action``; raise :class:`IllegalTransitionError` if it is not allowed."""
    step = _STEPS.get(action)
    if step is None:
        raise IllegalTransitionError(state, action, None)
    before, after = step
    if state is not before:
        raise IllegalTransitionError(state, action, before)
    return after


def accepts_offers(state: PeriodState) -> bool:
    """Whether offers and wishes may be made, changed or withdrawn."""
    return state is PeriodState.COLLECTING


def has_plan(state: PeriodState) -> bool:
    """Whether a period in this state has its plan: it was cleared (clearing stores the plan
    and moves the period on in one transaction)."""
    return state in (PeriodState.CLEARED, PeriodState.SETTLED, PeriodState.CLOSED)
