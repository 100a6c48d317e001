"""The cross-checks of a scenario that no single field shows (ids unique, references
resolved, offers and wishes consistent, goods' limits), shared by every reader: the parser
(:mod:`~peerconomy.domain.scenario`) and the fast readers
(:mod:`~peerconomy.domain.scenario_json`, :mod:`~peerconomy.domain.scenario_columns`), which
check their structs of the same fields here, so that a scenario is accepted or refused
alike. See docs/design.md, "Formats"."""

from __future__ import annotations

import json
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final, Protocol

from peerconomy.domain.refusal import ScenarioError

if TYPE_CHECKING:
    from peerconomy.domain.scenario import (
        Good,
        GoodModel,
        Holding,
        Participant,
        Project,
        Scenario,
        Task,
        Wish,
    )

__all__ = [
    "check_alternatives",
    "check_wishes",
    "cross_check",
    "holdings_problem",
    "key_step",
    "limit_of",
    "within_limits",
]

_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")

_MIXED: Final = "mixes auction and non-auction goods"
_Problem = tuple[str, str]


def _unique_ids(
    kind: str, items: Sequence[Participant | Project | Task | Good | Wish]
) -> dict[str, int] | _Problem:
    """Map id -> index, or the first duplicate as a problem."""
    index: dict[str, int] = {}
    for i, item in enumerate(items):
        first = index.setdefault(item.id, i)
        if first != i:
            return f"{kind}[{i}].id", f"duplicate id {item.id!r} (also {kind}[{first}])"
    return index


def cross_check(s: Scenario) -> _Problem | None:
    """The first problem no single field shows: ids, then references, kind by kind, as
    ``(path, reason)``. Every reader runs it (the parser here, and the fast readers
    :mod:`~peerconomy.domain.scenario_json` and :mod:`~peerconomy.domain.scenario_columns` on
    their structs, which have the same fields), so a scenario is accepted or refused alike."""
    indexes: list[dict[str, int]] = []
    for kind, items in (
        ("participants", s.participants),
        ("projects", s.projects),
        ("tasks", s.tasks),
        ("goods", s.goods),
    ):
        found = _unique_ids(kind, items)
        if isinstance(found, tuple):
            return found
        indexes.append(found)
    participants, projects, tasks, _ = indexes

    for key in s.settings.weight_estimates:
        if key not in tasks:
            return f"settings.weight_estimates{key_step(key)}", f"unknown task {key!r}"
    for i, task in enumerate(s.tasks):
        if task.project not in projects:
            return f"tasks[{i}].project", f"unknown project {task.project!r}"

    for i, good in enumerate(s.goods):
        if good.project not in projects:
            return f"goods[{i}].project", f"unknown project {good.project!r}"
        for key in good.recipe:
            if key not in tasks:
                return f"goods[{i}].recipe{key_step(key)}", f"unknown task {key!r}"

    offered: dict[tuple[str, str], int] = {}
    for i, offer in enumerate(s.offers):
        if offer.participant not in participants:
            return f"offers[{i}].participant", f"unknown participant {offer.participant!r}"
        if offer.task not in tasks:
            return f"offers[{i}].task", f"unknown task {offer.task!r}"
        first = offered.setdefault((offer.participant, offer.task), i)
        if first != i:
            return f"offers[{i}]", (
                f"duplicate offer by {offer.participant!r} on task {offer.task!r}"
                f" (also offers[{first}])"
            )

    wishes = s.wishes
    wish_ids = [wish.id for wish in wishes]
    if len(set(wish_ids)) != len(wish_ids) or not (
        {wish.participant for wish in wishes} <= participants.keys()
    ):
        wish_index: dict[str, int] = {}
        for i, wish in enumerate(wishes):
            first = wish_index.setdefault(wish.id, i)
            if first != i:
                return f"wishes[{i}].id", f"duplicate id {wish.id!r} (also wishes[{first}])"
            if wish.participant not in participants:
                return f"wishes[{i}].participant", f"unknown participant {wish.participant!r}"
    good_auction, type_auction = _auction_kinds(s.goods)
    limits = _Limits(s.goods)
    for i, wish in enumerate(wishes):
        problem = _first_alternatives_problem(i, wish, good_auction, type_auction)
        if problem is None and limits.any:
            problem = limits.problem(i, wish)
        if problem is not None:
            return problem
    return holdings_problem(s.holdings, participants, s.goods)


