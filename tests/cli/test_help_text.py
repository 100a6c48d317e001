"""Help text is wrapped by the terminal, not by hand: every command's description comes out as
flowing paragraphs, one line each where the terminal is wide enough, and at a narrow width
each line as full as the next word allows (issue 18: ``peerconomy demo --help`` broke lines
mid-sentence wherever the docstring's source lines ended)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from peerconomy.cli import app

runner = CliRunner()

NARROW, WIDE = 60, 200


ROOT: Any = typer.main.get_command(app)


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's path, groups' too (a group has ``list_commands``)."""
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        yield (*path, name)
        if hasattr(command, "list_commands"):
            yield from _commands(command, (*path, name))


def _callback(path: tuple[str, ...]) -> Any:
    command = ROOT
    for name in path:
        command = command.get_command(typer.Context(command), name)
    return command.callback


COMMANDS = list(_commands(ROOT))


def _paragraphs(path: tuple[str, ...]) -> list[str]:
    """The description as written in the command's docstring, paragraph by paragraph, each
    as one line of words."""
    doc = inspect.getdoc(_callback(path)) or ""
    return [" ".join(paragraph.split()) for paragraph in doc.split("\n\n") if paragraph]


def _help_lines(path: tuple[str, ...], columns: int) -> list[str]:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    description = result.stdout.split("╭", 1)[0]  # before the first box (options, commands)
    return [line.strip() for line in description.splitlines()]


def _lines_of(paragraph: str, lines: list[str]) -> list[str]:
    """The consecutive lines of the help that make up ``paragraph``."""
    for start, line in enumerate(lines):
        if line and paragraph.startswith(line):
            taken: list[str] = []
            for following in lines[start:]:
                taken.append(following)
                if " ".join(taken) == paragraph:
                    return taken
                if not paragraph.startswith(" ".join(taken)):
                    break
    raise AssertionError(f"{paragraph!r} is not in the help:\n" + "\n".join(lines))


def test_there_are_commands_with_docstrings_of_several_lines() -> None:
    assert ("demo",) in COMMANDS and ("db", "upgrade") in COMMANDS
    assert len(_paragraphs(("demo",))) == 2


DESCRIBED = [p for p in COMMANDS if _paragraphs(p)]


@pytest.mark.parametrize("columns", [NARROW, WIDE])
@pytest.mark.parametrize("path", DESCRIBED, ids=" ".join)
def test_no_line_of_the_description_ends_before_it_must(path: tuple[str, ...],
                                                        columns: int) -> None:
    lines = _help_lines(path, columns)

    for paragraph in _paragraphs(path):
        wrapped = _lines_of(paragraph, lines)
        for line, following in pairwise(wrapped):
            next_word = following.split()[0]
            assert len(line) + 1 + len(next_word) > columns - 4, (line, next_word)
        if len(paragraph) < columns - 4:
            assert wrapped == [paragraph]
