"""Pick-up points' rules: the text people read (any Unicode, bounded, nothing but text) and a
member's choice of an active point, each refusal naming its field."""

from __future__ import annotations

import pytest

from peerconomy.domain.pickup import MAX_NAME, PickupPoint, checked, refuse_choice
from peerconomy.domain.refusal import InputError
from peerconomy.domain.text import TextKind, check_text

HOFLADEN = PickupPoint("hofladen", "Hofladen", "Dorfstraße 1\u00a0", "Sat 14:00\u201318:00")


def test_a_point_with_any_unicode_is_kept_trimmed() -> None:
    point = checked(PickupPoint("kiez", " Kiezladen 🥕 Zoë ", "Straße 7", "Fr 16\u201319 Uhr"))
    assert (point.name, point.address) == ("Kiezladen 🥕 Zoë", "Straße 7")
    assert checked(HOFLADEN).address == "Dorfstraße 1"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("name", "Hof\x00laden", "holds a NUL character"),
    ("name", "Hof\ud800", "holds a lone surrogate (not valid Unicode)"),
    ("name", "x" * 10_000, "must be at most 100 characters, got 10000"),
    ("name", "   ", "must not be empty"),
    ("name", "Hof\nladen", "holds a line break (0x000a): must be one line"),
    ("name", "Hof\x1b[31mladen", "holds a control character (0x001b)"),
    ("name", "Hof\u202eladen", "holds a character that reorders text (0x202e)"),
    ("address", "a" * 301, "must be at most 300 characters, got 301"),
    ("opening_times", "t" * 201, "must be at most 200 characters, got 201"),
])
def test_bad_text_is_refused_naming_the_field(field: str, value: str, reason: str) -> None:
    point = PickupPoint("hofladen", "Hofladen")
    with pytest.raises(InputError) as refused:
        checked(PickupPoint(**{**_fields(point), field: value}))
    assert [(p.path, p.reason) for p in refused.value.problems] == [(field, reason)]


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as refused:
        checked(PickupPoint("no space", "", "\x07", 3))  # type: ignore[arg-type]
    assert [p.path for p in refused.value.problems] == ["id", "name", "address",
                                                        "opening_times"]


def test_text_must_be_text() -> None:
    with pytest.raises(InputError, match="name: must be a string, got 5"):
        check_text(5, "name", TextKind(MAX_NAME))


def test_a_choice_must_name_an_active_point() -> None:
    points = [HOFLADEN, PickupPoint("alt", "Alter Laden", active=False)]
    refuse_choice("hofladen", points)
    with pytest.raises(InputError, match=r"pickup_point: no pick-up point 'zentrum' in this"
                                         r" pool \(there are: hofladen\)"):
        refuse_choice("zentrum", points)
    with pytest.raises(InputError, match="pickup_point: pick-up point 'alt' is retired"):
        refuse_choice("alt", points)


def _fields(point: PickupPoint) -> dict[str, object]:
    return {"id": point.id, "name": point.name, "address": point.address,
            "opening_times": point.opening_times}