def holdings_problem(
    holdings: Sequence[Holding], participants: Container[str], goods: Sequence[Good]
) -> _Problem | None:
    """The first problem of the holdings, as ``(path, reason)``: a participant or good that
    is not in the scenario, or a good whose held units exceed its capacity (held units are
    not on offer: the good's capacity this period is its capacity less what is held). The
    one place every reader, and the service that builds the scenario, checks them."""
    if not holdings:
        return None
    good_index = {good.id: i for i, good in enumerate(goods)}
    held: dict[str, int] = {}
    for i, holding in enumerate(holdings):
        if holding.participant not in participants:
            return f"holdings[{i}].participant", f"unknown participant {holding.participant!r}"
        g = good_index.get(holding.good)
        if g is None:
            return f"holdings[{i}].good", f"unknown good {holding.good!r}"
        held[holding.good] = held.get(holding.good, 0) + holding.quantity
        capacity = goods[g].capacity
        if capacity is not None and held[holding.good] > capacity:
            return f"holdings[{i}].quantity", (
                f"{held[holding.good]} units of {holding.good!r} held, more than its"
                f" capacity {capacity}")
    return None


class _Limited(Protocol):
    @property
    def model(self) -> GoodModel: ...
    @property
    def limit(self) -> int | None: ...


def limit_of(good: _Limited) -> int | None:
    """The most units of ``good`` one participant may receive in a period (None: no limit):
    its ``limit``, or 1 for a ``flat_rate`` good whose limit is not set (its cost is shared
    evenly by all, so its demand must be bounded)."""
    if good.limit is not None:
        return good.limit
    return 1 if good.model == "flat_rate" else None


def within_limits(wishes: Sequence[Wish], goods: Sequence[Good]) -> list[Wish]:
    """The wishes as the goods' limits let them be met: a wish asking for more units than
    its goods' limits allow asks for that many, one that can get none is left out. For
    wishes stored before their goods had limits (new wishes are refused at entry)."""
    limits = _Limits(goods)
    if not limits.any:
        return list(wishes)
    fitted = []
    for wish in wishes:
        room = limits.room(wish)
        if room is None or wish.quantity <= room:
            fitted.append(wish)
        elif room > 0:
            fitted.append(replace(wish, quantity=room))
    return fitted


class _Limits:
    """The goods' limits, to tell whether a wish could ever be met within them."""

    def __init__(self, goods: Sequence[Good]) -> None:
        self.limit = {good.id: limit_of(good) for good in goods}
        self.any = any(limit is not None for limit in self.limit.values())
        self.of_type: dict[str, list[str]] = {}
        for good in goods:
            if good.product_type is not None:
                self.of_type.setdefault(good.product_type, []).append(good.id)

    def room(self, wish: Wish) -> int | None:
        """The most units the goods ``wish`` names let one participant receive (None: no
        limit)."""
        reached: set[str] = set()
        for alt in wish.alternatives:
            if alt.good is not None:
                reached.add(alt.good)
            elif alt.product_type is not None:
                reached.update(self.of_type.get(alt.product_type, ()))
        room = 0
        for good in reached:
            limit = self.limit.get(good)
            if limit is None:
                return None
            room += limit
        return room

    def problem(self, i: int, wish: Wish) -> _Problem | None:
        """``wishes[i]`` asks for more units than its goods' limits let one participant
        receive (its alternatives are known, checked before)."""
        room = self.room(wish)
        if room is None or wish.quantity <= room:
            return None
        if room == 0:
            alt = wish.alternatives[0]
            field = "good" if alt.good is not None else "product_type"
            return f"wishes[{i}].alternatives[0].{field}", (
                f"{getattr(alt, field)!r} has limit 0: nobody may receive it"
            )
        return f"wishes[{i}].quantity", (
            f"must be at most {room}, the most one participant may receive of the goods"
            f" it names (their limits), got {wish.quantity}"
        )


