"""Wishes from the command line, on the farm (``examples/farm.json``, a veg-box season):
a member's subscription made with ``--term``, counted down at each settling, shown on the
hint board; a term that is no count of periods is one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_commands import ok, run

FARM = Path(__file__).resolve().parents[2] / "examples" / "farm.json"
def farm(db: str) -> str:
    ok(db, "pool", "import", str(FARM), "--pool", "farm", "--coordinator", "ana")
    return db


def subscribed(db: str) -> dict[str, object]:
    board = json.loads(ok(db, "hints", "--pool", "farm", "--json"))
    return {"from": board["subscribed_from"], "rows": board["subscribed"]}


def test_the_imported_season_shows_its_boxes_and_a_new_share_adds_to_them(db_url: str) -> None:
    farm(db_url)
    # five shares of 26 weeks, imported with the season
    assert subscribed(db_url) == {"from": 1, "rows": {"vegetables": [
        {"good": "vegetable_share", "product_type": None, "units": [5] * 26}]}}
    out = ok(db_url, "wish", "make", "--pool", "farm", "--member", "dario",
             "--good", "milk_share", "--term", "2", "--id", "dario-milk-season")
    assert "dario-milk-season" in out and "a subscription for 2 periods" in out
    assert subscribed(db_url)["rows"]["dairy"] == [
        {"good": "milk_share", "product_type": None, "units": [1, 1]}]
    ok(db_url, "period", "clear", "--pool", "farm")
    ok(db_url, "period", "settle", "--pool", "farm")
    assert subscribed(db_url) == {"from": 2, "rows": {
        "dairy": [{"good": "milk_share", "product_type": None, "units": [1]}],
        "vegetables": [{"good": "vegetable_share", "product_type": None, "units": [5] * 25}]}}
    table = ok(db_url, "hints", "--pool", "farm")
    assert "subscribed units of Gärtnerei" in table  # the project's name, as people read it


def test_a_wish_withdrawn_from_the_command_line_is_gone(db_url: str) -> None:
    farm(db_url)
    ok(db_url, "wish", "withdraw", "ana_vegetables", "--pool", "farm")
    assert subscribed(db_url)["rows"] == {"vegetables": [
        {"good": "vegetable_share", "product_type": None, "units": [4] * 26}]}


@pytest.mark.parametrize("term", ["0", "-1", "1e308", "x", "2.5", "10001"])
def test_a_bad_term_is_one_line_and_exit_2_and_nothing_is_stored(db_url: str, term: str) -> None:
    farm(db_url)
    before = subscribed(db_url)
    code, out, err = run(db_url, "wish", "make", "--pool", "farm", "--member", "dario",
                         "--good", "milk_share", f"--term={term}")
    assert code == 2, out
    assert err.startswith("error: wish.term: must be ") and err.count("\n") == 1, err
    assert subscribed(db_url) == before
