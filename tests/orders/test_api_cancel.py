from __future__ import annotations

import pytest

from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order, OrderChange, OrderLine
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db


def committed(location, sku) -> int:
    return StockBalance.objects.get(location=location, sku=sku).committed


@pytest.fixture
def order(api, shop):
    """Tees: 2 reserved at WH-A and 1 backordered; mugs: 1 reserved at WH-A."""
    stock(shop["wh_a"], shop["TEE"], 2)
    stock(shop["wh_a"], shop["MUG"], 5)
    body = order_body(
        lines=[
            {"sku": "TEE", "quantity": 3, "unit_price": "10.00"},
            {"sku": "MUG", "quantity": 1, "unit_price": "5.00"},
        ],
        shipping_price="4.95",
    )
    response = api.post("/orders", body)
    assert response.status_code == 201
    return response.json()


def test_cancelling_part_of_a_line_takes_backordered_units_first(api, shop, order):
    # when one tee is cancelled
    response = api.post(
        f"/orders/{order['id']}/cancel", {"lines": [{"line_no": 1, "quantity": 1}], "reason": "x"}
    )
    # then the backordered unit goes, the reservation stays, the order is fully allocated now
    assert response.status_code == 200, response.content
    body = response.json()
    line = body["lines"][0]
    assert (
        line["quantity_cancelled"],
        line["quantity_backordered"],
        line["quantity_allocated"],
    ) == (
        1,
        0,
        2,
    )
    assert body["status"] == "allocated"
    assert body["version"] == 2
    assert body["current_total"] == "29.95"  # 30 + 5 + 4.95 shipping - 10
    assert committed(shop["wh_a"], shop["TEE"]) == 2
    change = OrderChange.objects.get()
    assert (change.kind, str(change.amount_delta), change.version) == ("cancel", "-10.000", 2)


def test_cancelling_the_whole_order_releases_every_reservation(api, shop, order):
    response = api.post(f"/orders/{order['id']}/cancel", {"reason": "customer asked"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["current_total"] == "4.95"  # shipping is not refunded by a line cancellation
    assert committed(shop["wh_a"], shop["TEE"]) == 0
    assert committed(shop["wh_a"], shop["MUG"]) == 0
    assert StockMovement.objects.filter(reason="release").count() == 2
    assert [fo["status"] for fo in body["fulfillment_orders"]] == ["cancelled"]
    assert body["fulfillment_orders"][0]["lines"][0]["quantity_cancelled"] == 2
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    assert [entry["kind"] for entry in timeline] == ["captured", "cancelled"]
    assert timeline[1]["message"] == "Cancelled 4 unit(s): customer asked."


def test_successive_partial_cancels_add_up_to_the_line_total(api, shop, order):
    for _ in range(3):
        api.post(f"/orders/{order['id']}/cancel", {"lines": [{"line_no": 1, "quantity": 1}]})
    deltas = [c.amount_delta for c in OrderChange.objects.order_by("id")]
    assert sum(deltas) == -30
    assert Order.objects.get().status == "allocated"  # the mug is still there


def test_a_cancelled_order_cannot_be_cancelled_again(api, shop, order):
    api.post(f"/orders/{order['id']}/cancel", {})
    before = (OrderChange.objects.count(), StockMovement.objects.count())
    response = api.post(f"/orders/{order['id']}/cancel", {})
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_cancellable"
    assert (OrderChange.objects.count(), StockMovement.objects.count()) == before


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([{"line_no": 1, "quantity": 4}], "invalid_cancellation"),
        ([{"line_no": 9, "quantity": 1}], "invalid_cancellation"),
    ],
)
def test_asking_to_cancel_too_much_changes_nothing(api, shop, order, lines, code):
    response = api.post(f"/orders/{order['id']}/cancel", {"lines": lines})
    assert response.status_code == 422
    assert response.json()["code"] == code
    line = OrderLine.objects.get(line_no=1)
    assert (line.quantity_cancelled, line.quantity_allocated) == (0, 2)
    assert OrderChange.objects.count() == 0
    assert committed(shop["wh_a"], shop["TEE"]) == 2


def test_an_order_of_another_channel_is_not_found_for_a_channel_token(client, shop, order):

    make_channel("pos", kind="pos")
    pos_api = ApiClient(client, make_token("orders:write", name="pos", channel_codes=["pos"]))
    assert pos_api.get(f"/orders/{order['id']}").status_code == 404
    response = pos_api.post(f"/orders/{order['id']}/cancel", {})
    assert response.status_code == 404
    assert Order.objects.get().status == "backordered"


def test_a_read_only_token_cannot_cancel(client, shop, order):

    reader = ApiClient(client, make_token("orders:read", name="reader"))
    response = reader.post(f"/orders/{order['id']}/cancel", {})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert Order.objects.get().version == 1
