"""The page templates as a server loads them, and the figures they show."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

from peerconomy.i18n import using
from peerconomy.web.rendering import load_templates, number


def test_a_server_compiles_every_template_before_its_first_request() -> None:
    shipped = [f for f in (files("peerconomy.web") / "templates").iterdir()
               if f.name.endswith(".html")]
    assert load_templates() == len(shipped) > 10


def test_numbers_are_written_as_the_pages_language_writes_them() -> None:
    figures = [1234.5, Decimal("-0.0000001"), 2, 0.125, None]
    with using("en"):
        assert [number(f) for f in figures] == ["1,234.5", "0", "2", "0.12", "\N{EN DASH}"]
    with using("de"):
        assert [number(f) for f in figures] == ["1.234,5", "0", "2", "0,12", "\N{EN DASH}"]
        assert number(1234.5) == "1.234,5"  # again, from what was kept: still German
    with using("en"):
        assert number(1234.5) == "1,234.5"
