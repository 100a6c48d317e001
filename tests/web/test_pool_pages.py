"""A member's pages of a pool: My period, Tasks (offers) and Goods (wishes); who may see and
post what; joining a pool; forms refused for bad input, a stale period or a forged token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browsing import BLANK, TIMES, Browser, clear, offer, rows_of, text_of, wish

from peerconomy.domain.scenario import Good, Offer, Wish
from peerconomy.services import projects
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
POOL_PAGES = ("", "/tasks", "/goods", "/hints", "/ledger", "/projects", "/hints.atom",
              "/ledger.csv", "/ledger.beancount")


def offers_in(store: MemoryStore, period: int = 1) -> list[Offer]:
    with store.unit_of_work() as uow:
        return list(uow.periods.offers("seaside", period))


def wishes_in(store: MemoryStore, period: int = 1) -> list[Wish]:
    with store.unit_of_work() as uow:
        return list(uow.periods.wishes("seaside", period))


# Home: one's pools, the public ones, founding one


def test_home_lists_one_s_pools_and_the_public_ones(people: People) -> None:
    ana, cleo = people["ana"], people["cleo"]
    assert "Your pools seaside (coordinator)" in ana.text("/")
    assert "You are in no pool yet." in cleo.text("/")
    assert "seaside" not in cleo.text("/")  # private


def test_founding_a_pool_makes_one_its_coordinator(people: People) -> None:
    cleo = people["cleo"]
    assert cleo.submit("/pools", {"name": "dunes", "public": "1"}) == "/pools/dunes/projects"
    said = cleo.text("/pools/dunes")
    assert "Your pool is founded; its first period collects offers and wishes." in said
    assert "You are a coordinator here." in said
    assert "Public pools dunes" in people["ben"].text("/")
    assert cleo.post("/pools", {"name": "seaside"}).status_code == 409
    refused = cleo.post("/pools", {"name": ""})
    assert refused.status_code == 422
    assert "pool: must be a non-empty name" in text_of(refused.text)


# Tasks and offers


def test_offers_show_on_the_tasks_page(collected: People) -> None:
    said = collected["ben"].text("/pools/seaside/tasks")
    assert "stairs (flats)" in said
    assert "Your offer: up to 2 h, at a weight of at least 1.5." in said
    assert "Offered now 5" in said  # ana's 3 h and ben's 2 h on the stairs
    assert "Your offer: up to 3 h, at a weight of at least 1." in collected["ana"].text(
        "/pools/seaside/tasks")


def test_an_offer_is_changed_and_withdrawn(people: People, store: MemoryStore) -> None:
    ben = people["ben"]
    offer(ben, "garden", 2, 1.0)
    offer(ben, "garden", 1.5, 1.25)
    assert offers_in(store) == [Offer(participant="ben", task="garden", hours=1.5,
                                      min_weight=1.25)]
    assert "Your offer on garden is recorded." in ben.text("/pools/seaside/tasks")
    ben.submit("/pools/seaside/offers/garden/withdraw", form_on="/pools/seaside/tasks")
    assert "Your offer on garden is withdrawn." in ben.text("/pools/seaside/tasks")
    assert offers_in(store) == []


def test_hours_may_be_written_with_a_decimal_comma(people: People, store: MemoryStore) -> None:
    people["ben"].submit("/pools/seaside/offers/garden", {"hours": "1,5", "min_weight": "1,2"},
                         form_on="/pools/seaside/tasks")
    assert offers_in(store) == [Offer(participant="ben", task="garden", hours=1.5,
                                      min_weight=1.2)]


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"hours": "abc", "min_weight": "1"}, "hours: must be a number, got 'abc'"),
        ({"hours": "-2", "min_weight": "1"}, "hours: must be >= 0, got -2"),
        ({"hours": "2", "min_weight": "0"}, "min_weight: must be > 0, got 0"),
        ({"hours": "inf", "min_weight": "1"}, "hours: must be a finite number, got 'inf'"),
        ({"min_weight": "1"}, "hours: is missing"),
    ],
)
def test_a_bad_offer_is_refused_and_stores_nothing(
    people: People, store: MemoryStore, fields: dict[str, str], said: str
) -> None:
    answer = people["ben"].post("/pools/seaside/offers/garden", fields,
                                form_on="/pools/seaside/tasks")
    assert answer.status_code == 422
    page = text_of(answer.text)
    assert "Please check your input" in page
    assert said in page
    assert offers_in(store) == []


def test_an_offer_with_two_mistakes_is_refused_saying_both(
    people: People, store: MemoryStore
) -> None:
    answer = people["ben"].post("/pools/seaside/offers/garden",
                                {"hours": "abc", "min_weight": ""},
                                form_on="/pools/seaside/tasks")
    assert answer.status_code == 422
    assert ("hours: must be a number, got 'abc'; min_weight: is missing"
            in text_of(answer.text))
    assert offers_in(store) == []


def test_an_offer_on_a_task_the_pool_has_not_is_not_found(
    people: People, store: MemoryStore
) -> None:
    answer = people["ben"].post("/pools/seaside/offers/sailing", {"hours": 2, "min_weight": 1},
                                form_on="/pools/seaside/tasks")
    assert answer.status_code == 404
    assert "no task 'sailing' in pool 'seaside'" in text_of(answer.text)
    assert offers_in(store) == []


def test_an_offer_made_on_a_page_of_a_past_period_is_refused(
    people: People, store: MemoryStore
) -> None:
    ana, ben = people["ana"], people["ben"]
    assert 'name="period" value="1"' in ben.page("/pools/seaside/tasks")
    clear(ana)  # meanwhile, period 1 is cleared, settled, and period 2 collects
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")
    answer = ben.post("/pools/seaside/offers/garden",
                      {"hours": 2, "min_weight": 1, "period": "1"},
                      form_on="/pools/seaside/tasks")
    assert answer.status_code == 409
    assert "That clashes with what is there" in text_of(answer.text)
    assert offers_in(store, 2) == []
    offer(ben, "garden", 2, 1.0)  # from the page as it is now
    assert len(offers_in(store, 2)) == 1


def test_offers_are_closed_once_the_period_is_cleared(cleared: People) -> None:
    ben = cleared["ben"]
    said = ben.text("/pools/seaside/tasks")
    assert "Offers are made while a period collects; this one is past that." in said
    assert "Hours you offer" not in said
    answer = ben.post("/pools/seaside/offers/garden", {"hours": 2, "min_weight": 1},
                      form_on="/pools/seaside/tasks")
    assert answer.status_code == 409


# Goods and wishes


def test_wishes_show_on_the_goods_page(collected: People) -> None:
    page = collected["ben"].page("/pools/seaside/goods")
    said = text_of(page)
    assert f"1 {TIMES} sea-view (at most 4 h)" in said
    assert f"2 {TIMES} guest-bed" in said
    never_cleared = [BLANK] * 4  # last cost and premium, wished, given
    assert ["sea-view", "scarce: by preference weighting", "1", *never_cleared] in rows_of(page)


def test_a_wish_with_alternatives_is_made_and_withdrawn(
    people: People, store: MemoryStore
) -> None:
    projects.join_project(store.unit_of_work(), "seaside", "dunes", [], [
        Good(id="dune-view", project="dunes", model="auction", capacity=1)])
    ben = people["ben"]
    wish(ben, "good:sea-view", "good:dune-view", sea_view=3)
    (made,) = wishes_in(store)
    assert made.participant == "ben"
    assert [(a.good, a.max_cost) for a in made.alternatives] == [("sea-view", 3.0),
                                                                 ("dune-view", None)]
    said = ben.text("/pools/seaside/goods")
    assert "Your wish is recorded." in said
    assert f"1 {TIMES} sea-view (at most 3 h) or dune-view" in said
    ben.submit(f"/pools/seaside/wishes/{made.id}/withdraw", form_on="/pools/seaside/goods")
    assert "Your wish is withdrawn." in ben.text("/pools/seaside/goods")
    assert wishes_in(store) == []


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"quantity": "1"}, "alternative: tick at least one good or product type"),
        ({"alternative": "good:sea-view", "quantity": "0"},
         "wish.quantity: must be >= 1, got 0"),
        ({"alternative": "good:sea-view", "quantity": "two"},
         "quantity: must be a whole number, got 'two'"),
        ({"alternative": "good:sea-view", "max_cost:good:sea-view": "lots"},
         "max_cost:good:sea-view: must be a number, got 'lots'"),
        ({"alternative": "sea-view"}, "alternative: must be good:<id> or type:<id>"),
        ({"alternative": "good:yacht"}, "yacht"),
        ({"alternative": ["good:sea-view", "good:guest-bed"]},
         "wish.alternatives: mixes auction and non-auction goods"),
        ({"alternative": "good:guest-bed", "term": "0"}, "wish.term: must be >= 1, got 0"),
        ({"alternative": "good:guest-bed", "term": "-1"}, "wish.term: must be >= 1, got -1"),
        ({"alternative": "good:guest-bed", "term": "1e308"},
         "term: must be a whole number, got '1e308'"),
        ({"alternative": "good:guest-bed", "term": "a season"},
         "term: must be a whole number, got 'a season'"),
        ({"alternative": "good:guest-bed", "term": "10001"},
         "wish.term: must be <= 10000, got 10001"),
    ],
)
def test_a_bad_wish_is_refused_and_stores_nothing(
    people: People, store: MemoryStore, fields: dict[str, str], said: str
) -> None:
    answer = people["ben"].post("/pools/seaside/wishes", fields, form_on="/pools/seaside/goods")
    assert answer.status_code == 422
    assert said in text_of(answer.text)
    assert wishes_in(store) == []


def test_a_subscription_is_made_on_the_goods_page_and_shown_with_its_periods_left(
    people: People, store: MemoryStore
) -> None:
    ben = people["ben"]
    ben.submit("/pools/seaside/wishes", {"alternative": "good:guest-bed", "quantity": "2",
                                         "term": "12"}, form_on="/pools/seaside/goods")
    (made,) = wishes_in(store)
    assert (made.quantity, made.term) == (2, 12)
    shown = f"2 {TIMES} guest-bed (subscription: 12 of 12 periods left)"
    assert shown in ben.text("/pools/seaside/goods")
    assert shown in ben.text("/pools/seaside")  # My period
    hints = ben.page("/pools/seaside/hints")
    assert "Subscribed units, by project" in text_of(hints)
    assert ["guest-bed", "2", *(["2"] * 11)] in rows_of(hints)
    assert "Abonnierte Einheiten, nach Projekt" in ben.text("/pools/seaside/hints?lang=de")


# My period


def test_my_period_before_the_clearing_says_what_to_do(people: People) -> None:
    said = people["ben"].text("/pools/seaside")
    assert "seaside: period 1" in said
    assert "The period is collecting offers and wishes." in said
    assert "You are a member here." in said
    assert "Offer hours on the tasks you would like to do." in said
    assert "Wish for the goods you would like this period." in said
    assert "No assignments in this period (yet)." in said


def test_my_period_after_the_clearing_shows_assignments_share_and_goods(cleared: People
                                                                         ) -> None:
    page = cleared["ben"].page("/pools/seaside")
    said = text_of(page)
    assert "My share 3.5 h" in said
    assert "My credits so far 0 h" in said
    assert "Log the hours you have worked on your assignments." in said
    assert ["stairs", "1", "1.5", "1.5"] in rows_of(page)  # task, hours, weight, credit
    assert ["garden", "2", "1", "2"] in rows_of(page)
    assert f"2 {TIMES} guest-bed, contributing 1 h" in said
    assert f"1 {TIMES} sea-view, contributing 4 h" in cleared["ana"].text("/pools/seaside")


# CSRF


@pytest.mark.parametrize("token", ["", "forged", "cleo's"])
def test_a_post_without_the_session_s_token_is_refused_and_changes_nothing(
    people: People, store: MemoryStore, token: str
) -> None:
    ben = people["ben"]
    if token == "cleo's":
        token = people["cleo"].csrf("/")
    answer = ben.post("/pools/seaside/offers/garden", {"hours": 2, "min_weight": 1},
                      token=token)
    assert answer.status_code == 403
    assert "CSRF token missing or wrong" in text_of(answer.text)
    assert offers_in(store) == []


def test_a_post_with_no_token_field_at_all_is_refused(people: People, store: MemoryStore
                                                       ) -> None:
    answer = people["ben"].client.post("/pools/seaside/offers/garden",
                                       data={"hours": "2", "min_weight": "1"})
    assert answer.status_code == 403
    assert offers_in(store) == []


def test_signing_out_needs_the_token_too(people: People) -> None:
    ben = people["ben"]
    assert ben.post("/signout", token="forged").status_code == 403
    assert "Your account (ben)" in ben.text("/")


# Who may see and post what


@pytest.mark.parametrize("page", POOL_PAGES)
def test_a_private_pool_is_not_found_for_someone_outside_it(people: People, page: str
                                                             ) -> None:
    answer = people["cleo"].get("/pools/seaside" + page)
    assert answer.status_code == 404
    nowhere = people["cleo"].get("/pools/nowhere" + page)
    assert nowhere.status_code == 404  # the same answer as for a pool that is not there:
    assert text_of(answer.text) == text_of(nowhere.text).replace("nowhere", "seaside")


@pytest.mark.parametrize("page", POOL_PAGES)
def test_someone_not_signed_in_is_sent_to_sign_in_and_back(
    people: People, browser: Callable[[], Browser], page: str
) -> None:
    someone = browser()
    answer = someone.get("/pools/seaside" + page)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=%2Fpools%2Fseaside" + page.replace(
        "/", "%2F")
    nowhere = someone.get("/pools/nowhere" + page)  # the same: no name is revealed
    assert nowhere.status_code == 303


def test_a_pool_that_does_not_exist_is_not_found(people: People) -> None:
    assert people["cleo"].get("/pools/nowhere").status_code == 404


@pytest.mark.parametrize("page", ["/period", "/period/clearing"])
def test_a_member_may_not_see_the_coordinators_pages(people: People, page: str) -> None:
    answer = people["ben"].get("/pools/seaside" + page)
    assert answer.status_code == 403
    assert "only a coordinator of pool 'seaside' may run the periods" in text_of(answer.text)
    assert "/pools/seaside/period" not in people["ben"].page("/pools/seaside")  # no tab


@pytest.fixture
def harbour(people: People) -> People:
    """Ana's second pool, ``harbour``: public, and anyone signed in may join."""
    people["ana"].submit("/pools", {"name": "harbour", "admission": "open", "public": "1"})
    return people


