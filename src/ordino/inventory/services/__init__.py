"""Use cases of inventory, by concern: one-movement changes — receipts, incoming stock,
adjustments, damage (`movements`); counts and safety stock set from what a balance holds now
(`counts`); transfers between locations (`transfers`); the ledger check and repair (`check`);
what they share (`changes`). Callers import from here.

Each use case is a set of ledger movements with a reason, an actor and a reference, applied
through `inventory.ledger` (the one place that changes balances) in `use_case_atomic()`, with
an outbox event. A refused call raises a DomainError and changes nothing.
"""

from ordino.inventory.services.changes import StockChange
from ordino.inventory.services.check import InventoryCheck, inventory_check, inventory_repair
from ordino.inventory.services.counts import stock_count, stock_safety_set
from ordino.inventory.services.movements import (
    stock_adjust,
    stock_damage_mark,
    stock_damage_writeoff,
    stock_incoming_cancel,
    stock_incoming_expect,
    stock_receive,
    stock_release_unavailable,
)
from ordino.inventory.services.transfers import stock_transfer_receive, stock_transfer_send

__all__ = [
    "InventoryCheck",
    "StockChange",
    "inventory_check",
    "inventory_repair",
    "stock_adjust",
    "stock_count",
    "stock_damage_mark",
    "stock_damage_writeoff",
    "stock_incoming_cancel",
    "stock_incoming_expect",
    "stock_receive",
    "stock_release_unavailable",
    "stock_safety_set",
    "stock_transfer_receive",
    "stock_transfer_send",
]
