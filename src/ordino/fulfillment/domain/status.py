"""A fulfillment order's states (docs/design.md §3). Every change goes through `fo_transition`."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError

OPEN = "open"
ACCEPTED = "accepted"
PICKING = "picking"
PACKED = "packed"
SHIPPED = "shipped"
READY_FOR_PICKUP = "ready_for_pickup"
PICKED_UP = "picked_up"
DELIVERED = "delivered"
ON_HOLD = "on_hold"
REJECTED = "rejected"
CANCELLED = "cancelled"

STATUSES = (
    OPEN,
    ACCEPTED,
    PICKING,
    PACKED,
    SHIPPED,
    READY_FOR_PICKUP,
    PICKED_UP,
    DELIVERED,
    ON_HOLD,
    REJECTED,
    CANCELLED,
)
# Statuses in which the location may still hold reserved, unshipped stock for the order
# (a pickup order waits at the counter with its stock committed).
ACTIVE = frozenset({OPEN, ACCEPTED, PICKING, PACKED, ON_HOLD, READY_FOR_PICKUP})
FINAL = frozenset({DELIVERED, PICKED_UP, REJECTED, CANCELLED})

TRANSITIONS: dict[str, frozenset[str]] = {
    # A small shop may ship (or put out for pickup) without accepting first.
    OPEN: frozenset({ACCEPTED, SHIPPED, READY_FOR_PICKUP, ON_HOLD, REJECTED, CANCELLED}),
    ACCEPTED: frozenset({PICKING, PACKED, SHIPPED, READY_FOR_PICKUP, ON_HOLD, REJECTED, CANCELLED}),
    PICKING: frozenset({PACKED, SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    PACKED: frozenset({SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    # On hold with part shipped and the rest cancelled: what was sent is all there is.
    ON_HOLD: frozenset({OPEN, ACCEPTED, SHIPPED, REJECTED, CANCELLED}),
    # Shipped to a customer → delivered; shipped to a store (ship-to-store) → ready there.
    SHIPPED: frozenset({DELIVERED, READY_FOR_PICKUP}),
    READY_FOR_PICKUP: frozenset({PICKED_UP, CANCELLED}),
    PICKED_UP: frozenset(),
    DELIVERED: frozenset(),
    REJECTED: frozenset(),
    CANCELLED: frozenset(),
}


def fo_transition(current: str, target: str) -> str:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise DomainError(
            "invalid_fulfillment_transition",
            f"A fulfillment order that is {current.replace('_', ' ')} cannot become "
            f"{target.replace('_', ' ')}.",
            status=409,
        )
    return target
