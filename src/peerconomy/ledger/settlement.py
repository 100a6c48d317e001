"""Posting a settled period: shares charged to the participants, confirmed work credited.

Each participant's share and credit is rounded to the micro-hour and the pool's account takes
the exact opposite of their sum, so both transactions balance to zero exactly.

>>> shares, work = settlement(1, date(2026, 11, 30), {"ana": 3.0, "ben": 9.0}, {"ana": 5.0})
>>> [(p.account, str(p.amount)) for p in work.postings]
[('participant:ana', '5.000000'), ('pool', '-5.000000')]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from peerconomy.ledger.journal import POOL, Posting, Transaction, hours, participant_account

__all__ = ["settlement"]


def settlement(
    period: int, on: date, shares: Mapping[str, float], credits: Mapping[str, float]
) -> tuple[Transaction, Transaction]:
    """The period's two transactions: its shares (charged) and its confirmed credits."""
    charged = _against_pool(shares, sign=Decimal(-1))
    credited = _against_pool(credits, sign=Decimal(1))
    return (
        Transaction(f"period-{period}-shares", period, on, "share",
                    f"shares of period {period}", charged),
        Transaction(f"period-{period}-credits", period, on, "credit",
                    f"confirmed work of period {period}", credited),
    )


def _against_pool(amounts: Mapping[str, float], sign: Decimal) -> tuple[Posting, ...]:
    rounded = {who: hours(amount) for who, amount in amounts.items()}
    postings = [
        Posting(participant_account(who), sign * amount)
        for who, amount in rounded.items()
        if amount != 0
    ]
    total = sum((p.amount for p in postings), Decimal(0))
    return (*postings, Posting(POOL, -total)) if postings else ()
