"""Placement of assigned hours on shifts, on the farm's week: small named scenarios pinning
who works which shift, hypothesis holding the rules for any shifts and needs, and a brute
force showing that within a task as many places are filled as the rules allow."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.mechanisms.placement import Need, ShiftSlot, place, shift_count

DAY = 24 * 60


def milking(days: int = 7, slots: int = 1) -> list[ShiftSlot]:
    """Milking at dawn, 05:30 to 07:00, every day from day 0 (ids 1, 2, ...)."""
    return [ShiftSlot(d + 1, "milking", d * DAY + 330, d * DAY + 420, slots)
            for d in range(days)]


def mine(placed: tuple[tuple[int, str], ...], who: str) -> list[int]:
    return [shift for shift, person in placed if person == who]


def test_hours_become_whole_shifts_rounded_half_up() -> None:
    result = place(milking(), [Need("ana", "milking", 4.0), Need("ben", "milking", 5.0)])
    assert mine(result.placed, "ana") == [4, 5, 6]
    assert mine(result.placed, "ben") == [1, 2, 3]
    assert {(h.participant, h.assigned, h.placed) for h in result.hours} == {
        ("ana", 4.0, 4.5), ("ben", 5.0, 4.5)}
    assert [round(h.left, 9) for h in result.hours] == [-0.5, 0.5]


def test_only_the_shifts_an_offer_names_and_the_rest_reported_left() -> None:
    result = place(milking(), [Need("ana", "milking", 6.0, frozenset({6, 7}))])
    assert mine(result.placed, "ana") == [6, 7]
    (hours,) = result.hours
    assert (hours.placed, hours.left) == (3.0, 3.0)


def test_slots_are_shared_first_shift_first_when_places_run_short() -> None:
    harvest = [ShiftSlot(10, "harvest", 9 * 60, 12 * 60, 2)]  # one Saturday, 2 places
    result = place(harvest, [Need(p, "harvest", 3.0) for p in ("cem", "ana", "ben")])
    assert len(result.placed) == 2
    assert Counter(shift for shift, _ in result.placed) == {10: 2}
    left = {h.participant: h.left for h in result.hours}
    assert sorted(left.values()) == [0.0, 0.0, 3.0]


def test_people_spread_over_the_shifts_before_a_shift_gets_a_second() -> None:
    saturdays = [ShiftSlot(10 + w, "harvest", w * 7 * DAY + 540, w * 7 * DAY + 720, 2)
                 for w in range(3)]
    result = place(saturdays, [Need("ana", "harvest", 3.0), Need("ben", "harvest", 3.0),
                               Need("cem", "harvest", 3.0)])
    assert Counter(shift for shift, _ in result.placed) == {10: 1, 11: 1, 12: 1}


def test_overlapping_shifts_of_two_tasks_go_to_the_task_placed_first() -> None:
    dawn = milking(days=1)  # 05:30 to 07:00
    feeding = [ShiftSlot(50, "feeding", 360, 450, 1), ShiftSlot(51, "feeding", 500, 560, 1)]
    result = place(dawn + feeding, [Need("ana", "milking", 1.5),
                                    Need("ana", "feeding", 1.0)])
    # feeding (placed first, by id) takes its earliest shift, 06:00 to 07:30; the milking
    # at dawn overlaps it, so ana's milking hours are left for the coordinator
    assert mine(result.placed, "ana") == [50]
    assert {h.task: h.left for h in result.hours} == {"feeding": -0.5, "milking": 1.5}


def test_two_places_at_once_of_one_task_never_go_to_one_person() -> None:
    fields = [ShiftSlot(1, "harvest", 540, 720, 1), ShiftSlot(2, "harvest", 540, 720, 1)]
    result = place(fields, [Need("ana", "harvest", 6.0)])
    assert len(mine(result.placed, "ana")) == 1


def test_a_task_without_shifts_places_nothing_and_reports_nothing() -> None:
    result = place(milking(), [Need("ana", "repair", 5.0)])
    assert result.placed == () and result.hours == ()


def test_the_order_of_the_lists_decides_nothing() -> None:
    shifts = milking(slots=2)
    needs = [Need("ana", "milking", 4.0), Need("ben", "milking", 5.0),
             Need("cem", "milking", 3.0, frozenset({1, 2, 3}))]
    first = place(shifts, needs)
    for seed in range(5):
        rng = random.Random(seed)
        s, n = shifts[:], needs[:]
        rng.shuffle(s)
        rng.shuffle(n)
        assert place(s, n).placed == first.placed


def test_shift_count_rounds_half_up() -> None:
    assert [shift_count(h, 3.0) for h in (0, 1.4, 1.5, 4.4, 4.5, 7.5)] == [0, 0, 1, 1, 2, 3]


@st.composite
def instances(draw: st.DrawFn, most_shifts: int = 8, most_people: int = 5
              ) -> tuple[list[ShiftSlot], list[Need]]:
    tasks = ["harvest", "milking"]
    shifts = []
    for n in range(draw(st.integers(0, most_shifts))):
        begins = draw(st.integers(0, 48)) * 30
        shifts.append(ShiftSlot(n + 1, draw(st.sampled_from(tasks)), begins,
                                begins + draw(st.integers(1, 8)) * 30,
                                draw(st.integers(1, 3))))
    needs = []
    for person in ("ana", "ben", "cem", "dora", "emil")[:draw(st.integers(0, most_people))]:
        for task in draw(st.sets(st.sampled_from(tasks))):
            named = draw(st.none() | st.frozensets(st.integers(1, most_shifts)))
            needs.append(Need(person, task, draw(st.integers(0, 16)) / 2, named or None))
    return shifts, needs


@settings(max_examples=300, deadline=None)
@given(instances())
def test_placement_keeps_every_rule(instance: tuple[list[ShiftSlot], list[Need]]) -> None:
    shifts, needs = instance
    result = place(shifts, needs)
    by_id = {s.id: s for s in shifts}
    on_shift = Counter(shift for shift, _ in result.placed)
    assert all(on_shift[s] <= by_id[s].slots for s in on_shift)  # no shift over its slots
    need = {(n.participant, n.task): n for n in needs}
    for shift, who in result.placed:  # nobody on a shift they did not offer
        named = need[(who, by_id[shift].task)].shifts
        assert named is None or shift in named
    for who in {w for _, w in result.placed}:  # nobody on two overlapping shifts
        spans = sorted((by_id[s].begins, by_id[s].ends) for s in mine(result.placed, who))
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    tasks_with_shifts = {s.task for s in shifts}
    assert {(h.participant, h.task) for h in result.hours} == {
        key for key in need if key[1] in tasks_with_shifts}
    for h in result.hours:  # placed hours are those of the shifts placed on, within the count
        theirs = [by_id[s] for s in mine(result.placed, h.participant)
                  if by_id[s].task == h.task]
        assert h.placed == sum(s.hours for s in theirs)
        assert h.placed + h.left == h.assigned
        earlier = [by_id[s] for s in mine(result.placed, h.participant)
                   if by_id[s].task < h.task]  # tasks are placed by id
        open_to = [s for s in shifts if s.task == h.task and (
            need[(h.participant, h.task)].shifts is None
            or s.id in need[(h.participant, h.task)].shifts)
            and not any(e.begins < s.ends and s.begins < e.ends for e in earlier)]
        if open_to:
            mean = sum(s.hours for s in open_to) / len(open_to)
            assert len(theirs) <= shift_count(h.assigned, mean)
    again = place(list(reversed(shifts)), list(reversed(needs)))
    assert again == result or again.placed == result.placed


def _clusters(shifts: list[ShiftSlot]) -> dict[int, int]:
    found, cluster, reach = {}, -1, None
    for s in sorted(shifts, key=lambda s: (s.begins, s.ends, s.id)):
        if reach is None or s.begins >= reach:
            cluster, reach = cluster + 1, s.ends
        else:
            reach = max(reach, s.ends)
        found[s.id] = cluster
    return found


def _most_places(shifts: list[ShiftSlot], needs: list[Need]) -> int:
    """By brute force: the most places one task's needs can fill under the rules (each need
    at most its count of shifts open to it, one per cluster of overlapping shifts)."""
    cluster = _clusters(shifts)
    choices = []
    for n in needs:
        open_to = [s for s in shifts if n.shifts is None or s.id in n.shifts]
        mean = sum(s.hours for s in open_to) / len(open_to) if open_to else 0.0
        count = shift_count(n.hours, mean)
        sets = [c for k in range(len(open_to) + 1) for c in itertools.combinations(open_to, k)
                if len(c) <= count and len({cluster[s.id] for s in c}) == len(c)]
        choices.append(sets)
    best = 0
    for pick in itertools.product(*choices):
        used = Counter(s.id for chosen in pick for s in chosen)
        if all(used[s.id] <= s.slots for s in shifts):
            best = max(best, sum(used.values()))
    return best


@settings(max_examples=150, deadline=None)
@given(instances(most_shifts=4, most_people=3))
def test_within_a_task_as_many_places_are_filled_as_the_rules_allow(
        instance: tuple[list[ShiftSlot], list[Need]]) -> None:
    shifts, needs = instance
    one_task = [s for s in shifts if s.task == "harvest"]
    needs = [n for n in needs if n.task == "harvest"]
    result = place(one_task, needs)
    assert len(result.placed) == _most_places(one_task, needs)
