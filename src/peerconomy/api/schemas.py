"""The API's request bodies and answers, as pydantic models (they make the OpenAPI schema).

The scenario's own value objects (tasks, goods, offers, wishes) are used as they are where
the API takes or gives them whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from peerconomy.domain import bounds
from peerconomy.domain.account import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TokenScope
from peerconomy.domain.ids import ITEM_PATTERN, MAX_ID, NAME_PATTERN
from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.names import DESCRIPTION, NAME, PLACE, Description, DisplayName
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Admission, Role
from peerconomy.domain.scenario import Alternative, Good, Task, Term
from peerconomy.domain.text import LINE_PATTERN, TEXT_PATTERN
from peerconomy.http.params import STORED_INT_MAX
from peerconomy.http.problems import Problem

__all__ = [
    "MAX_PAGE",
    "Accepted",
    "Amount",
    "BalanceOut",
    "Body",
    "CalendarOut",
    "CapacityChange",
    "ChangedTask",
    "Correction",
    "Decision",
    "Fork",
    "Hours",
    "HoursPlacedOut",
    "InvitationOut",
    "JoinOut",
    "JsonObject",
    "MeOut",
    "MemberChange",
    "MemberOut",
    "MyShiftOut",
    "MyShiftsOut",
    "NewInvitation",
    "NewPassword",
    "NewPool",
    "NewProject",
    "NewToken",
    "NoticeSetting",
    "OfferIn",
    "Page",
    "PageDep",
    "PeriodOut",
    "PlannedGood",
    "PoolAddressesOut",
    "PoolChange",
    "PoolOut",
    "ProjectChange",
    "ProjectOut",
    "ResetRequest",
    "ShiftChange",
    "ShiftIn",
    "ShiftOut",
    "ShiftRuleIn",
    "SignUp",
    "StoredInt",
    "TaskChange",
    "TaskOut",
    "TokenOut",
    "TooManyFailures",
    "UserOut",
    "WishChange",
    "WishIn",
    "WorkIn",
    "set_fields",
]

T = TypeVar("T")

Amount = Annotated[
    Decimal,
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "description": "Weighted hours, a multiple of"
                    " 0.000001 (read it as a decimal to add amounts exactly)."}),
]
"""An amount of the books: exact as a decimal, a JSON number on the wire (its six decimals
are within a float's precision, so the number's text is the decimal's)."""
Hours = Annotated[float, Field(ge=0, le=bounds.MAX_HOURS, allow_inf_nan=False)]
"""Hours in a period (:mod:`peerconomy.domain.bounds`)."""
Weight = Annotated[float, Field(gt=0, le=bounds.MAX_WEIGHT, allow_inf_nan=False)]
PoolMaxWeight = Annotated[float, Field(ge=bounds.MIN_MAX_WEIGHT, le=bounds.MAX_WEIGHT,
                                       allow_inf_nan=False)]
Units = Annotated[int, Field(ge=0, le=bounds.MAX_UNITS)]
NameId = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=NAME_PATTERN)]
"""A project's or participant's id (:mod:`peerconomy.domain.ids`)."""
ItemId = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=ITEM_PATTERN)]
"""A task's, good's or wish's id."""

MAX_PAGE: Final = 1000
"""The most items a page of a list may ask for."""
StoredInt = Annotated[int, Field(ge=-STORED_INT_MAX - 1, le=STORED_INT_MAX)]
"""A whole number in a request body that is compared with what is stored."""


