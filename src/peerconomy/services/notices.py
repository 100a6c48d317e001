"""Who should hear of a step, and what to tell them: the email notices of a pool.

A period opens (everyone may make offers and wishes), a plan is cleared (each member hears
their own assignments and share), work awaits someone's confirmation (the co-workers on the
task and the coordinators). Only members with an account get notices; composing them is a
read of the store, sending them is the mailer's job (:mod:`peerconomy.api.mail`).

Each member reads their notices in their own language. A notice is composed of
:class:`Text`: an English message marked with :func:`N_` (so that ``pybabel extract`` puts it
in the catalog, see ``docs/translating.md``) and the values of its placeholders. The notice
carries its reader's language (:attr:`Notice.locale`); whoever sends it looks up that
language's catalog and calls :meth:`Notice.written` with its ``gettext``, which translates
each message and writes the numbers as that language does:

>>> note = Notice("ben@example.org", text(N_("[%(pool)s] Period %(number)s is open"),
...               pool="seaside", number=2), ((text(N_("%(hours)s weighted hours"),
...               hours=1.5),),), locale="de")
>>> note.written(lambda message: message.replace("Period", "Periode"), "de")
('[seaside] Periode 2 is open', '1,50 weighted hours\\n')
>>> note.written()
('[seaside] Period 2 is open', '1.50 weighted hours\\n')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from peerconomy.domain.pool import Member, Plan, WorkLog
from peerconomy.services.ports import UnitOfWork

__all__ = [
    "N_",
    "Gettext",
    "Line",
    "Notice",
    "Text",
    "invitation",
    "period_opened",
    "plan_cleared",
    "text",
    "work_awaits_confirmation",
]

Gettext = Callable[[str], str]
"""Translates a message into one language (``gettext`` of that language's catalog)."""
Value = str | int | float
"""What a placeholder is filled with: floats are written with two decimals."""
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated when the notice is written."""
    return message


def _english(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class Text:
    """A message to put in the reader's language, and the values of its placeholders."""

    message: str
    """English, marked with :func:`N_`; placeholders are ``%(name)s``."""
    values: tuple[tuple[str, Value], ...] = ()

    def written(self, gettext: Gettext = _english, locale: str = SOURCE_LANGUAGE) -> str:
        """The message translated by ``gettext``, its numbers written as ``locale`` does."""
        translated = gettext(self.message)
        if not self.values:
            return translated
        return translated % {name: _written(value, locale) for name, value in self.values}


def text(message: str, **values: Value) -> Text:
    """``Text(message, values)`` with the values named as in the message."""
    return Text(message, tuple(values.items()))


Line = tuple[Text | str, ...]
"""One line of a notice's body: its parts (a ``str`` is sent as it is: a link, an indent)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One email to one person, in words the sender puts in the reader's language."""

    to: str
    subject: Text
    body: tuple[Line, ...]
    locale: str = ""
    """The reader's language, as their account says (empty: English)."""

    def written(
        self, gettext: Gettext = _english, locale: str = SOURCE_LANGUAGE
    ) -> tuple[str, str]:
        """Subject and body, translated by ``gettext``, numbers written as ``locale`` does."""
        lines = (
            "".join(p if isinstance(p, str) else p.written(gettext, locale) for p in line)
            for line in self.body
        )
        return self.subject.written(gettext, locale), "\n".join(lines) + "\n"


def _written(value: Value, locale: str) -> str:
    if not isinstance(value, float):
        return str(value)
    try:
        return format_decimal(value, format="#,##0.00", locale=Locale.parse(locale, sep="-"))
    except (ValueError, UnknownLocaleError):
        return format_decimal(value, format="#,##0.00", locale=SOURCE_LANGUAGE)


def _addresses(
    uow: UnitOfWork, pool: str, people: set[str] | None = None
) -> dict[str, tuple[str, str]]:
    """Email address and language of the pool's active members with accounts (of ``people``
    only), by member id."""
    found: dict[str, tuple[str, str]] = {}
    for member in uow.pools.members(pool):
        if not member.active or (people is not None and member.id not in people):
            continue
        user = uow.accounts.user(member.account) if member.account is not None else None
        if user is not None and not user.disabled:
            found[member.id] = (user.email, user.locale or "")
    return found


def _link(base_url: str, pool: str, page: str = "") -> str:
    return f"{base_url}/pools/{quote(pool, safe='')}{page}"


def period_opened(uow: UnitOfWork, pool: str, number: int, base_url: str) -> list[Notice]:
    """Everyone: period ``number`` collects offers and wishes."""
    with uow:
        to = _addresses(uow, pool)
    subject = text(N_("[%(pool)s] Period %(number)s is open"), pool=pool, number=number)
    body: tuple[Line, ...] = (
        (text(N_("Period %(number)s of pool %(pool)s is open: offer the hours you can give"
                 " and wish for what you need."), number=number, pool=pool),),
        (),
        (text(N_("Tasks: %(link)s"), link=_link(base_url, pool, "/tasks")),),
        (text(N_("Goods: %(link)s"), link=_link(base_url, pool, "/goods")),),
    )
    return [Notice(email, subject, body, locale) for email, locale in to.values()]


def plan_cleared(uow: UnitOfWork, plan: Plan, base_url: str) -> list[Notice]:
    """Each member: the plan is made, with their assignments and share."""
    with uow:
        to = _addresses(uow, plan.pool)
    assignments: dict[str, list[Line]] = {}
    for a in plan.data["assignments"]:
        weight = float(plan.data["weights"].get(a["task"], 1.0))
        assignments.setdefault(a["participant"], []).append(
            ("  - ", text(N_("%(task)s: %(hours)s h at weight %(weight)s"),
                          task=a["task"], hours=float(a["hours"]), weight=weight))
        )
    subject = text(N_("[%(pool)s] Period %(number)s is cleared"),
                   pool=plan.pool, number=plan.period)
    notices = []
    for who, (email, locale) in to.items():
        mine = assignments.get(who) or [
            ("  ", text(N_("(no work assigned to you this period)")))
        ]
        share = float(plan.data["shares"].get(who, 0.0))
        body: tuple[Line, ...] = (
            (text(N_("Period %(number)s of pool %(pool)s is cleared."),
                  number=plan.period, pool=plan.pool),),
            (),
            (text(N_("Your assignments:")),),
            *mine,
            (),
            (text(N_("Your share of the period's work: %(share)s weighted hours."),
                  share=share),),
            (text(N_("My period: %(link)s"), link=_link(base_url, plan.pool)),),
        )
        notices.append(Notice(email, subject, body, locale))
    return notices


def work_awaits_confirmation(uow: UnitOfWork, log: WorkLog, base_url: str) -> list[Notice]:
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
        to = _addresses(uow, log.pool, people)
    subject = text(N_("[%(pool)s] %(participant)s's work awaits confirmation"),
                   pool=log.pool, participant=log.participant)
    body: tuple[Line, ...] = (
        (text(N_("%(participant)s logged %(hours)s h of %(task)s in pool %(pool)s. It counts"
                 " once someone confirms it."), participant=log.participant,
              hours=float(log.hours), task=log.task, pool=log.pool),),
        (),
        (text(N_("Confirm: %(link)s"), link=_link(base_url, log.pool)),),
    )
    return [Notice(email, subject, body, locale) for email, locale in to.values()]


def invitation(member: Member, pool: str, link: str, days: int) -> Notice | None:
    """The invited member, at the email their pool has for them (None: it has none): how to
    claim their place in the pool."""
    if member.email is None:
        return None
    subject = text(N_("[%(pool)s] You are invited to pool %(pool)s"), pool=pool)
    body: tuple[Line, ...] = (
        (text(N_("Pool %(pool)s has you on its list as %(name)s. Follow this link within"
                 " %(days)s days to take your place (sign in, or make an account):"),
              pool=pool, name=member.shown_name, days=days),),
        ("  ", link),
        (),
        (text(N_("If you did not expect this, ignore it: nothing happens without the"
                 " link.")),),
    )
    return Notice(member.email, subject, body)
