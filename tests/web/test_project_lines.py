"""The lines a coordinator writes for a new project's tasks and goods
(:mod:`peerconomy.web.project_lines`), and the examples in the web modules' docstrings."""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import peerconomy.web
from peerconomy.demo import demo_scenario
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import Good, Task
from peerconomy.web.project_lines import (
    item_id,
    parse_goods,
    parse_project,
    parse_tasks,
    project_id,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    "name", [m.name for m in pkgutil.iter_modules(peerconomy.web.__path__, "peerconomy.web.")]
)
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    failed, _ = doctest.testmod(importlib.import_module(name))
    assert failed == 0


def test_tasks_are_an_id_and_maybe_fixed_hours() -> None:
    assert parse_tasks("flats", "stairs 4\r\n\r\n  # upkeep\r\ngarden 0,5\r\nlaundry") == [
        (1, Task(id="stairs", project="flats", fixed_hours=4.0)),
        (4, Task(id="garden", project="flats", fixed_hours=0.5)),
        (5, Task(id="laundry", project="flats")),
    ]


def test_goods_are_an_id_a_model_and_named_values_in_any_order() -> None:
    assert parse_goods("flats", "sea-view auction laundry=1 capacity=1 type=room") == [
        (1, Good(id="sea-view", project="flats", model="auction", capacity=1,
                 product_type="room", recipe={"laundry": 1.0})),
    ]
    assert parse_goods("flats", "soup flat_rate\nkey flat-allocation capacity=0") == [
        (1, Good(id="soup", project="flats", model="flat_rate")),
        (2, Good(id="key", project="flats", model="flat_allocation", capacity=0)),
    ]


def test_nothing_written_is_no_task_and_no_good() -> None:
    lines = parse_project("dairy", "\n  \n# later\n", "")
    assert (lines.tasks, lines.goods, lines.task_lines, lines.good_lines) == ((), (), (), ())


@pytest.mark.parametrize(
    ("tasks", "goods", "where", "reason"),
    [
        ("milking nan", "", "tasks, line 1, fixed hours", "must be a finite number, got 'nan'"),
        ("", "x effort capacity=-1", "goods, line 1, capacity", "must be >= 0, got '-1'"),
        ("", "x effort type=a type=b", "goods, line 1, type", "is given twice"),
        ("", "x effort a=1 a=2", "goods, line 1, recipe.a", "is given twice"),
        ("", "x effort =1", "goods, line 1", "'=1' is not NAME=VALUE (capacity=1, limit=2,"
                                             " tenure=12, type=bread or a task's hours"
                                             " per unit: baking=0.5)"),
        ("", "x effort\n#\nx auction", "goods, line 3, id", "'x' is on line 1 already"),
    ],
)
def test_a_mistake_names_the_field_the_line_and_the_part(
    tasks: str, goods: str, where: str, reason: str
) -> None:
    with pytest.raises(InputError) as refused:
        parse_project("dairy", tasks, goods)
    assert (refused.value.path, refused.value.reason) == (where, reason)


def test_a_service_s_words_for_a_task_or_good_are_said_as_lines() -> None:
    lines = parse_project("dairy", "\nmilking\n\nbaking", "bread effort baking=1")
    assert lines.named("tasks[1].id") == "tasks, line 4, id"
    assert lines.named("goods[0]: taken") == "goods, line 1: taken"
    assert lines.named("goods[5].id") == "goods[5].id", "no such good: said as it was"
    assert lines.named("project 'dairy' is in pool 'farm' already") == (
        "project 'dairy' is in pool 'farm' already")


ITEM_REASON = ("must be 1 to 100 letters (a-z, A-Z), digits, '.', '_', '-' or '/', starting"
               " with a letter or digit, got ")
PROJECT_REASON = ("must be 1 to 100 letters (a-z, A-Z), digits, '.', '_' or '-', starting with"
                  " a letter or digit, got ")


