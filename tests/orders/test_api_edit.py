from __future__ import annotations

import pytest

from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.fulfillment.services import fulfillment_accept, fulfillment_ship
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order, OrderChange, OrderLine
from tests.conftest import ApiClient
from tests.factories import make_channel, make_kit, make_sku, make_token, order_body, stock

pytestmark = pytest.mark.django_db


def committed(location, sku) -> int:
    row = StockBalance.objects.filter(location=location, sku=sku).first()
    return row.committed if row else 0


def everything() -> tuple:
    """What a refused edit must leave exactly as it was."""
    order = Order.objects.get()
    return (
        (order.version, order.status, order.current_total, order.shipping_address),
        list(
            OrderLine.objects.order_by("line_no").values_list(
                "quantity_ordered",
                "quantity_cancelled",
                "quantity_backordered",
                "quantity_allocated",
                "total",
            )
        ),
        list(StockBalance.objects.order_by("pk").values_list("on_hand", "committed")),
        StockMovement.objects.count(),
        list(FulfillmentLine.objects.order_by("pk").values_list("quantity", "quantity_cancelled")),
        list(FulfillmentOrder.objects.order_by("pk").values_list("status", "version")),
        OrderChange.objects.count(),
        OutboxEvent.objects.count(),
    )


@pytest.fixture
def order(api, shop):
    """Tees: 2 reserved at WH-A and 1 backordered; mugs: 1 reserved at WH-A. Total 39.95."""
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
    assert response.json()["current_total"] == "39.95"
    return response.json()


def edit(api, order, **body):
    return api.post(f"/orders/{order['id']}/edit", body)


def test_an_added_line_is_reserved_into_the_open_fulfillment_order_of_its_location(
    api, shop, order
):
    # given caps in stock at WH-A, where the order's fulfillment order is still open
    stock(shop["wh_a"], shop["CAP"], 4)
    # when two caps are added
    response = edit(
        api,
        order,
        add_lines=[{"sku": "CAP", "quantity": 2, "unit_price": "7.50", "tax": "1.43"}],
        reason="customer called",
    )
    # then line 3 is reserved at WH-A in the same fulfillment order, and the order is worth more
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["status"], body["current_total"]) == (2, "backordered", "56.38")
    assert body["grand_total"] == "39.95"  # as captured
    cap = body["lines"][2]
    assert (cap["line_no"], cap["sku"], cap["quantity"], cap["total"]) == (3, "CAP", 2, "16.43")
    assert cap["allocations"] == [{"location": "WH-A", "quantity": 2}]
    [fo] = body["fulfillment_orders"]
    assert [(fl["line_no"], fl["quantity"]) for fl in fo["lines"]] == [(1, 2), (2, 1), (3, 2)]
    assert committed(shop["wh_a"], shop["CAP"]) == 2
    change = OrderChange.objects.get()
    assert (change.kind, change.version, str(change.amount_delta)) == ("edit", 2, "16.430")
    assert (change.reason, change.actor) == ("customer called", "token:admin")
    assert change.data["added"] == [
        {"line_no": 3, "sku": "CAP", "quantity": 2, "unit_price": "7.50", "total": "16.43"}
    ]
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    assert [entry["kind"] for entry in timeline] == ["captured", "edited"]
    assert timeline[1]["message"] == "Edited: added line 3 (CAP × 2) (customer called)."
    event = OutboxEvent.objects.get(name="order.edited")
    assert (event.payload["version"], event.payload["amount_delta"]) == (2, "16.43")


def test_an_added_line_only_another_location_has_gets_a_fulfillment_order_there(api, shop, order):
    stock(shop["wh_b"], shop["CAP"], 1)
    response = edit(api, order, add_lines=[{"sku": "CAP", "quantity": 2, "unit_price": "7.50"}])
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(fo["location"], fo["status"]) for fo in body["fulfillment_orders"]] == [
        ("WH-A", "open"),
        ("WH-B", "open"),
    ]
    cap = body["lines"][2]
    assert (cap["quantity_allocated"], cap["quantity_backordered"]) == (1, 1)
    assert committed(shop["wh_b"], shop["CAP"]) == 1


