"""Use cases that set a balance to a target read from what it holds now: a cycle count (on hand)
and the safety stock. The ledger re-reads and re-plans when a concurrent writer changed the row
between the read and the update (`ledger.movement_apply_observed`).
"""

from __future__ import annotations

from ordino.core.transactions import use_case_atomic
from ordino.inventory import events
from ordino.inventory.domain import operations as ops
from ordino.inventory.ledger import LedgerContext, movement_apply_observed
from ordino.inventory.services.changes import StockChange, change_finish, target_ids


def stock_count(
    *,
    location_code: str,
    sku_code: str,
    counted: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """A cycle count: on hand becomes what was counted (the difference is one movement, none when
    the count matches). Refused below what is committed plus unavailable."""
    ops.quantity_check(counted, field="counted", allow_zero=True)
    with use_case_atomic():
        location_id, sku_id = target_ids(location_code, sku_code)
        _, movements = movement_apply_observed(
            location_id=location_id,
            sku_id=sku_id,
            plan=lambda current: ops.count_step(current, counted),
            context=LedgerContext(reason=ops.COUNT, actor=actor, reference=reference, note=note),
        )
        return change_finish(
            event=events.StockCounted, pairs=[(location_id, sku_id)], movements=movements
        )


def stock_safety_set(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Hold `quantity` units back from sale at this location (0 removes the safety stock).
    A policy, not a physical quantity: it may exceed what is on hand."""
    ops.quantity_check(quantity, allow_zero=True)
    with use_case_atomic():
        location_id, sku_id = target_ids(location_code, sku_code)
        _, movements = movement_apply_observed(
            location_id=location_id,
            sku_id=sku_id,
            plan=lambda current: ops.safety_step(current, quantity),
            context=LedgerContext(
                reason=ops.SAFETY_STOCK, actor=actor, reference=reference, note=note
            ),
        )
        return change_finish(
            event=events.SafetyStockSet, pairs=[(location_id, sku_id)], movements=movements
        )
