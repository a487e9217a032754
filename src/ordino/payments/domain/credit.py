"""Store credit's ledger rules, pure: what each kind of entry does to an account's spendable
`balance` and its `held` part, never letting either go negative, and the replay that proves an
account's figures from its entries (docs/payments.md, "Store credit")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.errors import DomainError

ZERO = Decimal(0)

# kind -> (change of balance, change of held), per unit of the entry's (positive) amount
EFFECTS: dict[str, tuple[int, int]] = {
    "issued": (1, 0),  # a refund to store credit, a store-credit payment refunded
    "goodwill": (1, 0),  # staff gave credit, with a reason
    "adjusted": (-1, 0),  # staff took credit back, with a reason
    "held": (-1, 1),  # a store-credit payment authorized
    "redeemed": (0, -1),  # ... captured: the held credit is spent
    "released": (1, -1),  # ... voided: the held credit comes back
}
KINDS = tuple(EFFECTS)
ISSUES = ("issued", "goodwill")  # what adds credit (the liability grows)


@dataclass(frozen=True)
class CreditFigures:
    balance: Decimal  # spendable
    held: Decimal  # set aside by store-credit payments not captured yet


class CreditInsufficient(DomainError):
    def __init__(self, message: str, field: str = "amount"):
        super().__init__("store_credit_insufficient", message, field=field)


def credit_apply(figures: CreditFigures, kind: str, amount: Decimal) -> CreditFigures:
    """The account after one entry; refused when the amount is not positive or the entry would
    take more than the account has (spendable for `held`/`adjusted`, held for the rest)."""
    if kind not in EFFECTS:
        raise ValueError(f"unknown store credit entry {kind!r}")
    if amount <= 0:
        raise DomainError("invalid_amount", "A store credit amount is positive.", field="amount")
    d_balance, d_held = EFFECTS[kind]
    after = CreditFigures(figures.balance + d_balance * amount, figures.held + d_held * amount)
    if after.balance < 0:
        raise CreditInsufficient(f"The store credit balance is {figures.balance}, not {amount}.")
    if after.held < 0:
        raise CreditInsufficient(f"Only {figures.held} of store credit is held, not {amount}.")
    return after


@dataclass(frozen=True)
class EntryValues:
    kind: str
    amount: Decimal
    balance_after: Decimal
    held_after: Decimal


def credit_replay(entries: Iterable[EntryValues]) -> CreditFigures:
    """An account's figures from its entries in order, checking that each entry's recorded
    `balance_after`/`held_after` is what the rules give (a broken chain raises ValueError)."""
    figures = CreditFigures(ZERO, ZERO)
    for n, e in enumerate(entries):
        figures = credit_apply(figures, e.kind, e.amount)
        if (figures.balance, figures.held) != (e.balance_after, e.held_after):
            raise ValueError(
                f"entry {n} ({e.kind} {e.amount}) does not follow from the ones before"
            )
    return figures
