"""Reading a large scenario fast: JSON bytes straight into light, frozen structs (msgspec).

A pool of a whole town (a million wishes) spends most of its clearing time, on the pydantic
path, building and validating Python objects. Here ``msgspec`` decodes and checks every field
in C into structs that have the same fields as :class:`~peerconomy.domain.scenario.Scenario`
and its parts, so the clearing reads them alike, and the same cross-checks (ids, references,
alternatives) run on them. It accepts exactly what :func:`parse_scenario` accepts: where
msgspec refuses, the pydantic parser reads the input again, so a bad scenario gets the very
same error (``offers[2].hours: must be >= 0, got -1``), and is never half-read.

>>> fast = decode_scenario(b'{"format": "peerconomy-scenario/1",'
...                        b' "participants": [{"id": "ana"}], "projects": []}')
>>> fast.participants[0].id, fast.settings.max_weight
('ana', 5.0)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Literal, Protocol, TypeVar

import msgspec
from msgspec import Meta, Struct

from peerconomy.domain import bounds
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.ids import ITEM_PATTERN_PYTHON, NAME_PATTERN_PYTHON
from peerconomy.domain.names import DESCRIPTION, NAME, PLACE
from peerconomy.domain.scenario import (
    FORMAT,
    GoodModel,
    ScenarioError,
    cross_check,
    load_scenario_file,
    parse_scenario_json,
)
from peerconomy.domain.text import LINE_PATTERN_PYTHON, TEXT_PATTERN_PYTHON

__all__ = ["AnyScenario", "FastHolding", "FastScenario", "decode_scenario", "read_scenario_file"]

# the types of :mod:`peerconomy.domain.scenario`, with the same rules (ids, bounds)
Name = Annotated[str, Meta(min_length=1, pattern=NAME_PATTERN_PYTHON)]
Id = Annotated[str, Meta(min_length=1, pattern=ITEM_PATTERN_PYTHON)]
Hours = Annotated[float, Meta(ge=0, le=bounds.MAX_HOURS)]
Contribution = Annotated[float, Meta(ge=0, le=bounds.MAX_COST)]
PositiveNumber = Annotated[float, Meta(gt=0, le=bounds.MAX_WEIGHT)]
Count = Annotated[int, Meta(ge=0, le=bounds.MAX_UNITS)]
Quantity = Annotated[int, Meta(ge=1, le=bounds.MAX_QUANTITY)]
Term = Annotated[int, Meta(ge=1, le=bounds.MAX_TERM)]
Tenure = Annotated[int, Meta(ge=1, le=bounds.MAX_TENURE)]
DisplayName = Annotated[str, Meta(min_length=1, max_length=NAME.most,
                                  pattern=LINE_PATTERN_PYTHON)]
Place = Annotated[str, Meta(min_length=1, max_length=PLACE.most, pattern=LINE_PATTERN_PYTHON)]
Description = Annotated[str, Meta(min_length=1, max_length=DESCRIPTION.most,
                                  pattern=TEXT_PATTERN_PYTHON)]


class _Part(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """Parts hold no cycles, so the collector need not track them (millions of them)."""


class FastSettings(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    max_weight: Annotated[float, Meta(ge=bounds.MIN_MAX_WEIGHT, le=bounds.MAX_WEIGHT)] = 5.0
    seed: Annotated[int, Meta(ge=0, le=bounds.MAX_SEED)] = 0
    weight_estimates: dict[Id, PositiveNumber] = msgspec.field(default_factory=dict)


class FastParticipant(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    id: Name
    capacity: Hours | None = None
    exempt: bool = False


class FastProject(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    id: Name
    name: DisplayName | None = None
    description: Description | None = None


class FastTask(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    id: Id
    project: Name
    fixed_hours: Hours = 0.0
    name: DisplayName | None = None
    description: Description | None = None
    place: Place | None = None
    contact: Name | None = None


class FastGood(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    id: Id
    project: Name
    model: GoodModel
    capacity: Count | None = None
    recipe: dict[Id, Hours] = msgspec.field(default_factory=dict)
    product_type: Annotated[str, Meta(min_length=1)] | None = None
    limit: Count | None = None
    tenure: Tenure = 1
    name: DisplayName | None = None
    description: Description | None = None


class FastOffer(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    participant: Name
    task: Id
    hours: Hours
    min_weight: PositiveNumber


class FastAlternative(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    good: Id | None = None
    product_type: Annotated[str, Meta(min_length=1)] | None = None
    max_cost: Contribution | None = None


class FastWish(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    participant: Name
    id: Id
    alternatives: Annotated[list[FastAlternative], Meta(min_length=1)]
    quantity: Quantity = 1
    term: Term | None = None


class FastHolding(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    participant: Name
    good: Id
    quantity: Quantity = 1
    premium: Contribution = 0.0


class FastScenario(_Part, frozen=True, forbid_unknown_fields=True, gc=False):
    """A scenario read by :func:`decode_scenario`: the fields of
    :class:`~peerconomy.domain.scenario.Scenario`, checked alike."""

    format: Literal["peerconomy-scenario/1"]
    participants: list[FastParticipant]
    projects: list[FastProject]
    settings: FastSettings = msgspec.field(default_factory=FastSettings)
    tasks: list[FastTask] = msgspec.field(default_factory=list)
    goods: list[FastGood] = msgspec.field(default_factory=list)
    offers: list[FastOffer] = msgspec.field(default_factory=list)
    wishes: list[FastWish] = msgspec.field(default_factory=list)
    holdings: list[FastHolding] = msgspec.field(default_factory=list)


class _Settings(Protocol):
    @property
    def max_weight(self) -> float: ...
    @property
    def seed(self) -> int: ...
    @property
    def weight_estimates(self) -> Mapping[str, float]: ...


class _Participant(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def capacity(self) -> float | None: ...
    @property
    def exempt(self) -> bool: ...


class _Project(Protocol):
    @property
    def id(self) -> str: ...


class _Task(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def project(self) -> str: ...
    @property
    def fixed_hours(self) -> float: ...


class _Good(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def project(self) -> str: ...
    @property
    def model(self) -> GoodModel: ...
    @property
    def capacity(self) -> int | None: ...
    @property
    def recipe(self) -> Mapping[str, float]: ...
    @property
    def product_type(self) -> str | None: ...
    @property
    def limit(self) -> int | None: ...
    @property
    def tenure(self) -> int: ...


class _Holding(Protocol):
    @property
    def participant(self) -> str: ...
    @property
    def good(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def premium(self) -> float: ...


class _Offer(Protocol):
    @property
    def participant(self) -> str: ...
    @property
    def task(self) -> str: ...
    @property
    def hours(self) -> float: ...
    @property
    def min_weight(self) -> float: ...


class _Alternative(Protocol):
    @property
    def good(self) -> str | None: ...
    @property
    def product_type(self) -> str | None: ...
    @property
    def max_cost(self) -> float | None: ...


class _Wish(Protocol):
    @property
    def participant(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def alternatives(self) -> Sequence[_Alternative]: ...
    @property
    def term(self) -> int | None: ...


class AnyScenario(Protocol):
    """A scenario read either way (:class:`Scenario` or :class:`FastScenario`): the fields
    the clearing reads, alike in both."""

    @property
    def settings(self) -> _Settings: ...
    @property
    def participants(self) -> Sequence[_Participant]: ...
    @property
    def projects(self) -> Sequence[_Project]: ...
    @property
    def tasks(self) -> Sequence[_Task]: ...
    @property
    def goods(self) -> Sequence[_Good]: ...
    @property
    def offers(self) -> Sequence[_Offer]: ...
    @property
    def wishes(self) -> Sequence[_Wish]: ...
    @property
    def holdings(self) -> Sequence[_Holding]: ...

_DECODER = msgspec.json.Decoder(FastScenario)
assert FORMAT == "peerconomy-scenario/1"  # the literal above


def decode_scenario(raw: bytes | str, name: str = "<json>") -> FastScenario:
    """Decode and check a scenario's JSON; raise :class:`ScenarioError` (the pydantic
    parser's own, JSON errors named by ``name``) for anything it would refuse."""
    with paused_collection():
        try:
            fast = _DECODER.decode(raw)
        except (msgspec.MsgspecError, UnicodeError, RecursionError):
            parse_scenario_json(raw, name)  # raises the canonical error
            raise _disagree() from None  # pragma: no cover - the two readers agree
        problem = cross_check(fast)  # type: ignore[arg-type]  # the same fields, read alike
    if problem is not None:
        raise ScenarioError(*problem)
    return fast


def read_scenario_file(path: str | os.PathLike[str]) -> FastScenario:
    """:func:`~peerconomy.domain.scenario.load_scenario_file`, the fast way: the same errors
    for a file that cannot be read or is no scenario."""
    return read_file_with(decode_scenario, path)


_Read = TypeVar("_Read")


def read_file_with(
    decode: Callable[[bytes, str], _Read], path: str | os.PathLike[str]
) -> _Read:
    """A scenario file decoded by a fast reader (``decode(raw, name)``), with the errors of
    :func:`~peerconomy.domain.scenario.load_scenario_file` for a file that cannot be read,
    is not UTF-8 JSON or is no scenario (a leading byte order mark is allowed)."""
    from peerconomy.domain.files import read_regular_file

    raw = read_regular_file(path)  # a regular file of bounded size, or refused by name
    try:
        return decode(raw.removeprefix(b"\xef\xbb\xbf"), os.fspath(path))
    except ScenarioError:
        load_scenario_file(path)  # names encoding and JSON errors by line and column
        raise


def _disagree() -> ScenarioError:
    return ScenarioError("<scenario>", "refused by the fast reader but not by the scenario"
                                       " parser (please report this)")
