"""Page tests on the in-memory store: the seaside flats, a housing co-op with shared chores
(the stairs, the garden, the laundry) and one sea-view room that everybody wants.

Each person browses with a client of their own (their own cookies) and goes through the
forms as a browser does: fetch the page, take the CSRF token from its form, post (see
:mod:`browsing`). Root signed up first and is the site admin; ana founded the pool
``seaside`` and coordinates it; ben joined by ana's invitation link; cleo has an account but
is not in the pool.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from http.cookiejar import Cookie
from typing import Any

import pytest
from browsing import Browser, clear, invite, offer, sign_up, wish
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fakes import quick_hashing
from peerconomy.asgi import create_app
from peerconomy.domain.scenario import Good, Task, parse_part
from peerconomy.http.settings import AppSettings
from peerconomy.services import projects, users
from peerconomy.store.memory import MemoryStore
from peerconomy.web.clearing import ClearingJobs

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


@pytest.fixture(autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """Argon2 at its least cost: every page test signs people up and in, and the hashing is
    not what these tests are about (the accounts service's tests run it at full cost)."""
    with quick_hashing():
        yield


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture(scope="session")
def site() -> FastAPI:
    """The application the page tests share (making one takes longer than most tests)."""
    return create_app(MemoryStore(), AppSettings(signup="open", secret_key="seaside test key"),
                      pages=True)


@pytest.fixture
def app(site: FastAPI, store: MemoryStore) -> FastAPI:
    """The application on this test's own store, with no clearing running."""
    site.state.store = store
    site.state.clearing = ClearingJobs()
    return site


def _browsers(app: FastAPI, clients: ExitStack) -> Callable[[], Browser]:
    def make() -> Browser:
        # Entered, a client keeps one event loop for all its requests (much faster).
        return Browser(clients.enter_context(TestClient(app, follow_redirects=False)))

    return make


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Callable[[], Browser]]:
    """A factory of browsers on the app (each with its own cookies)."""
    with ExitStack() as clients:
        yield _browsers(app, clients)


def _sign_up_the_seaside_people(browser: Callable[[], Browser], store: MemoryStore
                                ) -> dict[str, Browser]:
    signed = {name: sign_up(browser(), name) for name in ("root", "ana", "ben", "cleo")}
    users.set_admin(store.unit_of_work(), "root", True)
    ana, ben = signed["ana"], signed["ben"]
    ana.submit("/pools", {"name": "seaside", "admission": "approval"})
    projects.join_project(
        store.unit_of_work(), "seaside", "flats",
        [parse_part(Task, t) for t in TASKS], [parse_part(Good, g) for g in GOODS],
    )
    link = invite(ana)
    assert ben.submit(link, form_on=link) == "/pools/seaside"
    return signed


def _collect_offers_and_wishes(people: dict[str, Browser]) -> None:
    ana, ben = people["ana"], people["ben"]
    offer(ana, "stairs", 3, 1.0)
    offer(ana, "laundry", 2, 1.0)
    offer(ben, "stairs", 2, 1.5)
    offer(ben, "garden", 2, 1.0)
    offer(ben, "laundry", 2, 1.2)
    wish(ana, "good:sea-view", sea_view=6)
    wish(ben, "good:sea-view", sea_view=4)
    wish(ben, "good:guest-bed", quantity=2)


@dataclass(frozen=True)
class Saved:
    """The seaside as the pages left it at one step: the store's state and every person's
    cookies (their signed sessions), to start a test from without taking the steps again."""

    state: Any
    cookies: dict[str, list[Cookie]]

    @classmethod
    def of(cls, store: MemoryStore, people: dict[str, Browser]) -> Saved:
        return cls(store.state.copy(),
                   {name: list(who.client.cookies.jar) for name, who in people.items()})

    def restore(self, store: MemoryStore, people: dict[str, Browser]) -> dict[str, Browser]:
        store.state = self.state.copy()
        for name, who in people.items():
            who.client.cookies.clear()
            for cookie in self.cookies[name]:
                who.client.cookies.jar.set_cookie(copy.copy(cookie))
        return people


@pytest.fixture(scope="session")
def seaside_steps(site: FastAPI) -> dict[str, Saved]:
    """The seaside taken through the pages once a test session: ``people`` and
    ``collected`` as their fixtures say (each test starts from a copy)."""
    store = MemoryStore()
    test_s = site.state.store, site.state.clearing  # a test may have begun already
    site.state.store, site.state.clearing = store, ClearingJobs()
    try:
        with quick_hashing(), ExitStack() as clients:
            people = _sign_up_the_seaside_people(_browsers(site, clients), store)
            saved = {"people": Saved.of(store, people)}
            _collect_offers_and_wishes(people)
            saved["collected"] = Saved.of(store, people)
    finally:
        site.state.store, site.state.clearing = test_s
    return saved


@pytest.fixture
def people(seaside_steps: dict[str, Saved], browser: Callable[[], Browser],
           store: MemoryStore) -> dict[str, Browser]:
    """Root, ana (coordinator of seaside, with the flats project), ben (member by invitation)
    and cleo (outsider), each signed in in a browser of their own; period 1 collects.

    They signed up on the sign-up page; ana founded the pool on the home page and made an
    invitation link on the period page, which ben followed (see
    :func:`_sign_up_the_seaside_people`; a test starts from a copy of what that left)."""
    return seaside_steps["people"].restore(
        store, {name: browser() for name in ("root", "ana", "ben", "cleo")})


@pytest.fixture
def collected(seaside_steps: dict[str, Saved], people: dict[str, Browser],
              store: MemoryStore) -> dict[str, Browser]:
    """The seaside flats with everyone's offers and wishes in, made on the Tasks and Goods
    pages: ana offers 3 h of stairs and 2 h of laundry at a weight of 1; ben 2 h of stairs at
    1.5, 2 h of the garden at 1 and 2 h of laundry at 1.2. Ana and ben both want the sea-view
    room (ana would contribute up to 6 h, ben 4 h); ben wants two guest beds (see
    :func:`_collect_offers_and_wishes`)."""
    return seaside_steps["collected"].restore(store, people)


@pytest.fixture
def cleared(collected: dict[str, Browser]) -> dict[str, Browser]:
    """Period 1 cleared. The plan: ana does 3 h of stairs and 2 h of laundry, ben 1 h of
    stairs and 2 h of the garden; stairs weigh 1.5, the rest 1. Ana gets the sea-view room,
    ben his two guest beds; ana's share is 6.5 h, ben's 3.5 h (10 h in all: the sea-view
    room's premium of 3 h comes back to both, 1.5 h each)."""
    clear(collected["ana"])
    return collected


@pytest.fixture
def settled(cleared: dict[str, Browser]) -> dict[str, Browser]:
    """Period 1 settled, period 2 collecting: ben worked his 2 h in the garden (credit 2) and
    ana her 3 h on the stairs (credit 4.5), each confirmed by the other; the 1 h of stairs
    ben was assigned and ana's 2 h of laundry were not done. Balances: ana -2, ben -1.5,
    the pool +3.5."""
    ana, ben = cleared["ana"], cleared["ben"]
    ben.submit("/pools/seaside/work", {"task": "garden", "hours": "2"}, form_on="/pools/seaside")
    ana.submit("/pools/seaside/work", {"task": "stairs", "hours": "3"}, form_on="/pools/seaside")
    ana.submit("/pools/seaside/work/1/confirm", form_on="/pools/seaside")
    ben.submit("/pools/seaside/work/2/confirm", form_on="/pools/seaside")
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")
    return cleared
