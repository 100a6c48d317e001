"""Every field of every form has a name a screen reader says: a ``<label for=...>``, a label
around it, or an ``aria-label``; ids are unique, so that each label finds its field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from browsing import Browser, clear

People = dict[str, Browser]
UNNAMED_INPUTS = frozenset({"hidden", "submit", "button", "reset", "image"})


@dataclass(frozen=True)
class Control:
    tag: str
    attrs: dict[str, str | None]
    in_label: bool

    def __str__(self) -> str:
        return "<" + " ".join([self.tag, *(f'{k}="{v}"' for k, v in self.attrs.items())]) + ">"


class Fields(HTMLParser):
    """The form fields of a page, the ids its labels point at and every id on it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.controls: list[Control] = []
        self.labelled: set[str] = set()
        self.ids: list[str] = []
        self._open_labels = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "label":
            self._open_labels += 1
            if found.get("for"):
                self.labelled.add(str(found["for"]))
        elif tag in ("select", "textarea") or (
            tag == "input" and (found.get("type") or "text") not in UNNAMED_INPUTS
        ):
            self.controls.append(Control(tag, found, self._open_labels > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1

    def unnamed(self) -> list[str]:
        """The fields no label or ``aria-label`` names."""
        return [
            str(c) for c in self.controls
            if not (c.in_label or c.attrs.get("id") in self.labelled
                    or c.attrs.get("aria-label") or c.attrs.get("aria-labelledby"))
        ]

    def repeated_ids(self) -> list[str]:
        return sorted({i for i in self.ids if self.ids.count(i) > 1})


@pytest.fixture
def pages(collected: People, browser: Callable[[], Browser]) -> list[tuple[str, str]]:
    """(where, HTML) of each page with forms, as ana, ben and a stranger see them, while the
    period collects and once it is cleared (when work is logged and confirmed)."""
    ana, ben = collected["ana"], collected["ben"]
    stranger = browser()
    seen = [(url, stranger.page(url)) for url in ("/", "/signin", "/signup")]
    seen += [(url, ana.page(url)) for url in ("/", "/account")]
    pool_pages = ["/pools/seaside" + p for p in ("", "/tasks", "/goods", "/hints", "/ledger",
                                                 "/projects", "/period")]
    seen += [(url + " (collecting)", ana.page(url)) for url in pool_pages]
    ana.post("/pools/seaside/projects", {"project": "x", "tasks": "?? ??? ?"},
             form_on="/pools/seaside/projects")  # the form again, with the mistake said
    seen.append(("/pools/seaside/projects (a mistake)", ana.page("/pools/seaside/projects")))
    clear(ana)
    ben.submit("/pools/seaside/work", {"task": "garden", "hours": "2"},
               form_on="/pools/seaside")
    seen += [(url + " (cleared)", ana.page(url)) for url in pool_pages]
    return seen


def test_every_form_field_has_a_label(pages: list[tuple[str, str]]) -> None:
    assert sum(len(Fields(html).controls) for _, html in pages) > 30  # there are forms
    unnamed = {where: found for where, html in pages if (found := Fields(html).unnamed())}
    assert unnamed == {}


def test_no_id_is_given_twice_on_a_page(pages: list[tuple[str, str]]) -> None:
    repeated = {where: found for where, html in pages if (found := Fields(html).repeated_ids())}
    assert repeated == {}


def test_the_check_itself_finds_a_field_without_a_label() -> None:
    assert Fields('<label for="a">A</label><input id="a">'
                  '<label>B <input type="checkbox"></label>'
                  '<input type="hidden" name="csrf_token">'
                  '<select aria-label="C"></select>').unnamed() == []
    assert Fields('<label>A</label><input id="a" name="a"><textarea></textarea>').unnamed() == [
        '<input id="a" name="a">', "<textarea>"]
