from __future__ import annotations

import pytest

from ordino.events.models import OutboxEvent
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order, OrderLine
from tests.factories import make_channel, make_kit, order_body, stock

pytestmark = pytest.mark.django_db


def balance(location, sku) -> tuple[int, int]:
    b = StockBalance.objects.get(location=location, sku=sku)
    return b.on_hand, b.committed


def test_capture_reserves_at_the_single_location_that_covers_everything(api, shop):
    # given: WH-A has only tees, WH-B has tees and mugs
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["MUG"], 5)
    # when
    response = api.post("/orders", order_body())
    # then: one shipment from WH-B, though WH-A comes first by priority
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "allocated"
    assert body["replayed"] is False
    assert [line["allocations"] for line in body["lines"]] == [
        [{"location": "WH-B", "quantity": 2}],
        [{"location": "WH-B", "quantity": 1}],
    ]
    assert [(fo["location"], fo["status"]) for fo in body["fulfillment_orders"]] == [
        ("WH-B", "open")
    ]
    assert body["grand_total"] == "49.48"
    assert body["email"] == "ada@example.com"
    assert balance(shop["wh_b"], shop["TEE"]) == (5, 2)
    assert balance(shop["wh_a"], shop["TEE"]) == (5, 0)
    assert StockMovement.objects.filter(reason="reserve").count() == 2
    assert OutboxEvent.objects.filter(name="order.captured").count() == 1


def test_capture_again_replays_the_existing_order(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    first = api.post("/orders", order_body())
    # when the channel sends the same order again
    again = api.post("/orders", order_body())
    # then the same order answers, marked as a replay, and nothing more is reserved
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert Order.objects.count() == 1
    assert balance(shop["wh_a"], shop["TEE"]) == (5, 2)


def test_what_no_location_covers_is_backordered_never_oversold(api, shop):
    stock(shop["wh_a"], shop["TEE"], 1)
    response = api.post(
        "/orders", order_body(lines=[{"sku": "TEE", "quantity": 3, "unit_price": "10.00"}])
    )
    assert response.status_code == 201
    line = response.json()["lines"][0]
    assert (line["quantity_allocated"], line["quantity_backordered"]) == (1, 2)
    assert response.json()["status"] == "backordered"
    assert balance(shop["wh_a"], shop["TEE"]) == (1, 1)


def test_a_line_splits_over_locations_when_none_has_enough(api, shop):
    stock(shop["wh_a"], shop["TEE"], 2)
    stock(shop["wh_b"], shop["TEE"], 2)
    response = api.post(
        "/orders", order_body(lines=[{"sku": "TEE", "quantity": 3, "unit_price": "10.00"}])
    )
    assert response.json()["lines"][0]["allocations"] == [
        {"location": "WH-A", "quantity": 2},
        {"location": "WH-B", "quantity": 1},
    ]


def test_pickup_reserves_at_the_pickup_store_only(api, shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["store"], shop["TEE"], 1)
    response = api.post(
        "/orders",
        order_body(
            lines=[{"sku": "TEE", "quantity": 2, "unit_price": "10.00"}],
            delivery_method="pickup",
            pickup_location="STORE-1",
        ),
    )
    line = response.json()["lines"][0]
    assert line["allocations"] == [{"location": "STORE-1", "quantity": 1}]
    assert line["quantity_backordered"] == 1


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        (
            {"lines": [{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}]},
            422,
            "sku_not_found",
            "lines.0.sku",
        ),
        (
            {"lines": [{"sku": "TEE", "quantity": 0, "unit_price": "1.00"}]},
            422,
            "validation_error",
            "lines.0.quantity",
        ),
        (
            {"lines": [{"sku": "TEE", "quantity": 1, "unit_price": "1.001"}]},
            422,
            "invalid_money",
            "lines.0.unit_price",
        ),
        ({"currency": "XXX"}, 422, "unknown_currency", "currency"),
        ({"currency": "USD"}, 422, "currency_mismatch", "currency"),
        ({"colour": "red"}, 422, "validation_error", "colour"),
        ({"channel": "nope"}, 404, "channel_not_found", "channel"),
        ({"total": "1.00"}, 422, "total_mismatch", "total"),
        (
            {"delivery_method": "pickup", "pickup_location": "NOPE"},
            404,
            "location_not_found",
            "pickup_location",
        ),
    ],
)
def test_bad_orders_are_refused_with_a_problem_and_change_nothing(
    api, shop, change, status, code, field
):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = (Order.objects.count(), StockMovement.objects.count(), OutboxEvent.objects.count())
    response = api.post("/orders", order_body(**change))
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    if field:
        assert field in [e["field"] for e in problem["errors"]]
    assert (
        Order.objects.count(),
        StockMovement.objects.count(),
        OutboxEvent.objects.count(),
    ) == before
    assert balance(shop["wh_a"], shop["TEE"]) == (5, 0)


