"""Browsing the pages as a person does (shared by the page tests): a browser of one's own
that goes through the forms with their CSRF tokens, and the steps of the seaside flats'
period (offers, wishes, clearing) taken on the pages.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any, Final

from fastapi.testclient import TestClient
from httpx2 import Response

from peerconomy.domain.pool import WorkLog
from peerconomy.web.rendering import day

__all__ = [
    "BLANK",
    "HX",
    "TIMES",
    "Browser",
    "clear",
    "day_of",
    "invite",
    "offer",
    "rows_of",
    "sign_up",
    "text_of",
    "wish",
]

BLANK: Final = "\N{EN DASH}"
"""What a page shows where there is no value."""
TIMES: Final = "\N{MULTIPLICATION SIGN}"
"""As in "2 \N{MULTIPLICATION SIGN} guest-bed"."""
HX: Final = {"HX-Request": "true"}
"""The header htmx sends with its requests (a page answers them with a fragment)."""

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def day_of(log: WorkLog) -> str:
    """The day a work row on the pages names for ``log``, in English (``Mon, Dec 7``)."""
    assert log.worked_on is not None
    return day(log.worked_on)


class Browser:
    """One person's browser: a client with its own cookies that does not follow redirects."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **headers: str) -> Response:
        return self.client.get(url, headers=headers)

    def page(self, url: str, **headers: str) -> str:
        """The page's HTML; it must be there (200)."""
        answer = self.get(url, **headers)
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:500])
        return answer.text

    def text(self, url: str, **headers: str) -> str:
        """What the page at ``url`` says (its text, as :func:`text_of` reads it)."""
        return text_of(self.page(url, **headers))

    def csrf(self, url: str = "/") -> str:
        """The CSRF token in the forms of the page at ``url``."""
        found = _TOKEN.search(self.page(url))
        assert found is not None, f"no form with a CSRF token on {url}"
        return found.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, *, form_on: str = "/",
             token: str | None = None, **headers: str) -> Response:
        """Post a form as a browser would, with the token of the page ``form_on`` (or
        ``token``, which may be wrong or empty, to see a forged post refused)."""
        fields = dict(data or {})
        fields["csrf_token"] = self.csrf(form_on) if token is None else token
        return self.client.post(url, data=fields, headers=headers)

    def submit(self, url: str, data: dict[str, Any] | None = None, *, form_on: str = "/"
               ) -> str:
        """Post a form that must succeed (303); where it leads."""
        answer = self.post(url, data, form_on=form_on)
        assert answer.status_code == 303, (url, answer.status_code, answer.text[:800])
        return answer.headers["location"]


_INLINE: Final = frozenset({"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"})


class _Reader(HTMLParser):
    """The text of a page, and the cells of its tables' rows."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping -= 1
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def text_of(html: str) -> str:
    """The text a reader sees of ``html``: tags dropped, white space made single spaces.

    >>> text_of("<p>Your share:\\n <strong>4.4</strong> h</p><p>Next</p><script>x()</script>")
    'Your share: 4.4 h Next'
    """
    return " ".join("".join(_read(html).parts).split())


def rows_of(html: str) -> list[list[str]]:
    """The text of each cell of each table row in ``html``, row by row.

    >>> rows_of("<table><tr><th>who</th><th>balance</th></tr><tr><td>ana</td>"
    ...         "<td>-1.1</td></tr></table>")
    [['who', 'balance'], ['ana', '-1.1']]
    """
    return _read(html).rows


def sign_up(who: Browser, name: str) -> Browser:
    """Make an account through the sign-up form, then sign in (sign-up signs nobody in: it
    answers the same whether or not the email has an account); on the home page."""
    answer = who.post("/signup", {"name": name, "email": f"{name}@seaside.example",
                                  "password": f"{name} by the sea", "next": "/"},
                      form_on="/signup")
    assert answer.status_code == 200, answer.text[:800]
    who.page(who.submit("/signin", {"login": name, "password": f"{name} by the sea",
                                    "next": "/"}, form_on="/signin"))
    return who


def invite(coordinator: Browser, pool: str = "seaside", role: str = "member") -> str:
    """An invitation link made on the period page; the path it points to."""
    coordinator.submit(f"/pools/{pool}/invitations", {"role": role, "days": "7"},
                       form_on=f"/pools/{pool}/period")
    link = re.search(r'id="invitation-link">([^<]+)<', coordinator.page(f"/pools/{pool}/period"))
    assert link is not None
    return "/invitations/" + link.group(1).rsplit("/invitations/", 1)[1]


def offer(who: Browser, task: str, hours: float, min_weight: float) -> None:
    """Offer hours on a task of the seaside flats, from the Tasks page."""
    who.submit(f"/pools/seaside/offers/{task}", {"hours": hours, "min_weight": min_weight},
               form_on="/pools/seaside/tasks")


def wish(who: Browser, *alternatives: str, quantity: int = 1, **max_costs: float) -> None:
    """Wish for goods of the seaside flats, from the Goods page: ``alternatives`` as the
    form's checkboxes say them (``good:sea-view``), the most one would contribute by the
    good's name (``sea_view=6``)."""
    data: dict[str, Any] = {"alternative": list(alternatives), "quantity": quantity}
    for choice in alternatives:
        name = choice.split(":", 1)[1].replace("-", "_")
        if name in max_costs:
            data[f"max_cost:{choice}"] = max_costs[name]
    who.submit("/pools/seaside/wishes", data, form_on="/pools/seaside/goods")


def clear(coordinator: Browser, pool: str = "seaside") -> None:
    """Clear the period from the period page and wait for the plan, as the page polls."""
    coordinator.submit(f"/pools/{pool}/period/clear", form_on=f"/pools/{pool}/period")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = coordinator.get(f"/pools/{pool}/period/clearing", **HX)
        assert status.status_code == 200, status.text
        if status.headers.get("HX-Refresh") == "true":
            return
        time.sleep(0.01)
    raise AssertionError("the clearing did not finish")
