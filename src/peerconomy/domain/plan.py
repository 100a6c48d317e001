"""A period's plan (``peerconomy-plan/2``) as frozen value objects, and its JSON.

The clearing (:mod:`peerconomy.domain.clearing`) makes a :class:`ClearedPlan`: the weight of
each task needed, who works how many hours on which task, what stayed uncovered, how many
units of each good are made and what they cost, who gets which units for their wishes, each
participant's share, premium refund and credit, the weighted effort and the hint board.
Everything that reads a plan (the services, the pages, the command line, the simulator, the
federation) reads these attributes; the JSON is only the wire and storage format.

:meth:`ClearedPlan.to_json` gives the plan as it is stored and answered, key for key and in
the same order as it always was; :meth:`ClearedPlan.from_json` reads it back (stored plans
are read through it), refusing anything else. A plan stored before the premium refund
(``peerconomy-plan/1``, without ``refunds``) is read as it was and written back as it was.
The two are inverse::

    >>> plan = ClearedPlan(weights={"paint": 1.5},
    ...                    assignments=(TaskAssignment("ana", "paint", 2.0),),
    ...                    shares={"ana": 3.0}, weighted_effort=3.0)
    >>> data = plan.to_json()
    >>> data["format"], data["assignments"]
    ('peerconomy-plan/2', [{'participant': 'ana', 'task': 'paint', 'hours': 2.0}])
    >>> ClearedPlan.from_json(data) == plan
    True

The parts are msgspec structs, as the scenario's fast readers are: a big pool's plan holds
hundreds of thousands of assignments and allocations, and a struct is made, compared and
turned into JSON several times faster than a dict of the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, TypeVar

import msgspec
from msgspec import Struct

__all__ = [
    "PLAN_FORMAT",
    "PLAN_FORMAT_V1",
    "Allocation",
    "ClearedPlan",
    "GoodResult",
    "HeldUnits",
    "Hint",
    "HintKind",
    "Overproduction",
    "ProductionHint",
    "TaskAssignment",
    "UncoveredTask",
    "Underproduction",
    "UnmetWish",
    "WonUnits",
]

PLAN_FORMAT: Final = "peerconomy-plan/2"
"""The format plans are cleared in: ``/1`` and the premium refund (``refunds``), the units
held (``holdings``) and won of goods that last (``won``)."""
PLAN_FORMAT_V1: Final = "peerconomy-plan/1"
"""The format of plans cleared before the premium refund: no ``refunds``; still read."""
PlanFormat = Literal["peerconomy-plan/1", "peerconomy-plan/2"]

HintKind = Literal["uncovered_task", "unmet_wish", "overproduction", "underproduction"]


class _Part(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """A part of a plan: its JSON as in the plan's."""

    def to_json(self) -> dict[str, Any]:
        """This part as JSON-ready builtins, keyed and ordered as in the plan's JSON."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


class TaskAssignment(_Part, frozen=True, gc=False, forbid_unknown_fields=True):
    """Hours of a task the plan gives a participant (the weight is the plan's, per task)."""

    participant: str
    task: str
    hours: float


class Allocation(_Part, frozen=True, gc=False, forbid_unknown_fields=True):
    """Units of a good a participant gets for one of their wishes, and what they cost."""

    participant: str
    wish: str
    good: str
    quantity: int
    cost: float


class HeldUnits(_Part, frozen=True, gc=False, forbid_unknown_fields=True):
    """Units of a good a participant holds this period (won earlier, goods that last), with
    the premium per unit locked when they were won and what they are charged in all: their
    good's unit cost at this period's weights without its premium, plus the locked premium."""

    participant: str
    good: str
    quantity: int
    premium: float
    cost: float


class WonUnits(_Part, frozen=True, gc=False, forbid_unknown_fields=True):
    """Units of a good that lasts (``tenure`` > 1) a wish won this period: they are held
    for ``tenure`` periods, this one included, at the ``premium`` per unit locked now (the
    good's premium this period)."""

    participant: str
    wish: str
    good: str
    quantity: int
    premium: float
    tenure: int


class GoodResult(_Part, frozen=True, gc=False, forbid_unknown_fields=True):
    """What became of one good: units wished for, units allocated this period (held units,
    made too, are in the plan's ``production`` and ``holdings``), the auction's premium per
    unit (0 where there is none) and the cost of a unit."""

    wished: int
    allocated: int
    premium: float
    unit_cost: float


class _HintPart(_Part, frozen=True, gc=False, forbid_unknown_fields=True, tag_field="kind"):
    """An entry of the hint board; its JSON names its ``kind`` first."""

    @property
    def kind(self) -> HintKind:
        """Which kind of hint this is (the ``kind`` of its JSON)."""
        kind: HintKind = self.__struct_config__.tag  # type: ignore[assignment]
        return kind


class UncoveredTask(_HintPart, frozen=True, gc=False, tag="uncovered_task"):
    """A hint: hours of a task nobody offered to do, at the task's weight."""

    task: str
    hours: float
    weight: float


class UnmetWish(_HintPart, frozen=True, gc=False, tag="unmet_wish"):
    """A hint: units of a good wished for and not allocated."""

    good: str
    units: int


class ProductionHint(_HintPart, frozen=True, gc=False, kw_only=True, omit_defaults=True):
    """A hint about a project's production of a product: its product type where it has one
    (``product_type``), else the good itself (``good``); exactly one of the two is set."""

    good: str | None = None
    product_type: str | None = None
    project: str
    units: int

    @property
    def product(self) -> str:
        """The product type, or the good where the product has no type."""
        name = self.product_type if self.product_type is not None else self.good
        assert name is not None, "a production hint names a good or a product type"
        return name


class Overproduction(ProductionHint, frozen=True, gc=False, tag="overproduction"):
    """A hint: capacity a project has for a product that nobody wished for (idle units)."""


class Underproduction(ProductionHint, frozen=True, gc=False, tag="underproduction"):
    """A hint: a project makes all it can of a product and wishes for more stay unmet."""


Hint = UncoveredTask | UnmetWish | Overproduction | Underproduction
"""One entry of the hint board; its ``kind`` says which."""
_HintT = TypeVar("_HintT", UncoveredTask, UnmetWish, ProductionHint, Overproduction,
                 Underproduction)


class ClearedPlan(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """The plan a clearing makes for a period, as it is kept and never changed.

    ``weights`` and ``uncovered`` name the tasks needed (in the scenario's order),
    ``production`` and ``goods`` every good; ``shares``, ``refunds`` and ``credits`` every
    participant. ``refunds`` is each participant's part of the period's premiums, already
    taken off their share. ``holdings`` are the units held this period and what their
    holders are charged; ``won`` the units of goods that last won this period. An empty plan
    (the defaults) asks nothing of anybody. A plan of ``format`` ``peerconomy-plan/1`` has
    no ``refunds``, ``holdings`` or ``won`` (they are empty).
    """

    format: PlanFormat = PLAN_FORMAT
    weights: Mapping[str, float] = {}
    assignments: tuple[TaskAssignment, ...] = ()
    uncovered: Mapping[str, float] = {}
    production: Mapping[str, int] = {}
    goods: Mapping[str, GoodResult] = {}
    allocations: tuple[Allocation, ...] = ()
    holdings: tuple[HeldUnits, ...] = ()
    won: tuple[WonUnits, ...] = ()
    shares: Mapping[str, float] = {}
    refunds: Mapping[str, float] = {}
    credits: Mapping[str, float] = {}
    weighted_effort: float = 0.0
    hints: tuple[Hint, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-ready builtins (the wire and storage format): ``format`` first,
        then the fields in their order, lists for the sequences."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        for key in _SEQUENCES:
            data[key] = list(data[key])
        if self.format == PLAN_FORMAT_V1:
            for key in _NOT_IN_V1:
                del data[key]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClearedPlan:
        """The plan in ``data`` (JSON as :meth:`to_json` gives it); raise
        :class:`msgspec.ValidationError`, naming the field, for anything else."""
        if data.get("format") == PLAN_FORMAT_V1:
            for key in _NOT_IN_V1:
                if key in data:
                    raise msgspec.ValidationError(
                        f"Object contains unknown field `{key}` (a {PLAN_FORMAT_V1} plan has"
                        " none)")
        if "format" not in data:
            raise msgspec.ValidationError("Object missing required field `format`")
        plan: ClearedPlan = msgspec.convert(data, cls)
        return plan

    def hints_of(self, kind: type[_HintT]) -> list[_HintT]:
        """The hints of one kind, in the board's order."""
        return [hint for hint in self.hints if isinstance(hint, kind)]


_SEQUENCES: Final = ("assignments", "allocations", "holdings", "won", "hints")
_NOT_IN_V1: Final = ("holdings", "won", "refunds")
