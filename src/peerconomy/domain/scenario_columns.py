"""A scenario as columns: the long lists (participants, offers, wishes and their
alternatives) as NumPy arrays and id lists, read from JSON in bounded memory.

A pool of a whole town has a million wishes with five alternatives each. As Python objects
that is six million structs, about a gigabyte and a half, and every stage after reading
would walk them one by one. Here the reader keeps them as objects only a batch at a time:
msgspec first cuts the file into its items (``msgspec.Raw``, views into the bytes, nothing
decoded), then decodes a batch of items into the fast reader's structs, which check each
field exactly as :func:`~peerconomy.domain.scenario_json.decode_scenario` does, turns the
batch into columns (ids to indexes) and lets it go. The cross-checks (unique ids, known
references, alternatives that name one known good or product type, all auction goods or
none) then run on whole arrays. Anything refused is read again by the parser, so a bad
scenario gets the parser's own error and the same scenario is accepted either way.

The clearing (:func:`~peerconomy.domain.clearing.prepare`) reads a scenario only through
these columns; :func:`columns_of` makes them from a scenario read any other way.

>>> columns = read_columns(b'{"format": "peerconomy-scenario/1",'
...     b' "participants": [{"id": "ana"}, {"id": "ben", "capacity": 4}], "projects": []}')
>>> columns.participant_ids, columns.participant_capacity.tolist()
(['ana', 'ben'], [inf, 4.0])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter
from typing import Annotated, Any, Final, Literal, Optional, TypeVar

import msgspec
import numpy as np
from msgspec import Meta, Raw, Struct

from peerconomy.domain.collection import paused_collection
from peerconomy.domain.scenario import FORMAT, cross_check, limit_of
from peerconomy.domain.scenario_checks import holdings_problem
from peerconomy.domain.scenario_json import (
    AnyScenario,
    Contribution,
    FastGood,
    FastHolding,
    FastParticipant,
    FastProject,
    FastScenario,
    FastSettings,
    FastTask,
    Hours,
    Id,
    Name,
    PositiveNumber,
    Quantity,
    Term,
    _Alternative,
    _disagree,
    _Good,
    _Holding,
    _Offer,
    _Participant,
    _Project,
    _Settings,
    _Task,
    _Wish,
    decode_scenario,
    read_file_with,
)
from peerconomy.mechanisms.arrays import BoolColumn, FloatColumn, IntColumn

__all__ = ["ScenarioColumns", "columns_of", "read_columns", "read_columns_file"]


BATCH: Final = 1 << 16
"""Items decoded into structs at a time: enough to amortise each batch's overhead, few
enough that the structs stay small beside the columns (about 60 MB for wishes)."""

_NONE: Final = -1  # no good (or product type) named
_UNKNOWN: Final = -2  # a name that is not among the goods (or product types)
_T = TypeVar("_T")


@dataclass(frozen=True, eq=False)
class ScenarioColumns:
    """A checked scenario: the short lists (projects, tasks, goods) as read, the long ones
    as columns in scenario order. References are indexes: an offer's participant into
    ``participant_ids``, its task into ``tasks``; an alternative's good into ``goods`` (-1
    where it names a product type) and its product type into ``product_types`` (-1 where it
    names a good)."""

    settings: _Settings
    projects: Sequence[_Project]
    tasks: Sequence[_Task]
    goods: Sequence[_Good]
    participant_ids: list[str]
    participant_capacity: FloatColumn  # inf: no limit
    participant_exempt: BoolColumn
    offer_participant: IntColumn
    offer_task: IntColumn
    offer_hours: FloatColumn
    offer_min_weight: FloatColumn
    wish_ids: list[str]
    wish_participant: IntColumn
    wish_quantity: IntColumn
    wish_term: IntColumn  # 0: no term (an ordinary wish), else a subscription's periods
    alt_wish: IntColumn  # the wish of each alternative, wishes' alternatives in order
    alt_good: IntColumn
    alt_type: IntColumn
    alt_max_cost: FloatColumn  # nan: no bid
    product_types: list[str]  # the goods' product types, in order of first appearance
    holdings: Sequence[_Holding] = ()  # units held this period, as read (a short list)


def columns_of(scenario: AnyScenario | ScenarioColumns) -> ScenarioColumns:
    """The columns of a scenario read any way (it is checked already)."""
    if isinstance(scenario, ScenarioColumns):
        return scenario
    people = _Participants()
    people.add(scenario.participants)
    index = _Index(scenario.tasks, scenario.goods, people.ids)
    offers, wishes = _Offers(), _Wishes()
    offers.add(scenario.offers, index)
    wishes.add(scenario.wishes, index)
    return _assemble(scenario, people, offers, wishes, index)


def read_columns(raw: bytes | str, name: str = "<json>") -> ScenarioColumns:
    """Decode and check a scenario's JSON into columns; raise :class:`ScenarioError` (the
    parser's own, JSON errors named by ``name``) for anything the parser would refuse."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    with paused_collection():
        try:
            columns = _decode(data)
        except (msgspec.MsgspecError, UnicodeError, RecursionError):
            columns = None
        if columns is None or _cross_problem(columns):
            decode_scenario(raw, name)  # raises the parser's own error
            raise _disagree()  # pragma: no cover - the readers agree
    return columns