@pytest.mark.parametrize("page", ["", "/tasks", "/goods", "/hints", "/ledger", "/projects",
                                  "/hints.atom", "/ledger.csv"])
def test_a_public_pool_is_read_by_anyone(
    harbour: People, browser: Callable[[], Browser], page: str
) -> None:
    assert harbour["cleo"].get("/pools/harbour" + page).status_code == 200
    assert browser().get("/pools/harbour" + page).status_code == 200


def test_a_public_pool_is_not_written_by_outsiders(harbour: People) -> None:
    cleo = harbour["cleo"]
    assert "harbour" in cleo.text("/")  # listed among the public pools
    said = cleo.text("/pools/harbour")
    assert "You can read this pool because it is public." in said
    assert cleo.post("/pools/harbour/wishes", {"alternative": "good:x"},
                     form_on="/pools/harbour").status_code == 403
    assert cleo.get("/pools/harbour/period").status_code == 403
    assert cleo.post("/pools/harbour/period/clear",
                     form_on="/pools/harbour").status_code == 403


def test_someone_not_signed_in_who_posts_is_sent_to_sign_in(
    harbour: People, browser: Callable[[], Browser]
) -> None:
    someone = browser()
    answer = someone.post("/pools/harbour/join", form_on="/pools/harbour")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/signin?next=")


