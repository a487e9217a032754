"""The journal's rules, pure: facts in (a document issued, money captured or given back),
balanced double entries out (docs/accounting.md). No Django here.

Every fact posts entries whose debits equal their credits exactly, in the fact's currency, so
any sequence of facts balances per currency: the trial balance is zero by construction and the
tests check it (tests/accounting/test_domain.py, a property test)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ordino.core.domain.money import money_exact

ZERO = Decimal(0)

SALES = "Sales"
SALES_RETURNS = "Sales returns"
TAX_PAYABLE = "Tax payable"
SHIPPING_INCOME = "Shipping income"
DISCOUNTS = "Discounts"
RECEIVABLES = "Receivables"
CLEARING = "Payment clearing"  # one account per provider: "Payment clearing:<provider>"
GOODWILL = "Goodwill expense"
STORE_CREDIT = "Store credit liability"
BREAKAGE = "Breakage income"  # store credit that expired unspent: owed no more
CHARGEBACKS = "Chargeback losses"  # disputes lost: captured money the card network took back
CREDIT_PROVIDER = "store_credit"  # money moved to or from store credit, not at a provider

ACCOUNTS = (
    SALES,
    SALES_RETURNS,
    DISCOUNTS,
    SHIPPING_INCOME,
    TAX_PAYABLE,
    RECEIVABLES,
    CLEARING,
    GOODWILL,
    STORE_CREDIT,
    BREAKAGE,
    CHARGEBACKS,
)


@dataclass(frozen=True)
class Entry:
    day: date
    account: str
    debit: Decimal
    credit: Decimal
    currency: str
    reference: str
    order: str


@dataclass(frozen=True)
class DocumentFact:
    """An invoice (kind "invoice") or a credit note ("credit_note"): its lines' net and tax
    summed, its shipping net and tax. Amounts never negative."""

    kind: str
    day: date
    number: str
    order: str
    currency: str
    lines_net: Decimal
    lines_tax: Decimal
    shipping_net: Decimal
    shipping_tax: Decimal
    lines_discount: Decimal = ZERO  # the lines' discounts: `lines_net` is after them


@dataclass(frozen=True)
class MoneyFact:
    """Money moved at a provider: a capture ("capture") or a refund sent back ("refund"), a
    refund that failed after the provider accepted it ("refund_reversal": the money came back),
    a dispute lost ("chargeback": the card network took the money back); a refund's goodwill
    part ("goodwill", provider empty): money given with no credit note.
    Provider `store_credit`: the money came from or went to the customer's store credit (a
    store-credit payment captured, a refund to store credit). Store credit staff gave
    ("credit_goodwill") or took back ("credit_adjusted"), or that expired ("credit_expired"),
    provider empty."""

    kind: str
    day: date
    provider: str
    amount: Decimal
    currency: str
    reference: str
    order: str


def clearing(provider: str) -> str:
    """Where a provider's money waits; store credit's is the liability itself."""
    return STORE_CREDIT if provider == CREDIT_PROVIDER else f"{CLEARING}:{provider}"


def entries_of(fact: DocumentFact | MoneyFact) -> list[Entry]:
    """The balanced entries of one fact (amounts zero are left out)."""
    if isinstance(fact, DocumentFact):
        return _document(fact)
    return _money(fact)


def _document(f: DocumentFact) -> list[Entry]:
    c = f.currency
    net, tax = money_exact(f.lines_net, c), money_exact(f.lines_tax + f.shipping_tax, c)
    shipping = money_exact(f.shipping_net, c)
    discount = money_exact(f.lines_discount, c)
    gross = net + tax + shipping
    # An invoice credits income and tax and debits what the customer owes; a credit note is
    # its mirror (sales returns kept apart from sales, as finance reports them). Sales are
    # booked before discounts and the discounts apart (a contra-revenue account), so
    # Sales − Discounts is the lines' net (docs/accounting.md).
    if f.kind == "invoice":
        rows = [(RECEIVABLES, gross, ZERO), (DISCOUNTS, discount, ZERO)]
        rows += [(SALES, ZERO, net + discount)]
        rows += [(SHIPPING_INCOME, ZERO, shipping), (TAX_PAYABLE, ZERO, tax)]
    else:
        rows = [(SALES_RETURNS, net + discount, ZERO), (DISCOUNTS, ZERO, discount)]
        rows += [(SHIPPING_INCOME, shipping, ZERO)]
        rows += [(TAX_PAYABLE, tax, ZERO), (RECEIVABLES, ZERO, gross)]
    return [
        Entry(f.day, account, dr, cr, c, f.number, f.order) for account, dr, cr in rows if dr or cr
    ]


def _money(f: MoneyFact) -> list[Entry]:
    amount = money_exact(f.amount, f.currency)
    if not amount:
        return []
    if f.kind == "capture":
        debit, credit = clearing(f.provider), RECEIVABLES
    elif f.kind == "refund":
        debit, credit = RECEIVABLES, clearing(f.provider)
    elif f.kind == "refund_reversal":  # the refund's entry mirrored: the customer is owed again
        debit, credit = clearing(f.provider), RECEIVABLES
    elif f.kind == "chargeback":
        # The sale stands (no credit note: nothing came back) and the money is gone: a loss.
        debit, credit = CHARGEBACKS, clearing(f.provider)
    elif f.kind == "goodwill":
        # The refund's transaction debited Receivables for the whole amount; the goodwill part
        # has no credit note, so it moves from Receivables to the expense.
        debit, credit = GOODWILL, RECEIVABLES
    elif f.kind == "credit_goodwill":  # credit given owes the customer: an expense
        debit, credit = GOODWILL, STORE_CREDIT
    elif f.kind == "credit_adjusted":  # credit taken back: the expense undone
        debit, credit = STORE_CREDIT, GOODWILL
    elif f.kind == "credit_expired":  # credit expired unspent: the liability is income now
        debit, credit = STORE_CREDIT, BREAKAGE
    else:
        raise ValueError(f"unknown money fact {f.kind!r}")
    return [
        Entry(f.day, debit, amount, ZERO, f.currency, f.reference, f.order),
        Entry(f.day, credit, ZERO, amount, f.currency, f.reference, f.order),
    ]


def journal(facts: Iterable[DocumentFact | MoneyFact]) -> list[Entry]:
    """All entries of the facts, in a stable order (day, reference, then as posted)."""
    entries = [e for fact in facts for e in entries_of(fact)]
    return sorted(entries, key=lambda e: (e.day, e.reference))


@dataclass(frozen=True)
class AccountTotal:
    account: str
    currency: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def account_totals(entries: Iterable[Entry]) -> list[AccountTotal]:
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for e in entries:
        pair = sums.setdefault((e.account, e.currency), [ZERO, ZERO])
        pair[0] += e.debit
        pair[1] += e.credit
    return [AccountTotal(a, c, dr, cr) for (a, c), (dr, cr) in sorted(sums.items())]


@dataclass(frozen=True)
class TrialBalance:
    currency: str
    debit: Decimal
    credit: Decimal

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit


def trial_balance(entries: Iterable[Entry]) -> list[TrialBalance]:
    sums: dict[str, list[Decimal]] = {}
    for e in entries:
        pair = sums.setdefault(e.currency, [ZERO, ZERO])
        pair[0] += e.debit
        pair[1] += e.credit
    return [TrialBalance(c, dr, cr) for c, (dr, cr) in sorted(sums.items())]


@dataclass(frozen=True)
class Journal:
    date_from: date
    date_to: date
    entries: list[Entry]

    def totals(self):
        return account_totals(self.entries)

    def trial_balance(self):
        return trial_balance(self.entries)