@pytest.mark.parametrize(
    ("project", "tasks", "goods", "where", "got"),
    [
        ("dairy farm", "", "", "project", "'dairy farm'"),
        ("<b>dairy</b>", "", "", "project", "'<b>dairy</b>'"),
        ("annex/dairy", "", "", "project", "'annex/dairy'"),
        ("-dairy", "", "", "project", "'-dairy'"),
        ("x" * 101, "", "", "project", repr("x" * 101)),
        ("dairy", "milking\n<script>", "", "tasks, line 2, id", "'<script>'"),
        ("dairy", "Käsen 2", "", "tasks, line 1, id", "'Käsen'"),
        ("dairy", "", "'cheese' effort", "goods, line 1, id", '"\'cheese\'"'),
        ("dairy", "", "\n../cellar auction", "goods, line 2, id", "'../cellar'"),
        ("dairy", "", "c" * 101 + " effort", "goods, line 1, id", repr("c" * 101)),
    ],
)
def test_an_id_that_is_no_identifier_is_refused_naming_its_field(
    project: str, tasks: str, goods: str, where: str, got: str
) -> None:
    with pytest.raises(InputError) as refused:
        parse_project(project, tasks, goods)
    reason = PROJECT_REASON if where == "project" else ITEM_REASON
    assert (refused.value.path, refused.value.reason) == (where, reason + got)


def test_ids_as_forks_and_people_write_them_are_taken() -> None:
    lines = parse_project("Dairy_2.0", "annex/stairs\nmilk-0.5 1",
                          "annex/sea-view auction capacity=1 annex/stairs=1")
    assert [t.id for t in lines.tasks] == ["annex/stairs", "milk-0.5"]
    assert [g.id for g in lines.goods] == ["annex/sea-view"]
    assert project_id("x" * 100) == "x" * 100


def _ids(scenario: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The project ids, and the task and good ids, of a scenario."""
    projects = {p["id"] for p in scenario["projects"]}
    items = {t["id"] for t in scenario["tasks"]} | {g["id"] for g in scenario["goods"]}
    return projects, items


@pytest.mark.parametrize("name", ["demo", *sorted(p.name for p in EXAMPLES.glob("*.json"))])
def test_every_id_of_the_examples_and_the_demo_is_taken(name: str) -> None:
    scenario = demo_scenario() if name == "demo" else json.loads(
        (EXAMPLES / name).read_text(encoding="utf-8"))
    projects, items = _ids(scenario)
    assert projects and items
    for project in projects:
        assert project_id(project) == project
    for item in items:
        assert item_id(item, "id") == item


def test_a_task_of_1e308_fixed_hours_is_refused_on_the_form() -> None:
    with pytest.raises(InputError) as refused:
        parse_tasks("dairy", "milking 1e308")
    assert str(refused.value) == ("tasks, line 1, fixed_hours: must be <= 10000, got 1e+308")


def test_a_goods_limit_is_written_as_limit_n() -> None:
    [(_, good)] = parse_goods("farm", "box flat-rate limit=2 harvest=1")
    assert (good.model, good.limit) == ("flat_rate", 2)
    with pytest.raises(InputError, match="goods, line 1, limit: must be a whole number"):
        parse_goods("farm", "box flat-rate limit=two")


def test_a_good_that_lasts_is_written_with_tenure_n() -> None:
    [(_, flat)] = parse_goods("seaside", "sea-view auction capacity=1 tenure=12 cleaning=2")
    assert (flat.model, flat.tenure, flat.recipe) == ("auction", 12, {"cleaning": 2.0})
    [(_, box)] = parse_goods("farm", "box effort harvest=1")
    assert box.tenure == 1
    for written, reason in (("0", "must be >= 1"), ("1001", "must be <= 1000"),
                            ("1.5", "must be a whole number")):
        with pytest.raises(InputError, match=f"goods, line 1, tenure: {reason}"):
            parse_goods("seaside", f"sea-view auction tenure={written}")
