"""The audit log page: coordinators read who changed what in their pool, newest first, a
page at a time, linked from the period page; members are refused, outsiders do not find
the pool."""

from __future__ import annotations

from browsing import Browser, clear, rows_of, text_of

from peerconomy.domain.scenario import Offer
from peerconomy.services import collecting
from peerconomy.store.memory import MemoryStore
from peerconomy.web.routes_period import AUDIT_PAGE

People = dict[str, Browser]


def entries_of(html: str) -> list[list[str]]:
    """The rows of the log's table, without its head."""
    return rows_of(html)[1:]


def test_the_period_page_links_to_the_audit_log(collected: People) -> None:
    assert 'href="/pools/seaside/audit"' in collected["ana"].page("/pools/seaside/period")


def test_a_coordinator_reads_who_changed_what_newest_first(collected: People) -> None:
    ana = collected["ana"]
    clear(ana)
    page = ana.page("/pools/seaside/audit")
    said = text_of(page)
    assert "seaside: audit log" in said and "Nobody can edit or delete an entry." in said
    rows = entries_of(page)
    actions = [(row[2], row[3], row[4]) for row in rows]
    assert actions[0] == ("ana", "period.clear", "1")
    assert ("ben", "wish.put", actions[1][2]) == actions[1]
    assert ("ana", "offer.put", "stairs") in actions
    assert actions[-1] == ("ana", "pool.found", "seaside")
    assert "Older entries" not in said


def test_the_log_pages_back_to_older_entries(collected: People, store: MemoryStore) -> None:
    for hours in range(1, AUDIT_PAGE + 1):
        collecting.make_offer(store.unit_of_work(), "seaside",
                              Offer(participant="ben", task="garden", hours=hours,
                                    min_weight=1.0))
    ana = collected["ana"]
    first = ana.page("/pools/seaside/audit")
    assert len(entries_of(first)) == AUDIT_PAGE
    assert [row[2] for row in entries_of(first)][:1] == ["the system"]  # no actor: the system
    newest = int(entries_of(first)[-1][0])
    assert f'href="/pools/seaside/audit?before={newest}"' in first
    second = ana.page(f"/pools/seaside/audit?before={newest}")
    assert entries_of(second) and all(int(row[0]) < newest for row in entries_of(second))
    assert "Newest entries" in text_of(second)
    assert entries_of(second)[-1][3] == "pool.found"


def test_members_are_refused_and_outsiders_do_not_find_it(collected: People) -> None:
    assert collected["ben"].get("/pools/seaside/audit").status_code == 403
    assert collected["cleo"].get("/pools/seaside/audit").status_code == 404
    assert collected["ana"].get("/pools/seaside/audit?before=0").status_code == 422
