"""Ids made for what people leave unnamed are ids all the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.ids import MAX_ID, NAME_PATTERN_PYTHON, check_id, new_wish_id


@given(st.from_regex(NAME_PATTERN_PYTHON, fullmatch=True))
def test_a_wish_made_without_an_id_gets_one_for_any_member(member: str) -> None:
    made = new_wish_id(member)
    assert check_id(made, "id", item=True) == made
    assert len(made) <= MAX_ID
    assert made.startswith(member[:MAX_ID - 9] + "-")


def test_two_wishes_made_without_an_id_get_two_ids() -> None:
    assert new_wish_id("a" * MAX_ID) != new_wish_id("a" * MAX_ID)
