"""A membership list as a community keeps it (a spreadsheet saved as CSV), read into members.

One row a member, with a header naming the columns: ``id`` (required: the participant id of
the plans and books), ``display_name``, ``email``, ``phone``, ``capacity`` (hours a period,
empty: no limit), ``exempt`` (yes/no) and ``role`` (member or coordinator). Every bad cell is
refused with its line and column, and a list with any bad row is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from pydantic import TypeAdapter, ValidationError

from peerconomy.domain.account import check_email
from peerconomy.domain.ids import check_id
from peerconomy.domain.pool import Member, Role
from peerconomy.domain.refusal import InputError, Problems
from peerconomy.domain.scenario import Participant

__all__ = ["COLUMNS", "MAX_ROWS", "RosterRow", "read_roster"]

COLUMNS: Final = ("id", "display_name", "email", "phone", "capacity", "exempt", "role")
MAX_ROWS: Final = 10_000
"""More members than any pool we know of has; a bigger file is refused, not read."""

_PHONE: Final = re.compile(r"\+?[0-9][0-9 ()./-]{2,38}")
_YES: Final = {"yes", "y", "true", "1", "ja", "x"}
_NO: Final = {"no", "n", "false", "0", "nein", ""}
_PARTICIPANT: Final = TypeAdapter(Participant)


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One member of the list, with the line it was read from."""

    line: int
    member: Member


def read_roster(text: str) -> list[RosterRow]:
    """The members of a CSV membership list, in its order; else an :class:`InputError`
    naming the line and column of each bad cell (``line 4, email``), every bad line's at
    once (a bad header or a list that is no CSV: that alone)."""
    if "\x00" in text:
        raise InputError("members", "holds a NUL character: not a CSV text file")
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(rows)
    except StopIteration:
        raise InputError("members", "is empty: the first line names the columns") from None
    except csv.Error as error:
        raise InputError("line 1", f"is not CSV: {error}") from None
    columns = [_column(name) for name in header]
    for name in columns:
        if name not in COLUMNS:
            raise InputError(
                f"line 1, {name}", f"is no column of a membership list ({', '.join(COLUMNS)})"
            )
        if columns.count(name) > 1:
            raise InputError(f"line 1, {name}", "is named twice")
    if "id" not in columns:
        raise InputError("line 1", "must name the column id")
    found: list[RosterRow] = []
    seen: dict[str, int] = {}
    problems = Problems()
    members = 0
    for line, cells in _numbered(rows):
        if not any(cell.strip() for cell in cells):
            continue
        members += 1
        if members > MAX_ROWS:
            raise InputError(f"line {line}", f"more than {MAX_ROWS} members in one list")
        with problems.gathering():
            found.append(_row(line, cells, columns, seen))
    problems.refuse()
    return found


def _row(line: int, cells: list[str], columns: list[str], seen: dict[str, int]) -> RosterRow:
    """The member on ``line``, whose id is on no line ``seen`` before (where it is then)."""
    if len(cells) > len(columns):
        raise InputError(f"line {line}", f"has {len(cells)} cells, the header {len(columns)}")
    member = _member(line, dict(zip(columns, (c.strip() for c in cells), strict=False)))
    if member.id in seen:
        raise InputError(f"line {line}, id", f"{member.id!r} is on line {seen[member.id]} already")
    seen[member.id] = line
    return RosterRow(line, member)


def _numbered(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    line = 2
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(f"line {line}", f"is not CSV: {error}") from None
        yield line, cells
        line += 1


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _member(line: int, row: dict[str, str]) -> Member:
    def bad(column: str, reason: str) -> InputError:
        return InputError(f"line {line}, {column}", reason)

    for column, value in row.items():
        if not value.isprintable():
            raise bad(column, "holds a control character")
    participant = row.get("id", "")
    try:
        check_id(participant, "id")
    except InputError as error:
        raise bad("id", error.reason) from None
    display_name = row.get("display_name", "")
    if len(display_name) > 100:
        raise bad("display_name", "must be at most 100 characters")
    email: str | None = None
    if row.get("email"):
        try:
            email = check_email(row["email"])
        except ValueError as error:
            raise bad("email", str(error)) from None
    phone = row.get("phone") or None
    if phone is not None and not _PHONE.fullmatch(phone):
        raise bad("phone", "must be a phone number: digits, spaces and + ( ) . / -")
    exempt_text = row.get("exempt", "").lower()
    if exempt_text not in _YES | _NO:
        raise bad("exempt", f"must be yes or no, got {row['exempt']!r}")
    role_text = row.get("role", "").lower() or "member"
    if role_text not in ("member", "coordinator"):
        raise bad("role", f"must be member or coordinator, got {row['role']!r}")
    role: Role = "coordinator" if role_text == "coordinator" else "member"
    capacity_text = row.get("capacity", "")
    capacity: float | None = None
    if capacity_text:
        try:
            capacity = float(capacity_text.replace(",", "."))
        except ValueError:
            raise bad("capacity", f"must be a number of hours, got {capacity_text!r}") from None
    try:
        checked = _PARTICIPANT.validate_python(
            {"id": participant, "capacity": capacity, "exempt": exempt_text in _YES}
        )
    except ValidationError as error:
        first = error.errors()[0]
        column = str(first["loc"][0]) if first["loc"] else "id"
        raise bad(column, first["msg"]) from None
    return Member(
        checked.id, checked.capacity, checked.exempt, role,
        display_name=display_name, email=email, phone=phone,
    )
