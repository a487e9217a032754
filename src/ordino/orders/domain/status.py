"""The order's status table: every status change goes through `transition_check`."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError

CREATED = "created"
ON_HOLD = "on_hold"
BACKORDERED = "backordered"
ALLOCATED = "allocated"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"

STATUSES = (
    CREATED,
    ON_HOLD,
    BACKORDERED,
    ALLOCATED,
    PARTIALLY_SHIPPED,
    SHIPPED,
    DELIVERED,
    COMPLETED,
    CANCELLED,
)

# from → the statuses it may move to. Staying in place is allowed where a partial change
# (part of a line cancelled, part of a backorder filled) leaves the status as it was.
TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset({ALLOCATED, BACKORDERED, ON_HOLD, CANCELLED}),
    ON_HOLD: frozenset({ON_HOLD, CREATED, ALLOCATED, BACKORDERED, CANCELLED}),
    BACKORDERED: frozenset({BACKORDERED, ALLOCATED, PARTIALLY_SHIPPED, ON_HOLD, CANCELLED}),
    # Allocated → delivered: picked up at the store counter, shipping and delivery in one step.
    ALLOCATED: frozenset(
        {ALLOCATED, BACKORDERED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, ON_HOLD, CANCELLED}
    ),
    PARTIALLY_SHIPPED: frozenset({PARTIALLY_SHIPPED, SHIPPED, DELIVERED}),
    # Shipped or delivered → partially shipped: an exchange added lines still to ship.
    SHIPPED: frozenset({SHIPPED, PARTIALLY_SHIPPED, DELIVERED, COMPLETED}),
    DELIVERED: frozenset({PARTIALLY_SHIPPED, COMPLETED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}
CANCELLABLE = frozenset({CREATED, ON_HOLD, BACKORDERED, ALLOCATED, PARTIALLY_SHIPPED})


def transition_check(current: str, target: str) -> str:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise DomainError(
            "invalid_transition",
            f"An order that is {current.replace('_', ' ')} cannot become "
            f"{target.replace('_', ' ')}.",
            status=409,
        )
    return target


def status_from_buckets(
    *,
    ordered: int,
    cancelled: int,
    backordered: int,
    allocated: int,
    shipped: int,
    delivered: int = 0,
) -> str:
    """The status an order's quantities call for after any change to them. The one rule for
    every use case (capture, cancel, edit, ship, deliver); the caller still passes the result
    through `transition_check`.
    """
    if cancelled == ordered:
        return CANCELLED
    if shipped:
        if shipped + cancelled < ordered:
            return PARTIALLY_SHIPPED
        return DELIVERED if delivered >= shipped else SHIPPED
    return BACKORDERED if backordered else ALLOCATED
