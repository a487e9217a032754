"""Hand-made orders for the reports' tests: rows written directly, with capture and shipment
times to the minute (a report reads what the order and fulfillment use cases leave behind)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.orders.models import Order, OrderLine
from tests.factories import make_channel, make_location, make_sku

D = Decimal


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def order(channel, ext, created, status, total, current, currency="EUR"):
    money = {f: D(0) for f in ("subtotal", "discount_total", "tax_total", "shipping_price")}
    return Order.objects.create(
        channel=channel,
        external_id=ext,
        status=status,
        currency=currency,
        shipping_tax=D(0),
        grand_total=D(total),
        current_total=D(current),
        placed_at=created,
        created_at=created,
        updated_at=created,
        **money,
    )


def line(o, sku, ordered, *, allocated=0, shipped=0, backordered=0, cancelled=0, no=1):
    return OrderLine.objects.create(
        order=o,
        line_no=no,
        sku=sku,
        sku_code=sku.code,
        quantity_ordered=ordered,
        quantity_allocated=allocated,
        quantity_shipped=shipped,
        quantity_backordered=backordered,
        quantity_cancelled=cancelled,
        unit_price=D(10),
        line_discount=D(0),
        order_discount=D(0),
        tax=D(0),
        total=D(10) * ordered,
    )


def fo(
    order_line,
    location,
    qty,
    status,
    created,
    *,
    shipped=0,
    rejected=0,
    cancelled=0,
    ship_after_hours=None,
):
    f = FulfillmentOrder.objects.create(
        order=order_line.order,
        location=location,
        status=status,
        delivery_method="ship",
        created_at=created,
        updated_at=created,
    )
    FulfillmentLine.objects.create(
        fulfillment_order=f,
        order_line=order_line,
        components={},
        quantity=qty,
        quantity_shipped=shipped,
        quantity_rejected=rejected,
        quantity_cancelled=cancelled,
    )
    if ship_after_hours is not None:
        Shipment.objects.create(
            fulfillment_order=f,
            carrier="dhl",
            shipped_at=order_line.order.created_at + timedelta(hours=ship_after_hours),
        )
    return f


@pytest.fixture
def book(db):
    return book_make()


def book_make() -> dict:
    """Orders of 1–2 March 2026 (and one of 28 February) in two channels and currencies."""
    web, shop = make_channel("web"), make_channel("shop", currency="USD")
    wh_a, wh_b = make_location("WH-A", priority=1), make_location("WH-B", priority=2)
    store = make_location("STORE-1", kind="store", priority=3)
    tee, mug, cap = make_sku("TEE"), make_sku("MUG"), make_sku("CAP")
    # 1 March: a shipped order, and one split between a warehouse and a store
    o1 = order(web, "O1", at(1, 10), "shipped", 100, 100)
    fo(line(o1, tee, 2, shipped=2), wh_a, 2, "shipped", at(1, 10), shipped=2, ship_after_hours=20)
    o2 = order(web, "O2", at(1, 12), "shipped", 60, 60)
    l2 = line(o2, mug, 3, shipped=3)
    fo(l2, wh_a, 1, "shipped", at(1, 12), shipped=1, ship_after_hours=30)
    fo(l2, store, 2, "shipped", at(1, 12), shipped=2, ship_after_hours=10)
    # 2 March: short at capture (1 of 4; one more found a day later), a cancelled order,
    # and a USD order rejected by its first location and re-routed to the store
    o3 = order(web, "O3", at(2, 9), "backordered", 80, 80)
    l3 = line(o3, tee, 4, allocated=2, backordered=2)
    fo(l3, wh_b, 1, "open", at(2, 9))
    fo(l3, wh_a, 1, "open", at(3, 9))
    o4 = order(web, "O4", at(2, 23, 30), "cancelled", 20, 0)
    fo(line(o4, cap, 1, cancelled=1), wh_a, 1, "cancelled", at(2, 23, 30), cancelled=1)
    o5 = order(shop, "O5", at(2, 8), "allocated", 15, 15, currency="USD")
    l5 = line(o5, tee, 1, allocated=1)
    fo(l5, wh_a, 1, "rejected", at(2, 8), rejected=1)
    fo(l5, store, 1, "accepted", at(2, 9))
    # outside the period (28 February, 23:59 UTC): only its open work shows, in the queue
    o6 = order(web, "O6", datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "allocated", 10, 10)
    fo(line(o6, mug, 5, allocated=5), wh_a, 5, "open", o6.created_at)
    return {"web": web, "shop": shop}
