"""A refused htmx action says so where it was clicked, in a real browser.

htmx swaps nothing in for an answer of 4xx or 5xx, so a refusal used to leave the page as it
was: the button had been clicked and nothing happened. The pages draw a button only where its
action would be taken, so a refusal comes from a page gone stale: here cleo, a coordinator when
she opened *My period*, clicks *Confirm* on work only a coordinator may accept after ana made
her a plain member (403), and a coordinator clicks *Clear the period* on a page that went stale
while the period was cleared elsewhere (409); each sees the server's reason as an alert beside
the button, and the page is otherwise as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import FLATS, People, Person, accept_the_confirmation, api_as
from playwright.sync_api import APIRequestContext, expect

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL


@pytest.fixture(scope="module")
def pools(api: APIRequestContext) -> dict[str, Any]:
    """*seaside* cleared, with ben's unassigned hours on the garden awaiting a coordinator
    (cleo is one, besides ana); *hillside* collecting, with an offer in (enough to clear)."""
    ana, ben, cleo = (api_as(api, name, sign_up=True) for name in ("ana", "ben", "cleo"))
    ana.post("/pools", {"name": "seaside"})
    ana.post("/pools/seaside/projects", FLATS)
    for member, role in ((ben, "member"), (cleo, "coordinator")):
        code = ana.post("/pools/seaside/invitations", {"role": role})["code"]
        member.post(f"/invitations/{code}/accept")
    ben.call("PUT", "/pools/seaside/offers/stairs", {"hours": 3, "min_weight": 1.0})
    cleo.call("PUT", "/pools/seaside/offers/garden", {"hours": 2, "min_weight": 1.0})
    ana.post("/pools/seaside/period/clear", expected=200)
    ben.post("/pools/seaside/work", {"task": "garden", "hours": 1})  # not his assignment

    ana.post("/pools", {"name": "hillside"})
    ana.post("/pools/hillside/projects", FLATS)
    ana.call("PUT", "/pools/hillside/offers/stairs", {"hours": 4, "min_weight": 1.0})
    return {"ana": ana}


def signed_in(people: People, name: str) -> Person:
    person = people(name)
    person.sign_in()
    return person


def test_a_refused_confirm_shows_the_reason_beside_the_button(
    pools: dict[str, Any], people: People
) -> None:
    cleo = signed_in(people, "cleo")
    page = cleo.go("/pools/seaside")
    row = page.get_by_role("listitem").filter(has_text="ben: 1 h on garden")
    expect(row).to_contain_text("awaiting confirmation")
    expect(row.get_by_role("button", name="Confirm")).to_be_visible()  # she may accept it
    cleo.snap("sees ben's unassigned work")
    # meanwhile, elsewhere, ana makes cleo a plain member: the page is stale
    pools["ana"].call("PATCH", "/pools/seaside/members/cleo", {"role": "member"})

    with page.expect_response(lambda answer: answer.url.endswith("/confirm")) as answer:
        row.get_by_role("button", name="Confirm").click()
    assert answer.value.status == 403
    alert = row.get_by_role("alert")
    expect(alert).to_contain_text("only a coordinator may accept that work")
    expect(alert).to_contain_text("Not allowed")
    cleo.snap("was refused")
    # the row is as it was, its button still there to try again (the page is not reloaded)
    expect(row).to_contain_text("awaiting confirmation")
    expect(row.get_by_role("button", name="Confirm")).to_be_visible()

    # a second refusal replaces the first: one alert, not a pile of them
    row.get_by_role("button", name="Confirm").click()
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("only a coordinator may accept that work")


def test_clearing_from_a_stale_page_shows_the_reason_beside_the_button(
    pools: dict[str, Any], people: People
) -> None:
    ana = signed_in(people, "ana")
    page = ana.go("/pools/hillside/period")
    clear = page.locator("form").filter(has=page.get_by_role("button", name="Clear the period"))
    expect(clear).to_be_visible()
    pools["ana"].post("/pools/hillside/period/clear", expected=200)  # meanwhile, elsewhere

    asked = accept_the_confirmation(page)
    with page.expect_response(lambda answer: answer.url.endswith("/period/clear")) as answer:
        clear.get_by_role("button", name="Clear the period").click()
    assert len(asked) == 1
    assert answer.value.status == 409
    expect(clear.get_by_role("alert")).to_contain_text(
        "cannot clear a period that is cleared")
    ana.snap("cleared a period already cleared")
