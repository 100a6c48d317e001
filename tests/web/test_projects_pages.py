"""The Projects page: each project's tasks, goods and recipes and the pool's members; for
coordinators, adding a project from lines of text and forking one."""

from __future__ import annotations

import re

import pytest
from browsing import BLANK, TIMES, Browser, offer, rows_of, sign_up, text_of, wish
from fastapi.testclient import TestClient
from httpx2 import Response

from peerconomy.domain.pool import Member
from peerconomy.domain.scenario import Good, Task
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]

DAIRY_TASKS = """\
# the dairy's chores
milking 2
baking
"""
DAIRY_GOODS = """\
cheese effort milking=0,5
bread flat-allocation type=bread baking=1 milking=0.25
cellar auction capacity=1 type=room
"""


def pool_tasks(store: MemoryStore) -> list[Task]:
    with store.unit_of_work() as uow:
        return list(uow.pools.tasks("seaside"))


def pool_goods(store: MemoryStore) -> list[Good]:
    with store.unit_of_work() as uow:
        return list(uow.pools.goods("seaside"))


def add_project(who: Browser, project: str, tasks: str = "", goods: str = "") -> str:
    return who.submit("/pools/seaside/projects",
                      {"project": project, "tasks": tasks, "goods": goods},
                      form_on="/pools/seaside/projects")


def test_the_projects_page_shows_tasks_goods_recipes_and_members(people: People) -> None:
    page = people["ben"].page("/pools/seaside/projects")
    said = text_of(page)
    assert "stairs (4 h needed whatever is made)" in said
    assert "sea-view — scarce: by preference weighting, up to 1 per period" in said
    assert "Recipe per unit: 0.5 h laundry" in said
    assert ["ana", "coordinator", BLANK, ""] in rows_of(page)
    assert ["ben", "member", BLANK, ""] in rows_of(page)
    assert "A coordinator approves who joins." in said
    assert "Logged work counts once a second member confirms it." in said


def test_only_coordinators_get_the_forms_that_add_and_fork_projects(people: People) -> None:
    for_ben = people["ben"].page("/pools/seaside/projects")
    assert "Add a project" not in for_ben and "/fork" not in for_ben
    for_ana = people["ana"].page("/pools/seaside/projects")
    assert 'action="/pools/seaside/projects#add-project"' in for_ana
    assert 'action="/pools/seaside/projects/flats/fork"' in for_ana


def test_a_coordinator_adds_a_project_from_lines(people: People, store: MemoryStore) -> None:
    ana = people["ana"]
    assert add_project(ana, "dairy", DAIRY_TASKS, DAIRY_GOODS) == "/pools/seaside/projects"
    said = ana.text("/pools/seaside/projects")
    assert "dairy joins the pool." in said
    assert "milking (2 h needed whatever is made)" in said
    assert "bread — flat allocation (every unit the same), a kind of bread" in said
    assert "Recipe per unit: 1 h baking, 0.25 h milking" in said
    added = [t for t in pool_tasks(store) if t.project == "dairy"]
    assert added == [Task(id="milking", project="dairy", fixed_hours=2.0),
                     Task(id="baking", project="dairy")]
    goods = {g.id: g for g in pool_goods(store) if g.project == "dairy"}
    assert goods == {
        "cheese": Good(id="cheese", project="dairy", model="effort",
                       recipe={"milking": 0.5}),
        "bread": Good(id="bread", project="dairy", model="flat_allocation",
                      product_type="bread", recipe={"baking": 1.0, "milking": 0.25}),
        "cellar": Good(id="cellar", project="dairy", model="auction", capacity=1,
                       product_type="room"),
    }


def test_members_offer_and_wish_on_an_added_project(people: People) -> None:
    ana, ben = people["ana"], people["ben"]
    add_project(ana, "dairy", "milking", "cheese effort milking=0.5 laundry=0.25")
    offer(ben, "milking", 3, 1.0)
    wish(ben, "good:cheese", quantity=2)
    said = ben.text("/pools/seaside")
    assert "milking: up to 3 h, at a weight of at least 1" in said
    assert f"2 {TIMES} cheese" in said