# Joining


def test_joining_an_open_pool_at_once(harbour: People) -> None:
    cleo = harbour["cleo"]
    assert "Join the pool" in cleo.text("/pools/harbour")
    assert cleo.submit("/pools/harbour/join", form_on="/pools/harbour") == "/pools/harbour"
    said = cleo.text("/pools/harbour")
    assert "Welcome to the pool!" in said
    assert "You are a member here." in said
    assert cleo.post("/pools/harbour/join", form_on="/pools/harbour").status_code == 409


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_joining_a_pool_on_a_coordinator_s_approval(people: People, decision: str) -> None:
    ana, cleo = people["ana"], people["cleo"]
    ana.submit("/pools", {"name": "dunes", "admission": "approval", "public": "1"})
    assert "Ask to join the pool" in cleo.text("/pools/dunes")
    cleo.submit("/pools/dunes/join", form_on="/pools/dunes")
    said = cleo.text("/pools/dunes")
    assert "You asked to join; a coordinator will decide." in said
    assert "You asked to join this pool; a coordinator will decide." in said
    assert "You are a member here." not in said

    requests = ana.page("/pools/dunes/period")
    assert f'action="/pools/dunes/requests/cleo/{decision}"' in requests
    assert "/pools/dunes/requests/cleo/approve" not in cleo.text("/pools/dunes")
    assert people["ben"].post(f"/pools/dunes/requests/cleo/{decision}",
                              form_on="/").status_code == 403  # ben is not in dunes
    ana.submit(f"/pools/dunes/requests/cleo/{decision}", form_on="/pools/dunes/period")
    said = ana.text("/pools/dunes/period")
    if decision == "approve":
        assert "cleo is now a member." in said
        assert "You are a member here." in cleo.text("/pools/dunes")
    else:
        assert "The request of cleo is declined." in said
        assert "Ask to join the pool" in cleo.text("/pools/dunes")
    assert "No requests waiting." in said


def test_a_request_is_approved_or_declined_and_nothing_else(people: People) -> None:
    answer = people["ana"].post("/pools/seaside/requests/cleo/ignore",
                                form_on="/pools/seaside/period")
    assert answer.status_code == 404
    assert "no decision 'ignore'" in text_of(answer.text)


def test_a_member_may_not_decide_requests_to_join(people: People) -> None:
    ana, ben, cleo = people["ana"], people["ben"], people["cleo"]
    ana.submit("/pools/seaside/invitations", {"role": "coordinator"},
               form_on="/pools/seaside/period")
    ana.submit("/pools", {"name": "dunes", "admission": "approval", "public": "1"})
    cleo.submit("/pools/dunes/join", form_on="/pools/dunes")
    ben.submit("/pools/dunes/join", form_on="/pools/dunes")
    ana.submit("/pools/dunes/requests/ben/approve", form_on="/pools/dunes/period")
    answer = ben.post("/pools/dunes/requests/cleo/approve", form_on="/pools/dunes")
    assert answer.status_code == 403
    assert "You asked to join this pool" in cleo.text("/pools/dunes")
