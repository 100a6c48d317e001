"""Pick-up points on the pages, at the seaside flats: ana (coordinating) adds the harbour kiosk
and the beach hut, ben chooses the kiosk on *My period* and, once the period is cleared, sees
what he takes home; ana prints the distribution lists, one sheet per point."""

from __future__ import annotations

from browsing import Browser, clear, rows_of, text_of

from peerconomy.services import views
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
POINTS = "/pools/seaside/pickup-points"


def with_points(ana: Browser, ben: Browser) -> None:
    for point, name in (("kiosk", "Hafenkiosk ⚓"), ("hut", "Strandhütte")):
        ana.submit(POINTS, {"id": point, "name": name, "address": "Am Hafen 1",
                            "opening_times": "Sat 14:00\u201318:00"}, form_on=POINTS)
    ben.submit("/pools/seaside/pickup", {"pickup_point": "kiosk"}, form_on="/pools/seaside")


def test_a_member_chooses_a_point_and_sees_what_to_take_home(
    collected: People, store: MemoryStore
) -> None:
    ana, ben = collected["ana"], collected["ben"]
    assert "My pick-up point" not in ben.text("/pools/seaside")  # no points yet
    with_points(ana, ben)
    said = ben.text("/pools/seaside")
    assert "Hafenkiosk ⚓" in said and "Sat 14:00\u201318:00" in said
    assert "take home" not in said  # nothing cleared yet
    clear(ana)
    plan = views.plan(store.unit_of_work(), "seaside", 1)
    assert plan is not None
    bens = [a for a in plan.data.allocations if a.participant == "ben"]
    assert bens
    said = ben.text("/pools/seaside")
    assert "This period you take home:" in said
    for a in bens:
        assert f"{a.quantity} \N{MULTIPLICATION SIGN} {a.good}" in said


def test_a_member_cannot_choose_a_point_that_is_not_there(collected: People) -> None:
    ana, ben = collected["ana"], collected["ben"]
    with_points(ana, ben)
    refused = ben.post("/pools/seaside/pickup", {"pickup_point": "mill"},
                       form_on="/pools/seaside")
    assert refused.status_code == 422 and "pickup_point" in refused.text


def test_a_coordinator_retires_a_point_and_its_members_choose_again(collected: People) -> None:
    ana, ben = collected["ana"], collected["ben"]
    with_points(ana, ben)
    page = ana.page(POINTS)
    assert "Hafenkiosk ⚓" in page and "Add a pick-up point" in text_of(page)
    ana.submit(POINTS + "/kiosk", {"name": "Hafenkiosk ⚓", "address": "", "opening_times": "",
                                   "version": "1"}, form_on=POINTS)  # unticked: retired
    assert "(retired)" in ana.text(POINTS)
    assert "Choose where you collect your goods." in ben.text("/pools/seaside")
    stale = ana.post(POINTS + "/kiosk", {"name": "Kiosk", "active": "1", "version": "1"},
                     form_on=POINTS)
    assert stale.status_code == 409 and "Someone else changed this" in stale.text
    bad = ana.post(POINTS, {"id": "shed", "name": "x" * 10_000}, form_on=POINTS)
    assert bad.status_code == 422 and "name: must be at most 100 characters" in bad.text
    assert ben.get(POINTS).status_code == 403


def test_the_coordinator_prints_the_lists_one_sheet_per_point(collected: People) -> None:
    ana, ben = collected["ana"], collected["ben"]
    with_points(ana, ben)
    clear(ana)
    assert "Distribution lists of period 1" in ana.text("/pools/seaside/period")
    page = ana.page("/pools/seaside/periods/1/distribution")
    assert page.count('class="sheet"') == 4  # kiosk, hut, nobody's point, the flats' packing
    rows = rows_of(page)
    assert any(row[0] == "ben" and row[-1] == "" for row in rows)  # a box to tick
    said = text_of(page)
    assert "Nobody collects here this period." in said  # the hut
    assert "No pick-up point chosen" in said and "Packing list of flats" in said
    assert ben.get("/pools/seaside/periods/1/distribution").status_code == 403
    assert ana.get("/pools/seaside/periods/2/distribution").status_code == 404
    css = ana.get("/static/style.css").text
    assert "@media print" in css and "break-before: page" in css


def test_german_pages_say_pick_up_point(collected: People) -> None:
    ana, ben = collected["ana"], collected["ben"]
    with_points(ana, ben)
    assert "Meine Abholstelle" in ben.text("/pools/seaside?lang=de")
    assert "Abholstelle hinzufügen" in ana.text(POINTS + "?lang=de")
