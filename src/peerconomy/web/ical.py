"""A calendar as iCalendar text (RFC 5545), written with the ``icalendar`` library, for the
calendar apps that subscribe to a member's secret address.

Each entry is one VEVENT: its UID is the entry's own (``pool/what/which``) at the site's
host, so an app that fetches the calendar again updates its events instead of adding them
twice; DTSTAMP is the moment the calendar was written. A moment is written in its pool's
time zone (``DTSTART;TZID=Europe/Berlin:...``, with the zone's VTIMEZONE, limited to the
years the calendar spans) or in UTC for a pool in UTC; a day is an all-day event, whose
DTEND is the day after its last (RFC 5545's exclusive end). Texts are put in the reader's
language. The calendar asks apps to fetch it again every hour (REFRESH-INTERVAL and its
older spelling, X-PUBLISHED-TTL).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar

from peerconomy.services.calendars import Calendar, CalendarEntry
from peerconomy.services.notices import Gettext

__all__ = ["MEDIA_TYPE", "REFRESH", "calendar_text"]

MEDIA_TYPE: Final = "text/calendar; charset=utf-8"
REFRESH: Final = timedelta(hours=1)
"""How often a calendar app is asked to fetch the calendar again."""
_PRODUCT: Final = "-//peerconomy//calendar//EN"


def _moment(value: date | datetime, zone: ZoneInfo) -> date | datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if zone.key == "UTC" else value.astimezone(zone)
    return value


def _event(entry: CalendarEntry, *, host: str, now: datetime, gettext: Gettext,
           locale: str) -> icalendar.Event:
    zone = ZoneInfo(entry.time_zone)
    end: date | datetime | None = entry.ends
    if end is not None and not isinstance(end, datetime):
        end = end + timedelta(days=1)
    event = icalendar.Event.new(
        uid=f"{quote(entry.uid, safe='/-._~')}@{host}",
        stamp=now.astimezone(UTC),
        summary=entry.summary.written(gettext, locale),
        start=_moment(entry.starts, zone),
        end=_moment(end, zone) if end is not None else None,
        location=entry.location or None,
        description="\n".join(line.written(gettext, locale) for line in entry.description)
        or None,
        status=icalendar.STATUS.CANCELLED if entry.cancelled else icalendar.STATUS.CONFIRMED,
        transparency=icalendar.TRANSP.OPAQUE if entry.busy else icalendar.TRANSP.TRANSPARENT,
    )
    return event


def _span(entries: tuple[CalendarEntry, ...]) -> tuple[date, date]:
    """The years the entries fall in (from the first's New Year to the last's next), for
    the VTIMEZONE definitions."""
    days = [e.starts.date() if isinstance(e.starts, datetime) else e.starts for e in entries]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    return date(first.year, 1, 1), date(last.year + 2, 1, 1)


def calendar_text(calendar: Calendar, *, host: str, now: datetime, gettext: Gettext,
                  locale: str) -> bytes:
    """``calendar`` as iCalendar text: ``host`` is the site's (the UIDs' domain), ``now``
    the moment it is written, ``gettext`` and ``locale`` its reader's language."""
    written = icalendar.Calendar.new(
        prodid=_PRODUCT,
        uid=f"{quote(calendar.uid, safe='/-._~')}@{host}",
        name=calendar.name.written(gettext, locale),
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
    )
    written.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for entry in calendar.entries:
        written.add_component(_event(entry, host=host, now=now, gettext=gettext,
                                     locale=locale))
    first, last = _span(calendar.entries)
    written.add_missing_timezones(first_date=first, last_date=last)
    body: bytes = written.to_ical()
    return body
