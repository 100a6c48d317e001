"""The scenario format: one period's pool, as a file or a dict (``peerconomy-scenario/1``).

A scenario holds participants, projects, tasks, goods, offers, wishes and settings (see
docs/design.md, "Formats"). :func:`parse_scenario` turns a JSON-like mapping into a frozen
:class:`Scenario` or raises :class:`ScenarioError`, whose message names the field and
carries the bad value, e.g. ``participants[0].capacity: must be >= 0, got -3``.

:class:`Scenario` is a pydantic model (``model_validate``, ``model_dump_json``, JSON schema);
its parts are frozen, slotted pydantic dataclasses: value objects, compared by value, and
about twice as fast to validate as models when a pool sends a few hundred thousand of them.

Checked here: every key is known, every number is finite and of the right kind (``true``
is not a number, ``"3"`` is not a number, ``2.5`` is not an integer), ids are unique
within their kind, every reference resolves, at most one offer per participant and task,
and a wish's alternatives are all auction goods or all non-auction goods.

>>> s = parse_scenario({"format": "peerconomy-scenario/1",
...                     "participants": [{"id": "ana"}], "projects": [{"id": "bikes"}]})
>>> s.participants[0].capacity is None
True
>>> parse_scenario({"format": "peerconomy-scenario/1", "participants": [{"id": "ana",
...                 "capacity": -3}], "projects": []})
Traceback (most recent call last):
...
peerconomy.domain.refusal.ScenarioError: participants[0].capacity: must be >= 0, got -3
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.dataclasses import dataclass
from pydantic_core import ErrorDetails, PydanticCustomError

from peerconomy.domain import bounds
from peerconomy.domain.collection import paused_collection
from peerconomy.domain.ids import ID_REASON, ITEM_ID_REASON, ITEM_PATTERN, NAME_PATTERN
from peerconomy.domain.names import Description, DisplayName, Place
from peerconomy.domain.refusal import Problem, ScenarioError
from peerconomy.domain.scenario_checks import (
    check_alternatives,
    check_wishes,
    cross_check,
    key_step,
    limit_of,
    within_limits,
)
from peerconomy.domain.text import LINE_PATTERN, TEXT_PATTERN, text_problem

__all__ = [
    "FORMAT",
    "LABELS",
    "Alternative",
    "Good",
    "GoodId",
    "GoodModel",
    "Holding",
    "Offer",
    "Participant",
    "ParticipantId",
    "ProductType",
    "Project",
    "ProjectId",
    "Scenario",
    "ScenarioError",
    "Settings",
    "Task",
    "TaskId",
    "Term",
    "Wish",
    "WishId",
    "check_alternatives",
    "check_wishes",
    "cross_check",
    "error_from_validation",
    "limit_of",
    "load_scenario_file",
    "parse_part",
    "parse_scenario",
    "parse_scenario_json",
    "within_limits",
]

FORMAT: Final = "peerconomy-scenario/1"

Name = Annotated[str, Strict(), Field(min_length=1, pattern=NAME_PATTERN)]
"""A participant's or project's id (see :mod:`peerconomy.domain.ids`)."""
Item = Annotated[str, Strict(), Field(min_length=1, pattern=ITEM_PATTERN)]
"""A task's, good's or wish's id: as a :data:`Name`, ``/`` allowed."""
ParticipantId = Name
ProjectId = Name
TaskId = Item
GoodId = Item
WishId = Item
ProductType = Annotated[str, Strict(), Field(min_length=1)]
"""A product type is a name people read (``sea-view flat``), not an id."""
GoodModel = Literal["flat_rate", "flat_allocation", "effort", "auction"]

