"""The API's request bodies and answers, as pydantic models (they make the OpenAPI schema).

The scenario's own value objects (tasks, goods, offers, wishes) are used as they are where
the API takes or gives them whole.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.pool import Admission, Role
from peerconomy.domain.scenario import Alternative, Good, Task

__all__ = [
    "Accepted",
    "BalanceOut",
    "Body",
    "CapacityChange",
    "Correction",
    "Decision",
    "Fork",
    "Hours",
    "InvitationOut",
    "JoinOut",
    "JsonObject",
    "MemberChange",
    "MemberOut",
    "NewInvitation",
    "NewPassword",
    "NewPool",
    "NewProject",
    "NewToken",
    "NoticeSetting",
    "OfferIn",
    "PeriodOut",
    "PlannedGood",
    "PoolChange",
    "PoolOut",
    "ProjectOut",
    "ResetRequest",
    "SignUp",
    "TokenOut",
    "TooManyFailures",
    "UserOut",
    "WishIn",
    "WorkIn",
]

Hours = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]


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


class NewToken(Body):
    login: str = Field(description="User name or email.")
    password: str
    label: str = Field("script", description="What the token is for.")


class TokenOut(BaseModel):
    id: str
    label: str
    created_at: datetime
    revoked_at: datetime | None = None
    token: str | None = Field(None, description="The token itself; shown only once.")


class UserOut(BaseModel):
    name: str
    email: str
    display_name: str
    site_admin: bool
    locale: str | None
    email_verified: bool = False


class NoticeSetting(BaseModel):
    """Whether a user gets one kind of a pool's notices."""

    pool: str
    kind: NoticeKind
    wanted: bool


class NewPool(Body):
    name: str
    admission: Admission = "approval"
    public: bool = False
    communal_validation: bool = True
    max_weight: float = Field(5.0, ge=1.0, le=1000.0)


def _version_field(what: str) -> Any:
    return Field(
        None, ge=1,
        description=f"The {what}'s version the change was made from (its `version` as last"
        " read); if it changed since, the answer is 409 and nothing is stored. Absent: change"
        " whatever is stored.",
    )


class PoolOut(BaseModel):
    name: str
    admission: Admission
    public: bool
    communal_validation: bool
    max_weight: float
    my_role: Role | None = None
    version: int = Field(description="Counts the changes of the settings (optimistic locking).")


class PoolChange(Body):
    admission: Admission | None = None
    public: bool | None = None
    communal_validation: bool | None = None
    max_weight: float | None = Field(None, gt=0, le=1000, allow_inf_nan=False)
    version: int | None = _version_field("pool")


class PeriodOut(BaseModel):
    pool: str
    number: int
    state: str
    weight_estimates: dict[str, float]


class MemberOut(BaseModel):
    id: str
    capacity: float | None
    exempt: bool
    role: Role
    active: bool
    version: int = Field(description="Counts the changes of the member (optimistic locking).")


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
    role: Role = "member"
    days: int = Field(14, ge=1, le=365)


class InvitationOut(BaseModel):
    id: str
    pool: str
    role: Role
    expires_at: datetime
    code: str
    link: str


class NewProject(Body):
    id: str = Field(min_length=1, max_length=100)
    tasks: list[Task] = Field(default_factory=list)
    goods: list[Good] = Field(default_factory=list)


class ProjectOut(BaseModel):
    id: str
    active: bool
    forked_from: str | None
    version: int = Field(description="Counts the changes of the project and of its goods'"
                         " capacities (optimistic locking).")


class CapacityChange(Body):
    capacity: int | None = Field(
        ge=0, le=10**9, description="Units the project can make this period; null: no limit."
    )
    version: int | None = _version_field("good's project")


class PlannedGood(BaseModel):
    id: str
    project: str
    capacity: int | None
    project_version: int = Field(description="The good's project's version after the plan.")


class Fork(Body):
    project: str = Field(min_length=1, max_length=100, description="The new project's id.")


class OfferIn(Body):
    hours: Hours
    min_weight: float = Field(1.0, gt=0, le=1000, allow_inf_nan=False)
    participant: str | None = Field(None, min_length=1, max_length=100,
                                    description="Whose offer (coordinators only; "
                                    "default: the caller).")
    period: int | None = Field(None, description="The period the caller saw; another one"
                               " answers 409 (a stale update).")


class WishIn(Body):
    id: str | None = Field(None, min_length=1, max_length=100,
                           description="The wish's id (default: a new one).")
    quantity: int = Field(1, ge=1, le=100_000)
    alternatives: list[Alternative] = Field(min_length=1, max_length=50)
    participant: str | None = Field(None, min_length=1, max_length=100,
                                    description="Whose wish (coordinators only; "
                                    "default: the caller).")
    period: int | None = None


class WorkIn(Body):
    task: str
    hours: float = Field(gt=0, le=1000, allow_inf_nan=False)
    participant: str | None = Field(None, min_length=1, max_length=100,
                                    description="Whose work (coordinators only; "
                                    "default: the caller).")


class Correction(Body):
    reason: str = Field(min_length=1, max_length=500)


class BalanceOut(BaseModel):
    balances: dict[str, Decimal]
    total: Decimal


JsonObject = dict[str, Any]


class ResetRequest(Body):
    email: str = Field(description="The email of the account whose password is forgotten.")


class NewPassword(Body):
    password: str = Field(description="At least 8 characters.")


class Accepted(BaseModel):
    detail: str


class TooManyFailures(BaseModel):
    """A sign-in refused for a while (429): too many failed sign-ins lately (or too many
    password-reset links asked for)."""

    detail: str
    reason: str = Field(
        "too_many_failed_sign_ins",
        description="too_many_failed_sign_ins or too_many_reset_requests")
    locked: Literal["account", "client"] = Field(
        description="What is locked: the account (or login) or the client's address.")
    retry_after: int = Field(description="Seconds to wait, as the Retry-After header says.")
