"""What marks a channel feed's SKUs pending: the outbox subscribers wiring.py wires
(docs/feeds.md, "What marks a SKU"). Each runs after the change committed, at least once;
marking twice only counts one change more."""

from __future__ import annotations

from ordino.feeds.services import feed_marks_all, feed_marks_for_order, feed_marks_for_stock
from ordino.inventory.events import StockChanged, StockFeedApplied
from ordino.orders.events import OrderEvent


def feeds_on_stock_changed(event: StockChanged) -> None:
    """Movements of the ledger: the SKUs of the balances they left (and their kits)."""
    feed_marks_for_stock(sku_codes={balance.sku for balance in event.balances})


def feeds_on_stock_feed(event: StockFeedApplied) -> None:
    """A stock feed file may have moved any SKU anywhere: every SKU is pending."""
    feed_marks_all()


def feeds_on_order_stock(event: OrderEvent) -> None:
    """An order reserved stock or gave it back (captured, edited, cancelled, re-routed, a
    backorder filled): its SKUs are pending."""
    feed_marks_for_order(order_id=event.order_id)