@pytest.mark.parametrize(
    ("project", "tasks", "goods", "said"),
    [
        ("dairy", "milking two", "", "tasks, line 1, fixed hours: must be a number, got 'two'"),
        ("dairy", "milking -1", "", "tasks, line 1, fixed hours: must be >= 0, got '-1'"),
        ("dairy", "milking 2 hours", "", "tasks, line 1: one task per line"),
        ("dairy", "milking\nmilking 2", "", "tasks, line 2, id: 'milking' is on line 1"),
        ("dairy", "", "\ncheese", "goods, line 2, model: is missing"),
        ("dairy", "", "cheese cheap", "goods, line 1, model: must be one of flat_rate,"
                                      " flat_allocation, effort, auction, got 'cheap'"),
        ("dairy", "", "cellar auction capacity=1.5",
         "goods, line 1, capacity: must be a whole number, got '1.5'"),
        ("dairy", "", "cheese effort milking=lots",
         "goods, line 1, recipe.milking: must be a number, got 'lots'"),
        ("dairy", "", "cheese effort milking", "goods, line 1: 'milking' is not NAME=VALUE"),
        ("dairy", "", "cheese effort capacity=1 capacity=2",
         "goods, line 1, capacity: is given twice"),
        ("dairy", "milking", "cheese effort\n\nbutter effort churning=1",
         "goods, line 3, recipe.churning: unknown task 'churning'"),
        ("", "milking", "", "project: must be a non-empty id"),
        ("dairy farm", "milking", "", "project: must be 1 to 100 letters (a-z, A-Z), digits,"
                                      " '.', '_' or '-', starting with a letter or digit,"
                                      " got 'dairy farm'"),
        ("dairy", "milking\nchurning!", "", "tasks, line 2, id: must be 1 to 100 letters"
                                            " (a-z, A-Z), digits, '.', '_', '-' or '/',"
                                            " starting with a letter or digit,"
                                            " got 'churning!'"),
        ("dairy", "milking", "cheese effort\nbrie+camembert effort",
         "goods, line 2, id: must be 1 to 100 letters"),
    ],
)
def test_a_mistake_in_the_lines_is_named_and_adds_nothing(
    people: People, store: MemoryStore, project: str, tasks: str, goods: str, said: str
) -> None:
    before = (pool_tasks(store), pool_goods(store))
    answer = people["ana"].post("/pools/seaside/projects",
                                {"project": project, "tasks": tasks, "goods": goods},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 422
    assert said in text_of(answer.text)
    # What was written is kept to be mended (after the newline a textarea's HTML drops).
    assert f">\n{tasks}</textarea>" in answer.text and f">\n{goods}</textarea>" in answer.text
    assert (pool_tasks(store), pool_goods(store)) == before


def test_every_mistake_in_the_lines_is_named_at_once(
    people: People, store: MemoryStore
) -> None:
    before = (pool_tasks(store), pool_goods(store))
    answer = people["ana"].post("/pools/seaside/projects",
                                {"project": "dairy", "tasks": "milking -1\nchurning",
                                 "goods": "cheese\nbutter effort"},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 422
    assert ("tasks, line 1, fixed hours: must be >= 0, got '-1'; goods, line 1, model: is"
            " missing" in text_of(answer.text))
    assert (pool_tasks(store), pool_goods(store)) == before


@pytest.mark.parametrize(
    ("project", "tasks", "said"),
    [
        ("flats", "", "project 'flats' is in pool 'seaside' already"),
        ("dairy", "milking\nstairs 1", "tasks, line 2, id: 'stairs' is taken in pool 'seaside'"),
    ],
)
def test_a_project_or_task_that_is_there_already_is_refused(
    people: People, store: MemoryStore, project: str, tasks: str, said: str
) -> None:
    before = pool_tasks(store)
    answer = people["ana"].post("/pools/seaside/projects",
                                {"project": project, "tasks": tasks, "goods": ""},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 409
    assert said in text_of(answer.text)
    assert pool_tasks(store) == before


def test_a_member_may_not_add_a_project(people: People, store: MemoryStore) -> None:
    answer = people["ben"].post("/pools/seaside/projects",
                                {"project": "dairy", "tasks": "milking", "goods": ""},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 403
    assert "only a coordinator of pool 'seaside' may add projects" in text_of(answer.text)
    assert all(t.project == "flats" for t in pool_tasks(store))


def test_a_coordinator_forks_a_project(people: People, store: MemoryStore) -> None:
    ana = people["ana"]
    ana.submit("/pools/seaside/projects/flats/fork", {"project": "annex"},
               form_on="/pools/seaside/projects")
    said = ana.text("/pools/seaside/projects")
    assert "annex is forked from flats." in said
    assert "Forked from flats." in said
    assert "annex/sea-view" in said
    assert {t.id for t in pool_tasks(store) if t.project == "annex"} == {
        "annex/stairs", "annex/garden", "annex/laundry"}
    answer = people["ben"].post("/pools/seaside/projects/flats/fork", {"project": "attic"},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 403


@pytest.mark.parametrize("new", ["the annex", "annex/attic", "<b>annex</b>", ".annex"])
def test_a_fork_into_an_id_that_is_no_identifier_is_refused(
    people: People, store: MemoryStore, new: str
) -> None:
    before = pool_tasks(store)
    answer = people["ana"].post("/pools/seaside/projects/flats/fork", {"project": new},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 422
    assert (f"project: must be 1 to 100 letters (a-z, A-Z), digits, '.', '_' or '-', starting"
            f" with a letter or digit, got {new!r}") in text_of(answer.text)
    assert pool_tasks(store) == before


def test_a_fork_may_be_named_with_dots_dashes_and_underscores(people: People,
                                                               store: MemoryStore) -> None:
    people["ana"].submit("/pools/seaside/projects/flats/fork", {"project": "Flats_2.0-b"},
                         form_on="/pools/seaside/projects")
    assert "Flats_2.0-b/stairs" in {t.id for t in pool_tasks(store)}


# --- coordinators editing: members, capacities, projects, settings ---------------------------


def version_in(page: str, action: str) -> str:
    """The version that the form posting to ``action`` carries, as the page shows it."""
    found = re.search(re.escape(f'action="{action}"') + r'[^>]*>\s*<input type="hidden"'
                      r' name="csrf_token" value="[^"]*">\s*<input type="hidden" name="version"'
                      r' value="(\d+)">', page)
    assert found is not None, f"no form to {action} with a version"
    return found.group(1)


def members_of(store: MemoryStore) -> dict[str, Member]:
    with store.unit_of_work() as uow:
        return {m.id: m for m in uow.pools.members("seaside")}


def test_a_coordinator_changes_a_members_role_hours_and_exemption(
    people: People, store: MemoryStore
) -> None:
    ana = people["ana"]
    page = ana.page("/pools/seaside/projects")
    version = version_in(page, "/pools/seaside/members/ben")
    assert version == "1"
    ana.submit("/pools/seaside/members/ben",
               {"role": "coordinator", "capacity": "6", "exempt": "on", "version": version},
               form_on="/pools/seaside/projects")
    assert members_of(store)["ben"] == Member("ben", 6.0, exempt=True, role="coordinator",
                                              version=2, account="ben")
    said = ana.text("/pools/seaside/projects")
    assert "The settings of ben are saved." in said
    # ben, now a coordinator, sees the forms too
    assert 'action="/pools/seaside/settings"' in people["ben"].page("/pools/seaside/projects")


def test_the_last_coordinator_cannot_step_down_on_the_page(
    people: People, store: MemoryStore
) -> None:
    answer = people["ana"].post("/pools/seaside/members/ana", {"role": "member", "version": "1"},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 409
    assert "a pool always keeps one" in text_of(answer.text)
    assert members_of(store)["ana"].role == "coordinator"


def test_of_two_coordinators_the_later_edit_gets_the_page_back_asking_to_make_it_again(
    people: People, store: MemoryStore
) -> None:
    ana, ben = people["ana"], people["ben"]
    ana.submit("/pools/seaside/members/ben", {"role": "coordinator", "version": "1"},
               form_on="/pools/seaside/projects")
    # both open the Projects page: the flats at version 1
    seen_by_ana = ana.page("/pools/seaside/projects")
    seen_by_ben = ben.page("/pools/seaside/projects")
    assert version_in(seen_by_ana, "/pools/seaside/goods/guest-bed/capacity") == "1"
    assert version_in(seen_by_ben, "/pools/seaside/projects/flats/leave") == "1"
    ana.submit("/pools/seaside/goods/guest-bed/capacity", {"capacity": "3", "version": "1"},
               form_on="/pools/seaside/projects")
    answer = ben.post("/pools/seaside/projects/flats/leave", {"version": "1"},
                      form_on="/pools/seaside/projects")
    assert answer.status_code == 409
    said = text_of(answer.text)
    assert "Someone else changed this while you were editing it." in said
    assert "up to 3 per period" in said  # the page shows what ana planned
    assert version_in(answer.text, "/pools/seaside/projects/flats/leave") == "2"
    with store.unit_of_work() as uow:
        assert [(p.id, p.active, p.version) for p in uow.pools.projects("seaside")] == [
            ("flats", True, 2)]
    # made again from what the page now shows, it goes through
    ben.submit("/pools/seaside/projects/flats/leave", {"version": "2"},
               form_on="/pools/seaside/projects")
    assert "flats has left the pool." in ben.text("/pools/seaside/projects")


def test_the_pools_settings_are_changed_on_the_page_and_a_stale_form_is_refused(
    people: People, store: MemoryStore
) -> None:
    ana = people["ana"]
    page = ana.page("/pools/seaside/projects")
    assert version_in(page, "/pools/seaside/settings") == "1"
    form = {"admission": "open", "public": "on", "max_weight": "8", "version": "1"}
    ana.submit("/pools/seaside/settings", form, form_on="/pools/seaside/projects")
    with store.unit_of_work() as uow:
        pool = uow.pools.get("seaside")
    assert pool is not None and pool.version == 2
    assert (pool.settings.admission, pool.settings.public, pool.settings.communal_validation,
            pool.settings.max_weight) == ("open", True, False, 8.0)
    assert "Anyone signed in may join." in ana.text("/pools/seaside/projects")
    again = ana.post("/pools/seaside/settings", {**form, "admission": "approval"},
                     form_on="/pools/seaside/projects")
    assert again.status_code == 409
    with store.unit_of_work() as uow:
        assert uow.pools.get("seaside") == pool


def test_a_capacity_must_be_a_whole_number_and_members_may_not_edit(
    people: People, store: MemoryStore
) -> None:
    before = pool_goods(store)
    answer = people["ana"].post("/pools/seaside/goods/guest-bed/capacity",
                                {"capacity": "2.5", "version": "1"},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 422
    assert "capacity: must be a whole number &gt;= 0" in answer.text
    for path, form in (("/pools/seaside/goods/guest-bed/capacity", {"capacity": "1"}),
                       ("/pools/seaside/members/ben", {"role": "coordinator"}),
                       ("/pools/seaside/settings", {"admission": "open", "max_weight": "5"}),
                       ("/pools/seaside/projects/flats/leave", {})):
        refused = people["ben"].post(path, {**form, "version": "1"},
                                     form_on="/pools/seaside/projects")
        assert refused.status_code == 403, path
    assert pool_goods(store) == before
    assert members_of(store)["ben"].role == "member"



# --- claiming members ------------------------------------------------------------------------


def upload_members(who: Browser, text: str) -> Response:
    """Post a membership list as the Projects page's upload form does."""
    return who.client.post(
        "/pools/seaside/member-list",
        data={"csrf_token": who.csrf("/pools/seaside/projects")},
        files={"members": ("households.csv", text.encode("utf-8"), "text/csv")},
    )


def test_a_coordinator_uploads_a_membership_list_and_sees_each_invitation_once(
    people: People, store: MemoryStore
) -> None:
    ana = people["ana"]
    answer = upload_members(ana, "id,display_name,email\nflat-4,Dora,dora@seaside.example\n"
                                 "flat-5,Emil,\n")
    assert answer.status_code == 200, answer.text[:500]
    said = text_of(answer.text)
    assert "2 members added." in said
    links = re.findall(r'class="secret">(https?://[^<]+/invitations/[^<]+)<', answer.text)
    assert len(links) == 2
    assert members_of(store)["flat-4"] == Member("flat-4", display_name="Dora",
                                                 email="dora@seaside.example")
    assert "/invitations/" not in ana.page("/pools/seaside/projects")  # shown only once
    # dora, who has an account of another name, claims flat-4 by her link
    dora = sign_up(Browser(TestClient(ana.client.app, follow_redirects=False)), "dora")
    path = links[0].split("://", 1)[1].partition("/")[2]
    assert dora.submit(f"/{path}", form_on=f"/{path}") == "/pools/seaside"
    assert members_of(store)["flat-4"].account == "dora"


def test_a_membership_list_with_a_bad_row_is_refused_with_its_line_and_nothing_stored(
    people: People, store: MemoryStore
) -> None:
    before = members_of(store)
    answer = upload_members(people["ana"], "id,email\nflat-4,dora@seaside.example\n"
                                           "flat-5,emil at home\n")
    assert answer.status_code == 422
    assert "line 3, email: is not an email address" in text_of(answer.text)
    assert members_of(store) == before
    with store.unit_of_work() as uow:
        assert all(i.member is None for i in uow.accounts.invitations("seaside"))
    assert upload_members(people["ben"], "id\nflat-6\n").status_code == 403


def test_a_coordinator_links_an_account_to_a_member_nobody_claimed(
    people: People, store: MemoryStore
) -> None:
    ana = people["ana"]
    upload_members(ana, "id,display_name\nflat-4,Dora\n")
    page = ana.page("/pools/seaside/projects")
    assert "not claimed yet" in text_of(page)
    version = version_in(page, "/pools/seaside/members/flat-4/link")
    ana.submit("/pools/seaside/members/flat-4/link", {"user": "cleo", "version": version},
               form_on="/pools/seaside/projects")
    assert members_of(store)["flat-4"].account == "cleo"
    assert people["cleo"].get("/pools/seaside").status_code == 200
