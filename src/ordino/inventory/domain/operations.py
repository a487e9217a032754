"""What each stock operation moves, and the rules that refuse one. Pure Python, no I/O.

Every operation is one or more ledger movements (from state → to state, quantity) with a reason.
The reason codes below are the ledger's vocabulary; they are stored on every movement.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.domain.errors import DomainError
from ordino.inventory.domain.ledger import (
    AVAILABLE,
    EXTERNAL,
    FIELDS,
    INCOMING,
    SAFETY,
    Quantities,
    counted_movement,
)

# Reasons written on ledger movements.
RECEIPT = "receipt"  # goods arrived from a supplier (external or expected → available)
COUNT = "count"  # a cycle count set on hand to what was counted
DAMAGED = "damaged"  # available → unavailable (damaged, quality hold)
WRITE_OFF = "write_off"  # unavailable → external (thrown away, returned to the supplier)
RELEASED = "released"  # unavailable → available (quality hold lifted)
SAFETY_STOCK = "safety_stock"  # available ↔ safety: the safety stock was set
INCOMING_EXPECTED = "incoming_expected"  # external → incoming (a purchase order)
INCOMING_CANCELLED = "incoming_cancelled"  # incoming → external (the purchase order was cut)
TRANSFER_OUT = "transfer_out"  # source: available → external
TRANSFER_IN_TRANSIT = "transfer_in_transit"  # destination: external → incoming
TRANSFER_IN = "transfer_in"  # destination: incoming → available

# Reasons an operator gives for a manual adjustment (stock_adjust).
FOUND = "found"
LOST = "lost"
CORRECTION = "correction"
THEFT = "theft"
EXPIRED = "expired"
ADJUST_REASONS = (FOUND, LOST, CORRECTION, THEFT, EXPIRED)

REASONS = (
    RECEIPT,
    COUNT,
    DAMAGED,
    WRITE_OFF,
    RELEASED,
    SAFETY_STOCK,
    INCOMING_EXPECTED,
    INCOMING_CANCELLED,
    TRANSFER_OUT,
    TRANSFER_IN_TRANSIT,
    TRANSFER_IN,
    *ADJUST_REASONS,
)

Step = tuple[str, str, int]  # (from_state, to_state, quantity)


def quantity_check(value: object, *, field: str = "quantity", allow_zero: bool = False) -> int:
    """A whole number of units, greater than 0 (or at least 0 with `allow_zero`)."""
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        bound = "0 or more" if allow_zero else "greater than 0"
        raise DomainError(
            "quantity_invalid",
            f"{field} must be a whole number {bound}; got {value!r}.",
            field=field,
        )
    return value


def adjustment_step(*, delta: int, reason: str) -> Step:
    """A manual correction: a signed number of units found (+) or lost (−), with a reason."""
    if reason not in ADJUST_REASONS:
        raise DomainError(
            "reason_invalid",
            f"Unknown adjustment reason {reason!r}; use one of: {', '.join(ADJUST_REASONS)}.",
            field="reason",
        )
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise DomainError(
            "delta_invalid",
            f"delta must be a whole number other than 0 (+ adds, − removes); got {delta!r}.",
            field="delta",
        )
    return (EXTERNAL, AVAILABLE, delta) if delta > 0 else (AVAILABLE, EXTERNAL, -delta)


def count_step(current: Quantities, counted: int) -> Step | None:
    """The movement that makes on hand equal a physical count, or None when it already does.

    A count cannot go below what is committed to orders plus what is unavailable: those units
    are physically there (picked for orders, damaged on the shelf) and the count includes them.
    """
    quantity_check(counted, field="counted", allow_zero=True)
    floor = current.committed + current.unavailable
    if counted < floor:
        raise DomainError(
            "count_below_committed",
            f"Cannot set on hand to {counted}: {current.committed} unit(s) are committed to "
            f"orders and {current.unavailable} are unavailable, so at least {floor} must be "
            "on hand. Cancel or reallocate those orders, or write off the unavailable units, "
            "then count again.",
            field="counted",
        )
    return counted_movement(current.on_hand, counted)


def safety_step(current: Quantities, target: int) -> Step | None:
    """The movement that sets the safety stock to `target`: a policy, it may exceed on hand."""
    quantity_check(target, field="quantity", allow_zero=True)
    if target == current.safety_stock:
        return None
    if target > current.safety_stock:
        return (AVAILABLE, SAFETY, target - current.safety_stock)
    return (SAFETY, AVAILABLE, current.safety_stock - target)


def transfer_receive_check(*, quantity: int, received: int, receiving: int) -> int:
    """How many units this receipt takes; refuses more than is still in transit. A transfer
    received in full says so first (a receipt "of the rest" has nothing to take)."""
    remaining = quantity - received
    if remaining <= 0:
        raise DomainError(
            "transfer_already_received",
            "This transfer has been received in full.",
            status=409,
        )
    quantity_check(receiving)
    if receiving > remaining:
        raise DomainError(
            "quantity_exceeds_in_transit",
            f"Only {remaining} unit(s) of this transfer are still in transit; "
            f"cannot receive {receiving}.",
            field="quantity",
        )
    return receiving


def receipt_step(*, quantity: int, expected: bool) -> Step:
    """Goods arriving: from outside, or against what was expected (a purchase order, in transit)."""
    quantity_check(quantity)
    return (INCOMING if expected else EXTERNAL, AVAILABLE, quantity)


@dataclass(frozen=True)
class BalanceDifference:
    """One balance whose stored quantities disagree with the ledger."""

    location_id: int
    sku_id: int
    stored: Quantities | None  # None: no balance row although the ledger has movements
    ledger: Quantities

    @property
    def fields(self) -> dict[str, tuple[int, int]]:
        """field → (stored, ledger) for each field that differs."""
        stored = self.stored or Quantities()
        return {
            f: (getattr(stored, f), getattr(self.ledger, f))
            for f in FIELDS
            if getattr(stored, f) != getattr(self.ledger, f)
        }


def balances_compare(
    stored: dict[tuple[int, int], Quantities], ledger: dict[tuple[int, int], Quantities]
) -> list[BalanceDifference]:
    """Every balance, keyed (location_id, sku_id), whose stored quantities are not the ledger's.

    A missing row and a row of zeros are the same balance; so are no movements and movements
    that cancel out.
    """
    zero = Quantities()
    differences = []
    for key in sorted(stored.keys() | ledger.keys()):
        mine, theirs = stored.get(key), ledger.get(key, zero)
        if (mine or zero) != theirs:
            differences.append(BalanceDifference(key[0], key[1], mine, theirs))
    return differences
