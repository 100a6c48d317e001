"""A refusal answered to htmx: a piece of a page with the reason as an alert, which the
page's ``static/refusals.js`` shows beside the button that was clicked (htmx swaps nothing in
for an error, so a whole error page or a redirect would never be seen); not signed in, htmx
is sent to the sign-in page and back. Each of the pages' htmx actions (Confirm, Reject, Clear
the period) is refused here as htmx sends it. The pages no longer draw these buttons where the
rule refuses them (``test_buttons_drawn.py``), so the posts here are what a stale page or a
hand-made request sends. The browser's side is in ``tests/e2e/test_refusals.py``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import HX, Browser, text_of
from httpx2 import Response

from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "peerconomy" / "web" / "templates"
ALERT = re.compile(r'^<span class="refusal" role="alert" data-refusal>(.*)</span>$', re.S)


def refusal_of(answer: Response) -> str:
    """The text of the alert that ``answer`` is, and nothing else: no page around it."""
    html = answer.text.strip()
    found = ALERT.match(html)
    assert found is not None, html[:500]
    assert "<html" not in html and "<form" not in html
    return text_of(found.group(1))


def unassigned_work_of_ana(people: People, store: MemoryStore) -> int:
    """Ana logs hours on the garden, which the plan gave to ben: they await a coordinator."""
    people["ana"].submit("/pools/seaside/work", {"task": "garden", "hours": "1"},
                         form_on="/pools/seaside")
    with store.unit_of_work() as uow:
        (log,) = uow.periods.work_logs("seaside", 1)
    assert not log.assigned
    return log.id


def test_a_refused_confirm_answers_htmx_with_an_alert_of_the_reason(
    cleared: People, store: MemoryStore
) -> None:
    log = unassigned_work_of_ana(cleared, store)
    answer = cleared["ben"].post(f"/pools/seaside/work/{log}/confirm", form_on="/pools/seaside",
                                 **HX)
    assert answer.status_code == 403
    assert refusal_of(answer) == (
        "Not allowed: 'ana' has no assignment on task 'garden': only a coordinator may accept"
        " that work, and 'ben' is not one")
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["Content-Language"] == "en"


def test_a_refused_reject_answers_htmx_with_an_alert(
    cleared: People, store: MemoryStore
) -> None:
    log = unassigned_work_of_ana(cleared, store)
    answer = cleared["ben"].post(f"/pools/seaside/work/{log}/reject", form_on="/pools/seaside",
                                 **HX)
    assert answer.status_code == 403
    assert refusal_of(answer).startswith("Not allowed: ")


def test_confirming_work_that_is_confirmed_already_answers_htmx_with_an_alert(
    cleared: People, store: MemoryStore
) -> None:
    """A stale row: the work was decided on meanwhile (409)."""
    log = unassigned_work_of_ana(cleared, store)
    ana, ben = cleared["ana"], cleared["ben"]
    assert ben.submit("/pools/seaside/work", {"task": "garden", "hours": "1"},
                      form_on="/pools/seaside")
    ana.post(f"/pools/seaside/work/{log + 1}/confirm", form_on="/pools/seaside", **HX)
    answer = ana.post(f"/pools/seaside/work/{log + 1}/confirm", form_on="/pools/seaside", **HX)
    assert answer.status_code == 409
    assert refusal_of(answer) == (
        f"That clashes with what is there: work log {log + 1} is confirmed already")


def test_clearing_refused_answers_htmx_with_an_alert(cleared: People) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    again = ana.post("/pools/seaside/period/clear", form_on="/pools/seaside/period", **HX)
    assert again.status_code == 409
    assert refusal_of(again) == ("That clashes with what is there: cannot clear a period that"
                                 " is cleared (it must be collecting)")
    member = ben.post("/pools/seaside/period/clear", form_on="/pools/seaside", **HX)
    assert member.status_code == 403
    assert refusal_of(member).startswith("Not allowed: ")


def test_the_alert_speaks_the_pages_language(cleared: People, store: MemoryStore) -> None:
    log = unassigned_work_of_ana(cleared, store)
    answer = cleared["ben"].post(f"/pools/seaside/work/{log}/confirm?lang=de",
                                 form_on="/pools/seaside", **HX)
    assert refusal_of(answer).startswith("Nicht erlaubt: ")
    assert answer.headers["Content-Language"] == "de"


def test_a_forged_htmx_post_is_refused_with_an_alert(cleared: People) -> None:
    answer = cleared["ana"].post("/pools/seaside/period/clear", token="forged", **HX)
    assert answer.status_code == 403
    assert "CSRF token missing or wrong" in refusal_of(answer)


def test_without_a_session_htmx_is_sent_to_sign_in_and_back(
    cleared: People, browser: Callable[[], Browser]
) -> None:
    stranger = browser()  # signed out: a session with a CSRF token, nobody signed in
    page = "/pools/seaside?lang=en"
    answer = stranger.post("/pools/seaside/work/1/confirm", form_on="/signin",
                           **HX, **{"HX-Current-URL": f"http://testserver{page}"})
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/signin?next=" + quote(page, safe="")
    assert refusal_of(answer).startswith("Please sign in: ")
    elsewhere = stranger.post("/pools/seaside/work/1/confirm", form_on="/signin",
                              **HX, **{"HX-Current-URL": "https://evil.example/x"})
    assert elsewhere.headers["HX-Redirect"] == "/signin?next=%2F"


def test_without_htmx_a_refusal_is_still_a_whole_page(
    cleared: People, store: MemoryStore
) -> None:
    log = unassigned_work_of_ana(cleared, store)
    answer = cleared["ben"].post(f"/pools/seaside/work/{log}/confirm", form_on="/pools/seaside")
    assert answer.status_code == 403
    assert "<html" in answer.text and "data-refusal>" not in answer.text
    assert "only a coordinator may accept that work" in text_of(answer.text)


def test_every_page_loads_the_script_that_shows_refusals(people: People) -> None:
    """The base template every page extends loads it (a file of the site's own, as the
    policy wants), and says in the page's language what to show when no answer came."""
    ben = people["ben"]
    page = ben.page("/pools/seaside")
    assert '<script src="/static/refusals.js" defer></script>' in page
    assert ('data-refusal="That did not work: the server did not answer. Please try again."'
            in page)
    german = ben.page("/pools/seaside?lang=de")
    assert 'data-refusal="Das hat nicht geklappt' in german
    script = ben.get("/static/refusals.js")
    assert script.status_code == 200
    assert "htmx:responseError" in script.text and "[data-refusal]" in script.text


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_each_htmx_action_is_a_form_the_script_can_put_an_alert_in(template: str) -> None:
    """An element that sends a change by htmx is a form (its refusal goes at its end, beside
    its button); the pages have no other kind of element that does."""
    html = (TEMPLATES / template).read_text()
    for tag in re.findall(r"<(\w+)[^>]*\bhx-(?:post|put|patch|delete)=", html):
        assert tag == "form", (template, tag)
