"""What orders need from the modules above them (core/ports.py; plugged in wiring.py).

Capture records the payments the channel sent in its own transaction, so an order and its
payments commit or roll back together; payments own the rows (docs/payments.md)."""

from __future__ import annotations

from ordino.core.ports import Port

# payments_record(*, order: Order, payments: Sequence[CapturePayment], actor: str, now) -> list
payments_record = Port(
    "payments_record", "record a captured order's payments (pending), refusing bad ones"
)

# payment_methods_of(*, order_ids: Sequence[int]) -> dict[int, set[str]]: holds' payment.methods
payment_methods_of = Port("payment_methods_of", "the methods of each order's payments")
