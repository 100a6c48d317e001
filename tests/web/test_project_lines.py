"""The lines a coordinator writes for a new project's tasks and goods
(:mod:`peerconomy.web.project_lines`), and the examples in the web modules' docstrings."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import peerconomy.web
from peerconomy.domain.scenario import Good, ScenarioError, Task
from peerconomy.web.project_lines import parse_goods, parse_project, parse_tasks


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
        ("", "x effort =1", "goods, line 1", "'=1' is not NAME=VALUE (capacity=1, type=bread"
                                             " or a task's hours per unit: baking=0.5)"),
        ("", "x effort\n#\nx auction", "goods, line 3, id", "'x' is on line 1 already"),
    ],
)
def test_a_mistake_names_the_field_the_line_and_the_part(
    tasks: str, goods: str, where: str, reason: str
) -> None:
    with pytest.raises(ScenarioError) as refused:
        parse_project("dairy", tasks, goods)
    assert (refused.value.path, refused.value.reason) == (where, reason)


def test_a_service_s_words_for_a_task_or_good_are_said_as_lines() -> None:
    lines = parse_project("dairy", "\nmilking\n\nbaking", "bread effort baking=1")
    assert lines.named("tasks[1].id") == "tasks, line 4, id"
    assert lines.named("goods[0]: taken") == "goods, line 1: taken"
    assert lines.named("goods[5].id") == "goods[5].id", "no such good: said as it was"
    assert lines.named("project 'dairy' is in pool 'farm' already") == (
        "project 'dairy' is in pool 'farm' already")
