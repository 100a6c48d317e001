"""Names on the pages: a coordinator names the seaside's tasks and goods on the Projects page,
and every member's pages show the names (the id where nothing is named); a name is text,
never markup.

The seaside flats (``conftest.py``): ana coordinates, ben is a member.
"""

from __future__ import annotations

from browsing import Browser, rows_of, text_of

from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
PROJECTS = "/pools/seaside/projects"


def name_good(ana: Browser, good: str, name: str, description: str = "") -> str:
    return ana.submit(f"/pools/seaside/goods/{good}/names",
                      {"name": name, "description": description, "version": "1"},
                      form_on=PROJECTS)


def test_a_named_good_is_shown_by_its_name_on_the_goods_page(people: People) -> None:
    name_good(people["ana"], "guest-bed", "Gemüsekiste", "Was die Woche bringt")
    page = people["ben"].page("/pools/seaside/goods")
    goods = [row[0] for row in rows_of(page)[1:]]
    assert goods[0] == "sea-view" and goods[1].startswith("Gemüsekiste")  # not: guest-bed
    assert "Gemüsekiste Was die Woche bringt" in text_of(page)
    assert "Gemüsekiste (by effort)" in text_of(page)  # the wish form names it too


def test_a_name_with_markup_is_shown_as_text(people: People, store: MemoryStore) -> None:
    name_good(people["ana"], "guest-bed", "<script>alert(1)</script>")
    with store.unit_of_work() as uow:
        assert [g.name for g in uow.pools.goods("seaside")] == [
            None, "<script>alert(1)</script>"]
    for url in ("/pools/seaside/goods", PROJECTS):
        page = people["ben"].page(url)
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)</script>" in text_of(page)


def test_a_task_s_name_place_and_contact_are_on_the_tasks_page(people: People) -> None:
    people["ana"].submit("/pools/seaside/tasks/garden/names", {
        "name": "Gartenpflege", "description": "Rasen mähen,\r\nHecke schneiden",
        "place": "hinter Haus 2", "contact": "ana", "version": "1"}, form_on=PROJECTS)
    said = people["ben"].text("/pools/seaside/tasks")
    assert "Gartenpflege (flats)" in said
    assert "Rasen mähen, Hecke schneiden" in said
    assert "Where: hinter Haus 2 · Ask: ana" in said
    assert "stairs (flats)" in said  # a task without a name: its id


def test_a_coordinator_sees_the_id_beside_the_name(people: People) -> None:
    people["ana"].submit("/pools/seaside/projects/flats/names",
                         {"name": "Wohnungen", "description": "", "version": "1"},
                         form_on=PROJECTS)
    said = people["ana"].text(PROJECTS)
    assert "Wohnungen (flats)" in said


def test_a_hostile_name_from_a_form_is_refused_and_nothing_stored(
    people: People, store: MemoryStore
) -> None:
    for field, value in (("name", "Jä\x00ten"), ("name", "x" * 10_000),
                         ("description", "\x1b[2J"), ("contact", "nobody")):
        answer = people["ana"].post("/pools/seaside/tasks/garden/names",
                                    {field: value, "version": "1"}, form_on=PROJECTS)
        assert answer.status_code == 422, (field, answer.status_code)
        assert field in text_of(answer.text)
    with store.unit_of_work() as uow:
        garden = next(t for t in uow.pools.tasks("seaside") if t.id == "garden")
        assert (garden.name, garden.description, garden.contact) == (None, None, None)


def test_the_pool_s_display_name_heads_its_pages(people: People) -> None:
    people["ana"].submit("/pools/seaside/settings", {
        "admission": "approval", "max_weight": "5", "display_name": "Häuser am Meer",
        "description": "", "communal_validation": "on", "version": "1"}, form_on=PROJECTS)
    page = people["ben"].page("/pools/seaside")
    assert "<title>My period · Häuser am Meer" in page
    assert "Häuser am Meer: period 1" in text_of(page)


def test_a_cleared_plan_is_shown_by_the_names(cleared: People) -> None:
    cleared["ana"].submit("/pools/seaside/tasks/stairs/names",
                          {"name": "Treppenhaus", "version": "1"}, form_on=PROJECTS)
    mine = rows_of(cleared["ben"].page("/pools/seaside"))
    assert any(row[0] == "Treppenhaus" for row in mine), mine
    report = text_of(cleared["ana"].page("/pools/seaside/period"))
    assert "Treppenhaus" in report
