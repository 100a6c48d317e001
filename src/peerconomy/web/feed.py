"""The hint board as an Atom feed (RFC 4287), for members who follow their pool in a reader.

One entry per hint of the latest plan: task hours nobody covers (most wanted first), wishes
nobody could meet, goods made beyond or short of what was wished. An entry's id names the
pool, the period and the hint, so a reader shows a hint once per period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from peerconomy.services.hints import HintBoard

__all__ = ["ATOM", "atom_feed"]

ATOM = "http://www.w3.org/2005/Atom"
Gettext = Callable[[str], str]


def _entries(board: HintBoard, _: Gettext) -> list[tuple[str, str, str]]:
    """(key, title, summary) of each hint, in the board's order."""
    entries: list[tuple[str, str, str]] = []
    for h in board.uncovered:
        entries.append((
            f"uncovered/{h['task']}",
            _("%(hours)s open hours of %(task)s") % {"hours": _n(h["hours"]), "task": h["task"]},
            _("Nobody has offered these hours yet; they are credited at a weight of"
              " %(weight)s.") % {"weight": _n(h["weight"])},
        ))
    for h in board.unmet_wishes:
        entries.append((
            f"unmet/{h['good']}",
            _("%(units)s units of %(good)s wished for but not made") % {
                "units": _n(h["units"]), "good": h["good"]},
            _("More were wished for than the pool could make."),
        ))
    for kind, said in (
        ("overproduction", _("%(units)s units of %(what)s made beyond what was wished")),
        ("underproduction", _("%(units)s units of %(what)s short of what was wished")),
    ):
        hints: list[dict[str, Any]] = getattr(board, kind)
        for h in hints:
            what = h.get("good") or h.get("product_type") or "?"
            entries.append((
                f"{kind}/{what}",
                said % {"units": _n(h["units"]), "what": what},
                _("Project: %(project)s") % {"project": h.get("project") or "\N{EN DASH}"},
            ))
    return entries


def _n(value: float) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def atom_feed(
    board: HintBoard, *, link: str, updated: datetime, title: str, gettext: Gettext
) -> str:
    """The board as Atom XML; ``link`` is the hint board page's full address."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def add(parent: ElementTree.Element, tag: str, text: str | None = None,
            **attributes: str) -> ElementTree.Element:
        child = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        child.text = text
        return child

    stamp = updated.isoformat()
    add(feed, "id", link)
    add(feed, "title", title)
    add(feed, "updated", stamp)
    add(feed, "link", href=link, rel="alternate", type="text/html")
    add(feed, "link", href=link + ".atom", rel="self", type="application/atom+xml")
    author = add(feed, "author")
    add(author, "name", f"peerconomy: {board.pool}")
    for key, entry_title, summary in _entries(board, gettext):
        entry = add(feed, "entry")
        add(entry, "id", f"{link}#period-{board.period}/{quote(key, safe='/')}")
        add(entry, "title", entry_title)
        add(entry, "updated", stamp)
        add(entry, "link", href=link, rel="alternate", type="text/html")
        add(entry, "summary", summary)
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
