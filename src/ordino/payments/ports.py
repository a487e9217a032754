"""What payments needs from the modules above it (core/ports.py; plugged in wiring.py).

Payments sits below returns: which units an open exchange takes back is returns' to say."""

from __future__ import annotations

from ordino.core.ports import Port

# exchange_units_pending(*, order_id) -> dict[line_no, units]: units the order's open exchanges
# take back and have not received yet (their new lines were given for them: not refundable by
# hand, docs/payments.md "Refunds")
exchange_units_pending = Port(
    "exchange_units_pending", "units of an order's open exchanges not received yet, per line"
)
