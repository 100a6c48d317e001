"""The pool's books: an append-only double-entry journal, settlement, statements, exports."""

from peerconomy.ledger.export import to_beancount, to_csv, to_json
from peerconomy.ledger.journal import (
    POOL,
    Account,
    Posting,
    StatementLine,
    Transaction,
    UnbalancedTransactionError,
    balances,
    hours,
    participant_account,
    participant_of,
    reversal,
    statement,
)
from peerconomy.ledger.settlement import settlement

__all__ = [
    "POOL",
    "Account",
    "Posting",
    "StatementLine",
    "Transaction",
    "UnbalancedTransactionError",
    "balances",
    "hours",
    "participant_account",
    "participant_of",
    "reversal",
    "settlement",
    "statement",
    "to_beancount",
    "to_csv",
    "to_json",
]