Hours = Annotated[float, Strict(), Field(ge=0, le=bounds.MAX_HOURS, allow_inf_nan=False)]
"""Hours in a period, finite, 0 to 10,000 (:mod:`peerconomy.domain.bounds`). Integers are
accepted."""
RecipeHours = Annotated[float, Strict(), Field(ge=0, le=bounds.MAX_HOURS, allow_inf_nan=False)]
Contribution = Annotated[float, Strict(), Field(ge=0, le=bounds.MAX_COST, allow_inf_nan=False)]
Weight = Annotated[float, Strict(), Field(gt=0, le=bounds.MAX_WEIGHT, allow_inf_nan=False)]
PositiveNumber = Weight
Count = Annotated[int, Strict(), Field(ge=0, le=bounds.MAX_UNITS)]
Quantity = Annotated[int, Strict(), Field(ge=1, le=bounds.MAX_QUANTITY)]
Term = Annotated[int, Strict(), Field(ge=1, le=bounds.MAX_TERM)]
"""Periods a subscription stands, 1 to 10,000 (an integer: ``2.5`` and ``"3"`` are not)."""
Tenure = Annotated[int, Strict(), Field(ge=1, le=bounds.MAX_TENURE)]
Flag = Annotated[bool, Strict()]


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Settings:
    """Pool-wide settings for the period."""

    max_weight: Annotated[float, Strict(), Field(
        ge=bounds.MIN_MAX_WEIGHT, le=bounds.MAX_WEIGHT, allow_inf_nan=False)] = 5.0
    """The weight at which hours no offer covers are posted on the hint board."""
    seed: Annotated[int, Strict(), Field(ge=0, le=bounds.MAX_SEED)] = 0
    """Seed of the lottery for over-wished non-auction goods."""
    weight_estimates: dict[TaskId, Weight] = Field(default_factory=dict)
    """Estimated weights per task for stage-1 effort costs (absent: 1, a standard hour)."""


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Participant:
    """A person in the pool."""

    id: ParticipantId
    capacity: Hours | None = None
    """Hours they can give this period; absent means no limit."""
    exempt: Flag = False
    """Cannot contribute: their charges are carried by the others."""


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Project:
    """A group that sets its own goals and produces goods or services."""

    id: ProjectId
    name: DisplayName | None = None
    """What people read for it ("Gärtnerei"; absent: its id). Not read by the clearing, and
    not part of the input hash (:data:`LABELS`)."""
    description: Description | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Task:
    """Work a project needs done, in hours."""

    id: TaskId
    project: ProjectId
    fixed_hours: Hours = 0.0
    """Hours needed whatever is produced (bookkeeping, upkeep)."""
    name: DisplayName | None = None
    """What people read for it ("Jäten"; absent: its id); like the description, the place
    and the contact, not read by the clearing and not part of the input hash."""
    description: Description | None = None
    place: Place | None = None
    """Where the work is done (free text)."""
    contact: ParticipantId | None = None
    """The member to ask about it (a participant of the pool, checked where a pool takes
    the task in)."""


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Good:
    """Something a project produces, with its recipe and a capacity per period."""

    id: GoodId
    project: ProjectId
    model: GoodModel
    capacity: Count | None = None
    """Units per period; absent means no limit."""
    recipe: dict[TaskId, RecipeHours] = Field(default_factory=dict)
    """Task hours per unit."""
    product_type: ProductType | None = None
    limit: Count | None = None
    """The most units one participant may receive in a period, over all their wishes;
    absent: 1 for a ``flat_rate`` good, no limit for others (see :func:`limit_of`). Units
    a participant holds of the good (``holdings``) count toward it."""
    tenure: Tenure = 1
    """Periods a unit won of it is held (1: it is allocated anew every period)."""
    name: DisplayName | None = None
    """What people read for it ("Gemüsekiste"; absent: its id); not read by the clearing,
    not part of the input hash."""
    description: Description | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Offer:
    """A participant offers up to ``hours`` on a task, at a weight of at least ``min_weight``."""

    participant: ParticipantId
    task: TaskId
    hours: Hours
    min_weight: Weight


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Alternative:
    """One acceptable choice of a wish: a ``good``, or any good of a ``product_type``.

    Exactly one of the two is given (checked with the whole scenario, see :class:`Scenario`).
    """

    good: GoodId | None = None
    product_type: ProductType | None = None
    max_cost: Contribution | None = None
    """The most the wisher would contribute for it; absent: effort cost only, no bid."""


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Wish:
    """A participant wants up to ``quantity`` units, each from any of the alternatives."""

    participant: ParticipantId
    id: WishId
    quantity: Quantity = 1
    alternatives: Annotated[list[Alternative], Field(min_length=1)]
    term: Term | None = None
    """A subscription: the wish stands for this many periods and is served before wishes
    without a term in the lottery of an over-wished good; absent: an ordinary wish."""


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Holding:
    """Units of a good (one of ``tenure`` > 1) a participant won in an earlier period and
    holds this period: not on offer, charged their effort plus the ``premium`` locked when
    they were won."""

    participant: ParticipantId
    good: GoodId
    quantity: Quantity = 1
    premium: Contribution = 0.0
    """The premium per unit locked when the units were won (stage-1 hours)."""


