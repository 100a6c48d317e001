"""A simulation's configuration: the pool to simulate, its members' traits, and which
allocation rules to compare over how many periods, read from a TOML file.

A configuration describes a population, not people: each member's disutility of a task, value
of a good and capacity are drawn from the ranges given here by the model's seeded generator,
so the same seed gives the same members under every rule compared. Errors name the field and
the bad value, as the scenario format's do (``tasks[1].disutility: must have at least 2
items, got [1]``).
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import error_from_validation
from peerconomy.sim.rules import PRESETS, AllocationRule

__all__ = [
    "AgentsConfig",
    "GoodConfig",
    "SimulationConfig",
    "Strategies",
    "TaskConfig",
    "load_config",
    "parse_config",
    "sweep_points",
    "with_value",
]

Id = Annotated[str, Strict(), Field(min_length=1)]
Number = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Range = Annotated[tuple[Number, Number], Field()]
"""``[low, high]``: drawn uniformly for each member."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ordered(value: tuple[float, float], what: str) -> None:
    if value[0] > value[1]:
        raise InputError(what, f"must be [low, high] with low <= high, got {list(value)}")


class TaskConfig(_Frozen):
    """A task, and how much the members dislike an hour of it (1: a standard hour)."""

    id: Id
    project: Id
    disutility: Range = (0.5, 1.5)
    """Each member's disutility per hour, drawn uniformly from this range."""
    fixed_hours: Number = 0.0
    fixed_weight: Positive = 1.0
    """The weight set by hand under the ``fixed`` task rule."""

    @model_validator(mode="after")
    def _check(self) -> TaskConfig:
        _ordered(self.disutility, "disutility")
        return self


class GoodConfig(_Frozen):
    """A good, what the members would give for a unit of it, and how its project plans."""

    id: Id
    project: Id
    recipe: dict[Id, Positive] = Field(default_factory=dict)
    capacity: Annotated[int, Field(ge=0)] | None = None
    """Units the project can make in the first period (absent: no limit)."""
    value: Range = (0.5, 3.0)
    """Each member's value of a unit, in hours, drawn uniformly from this range."""
    units: Annotated[int, Field(ge=1)] = 1
    """The most units of it a member wishes for in a period."""
    scarce: bool = False
    """Scarce goods are the ones the rules auction, draw by lot or share out flat."""
    product_type: Id | None = None
    planning: Literal["fixed", "adaptive"] = "fixed"
    """``adaptive``: after each period the project plans its next capacity from the demand it
    has seen (its mean plus ``safety`` standard deviations)."""

    @model_validator(mode="after")
    def _check(self) -> GoodConfig:
        _ordered(self.value, "value")
        return self


class Strategies(_Frozen):
    """Shares of the population following each strategy (they need not sum to 1: they are
    normalised), and how strongly the non-truthful ones act."""

    truthful: Share = 1.0
    shading: Share = 0.0
    """Asks ``shade`` more weight than their disutility, bids ``shade`` less than their value."""
    luxury: Share = 0.0
    """Values goods ``taste`` times more, and will work ``taste`` times more hours."""
    laziness: Share = 0.0
    """Values goods ``taste`` times less, and will work ``taste`` times fewer hours."""
    shade: Annotated[float, Field(ge=0, lt=1)] = 0.3
    taste: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 1.5

    @model_validator(mode="after")
    def _check(self) -> Strategies:
        if self.truthful + self.shading + self.luxury + self.laziness <= 0:
            raise InputError("truthful", "at least one strategy must have a share above 0")
        return self


class AgentsConfig(_Frozen):
    """The members: how many, how many hours they can give, how reliable they are."""

    count: Annotated[int, Field(ge=2)] = 50
    capacity: Range = (8.0, 16.0)
    """Hours a member can give in a period."""
    offers: Annotated[int, Field(ge=1)] = 3
    """Tasks a member offers on: those that paid best over their disutility last period."""
    shortfall_chance: Share = 0.1
    """The chance that a member does only part (uniformly drawn) of an assignment."""
    value_noise: Number = 0.2
    """How much a member's wants change from period to period (lognormal sigma)."""
    learning: Annotated[float, Field(gt=0, le=1)] = 0.5
    """How far members move their expected weights and costs towards the last plan's each
    period (1: they expect exactly the last plan's; lower: they smooth over periods)."""
    strategies: Strategies = Field(default_factory=Strategies)

    @model_validator(mode="after")
    def _check(self) -> AgentsConfig:
        _ordered(self.capacity, "capacity")
        return self


