"""A coordinator runs the bike workshop's pool from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from cli_commands import ok, refused, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WORKSHOP = EXAMPLES / "workshop.json"

def imported(db: str) -> str:
    ok(db, "pool", "import", str(WORKSHOP), "--pool", "workshop", "--coordinator", "ana")
    return db


def balances(db: str) -> dict[str, Decimal]:
    data = json.loads(ok(db, "ledger", "balances", "--pool", "workshop", "--json"))
    held = {who: Decimal(v) for who, v in data["participants"].items()}
    held["pool"] = Decimal(data["pool_account"])
    assert Decimal(data["sum"]) == sum(held.values()) == 0
    return held


def test_a_cleared_pool_prints_the_plan_of_its_scenario_file(
    db_url: str, workshop_plan: dict[str, object]
) -> None:
    imported(db_url)
    plan = json.loads(ok(db_url, "period", "clear", "--pool", "workshop", "--json"))
    assert plan == workshop_plan


def test_a_whole_period_from_import_to_settled_books(db_url: str) -> None:
    imported(db_url)
    ok(db_url, "period", "clear", "--pool", "workshop")
    out = ok(db_url, "work", "log", "--pool", "workshop", "--participant", "ana",
             "--task", "assemble", "--hours", "8", "--confirmed-by", "chiara")
    assert "confirmed" in out
    out = ok(db_url, "work", "log", "--pool", "workshop", "--participant", "chiara",
             "--task", "paint", "--hours", "6")
    assert "pending" in out
    log_id = out.split("work log ")[1].split(":")[0]
    ok(db_url, "work", "confirm", "--pool", "workshop", "--log", log_id, "--by", "ben")
    assert "period 2 is collecting" in ok(db_url, "period", "settle", "--pool", "workshop")

    held = balances(db_url)
    # shares: ana one bicycle (3), ben two (6), chiara a motorcycle (9), dario a bicycle (3)
    # chiara's 6 hours of paint earn her the 3 she was assigned (ben has the other 4)
    assert held == {"ana": Decimal(5), "ben": Decimal(-6), "chiara": Decimal(-6),
                    "dario": Decimal(-3), "pool": Decimal(10)}


def test_the_three_exports_agree_with_the_balances(db_url: str) -> None:
    imported(db_url)
    ok(db_url, "period", "clear", "--pool", "workshop")
    ok(db_url, "work", "log", "--pool", "workshop", "--participant", "ben",
       "--task", "paint", "--hours", "1", "--confirmed-by", "ana")
    ok(db_url, "period", "settle", "--pool", "workshop")
    held = balances(db_url)
    expected = {("pool" if k == "pool" else f"participant:{k}"): v for k, v in held.items()}
    expected = {k: v for k, v in expected.items() if v != 0}

    rows = csv.DictReader(io.StringIO(ok(db_url, "ledger", "export", "--pool", "workshop",
                                         "--format", "csv")))
    from_csv: dict[str, Decimal] = {}
    for row in rows:
        from_csv[row["account"]] = from_csv.get(row["account"], Decimal(0)) + Decimal(row["amount"])
    assert from_csv == expected

    from_json: dict[str, Decimal] = {}
    for txn in json.loads(ok(db_url, "ledger", "export", "--pool", "workshop", "--format",
                             "json")):
        for p in txn["postings"]:
            from_json[p["account"]] = from_json.get(p["account"], Decimal(0)) + Decimal(p["amount"])
    assert from_json == expected

    text = ok(db_url, "ledger", "export", "--pool", "workshop", "--format", "beancount")
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    postings = [p for e in entries if hasattr(e, "postings") for p in e.postings]
    assert sum(p.units.number for p in postings) == 0
    assert len({p.account for p in postings}) == len(expected)


def test_hints_show_the_board_as_json(db_url: str) -> None:
    imported(db_url)
    assert "No plan yet" in ok(db_url, "hints", "--pool", "workshop")
    ok(db_url, "period", "clear", "--pool", "workshop")
    board = json.loads(ok(db_url, "hints", "--pool", "workshop", "--json"))
    assert board["period"] == 1
    todo = {t["task"]: t for t in board["todo"]["workshop"]}
    assert todo["assemble"]["planned"] == 14.0 and todo["assemble"]["done"] == 0.0
    assert "to-do of workshop" in ok(db_url, "hints", "--pool", "workshop")


def test_an_existing_pool_name_is_refused_and_the_pool_stays_as_it_was(
    db_url: str, workshop_plan: dict[str, object]
) -> None:
    imported(db_url)
    err = refused(db_url, "pool", "import", str(EXAMPLES / "farm.json"), "--pool", "workshop")
    assert "the name 'workshop' cannot be used; choose another" in err
    plan = json.loads(ok(db_url, "period", "clear", "--pool", "workshop", "--json"))
    assert plan == workshop_plan


def test_an_invalid_scenario_is_refused_and_no_pool_is_made(
    db_url: str, tmp_path: Path
) -> None:
    data = json.loads(WORKSHOP.read_text())
    data["offers"][1]["hours"] = -2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    err = refused(db_url, "pool", "import", str(bad), "--pool", "workshop")
    assert "offers[1].hours: must be >= 0, got -2" in err
    assert "no pool 'workshop'" in refused(db_url, "hints", "--pool", "workshop")


def test_an_unknown_coordinator_is_refused_and_no_pool_is_made(db_url: str) -> None:
    err = refused(db_url, "pool", "import", str(WORKSHOP), "--pool", "w", "--coordinator", "zoe")
    assert "coordinators[0]: no participant 'zoe'" in err
    assert "no pool 'w'" in refused(db_url, "hints", "--pool", "w")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--participant", "ana", "--task", "assemble", "--hours", "-1"),
         "hours: must be a finite number > 0, got -1.0"),
        (("--participant", "zoe", "--task", "assemble", "--hours", "1"),
         "no participant 'zoe' in pool 'workshop'"),
        (("--participant", "ana", "--task", "weld", "--hours", "1"),
         "no task 'weld' in pool 'workshop'"),
        (("--participant", "ana", "--task", "assemble", "--hours", "1", "--confirmed-by", "ana"),
         "'ana' cannot confirm their own work"),
        (("--participant", "chiara", "--task", "assemble", "--hours", "1", "--confirmed-by",
          "ben"), "only a coordinator may accept that work, and 'ben' is not one"),
    ],
)
def test_bad_work_logs_are_refused_and_nothing_is_credited(
    db_url: str, args: tuple[str, ...], message: str
) -> None:
    imported(db_url)
    ok(db_url, "period", "clear", "--pool", "workshop")
    assert message in refused(db_url, "work", "log", "--pool", "workshop", *args)
    ok(db_url, "period", "settle", "--pool", "workshop")
    assert balances(db_url)["pool"] == Decimal(21)  # all shares, no credit


def test_steps_out_of_order_are_refused(db_url: str) -> None:
    imported(db_url)
    assert "cannot settle a period that is collecting (it must be cleared)" in refused(
        db_url, "period", "settle", "--pool", "workshop"
    )
    assert "cannot log work in a period that is collecting" in refused(
        db_url, "work", "log", "--pool", "workshop", "--participant", "ana", "--task",
        "assemble", "--hours", "1",
    )
    ok(db_url, "period", "clear", "--pool", "workshop")
    assert "cannot clear a period that is cleared (it must be collecting)" in refused(
        db_url, "period", "clear", "--pool", "workshop"
    )


def test_a_reversed_transaction_leaves_the_books_as_before(db_url: str) -> None:
    imported(db_url)
    ok(db_url, "period", "clear", "--pool", "workshop")
    ok(db_url, "period", "settle", "--pool", "workshop")
    ok(db_url, "ledger", "correct", "--pool", "workshop", "--transaction", "period-1-shares",
       "--reason", "the bikes were not delivered")
    assert set(balances(db_url).values()) == {Decimal(0)}
    out = ok(db_url, "ledger", "statement", "--pool", "workshop", "--participant", "ben")
    assert "period-1-shares-reversed" in out


def test_a_cleared_period_is_reopened_until_work_is_logged(db_url: str) -> None:
    imported(db_url)
    said = ok(db_url, "period", "preview", "--pool", "workshop")
    assert "provisional" in said and "no warnings" in said
    preview = json.loads(ok(db_url, "period", "preview", "--pool", "workshop", "--json"))
    assert preview["provisional"] is True
    cleared = json.loads(ok(db_url, "period", "clear", "--pool", "workshop", "--json"))
    assert cleared == preview["plan"]  # the preview is the plan the clear keeps
    assert "collecting again" in ok(db_url, "period", "reopen", "--pool", "workshop")
    assert "cannot reopen a period that is collecting" in refused(
        db_url, "period", "reopen", "--pool", "workshop")
    ok(db_url, "period", "clear", "--pool", "workshop")
    ok(db_url, "work", "log", "--pool", "workshop", "--participant", "ana",
       "--task", "assemble", "--hours", "2", "--confirmed-by", "chiara")
    assert "has work logged on its plan" in refused(
        db_url, "period", "reopen", "--pool", "workshop")
    ok(db_url, "period", "settle", "--pool", "workshop")
    assert "period 1 of pool 'workshop' is settled, and a settled period is never reopened" \
        in refused(db_url, "period", "reopen", "--pool", "workshop")


SEASIDE = EXAMPLES / "seaside_flats.json"


def test_a_withdrawn_plan_is_listed_with_its_hash_and_the_shares_show_refunds(
    db_url: str,
) -> None:
    ok(db_url, "pool", "import", str(SEASIDE), "--pool", "seaside", "--coordinator", "ana")
    said = ok(db_url, "period", "preview", "--pool", "seaside")
    assert "refund h" in said and "5.60" in said  # the premiums (28) come back in fifths
    cleared = ok(db_url, "period", "clear", "--pool", "seaside")
    assert "refund h" in cleared and "5.60" in cleared
    stamp = json.loads(ok(db_url, "period", "plans", "--pool", "seaside", "--json"))[
        "plans"][0]["input_hash"]
    ok(db_url, "period", "reopen", "--pool", "seaside")
    listed = json.loads(ok(db_url, "period", "plans", "--pool", "seaside", "--json"))
    assert (listed["period"], listed["state"]) == (1, "collecting")
    assert [(p["state"], p["input_hash"], p["withdrawn_by"]) for p in listed["plans"]] == [
        ("withdrawn", stamp, None)]
    ok(db_url, "period", "clear", "--pool", "seaside")
    table = ok(db_url, "period", "plans", "--pool", "seaside", "--period", "1")
    assert "withdrawn" in table and "current" in table and stamp[:12] in table


@pytest.mark.parametrize("period", ["99999999999999999999", "-1", "0"])
def test_the_plans_of_a_hostile_period_are_refused_with_exit_2(
    db_url: str, period: str
) -> None:
    imported(db_url)
    code, _, err = run(db_url, "period", "plans", "--pool", "workshop", "--period", period)
    assert code == 2 and "--period" in err


def test_the_plans_of_a_period_not_there_or_a_pool_with_a_nul_are_refused(db_url: str) -> None:
    imported(db_url)
    assert "no period 7 in pool 'workshop'" in refused(
        db_url, "period", "plans", "--pool", "workshop", "--period", "7")
    assert "--pool: holds a NUL character" in refused(
        db_url, "period", "plans", "--pool", "work\x00shop")


def test_pool_settings_shows_and_changes_the_calendar_and_the_name(db_url: str) -> None:
    imported(db_url)
    before = json.loads(ok(db_url, "pool", "settings", "--pool", "workshop", "--json"))
    assert (before["period_length"], before["period"]["starts_on"]) == (None, None)
    out = ok(db_url, "pool", "settings", "--pool", "workshop", "--period-length", "2 Wochen",
             "--starts-on", "2026-05-04", "--close-days", "1", "--close-time", "12:00",
             "--time-zone", "Europe/Berlin", "--name", "Fahrradwerkstatt")
    assert ("changed: close_days, close_time, display_name, period_length, starts_on,"
            " time_zone") in " ".join(out.split())
    after = json.loads(ok(db_url, "pool", "settings", "--pool", "workshop", "--json"))
    assert after["name"] == "Fahrradwerkstatt" and after["period_length"] == "2 weeks"
    assert (after["period"]["ends_on"], after["period"]["collect_until"]) == (
        "2026-05-17", "2026-05-16T10:00:00+00:00")  # noon, CEST, the day before the last
    ok(db_url, "pool", "settings", "--pool", "workshop", "--period-length", "none")
    undated = json.loads(ok(db_url, "pool", "settings", "--pool", "workshop", "--json"))
    assert (undated["period_length"], undated["period"]["starts_on"]) == (None, None)


@pytest.mark.parametrize(("option", "value", "named"), [
    ("--period-length", "1 fortnight", "--period-length"),
    ("--starts-on", "2026-02-30", "--starts-on"),
    ("--close-time", "25:00", "--close-time"),
    ("--close-days", "999", "close_days"),
    ("--time-zone", "Mars/Olympus", "time_zone"),
    ("--name", "bad\x00name", "display_name"),
])
def test_pool_settings_refuses_bad_input_in_one_line_and_changes_nothing(
    db_url: str, option: str, value: str, named: str,
) -> None:
    imported(db_url)
    before = ok(db_url, "pool", "settings", "--pool", "workshop", "--json")
    error = refused(db_url, "pool", "settings", "--pool", "workshop", option, value,
                    "--auto-clear")
    assert error.startswith(f"error: {named}: ")
    assert ok(db_url, "pool", "settings", "--pool", "workshop", "--json") == before
