"""The journal of a period: facts read through invoices' and payments' selectors, posted by the
pure rules (accounting/domain/journal.py). Reads only; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ordino.accounting.domain.journal import (
    CREDIT_PROVIDER,
    DocumentFact,
    Journal,
    MoneyFact,
    journal,
)
from ordino.invoices.selectors import documents_of_period
from ordino.payments.credit_selectors import credit_by_staff_of_period
from ordino.payments.selectors import (
    goodwill_expense,
    goodwill_of_period,
    money_moved_of_period,
)

ZERO = Decimal(0)


def journal_get(*, date_from: date, date_to: date) -> Journal:
    """Every entry of the UTC days from `date_from` to `date_to`, inclusive."""
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    facts: list[DocumentFact | MoneyFact] = []
    for doc in documents_of_period(start=start, end=end):
        lines = list(doc.lines.all())
        facts.append(
            DocumentFact(
                kind=doc.kind,
                day=doc.issued_at.astimezone(UTC).date(),
                number=doc.number,
                order=doc.order.external_id,
                currency=doc.currency,
                lines_net=sum((x.net for x in lines), ZERO),
                lines_tax=sum((x.tax for x in lines), ZERO),
                shipping_net=doc.shipping_net,
                shipping_tax=doc.shipping_tax,
                lines_discount=sum((x.discount for x in lines), ZERO),
            )
        )
    for txn in money_moved_of_period(start=start, end=end):
        payment = txn.payment
        ref = f"refund:{txn.refund_id}" if txn.refund_id else f"payment:{payment.pk}"
        # to store credit: the refund's choice, or a reversed refund sent again to the credit
        # (its transactions name the credit entry: payments/services/credit_refund.py)
        to_credit = txn.refund is not None and (
            txn.refund.to == CREDIT_PROVIDER or txn.reference.startswith("credit:")
        )
        facts.append(
            MoneyFact(txn.kind, txn.finished_at.astimezone(UTC).date(),
                      CREDIT_PROVIDER if to_credit else payment.provider,
                      txn.amount, payment.currency, ref, payment.order.external_id)
        )  # fmt: skip
    for entry in credit_by_staff_of_period(start=start, end=end):
        facts.append(
            MoneyFact(f"credit_{entry.kind}", entry.created_at.astimezone(UTC).date(), "",
                      entry.amount, entry.account.currency, f"credit:{entry.pk}", "")
        )  # fmt: skip
    # An exchange's difference given back is a goodwill-only refund whose money the credit note
    # of the exchange's returned units credits; an overpayment given back was never the
    # merchant's: neither is a goodwill expense (docs/accounting.md).
    for refund in goodwill_of_period(start=start, end=end):
        if not goodwill_expense(refund):
            continue
        facts.append(
            MoneyFact("goodwill", refund.created_at.astimezone(UTC).date(), "", refund.goodwill,
                      refund.currency, f"refund:{refund.pk}", refund.order.external_id)
        )  # fmt: skip
    return Journal(date_from, date_to, journal(facts))
