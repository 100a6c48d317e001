"""``peerconomy pickup ...`` and ``peerconomy period distribution``: the farm (examples/farm.json)
with its farm shop and neighbourhood centre, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from test_pool_commands import ok, refused

FARM = Path(__file__).parents[2] / "examples" / "farm.json"


def farm_with_points(db: str) -> None:
    ok(db, "pool", "import", str(FARM), "--pool", "farm", "--coordinator", "ana")
    ok(db, "pickup", "add", "--pool", "farm", "hofladen", "Hofladen",
       "--address", "Dorfstraße 1", "--opening-times", "Sat 9:00\u201312:00")
    ok(db, "pickup", "add", "--pool", "farm", "zentrum", "Stadtteilzentrum")
    for member, point in (("ana", "hofladen"), ("ben", "zentrum"), ("chiara", "zentrum")):
        assert f"{member} collects at {point}" in ok(
            db, "pickup", "choose", "--pool", "farm", "--member", member, point)


def test_points_are_added_changed_retired_and_chosen(db_url: str) -> None:
    farm_with_points(db_url)
    ok(db_url, "pickup", "change", "--pool", "farm", "zentrum", "--name", "Kiez-Zentrum")
    ok(db_url, "pickup", "retire", "--pool", "farm", "hofladen")
    listed = json.loads(ok(db_url, "pickup", "list", "--pool", "farm", "--json"))
    assert [(p["id"], p["name"], p["active"]) for p in listed] == [
        ("hofladen", "Hofladen", False), ("zentrum", "Kiez-Zentrum", True)]
    assert "retired" in ok(db_url, "pickup", "list", "--pool", "farm")
    assert "pickup_point: pick-up point 'hofladen' is retired" in refused(
        db_url, "pickup", "choose", "--pool", "farm", "--member", "ana", "hofladen")
    assert "collects at no pick-up point" in ok(
        db_url, "pickup", "choose", "--pool", "farm", "--member", "ben")


def test_bad_input_is_one_line_and_exit_2(db_url: str) -> None:
    farm_with_points(db_url)
    assert "name: must be at most 100 characters, got 10000" in refused(
        db_url, "pickup", "add", "--pool", "farm", "shed", "x" * 10_000)
    assert "name: holds a control character (0x001b)" in refused(
        db_url, "pickup", "add", "--pool", "farm", "shed", "Sch\x1b[31muppen")
    assert "id: must be 1 to 100" in refused(
        db_url, "pickup", "add", "--pool", "farm", "the shed", "Schuppen")
    assert "has a pick-up point 'zentrum' already" in refused(
        db_url, "pickup", "add", "--pool", "farm", "zentrum", "Zentrum")
    assert "no pick-up point 'mill'" in refused(
        db_url, "pickup", "choose", "--pool", "farm", "--member", "ana", "mill")
    assert "no pick-up point 'mill'" in refused(
        db_url, "pickup", "retire", "--pool", "farm", "mill")
    assert "no plan of period 1" in refused(db_url, "period", "distribution", "--pool", "farm")
    assert "no period 7" in refused(db_url, "period", "distribution", "--pool", "farm",
                                    "--period", "7")


def test_the_distribution_prints_and_its_csv_sums_to_the_plan(db_url: str) -> None:
    farm_with_points(db_url)
    plan = json.loads(ok(db_url, "period", "clear", "--pool", "farm", "--json"))
    text = ok(db_url, "period", "distribution", "--pool", "farm", "--csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    listed: Counter[tuple[str, str]] = Counter()
    for row in rows:
        listed[(row["participant"], row["good"])] += int(row["quantity"])
    planned: Counter[tuple[str, str]] = Counter()
    for a in plan["allocations"]:
        planned[(a["participant"], a["good"])] += a["quantity"]
    assert listed == planned
    assert {r["participant"]: r["pickup_point"] for r in rows if r["participant"] in (
        "ana", "ben", "chiara", "dario")} == {"ana": "hofladen", "ben": "zentrum",
                                             "chiara": "zentrum", "dario": ""}
    shown = ok(db_url, "period", "distribution", "--pool", "farm", "--period", "1")
    assert "Hofladen (hofladen)" in shown and "no pick-up point chosen" in shown
    assert "packing list of Hofmolkerei" in shown  # the dairy, as people read it
    assert "x Gemüsekiste" in shown and "vegetable_share" not in shown