class Scenario(BaseModel):
    """One period of a pool: everything the clearing needs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["peerconomy-scenario/1"]
    settings: Settings = Field(default_factory=Settings)
    participants: list[Participant]
    projects: list[Project]
    tasks: list[Task] = Field(default_factory=list)
    goods: list[Good] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
    wishes: list[Wish] = Field(default_factory=list)
    holdings: list[Holding] = Field(default_factory=list)
    """Units held this period, won in earlier ones (goods that last, ``tenure``)."""

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        problem = cross_check(self)
        if problem is not None:
            path, reason = problem
            raise PydanticCustomError(
                _CROSS_CHECK, "{path}: {reason}", {"path": path, "reason": reason}
            )
        return self


LABELS: Final[dict[str, dict[str, set[str]]]] = {
    "projects": {"__all__": {"name", "description"}},
    "tasks": {"__all__": {"name", "description", "place", "contact"}},
    "goods": {"__all__": {"name", "description"}},
}
"""The fields people read and the clearing does not (names, descriptions, places, contacts),
as pydantic's ``exclude`` of a :class:`Scenario`'s dump: the input hash is taken without
them, so naming a task changes no plan's hash, and a scenario without names hashes as it
did before they existed."""

_CROSS_CHECK: Final = "scenario_cross_check"
_ROOT: Final = "<scenario>"


# --- errors --------------------------------------------------------------------------------

_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_UNKNOWN_KEY: Final = ("extra_forbidden", "unexpected_keyword_argument")
_TYPE_NAMES: Final = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "dataclass_type": "an object",
    "dataclass_args_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
}


_TEXT_PATTERNS: Final = {LINE_PATTERN: False, TEXT_PATTERN: True}
"""The patterns of texts people read, and whether each allows line breaks."""


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        elif out:
            out += key_step(step)
        else:
            out = step if _IDENTIFIER.match(step) else key_step(step)
    return out or _ROOT


def _show(value: object, limit: int = 60) -> str:
    """The bad value as a user would recognise it from their JSON, kept short."""
    if isinstance(value, str):
        text = repr(value[: limit + 1])
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=repr)
        except (ValueError, TypeError, RecursionError):
            try:
                text = repr(value)
            except (ValueError, RecursionError):  # a huge integer, a deep list
                text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _reason(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    got = _show(error["input"])
    if kind == "missing":
        return "field required"
    if kind in _UNKNOWN_KEY:
        return f"unknown key {error['loc'][-1]!r}" if error["loc"] else "unknown key"
    if kind == "finite_number":
        return f"must be a finite number, got {got}"
    for bound, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if kind.endswith(("_than", "_than_equal")) and bound in ctx:
            return f"must be {sign} {_number(ctx[bound])}, got {got}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} item{'s' if n != 1 else ''}, got {got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _TEXT_PATTERNS:
        found = text_problem(str(error["input"]), _TEXT_PATTERNS[ctx["pattern"]])
        return found or f"must be text without control characters, got {got}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters, got {len(error['input'])}"
    if kind == "string_unicode":
        return "holds a lone surrogate (not valid Unicode)"
    if kind == "string_pattern_mismatch":
        item = ctx.get("pattern") == ITEM_PATTERN
        return f"{ITEM_ID_REASON if item else ID_REASON}, got {got}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return (
            f"must be one of {expected}, got {got}"
            if "," in expected
            else (f"must be {expected}, got {got}")
        )
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]}, got {got}"
    return f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {got}"  # not expected


def _problem(error: ErrorDetails) -> Problem:
    """One error of a pydantic validation as the field's path and what is wrong with it."""
    if error["type"] == _CROSS_CHECK:
        ctx = error.get("ctx", {})
        return Problem(str(ctx["path"]), str(ctx["reason"]))
    loc = error["loc"]
    if len(loc) >= 2 and loc[-1] == "[key]":  # a bad key of a dict, named by the dict's path
        return Problem(_path(loc[:-2]), f"bad key {_show(loc[-2])}: {_reason(error)}")
    return Problem(_path(loc), _reason(error))