def test_an_added_kit_reserves_its_components(api, shop, order):
    make_kit("GIFT", [(shop["MUG"], 1), (shop["CAP"], 2)])
    stock(shop["wh_a"], shop["CAP"], 2)
    response = edit(api, order, add_lines=[{"sku": "GIFT", "quantity": 1, "unit_price": "20.00"}])
    assert response.status_code == 200, response.content
    assert response.json()["lines"][2]["quantity_allocated"] == 1
    assert (committed(shop["wh_a"], shop["MUG"]), committed(shop["wh_a"], shop["CAP"])) == (2, 2)
    gift = FulfillmentLine.objects.get(order_line__line_no=3)
    assert gift.components == {str(shop["MUG"].pk): 1, str(shop["CAP"].pk): 2}


def test_a_reduction_cancels_backordered_units_first_then_releases_stock(api, shop, order):
    # when the customer wants one tee instead of three
    response = edit(api, order, change_lines=[{"line_no": 1, "quantity": 1}])
    # then the backordered tee and one reserved tee are cancelled, and one tee is released
    assert response.status_code == 200, response.content
    body = response.json()
    tee = body["lines"][0]
    assert (
        tee["quantity"],
        tee["quantity_cancelled"],
        tee["quantity_backordered"],
        tee["quantity_allocated"],
    ) == (3, 2, 0, 1)
    assert (body["status"], body["current_total"]) == ("allocated", "19.95")
    assert committed(shop["wh_a"], shop["TEE"]) == 1
    assert StockMovement.objects.filter(reason="release").count() == 1
    change = OrderChange.objects.get()
    assert (change.kind, str(change.amount_delta)) == ("edit", "-20.000")
    assert change.data["changed"] == [{"line_no": 1, "from": 3, "to": 1}]


def test_an_increase_reserves_the_extra_items_on_the_same_fulfillment_line(api, shop, order):
    response = edit(api, order, change_lines=[{"line_no": 2, "quantity": 3}])
    assert response.status_code == 200, response.content
    body = response.json()
    mug = body["lines"][1]
    assert (mug["quantity"], mug["quantity_allocated"], mug["total"]) == (3, 3, "15.00")
    assert body["current_total"] == "49.95"
    assert committed(shop["wh_a"], shop["MUG"]) == 3
    assert [(fl["line_no"], fl["quantity"]) for fl in body["fulfillment_orders"][0]["lines"]] == [
        (1, 2),
        (2, 3),
    ]


def test_what_an_increase_cannot_reserve_is_backordered(api, shop, order):
    response = edit(api, order, change_lines=[{"line_no": 2, "quantity": 8}])
    assert response.status_code == 200, response.content
    mug = response.json()["lines"][1]
    assert (mug["quantity"], mug["quantity_allocated"], mug["quantity_backordered"]) == (8, 5, 3)
    assert committed(shop["wh_a"], shop["MUG"]) == 5


def test_removing_a_line_releases_it_and_keeps_its_history(api, shop, order):
    response = edit(api, order, remove_lines=[2])
    assert response.status_code == 200, response.content
    body = response.json()
    mug = body["lines"][1]
    assert (mug["quantity"], mug["quantity_cancelled"], mug["quantity_allocated"]) == (1, 1, 0)
    assert body["current_total"] == "34.95"
    assert committed(shop["wh_a"], shop["MUG"]) == 0
    assert body["fulfillment_orders"][0]["status"] == "open"  # the tees are still there


