"""What fulfillment needs from the module above it (core/ports.py; plugged in wiring.py).

A location's work changes its order: shipped items leave the order's allocated bucket, a
rejection sends items elsewhere, a pickup delivers them. Fulfillment does not write the order's
tables (orders own them, docs/architecture.md); it tells the order what happened, in the same
transaction, and the orders module moves its lines, its status and its timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ordino.core.ports import Port


@dataclass(frozen=True)
class LineMove:
    """Items of one order line moving between the line's buckets, e.g. allocated -2, shipped +2."""

    order_line_id: int
    deltas: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class OrderNews:
    """What a location did to an order. `kind` is the order timeline's kind ("shipped",
    "rejected", "fulfillment_accepted", ...); the order module knows the event of each kind."""

    order_id: int
    kind: str
    message: str
    data: dict[str, Any]
    actor: str
    now: datetime
    moves: tuple[LineMove, ...] = ()
    # Rejected items the order should place elsewhere: (order line id, items).
    reroute: tuple[tuple[int, int], ...] = ()
    # A step in the location's queue (accept, pick, pack, hold) is recorded, the order's status
    # and version stay; anything that moves items brings the order's status along.
    status_follows: bool = True


order_tell: Port = Port(
    "fulfillment.order_tell",
    "the order records what its location did (lines, status, timeline) and answers with what "
    "it did in turn (where rejected items went)",
)


# order_held_because(*, order_id: int) -> str: why the order is held ("" when it is not):
# held work does not start again until the order's holds are released (docs/holds.md)
order_held_because = Port("order_held_because", "why an order is held, '' when it is not")
