"""What the end-to-end tests share: the server they drive, people at browsers of their own,
numbered screenshots and API tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import APIRequestContext, Browser, BrowserContext, Dialog, Page, expect
from playwright.sync_api import Error as PlaywrightError

__all__ = [
    "FLATS",
    "ORCHARD",
    "ORCHARD_PLACE",
    "Api",
    "People",
    "Person",
    "Server",
    "Shots",
    "accept_the_confirmation",
    "api_as",
    "email_of",
    "password_of",
]

ORCHARD: dict[str, Any] = {
    "id": "orchard",
    "tasks": [{"id": "harvest", "project": "orchard", "fixed_hours": 4}],
    "goods": [{"id": "apples", "project": "orchard", "model": "effort",
               "recipe": {"harvest": 0.5}}],
}
"""An orchard whose apples take half an hour's harvest each: the shift pages' project."""
ORCHARD_PLACE = ("Streuobstwiese Ναυτίλος 名前 " * 4)[:100]
"""A place at its longest (100 characters), in three scripts: it must wrap on a phone."""

FLATS: dict[str, Any] = {
    "id": "flats",
    "tasks": [
        {"id": "stairs", "project": "flats", "fixed_hours": 4},
        {"id": "garden", "project": "flats", "fixed_hours": 2},
        {"id": "laundry", "project": "flats"},
    ],
    "goods": [
        {"id": "sea-view", "project": "flats", "model": "auction", "capacity": 1,
         "recipe": {"laundry": 1}},
        {"id": "guest-bed", "project": "flats", "model": "effort", "recipe": {"laundry": 0.5}},
    ],
}
"""The seaside flats: chores, and two goods of which the sea-view room is scarce."""


@dataclass(frozen=True, slots=True)
class Server:
    """A running ``peerconomy serve``: where it answers and where it logs."""

    url: str
    log: Path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Shots:
    """Numbered full-page screenshots in one folder."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Page, step: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{_slug(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@dataclass
class Person:
    """Someone at their own browser: a context with its own cookies and one page."""

    name: str
    context: BrowserContext
    page: Page
    shots: Shots

    @property
    def password(self) -> str:
        return password_of(self.name)

    @property
    def email(self) -> str:
        return email_of(self.name)

    def go(self, path: str) -> Page:
        self.page.goto(path)
        return self.page

    def snap(self, step: str) -> Path:
        """A full-page screenshot of what this person sees now."""
        return self.shots.take(self.page, f"{self.name} {step}")

    def sign_up(self) -> None:
        """Make an account through the sign-up form, then sign in (sign-up answers the same
        whether or not the email has an account, so it signs nobody in)."""
        page = self.go("/signup")
        page.get_by_label("User name").fill(self.name)
        page.get_by_label("Email").fill(self.email)
        page.get_by_label("Password").fill(self.password)
        page.get_by_role("main").get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("status")).to_contain_text("mailed you a link")
        self.sign_in()

    def sign_in(self) -> None:
        """Sign in through the sign-in form."""
        page = self.go("/signin")
        page.get_by_label("User name or email").fill(self.name)
        page.get_by_label("Password").fill(self.password)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name=f"Your account ({self.name})")).to_be_visible()


@dataclass
class People:
    """Makes people, each at a browser context of their own (English pages)."""

    browser: Browser
    server: Server
    shots: Shots
    timeout_ms: float
    made: list[Person] = field(default_factory=list)

    def __call__(self, name: str) -> Person:
        context = self.browser.new_context(base_url=self.server.url, locale="en-GB",
                                           viewport={"width": 1024, "height": 768})
        context.set_default_timeout(self.timeout_ms)
        person = Person(name, context, context.new_page(), self.shots)
        self.made.append(person)
        return person

    def snap_all(self, why: str) -> None:
        """A screenshot of what each person sees now, beside the numbered ones."""
        for person in self.made:
            path = self.shots.folder / f"{_slug(why)}-{person.name}.png"
            try:
                person.page.screenshot(path=str(path), full_page=True)
            except PlaywrightError:  # a page that is gone: nothing to show
                continue

    def close(self) -> None:
        for person in self.made:
            person.context.close()


def signed_in_once(people: People) -> Callable[[str], Person]:
    """A person by name, made and signed in the first time they are asked for, the same one
    after (the pages of a module's tests, seen by its people)."""
    found: dict[str, Person] = {}

    def person(name: str) -> Person:
        if name not in found:
            found[name] = people(name)
            found[name].sign_in()
        return found[name]

    return person


def password_of(name: str) -> str:
    return f"{name} by the sea"


def email_of(name: str) -> str:
    return f"{name}@seaside.example"


@dataclass(frozen=True, slots=True)
class Api:
    """The REST API (``/api/v1``) as one person calls it, with a personal token."""

    client: APIRequestContext
    name: str
    headers: dict[str, str]

    def call(self, method: str, path: str, data: Any = None, expected: int = 200) -> Any:
        """The answer's JSON (None if empty); it must have the ``expected`` status."""
        answer = self.client.fetch("/api/v1" + path, method=method, data=data,
                                   headers=self.headers)
        assert answer.status == expected, f"{method} {path}: {answer.status} {answer.text()}"
        return answer.json() if answer.body() else None

    def post(self, path: str, data: Any = None, expected: int = 201) -> Any:
        return self.call("POST", path, data, expected)


def api_as(client: APIRequestContext, name: str, *, sign_up: bool = False) -> Api:
    """The API as ``name`` (whose account is made first with ``sign_up``)."""
    if sign_up:
        answer = client.post("/api/v1/auth/signup", data={
            "name": name, "email": email_of(name), "password": password_of(name)})
        assert answer.status == 201, answer.text()
    answer = client.post("/api/v1/auth/tokens",
                         data={"login": name, "password": password_of(name), "label": "e2e"})
    assert answer.status == 201, answer.text()
    token: Any = answer.json()["token"]
    return Api(client, name, {"Authorization": f"Bearer {token}"})


def accept_the_confirmation(page: Page) -> list[str]:
    """Accept the next confirmation the page asks for (clearing asks one); the messages
    asked, as they come."""
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    return asked
