"""The journal written out: JSON (the API's body) and CSV (one row per entry), amounts in the
currency's decimals. Shared by the API, the CLI and the console."""

from __future__ import annotations

import csv
import io

from ordino.accounting.domain.journal import ACCOUNTS, Journal
from ordino.core.domain.money import quantum

HEADER = ["date", "account", "debit", "credit", "currency", "reference", "order"]


def _m(amount, currency):
    return amount.quantize(quantum(currency))


def as_json(j: Journal) -> dict:
    return {
        "date_from": j.date_from,
        "date_to": j.date_to,
        "accounts": list(ACCOUNTS),
        "entries": [
            {"date": e.day, "account": e.account, "debit": _m(e.debit, e.currency),
             "credit": _m(e.credit, e.currency), "currency": e.currency,
             "reference": e.reference, "order": e.order}
            for e in j.entries
        ],
        "totals": [
            {"account": t.account, "currency": t.currency, "debit": _m(t.debit, t.currency),
             "credit": _m(t.credit, t.currency), "balance": _m(t.balance, t.currency)}
            for t in j.totals()
        ],
        "trial_balance": [
            {"currency": t.currency, "debit": _m(t.debit, t.currency),
             "credit": _m(t.credit, t.currency), "balanced": t.balanced}
            for t in j.trial_balance()
        ],
    }  # fmt: skip


def csv_text(j: Journal) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for e in j.entries:
        writer.writerow([e.day.isoformat(), e.account, _m(e.debit, e.currency),
                         _m(e.credit, e.currency), e.currency, e.reference, e.order])  # fmt: skip
    return out.getvalue()