def _auction_kinds(
    goods: Sequence[Good],
) -> tuple[dict[str | None, bool], dict[str | None, bool | None]]:
    """Good -> is it an auction good; product type -> is it made as auction goods (None: by
    both kinds of goods)."""
    good_auction: dict[str | None, bool] = {}
    type_auction: dict[str | None, bool | None] = {}
    for good in goods:
        auction = good.model == "auction"
        good_auction[good.id] = auction
        if good.product_type is not None:
            seen = type_auction.setdefault(good.product_type, auction)
            if seen is not None and seen != auction:
                type_auction[good.product_type] = None
    return good_auction, type_auction


def _first_alternatives_problem(
    i: int,
    wish: Wish,
    good_auction: Mapping[str | None, bool],
    type_auction: Mapping[str | None, bool | None],
) -> _Problem | None:
    # fast path: one set of kinds per wish; None marks a problem the slow path names
    kinds = {
        good_auction.get(alt.good)
        if alt.product_type is None
        else (type_auction.get(alt.product_type) if alt.good is None else None)
        for alt in wish.alternatives
    }
    if len(kinds) != 1 or None in kinds:
        return _alternatives_problem(i, wish, good_auction, type_auction)
    return None


def check_alternatives(wish: Wish, goods: Sequence[Good], path: str = "wish") -> None:
    """Check a wish's alternatives against the goods on offer, as the scenario does: each
    names a known good or product type, and all are auction goods or none is. Raise
    :class:`ScenarioError` naming the bad alternative under ``path``."""
    problem = _first_alternatives_problem(0, wish, *_auction_kinds(goods))
    if problem is None:
        problem = _Limits(goods).problem(0, wish)
    if problem is not None:
        where, reason = problem
        raise ScenarioError(path + where[len("wishes[0]") :], reason)


def check_wishes(wishes: Sequence[Wish], goods: Sequence[Good], path: str = "wishes") -> None:
    """:func:`check_alternatives` for many wishes, reading the goods once; the path names
    the first bad wish by its place (``wishes[3].alternatives[0].good``)."""
    kinds = _auction_kinds(goods)
    limits = _Limits(goods)
    for i, wish in enumerate(wishes):
        problem = _first_alternatives_problem(0, wish, *kinds)
        if problem is None and limits.any:
            problem = limits.problem(0, wish)
        if problem is not None:
            where, reason = problem
            raise ScenarioError(f"{path}[{i}]" + where[len("wishes[0]") :], reason)


def _alternatives_problem(
    i: int,
    wish: Wish,
    good_auction: Mapping[str | None, bool],
    type_auction: Mapping[str | None, bool | None],
) -> _Problem:
    """Name the first bad alternative of ``wishes[i]`` (the fast path found one)."""
    wants_auction: bool | None = None  # not known until the first alternative
    for j, alt in enumerate(wish.alternatives):
        named_good, named_type = alt.good, alt.product_type
        is_auction: bool | None
        if named_good is not None:
            if named_type is not None:
                return f"wishes[{i}].alternatives[{j}]", (
                    "must name either 'good' or 'product_type', not both"
                )
            is_auction = good_auction.get(named_good)
            if is_auction is None:
                return f"wishes[{i}].alternatives[{j}].good", f"unknown good {named_good!r}"
        elif named_type is not None:
            if named_type not in type_auction:
                return f"wishes[{i}].alternatives[{j}].product_type", (
                    f"unknown product type {named_type!r}"
                )
            is_auction = type_auction[named_type]
            if is_auction is None:
                return f"wishes[{i}].alternatives[{j}].product_type", _MIXED
        else:
            return f"wishes[{i}].alternatives[{j}]", "must name a 'good' or a 'product_type'"
        if wants_auction is None:
            wants_auction = is_auction
        elif wants_auction != is_auction:
            return f"wishes[{i}].alternatives", _MIXED
    raise AssertionError(f"wishes[{i}]: no problem found")  # pragma: no cover


def key_step(key: str) -> str:
    """A dict key as a path step: ``.assemble``, or ``["odd key"]``."""
    return f".{key}" if _IDENTIFIER.match(key) else f"[{json.dumps(key, ensure_ascii=False)}]"
