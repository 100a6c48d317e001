"""Nothing a command prints can drive the terminal: names and ids holding control
characters (a colour, a bell, a carriage return, a window title, a bidirectional override)
are shown escaped, in tables, messages, JSON, exports and errors alike."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st
from rich.table import Table
from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.cli.common import TerminalConsole, plain, write_json

HOSTILE = "ana\x1b]0;owned\x07\x1b[31m\r\x9b2J\u202e"
"""A window title, a bell, red, a carriage return, a C1 CSI and a right-to-left override."""
CONTROLS = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))} | {
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def test_control_characters_are_shown_escaped() -> None:
    assert plain("a\ud800b") == "a\\ud800b"  # a lone surrogate cannot even be printed
    assert plain(HOSTILE) == "ana\\x1b]0;owned\\x07\\x1b[31m\\x0d\\u009b2J\\u202e"
    assert plain("two\tcolumns\nand lines") == "two\tcolumns\nand lines"


@given(st.text())
def test_nothing_plain_gives_is_a_control_character(text: str) -> None:
    assert not CONTROLS & set(plain(text))


@given(st.recursive(st.text(st.characters(exclude_categories=())) | st.integers() | st.none(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_shown_plain_is_still_json_of_the_same_data(data: object) -> None:
    assert json.loads(plain(json.dumps(data, ensure_ascii=False))) == data


def test_a_table_and_a_message_show_a_hostile_name_escaped() -> None:
    out = io.StringIO()
    console = TerminalConsole(file=out, force_terminal=True, width=200, highlight=False)
    table = Table("participant")
    table.add_row(HOSTILE)
    console.print(table)
    console.print(f"[green]✓[/green] {HOSTILE} confirmed")
    shown = out.getvalue()
    assert "\x1b]" not in shown and "\x07" not in shown and "\r" not in shown
    assert "\x9b" not in shown and "\u202e" not in shown
    assert shown.count("ana\\x1b]0;owned\\x07") == 2
    assert "\x1b[32m" in shown  # the program's own markup still styles its message


def test_json_output_escapes_every_control_character(capsys: object) -> None:
    write_json({"id": HOSTILE}, None)
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert not CONTROLS & set(printed.replace("\n", ""))
    assert json.loads(printed) == {"id": HOSTILE}  # the same data


def test_an_error_naming_a_hostile_pool_is_one_escaped_line(tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/pool.sqlite3"
    result = CliRunner().invoke(app, ["hints", "--pool", HOSTILE, "--db", db])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert not CONTROLS & set(result.stderr.replace("\n", ""))
    assert "ana\\x1b]0;owned\\x07" in result.stderr
