"""Store credit's ledger rules, pure: what each kind of entry does to an account's spendable
`balance` and its `held` part, never letting either go negative, and the replay that proves an
account's figures from its entries (docs/payments.md, "Store credit")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
    "expired": (-1, 0),  # an issued credit's expiry passed with some of it unspent
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


# Expiry (docs/payments.md, "Store credit expiry"): each issued credit is a lot with its own
# expiry (or none). Credit taken (held for a payment, adjusted, expired) comes out of the lots
# that expire soonest first, so a customer never loses credit they could have spent first; a
# released hold goes back to the lots it came from. What is left of a lot when its expiry
# passes expires.


@dataclass(frozen=True)
class LotEntry:
    """An entry as expiry sees it, in the account's order."""

    id: int
    kind: str
    amount: Decimal
    expires_at: datetime | None = None  # issued and goodwill entries only
    payment_id: int | None = None


@dataclass
class Lot:
    entry_id: int
    expires_at: datetime | None
    left: Decimal
    taken_by: dict[int, Decimal] = field(default_factory=dict)  # payment id -> held from it


def _order(lot: Lot) -> tuple:
    return (lot.expires_at is None, lot.expires_at or datetime.max, lot.entry_id)


def credit_lots(entries: Sequence[LotEntry]) -> list[Lot]:
    """The account's lots after its entries: what is left of each issued credit."""
    lots: list[Lot] = []
    for e in entries:
        if e.kind in ISSUES:
            lots.append(Lot(e.id, e.expires_at, e.amount))
        elif e.kind in ("held", "adjusted", "expired"):
            _take(lots, e.amount, e.payment_id if e.kind == "held" else None)
        elif e.kind == "released" and e.payment_id is not None:
            _give_back(lots, e.amount, e.payment_id)
    return lots


def _take(lots: list[Lot], amount: Decimal, payment_id: int | None) -> None:
    for lot in sorted(lots, key=_order):
        if amount <= 0:
            return
        part = min(lot.left, amount)
        if part > 0:
            lot.left -= part
            amount -= part
            if payment_id is not None:
                lot.taken_by[payment_id] = lot.taken_by.get(payment_id, ZERO) + part


def _give_back(lots: list[Lot], amount: Decimal, payment_id: int) -> None:
    for lot in sorted(lots, key=_order, reverse=True):
        part = min(lot.taken_by.get(payment_id, ZERO), amount)
        if part > 0:
            lot.taken_by[payment_id] -= part
            lot.left += part
            amount -= part
    if amount > 0 and lots:  # released beyond what the lots know of: back to the last
        max(lots, key=_order).left += amount


def credit_expiring(entries: Sequence[LotEntry], now: datetime) -> list[tuple[int, Decimal]]:
    """(issued entry id, amount) to expire at `now`: what is left of every lot whose expiry
    has passed, soonest first (the order `credit_lots` takes them in)."""
    due = [lot for lot in credit_lots(entries) if lot.expires_at and lot.expires_at <= now]
    return [(lot.entry_id, lot.left) for lot in sorted(due, key=_order) if lot.left > 0]
