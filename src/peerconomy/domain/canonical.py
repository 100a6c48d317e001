"""Order does not decide: a scenario in its canonical order, and lots drawn by seed and id.

The same pool written with its lists in another order (or a federation whose pool files are
renamed) must give the same plan. Two things would otherwise follow the order of the lists:
the seeded draws (which wish or participant comes first where they tie), and the choices
the flow core leaves to the algorithm (which of two equally good arcs carries the flow).
So the clearing reads a scenario in its *canonical order* (:func:`canonical`): participants,
projects, tasks, goods, product types and wishes by id, offers by participant and task,
holdings by participant, good, premium and quantity;
only each wish's alternatives keep their order, which is the wisher's preference. And every
seeded order is a sort by *lot* (:func:`lots`): a keyed hash (BLAKE2b, the seed as its key)
of the item's id, ties by id. A part of the pool holds the same ids, so it draws the same
lots as the whole.

>>> a, b = lots(["ana", "ben"], seed=0, kind=b"wish"), lots(["ben", "ana"], seed=0, kind=b"wish")
>>> a.tolist() == b[::-1].tolist()
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from hashlib import blake2b
from typing import Final

import numpy as np

from peerconomy.domain.scenario_columns import ScenarioColumns
from peerconomy.mechanisms.arrays import IntArray, UIntArray

__all__ = ["REORDERED", "Reordering", "by_lot", "canonical", "lots"]

REORDERED: Final = frozenset({
    "projects", "tasks", "goods", "participant_ids", "participant_capacity",
    "participant_exempt", "offer_participant", "offer_task", "offer_hours", "offer_min_weight",
    "wish_ids", "wish_participant", "wish_quantity", "wish_term", "alt_wish", "alt_good",
    "alt_type", "alt_max_cost", "product_types", "holdings",
})
"""The fields of :class:`ScenarioColumns` that :func:`canonical` puts in order (a new list or
column must be named here, and reordered with its list; the settings are the one other)."""

_LOT_BYTES: Final = 8


@dataclass(frozen=True)
class Reordering:
    """Where each item of the canonical order was in the scenario (new position → old
    index), per list."""

    participants: IntArray
    tasks: IntArray
    goods: IntArray
    offers: IntArray
    wishes: IntArray


def lots(ids: Sequence[str], seed: int, kind: bytes) -> UIntArray:
    """Each id's lot: the first 8 bytes of BLAKE2b of ``kind`` and the id, keyed by the seed.

    ``kind`` keeps the draws of wishes and of participants apart (a wish and a participant
    may share an id)."""
    keyed = blake2b(kind + b"\x00", digest_size=_LOT_BYTES, key=seed.to_bytes(8, "little"))
    start = keyed.copy  # the key's block hashed once, not once per id

    def lot(ident: str) -> bytes:
        h = start()
        h.update(ident.encode())
        return h.digest()

    digests = b"".join(map(lot, ids))
    drawn: UIntArray = np.frombuffer(digests, dtype="<u8").astype(np.uint64)
    return drawn


def by_lot(items: IntArray, lot: UIntArray) -> IntArray:
    """``items`` (indexes in canonical order, ascending) sorted by their lots, ties by
    index, and so by id."""
    order: IntArray = items[np.argsort(lot[items], kind="stable")].astype(np.int64)
    return order


def canonical(columns: ScenarioColumns) -> tuple[ScenarioColumns, Reordering]:
    """The scenario in its canonical order, and where each item was."""
    people = _by_id(columns.participant_ids)
    tasks = _by_id([t.id for t in columns.tasks])
    goods = _by_id([g.id for g in columns.goods])
    wishes = _by_id(columns.wish_ids)
    types = sorted(columns.product_types)
    new_person, new_task = _inverse(people), _inverse(tasks)
    new_good, new_wish = _inverse(goods), _inverse(wishes)
    new_type = np.array([types.index(t) for t in columns.product_types], dtype=np.int64)

    offer_person = new_person[columns.offer_participant]
    offer_task = new_task[columns.offer_task]
    offers = np.lexsort((offer_task, offer_person)).astype(np.int64)
    alt_wish = new_wish[columns.alt_wish]
    alts = np.argsort(alt_wish, kind="stable")  # grouped by wish, preference order kept
    alt_good, alt_type = columns.alt_good[alts], columns.alt_type[alts]
    projects = sorted(columns.projects, key=lambda p: p.id)
    reordered = replace(
        columns,
        projects=projects,
        tasks=[columns.tasks[i] for i in tasks.tolist()],
        goods=[columns.goods[i] for i in goods.tolist()],
        participant_ids=[columns.participant_ids[i] for i in people.tolist()],
        participant_capacity=columns.participant_capacity[people],
        participant_exempt=columns.participant_exempt[people],
        offer_participant=offer_person[offers],
        offer_task=offer_task[offers],
        offer_hours=columns.offer_hours[offers],
        offer_min_weight=columns.offer_min_weight[offers],
        wish_ids=[columns.wish_ids[i] for i in wishes.tolist()],
        wish_participant=new_person[columns.wish_participant[wishes]],
        wish_quantity=columns.wish_quantity[wishes],
        wish_term=columns.wish_term[wishes],
        alt_wish=alt_wish[alts],
        alt_good=_renamed(alt_good, new_good),
        alt_type=_renamed(alt_type, new_type),
        alt_max_cost=columns.alt_max_cost[alts],
        product_types=types,
        holdings=sorted(columns.holdings, key=lambda h: (
            h.participant, h.good, h.premium, h.quantity)),
    )
    return reordered, Reordering(
        participants=people, tasks=tasks, goods=goods, offers=offers, wishes=wishes
    )


def _by_id(ids: Sequence[str]) -> IntArray:
    """The indexes of ``ids`` in the order of the ids (code points, as Python orders str)."""
    if len(ids) < 2:
        return np.arange(len(ids), dtype=np.int64)
    order: IntArray = np.argsort(np.array(ids, dtype=str), kind="stable").astype(np.int64)
    return order


def _renamed(index: IntArray, new: IntArray) -> IntArray:
    """``index`` with each reference (≥ 0) replaced by its new index; the marks (< 0) kept."""
    out = index.copy()
    named = index >= 0
    out[named] = new[index[named]]
    return out


def _inverse(order: IntArray) -> IntArray:
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order), dtype=np.int64)
    return inverse