class Page:
    """A page of a list: at most ``limit`` items (None: all) from ``offset`` on."""

    def __init__(
        self,
        limit: Annotated[int | None, Query(
            ge=1, le=MAX_PAGE, description="The most items to answer (absent: all).")] = None,
        offset: Annotated[int, Query(
            ge=0, le=STORED_INT_MAX, description="How many items to skip first.")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset

    def of(self, items: Sequence[T]) -> list[T]:
        """The items of this page (a list shorter than ``limit``: the last page)."""
        end = None if self.limit is None else self.offset + self.limit
        return list(items[self.offset:end])


PageDep = Annotated[Page, Depends()]
"""The ``limit`` and ``offset`` of a list's page."""


class Body(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class SignUp(Body):
    name: str = Field(description="User name: 2-32 of a-z 0-9 _ . -; also the participant id.")
    email: str
    password: str = Field(description="At least 8 characters.")
    display_name: str = ""
    invitation: str | None = Field(
        None, description="The code of an invitation link (the part after /invitations/):"
                          " needed where the site's sign-up is invite-only.")


class TokenChoice(Body):
    """What a new API token is for, what it may do and how long it works."""

    label: str = Field("script", description="What the token is for.")
    scope: TokenScope = Field(
        "write", description="read: only looks (refused, 403, on any change); write: also"
                             " changes things.")
    days: int = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS,
                      description="How many days the token works (then 401).")


class NewToken(TokenChoice):
    login: str = Field(description="User name or email.")
    password: str


class TokenOut(BaseModel):
    id: str
    label: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    token: str | None = Field(None, description="The token itself; shown only once.")


class UserOut(BaseModel):
    name: str
    email: str
    display_name: str
    site_admin: bool
    locale: str | None
    email_verified: bool = False


class MeOut(UserOut):
    """The caller's own account, with their secret calendar address."""

    calendar_url: str = Field(
        description="The caller's secret calendar address (iCalendar; all their pools in"
                    " one): a calendar app subscribes to it without signing in. Renewed by"
                    " POST /me/calendar.")


class PoolAddressesOut(BaseModel):
    """The secret addresses of one of the caller's pools."""

    pool: str
    calendar_url: str = Field(description="The pool's calendar of open slots (iCalendar).")
    feed_url: str = Field(description="The pool's hint board as an Atom feed.")


class CalendarOut(BaseModel):
    """The caller's secret addresses: one secret serves them all, so renewing it changes
    every one (the old ones answer 404 at once)."""

    calendar_url: str = Field(description="The caller's calendar (iCalendar): all their"
                                          " pools' periods, deadlines and pick-ups.")
    pools: list[PoolAddressesOut]


class NoticeSetting(BaseModel):
    """Whether a user gets one kind of a pool's notices."""

    pool: str
    kind: NoticeKind
    wanted: bool


class NewPool(Body):
    name: str = Field(description="The pool's name, also its address (a path segment).")
    admission: Admission = "approval"
    public: bool = False
    communal_validation: bool = True
    max_weight: PoolMaxWeight = 5.0
    display_name: DisplayName | None = Field(
        None, description="What people read for the pool (absent: its name).")
    description: Description | None = None


NameChange = Annotated[str | None, Field(
    max_length=NAME.most, pattern=LINE_PATTERN,
    description="A new display name, one line without control characters; absent: kept;"
    " null or empty: none (the id is shown).")]
"""A display name as an edit takes it (:mod:`peerconomy.domain.names`)."""
PlaceChange = Annotated[str | None, Field(
    max_length=PLACE.most, pattern=LINE_PATTERN,
    description="Where the work is done; absent: kept; null or empty: none.")]
DescriptionChange = Annotated[str | None, Field(
    max_length=DESCRIPTION.most, pattern=TEXT_PATTERN,
    description="A new description (line breaks allowed, no other control characters);"
    " absent: kept; null or empty: none.")]


def set_fields(body: BaseModel, *fields: str) -> dict[str, Any]:
    """Those of ``fields`` that ``body`` sets, null included (a field left out is kept by
    the edit: not among them)."""
    return {field: getattr(body, field) for field in fields if field in body.model_fields_set}


def _version_field(what: str) -> Any:
    return Field(
        None, ge=1, le=STORED_INT_MAX,
        description=f"The {what}'s version the change was made from (its `version` as last"
        " read); if it changed since, the answer is 409 and nothing is stored. Absent: change"
        " whatever is stored.",
    )


_PERIOD_LENGTH: Final = (
    "How long each period lasts: a number of days, weeks or months, such as `1 week`,"
    " `14 days` or `1 month` (null: periods are undated and nothing is scheduled).")
_CLOSE_DAYS: Final = "Offers and wishes close this many days before a period's last day ..."
_CLOSE_TIME: Final = "... at this time of day (`HH:MM`), in the pool's time zone."
_TIME_ZONE: Final = "The pool's time zone, an IANA name such as `Europe/Berlin`."
_AUTO_CLEAR: Final = "Whether a period clears itself when its offers close."


class PoolOut(BaseModel):
    name: str
    admission: Admission
    public: bool
    communal_validation: bool
    max_weight: float
    period_length: str | None = Field(None, description=_PERIOD_LENGTH)
    close_days: int = Field(2, description=_CLOSE_DAYS)
    close_time: str = Field("18:00", description=_CLOSE_TIME)
    time_zone: str = Field("UTC", description=_TIME_ZONE)
    auto_clear: bool = Field(False, description=_AUTO_CLEAR)
    my_role: Role | None = None
    version: int = Field(description="Counts the changes of the settings (optimistic locking).")
    display_name: str | None = Field(
        None, description="What people read for the pool (null: its name).")
    description: str | None = None


class PoolChange(Body):
    admission: Admission | None = None
    public: bool | None = None
    communal_validation: bool | None = None
    max_weight: PoolMaxWeight | None = None
    period_length: str | None = Field(None, max_length=40, description=_PERIOD_LENGTH
                                      + " Send null to make the periods undated.")
    close_days: int | None = Field(None, ge=0, le=bounds.MAX_CLOSE_DAYS,
                                   description=_CLOSE_DAYS)
    close_time: time | None = Field(None, description=_CLOSE_TIME)
    time_zone: str | None = Field(None, max_length=64, description=_TIME_ZONE)
    auto_clear: bool | None = Field(None, description=_AUTO_CLEAR)
    starts_on: date | None = Field(
        None, description="The first day of the current period, while it collects: its"
        " dates follow from it and the settings.")
    display_name: NameChange = None
    description: DescriptionChange = None
    version: int | None = _version_field("pool")


class PeriodOut(BaseModel):
    pool: str
    number: int
    state: PeriodState
    weight_estimates: dict[str, float]
    starts_on: date | None = Field(
        None, description="The period's first day (null: an undated period).")
    ends_on: date | None = Field(None, description="The period's last day (null: undated).")
    collect_until: datetime | None = Field(
        None, description="When its offers and wishes close, in UTC (null: they stay open"
        " until the period is cleared).")


class MemberOut(BaseModel):
    id: str = Field(description="The participant id of the plans and books.")
    display_name: str = ""
    capacity: float | None
    exempt: bool
    role: Role
    active: bool
    version: int = Field(description="Counts the changes of the member (optimistic locking).")
    claimed: bool = Field(False, description="Whether an account has claimed this member.")
    account: str | None = Field(
        None, description="The account that claimed the member (shown to coordinators only).")
    contact_visible: bool = Field(
        False, description="Whether the member lets coordinators see their email and phone.")
    email: str | None = Field(
        None, description="Shown to coordinators only where the member allowed it (or nobody"
        " has claimed the member: the contact is the coordinators' own import).")
    phone: str | None = Field(None, description="Shown as the email is.")


class NewMember(Body):
    id: NameId = Field(description="The participant id.")
    display_name: str = Field("", max_length=100)
    capacity: Hours | None = Field(None, description="Hours a period; null: no limit.")
    exempt: bool = False
    role: Role = "member"


class MemberLink(Body):
    user: str = Field(min_length=1, max_length=32, description="The account's user name.")
    version: int | None = _version_field("member")


class MemberChange(Body):
    capacity: Hours | None = Field(None, description="Hours this period; null: no limit.")
    clear_capacity: bool = Field(False, description="Set no limit on the capacity.")
    exempt: bool | None = None
    role: Role | None = None
    version: int | None = _version_field("member")


class JoinOut(BaseModel):
    status: Literal["member", "pending"]
    member: MemberOut | None = None


class Decision(Body):
    approve: bool


class NewInvitation(Body):
    role: Role = Field("member", description="The role of a new member (ignored with member).")
    member: NameId | None = Field(
        None,
        description="The participant it is for (nobody has claimed them yet): whoever accepts"
        " it claims that member, with their role. Absent: it makes a new member.")
    days: int = Field(14, ge=1, le=365)


class InvitationOut(BaseModel):
    id: str
    pool: str
    role: Role
    member: str | None = None
    expires_at: datetime
    code: str
    link: str


class NewProject(Body):
    id: NameId
    name: DisplayName | None = Field(None, description="What people read (absent: the id).")
    description: Description | None = None
    tasks: list[Task] = Field(default_factory=list)
    goods: list[Good] = Field(default_factory=list)


class ProjectOut(BaseModel):
    id: str
    name: str | None = Field(None, description="What people read (null: the id).")
    description: str | None = None
    active: bool
    forked_from: str | None
    version: int = Field(description="Counts the changes of the project, of its tasks' and"
                         " goods' names and of its goods' capacities (optimistic locking).")


class ProjectChange(Body):
    name: NameChange = None
    description: DescriptionChange = None
    version: int | None = _version_field("project")


class TaskChange(Body):
    name: NameChange = None
    description: DescriptionChange = None
    place: PlaceChange = None
    contact: NameId | None = Field(
        None, description="The participant id of a member to ask about the task; absent:"
        " kept; null: none.")
    version: int | None = _version_field("task's project")


class ChangedTask(BaseModel):
    id: str
    project: str
    name: str | None
    description: str | None
    place: str | None
    contact: str | None
    project_version: int = Field(description="The task's project's version after the change.")


class CapacityChange(Body):
    capacity: Units | None = Field(
        None, description="Units the project can make this period; null: no limit;"
        " absent: kept (only the good's names change)."
    )
    name: NameChange = None
    description: DescriptionChange = None
    version: int | None = _version_field("good's project")


class PlannedGood(BaseModel):
    id: str
    project: str
    capacity: int | None
    name: str | None = None
    description: str | None = None
    project_version: int = Field(description="The good's project's version after the plan.")


class Fork(Body):
    project: NameId = Field(description="The new project's id.")


class OfferIn(Body):
    hours: Hours
    min_weight: Weight = 1.0
    shifts: list[StoredInt] | None = Field(
        None, min_length=1, max_length=bounds.MAX_RULE_SHIFTS,
        description="The ids of the task's shifts the participant can do, in the period"
                    " (null: any).")
    participant: NameId | None = Field(
        None, description="Whose offer (coordinators only; default: the caller).")
    period: StoredInt | None = Field(None, description="The period the caller saw; another one"
                               " answers 409 (a stale update).")


class WishChange(Body):
    """A wish, whole: what ``PUT /wishes/{wish}`` stores under the path's id."""

    quantity: int = Field(1, ge=1, le=bounds.MAX_QUANTITY)
    alternatives: list[Alternative] = Field(min_length=1, max_length=50)
    term: Term | None = Field(
        None, description="A subscription: the wish stands for this many periods (1 to"
                          " 10,000), counted from this one, and is served before wishes"
                          " without a term where a good is over-wished; absent: an ordinary"
                          " wish, standing until withdrawn.")
    participant: NameId | None = Field(
        None, description="Whose wish (coordinators only; default: the caller).")
    period: StoredInt | None = None


class WishIn(WishChange):
    """A new wish: ``POST /wishes``; an id that is taken is refused (409)."""

    id: ItemId | None = Field(None, description="The wish's id (default: a new one).")


class WorkIn(Body):
    """Work done: hours on a task, or a shift the worker was placed on (its task, date and
    length fill the log once it has ended)."""

    task: ItemId | None = Field(
        None, description="The task worked on (required without shift; with shift, the"
                          " shift's task or left out).")
    hours: float | None = Field(
        None, gt=0, le=bounds.MAX_HOURS, allow_inf_nan=False,
        description="Hours worked (required without shift; with shift, default: its length).")
    shift: StoredInt | None = Field(
        None, description="A shift the worker was placed on in the cleared period, ended and"
                          " not logged yet: the log takes its task, date and length.")
    worked_on: date | None = Field(
        None, description="The day the work was done (default: today in the pool's time zone;"
                          " with shift, its date): from the period's first day (an undated"
                          f" period: {bounds.MAX_WORK_LOG_DAYS} days back) to today.")
    note: str = Field("", max_length=bounds.MAX_WORK_NOTE,
                      description="What those who confirm it should know (line breaks allowed).")
    participant: NameId | None = Field(
        None, description="Whose work (coordinators only; default: the caller).")


class Correction(Body):
    reason: str = Field(min_length=1, max_length=500)


class BalanceOut(BaseModel):
    balances: dict[str, Amount]
    total: Amount


JsonObject = dict[str, Any]


class ResetRequest(Body):
    email: str = Field(description="The email of the account whose password is forgotten.")


class NewPassword(Body):
    password: str = Field(description="At least 8 characters.")


class Accepted(BaseModel):
    detail: str


class TooManyFailures(Problem):
    """A sign-in refused for a while (429): too many failed sign-ins lately (or too many
    password-reset links asked for)."""

    reason: str = Field(
        "too_many_failed_sign_ins",
        description="too_many_failed_sign_ins, too_many_reset_requests or too_many_attempts"
                    " (sign-ups and invitation acceptances)")
    locked: Literal["account", "client"] = Field(
        description="What is locked: the account (or login) or the client's address.")
    retry_after: int = Field(description="Seconds to wait, as the Retry-After header says.")


_SHIFT_TIMES: Final = ("Local times in the pool's time zone; an end at or before the start is"
                       " on the next day (a night shift), at most"
                       f" {bounds.MAX_SHIFT_HOURS} hours after it.")
ShiftPlace = Annotated[str, Field(max_length=bounds.MAX_SHIFT_PLACE,
                                  description="Where (free text, one line).")]
ShiftNote = Annotated[str, Field(max_length=bounds.MAX_SHIFT_NOTE,
                                 description="Anything the people on it should know.")]
Slots = Annotated[int, Field(ge=1, le=bounds.MAX_SHIFT_SLOTS,
                             description="How many people the shift takes.")]


class ShiftIn(Body):
    """A one-off shift of the task in the path."""

    date: date
    start: time = Field(description=_SHIFT_TIMES)
    end: time = Field(description=_SHIFT_TIMES)
    place: ShiftPlace = ""
    slots: Slots = 1
    note: ShiftNote = ""


class ShiftRuleIn(Body):
    """Shifts alike on a calendar: every day, or every ``interval`` weeks on ``weekdays``,
    from ``first`` to ``until`` (both included; at most a year of shifts)."""

    every: Literal["day", "week"]
    first: date
    until: date
    start: time = Field(description=_SHIFT_TIMES)
    end: time = Field(description=_SHIFT_TIMES)
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=list, max_length=7,
        description="For a weekly rule (none: the weekday of ``first``).")
    interval: int = Field(1, ge=1, le=52, description="Every this many days or weeks.")
    place: ShiftPlace = ""
    slots: Slots = 1
    note: ShiftNote = ""


class ShiftChange(Body):
    """What a coordinator changes of a shift: today, only cancelling it."""

    cancelled: Literal[True] = Field(description="Cancel the shift (its people are told).")


class ShiftOut(BaseModel):
    """A shift of a task, with the places taken by the current (or last settled) plan."""

    id: int
    task: str
    date: date
    start: time = Field(description=_SHIFT_TIMES)
    end: time = Field(description=_SHIFT_TIMES)
    place: str
    slots: int
    note: str
    cancelled: bool
    taken: int | None = Field(None, description="People placed on it (null where not listed).")
    free: int | None = Field(None, description="Places nobody is placed on (0 if cancelled).")


class TaskOut(BaseModel):
    """A task with what the latest plan says of it, and its shifts by date and time."""

    task: Task
    hours_needed: float | None = Field(
        description="Hours the latest plan needed (assigned and uncovered; null: never"
                    " cleared).")
    weight: float | None = Field(description="Last period's weight (null: never cleared).")
    open_hours: float = Field(description="Hours of the latest plan nobody was assigned.")
    shifts: list[ShiftOut]


class MyShiftOut(BaseModel):
    period: int
    shift: ShiftOut


class HoursPlacedOut(BaseModel):
    task: str
    assigned: float = Field(description="Hours the plan assigned on the task.")
    placed: float = Field(description="Hours of the shifts placed on.")
    left: float = Field(description="Assigned hours that fit no shift (negative: placed"
                                    " beyond the assignment by rounding up to a whole"
                                    " shift).")


class MyShiftsOut(BaseModel):
    """The caller's placed shifts (the current period's and the one before's) and, per task
    with shifts, the hours placed."""

    pool: str
    participant: str
    shifts: list[MyShiftOut]
    hours: list[HoursPlacedOut]
