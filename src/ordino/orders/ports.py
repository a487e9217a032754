"""What orders need from the modules above them (core/ports.py; plugged in wiring.py).

Capture records the payments the channel sent in its own transaction, so an order and its
payments commit or roll back together; payments own the rows (docs/payments.md). Fraud
screening (risk, above orders) scores the order in the same transaction, before holds test it
(docs/risk.md)."""

from __future__ import annotations

from ordino.core.ports import Port

# payments_record(*, order: Order, payments: Sequence[CapturePayment], actor: str, now) -> list
payments_record = Port(
    "payments_record", "record a captured order's payments (pending), refusing bad ones"
)

# order_risk_assess(*, order: Order, payments: Sequence[CapturePayment], actor, now) -> int
order_risk_assess = Port("order_risk_assess", "score a captured order's fraud risk (risk)")

# order_risk_refresh(*, order_id: int, actor: str, now) -> int | None: re-scored after an edit
order_risk_refresh = Port("order_risk_refresh", "re-score an edited order when its inputs changed")

# risk_scores_of(*, order_ids: Sequence[int]) -> dict[int, int]: holds' risk.score
risk_scores_of = Port("risk_scores_of", "the fraud risk score of each scored order")

# payment_methods_of(*, order_ids: Sequence[int]) -> dict[int, set[str]]: holds' payment.methods
payment_methods_of = Port("payment_methods_of", "the methods of each order's payments")
