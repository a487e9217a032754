"""What shipping needs from the modules above it (core/ports.py; plugged in wiring.py).

Shipping sits below orders: an order's timeline is written by orders."""

from __future__ import annotations

from ordino.core.ports import Port

# order_timeline_add(*, order_id, kind, message, actor, data, now) -> None
order_timeline_add = Port("order_timeline_add", "write one row of an order's timeline")
