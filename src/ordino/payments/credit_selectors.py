"""Reads of store credit: a customer's accounts and entries (the API, the console's customer
page, the CLI) and the period's credit issued by staff (the accounting journal)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from ordino.core.domain.money import quantum
from ordino.core.domain.scope import READ, UNRESTRICTED, Scope
from ordino.customers.selectors import customer_get
from ordino.payments.domain.credit import (
    CreditFigures,
    EntryValues,
    LotEntry,
    credit_lots,
    credit_replay,
)
from ordino.payments.models import StoreCreditAccount, StoreCreditEntry


@dataclass(frozen=True)
class CreditView:
    customer_id: int
    accounts: list[StoreCreditAccount]


def credit_of_customer(*, customer_id: int, scope: Scope = UNRESTRICTED) -> CreditView:
    """The customer's accounts (one per currency), or NotFound outside the caller's scope."""
    customer = customer_get(customer_id=customer_id, scope=scope, reach=READ)
    accounts = list(StoreCreditAccount.objects.filter(customer_id=customer.pk))
    return CreditView(customer.pk, accounts)


def credit_entries(*, customer_id: int, currency: str | None = None) -> QuerySet:
    """The customer's entries, oldest first (paginated by the callers), with their account."""
    qs = StoreCreditEntry.objects.select_related("account").filter(account__customer_id=customer_id)
    return qs.filter(account__currency=currency) if currency else qs


def account_serialize(a: StoreCreditAccount) -> dict:
    q = quantum(a.currency)
    return {
        "currency": a.currency,
        "balance": a.balance.quantize(q),
        "held": a.held.quantize(q),
        "expiring": [
            {"entry_id": lot.entry_id, "amount": lot.left.quantize(q), "expires_at": lot.expires_at}
            for lot in credit_expiring_lots(a)
        ],
    }


def credit_expiring_lots(account: StoreCreditAccount):
    """What is left of each credit of the account that has an expiry, soonest first (spent
    credit comes out of these first: payments/domain/credit.py)."""
    rows = StoreCreditEntry.objects.filter(account_id=account.pk).order_by("id")
    lots = credit_lots([LotEntry(e.pk, e.kind, e.amount, e.expires_at, e.payment_id) for e in rows])
    due = [lot for lot in lots if lot.expires_at is not None and lot.left > 0]
    return sorted(due, key=lambda lot: (lot.expires_at, lot.entry_id))


def entry_serialize(e: StoreCreditEntry) -> dict:
    q = quantum(e.account.currency)
    return {
        "id": e.pk, "currency": e.account.currency, "kind": e.kind, "amount": e.amount.quantize(q),
        "balance_after": e.balance_after.quantize(q), "held_after": e.held_after.quantize(q),
        "order_id": e.order_id, "payment_id": e.payment_id, "refund_id": e.refund_id,
        "reason": e.reason, "actor": e.actor, "created_at": e.created_at,
        "expires_at": e.expires_at,
    }  # fmt: skip


def credit_proven(account: StoreCreditAccount) -> CreditFigures:
    """The account's figures replayed from its entries; ValueError if they disagree with the
    entries' own record or with the account row (`ordino credit balance` shows it)."""
    rows = StoreCreditEntry.objects.filter(account_id=account.pk).order_by("id")
    figures = credit_replay(
        EntryValues(e.kind, e.amount, e.balance_after, e.held_after) for e in rows
    )
    if (figures.balance, figures.held) != (account.balance, account.held):
        raise ValueError(f"account {account.pk}: its row says {account.balance}/{account.held}")
    return figures


def credit_by_staff_of_period(*, start, end) -> list[StoreCreditEntry]:
    """Staff's goodwill credit and adjustments, and credit that expired, in [start, end) (the
    journal: none of them names a payment)."""
    return list(
        StoreCreditEntry.objects.select_related("account")
        .filter(
            kind__in=("goodwill", "adjusted", "expired"), created_at__gte=start, created_at__lt=end
        )
        .order_by("created_at", "id")
    )


def credit_liability(*, currency: str) -> Decimal:
    """What all customers hold in `currency`, spendable and held: the liability's balance."""
    rows = StoreCreditAccount.objects.filter(currency=currency)
    return sum((a.balance + a.held for a in rows), Decimal(0))
