"""reservation_place: reserve, write the lines, place, log, store the decision — the one sequence
capture, re-routing and edits run (orders/reservation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from ordino.fulfillment.domain.allocation import LineDemand, Pick
from ordino.fulfillment.models import FulfillmentOrder
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order
from ordino.orders.reservation import reservation_place
from ordino.sourcing.models import SourcingDecision
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Existing:
    order_id: int
    line_ids: list[int]


def backordered_order(api, **extra) -> Order:
    body = order_body(lines=[{"sku": "TEE", "quantity": 2, "unit_price": "10.00"}], **extra)
    response = api.post("/orders", body)
    assert response.json()["status"] == "backordered", response.content
    return Order.objects.get(pk=response.json()["id"])


def test_the_lines_of_an_existing_order_are_reserved_placed_and_logged(api, shop):
    # Given an order whose tees were backordered, and tees arriving at WH-B
    order = backordered_order(api)
    line = order.lines.get()
    stock(shop["wh_b"], shop["TEE"], 5)
    seen = []

    def lines_write(reservation):
        seen.append(reservation.plan.picks)
        return Existing(order.pk, [line.pk])

    # when its items are placed again
    placement = reservation_place(
        demands=[LineDemand(key=0, quantity=2, components={shop["TEE"].pk: 1})],
        channel_id=order.channel_id,
        delivery_method=order.delivery_method,
        pickup_location_id=order.pickup_location_id,
        lines_write=lines_write,
        actor="test",
        now=NOW,
        trigger="reroute",
        order=order,
        note="stock arrived",
    )
    # then the lines were written with the reservation in hand, before anything was placed
    assert seen == [[Pick(0, shop["wh_b"].pk, 2)]]
    assert placement.written == Existing(order.pk, [line.pk])
    # and one fulfillment order at WH-B holds them
    fo = FulfillmentOrder.objects.get(order=order)
    assert [fo.pk] == [f.pk for f in placement.placed.fulfillment_orders]
    assert (fo.location_id, fo.status, fo.created_at) == (shop["wh_b"].pk, "open", NOW)
    assert [(fl.order_line_id, fl.quantity) for fl in fo.lines.all()] == [(line.pk, 2)]
    # and the ledger says why, the stock is committed, the decision is stored
    moved = StockMovement.objects.get(reason="reserve", reference=f"order:{order.pk}")
    assert (moved.location_id, moved.quantity, moved.actor, moved.note) == (
        shop["wh_b"].pk,
        2,
        "test",
        "stock arrived",
    )
    assert StockBalance.objects.get(location=shop["wh_b"], sku=shop["TEE"]).committed == 2
    decision = SourcingDecision.objects.get(order=order, trigger="reroute")
    assert placement.decision.pk == decision.pk
    assert placement.reservation.location_codes[shop["wh_b"].pk] == "WH-B"


@pytest.mark.parametrize(
    ("method", "picks", "backordered"),
    [("pickup", [], {0: 2}), ("ship_to_store", [("WH-A", 2)], {})],
)
def test_only_a_pickup_is_served_from_its_stores_shelves(api, shop, method, picks, backordered):
    # Given a backordered order collected at STORE-1, and tees arriving at WH-A
    order = backordered_order(
        api, delivery_method=method, pickup_location="STORE-1", shipping_address=None
    )
    stock(shop["wh_a"], shop["TEE"], 5)
    # when it is placed again
    placement = reservation_place(
        demands=[LineDemand(key=0, quantity=2, components={shop["TEE"].pk: 1})],
        channel_id=order.channel_id,
        delivery_method=order.delivery_method,
        pickup_location_id=order.pickup_location_id,
        lines_write=lambda reservation: Existing(order.pk, [order.lines.get().pk]),
        actor="test",
        now=NOW,
        trigger="reroute",
        order=order,
    )
    # then a pickup waits for the store's own shelves; ship-to-store is sourced like a shipment
    plan = placement.reservation.plan
    codes = {shop["wh_a"].pk: "WH-A"}
    assert [(codes[p.location_id], p.quantity) for p in plan.picks] == picks
    assert plan.backordered == backordered
    assert FulfillmentOrder.objects.filter(order=order).count() == len(picks)


def test_the_order_or_its_context_is_needed(shop):
    with pytest.raises(ValueError):
        reservation_place(
            demands=[],
            channel_id=shop["channel"].pk,
            delivery_method="ship",
            pickup_location_id=None,
            lines_write=lambda reservation: Existing(0, []),
            actor="test",
            now=NOW,
            trigger="reroute",
        )