class SimulationConfig(_Frozen):
    """Everything one simulation run needs; ``rules`` are compared on the same members."""

    name: Id = "simulation"
    description: str = ""
    periods: Annotated[int, Field(ge=1)] = 12
    seed: Annotated[int, Field(ge=0)] = 0
    rules: Annotated[list[str | AllocationRule], Field(min_length=1)] = Field(
        default_factory=lambda: list[str | AllocationRule](["auction"])
    )
    max_weight: Positive = 5.0
    coordinate_product_types: bool = True
    """Members wish for a product type (any producer will do) rather than one producer's
    good, and the producers of a type plan their capacity together."""
    safety: Number = 1.0
    """Standard deviations of demand an ``adaptive`` project plans above the mean."""
    misreport_samples: Annotated[int, Field(ge=0)] = 0
    """Members per period whose gain from misreporting is measured (0: not measured)."""
    claim: str | None = None
    """The experiment's claim checked in the report (see :mod:`peerconomy.sim.claims`)."""
    sweep: dict[str, Annotated[list[Any], Field(min_length=1)]] = Field(default_factory=dict)
    """A parameter grid for ``--sweep``: dotted paths (``agents.strategies.luxury``) to the
    values each takes."""
    sweep_mode: Literal["grid", "zip"] = "grid"
    """``grid``: every combination of the values; ``zip``: the first values of every path
    together, then the second ones, ... (the lists as long as one another)."""
    projects: Annotated[list[Id], Field(min_length=1)]
    tasks: Annotated[list[TaskConfig], Field(min_length=1)]
    goods: Annotated[list[GoodConfig], Field(min_length=1)]
    agents: AgentsConfig = Field(default_factory=AgentsConfig)

    @field_validator("rules", mode="before")
    @classmethod
    def _spelled_out_rules(cls, rules: Any) -> Any:
        """A rule spelled out as a table is checked as one, naming its own bad field."""
        if not isinstance(rules, list):
            return rules
        checked = []
        for i, rule in enumerate(rules):
            if isinstance(rule, Mapping):
                try:
                    rule = AllocationRule.model_validate(rule)
                except ValidationError as err:
                    inner = error_from_validation(err)
                    raise InputError(f"[{i}].{inner.path}", inner.reason) from None
            checked.append(rule)
        return checked

    @model_validator(mode="after")
    def _check(self) -> SimulationConfig:
        for i, rule in enumerate(self.rules):
            if isinstance(rule, str) and rule not in PRESETS:
                raise InputError(
                    f"rules[{i}]", f"must be one of {', '.join(PRESETS)}, got {rule!r}"
                )
        projects = set(self.projects)
        task_ids = [t.id for t in self.tasks]
        parts: tuple[tuple[str, list[tuple[str, str]]], ...] = (
            ("tasks", [(t.id, t.project) for t in self.tasks]),
            ("goods", [(g.id, g.project) for g in self.goods]),
        )
        for kind, items in parts:
            seen: set[str] = set()
            for i, (id, project) in enumerate(items):
                if id in seen:
                    raise InputError(f"{kind}[{i}].id", f"{id!r} is used twice")
                seen.add(id)
                if project not in projects:
                    raise InputError(f"{kind}[{i}].project", f"no project {project!r}")
        for i, good in enumerate(self.goods):
            for task in good.recipe:
                if task not in task_ids:
                    raise InputError(f"goods[{i}].recipe", f"no task {task!r}")
        for path in self.sweep:
            _check_path(self.model_dump(), path)
        if self.sweep_mode == "zip" and len({len(v) for v in self.sweep.values()}) > 1:
            raise InputError("sweep", "with sweep_mode 'zip' every list must be as long"
                                      " as the others")
        return self

    def compared_rules(self) -> list[AllocationRule]:
        """The rules to compare, presets looked up by name."""
        return [PRESETS[r] if isinstance(r, str) else r for r in self.rules]


def _check_path(data: Mapping[str, Any], path: str) -> None:
    node: Any = data
    for step in path.split("."):
        if not isinstance(node, Mapping) or step not in node:
            raise InputError("sweep", f"{path!r} names no setting")
        node = node[step]


def parse_config(data: Mapping[str, Any]) -> SimulationConfig:
    """Validate a TOML-like mapping; raise :class:`InputError` naming the bad field."""
    try:
        return SimulationConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        cross_check = first.get("ctx", {}).get("error")
        if isinstance(cross_check, InputError):  # a model's own check, under its place
            where = error_from_validation(err).path if first["loc"] else ""
            joint = "" if cross_check.path.startswith("[") else "."
            path = f"{where}{joint}{cross_check.path}" if where else cross_check.path
            raise InputError(path, cross_check.reason) from None
        raise InputError.of(error_from_validation(err).problems) from None


def load_config(path: str | os.PathLike[str]) -> SimulationConfig:
    """Read a simulation configuration from a TOML file."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(name, f"not valid TOML: {err}") from None
    except OSError as err:
        raise InputError(name, err.strerror or str(err)) from None
    return parse_config(data)


def with_value(config: SimulationConfig, path: str, value: Any) -> SimulationConfig:
    """The configuration with the setting at dotted ``path`` changed (a point of a sweep),
    validated again."""
    data = copy.deepcopy(config.model_dump())
    node: Any = data
    steps = path.split(".")
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value
    return parse_config(data)


def sweep_points(config: SimulationConfig) -> list[dict[str, Any]]:
    """The sweep's points: every combination of its values in the order given (``grid``),
    or their values side by side (``zip``)."""
    if config.sweep_mode == "zip":
        paths = list(config.sweep)
        return [dict(zip(paths, values, strict=True))
                for values in zip(*config.sweep.values(), strict=True)]
    points: list[dict[str, Any]] = [{}]
    for path, values in config.sweep.items():
        points = [{**point, path: value} for point in points for value in values]
    return points

