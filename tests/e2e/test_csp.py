"""The Content-Security-Policy in a real browser: the seaside period of :mod:`test_story`,
from signing up to the books (forms, htmx's polling while the period clears, its swap of a
confirmed work row), with every page's CSP violations, console messages about the policy and
script errors collected; there must be none; the same for the API's docs (Swagger UI, served
by the site itself). Then, to show the collection works, the browser is seen refusing an
inline script and ``eval``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import test_story as story
from e2e_support import People, Person
from playwright.sync_api import ConsoleMessage, Error, Route, expect

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

POOL = story.POOL

_REPORT = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${location.pathname}: ${event.violatedDirective}`
                         + ` blocked ${event.blockedURI || "inline"} ${event.sample || ""}`);
});
"""


@dataclass
class Watched:
    """What one person's browser said about the pages it showed."""

    person: Person
    violations: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        said = [m for m in self.console if "Content Security Policy" in m]
        return [*self.violations, *said, *self.errors]


def watch(person: Person) -> Watched:
    """Collect ``person``'s CSP violations (the DOM's events, reported to the test through a
    binding), console messages and uncaught script errors, on every page from now on."""
    watched = Watched(person)
    context, page = person.context, person.page

    def report(violation: str) -> None:
        watched.violations.append(violation)

    context.expose_function("reportViolation", report)
    context.add_init_script(_REPORT)

    def console(message: ConsoleMessage) -> None:
        watched.console.append(f"{page.url}: {message.type}: {message.text}")

    def error(failure: Error) -> None:
        watched.errors.append(f"{page.url}: {failure}")

    page.on("console", console)
    page.on("pageerror", error)
    return watched


def no_style_from_htmx(person: Person) -> None:
    """htmx, told so by the page's meta tag, added no style element of its own."""
    page = person.page
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.locator("style").count() == 0
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False


def test_the_period_runs_under_the_policy_with_no_violation(people: People) -> None:
    ana, ben, cleo = people("ana"), people("ben"), people("cleo")
    watched = [watch(who) for who in (ana, ben, cleo)]

    ana.sign_up()
    story.found_pool(ana)
    story.add_project(ana)
    ben.sign_up()
    story.join_open_pool(ben)
    cleo.sign_up()
    story.join_open_pool(cleo)
    story.offer(ben, "stairs", "3", "1")
    story.offer(ben, "laundry", "2", "1")
    story.offer(cleo, "garden", "2", "1")
    story.offer(cleo, "stairs", "2", "1.5")
    story.offer(cleo, "laundry", "2", "1.2")
    story.wish(ben, "sea-view", most="6")
    story.wish(cleo, "sea-view", most="4")
    story.wish(cleo, "guest-bed", quantity="2")
    story.clear_period(ana)  # htmx polls /period/clearing and swaps the plan in
    no_style_from_htmx(ana)
    story.log_work(ben)
    story.confirm_work(cleo, "ben")  # htmx posts and swaps the work row
    story.settle(ana)
    story.see_the_books(ben)
    for path in ("/", "/account", f"/pools/{POOL}/hints", f"/pools/{POOL}/goods",
                 f"/pools/{POOL}/projects", f"/pools/{POOL}/tasks", "/pools/no-such-pool"):
        ana.go(path)
        expect(ana.page.get_by_role("main")).to_be_visible()

    assert [w.problems() for w in watched] == [[], [], []]


def _cut_off(route: Route) -> None:
    route.abort()


def test_the_api_docs_run_swagger_ui_from_the_site_itself(people: People) -> None:
    """Swagger UI loads from the site alone (every other address is cut off) and shows the
    API's operations, with no policy violation and no script error."""
    dora = people("dora")
    watched = watch(dora)
    asked: list[str] = []
    dora.page.on("request", lambda request: asked.append(request.url))
    dora.context.route("https://**/*", _cut_off)
    dora.go("/api/docs")
    expect(dora.page.locator(".swagger-ui .info .title")).to_contain_text("peerconomy")
    expect(dora.page.locator(".opblock-tag-section").first).to_be_visible()
    dora.snap("swagger ui")
    assert watched.problems() == []
    site = dora.page.url.split("/api/docs")[0]
    assert asked and all(url.startswith(site) for url in asked), asked


def test_the_browser_refuses_inline_script_and_eval(people: People) -> None:
    """The watch sees a violation where there is one: the policy is in force."""
    eve = people("eve")
    watched = watch(eve)
    page = eve.go("/signin")
    ran = page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
        return window.injected === true;
    }""")
    assert ran is False
    page.evaluate("() => { setTimeout('window.evaluated = true', 0); }")  # eval, later
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.evaluated === undefined")
    for _ in range(40):  # the violations are reported asynchronously
        if len(watched.violations) >= 2:
            break
        page.wait_for_timeout(50)
    assert [v.split(" blocked ")[1].split()[0] for v in watched.violations] == [
        "inline", "eval"], watched.violations
    assert all(v.startswith("/signin: script-src") for v in watched.violations)
    assert any("Content Security Policy" in m for m in watched.console), watched.console
