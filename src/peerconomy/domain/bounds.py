"""The magnitude rules: how large each number of a pool may be, in one place.

Every door (the scenario readers, the API's schemas, the page forms, the services) takes its
bounds from here, so a number one door refuses no other accepts. Each number is finite and
within these bounds, which keep every sum the clearing makes (hours needed, shares, credits)
finite: a task with ``fixed_hours`` 1e308 once made every share NaN and froze the pool.

========================  ================================  ========================
number                    where                             bounds
========================  ================================  ========================
hours in a period         capacity, offer hours, fixed      0 .. 10,000
                          hours, hours of logged work
recipe amount             task hours per unit of a good     0 .. 10,000
weight                    min_weight, weight estimates      > 0 .. 1,000
pool's max weight         max_weight (scenario, pool)       1 .. 1,000
contribution              an alternative's max_cost         0 .. 1,000,000
units                     a good's capacity and limit       0 .. 1,000,000,000
quantity                  units one wish asks for, or one   1 .. 100,000
                          holding holds
term                      periods a subscription stands     1 .. 10,000
tenure                    periods a won unit is held        1 .. 1,000
seed                      the lottery's seed                0 .. 2**63 - 1
period length             days, weeks or months a dated     1 .. 366 days, 52 weeks,
                          period lasts                      12 months
closing days              days before a period's last day   0 .. 365, and fewer than
                          that its offers close             the period's days
shift slots               people one shift takes            1 .. 100
shift length              hours from a shift's start to     more than 0 .. 16
                          its end (across midnight too)
shifts of a rule          the shifts one rule makes         1 .. 366
shift place, note         characters                        200, 1,000
========================  ================================  ========================

>>> check_number(1e308, "tasks[0].fixed_hours", HOURS)
Traceback (most recent call last):
...
peerconomy.domain.refusal.InputError: tasks[0].fixed_hours: must be a finite number <= \
10000, got 1e+308
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from peerconomy.domain.refusal import InputError

__all__ = [
    "CONTRIBUTION",
    "HOURS",
    "LOGGED_HOURS",
    "MAX_CLOSE_DAYS",
    "MAX_COST",
    "MAX_HOURS",
    "MAX_PERIOD_COUNT",
    "MAX_QUANTITY",
    "MAX_RULE_SHIFTS",
    "MAX_SEED",
    "MAX_SHIFT_HOURS",
    "MAX_SHIFT_NOTE",
    "MAX_SHIFT_PLACE",
    "MAX_SHIFT_SLOTS",
    "MAX_TENURE",
    "MAX_TERM",
    "MAX_UNITS",
    "MAX_WEIGHT",
    "MAX_WORK_LOG_DAYS",
    "MAX_WORK_NOTE",
    "MIN_MAX_WEIGHT",
    "POOL_MAX_WEIGHT",
    "RECIPE",
    "STORED_INT_MAX",
    "WEIGHT",
    "Bound",
    "check_number",
]

MAX_HOURS: Final = 10_000.0
"""The most hours of one kind in a period: a capacity, an offer, a task's fixed hours, a
recipe's hours per unit, logged work."""
MAX_WEIGHT: Final = 1_000.0
"""The largest weight (credit per hour): ``min_weight``, ``max_weight``, estimates."""
MAX_COST: Final = 1_000_000.0
"""The most a wisher may offer to contribute for a unit (``max_cost``, in hours)."""
MAX_UNITS: Final = 10**9
"""The most units of a good in a period: its capacity, its limit per participant."""
MAX_QUANTITY: Final = 100_000
"""The most units one wish may ask for."""
MAX_TERM: Final = 10_000
"""The most periods a subscription (a wish with a term) may stand: two centuries of weeks."""
MAX_TENURE: Final = 1_000
"""The most periods a unit won of a good is held (its ``tenure``)."""
MAX_SEED: Final = 2**63 - 1
"""The largest lottery seed (what every store keeps as a 64-bit integer)."""
MAX_PERIOD_COUNT: Final = {"days": 366, "weeks": 52, "months": 12}
"""The longest dated period in each unit: a year."""
MAX_CLOSE_DAYS: Final = 365
"""The most days before a period's last day that its offers may close (and fewer than the
period has: see :func:`peerconomy.domain.schedule.check_schedule`)."""
MAX_SHIFT_SLOTS: Final = 100
"""The most people one shift takes (its ``slots``)."""
MAX_SHIFT_HOURS: Final = 16
"""The longest shift, in hours on the clock (a night shift across midnight included)."""
MAX_RULE_SHIFTS: Final = 366
"""The most shifts one rule makes (every day for a year)."""
MAX_SHIFT_PLACE: Final = 200
"""The most characters of a shift's place."""
MAX_SHIFT_NOTE: Final = 1_000
"""The most characters of a shift's note."""
MAX_WORK_NOTE: Final = 1_000
"""The most characters of a work log's note."""
MAX_WORK_LOG_DAYS: Final = 366
"""The most days back a work log of an undated period may be dated (a dated period's logs
go back to its first day)."""


@dataclass(frozen=True, slots=True)
class Bound:
    """A closed (``low``) or open (``above``) lower bound and an upper bound ``high``."""

    low: float
    high: float
    strict_low: bool = False


HOURS: Final = Bound(0.0, MAX_HOURS)
LOGGED_HOURS: Final = Bound(0.0, MAX_HOURS, strict_low=True)
"""Hours of work logged at once: more than none."""
RECIPE: Final = Bound(0.0, MAX_HOURS)
WEIGHT: Final = Bound(0.0, MAX_WEIGHT, strict_low=True)
MIN_MAX_WEIGHT: Final = 1.0
"""The least ``max_weight``: uncovered hours weigh at least a standard hour."""
POOL_MAX_WEIGHT: Final = Bound(MIN_MAX_WEIGHT, MAX_WEIGHT)
"""A pool's ``max_weight`` (a setting, or a scenario's)."""
CONTRIBUTION: Final = Bound(0.0, MAX_COST)


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(value)


def check_number(value: object, path: str, bound: Bound) -> float:
    """``value`` as a float if it is a finite number within ``bound`` (a bool is no number);
    else raise :class:`~peerconomy.domain.refusal.InputError` naming ``path``."""
    sign = ">" if bound.strict_low else ">="
    low = f"must be a finite number {sign} {_shown(bound.low)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, f"{low}, got {value!r}")
    number = float(value) if not isinstance(value, int) or abs(value) < 2**1023 else math.inf
    if not math.isfinite(number):
        raise InputError(path, f"{low}, got {str(value)[:30]}")
    if number < bound.low or (bound.strict_low and number == bound.low):
        raise InputError(path, f"{low}, got {value!r}")
    if number > bound.high:
        raise InputError(path, f"must be a finite number <= {_shown(bound.high)},"
                               f" got {value!r}")
    return number


STORED_INT_MAX: Final = 2**31 - 1
"""The largest whole number every store holds: PostgreSQL's INTEGER columns (period numbers,
versions, work log and audit entry ids) end here, SQLite's at 2**63 - 1. A number beyond it
names nothing stored; taken further, the database would refuse it with an error (the API's
paths and queries, the pages' forms and the command line's options stop here)."""