def test_one_edit_does_everything_at_once_as_one_change(api, shop, order):
    stock(shop["wh_a"], shop["CAP"], 1)
    response = edit(
        api,
        order,
        expected_version=1,
        add_lines=[{"sku": "CAP", "quantity": 1, "unit_price": "7.50"}],
        change_lines=[{"line_no": 1, "quantity": 2}],
        remove_lines=[2],
        shipping_address={"line1": "Karl-Marx-Allee 5", "city": "Berlin", "country": "DE"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["status"], body["current_total"]) == (2, "allocated", "32.45")
    assert body["shipping_address"]["line1"] == "Karl-Marx-Allee 5"
    change = OrderChange.objects.get()
    assert str(change.amount_delta) == "-7.500"  # -10 tee, -5 mug, +7.50 cap
    assert change.data["shipping_address"]["from"]["line1"] == "Unter den Linden 1"
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    assert timeline[-1]["message"] == (
        "Edited: added line 3 (CAP × 1); line 1 3 → 2; removed line 2; shipping address changed."
    )


def test_edits_then_a_full_cancel_leave_only_shipping(api, shop, order):
    stock(shop["wh_a"], shop["CAP"], 5)
    edit(api, order, add_lines=[{"sku": "CAP", "quantity": 3, "unit_price": "3.33"}])
    edit(api, order, change_lines=[{"line_no": 3, "quantity": 1}])
    edit(api, order, change_lines=[{"line_no": 1, "quantity": 5}])
    api.post(f"/orders/{order['id']}/cancel", {"lines": [{"line_no": 1, "quantity": 2}]})
    response = api.post(f"/orders/{order['id']}/cancel", {})
    assert response.json()["current_total"] == "4.95"
    order_row = Order.objects.get()
    deltas = sum(c.amount_delta for c in OrderChange.objects.all())
    assert deltas == order_row.current_total - order_row.grand_total
    assert StockBalance.objects.filter(committed__gt=0).count() == 0


def test_the_changes_endpoint_lists_every_change_record(api, shop, order):
    edit(api, order, change_lines=[{"line_no": 1, "quantity": 2}], reason="fewer")
    api.post(f"/orders/{order['id']}/cancel", {"lines": [{"line_no": 2, "quantity": 1}]})
    response = api.get(f"/orders/{order['id']}/changes")
    assert response.status_code == 200
    changes = response.json()
    assert [(c["kind"], c["version"], c["amount_delta"], c["reason"]) for c in changes] == [
        ("edit", 2, "-10.00", "fewer"),
        ("cancel", 3, "-5.00", ""),
    ]
    assert changes[0]["actor"] == "token:admin"
    assert changes[0]["data"]["changed"] == [{"line_no": 1, "from": 3, "to": 2}]


def test_a_line_a_location_accepted_cannot_change(api, shop, order):
    # given WH-A accepted its fulfillment order (tees and the mug)
    fo_id = order["fulfillment_orders"][0]["id"]
    fulfillment_accept(fo_id=fo_id, actor="wh-a")
    before = everything()
    # when the tees are reduced
    response = edit(api, order, change_lines=[{"line_no": 1, "quantity": 1}])
    # then the edit is refused, naming the line, and nothing changed
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "line_released"
    assert problem["errors"] == [
        {
            "field": "change_lines.0.line_no",
            "code": "line_released",
            "message": f"Line 1 is released: fulfillment order {fo_id} at WH-A is accepted.",
        }
    ]
    assert everything() == before


def test_the_address_cannot_change_once_a_location_accepted(api, shop, order):
    FulfillmentOrder.objects.update(status="accepted")
    before = everything()
    response = edit(
        api, order, shipping_address={"line1": "Elsewhere 1", "city": "Bonn", "country": "DE"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "line_released"
    assert [e["message"][:7] for e in response.json()["errors"]] == ["Line 1 ", "Line 2 "]
    assert everything() == before


def test_lines_can_still_be_added_when_a_location_accepted_the_others(api, shop, order):
    FulfillmentOrder.objects.update(status="accepted")
    stock(shop["wh_a"], shop["CAP"], 1)
    response = edit(api, order, add_lines=[{"sku": "CAP", "quantity": 1, "unit_price": "7.50"}])
    assert response.status_code == 200, response.content
    assert [(fo["location"], fo["status"]) for fo in response.json()["fulfillment_orders"]] == [
        ("WH-A", "accepted"),
        ("WH-A", "open"),
    ]


def test_a_stale_expected_version_changes_nothing(api, shop, order):
    edit(api, order, change_lines=[{"line_no": 1, "quantity": 2}])
    before = everything()
    response = edit(api, order, expected_version=1, remove_lines=[2])
    assert response.status_code == 409
    assert response.json()["code"] == "order_changed"
    assert everything() == before


def test_a_cancelled_order_cannot_be_edited(api, shop, order):
    api.post(f"/orders/{order['id']}/cancel", {})
    stock(shop["wh_a"], shop["CAP"], 1)
    before = everything()
    response = edit(api, order, add_lines=[{"sku": "CAP", "quantity": 1, "unit_price": "1.00"}])
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_editable"
    assert everything() == before


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"add_lines": [{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}]},
            422,
            "invalid_edit",
            "add_lines.0.sku",
        ),
        (
            {"add_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "1.001"}]},
            422,
            "invalid_edit",
            "add_lines.0.unit_price",
        ),
        (
            {"add_lines": [{"sku": "CAP", "quantity": 0, "unit_price": "1.00"}]},
            422,
            "validation_error",
            "add_lines.0.quantity",
        ),
        (
            {"change_lines": [{"line_no": 1, "quantity": 0}]},
            422,
            "validation_error",
            "change_lines.0.quantity",
        ),
        (
            {"change_lines": [{"line_no": 7, "quantity": 1}]},
            422,
            "invalid_edit",
            "change_lines.0.line_no",
        ),
        ({"remove_lines": [1, 2]}, 422, "edit_removes_everything", None),
        ({"change_lines": [{"line_no": 1, "quantity": 3}]}, 422, "nothing_to_edit", None),
        ({}, 422, "nothing_to_edit", None),
        ({"version": 1}, 422, "validation_error", "version"),
        (
            {
                "add_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "1.00"}],
                "remove_lines": [9],
            },
            422,
            "invalid_edit",
            "remove_lines.0",
        ),
    ],
)
def test_bad_input_is_refused_with_field_errors_and_changes_nothing(
    api, shop, order, body, status, code, field
):
    before = everything()
    response = edit(api, order, **body)
    assert response.status_code == status, response.content
    problem = response.json()
    assert problem["code"] == code
    if field is not None:
        assert [e["field"] for e in problem["errors"]] == [field]
    assert everything() == before


