"""A refund to store credit (`RefundOrder.to == "store_credit"`): it still counts against
what each payment captured (its refund transactions are split as any refund's), but the money
goes to the order's customer's store credit, in the refund's transaction: no provider is
called, so its transactions succeed at once (docs/payments.md, "Store credit")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ordino.payments.models import PaymentTransaction, Refund
from ordino.payments.providers.base import ProviderResult
from ordino.payments.services.credit import CreditMove, credit_move
from ordino.payments.services.send import transaction_finish


def refund_to_credit(
    refund: Refund,
    customer_id: int,
    txns: list[PaymentTransaction],
    now: datetime,
    expires_at: datetime | None = None,
    *,
    again: int = 0,
) -> None:
    """Issue the refund's amount as the customer's credit (a lot expiring at `expires_at`, spent
    soonest-expiring first) — or, sent again after a reversal, its `txns`' amount (`again`
    counts the sendings) — then record each of its transactions as succeeded (the refund
    follows: succeeded, its event)."""
    amount = sum((t.amount for t in txns), Decimal(0)) if again else refund.amount
    key = f"refund-{refund.pk}" + (f"-again-{again}" if again else "")
    move = CreditMove(
        kind="issued", amount=amount, key=key, order_id=refund.order_id,
        refund_id=refund.pk, reason=refund.reason, actor=refund.actor, expires_at=expires_at,
    )  # fmt: skip
    entry = credit_move(customer_id=customer_id, currency=refund.currency, move=move, now=now)
    for txn in txns:
        transaction_finish(
            txn_id=txn.pk,
            result=ProviderResult("succeeded", reference=f"credit:{entry.pk}"),
            actor=refund.actor or "system:payments",
        )
    refund.refresh_from_db()