def error_from_validation(err: ValidationError, *, every: bool = False) -> ScenarioError:
    """The first error of a pydantic validation (``every``: all of them) as a
    :class:`ScenarioError` (``path: reason``, the bad value shown), for other inputs
    validated the same way (simulation configs). A whole scenario is refused with its first
    mistake only, as the fast readers refuse it."""
    errors = err.errors(include_url=False)
    return ScenarioError.of(map(_problem, errors if every else errors[:1]))


# --- entry points --------------------------------------------------------------------------


def _validated(validate: Callable[[], Scenario]) -> Scenario:
    # A big scenario makes a few hundred thousand objects, none of them cyclic garbage; the
    # collector's passes over them would take most of the time, so it pauses meanwhile.
    with paused_collection():
        try:
            return validate()
        except ValidationError as err:
            raise error_from_validation(err) from None


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate a JSON-like mapping as a scenario; raise :class:`ScenarioError` if it is not one."""
    return _validated(lambda: Scenario.model_validate(data))


_Part = TypeVar("_Part")
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def parse_part(kind: type[_Part], data: Mapping[str, Any], path: str = "") -> _Part:
    """Validate one part of a pool (an offer, a wish, a task, ...) on its own.

    Raise :class:`ScenarioError` naming each bad field under ``path``, e.g. ``offer.hours``
    (every one of them, all at once). Only the part itself is checked; whether its
    references resolve is the caller's business.

    >>> parse_part(Offer, {"participant": "ana", "task": "t", "hours": -1, "min_weight": 1},
    ...            "offer")
    Traceback (most recent call last):
    ...
    peerconomy.domain.refusal.ScenarioError: offer.hours: must be >= 0, got -1
    """
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    try:
        result: _Part = adapter.validate_python(dict(data))
    except ValidationError as err:
        def under_path(problem: Problem) -> Problem:
            inner = problem.path if problem.path != _ROOT else ""
            return Problem(".".join(p for p in (path, inner) if p) or _ROOT, problem.reason)

        raise error_from_validation(err, every=True).relocated(under_path) from None
    return result


def _utf8_text(text: str | bytes, name: str) -> str:
    """JSON text as a string; refuse bytes that are not UTF-8, and a string that cannot be
    (a lone surrogate), naming the line and column of the first bad character."""
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _not_utf8(name, text[: err.start]) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _not_utf8(name, text[: err.start].encode("utf-8", "surrogatepass")) from None
    return text


def _not_utf8(name: str, before: bytes) -> ScenarioError:
    """The refusal of text that is not UTF-8, at the character after ``before``."""
    line, column = before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1
    return ScenarioError(f"{name}:{line}:{column}", "not UTF-8 text")


def load_scenario_file(path: str | os.PathLike[str]) -> Scenario:
    """Read a UTF-8 JSON scenario file; raise :class:`ScenarioError` for any problem with it
(also for a file that is no regular file, or too large: :mod:`peerconomy.domain.files`).

    Errors inside the scenario are named by field (``offers[2].hours: ...``); errors in the
    file itself by the file name, with line and column for malformed JSON.
    """
    from peerconomy.domain.files import read_regular_file

    name = os.fspath(path)
    raw = read_regular_file(path)  # a regular file of bounded size, or refused by name
    try:
        text = raw.decode("utf-8-sig")  # -sig: a leading BOM is no error
    except UnicodeDecodeError as err:
        raise _not_utf8(name, err.object[: err.start]) from None
    return parse_scenario_json(text, name)


def parse_scenario_json(text: str | bytes, name: str = "<json>") -> Scenario:
    """Validate a scenario's JSON text; errors in the JSON itself are named by ``name``, with
    line and column (also for bytes that are not UTF-8, or text that cannot be)."""
    text = _utf8_text(text, name)
    try:  # the fast way: pydantic reads the JSON straight into the models
        return _validated(lambda: Scenario.model_validate_json(text))
    except ScenarioError as err:
        if err.path != _ROOT:
            raise
    # The text is no JSON object; let the standard library say where and why.
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = f"{name}:{err.lineno}:{err.colno}"
        raise ScenarioError(where, f"invalid JSON: {err.msg}") from None
    except RecursionError:
        raise ScenarioError(name, "invalid JSON: nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise ScenarioError(name, "invalid JSON: a number with too many digits") from None
    if not isinstance(data, dict):
        raise ScenarioError(name, f"must hold a JSON object, got {_show(data)}")
    return parse_scenario(data)  # pragma: no cover - only if the two JSON readers disagree