def test_a_pickup_order_has_no_shipping_address_to_change(api, shop):
    stock(shop["store"], shop["TEE"], 1)
    response = api.post(
        "/orders",
        order_body(
            lines=[{"sku": "TEE", "quantity": 1, "unit_price": "10.00"}],
            delivery_method="pickup",
            pickup_location="STORE-1",
        ),
    )
    assert response.status_code == 201, response.content
    before = everything()
    response = api.post(
        f"/orders/{response.json()['id']}/edit",
        {"shipping_address": {"line1": "Elsewhere 1", "city": "Bonn", "country": "DE"}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "shipping_address"
    assert everything() == before


def test_an_order_of_another_channel_is_not_found_for_a_channel_token(client, shop, order):
    make_channel("pos", kind="pos")
    pos_api = ApiClient(client, make_token("orders:write", name="pos", channel_codes=["pos"]))
    before = everything()
    response = pos_api.post(f"/orders/{order['id']}/edit", {"remove_lines": [2]})
    assert response.status_code == 404
    assert pos_api.get(f"/orders/{order['id']}/changes").status_code == 404
    assert everything() == before


def test_a_read_only_token_cannot_edit(client, shop, order):
    reader = ApiClient(client, make_token("orders:read", name="reader"))
    before = everything()
    response = reader.post(f"/orders/{order['id']}/edit", {"remove_lines": [2]})
    assert response.status_code == 403
    assert everything() == before


def test_an_inactive_sku_cannot_be_added(api, shop, order):
    sku = make_sku("OLD")
    sku.is_active = False
    sku.save()
    before = everything()
    response = edit(api, order, add_lines=[{"sku": "OLD", "quantity": 1, "unit_price": "1.00"}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "sku_not_found"
    assert everything() == before


def test_a_partly_shipped_order_edits_only_its_unshipped_lines(api, shop):
    # given mugs shipped from WH-B while the tees wait, open, at WH-A
    stock(shop["wh_a"], shop["TEE"], 2)
    stock(shop["wh_b"], shop["MUG"], 1)
    body = order_body(
        lines=[
            {"sku": "TEE", "quantity": 2, "unit_price": "10.00"},
            {"sku": "MUG", "quantity": 1, "unit_price": "5.00"},
        ]
    )
    created = api.post("/orders", body).json()
    wh_b = next(fo["id"] for fo in created["fulfillment_orders"] if fo["location"] == "WH-B")
    fulfillment_accept(fo_id=wh_b, actor="wh-b")
    fulfillment_ship(fo_id=wh_b, carrier="DHL", tracking_numbers=["T1"], actor="wh-b")
    assert Order.objects.get().status == "partially_shipped"
    before = everything()
    # when the shipped mug is changed, it is refused
    response = api.post(
        f"/orders/{created['id']}/edit", {"change_lines": [{"line_no": 2, "quantity": 2}]}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == "Line 2 is released: 1 unit(s) shipped."
    assert everything() == before
    # when the tees are removed, the order is shipped: all that is left went out
    response = api.post(f"/orders/{created['id']}/edit", {"remove_lines": [1]})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["current_total"]) == ("shipped", "5.00")
    assert committed(shop["wh_a"], shop["TEE"]) == 0
