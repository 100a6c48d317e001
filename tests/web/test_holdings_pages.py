"""Goods that last on the pages: the sea-view room of the seaside flats is held for three
periods by ana, who won it. *My period* shows what she holds with a button to give notice
(asking to confirm), and the coordinators' period page lists every holding."""

from __future__ import annotations

from dataclasses import replace

from browsing import Browser, clear, rows_of, text_of

from peerconomy.services import holdings
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]


def test_a_holder_sees_what_she_holds_and_gives_notice(collected: People,
                                                        store: MemoryStore) -> None:
    ana, ben = collected["ana"], collected["ben"]
    with store.unit_of_work() as uow:  # the sea-view room lasts three periods
        room = next(g for g in uow.pools.goods("seaside") if g.id == "sea-view")
        uow.pools.put_good("seaside", replace(room, tenure=3))
        uow.commit()
    clear(ana)
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")

    mine = ana.page("/pools/seaside")
    assert "What I hold" in text_of(mine)
    assert ["sea-view", "1", "2", "3 h", "Give notice"] in rows_of(mine)  # units, left, premium
    assert 'hx-confirm="Give it back?' in mine
    assert "What I hold" not in ben.text("/pools/seaside")  # ben holds nothing
    board = ana.page("/pools/seaside/period")
    assert ["ana", "sea-view", "1", "2", "3 h", "Give notice"] in rows_of(board)

    refused = ben.post("/pools/seaside/holdings/1/notice", form_on="/pools/seaside")
    assert refused.status_code == 404  # not his to give back
    ana.submit("/pools/seaside/holdings/1/notice", form_on="/pools/seaside")

    assert "Notice given: it ends with this period." in ana.text("/pools/seaside")
    assert [h.notice_given for h in holdings.holdings_of(store.unit_of_work(), "seaside")] == [
        True]


def test_german_pages_say_what_i_hold(collected: People, store: MemoryStore) -> None:
    ana = collected["ana"]
    with store.unit_of_work() as uow:
        room = next(g for g in uow.pools.goods("seaside") if g.id == "sea-view")
        uow.pools.put_good("seaside", replace(room, tenure=3))
        uow.commit()
    clear(ana)
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")

    said = ana.text("/pools/seaside?lang=de")

    assert "Was ich halte" in said and "Kündigen" in said
