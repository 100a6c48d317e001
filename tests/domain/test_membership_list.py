"""A Solawi's membership list as its coordinators keep it, read as the pool's members."""

from __future__ import annotations

import pytest

from peerconomy.domain.pool import Member
from peerconomy.domain.refusal import InputError, Problem
from peerconomy.domain.roster import read_roster

HOUSEHOLDS = (
    "id,Display Name,email,phone,capacity,exempt,role\n"
    "h01,Ana & Jo,ANA@Farm.example,+49 30 1234567,8,no,coordinator\n"
    "h02,Ben,,,,,\n"
    "\n"
    "h03,Cleo,cleo@farm.example,,\"2,5\",yes,member\n"
)


def test_each_row_is_a_member_nobody_has_claimed_yet() -> None:
    rows = read_roster("\ufeff" + HOUSEHOLDS)
    assert [(r.line, r.member) for r in rows] == [
        (2, Member("h01", 8.0, role="coordinator", display_name="Ana & Jo",
                   email="ana@farm.example", phone="+49 30 1234567")),
        (3, Member("h02", display_name="Ben")),
        (5, Member("h03", 2.5, exempt=True, display_name="Cleo", email="cleo@farm.example")),
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("", "members"),
        ("name,email\nana,a@b.example\n", "line 1, name"),
        ("email\na@b.example\n", "line 1"),
        ("id,id\nh1,h2\n", "line 1, id"),
        ("id,email\nh1,not an address\n", "line 2, email"),
        ("id,capacity\nh1,many\n", "line 2, capacity"),
        ("id,capacity\nh1,nan\n", "line 2, capacity"),
        ("id,capacity\nh1,1e308\n", "line 2, capacity"),
        ("id,capacity\nh1,-3\n", "line 2, capacity"),
        ("id,exempt\nh1,perhaps\n", "line 2, exempt"),
        ("id,role\nh1,admin\n", "line 2, role"),
        ("id,phone\nh1,call me\n", "line 2, phone"),
        ("id\nh1\n../etc\n", "line 3, id"),
        ("id\nh1\nh1\n", "line 3, id"),
        ("id,display_name\nh1,\x1b[31mred\n", "line 2, display_name"),
        ("id\nh1,extra\n", "line 2"),
        ("id\nh\x00\n", "members"),
    ],
)
def test_a_bad_cell_is_refused_with_its_line_and_column(text: str, where: str) -> None:
    with pytest.raises(InputError) as refused:
        read_roster(text)
    assert refused.value.path == where


def test_every_bad_line_is_refused_at_once() -> None:
    with pytest.raises(InputError) as refused:
        read_roster("id,email,exempt\nh1,h1@farm.example,no\nh2,not mail,no\nh3,,perhaps\n"
                    "h1,,no\n")
    assert refused.value.problems == (
        Problem("line 3, email", "is not an email address"),
        Problem("line 4, exempt", "must be yes or no, got 'perhaps'"),
        Problem("line 5, id", "'h1' is on line 2 already"),
    )
