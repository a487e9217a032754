"""The composition root: "when X happens, also do Y". Every outbox subscriber is listed here,
so one file answers "what reacts to this event?"."""

from __future__ import annotations

from ordino.catalog.models import Sku
from ordino.events.models import OutboxEvent
from ordino.events.relay import Subscriber
from ordino.fulfillment.services import backorders_fill


def backorders_on_stock(event: OutboxEvent) -> None:
    """Stock became available (received, counted up, released, ...): fill backorders."""
    payload = event.payload
    codes = {b["sku"] for b in payload.get("balances", []) if b.get("available", 0) > 0}
    sku_ids = (
        set(Sku.objects.filter(code__in=codes).values_list("id", flat=True)) if codes else set()
    )
    sku_ids |= {r["sku_id"] for r in payload.get("released", [])}
    if sku_ids:
        backorders_fill(sku_ids=sku_ids, actor="system:backorders")


def backorders_on_feed(event: OutboxEvent) -> None:
    """A stock feed may have raised any SKU anywhere: every backorder tries again."""
    backorders_fill(sku_ids=None, actor="system:backorders")


STOCK_UP = (
    "inventory.stock_received",
    "inventory.stock_adjusted",
    "inventory.stock_counted",
    "inventory.stock_transfer_received",
    "inventory.stock_released",
    "inventory.safety_stock_set",
    "order.cancelled",
    "order.lines_cancelled",
    "order.edited",
)

SUBSCRIBERS: dict[str, list[Subscriber]] = {
    **{name: [backorders_on_stock] for name in STOCK_UP},
    "inventory.stock_feed_applied": [backorders_on_feed],
}
