"""One period of the seaside flats, a housing co-op, from founding the pool to the books, as
three people do it in their browsers.

Ana signs up, founds the pool and adds the flats project with its chores (the stairs, the
garden, the laundry) and two goods: a guest bed, and one sea-view room that is scarce and goes
by preference weighting. Ben joins by ana's invitation link, cleo by joining the open pool.
They offer hours and make wishes; ana clears the period; ben logs the work the plan gave him,
cleo confirms it, ana settles, and ben's balance is on the ledger's chart.
"""

from __future__ import annotations

import pytest
from e2e_support import People, Person, Shots, accept_the_confirmation
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

POOL = "seaside"
TIMES = "\N{MULTIPLICATION SIGN}"


def flash(page: Page) -> Locator:
    """The note a page shows after a form was sent."""
    return page.get_by_role("main").get_by_role("status").first


def found_pool(ana: Person) -> None:
    page = ana.go("/")
    page.get_by_label("Name of the pool").fill(POOL)
    page.get_by_label("anyone signed in").check()
    page.get_by_label("Public").check()
    page.get_by_role("button", name="Found the pool").click()
    expect(flash(page)).to_contain_text("Your pool is founded")
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    expect(page.get_by_text("Anyone signed in may join. Logged work counts once a second"
                            " member confirms it.")).to_be_visible()
    expect(page.get_by_role("link", name="My period")).to_be_visible()


def add_project(ana: Person) -> None:
    """The flats project joins the pool with its tasks and goods, written in the form on
    the Projects page, one per line."""
    page = ana.page
    expect(page.get_by_role("heading", name="Add a project")).to_be_visible()
    page.get_by_label("Project id").fill("flats")
    page.get_by_label("Tasks, one per line").fill("stairs 4\ngarden 2\nlaundry")
    page.get_by_label("Goods, one per line").fill(
        "sea-view auction capacity=1 laundry=1\nguest-bed effort laundry=0.5")
    page.get_by_role("button", name="Add the project").click()
    expect(flash(page)).to_contain_text("flats joins the pool.")
    flats = page.get_by_role("region", name="flats")
    expect(flats.get_by_role("heading", name="Tasks")).to_be_visible()
    expect(flats.get_by_role("listitem").filter(has_text="stairs")).to_contain_text(
        "4 h needed whatever is made")
    expect(flats.get_by_role("listitem").filter(has_text="sea-view")).to_contain_text(
        "scarce: by preference weighting")
    expect(flats.get_by_role("listitem").filter(has_text="guest-bed")).to_contain_text(
        "0.5 h laundry")


def invitation_link(ana: Person) -> str:
    page = ana.go(f"/pools/{POOL}/period")
    page.get_by_label("Role").select_option(label="member")
    page.get_by_label("Valid for days").fill("7")
    page.get_by_role("button", name="Make an invitation link").click()
    shown = page.get_by_role("status").filter(has_text="The invitation link")
    expect(shown).to_be_visible()
    link = shown.locator("#invitation-link").inner_text().strip()
    assert "/invitations/" in link, link
    return link


