"""A return's life: approve, receive unit by unit (stock, the order's returned units and the
refund decision in one transaction), decline, cancel, close."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.events.models import OutboxEvent
from ordino.inventory.models import StockMovement
from ordino.inventory.services import inventory_check
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.returns.models import Return, ReturnLine, ReturnShipment
from tests.factories import make_channel, make_kit, order_body, stock
from tests.returns.conftest import balance, return_body, ship_all

pytestmark = pytest.mark.django_db


def requested(api, order, *lines, approve=True) -> int:
    response = api.post(f"/orders/{order['id']}/returns", return_body(*lines))
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    if approve:
        assert api.post(f"/returns/{rid}/approve", {"tracking_number": "RT-1"}).status_code == 200
    return rid


def receive(api, rid, *lines: dict):
    return api.post(f"/returns/{rid}/receive", {"lines": list(lines)})


def state() -> tuple:
    """Everything a receipt may change."""
    return (
        list(
            ReturnLine.objects.values_list("quantity_restocked", "quantity_missing", "refund_total")
        ),
        list(OrderLine.objects.values_list("quantity_returned", flat=True)),
        StockMovement.objects.count(),
        OutboxEvent.objects.count(),
        list(Return.objects.values_list("state", "version")),
    )


def test_approval_opens_the_return_and_expects_its_parcel(api, delivered):
    rid = requested(api, delivered, (1, 1), approve=False)
    body = api.post(f"/returns/{rid}/approve", {"carrier": "DHL", "tracking_number": "RT-1"})
    assert body.status_code == 200
    assert body.json()["state"] == "open"
    assert body.json()["shipments"] == [
        {"location": "WH-A", "state": "expected", "carrier": "DHL", "tracking_number": "RT-1",
         "received_at": None}
    ]  # fmt: skip
    # Approving twice is a conflict
    again = api.post(f"/returns/{rid}/approve", {})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_return_transition")


def test_each_disposition_moves_stock_as_it_says(api, shop, delivered):
    # Given 2 tees and 1 mug on an open return; WH-A holds 3 tees, 4 mugs after shipping
    rid = requested(api, delivered, (1, 2), (2, 1))
    assert balance(shop["wh_a"], shop["TEE"]) == (3, 0, 0)
    # When one tee is restocked, one needs processing, and the mug is damaged
    response = receive(
        api, rid, {"line_no": 1, "restock": 1, "needs_processing": 1}, {"line_no": 2, "damaged": 1}
    )
    assert response.status_code == 200, response.content
    # Then both tees are on hand at WH-A, one of them unavailable; the mug is on hand, unavailable
    assert balance(shop["wh_a"], shop["TEE"]) == (5, 0, 1)
    assert balance(shop["wh_a"], shop["MUG"]) == (5, 0, 1)
    moves = StockMovement.objects.filter(reference=f"return:R{delivered['id']}-1")
    assert sorted((m.sku.code, m.reason, m.quantity) for m in moves) == [
        ("MUG", "damaged", 1),
        ("MUG", "receipt", 1),
        ("TEE", "damaged", 1),
        ("TEE", "receipt", 2),
    ]
    # And the order counts them returned; the refund decision is their share of each line
    returned = OrderLine.objects.order_by("line_no").values_list("quantity_returned", flat=True)
    assert list(returned) == [2, 1]
    body = response.json()
    assert [
        (x["restock"], x["needs_processing"], x["damaged"], x["refund_total"])
        for x in body["lines"]
    ] == [
        (1, 1, 0, "39.98"),
        (0, 0, 1, "9.50"),
    ]
    assert (body["refund_total"], body["shipments"][0]["state"]) == ("49.48", "received")
    assert inventory_check().ok


def test_missing_units_move_nothing_and_are_not_refunded(api, shop, delivered):
    rid = requested(api, delivered, (1, 2))
    response = receive(api, rid, {"line_no": 1, "restock": 1, "missing": 1})
    assert response.json()["lines"][0]["refund_total"] == "19.99"
    assert OrderLine.objects.get(line_no=1).quantity_returned == 1
    assert balance(shop["wh_a"], shop["TEE"]) == (4, 0, 0)
    # The missing unit is no longer pending: it may be asked back again
    assert api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).status_code == 201


def test_a_receipt_writes_the_timeline_events_and_the_orders_change(api, delivered):
    rid = requested(api, delivered, (1, 1))
    receive(api, rid, {"line_no": 1, "restock": 1})
    order = Order.objects.get(pk=delivered["id"])
    # The order keeps its status; its current total drops by the refund decision
    assert (order.status, order.current_total, order.grand_total - order.current_total) == (
        "delivered",
        Decimal("29.490"),
        Decimal("19.990"),
    )
    change = OrderChange.objects.get(kind="return")
    assert (change.amount_delta, change.data["lines"]) == (
        Decimal("-19.990"),
        [{"line_no": 1, "quantity": 1, "amount": "19.99"}],
    )
    names = list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))
    assert names[-4:] == [
        "return.approved",
        "inventory.stock_received",
        "order.returned",
        "return.received",
    ]
    kinds = [e["kind"] for e in api.get(f"/orders/{delivered['id']}/timeline").json()]
    assert kinds[-4:] == ["return.requested", "return.approved", "returned", "return.received"]


def test_a_refused_receipt_changes_nothing(api, delivered):
    rid = requested(api, delivered, (1, 1))
    before = state()
    too_many = receive(api, rid, {"line_no": 1, "restock": 1, "damaged": 1})
    assert (too_many.status_code, too_many.json()["errors"][0]["field"]) == (
        422,
        "lines.0.quantity",
    )
    other_line = receive(api, rid, {"line_no": 2, "restock": 1})
    assert other_line.json()["code"] == "line_not_in_return"
    negative = receive(api, rid, {"line_no": 1, "restock": -1})
    assert negative.status_code == 422
    assert state() == before


def test_a_requested_return_receives_nothing(api, delivered):
    rid = requested(api, delivered, (1, 1), approve=False)
    before = state()
    response = receive(api, rid, {"line_no": 1, "restock": 1})
    assert (response.status_code, response.json()["code"]) == (409, "return_not_open")
    assert state() == before


def test_decline_cancel_and_close(api, delivered):
    declined = requested(api, delivered, (1, 1), approve=False)
    empty = api.post(f"/returns/{declined}/decline", {"reason": " "})
    assert (empty.status_code, empty.json()["errors"][0]["field"]) == (422, "reason")
    body = api.post(f"/returns/{declined}/decline", {"reason": "Worn"}).json()
    assert (body["state"], body["decline_reason"]) == ("declined", "Worn")
    # A declined return's units are returnable again: a second return, cancelled
    cancelled = requested(api, delivered, (1, 2))
    assert api.post(f"/returns/{cancelled}/cancel", {"reason": "kept"}).json()["state"] == (
        "cancelled"
    )
    assert ReturnShipment.objects.get(ret_id=cancelled).state == "cancelled"
    # A third, partly received, cannot be cancelled any more: it is closed
    third = requested(api, delivered, (1, 2))
    receive(api, third, {"line_no": 1, "restock": 1})
    refused = api.post(f"/returns/{third}/cancel", {})
    assert (refused.status_code, refused.json()["code"]) == (409, "return_received")
    closed = api.post(f"/returns/{third}/close").json()
    assert (closed["state"], closed["shipments"][0]["state"]) == ("closed", "partially_received")
    # Nothing is deleted: all three returns stay, in their states
    listed = api.get("/returns", order_id=delivered["id"]).json()["items"]
    assert [r["state"] for r in listed] == ["declined", "cancelled", "closed"]
    assert [r["state"] for r in api.get("/returns", state="closed").json()["items"]] == ["closed"]
    # And the unit never received is returnable again
    assert api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).status_code == 201


def test_repeated_returns_of_a_line_tie_out_in_yen(api, shop):
    # Given a JPY order of 3 units, 1000 after discount, with 91 tax
    make_channel("jp", currency="JPY")
    stock(shop["wh_a"], shop["TEE"], 5)
    line = {"sku": "TEE", "quantity": 3, "unit_price": "1000", "discount": "2000", "tax": "91"}
    body = order_body("J-1", lines=[line], channel="jp", currency="JPY")
    order = api.post("/orders", body).json()
    ship_all(api, order)
    sold = OrderLine.objects.get(order_id=order["id"])
    # When its units come back one by one in three returns
    parts = []
    for _ in range(3):
        rid = requested(api, order, (1, 1))
        got = receive(api, rid, {"line_no": 1, "restock": 1}).json()["lines"][0]
        parts.append((got["refund_total"], got["refund_tax"]))
    # Then the parts add up to the line's total and tax exactly
    assert sum(Decimal(t) for t, _ in parts) == sold.total
    assert sum(Decimal(x) for _, x in parts) == sold.tax == 91
    assert [x for _, x in parts] == ["30", "31", "30"]
    order_row = Order.objects.get(pk=order["id"])
    assert order_row.current_total == order_row.grand_total - sold.total


def test_a_kit_comes_back_as_its_components(api, shop):
    make_kit("SET", [(shop["TEE"], 2), (shop["MUG"], 1)])
    stock(shop["wh_a"], shop["TEE"], 4)
    stock(shop["wh_a"], shop["MUG"], 2)
    order = api.post("/orders", order_body("K-1", lines=[{"sku": "SET", "quantity": 1,
                                                          "unit_price": "30"}])).json()  # fmt: skip
    ship_all(api, order)
    rid = requested(api, order, (1, 1))
    assert receive(api, rid, {"line_no": 1, "restock": 1}).status_code == 200
    assert balance(shop["wh_a"], shop["TEE"]) == (4, 0, 0)
    assert balance(shop["wh_a"], shop["MUG"]) == (2, 0, 0)
