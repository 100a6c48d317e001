"""Names on the command line: the farm (``examples/farm.json``, named in German) imported,
its tasks and goods listed by name (their ids beside them, and in ``--json``), the clearing's
tables by name; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from cli_commands import ok

FARM = Path(__file__).resolve().parents[2] / "examples" / "farm.json"


def imported(db: str) -> str:
    ok(db, "pool", "import", str(FARM), "--pool", "farm", "--coordinator", "ana")
    return db


def test_the_tasks_table_shows_each_task_s_name_beside_its_id(db_url: str) -> None:
    out = ok(imported(db_url), "pool", "tasks", "--pool", "farm")
    weeding = next(line for line in out.splitlines() if "weeding" in line)
    assert "Jäten" in weeding and "Gärtnerei" in weeding and "Gemüseacker" in weeding
    milking = next(line for line in out.splitlines() if " milking " in line)
    assert "Melken" in milking and "dario" in milking  # the contact, by name (dario has none)


def test_the_tasks_and_goods_as_json_keep_ids_and_names_apart(db_url: str) -> None:
    imported(db_url)
    tasks = json.loads(ok(db_url, "pool", "tasks", "--pool", "farm", "--json"))
    assert tasks[1] == {"id": "weeding", "name": "Jäten", "project": "vegetables",
                        "description": "Unkraut zwischen den Reihen, mit der Hacke",
                        "place": "Gemüseacker", "contact": None, "fixed_hours": 0.0,
                        "active": True}
    goods = json.loads(ok(db_url, "pool", "goods", "--pool", "farm", "--json"))
    assert [(g["id"], g["name"]) for g in goods][:2] == [
        ("vegetable_share", "Gemüsekiste"), ("hill_bread", "Hügelbrot")]
    table = ok(db_url, "pool", "goods", "--pool", "farm")
    assert "Gemüsekiste" in table and "vegetable_share" in table


def test_the_clearing_s_weights_are_shown_by_task_name(db_url: str) -> None:
    out = ok(imported(db_url), "period", "clear", "--pool", "farm")
    weights = out.split("task weights")[1].split("shares")[0]
    assert "Melken" in weights and "milking" not in weights
    plans = json.loads(ok(db_url, "period", "plans", "--pool", "farm", "--json"))["plans"]
    # the names are no input of the plan: it hashes as the farm did before it had names
    assert plans[0]["input_hash"] == FARM_HASH


FARM_HASH = "489a4c48acbe93561be7a1ebdba5a4fde0fc5b684e81b7b385b2ac63198777b7"
"""The input hash of examples/farm.json before it had names (tests/domain/test_names.py)."""