def accept_invitation_as_newcomer(ben: Person, link: str) -> None:
    """Ben follows the link signed out, signs up from there (the form carries the
    invitation's code), signs in and comes back to accept."""
    page = ben.go(link)
    expect(page.get_by_role("heading", name="You are invited to a pool")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("User name").fill(ben.name)
    page.get_by_label("Email").fill(ben.email)
    page.get_by_label("Password").fill(ben.password)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status")).to_contain_text("mailed you a link")
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("User name or email").fill(ben.name)
    page.get_by_label("Password").fill(ben.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(flash(page)).to_contain_text("Welcome to the pool!")
    expect(page.get_by_text("You are a member here.")).to_be_visible()


def join_open_pool(cleo: Person) -> None:
    page = cleo.go("/")
    page.get_by_role("link", name=POOL).click()
    expect(page.get_by_text("You can read this pool because it is public.")).to_be_visible()
    page.get_by_role("button", name="Join the pool").click()
    expect(flash(page)).to_contain_text("Welcome to the pool!")
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()


def offer(who: Person, task: str, hours: str, min_weight: str) -> None:
    page = who.page
    if not page.url.endswith("/tasks"):
        who.go(f"/pools/{POOL}/tasks")
    card = page.get_by_role("region", name=task)
    card.get_by_label("Hours you offer").fill(hours)
    card.get_by_label("Minimum weight").fill(min_weight)
    card.get_by_role("button", name="Offer").click()
    expect(flash(page)).to_contain_text(f"Your offer on {task} is recorded.")
    expect(page.get_by_role("region", name=task)).to_contain_text(
        f"Your offer: up to {hours} h, at a weight of at least {min_weight}.")


def wish(who: Person, good: str, *, quantity: str = "1", most: str | None = None) -> None:
    page = who.page
    if not page.url.endswith("/goods"):
        who.go(f"/pools/{POOL}/goods")
    page.get_by_label("How many").fill(quantity)
    page.get_by_role("checkbox", name=good).check()
    if most is not None:
        page.get_by_label(f"The most you would contribute for {good}, in hours").fill(most)
    page.get_by_role("button", name="Make the wish").click()
    expect(flash(page)).to_contain_text("Your wish is recorded.")
    said = f"{quantity} {TIMES} {good}" + (f" (at most {most} h)" if most is not None else "")
    expect(page.get_by_role("listitem").filter(has_text=said)).to_be_visible()


def clear_period(ana: Person) -> None:
    """Ana clears; the page polls until the plan is there and then shows it."""
    page = ana.go(f"/pools/{POOL}/period")
    expect(page.get_by_text("collecting offers and wishes")).to_be_visible()
    asked = accept_the_confirmation(page)
    with page.expect_response(lambda answer: answer.url.endswith("/period/clearing")) as poll:
        page.get_by_role("button", name="Clear the period").click()
    assert poll.value.ok
    assert len(asked) == 1, "clearing from the page asks to confirm first"
    expect(page.get_by_role("heading", name="The plan of period 1")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="The plan is there")).to_be_visible()
    expect(page.get_by_text("cleared: the work is being done")).to_be_visible()
    goods = page.get_by_role("table").filter(has_text="Premium")
    expect(goods.get_by_role("row").filter(has_text="sea-view")).to_be_visible()


def log_work(ben: Person) -> None:
    page = ben.go(f"/pools/{POOL}")
    assignments = page.get_by_role("table").filter(has_text="Credit")
    expect(assignments.get_by_role("cell", name="stairs", exact=True)).to_be_visible()
    given = page.get_by_role("listitem").filter(has_text=f"1 {TIMES} sea-view, contributing")
    expect(given).to_be_visible()
    page.get_by_label("Task").select_option("stairs")
    page.get_by_label("Hours worked").fill("3")
    page.get_by_role("button", name="Log the hours").click()
    expect(flash(page)).to_contain_text("Your hours on stairs are logged.")
    expect(page.get_by_role("listitem").filter(has_text="3 h on stairs")).to_contain_text(
        "awaiting confirmation")


def confirm_work(cleo: Person, worker: str) -> None:
    page = cleo.go(f"/pools/{POOL}")
    row = page.get_by_role("listitem").filter(has_text=f"{worker}: 3 h on stairs")
    expect(row).to_contain_text("awaiting confirmation")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("listitem").filter(has_text=f"{worker}: 3 h on stairs")
           ).to_contain_text("confirmed")
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)


def settle(ana: Person) -> None:
    page = ana.go(f"/pools/{POOL}/period")
    page.get_by_role("button", name="Settle the period").click()
    expect(flash(page)).to_contain_text(
        "The period is settled; period 2 collects offers and wishes.")
    expect(page.get_by_role("button", name="Close period 1")).to_be_visible()


def see_the_books(ben: Person) -> None:
    page = ben.go(f"/pools/{POOL}/ledger")
    chart = page.get_by_role("img", name="My balance over the periods")
    expect(chart).to_be_visible()
    statement = page.get_by_role("table").filter(has_text="Amount")
    expect(statement.get_by_role("cell", name="credit", exact=False).first).to_be_visible()
    everyone = page.get_by_role("table").filter(has_text="Sum")
    for who in ("ana", "ben", "cleo", "the pool"):
        expect(everyone.get_by_role("row").filter(has_text=who).first).to_be_visible()
    expect(everyone.get_by_role("row", name="Sum")).to_contain_text("0")


def test_a_pool_goes_through_one_period_from_founding_to_the_books(
    people: People, shots: Shots
) -> None:
    ana, ben, cleo = people("ana"), people("ben"), people("cleo")

    ana.sign_up()
    ana.snap("has signed up")
    found_pool(ana)
    ana.snap("has founded the pool")
    add_project(ana)
    ana.snap("added the flats project")

    link = invitation_link(ana)
    ana.snap("made an invitation link")
    accept_invitation_as_newcomer(ben, link)
    ben.snap("joined by the invitation")
    cleo.sign_up()
    join_open_pool(cleo)
    cleo.snap("joined the open pool")

    offer(ben, "stairs", "3", "1")
    offer(ben, "laundry", "2", "1")
    ben.snap("offered hours")
    offer(cleo, "garden", "2", "1")
    offer(cleo, "stairs", "2", "1.5")
    offer(cleo, "laundry", "2", "1.2")
    cleo.snap("offered hours")
    wish(ben, "sea-view", most="6")
    ben.snap("wished for the sea-view room")
    wish(cleo, "sea-view", most="4")
    wish(cleo, "guest-bed", quantity="2")
    cleo.snap("made wishes")

    clear_period(ana)
    ana.snap("cleared the period")
    log_work(ben)
    ben.snap("logged work")
    confirm_work(cleo, "ben")
    cleo.snap("confirmed the work of ben")
    settle(ana)
    ana.snap("settled the period")
    see_the_books(ben)
    ben.snap("sees the ledger")

    assert len(shots.taken) == 15
    assert all(path.stat().st_size > 0 for path in shots.taken)
