"""Page tests on the in-memory store: the seaside flats, a housing co-op with shared chores
(the stairs, the garden, the laundry) and one sea-view room that everybody wants.

Each person browses with a client of their own (their own cookies) and goes through the
forms as a browser does: fetch the page, take the CSRF token from its form, post. Root signed
up first and is the site admin; ana founded the pool ``seaside`` and coordinates it; ben
joined by ana's invitation link; cleo has an account but is not in the pool.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from peerconomy.api import AppSettings, create_app
from peerconomy.domain.scenario import Good, Task, parse_part
from peerconomy.services import projects
from peerconomy.store.memory import MemoryStore

TASKS: list[dict[str, Any]] = [
    {"id": "stairs", "project": "flats", "fixed_hours": 4},
    {"id": "garden", "project": "flats", "fixed_hours": 2},
    {"id": "laundry", "project": "flats"},
]
GOODS: list[dict[str, Any]] = [
    {"id": "sea-view", "project": "flats", "model": "auction", "capacity": 1,
     "recipe": {"laundry": 1}},
    {"id": "guest-bed", "project": "flats", "model": "effort", "recipe": {"laundry": 0.5}},
]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


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


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def app(store: MemoryStore) -> Any:
    return create_app(store, AppSettings(secret_key="seaside test key"), pages=True)


@pytest.fixture
def browser(app: Any) -> Iterator[Any]:
    """A factory of browsers on the app (each with its own cookies)."""
    clients: list[TestClient] = []

    def make() -> Browser:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return Browser(client)

    yield make
    for client in clients:
        client.close()


def sign_up(who: Browser, name: str) -> Browser:
    """Make an account through the sign-up form (signed in afterwards)."""
    who.submit("/signup", {"name": name, "email": f"{name}@seaside.example",
                           "password": f"{name} by the sea", "next": "/"}, form_on="/signup")
    return who


def invite(coordinator: Browser, pool: str = "seaside", role: str = "member") -> str:
    """An invitation link made on the period page; the path it points to."""
    coordinator.submit(f"/pools/{pool}/invitations", {"role": role, "days": "7"},
                       form_on=f"/pools/{pool}/period")
    link = re.search(r'id="invitation-link">([^<]+)<', coordinator.page(f"/pools/{pool}/period"))
    assert link is not None
    return "/invitations/" + link.group(1).rsplit("/invitations/", 1)[1]


@pytest.fixture
def people(browser: Any, store: MemoryStore) -> dict[str, Browser]:
    """Root, ana (coordinator of seaside, with the flats project), ben (member by invitation)
    and cleo (outsider), each signed in in a browser of their own; period 1 collects."""
    signed = {name: sign_up(browser(), name) for name in ("root", "ana", "ben", "cleo")}
    ana, ben = signed["ana"], signed["ben"]
    ana.submit("/pools", {"name": "seaside", "admission": "approval"})
    projects.join_project(
        store.unit_of_work(), "seaside", "flats",
        [parse_part(Task, t) for t in TASKS], [parse_part(Good, g) for g in GOODS],
    )
    link = invite(ana)
    assert ben.submit(link, form_on=link) == "/pools/seaside"
    return signed


def offer(who: Browser, task: str, hours: float, min_weight: float) -> None:
    who.submit(f"/pools/seaside/offers/{task}", {"hours": hours, "min_weight": min_weight},
               form_on="/pools/seaside/tasks")


def wish(who: Browser, *alternatives: str, quantity: int = 1, **max_costs: float) -> None:
    data: dict[str, Any] = {"alternative": list(alternatives), "quantity": quantity}
    for choice in alternatives:
        name = choice.split(":", 1)[1].replace("-", "_")
        if name in max_costs:
            data[f"max_cost:{choice}"] = max_costs[name]
    who.submit("/pools/seaside/wishes", data, form_on="/pools/seaside/goods")


@pytest.fixture
def collected(people: dict[str, Browser]) -> dict[str, Browser]:
    """The seaside flats with everyone's offers and wishes in: ana and ben both want the
    sea-view room (ana would contribute up to 6 h, ben 4 h); ben wants two guest beds."""
    ana, ben = people["ana"], people["ben"]
    offer(ana, "stairs", 3, 1.0)
    offer(ana, "laundry", 2, 1.0)
    offer(ben, "stairs", 2, 1.5)
    offer(ben, "garden", 2, 1.0)
    offer(ben, "laundry", 2, 1.2)
    wish(ana, "good:sea-view", sea_view=6)
    wish(ben, "good:sea-view", sea_view=4)
    wish(ben, "good:guest-bed", quantity=2)
    return people


def clear(coordinator: Browser, pool: str = "seaside") -> None:
    """Clear the period from the period page and wait for the plan, as the page polls."""
    coordinator.submit(f"/pools/{pool}/period/clear", form_on=f"/pools/{pool}/period")
    for _ in range(200):
        status = coordinator.get(f"/pools/{pool}/period/clearing", **{"HX-Request": "true"})
        if status.headers.get("HX-Refresh") == "true":
            return
        import time

        time.sleep(0.02)
    raise AssertionError("the clearing did not finish")
