"""The seaside flats go weekly on the settings page: the coordinator gives the calendar and
the first day of the collecting period, and the members' pages show the period's days and
when its offers close, in the pool's time zone and the reader's language; a time zone that
is none is refused naming the field, and nothing changes."""

from __future__ import annotations

from browsing import Browser, text_of

from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
WEEKLY = {"admission": "approval", "max_weight": "5", "version": "1",
          "period_length": "1 week", "starts_on": "2026-05-04", "close_days": "2",
          "close_time": "18:00", "time_zone": "Europe/Berlin", "auto_clear": "on"}


def test_the_calendar_is_set_on_the_settings_page_and_members_see_the_deadline(
    people: People, store: MemoryStore,
) -> None:
    ana, ben = people["ana"], people["ben"]
    ana.submit("/pools/seaside/settings", WEEKLY, form_on="/pools/seaside/projects")
    with store.unit_of_work() as uow:
        schedule = uow.pools.get("seaside").settings.schedule  # type: ignore[union-attr]
        period = uow.periods.latest("seaside")
    assert (str(schedule.length), schedule.time_zone, schedule.auto_clear) == (
        "1 week", "Europe/Berlin", True)
    assert period is not None and period.collect_until is not None
    assert period.collect_until.isoformat() == "2026-05-08T16:00:00+00:00"
    said = text_of(ben.page("/pools/seaside"))
    assert "Mon, May 4 to Sun, May 10 · offers close Fri, May 8 18:00" in said
    german = text_of(ben.page("/pools/seaside", **{"Accept-Language": "de"}))
    assert "Mo., 4. Mai bis So., 10. Mai · Angebote schließen Fr., 8. Mai 18:00" in german
    assert "offers close Fri, May 8 18:00" in text_of(ana.page("/pools/seaside/period"))
    form = ana.page("/pools/seaside/projects")
    assert 'value="1 week"' in form and 'value="2026-05-04"' in form


def test_a_time_zone_that_is_none_is_refused_naming_it(people: People,
                                                       store: MemoryStore) -> None:
    answer = people["ana"].post("/pools/seaside/settings",
                                {**WEEKLY, "time_zone": "Mars/Olympus"},
                                form_on="/pools/seaside/projects")
    assert answer.status_code == 422
    assert "time_zone: must be a time zone" in answer.text
    with store.unit_of_work() as uow:
        assert uow.pools.get("seaside").version == 1  # type: ignore[union-attr]
        assert uow.periods.latest("seaside").starts_on is None  # type: ignore[union-attr]
