"""Use cases that move stock with one ledger movement: receipts, incoming stock (a purchase
order), manual adjustments, damage (mark, write off, release). Each is a reason, an actor and a
reference applied through `inventory.ledger` in one transaction with its outbox event
(`changes.movement_one`). A refused call raises a DomainError and changes nothing.
"""

from __future__ import annotations

from ordino.core.domain.errors import DomainError
from ordino.inventory import events
from ordino.inventory.domain import operations as ops
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, INCOMING, UNAVAILABLE
from ordino.inventory.services.changes import StockChange, movement_one


def stock_receive(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
    expected: bool = False,
) -> StockChange:
    """Goods arrived: `quantity` units become available. With `expected`, they were announced
    by stock_incoming_expect (a purchase order) and leave `incoming`."""
    step = ops.receipt_step(quantity=quantity, expected=expected)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=step,
        reason=ops.RECEIPT,
        event=events.StockReceived,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_incoming_expect(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Goods are on their way (a purchase order): counted as incoming until received."""
    ops.quantity_check(quantity)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=(EXTERNAL, INCOMING, quantity),
        reason=ops.INCOMING_EXPECTED,
        event=events.StockIncomingExpected,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_incoming_cancel(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Expected goods will not come (a purchase order line was cut)."""
    ops.quantity_check(quantity)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=(INCOMING, EXTERNAL, quantity),
        reason=ops.INCOMING_CANCELLED,
        event=events.StockIncomingCancelled,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_adjust(
    *,
    location_code: str,
    sku_code: str,
    delta: int,
    reason: str,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """A manual correction with a reason: + units found, − units lost, stolen or expired.
    A removal takes available units only: it never touches committed or unavailable stock."""
    step = ops.adjustment_step(delta=delta, reason=reason)
    try:
        return movement_one(
            location_code=location_code,
            sku_code=sku_code,
            step=step,
            reason=reason,
            event=events.StockAdjusted,
            actor=actor,
            reference=reference,
            note=note,
        )
    except DomainError as exc:
        if exc.code == "balance_too_large":  # the units came as `delta`
            exc.errors = [{**e, "field": "delta"} for e in exc.errors]
        raise


def stock_damage_mark(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Available units found damaged (or put on quality hold): on hand, but not sellable."""
    ops.quantity_check(quantity)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=(AVAILABLE, UNAVAILABLE, quantity),
        reason=ops.DAMAGED,
        event=events.StockDamaged,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_damage_writeoff(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Unavailable units leave the building (destroyed, returned to the supplier)."""
    ops.quantity_check(quantity)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=(UNAVAILABLE, EXTERNAL, quantity),
        reason=ops.WRITE_OFF,
        event=events.StockWrittenOff,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_release_unavailable(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Unavailable units are sellable again (a quality hold lifted, a repair)."""
    ops.quantity_check(quantity)
    return movement_one(
        location_code=location_code,
        sku_code=sku_code,
        step=(UNAVAILABLE, AVAILABLE, quantity),
        reason=ops.RELEASED,
        event=events.StockReleased,
        actor=actor,
        reference=reference,
        note=note,
    )
