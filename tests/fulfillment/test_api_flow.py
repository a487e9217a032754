from __future__ import annotations

from datetime import timedelta

import pytest

from ordino.core.domain.clock import utcnow
from ordino.events.relay import outbox_dispatch
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.inventory.models import StockBalance, StockMovement
from ordino.inventory.services import inventory_check
from ordino.orders.models import Order, OrderLine
from ordino.orders.services import (
    backorders_cancel_overdue,
    backorders_fill,
    order_pickups_expire,
)
from ordino.sourcing.models import SourcingDecision
from ordino.wiring import SUBSCRIBERS
from tests.conftest import ApiClient
from tests.factories import make_token, order_body, stock

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}


def balance(location, sku) -> tuple[int, int, int]:
    b = StockBalance.objects.get(location=location, sku=sku)
    return b.on_hand, b.committed, b.unavailable


@pytest.fixture
def captured(api, shop):
    """Two tees and one mug, both at WH-A (WH-B has tees too)."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    stock(shop["wh_b"], shop["TEE"], 5)
    order = api.post("/orders", order_body()).json()
    return order, order["fulfillment_orders"][0]["id"]


def test_accept_pick_pack_ship_deliver(api, shop, captured):
    order, fo = captured
    for step in ("accept", "pick", "pack"):
        assert api.post(f"/fulfillment/orders/{fo}/{step}").status_code == 200
    response = api.post(
        f"/fulfillment/orders/{fo}/ship", {**SHIP, "packages": [{"weight_grams": 900}]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "shipped"
    assert body["shipments"][0]["tracking_numbers"] == ["JD0001"]
    assert body["shipments"][0]["lines"] == [
        {"line_no": 1, "quantity": 2},
        {"line_no": 2, "quantity": 1},
    ]
    # the units left the warehouse's stock
    assert balance(shop["wh_a"], shop["TEE"]) == (3, 0, 0)
    assert balance(shop["wh_a"], shop["MUG"]) == (4, 0, 0)
    assert StockMovement.objects.filter(reason="ship").count() == 2
    assert api.get(f"/orders/{order['id']}").json()["status"] == "shipped"
    # when the carrier delivers
    assert api.post(f"/fulfillment/orders/{fo}/deliver").json()["status"] == "delivered"
    done = api.get(f"/orders/{order['id']}").json()
    assert done["status"] == "delivered"
    assert [line["quantity_delivered"] for line in done["lines"]] == [2, 1]
    kinds = [entry["kind"] for entry in api.get(f"/orders/{order['id']}/timeline").json()]
    assert kinds == [
        "captured",
        "fulfillment_accepted",
        "fulfillment_picking",
        "fulfillment_packed",
        "shipped",
        "delivered",
    ]
    assert inventory_check().ok


def test_a_partial_shipment_leaves_the_rest_open(api, shop, captured):
    order, fo = captured
    api.post(f"/fulfillment/orders/{fo}/accept")
    first = api.post(
        f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]}
    )
    assert first.json()["status"] == "accepted"
    assert [line["quantity_open"] for line in first.json()["lines"]] == [1, 1]
    assert api.get(f"/orders/{order['id']}").json()["status"] == "partially_shipped"
    assert balance(shop["wh_a"], shop["TEE"]) == (4, 1, 0)
    # the rest ships with a second parcel
    second = api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "tracking_numbers": ["JD0002"]})
    assert second.json()["status"] == "shipped"
    assert len(second.json()["shipments"]) == 2
    assert api.get(f"/orders/{order['id']}").json()["status"] == "shipped"


def test_rejected_not_found_goes_to_another_location_and_zeroes_the_free_count(api, shop, captured):
    order, fo = captured
    response = api.post(
        f"/fulfillment/orders/{fo}/reject",
        {"reason": "not_found", "lines": [{"line_no": 1, "quantity": 2}]},
    )
    assert response.status_code == 200, response.content
    outcome = response.json()
    assert [r["location"] for r in outcome["rerouted_to"]] == ["WH-B"]
    assert outcome["backordered"] == []
    # WH-A: the two tees are gone and so are its three free ones; WH-B holds two for the order
    assert balance(shop["wh_a"], shop["TEE"]) == (0, 0, 0)
    assert balance(shop["wh_b"], shop["TEE"]) == (5, 2, 0)
    after = api.get(f"/orders/{order['id']}").json()
    assert after["status"] == "allocated"
    assert [(f["location"], f["status"]) for f in after["fulfillment_orders"]] == [
        ("WH-A", "open"),
        ("WH-B", "open"),
    ]
    assert after["lines"][0]["allocations"] == [{"location": "WH-B", "quantity": 2}]
    assert inventory_check().ok


def test_rejected_damaged_moves_units_to_unavailable_and_backorders_what_nobody_has(api, shop):
    stock(shop["wh_a"], shop["MUG"], 1)
    order = api.post(
        "/orders", order_body(lines=[{"sku": "MUG", "quantity": 1, "unit_price": "5.00"}])
    ).json()
    fo = order["fulfillment_orders"][0]["id"]
    outcome = api.post(f"/fulfillment/orders/{fo}/reject", {"reason": "damaged"}).json()
    assert outcome["rerouted_to"] == []
    assert outcome["backordered"] == [{"line_no": 1, "quantity": 1}]
    assert balance(shop["wh_a"], shop["MUG"]) == (1, 0, 1)
    after = api.get(f"/orders/{order['id']}").json()
    assert after["status"] == "backordered"
    assert after["fulfillment_orders"][0]["status"] == "rejected"
    # when stock arrives elsewhere, the backorder is filled
    stock(shop["wh_b"], shop["MUG"], 3)
    assert backorders_fill(sku_ids={shop["MUG"].pk}) == 1
    filled = api.get(f"/orders/{order['id']}").json()
    assert filled["status"] == "allocated"
    assert filled["lines"][0]["allocations"] == [{"location": "WH-B", "quantity": 1}]


def test_backorders_fill_oldest_order_first(api, shop):
    first = api.post(
        "/orders", order_body("W-1", lines=[{"sku": "CAP", "quantity": 1, "unit_price": "3.00"}])
    ).json()
    second = api.post(
        "/orders", order_body("W-2", lines=[{"sku": "CAP", "quantity": 1, "unit_price": "3.00"}])
    ).json()
    stock(shop["wh_a"], shop["CAP"], 1)
    backorders_fill(sku_ids={shop["CAP"].pk})
    statuses = [api.get(f"/orders/{o['id']}").json()["status"] for o in (first, second)]
    assert statuses == ["allocated", "backordered"]


def test_pickup_ready_then_picked_up(api, shop):
    stock(shop["store"], shop["TEE"], 3)
    order = api.post(
        "/orders",
        order_body(
            lines=[{"sku": "TEE", "quantity": 2, "unit_price": "10.00"}],
            delivery_method="pickup",
            pickup_location="STORE-1",
        ),
    ).json()
    fo = order["fulfillment_orders"][0]["id"]
    api.post(f"/fulfillment/orders/{fo}/accept")
    ready = api.post(f"/fulfillment/orders/{fo}/ready-for-pickup", {"pickup_days": 3}).json()
    assert ready["status"] == "ready_for_pickup"
    assert ready["pickup_deadline"] is not None
    assert len(ready["pickup_code"]) == 6 and ready["pickup_code"].isdigit()
    wrong = "000000" if ready["pickup_code"] != "000000" else "111111"
    refused = api.post(f"/fulfillment/orders/{fo}/picked-up", {"pickup_code": wrong})
    assert (refused.status_code, refused.json()["code"]) == (422, "pickup_code_mismatch")
    assert FulfillmentOrder.objects.get(pk=fo).status == "ready_for_pickup"
    assert balance(shop["store"], shop["TEE"]) == (3, 2, 0)
    code = {"pickup_code": ready["pickup_code"]}
    done = api.post(f"/fulfillment/orders/{fo}/picked-up", code).json()
    assert done["status"] == "picked_up"
    assert balance(shop["store"], shop["TEE"]) == (1, 0, 0)
    assert api.get(f"/orders/{order['id']}").json()["status"] == "delivered"


def test_a_pickup_not_collected_in_time_is_cancelled_and_restocked(api, shop):
    stock(shop["store"], shop["TEE"], 3)
    order = api.post(
        "/orders",
        order_body(
            lines=[{"sku": "TEE", "quantity": 2, "unit_price": "10.00"}],
            delivery_method="pickup",
            pickup_location="STORE-1",
        ),
    ).json()
    fo = order["fulfillment_orders"][0]["id"]
    api.post(f"/fulfillment/orders/{fo}/accept")
    api.post(f"/fulfillment/orders/{fo}/ready-for-pickup", {"pickup_days": 2})
    assert order_pickups_expire(now=utcnow() + timedelta(days=1)) == 0
    assert order_pickups_expire(now=utcnow() + timedelta(days=3)) == 1
    assert api.get(f"/orders/{order['id']}").json()["status"] == "cancelled"
    assert FulfillmentOrder.objects.get(pk=fo).status == "cancelled"
    assert balance(shop["store"], shop["TEE"]) == (3, 0, 0)
    assert inventory_check().ok


def test_cancelling_after_a_partial_shipment_cancels_only_what_is_open(api, shop, captured):
    order, fo = captured
    api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 2}]})
    response = api.post(f"/orders/{order['id']}/cancel", {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [line["quantity_cancelled"] for line in body["lines"]] == [0, 1]
    assert body["status"] == "shipped"
    assert balance(shop["wh_a"], shop["MUG"]) == (5, 0, 0)


@pytest.mark.parametrize(
    ("step", "body", "status", "code"),
    [
        ("pack", None, 409, "invalid_fulfillment_transition"),
        ("ship", {**SHIP, "lines": [{"line_no": 9, "quantity": 1}]}, 422, "invalid_lines"),
        ("ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 3}]}, 422, "invalid_lines"),
        ("ship", {**SHIP, "tracking_numbers": []}, 422, "validation_error"),
        ("reject", {"reason": "bored"}, 422, "validation_error"),
        ("hold", {"reason": "", "extra": 1}, 422, "validation_error"),
        ("picked-up", {"pickup_code": "123456"}, 409, "not_ready"),
        ("picked-up", None, 422, "validation_error"),
        ("ready-for-pickup", {}, 409, "not_a_pickup"),
    ],
)
def test_bad_steps_are_refused_and_change_nothing(api, shop, captured, step, body, status, code):
    _, fo = captured
    before = (
        StockMovement.objects.count(),
        Shipment.objects.count(),
        Order.objects.get().version,
        list(OrderLine.objects.values_list("quantity_allocated", "quantity_shipped")),
    )
    response = api.post(f"/fulfillment/orders/{fo}/{step}", body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert FulfillmentOrder.objects.get(pk=fo).status == "open"
    assert (
        StockMovement.objects.count(),
        Shipment.objects.count(),
        Order.objects.get().version,
        list(OrderLine.objects.values_list("quantity_allocated", "quantity_shipped")),
    ) == before


def test_a_store_token_sees_only_its_own_queue(client, shop, captured):
    _, fo = captured
    store = ApiClient(
        client, make_token("fulfillment:write", name="store-1", location_codes=["STORE-1"])
    )
    assert store.get("/fulfillment/orders").json()["items"] == []
    assert store.get(f"/fulfillment/orders/{fo}").status_code == 404
    assert store.post(f"/fulfillment/orders/{fo}/accept").status_code == 404
    assert FulfillmentOrder.objects.get(pk=fo).status == "open"


def test_the_queue_filters_by_location_and_status(api, shop, captured):
    _, fo = captured
    assert [f["id"] for f in api.get("/fulfillment/orders", location="WH-A").json()["items"]] == [
        fo
    ]
    assert api.get("/fulfillment/orders", status="shipped").json()["items"] == []
    assert api.get("/fulfillment/orders", status="nonsense").status_code == 422


def test_ship_to_store_ships_from_a_warehouse_then_waits_at_the_store(api, shop):
    # given tees only in a warehouse, and an order to collect at the store
    stock(shop["wh_b"], shop["TEE"], 3)
    order = ship_to_store_order(api)
    fo = order["fulfillment_orders"][0]
    assert (fo["location"], fo["delivery_method"]) == ("WH-B", "ship_to_store")
    # when the warehouse ships it to the store, and the store puts it out
    api.post(f"/fulfillment/orders/{fo['id']}/ship", SHIP)
    assert api.get(f"/orders/{order['id']}").json()["status"] == "shipped"
    ready = api.post(f"/fulfillment/orders/{fo['id']}/ready-for-pickup", {}).json()
    assert ready["status"] == "ready_for_pickup"
    # then the customer collects it
    code = {"pickup_code": ready["pickup_code"]}
    picked = api.post(f"/fulfillment/orders/{fo['id']}/picked-up", code).json()
    assert picked["status"] == "picked_up"
    after = api.get(f"/orders/{order['id']}").json()
    assert after["status"] == "delivered"
    assert after["lines"][0]["quantity_delivered"] == 1
    assert balance(shop["wh_b"], shop["TEE"]) == (2, 0, 0)


def test_backorders_past_their_auto_cancel_date_are_cancelled(api, shop):
    # given an order with one tee reserved and two backordered, whose sourcing decision said
    # "auto-cancel after N days"
    stock(shop["wh_a"], shop["TEE"], 1)
    order = api.post(
        "/orders", order_body(lines=[{"sku": "TEE", "quantity": 3, "unit_price": "10.00"}])
    ).json()
    SourcingDecision.objects.filter(order_id=order["id"]).update(
        cancel_after=utcnow() + timedelta(days=2)
    )
    # when the date has not come, nothing happens; once it has, the backorder goes
    assert backorders_cancel_overdue(now=utcnow() + timedelta(days=1)) == 0
    assert backorders_cancel_overdue(now=utcnow() + timedelta(days=3)) == 1
    line = api.get(f"/orders/{order['id']}").json()["lines"][0]
    assert (
        line["quantity_allocated"],
        line["quantity_backordered"],
        line["quantity_cancelled"],
    ) == (
        1,
        0,
        2,
    )
    assert api.get(f"/orders/{order['id']}").json()["status"] == "allocated"


def ship_to_store_order(api) -> dict:
    """One tee, to collect at STORE-1."""
    body = order_body(
        lines=[{"sku": "TEE", "quantity": 1, "unit_price": "10.00"}],
        delivery_method="ship_to_store",
        pickup_location="STORE-1",
    )
    return api.post("/orders", body).json()


def mug_order(api, external_id="W-MUG"):
    body = order_body(external_id, lines=[{"sku": "MUG", "quantity": 1, "unit_price": "5.00"}])
    return api.post("/orders", body).json()


def test_a_rejecting_location_serves_the_order_again_once_stock_arrived_there(api, shop):
    # given the only mug at WH-A, rejected for lack of capacity: the order is backordered
    stock(shop["wh_a"], shop["MUG"], 1)
    order = mug_order(api)
    fo = order["fulfillment_orders"][0]["id"]
    outcome = api.post(f"/fulfillment/orders/{fo}/reject", {"reason": "no_capacity"}).json()
    assert (outcome["rerouted_to"], outcome["backordered"]) == ([], [{"line_no": 1, "quantity": 1}])
    # when stock only changes hands (no arrival), WH-A is not offered the order again
    assert backorders_fill(sku_ids={shop["MUG"].pk}) == 0
    assert api.get(f"/orders/{order['id']}").json()["status"] == "backordered"
    # when WH-A is restocked, the backorder is filled there
    stock(shop["wh_a"], shop["MUG"], 2)
    assert backorders_fill(sku_ids={shop["MUG"].pk}) == 1
    filled = api.get(f"/orders/{order['id']}").json()
    assert filled["status"] == "allocated"
    assert filled["lines"][0]["allocations"] == [{"location": "WH-A", "quantity": 1}]
    assert [(f["location"], f["status"]) for f in filled["fulfillment_orders"]] == [
        ("WH-A", "rejected"),
        ("WH-A", "open"),
    ]
    assert inventory_check().ok


def test_an_order_rejected_everywhere_is_filled_by_a_restock_of_a_rejecting_location(api, shop):
    # given mugs at WH-A and WH-B, both found empty: the order is backordered
    stock(shop["wh_a"], shop["MUG"], 1)
    stock(shop["wh_b"], shop["MUG"], 1)
    order = mug_order(api)
    for _ in range(2):
        fo = next(
            f["id"]
            for f in api.get(f"/orders/{order['id']}").json()["fulfillment_orders"]
            if f["status"] == "open"
        )
        api.post(f"/fulfillment/orders/{fo}/reject", {"reason": "not_found"})
    assert api.get(f"/orders/{order['id']}").json()["status"] == "backordered"
    # when WH-B receives stock and the worker relays the receipt event
    receipt = api.post("/inventory/receipts", {"location": "WH-B", "sku": "MUG", "quantity": 4})
    assert receipt.status_code == 201, receipt.content
    assert outbox_dispatch(subscribers=SUBSCRIBERS)[1] == 0
    # then the order is allocated at WH-B
    filled = api.get(f"/orders/{order['id']}").json()
    assert filled["status"] == "allocated"
    assert filled["lines"][0]["allocations"] == [{"location": "WH-B", "quantity": 1}]
    assert balance(shop["wh_b"], shop["MUG"]) == (4, 1, 0)


def test_a_stock_feed_fills_backorders(api, shop):
    # given a backordered mug order (no stock anywhere)
    order = mug_order(api)
    assert api.get(f"/orders/{order['id']}").json()["status"] == "backordered"
    # when a stock feed counts 3 mugs at WH-B and the worker relays its event
    feed = api.client.post(
        "/api/v1/inventory/feeds", b"WH-B,MUG,3\n", content_type="text/csv", **api.headers
    )
    assert feed.status_code == 201, feed.content
    assert outbox_dispatch(subscribers=SUBSCRIBERS)[1] == 0
    # then the backorder is filled from the counted stock
    filled = api.get(f"/orders/{order['id']}").json()
    assert filled["status"] == "allocated"
    assert filled["lines"][0]["allocations"] == [{"location": "WH-B", "quantity": 1}]
    assert balance(shop["wh_b"], shop["MUG"]) == (3, 1, 0)


def test_ship_to_store_served_by_the_pickup_store_itself_goes_to_the_counter(api, shop):
    # given tees only on the pickup store's shelves, and an order to collect there
    stock(shop["store"], shop["TEE"], 2)
    order = ship_to_store_order(api)
    fo = order["fulfillment_orders"][0]
    assert (fo["location"], fo["status"]) == ("STORE-1", "open")
    # when the store puts it at the counter (nothing to ship) and the customer collects it
    ready = api.post(f"/fulfillment/orders/{fo['id']}/ready-for-pickup", {})
    assert ready.status_code == 200, ready.content
    code = {"pickup_code": ready.json()["pickup_code"]}
    picked = api.post(f"/fulfillment/orders/{fo['id']}/picked-up", code).json()
    assert picked["status"] == "picked_up"
    # then the order is delivered and the unit left the store's stock
    after = api.get(f"/orders/{order['id']}").json()
    assert (after["status"], after["lines"][0]["quantity_delivered"]) == ("delivered", 1)
    assert balance(shop["store"], shop["TEE"]) == (1, 0, 0)
