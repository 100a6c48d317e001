"""The hint board as an Atom feed (RFC 4287), for members who follow their pool in a reader.

One entry per hint of the latest plan: task hours nobody covers (most wanted first), open
slots on the coming shifts (by date), wishes nobody could meet, goods made beyond or short of
what was wished. An entry's id names the
pool, the period and the hint, so a reader shows a hint once per period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from peerconomy.domain.names import Labels
from peerconomy.services.hints import HintBoard

__all__ = ["ATOM", "atom_feed"]

ATOM = "http://www.w3.org/2005/Atom"
Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _count(value: float) -> int:
    """What a plural form is chosen by: 1 for exactly one (hour, unit), else 2 (also for
    fractions: "0.5 hours", "1.5 hours")."""
    return 1 if float(value) == 1 else 2


def _entries(board: HintBoard, names: Labels, _: Gettext, ngettext: Ngettext
             ) -> list[tuple[str, str, str]]:
    """(key, title, summary) of each hint, in the board's order; the key by ids, the title
    and summary by the names people read."""
    entries: list[tuple[str, str, str]] = []
    for h in board.uncovered:
        entries.append((
            f"uncovered/{h['task']}",
            ngettext("%(hours)s open hour of %(task)s", "%(hours)s open hours of %(task)s",
                     _count(h["hours"])) % {"hours": _n(h["hours"]), "task": names.task(h["task"])},
            _("Nobody has offered these hours yet; they are credited at a weight of"
              " %(weight)s.") % {"weight": _n(h["weight"])},
        ))
    for o in board.open_slots:
        shift = o.shift
        entries.append((
            f"open-slot/{shift.id}",
            ngettext("%(free)s open place: %(task)s on %(date)s, %(start)s to %(end)s",
                     "%(free)s open places: %(task)s on %(date)s, %(start)s to %(end)s",
                     o.free) % {"free": o.free, "task": names.task(shift.task),
                                "date": shift.day.isoformat(),
                                "start": shift.start.isoformat("minutes"),
                                "end": shift.end.isoformat("minutes")},
            _("Project %(project)s, at %(place)s: take a place on the hint board.") % {
                "project": names.project(o.project),
                "place": shift.place or "\N{EN DASH}"},
        ))
    for h in board.unmet_wishes:
        entries.append((
            f"unmet/{h['good']}",
            ngettext("%(units)s unit of %(good)s wished for but not made",
                     "%(units)s units of %(good)s wished for but not made",
                     _count(h["units"])) % {"units": _n(h["units"]),
                                           "good": names.good(h["good"])},
            _("More were wished for than the pool could make."),
        ))
    for kind in ("overproduction", "underproduction"):
        hints: list[dict[str, Any]] = getattr(board, kind)
        for h in hints:
            what = h.get("good") or h.get("product_type") or "?"
            shown = names.good(h["good"]) if h.get("good") else what
            n = _count(h["units"])
            said = (
                ngettext("%(units)s unit of %(what)s made beyond what was wished",
                         "%(units)s units of %(what)s made beyond what was wished", n)
                if kind == "overproduction" else
                ngettext("%(units)s unit of %(what)s short of what was wished",
                         "%(units)s units of %(what)s short of what was wished", n)
            )
            entries.append((
                f"{kind}/{what}",
                said % {"units": _n(h["units"]), "what": shown},
                _("Project: %(project)s") % {
                    "project": names.project(h["project"]) if h.get("project")
                    else "\N{EN DASH}"},
            ))
    return entries


def _n(value: float) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def atom_feed(
    board: HintBoard, *, link: str, updated: datetime, title: str, gettext: Gettext,
    ngettext: Ngettext = _english_plural, names: Labels | None = None,
    self_link: str | None = None,
) -> str:
    """The board as Atom XML; ``link`` is the hint board page's full address, ``self_link``
    the feed's own (by default ``link`` with ``.atom``: a secret address names itself);
    ``gettext`` and ``ngettext`` translate its words; ``names`` are the pool's names people
    read (None: ids only)."""
    names = names or Labels(board.pool)
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
    add(feed, "link", href=self_link or link + ".atom", rel="self",
        type="application/atom+xml")
    author = add(feed, "author")
    add(author, "name", f"peerconomy: {names.pool}")
    for key, entry_title, summary in _entries(board, names, gettext, ngettext):
        entry = add(feed, "entry")
        add(entry, "id", f"{link}#period-{board.period}/{quote(key, safe='/')}")
        add(entry, "title", entry_title)
        add(entry, "updated", stamp)
        add(entry, "link", href=link, rel="alternate", type="text/html")
        add(entry, "summary", summary)
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
