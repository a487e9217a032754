"""The facts inventory reports (see docs/events.md for the catalog)."""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class Balance:
    """A balance after the change, by the codes people know."""

    location: str
    sku: str
    on_hand: int
    available: int


@dataclasses.dataclass(frozen=True)
class StockChanged(Event):
    """Movements of the ledger: which, why, and the balances they left."""

    aggregate_type = "stock_balance"

    reason: str
    reference: str
    movement_ids: list[int]
    balances: list[Balance]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        balances = [Balance(**b) for b in payload["balances"]]
        return cls(**{**payload, "balances": balances})


@dataclasses.dataclass(frozen=True)
class StockReceived(StockChanged):
    name = "inventory.stock_received"


@dataclasses.dataclass(frozen=True)
class StockIncomingExpected(StockChanged):
    name = "inventory.stock_incoming_expected"


@dataclasses.dataclass(frozen=True)
class StockIncomingCancelled(StockChanged):
    name = "inventory.stock_incoming_cancelled"


@dataclasses.dataclass(frozen=True)
class StockAdjusted(StockChanged):
    name = "inventory.stock_adjusted"


@dataclasses.dataclass(frozen=True)
class StockCounted(StockChanged):
    name = "inventory.stock_counted"


@dataclasses.dataclass(frozen=True)
class SafetyStockSet(StockChanged):
    name = "inventory.safety_stock_set"


@dataclasses.dataclass(frozen=True)
class StockDamaged(StockChanged):
    name = "inventory.stock_damaged"


@dataclasses.dataclass(frozen=True)
class StockWrittenOff(StockChanged):
    name = "inventory.stock_written_off"


@dataclasses.dataclass(frozen=True)
class StockReleased(StockChanged):
    name = "inventory.stock_released"


@dataclasses.dataclass(frozen=True)
class StockTransferSent(StockChanged):
    name = "inventory.stock_transfer_sent"
    aggregate_type = "stock_transfer"


@dataclasses.dataclass(frozen=True)
class StockTransferReceived(StockChanged):
    name = "inventory.stock_transfer_received"
    aggregate_type = "stock_transfer"


@dataclasses.dataclass(frozen=True)
class StockFeedApplied(Event):
    """A stock feed file finished: any SKU anywhere may have changed."""

    name = "inventory.stock_feed_applied"
    aggregate_type = "stock_feed"

    feed_id: int
    file_name: str
    rows: int
    applied: int
    unchanged: int
    refused: int
