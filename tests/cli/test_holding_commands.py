"""``peerconomy holding list|notice``: the seaside flats (each held for 12 periods) after the
first period is settled."""

from __future__ import annotations

import json
from pathlib import Path

from test_pool_commands import ok, refused

SEASIDE = Path(__file__).parents[2] / "examples" / "seaside_flats.json"


def settled(db: str) -> None:
    ok(db, "pool", "import", str(SEASIDE), "--pool", "seaside", "--coordinator", "ana")
    ok(db, "period", "clear", "--pool", "seaside")
    ok(db, "period", "settle", "--pool", "seaside")


def test_the_winners_hold_their_flats_and_may_give_notice(db_url: str) -> None:
    settled(db_url)

    listed = json.loads(ok(db_url, "holding", "list", "--pool", "seaside", "--json"))

    assert [(h["id"], h["participant"], h["good"], h["premium"], h["periods_left"])
            for h in listed] == [(1, "ana", "flat_b_seaview", 12.0, 11),
                                 (2, "ben", "flat_a_seaview", 12.0, 11),
                                 (3, "dario", "flat_c_garden", 4.0, 11)]
    assert "dario" in ok(db_url, "holding", "list", "--pool", "seaside")
    assert "notice given on holding 1" in ok(
        db_url, "holding", "notice", "--pool", "seaside", "1")
    assert "notice was given on holding 1 already" in refused(
        db_url, "holding", "notice", "--pool", "seaside", "1")
    assert "holding 99" in refused(db_url, "holding", "notice", "--pool", "seaside", "99")
    mine = json.loads(ok(db_url, "holding", "list", "--pool", "seaside", "--participant", "ana",
                         "--json"))
    assert [h["notice_given"] for h in mine] == [True]
