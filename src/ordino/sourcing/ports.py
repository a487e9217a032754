"""What sourcing needs from the module above it (core/ports.py; plugged in wiring.py).

Simulating a profile on a stored order, and back-testing a draft over past orders, need those
orders as the engine sees them. Orders own them and sit above sourcing (docs/architecture.md,
"The direction of dependency"), so orders hand them down in this plain shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ordino.core.ports import Port
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.sourcing.facts import OrderContext


@dataclass(frozen=True)
class StoredOrder:
    """A captured order as sourcing's input: its open demand per line (key: line number)."""

    order_id: int
    channel_id: int
    pickup_location_id: int | None
    created_at: datetime
    context: OrderContext  # line_skus filled: line number → SKU id
    demands: Sequence[LineDemand]


stored_order: Port = Port(
    "sourcing.stored_order",
    "one order as sourcing's input, if the scope reaches it (else NotFound): "
    "(*, order_id: int, scope: Scope) -> StoredOrder",
)
recent_orders: Port = Port(
    "sourcing.recent_orders",
    "the latest captured orders, newest first, optionally of one channel and captured in "
    "[since, until): (*, limit: int, channel: str | None, since: datetime | None = None, "
    "until: datetime | None = None) -> list[StoredOrder]",
)
