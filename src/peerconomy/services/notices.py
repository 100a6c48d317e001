"""Who should hear of a step, and what to tell them: the email notices of a pool.

A period opens (everyone may make offers and wishes), a plan is cleared (each member hears
their own assignments and share), work awaits someone's confirmation (the co-workers on the
task and the coordinators). Only members with an account whose email is verified get
notices, and only the kinds they have not turned off for that pool. The services compose
them inside the step's own transaction and queue them in the outbox
(:mod:`peerconomy.services.outbox`), whichever door the step came through; the server sends
them (:mod:`peerconomy.http.mail`).

Each member reads their notices in their own language. A notice is composed of
:class:`Text`: an English message marked with :func:`N_` (so that ``pybabel extract`` puts it
in the catalog, see ``docs/translating.md``) and the values of its placeholders. The notice
carries its reader's language (:attr:`Notice.locale`); whoever sends it looks up that
language's catalog and calls :meth:`Notice.written` with its ``gettext``, which translates
each message and writes the numbers as that language does. Links are kept as paths on the
site (:class:`Link`) and written out when the notice is sent, so a step taken from the
command line needs to know neither the site's address nor its secret key:

>>> note = Notice("ben@example.org", text(N_("[%(pool)s] Period %(number)s is open"),
...               pool="seaside", number=2), ((text(N_("%(hours)s weighted hours"),
...               hours=1.5),), (Link("/pools/seaside"),)), locale="de")
>>> note.written(lambda message: message.replace("Period", "Periode"), "de")
('[seaside] Periode 2 is open', '1,50 weighted hours\\n/pools/seaside\\n')
>>> note.written(links=lambda link: "https://example.org" + link.path)
('[seaside] Period 2 is open', '1.50 weighted hours\\nhttps://example.org/pools/seaside\\n')
>>> Notice.from_json(note.to_json()) == note
True
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from peerconomy.domain.account import Invitation, User
from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.names import Labels
from peerconomy.domain.pool import Member, Plan, WorkLog
from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift
from peerconomy.services.labels import labels
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "N_",
    "VERIFY",
    "Gettext",
    "Line",
    "Link",
    "Moment",
    "Notice",
    "Text",
    "addressees",
    "email_verification",
    "invitation",
    "moment_written",
    "open_slot",
    "password_reset",
    "period_opened",
    "plan_cleared",
    "pool_link",
    "pool_notices",
    "shift_cancelled",
    "sign_up_tried",
    "swap_answered",
    "swap_proposed",
    "text",
    "work_awaits_confirmation",
]

Gettext = Callable[[str], str]
"""Translates a message into one language (``gettext`` of that language's catalog)."""
SOURCE_LANGUAGE = "en"
VERIFY: Final = "verify-email"
"""The purpose of the signed link that verifies an account's email
(:mod:`peerconomy.services.mail_settings` reads it)."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment written as the day and time it is in a pool's time zone ``zone``, in the
    reader's language when the notice is written (``Fri, May 8 18:00``; German
    ``Fr., 8. Mai 18:00``), as the pages show a period's deadline (:func:`moment_written`)."""

    at: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a page of the site, written out when the notice is sent (the site's address
    before ``path``; where ``purpose`` is given, a token signed with the site's key for that
    purpose and ``payload`` after it: a link that works without signing in)."""

    path: str
    purpose: str = ""
    payload: tuple[str, ...] = ()


Value = str | int | float | Link | Moment
"""What a placeholder is filled with: floats are written with two decimals, moments in the
pool's time zone and the reader's language."""
Links = Callable[[Link], str]
"""Writes a link out in full (the sender knows the site's address and key)."""


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated when the notice is written."""
    return message


def _english(message: str) -> str:
    return message


def _as_path(link: Link) -> str:
    return link.path


@dataclass(frozen=True, slots=True)
class Text:
    """A message to put in the reader's language, and the values of its placeholders."""

    message: str
    """English, marked with :func:`N_`; placeholders are ``%(name)s``."""
    values: tuple[tuple[str, Value], ...] = ()

    def written(self, gettext: Gettext = _english, locale: str = SOURCE_LANGUAGE,
                links: Links = _as_path) -> str:
        """The message translated by ``gettext``, its numbers written as ``locale`` does and
        its links by ``links``."""
        translated = gettext(self.message)
        if not self.values:
            return translated
        return translated % {name: _written(value, locale, links)
                             for name, value in self.values}


def text(message: str, **values: Value) -> Text:
    """``Text(message, values)`` with the values named as in the message."""
    return Text(message, tuple(values.items()))


Line = tuple[Text | Link | str, ...]
"""One line of a notice's body: its parts (a ``str`` is sent as it is: an indent)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One email to one person, in words the sender puts in the reader's language."""

    to: str
    subject: Text
    body: tuple[Line, ...]
    locale: str = ""
    """The reader's language, as their account says (empty: English)."""
    unsubscribe: tuple[str, str, str] | None = None
    """For a pool notice: the user, pool and kind (:data:`~peerconomy.domain.mail.NOTICE_KINDS`)
    a one-click link turns off."""

    def written(
        self, gettext: Gettext = _english, locale: str = SOURCE_LANGUAGE,
        links: Links = _as_path,
    ) -> tuple[str, str]:
        """Subject and body, translated by ``gettext``, numbers written as ``locale`` does,
        links by ``links``."""
        lines = ("".join(_part(p, gettext, locale, links) for p in line) for line in self.body)
        return self.subject.written(gettext, locale, links), "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The notice as JSON text, as the outbox keeps it (:meth:`from_json` reads it)."""
        return json.dumps({
            "to": self.to, "subject": _text_json(self.subject),
            "body": [[_part_json(p) for p in line] for line in self.body],
            "locale": self.locale,
            "unsubscribe": list(self.unsubscribe) if self.unsubscribe else None,
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> Notice:
        """The notice :meth:`to_json` wrote."""
        kept = json.loads(data)
        off = kept["unsubscribe"]
        return cls(kept["to"], _text_of(kept["subject"]),
                   tuple(tuple(_part_of(p) for p in line) for line in kept["body"]),
                   kept["locale"], (off[0], off[1], off[2]) if off else None)


def _part(part: Text | Link | str, gettext: Gettext, locale: str, links: Links) -> str:
    if isinstance(part, Text):
        return part.written(gettext, locale, links)
    if isinstance(part, Link):
        return links(part)
    return part


def _value_json(value: Value) -> Any:
    if isinstance(value, Moment):
        return {"moment": value.at.isoformat(), "zone": value.zone}
    if isinstance(value, Link):
        return {"link": value.path, "purpose": value.purpose, "payload": list(value.payload)}
    return value


def _value_of(kept: Any) -> Value:
    if isinstance(kept, dict) and "moment" in kept:
        return Moment(datetime.fromisoformat(kept["moment"]), kept["zone"])
    if isinstance(kept, dict):
        return Link(kept["link"], kept["purpose"], tuple(kept["payload"]))
    return cast(Value, kept)


def _text_json(message: Text) -> dict[str, Any]:
    return {"message": message.message,
            "values": [[name, _value_json(value)] for name, value in message.values]}


def _text_of(kept: dict[str, Any]) -> Text:
    return Text(kept["message"], tuple((name, _value_of(v)) for name, v in kept["values"]))


def _part_json(part: Text | Link | str) -> Any:
    if isinstance(part, Text):
        return _text_json(part)
    if isinstance(part, Link):
        return _value_json(part)
    return part


def _part_of(kept: Any) -> Text | Link | str:
    if isinstance(kept, str):
        return kept
    if "message" in kept:
        return _text_of(kept)
    link = _value_of(kept)
    assert isinstance(link, Link)
    return link


def _written(value: Value, locale: str, links: Links) -> str:
    if isinstance(value, Link):
        return links(value)
    if isinstance(value, Moment):
        return moment_written(value.at, value.zone, locale)
    if not isinstance(value, float):
        return str(value)
    return format_decimal(value, format="#,##0.00", locale=_babel_locale(locale))


def _babel_locale(locale: str) -> Locale:
    """Babel's locale of ``locale`` (``de``, ``de-AT``); English if Babel knows none."""
    try:
        return Locale.parse(locale, sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


def moment_written(at: datetime, zone: str, locale: str) -> str:
    """``at`` as the day and time it is in the time zone ``zone``, as ``locale`` writes
    them: ``Fri, May 8 18:00`` (``de``: ``Fr., 8. Mai 18:00``). The pages write a period's
    deadline so, and the reminders too.

    >>> moment_written(datetime(2026, 5, 8, 16, tzinfo=UTC), "Europe/Berlin", "de")
    'Fr., 8. Mai 18:00'
    """
    here = ZoneInfo(zone)
    said = _babel_locale(locale)
    return " ".join(format_skeleton(skeleton, at, tzinfo=here, locale=said)
                    for skeleton in ("MMMEd", "Hm"))


def addressees(
    uow: UnitOfWork, pool: str, kind: NoticeKind, people: set[str] | None = None
) -> dict[str, tuple[str, str, str]]:
    """Email address, language and account of the pool's active members (of ``people``
    only) claimed by an account whose email is verified and who want notices of ``kind``
    from the pool, by member id: whom a pool notice (a reminder too) may be sent to."""
    found: dict[str, tuple[str, str, str]] = {}
    if uow.accounts.user_count() == 0:  # a simulated or imported pool: nobody to tell
        return found
    for member in uow.pools.members(pool):
        if not member.active or (people is not None and member.id not in people):
            continue
        user = uow.accounts.user(member.account) if member.account is not None else None
        if (user is not None and not user.disabled and user.email_verified_at is not None
                and (pool, kind) not in uow.mail.turned_off(user.name)):
            found[member.id] = (user.email, user.locale or "", user.name)
    return found


def pool_link(pool: str, page: str = "") -> Link:
    """A link to a page of the pool (``page`` after its path: ``/tasks``, ``#confirm``)."""
    return Link(f"/pools/{quote(pool, safe='')}{page}")


def pool_notices(to: dict[str, tuple[str, str, str]], subject: Text, body: tuple[Line, ...],
                 pool: str, kind: NoticeKind) -> list[Notice]:
    """The same notice of the pool, of ``kind``, to each of ``to``
    (:func:`addressees`), in their language, each with its unsubscribe link."""
    return [Notice(email, subject, body, locale, (account, pool, kind))
            for email, locale, account in to.values()]


def period_opened(uow: UnitOfWork, pool: str, number: int) -> list[Notice]:
    """Everyone: period ``number`` collects offers and wishes."""
    with uow:
        to = addressees(uow, pool, "period_opened")
        shown = labels(uow, pool).pool
    subject = text(N_("[%(pool)s] Period %(number)s is open"), pool=shown, number=number)
    body: tuple[Line, ...] = (
        (text(N_("Period %(number)s of pool %(pool)s is open: offer the hours you can give"
                 " and wish for what you need."), number=number, pool=shown),),
        (),
        (text(N_("Tasks: %(link)s"), link=pool_link(pool, "/tasks")),),
        (text(N_("Goods: %(link)s"), link=pool_link(pool, "/goods")),),
    )
    return pool_notices(to, subject, body, pool, "period_opened")


def plan_cleared(uow: UnitOfWork, plan: Plan) -> list[Notice]:
    """Each member: the plan is made, with their assignments and share."""
    with uow:
        to = addressees(uow, plan.pool, "plan_cleared")
        names = labels(uow, plan.pool) if to else None
    if not to or names is None:
        return []
    assignments: dict[str, list[Line]] = {}
    for a in plan.data.assignments:
        if a.participant not in to:
            continue
        weight = float(plan.data.weights.get(a.task, 1.0))
        assignments.setdefault(a.participant, []).append(
            ("  - ", text(N_("%(task)s: %(hours)s h at weight %(weight)s"),
                          task=names.task(a.task), hours=float(a.hours), weight=weight))
        )
    subject = text(N_("[%(pool)s] Period %(number)s is cleared"),
                   pool=names.pool, number=plan.period)
    notices = []
    for who, (email, locale, account) in to.items():
        mine = assignments.get(who) or [
            ("  ", text(N_("(no work assigned to you this period)")))
        ]
        share = float(plan.data.shares.get(who, 0.0))
        body: tuple[Line, ...] = (
            (text(N_("Period %(number)s of pool %(pool)s is cleared."),
                  number=plan.period, pool=names.pool),),
            (),
            (text(N_("Your assignments:")),),
            *mine,
            (),
            (text(N_("Your share of the period's work: %(share)s weighted hours."),
                  share=share),),
            (text(N_("My period: %(link)s"), link=pool_link(plan.pool)),),
        )
        notices.append(Notice(email, subject, body, locale,
                              (account, plan.pool, "plan_cleared")))
    return notices


def work_awaits_confirmation(uow: UnitOfWork, log: WorkLog) -> list[Notice]:
    """Those who may confirm a pending work log: co-workers on its task and coordinators."""
    if log.status != "pending":
        return []
    with uow:
        coworkers = {
            a.participant
            for a in uow.periods.assignments(log.pool, log.period)
            if a.task == log.task
        }
        coordinators = {m.id for m in uow.pools.members(log.pool) if m.role == "coordinator"}
        people = (coworkers | coordinators) - {log.participant}
        to = addressees(uow, log.pool, "work_awaits_confirmation", people)
        names = labels(uow, log.pool)
    worker = names.member(log.participant)
    subject = text(N_("[%(pool)s] %(participant)s's work awaits confirmation"),
                   pool=names.pool, participant=worker)
    body: tuple[Line, ...] = (
        (text(N_("%(participant)s logged %(hours)s h of %(task)s in pool %(pool)s. It counts"
                 " once someone confirms it."), participant=worker,
              hours=float(log.hours), task=names.task(log.task), pool=names.pool),),
        (),
        (text(N_("Confirm: %(link)s"), link=pool_link(log.pool)),),
    )
    return pool_notices(to, subject, body, log.pool, "work_awaits_confirmation")


def shift_cancelled(uow: UnitOfWork, pool: str, shift: Shift, people: set[str]
                    ) -> list[Notice]:
    """Those placed on a cancelled shift: it will not take place, their placement is
    gone."""
    with uow:
        to = addressees(uow, pool, "shift_cancelled", people)
        names = labels(uow, pool)
    task = names.task(shift.task)
    subject = text(N_("[%(pool)s] Shift cancelled: %(task)s on %(date)s"),
                   pool=names.pool, task=task, date=shift.day.isoformat())
    body: tuple[Line, ...] = (
        (text(N_("The shift of %(task)s on %(date)s from %(start)s to %(end)s at %(place)s"
                 " is cancelled; you are no longer placed on it."), task=task,
              date=shift.day.isoformat(), start=shift.start.isoformat("minutes"),
              end=shift.end.isoformat("minutes"), place=shift.place or "-"),),
        (),
        (text(N_("My period: %(link)s"), link=pool_link(pool)),),
    )
    return pool_notices(to, subject, body, pool, "shift_cancelled")


def _shift_line(shift: Shift, names: Labels) -> Line:
    """A shift as a notice's line shows it: task (as people read it), date, times and
    place."""
    return ("  - ", text(N_("%(task)s on %(date)s from %(start)s to %(end)s at %(place)s"),
                         task=names.task(shift.task), date=shift.day.isoformat(),
                         start=shift.start.isoformat("minutes"),
                         end=shift.end.isoformat("minutes"), place=shift.place or "-"))


def open_slot(uow: UnitOfWork, pool: str, shift: Shift, free: int, by: str | None
              ) -> list[Notice]:
    """The followers of the shift's project (but ``by``, who opened the place): a place is
    free to take."""
    with uow:
        project = next((t.project for t in uow.pools.tasks(pool) if t.id == shift.task), "")
        people = set(uow.shifts.followers(pool, project)) - {by}
        to = addressees(uow, pool, "open_slot", people) if people else {}
        names = labels(uow, pool)
    subject = text(N_("[%(pool)s] Open slot: %(task)s on %(date)s"),
                   pool=names.pool, task=names.task(shift.task), date=shift.day.isoformat())
    body: tuple[Line, ...] = (
        (text(N_("A shift of project %(project)s has %(free)s of %(slots)s places free:"),
              project=names.project(project), free=free, slots=shift.slots),),
        _shift_line(shift, names),
        (),
        (text(N_("Take a place on the hint board: %(link)s"), link=pool_link(pool, "/hints")),),
        (text(N_("You hear of this because you follow project %(project)s."),
              project=names.project(project)),),
    )
    return pool_notices(to, subject, body, pool, "open_slot")


def swap_proposed(uow: UnitOfWork, pool: str, swap: SwapProposal) -> list[Notice]:
    """The member a swap is proposed to: which shifts, and where to answer."""
    with uow:
        shift = uow.shifts.get(pool, swap.shift)
        theirs = None if swap.their_shift is None else uow.shifts.get(pool, swap.their_shift)
        to = addressees(uow, pool, "shift_swap", {swap.to})
        names = labels(uow, pool)
    assert shift is not None
    proposer = names.member(swap.proposer)
    subject = text(N_("[%(pool)s] %(member)s proposes a swap of shifts"), pool=names.pool,
                   member=proposer)
    if theirs is None:
        offered: tuple[Line, ...] = (
            (text(N_("%(member)s asks you to take over their shift:"),
                  member=proposer),), _shift_line(shift, names))
    else:
        offered = ((text(N_("%(member)s offers you their shift:"), member=proposer),),
                   _shift_line(shift, names), (text(N_("for yours:")),),
                   _shift_line(theirs, names))
    body: tuple[Line, ...] = (
        *offered,
        (),
        (text(N_("Accept or decline on My period: %(link)s"), link=pool_link(pool)),),
    )
    return pool_notices(to, subject, body, pool, "shift_swap")


def swap_answered(uow: UnitOfWork, pool: str, swap: SwapProposal) -> list[Notice]:
    """The other member of an answered swap: the proposer hears it was accepted or
    declined, the recipient that it was withdrawn."""
    withdrawn = swap.state == "withdrawn"
    with uow:
        shift = uow.shifts.get(pool, swap.shift)
        to = addressees(uow, pool, "shift_swap", {swap.to if withdrawn else swap.proposer})
        names = labels(uow, pool)
    assert shift is not None
    said = {
        "accepted": N_("[%(pool)s] %(member)s accepted your swap of shifts"),
        "declined": N_("[%(pool)s] %(member)s declined your swap of shifts"),
        "withdrawn": N_("[%(pool)s] %(member)s withdrew their swap of shifts"),
    }[swap.state]
    subject = text(said, pool=names.pool,
                   member=names.member(swap.proposer if withdrawn else swap.to))
    body: tuple[Line, ...] = (
        (text(N_("The swap was of this shift:")),),
        _shift_line(shift, names),
        (),
        (text(N_("My period: %(link)s"), link=pool_link(pool)),),
    )
    return pool_notices(to, subject, body, pool, "shift_swap")


def invitation(member: Member, pool: str, invited: Invitation, code: str) -> Notice | None:
    """The invited member, at the email their pool has for them (None: it has none): how to
    claim their place in the pool, by the invitation ``invited`` whose link carries
    ``code``."""
    if member.email is None:
        return None
    days = max(1, (invited.expires_at - invited.created_at).days)
    subject = text(N_("[%(pool)s] You are invited to pool %(pool)s"), pool=pool)
    body: tuple[Line, ...] = (
        (text(N_("Pool %(pool)s has you on its list as %(name)s. Follow this link within"
                 " %(days)s days to take your place (sign in, or make an account):"),
              pool=pool, name=member.shown_name, days=days),),
        (text(N_("Your invitation: %(link)s"), link=Link(f"/invitations/{code}")),),
        (),
        (text(N_("If you did not expect this, ignore it: nothing happens without the"
                 " link.")),),
    )
    return Notice(member.email, subject, body)


def email_verification(user: User) -> Notice:
    """The email with the link that verifies the account's email (signed when it is sent)."""
    body: tuple[Line, ...] = (
        (text(N_("Hello %(name)s,"), name=user.display_name or user.name),),
        (),
        (text(N_("Please confirm that this is your email address by following this link"
                 " (it works for a week):")),),
        (Link("/verify", VERIFY, (user.name, user.email)),),
        (),
        (text(N_("You can sign in before, but you get no notices of your pools until"
                 " then. If you did not sign up, ignore this email.")),),
    )
    return Notice(user.email, text(N_("Confirm your email address")), body, user.locale or "")


def sign_up_tried(owner: User) -> Notice:
    """The email that tells an account's owner someone tried to sign up with its email."""
    body: tuple[Line, ...] = (
        (text(N_("Hello %(name)s,"), name=owner.display_name or owner.name),),
        (),
        (text(N_("Someone (perhaps you) tried to sign up with this email address, which"
                 " has an account already: no second account was made. Your user name is"
                 " %(user)s; sign in here:"), user=owner.name),),
        (Link("/signin"),),
        (),
        (text(N_("Forgot your password? Choose a new one here:")),),
        (Link("/reset"),),
    )
    return Notice(owner.email, text(N_("Someone tried to sign up with your email address")),
                  body, owner.locale or "")


def password_reset(user: User, code: str, expires_at: datetime) -> Notice:
    """The email that carries the reset link to the account's owner (emptied in the
    outbox once sent)."""
    body: tuple[Line, ...] = (
        (text(N_("Hello %(name)s,"), name=user.display_name or user.name),),
        (),
        (text(N_("Someone (we hope you) asked to reset the password of your account."
                 " Choose a new password here:")),),
        (Link(f"/reset/{code}"),),
        (),
        (text(N_("The link works once, until %(until)s (UTC). If you did not ask for it,"
                 " ignore this email: your password stays as it is."),
              until=expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")),),
    )
    return Notice(user.email, text(N_("Reset your password")), body,
                  user.locale or "")
