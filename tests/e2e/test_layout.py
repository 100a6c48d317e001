"""The layout as a browser draws it: each checkbox beside its own label, and the pages of a
lived-in pool on a phone with nothing wider than the screen.

A checkbox used to be drawn above its label (labels are blocks), so that on *The pool's
settings* the ticked box of the communal validation sat under "People outside the pool may
see its plans" and read as "this pool is public". On a 390 px phone the Goods page's wish
fieldset was wider than the screen (421 px) and *My assignments* on My period cut off its
Credit column. The pool's data come through the REST API: *seaside* (cleared, ben with
assignments) and *hillside* (collecting, with a scarce good to wish for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import People, Person, Shots, api_as, signed_in_once
from playwright.sync_api import APIRequestContext, Page, expect

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

PHONE = {"width": 390, "height": 844}

_MISPLACED_CHECKBOXES = """() => {
  // The boxes of the text of a label (not of the input it may wrap), line by line.
  const textBoxes = (label) => {
    const boxes = [];
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      boxes.push(...Array.from(range.getClientRects()).filter((r) => r.width && r.height));
    }
    return boxes;
  };
  const gap = (a, b) => Math.hypot(Math.max(0, a.left - b.right, b.left - a.right),
                                   Math.max(0, a.top - b.bottom, b.top - a.bottom));
  const nearest = (box, boxes) => Math.min(...boxes.map((b) => gap(box, b)));
  const shown = (e) => e.getClientRects().length > 0;
  const labels = Array.from(document.querySelectorAll("label")).filter(shown)
    .map((label) => [label, textBoxes(label)]).filter(([, boxes]) => boxes.length);
  const problems = [];
  for (const input of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    if (!shown(input)) continue;
    const name = input.id || `${input.name}=${input.value}`;
    const own = input.labels && input.labels[0];
    const ownBoxes = own ? textBoxes(own) : [];
    if (!ownBoxes.length) { problems.push(`${name}: no label with text`); continue; }
    const box = input.getBoundingClientRect();
    const first = ownBoxes.reduce((a, b) => (b.top < a.top ? b : a));
    const middle = (box.top + box.bottom) / 2;
    if (middle < first.top || middle > first.bottom) {
      problems.push(`${name}: the box (${box.top}-${box.bottom}) is not on the line of`
                    + ` its label's first line (${first.top}-${first.bottom})`);
    }
    const mine = nearest(box, ownBoxes);
    for (const [label, boxes] of labels) {
      if (label !== own && nearest(box, boxes) <= mine) {
        problems.push(`${name}: as near to "${label.textContent.trim()}" as to its own`
                      + ` label "${own.textContent.trim()}"`);
      }
    }
  }
  return problems;
}"""

_OVERFLOW = """(width) => {
  // What sticks out of the screen, leaving out what is inside something that scrolls
  // sideways on purpose (a wide table's region, the pool's tabs) and the skip link, which
  // waits off the screen until it has the focus.
  const scrolls = (e) => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX);
  const inScroller = (e) => {
    for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const wider = [];
  for (const e of document.querySelectorAll("body *")) {
    const box = e.getBoundingClientRect();
    if (!box.width || e.matches(".skip") || inScroller(e)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      const classes = e.classList.length ? "." + Array.from(e.classList).join(".") : "";
      wider.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${classes}`
                 + ` ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wider: wider.slice(0, 12)};
}"""


FARM: dict[str, Any] = {
    "id": "farm",
    "tasks": [
        {"id": "milking_at_dawn", "project": "farm", "fixed_hours": 6},
        {"id": "fence_mending", "project": "farm", "fixed_hours": 3},
        {"id": "weeding", "project": "farm"},
    ],
    "goods": [
        {"id": "cargo_bike_weekend", "project": "farm", "model": "auction", "capacity": 1,
         "recipe": {"weeding": 1}},
        {"id": "tandem_weekend", "project": "farm", "model": "auction", "capacity": 1,
         "recipe": {"weeding": 1}},
        {"id": "farmhouse_loaf", "project": "farm", "model": "effort", "product_type": "bread",
         "recipe": {"weeding": 0.5}},
        {"id": "sourdough", "project": "farm", "model": "effort", "product_type": "bread",
         "recipe": {"weeding": 0.4}},
    ],
}
"""A farm with the names of ``examples/demo.json``: long words that do not break."""


@pytest.fixture(scope="module")
def pools(api: APIRequestContext) -> None:
    """*seaside* (cleared: ben has assignments and logged work) and *hillside* (collecting:
    the wish form), both farming."""
    ana, ben, cleo = (api_as(api, name, sign_up=True) for name in ("ana", "ben", "cleo"))
    ana.post("/pools", {"name": "seaside", "public": True})
    ana.post("/pools/seaside/projects", FARM)
    for member in (ben, cleo):
        code = ana.post("/pools/seaside/invitations", {})["code"]
        member.post(f"/invitations/{code}/accept")
    for who, task, hours, weight in [
        (ben, "milking_at_dawn", 4, 1.0), (ben, "fence_mending", 3, 1.0),
        (ben, "weeding", 2, 1.0), (cleo, "milking_at_dawn", 3, 1.5), (cleo, "weeding", 2, 1.2),
    ]:
        who.call("PUT", f"/pools/seaside/offers/{task}", {"hours": hours, "min_weight": weight})
    ben.post("/pools/seaside/wishes",
             {"alternatives": [{"good": "cargo_bike_weekend", "max_cost": 6}]})
    cleo.post("/pools/seaside/wishes",
              {"quantity": 2, "alternatives": [{"good": "farmhouse_loaf"}]})
    ana.post("/pools/seaside/period/clear", expected=200)
    ben.post("/pools/seaside/work", {"task": "milking_at_dawn", "hours": 3})

    ana.post("/pools", {"name": "hillside", "admission": "open", "public": True})
    ana.post("/pools/hillside/projects", FARM)
    ben.post("/pools/hillside/join")
    ben.post("/pools/hillside/wishes",
             {"alternatives": [{"good": "tandem_weekend", "max_cost": 5}]})


@pytest.fixture(scope="module")
def signed_in(people: People, pools: None) -> Callable[[str], Person]:
    return signed_in_once(people)


def misplaced_checkboxes(page: Page) -> list[str]:
    found: Any = page.evaluate(_MISPLACED_CHECKBOXES)
    return list(found)


@pytest.mark.parametrize("width", [1024, 390])
@pytest.mark.parametrize(("who", "path"), [
    ("ana", "/pools/seaside/projects"), ("ben", "/pools/seaside"), ("ben", "/account"),
    ("ana", "/"), ("ben", "/pools/hillside/goods"),
], ids=lambda part: str(part).strip("/").replace("/", "-") or "home")
def test_each_checkbox_is_on_the_line_of_its_own_label(
    who: str, path: str, width: int, signed_in: Callable[[str], Person], shots: Shots
) -> None:
    person = signed_in(who)
    person.page.set_viewport_size({"width": width, "height": 844})
    page = person.go(path)
    expect(page.get_by_role("checkbox").first).to_be_visible()
    shots.take(page, f"checkboxes {who} {path} {width}")
    assert misplaced_checkboxes(page) == []


def test_the_settings_say_what_each_ticked_box_means(
    signed_in: Callable[[str], Person]
) -> None:
    """The communal validation's box, ticked, is beside its own words, not the public's."""
    page = signed_in("ana").go("/pools/seaside/projects")
    validation = page.get_by_role("checkbox", name="Logged work counts once a second member")
    public = page.get_by_role("checkbox", name="People outside the pool may see")
    expect(validation).to_be_visible()
    own, other = (page.get_by_text(text, exact=False).last.bounding_box() for text in (
        "Logged work counts once a second member confirms it",
        "People outside the pool may see its plans"))
    box = validation.bounding_box()
    assert box is not None and own is not None and other is not None
    assert own["y"] <= box["y"] + box["height"] / 2 <= own["y"] + own["height"]
    assert not other["y"] <= box["y"] + box["height"] / 2 <= other["y"] + other["height"]
    assert public.bounding_box() is not None


@pytest.mark.parametrize("width", [390, 360])
@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("who", "path"), [
    ("ben", "/pools/hillside/goods"), ("ben", "/pools/seaside"), ("ana", "/pools/seaside"),
    ("ben", "/pools/seaside/goods"), ("ana", "/pools/seaside/projects"),
    ("ana", "/pools/seaside/period"), ("ben", "/pools/seaside/tasks"),
], ids=lambda part: str(part).strip("/").replace("/", "-") or "home")
def test_nothing_is_wider_than_a_phone(
    who: str, path: str, lang: str, width: int, signed_in: Callable[[str], Person],
    shots: Shots,
) -> None:
    """At 390 px (the phone of the report) and 360 px (the accessibility test's phone)."""
    person = signed_in(who)
    person.page.set_viewport_size({"width": width, "height": PHONE["height"]})
    page = person.go(f"{path}?lang={lang}")
    shots.take(page, f"phone {who} {path} {lang} {width}")
    seen = page.evaluate(_OVERFLOW, width)
    assert seen["scrollWidth"] <= width, seen
    assert seen["wider"] == [], seen


@pytest.mark.parametrize(("lang", "heading", "credit"), [
    ("en", "My assignments", "Credit"), ("de", "Meine Zuteilungen", "Gutschrift")])
def test_my_assignments_show_the_credit_column_on_a_phone(
    lang: str, heading: str, credit: str, signed_in: Callable[[str], Person]
) -> None:
    ben = signed_in("ben")
    ben.page.set_viewport_size(PHONE)
    page = ben.go(f"/pools/seaside?lang={lang}")
    region = page.get_by_role("region", name=heading)
    table = region.get_by_role("table")
    expect(table.get_by_role("cell", name="milking_at_dawn", exact=True)).to_be_visible()
    cells = [table.get_by_role("columnheader", name=credit),
             *table.get_by_role("row").filter(has_text="_").get_by_role("cell").all()]
    for cell in cells:
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (cell, box)
    # nothing of it is out of sight, to be scrolled to sideways
    hidden = region.evaluate("(e) => e.scrollWidth - e.clientWidth")
    assert hidden <= 0, hidden
