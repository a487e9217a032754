"""The journal's JSON body (docs/accounting.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema


class EntryOut(Schema):
    date: date
    account: str
    debit: Decimal
    credit: Decimal
    currency: str
    reference: str
    order: str


class AccountTotalOut(Schema):
    account: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class TrialBalanceOut(Schema):
    currency: str
    debit: Decimal
    credit: Decimal
    balanced: bool


class JournalOut(Schema):
    date_from: date
    date_to: date
    accounts: list[str]
    entries: list[EntryOut]
    totals: list[AccountTotalOut]
    trial_balance: list[TrialBalanceOut]