def read_columns_file(path: str | os.PathLike[str]) -> ScenarioColumns:
    """:func:`read_columns` on a file: the same errors as
    :func:`~peerconomy.domain.scenario.load_scenario_file` for a file that cannot be read or
    is no scenario."""
    return read_file_with(read_columns, path)


# --- reading -------------------------------------------------------------------------------


class _Outline(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """:class:`FastScenario` with its long lists cut into items, not yet decoded."""

    format: Literal["peerconomy-scenario/1"]
    participants: list[Raw]
    projects: list[FastProject]
    settings: FastSettings = msgspec.field(default_factory=FastSettings)
    tasks: list[FastTask] = msgspec.field(default_factory=list)
    goods: list[FastGood] = msgspec.field(default_factory=list)
    offers: list[Raw] = msgspec.field(default_factory=list)
    wishes: list[Raw] = msgspec.field(default_factory=list)
    holdings: list[FastHolding] = msgspec.field(default_factory=list)


assert FORMAT == "peerconomy-scenario/1"  # the literal above
_OUTLINE: Final = msgspec.json.Decoder(_Outline)
_PARTICIPANTS: Final = msgspec.json.Decoder(list[FastParticipant])


def _decode(raw: bytes) -> ScenarioColumns:
    outline = _OUTLINE.decode(raw)
    people = _Participants()
    for batch in _batches(outline.participants, _PARTICIPANTS):
        people.add(batch)
    index = _Index(outline.tasks, outline.goods, people.ids)
    offers, wishes = _Offers(), _Wishes()
    for offer_batch in _batches(outline.offers, _offer_decoder(index)):
        offers.add(offer_batch, index)
    for wish_batch in _batches(outline.wishes, _wish_decoder(index)):
        wishes.add(wish_batch, index)
    return _assemble(outline, people, offers, wishes, index)


def _named(names: Sequence[str]) -> Any:
    """The type of a reference to one of ``names``: a ``Literal`` of them, which msgspec
    decodes to the very string objects given, so the index lookups that follow compare by
    identity and no string is made or freed per reference (a million wishes name their
    goods five million times). An unknown name is a decoding error, and so refused. Any id
    where there are no names (any reference is then unknown, found so by the lookup)."""
    return Literal[tuple(names)] if names else Id


def _offer_decoder(index: _Index) -> msgspec.json.Decoder[list[Any]]:
    """Offers decoded as :class:`FastOffer` is, the task named among the tasks."""
    offer = msgspec.defstruct("Offer", [
        ("participant", Name), ("task", _named(index.task_ids)), ("hours", Hours),
        ("min_weight", PositiveNumber),
    ], frozen=True, forbid_unknown_fields=True, gc=False)
    return msgspec.json.Decoder(list[offer])  # type: ignore[valid-type]


def _wish_decoder(index: _Index) -> msgspec.json.Decoder[list[Any]]:
    """Wishes decoded as :class:`FastWish` is, each alternative's good named among the goods
    and its product type among theirs."""
    alternative = msgspec.defstruct("Alternative", [
        ("good", Optional[_named(index.good_ids)], None),  # noqa: UP045 - a runtime type
        ("product_type", Optional[_named(index.types)], None),  # noqa: UP045
        ("max_cost", Optional[Contribution], None),  # noqa: UP045
    ], frozen=True, forbid_unknown_fields=True, gc=False)
    wish = msgspec.defstruct("Wish", [
        ("participant", Name), ("id", Id),
        ("alternatives", Annotated[list[alternative], Meta(min_length=1)]),  # type: ignore[valid-type]
        ("quantity", Quantity, 1),
        ("term", Optional[Term], None),  # noqa: UP045
    ], frozen=True, forbid_unknown_fields=True, gc=False)
    return msgspec.json.Decoder(list[wish])  # type: ignore[valid-type]


def _batches(items: list[Raw], decoder: msgspec.json.Decoder[list[_T]]) -> Iterator[list[_T]]:
    """The items decoded ``BATCH`` at a time (each batch as one JSON array)."""
    for start in range(0, len(items), BATCH):
        yield decoder.decode(b"[" + b",".join(items[start:start + BATCH]) + b"]")


class _Index:
    """Names to indexes: tasks, goods, product types (-1 for None, -2 for an unknown name),
    and participants."""

    def __init__(self, tasks: Sequence[_Task], goods: Sequence[_Good],
                 participants: list[str]) -> None:
        self.task_ids = [t.id for t in tasks]
        self.good_ids = [g.id for g in goods]
        self.task: dict[str | None, int] = {t: i for i, t in enumerate(self.task_ids)}
        self.good: dict[str | None, int] = {g: i for i, g in enumerate(self.good_ids)}
        self.good[None] = _NONE
        self.types = list(dict.fromkeys(
            g.product_type for g in goods if g.product_type is not None))
        self.type: dict[str | None, int] = {t: i for i, t in enumerate(self.types)}
        self.type[None] = _NONE
        self.participant: dict[str, int] = {p: i for i, p in enumerate(participants)}


def _lookup(names: Iterable[str | None], index: dict[str | None, int], n: int,
            missing: int) -> IntColumn:
    looked: IntColumn = np.fromiter(map(index.get, names, repeat(missing)), np.int64, n)
    return looked


class _Participants:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.capacity: list[float | None] = []
        self.exempt: list[bool] = []

    def add(self, batch: Sequence[_Participant]) -> None:
        self.ids.extend(map(attrgetter("id"), batch))
        self.capacity.extend(map(attrgetter("capacity"), batch))
        self.exempt.extend(map(attrgetter("exempt"), batch))


class _Offers:
    def __init__(self) -> None:
        self.participant: list[IntColumn] = []
        self.task: list[IntColumn] = []
        self.hours: list[float] = []
        self.min_weight: list[float] = []

    def add(self, batch: Sequence[_Offer], index: _Index) -> None:
        n = len(batch)
        self.participant.append(_lookup(map(attrgetter("participant"), batch),
                                        index.participant, n, _UNKNOWN))  # type: ignore[arg-type]
        self.task.append(_lookup(map(attrgetter("task"), batch), index.task, n, _UNKNOWN))
        self.hours.extend(map(attrgetter("hours"), batch))
        self.min_weight.extend(map(attrgetter("min_weight"), batch))


class _Wishes:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.participant: list[IntColumn] = []
        self.quantity: list[int] = []
        self.term: list[int] = []
        self.width: list[IntColumn] = []
        self.good: list[IntColumn] = []
        self.type: list[IntColumn | None] = []
        self.max_cost: list[FloatColumn] = []

    def add(self, batch: Sequence[_Wish], index: _Index) -> None:
        n = len(batch)
        self.ids.extend(map(attrgetter("id"), batch))
        self.participant.append(_lookup(map(attrgetter("participant"), batch),
                                        index.participant, n, _UNKNOWN))  # type: ignore[arg-type]
        self.quantity.extend(map(attrgetter("quantity"), batch))
        self.term.extend(0 if t is None else t for t in map(attrgetter("term"), batch))
        lists: list[Sequence[_Alternative]] = list(map(attrgetter("alternatives"), batch))
        self.width.append(np.fromiter(map(len, lists), np.int64, n))
        alts = list(chain.from_iterable(lists))
        m = len(alts)
        goods = list(map(attrgetter("good"), alts))
        types = list(map(attrgetter("product_type"), alts))
        self.good.append(_lookup(goods, index.good, m, _UNKNOWN))
        self.type.append(None if types.count(None) == m  # no product types: the usual case
                         else _lookup(types, index.type, m, _UNKNOWN))
        self.max_cost.append(np.array(list(map(attrgetter("max_cost"), alts)),
                                      dtype=np.float64))  # None becomes nan


def _joined(parts: list[IntColumn]) -> IntColumn:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _assemble(
    head: AnyScenario | _Outline, people: _Participants, offers: _Offers, wishes: _Wishes,
    index: _Index,
) -> ScenarioColumns:
    width, alt_good = _joined(wishes.width), _joined(wishes.good)
    return ScenarioColumns(
        settings=head.settings,
        projects=head.projects,
        tasks=head.tasks,
        goods=head.goods,
        participant_ids=people.ids,
        participant_capacity=np.array(
            [np.inf if c is None else c for c in people.capacity], dtype=np.float64),
        participant_exempt=np.array(people.exempt, dtype=bool),
        offer_participant=_joined(offers.participant),
        offer_task=_joined(offers.task),
        offer_hours=np.array(offers.hours, dtype=np.float64),
        offer_min_weight=np.array(offers.min_weight, dtype=np.float64),
        wish_ids=wishes.ids,
        wish_participant=_joined(wishes.participant),
        wish_quantity=np.array(wishes.quantity, dtype=np.int64),
        wish_term=np.array(wishes.term, dtype=np.int64),
        alt_wish=np.repeat(np.arange(len(width), dtype=np.int64), width),
        alt_good=alt_good,
        alt_type=_joined([np.full(len(good), _NONE, dtype=np.int64) if kind is None else kind
                          for good, kind in zip(wishes.good, wishes.type, strict=True)])
        if any(kind is not None for kind in wishes.type)
        else np.full(len(alt_good), _NONE, dtype=np.int64),
        alt_max_cost=(np.concatenate(wishes.max_cost) if wishes.max_cost
                      else np.zeros(0, dtype=np.float64)),
        product_types=index.types,
        holdings=head.holdings,
    )


# --- cross-checks --------------------------------------------------------------------------


def _cross_problem(c: ScenarioColumns) -> bool:
    """Whether the scenario has any problem :func:`cross_check` would name (which one, the
    parser says)."""
    small = FastScenario(format="peerconomy-scenario/1", participants=[],
                         projects=list(c.projects), settings=c.settings,  # type: ignore[arg-type]
                         tasks=list(c.tasks), goods=list(c.goods))  # type: ignore[arg-type]
    if cross_check(small) is not None:  # type: ignore[arg-type]  # read alike
        return True
    if holdings_problem(c.holdings, set(c.participant_ids), c.goods) is not None:  # type: ignore[arg-type]
        return True
    n_people = len(c.participant_ids)
    if len(set(c.participant_ids)) != n_people or len(set(c.wish_ids)) != len(c.wish_ids):
        return True
    if (np.any(c.offer_participant < 0) or np.any(c.offer_task < 0)
            or np.any(c.wish_participant < 0)):
        return True
    pair = np.sort(c.offer_participant * max(len(c.tasks), 1) + c.offer_task)
    if np.any(pair[1:] == pair[:-1]):  # the same participant offers twice on a task
        return True
    return _alternatives_problem(c) or _limits_problem(c)


def _limits_problem(c: ScenarioColumns) -> bool:
    """A wish asking for more units than the limits of the goods it names (directly or by
    their product type) let one participant receive."""
    limits = [limit_of(good) for good in c.goods]
    if len(c.alt_good) == 0 or all(limit is None for limit in limits):
        return False
    limit = np.array([np.inf if x is None else x for x in limits], dtype=np.float64)
    n_goods = len(c.goods)
    named = c.alt_good >= 0
    wishes, goods = [c.alt_wish[named]], [c.alt_good[named]]
    typed = np.flatnonzero(c.alt_type >= 0)
    if len(typed):
        position = {t: i for i, t in enumerate(c.product_types)}
        good_type = np.array([-1 if g.product_type is None else position[g.product_type]
                              for g in c.goods], dtype=np.int64)
        for t in np.unique(c.alt_type[typed]).tolist():
            of_type = np.flatnonzero(good_type == t)
            asking = c.alt_wish[typed[c.alt_type[typed] == t]]
            wishes.append(np.repeat(asking, len(of_type)))
            goods.append(np.tile(of_type, len(asking)))
    pair = np.unique(np.concatenate(wishes) * n_goods + np.concatenate(goods))
    room = np.bincount(pair // n_goods, weights=limit[pair % n_goods],
                       minlength=len(c.wish_ids))
    return bool(np.any(c.wish_quantity > room))


def _alternatives_problem(c: ScenarioColumns) -> bool:
    """An alternative naming both or neither of a good and a product type, or an unknown
    one, or a type made as both kinds of goods; or a wish mixing auction and other goods."""
    named_good, named_type = c.alt_good != _NONE, c.alt_type != _NONE
    if (np.any(named_good == named_type) or np.any(c.alt_good == _UNKNOWN)
            or np.any(c.alt_type == _UNKNOWN)):
        return True
    if len(c.alt_good) == 0:
        return False
    kind = np.empty(len(c.alt_good), dtype=np.int8)  # 1 auction, 0 not, 2 both (a type)
    kind[named_good] = np.array([g.model == "auction" for g in c.goods],
                                dtype=np.int8)[c.alt_good[named_good]]
    kind[named_type] = _type_kinds(c)[c.alt_type[named_type]]
    if np.any(kind == _MIXED):
        return True
    first = np.flatnonzero(np.r_[True, c.alt_wish[1:] != c.alt_wish[:-1]])  # one per wish
    return bool(np.any(kind != kind[first][c.alt_wish]))


_MIXED: Final = 2


def _type_kinds(c: ScenarioColumns) -> np.ndarray[tuple[int], np.dtype[np.int8]]:
    """Per product type: 1 made as auction goods, 0 as other goods, 2 as both."""
    kinds = np.full(len(c.product_types), -1, dtype=np.int8)
    position = {t: i for i, t in enumerate(c.product_types)}
    for good in c.goods:
        if good.product_type is not None:
            i, auction = position[good.product_type], int(good.model == "auction")
            kinds[i] = auction if kinds[i] in (-1, auction) else _MIXED
    return kinds