def test_malformed_json_is_a_400_problem(api, shop):
    response = api.post("/orders", raw=b'{"channel": ')
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_missing_token_is_401(client, shop):
    response = client.post("/api/v1/orders", data=order_body(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Order.objects.count() == 0


def test_money_is_allocated_by_largest_remainder_and_stored(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    body = order_body(
        lines=[
            {"sku": "TEE", "quantity": 1, "unit_price": "10.00", "tax": "1.90"},
            {"sku": "MUG", "quantity": 1, "unit_price": "10.00", "tax": "1.90"},
            {"sku": "TEE", "quantity": 1, "unit_price": "10.00", "tax": "1.90"},
        ],
        discount="1.00",
        shipping_price="4.95",
        total="39.65",
    )
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    assert [line["order_discount"] for line in response.json()["lines"]] == ["0.34", "0.33", "0.33"]
    stored = OrderLine.objects.order_by("line_no").values_list("order_discount", "total")
    assert [(str(d), str(t)) for d, t in stored] == [
        ("0.340", "11.560"),
        ("0.330", "11.570"),
        ("0.330", "11.570"),
    ]
    assert response.json()["grand_total"] == "39.65"


def test_a_malformed_phone_never_stops_an_order_but_is_noted(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    body = order_body(lines=[{"sku": "TEE", "quantity": 1, "unit_price": "10.00"}])
    body["customer"]["phone"] = "call me maybe"
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "call me maybe"
    assert response.json()["email"] == "ada@example.com"
    timeline = api.get(f"/orders/{response.json()['id']}/timeline").json()
    assert len(timeline[0]["data"]["warnings"]) == 1
    assert "phone" in timeline[0]["data"]["warnings"][0]


def test_a_kit_reserves_its_components_and_a_cancel_gives_them_back(api, shop):
    # given a gift set of one tee and two mugs, stocked as components at WH-A
    make_kit("GIFT", [(shop["TEE"], 1), (shop["MUG"], 2)])
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 3)
    # when two sets are ordered (mugs suffice for one)
    response = api.post(
        "/orders", order_body(lines=[{"sku": "GIFT", "quantity": 2, "unit_price": "25.00"}])
    )
    # then one set is reserved (as its components, in the ledger), one is backordered
    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert (line["quantity_allocated"], line["quantity_backordered"]) == (1, 1)
    assert line["allocations"] == [{"location": "WH-A", "quantity": 1}]
    assert balance(shop["wh_a"], shop["MUG"]) == (3, 2)
    # when the order is cancelled, the components come back
    api.post(f"/orders/{response.json()['id']}/cancel", {})
    assert balance(shop["wh_a"], shop["MUG"]) == (3, 0)
    assert balance(shop["wh_a"], shop["TEE"]) == (5, 0)


def test_a_channel_buffer_lowers_what_is_shown_not_what_an_order_may_take(api, shop):
    # given 13 mugs at WH-A and a marketplace that is shown 1 fewer (its buffer)
    make_channel("market", kind="marketplace", stock_buffer=1)
    stock(shop["wh_a"], shop["MUG"], 13)
    shown = api.get("/inventory/availability/MUG", channel="market").json()["channel"]
    assert shown["available"] == 12
    # when the marketplace sends an order of 13 (it had sold on an older, higher figure)
    body = order_body(
        "MKT-13", channel="market", lines=[{"sku": "MUG", "quantity": 13, "unit_price": "4.00"}]
    )
    response = api.post("/orders", body)
    # then the 13 units that exist are allocated: the buffer guards what is published
    # (docs/sourcing.md, "Channel buffers"), a sold order is served from real stock
    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert (line["quantity_allocated"], line["quantity_backordered"]) == (13, 0)
    assert response.json()["status"] == "allocated"
