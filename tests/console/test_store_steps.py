"""A fulfillment order's screen: each step calls the API's use case with the user's scope;
outside the user's locations 404, without the permission no buttons and 403."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.inventory.models import StockBalance
from ordino.orders.models import Order, OrderTimelineEntry

pytestmark = pytest.mark.django_db


def page(fo) -> str:
    return f"/admin/store/fo/{fo.pk}/"


def post(client, fo, step: str, data: dict | None = None):
    response = client.post(f"/admin/store/fo/{fo.pk}/{step}/", data or {})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    return response, said[-1:]  # this step's message (earlier ones were not read yet)


def status(fo) -> str:
    return FulfillmentOrder.objects.get(pk=fo.pk).status


def balance(location, sku) -> tuple[int, int]:
    row = StockBalance.objects.get(location=location, sku=sku)
    return row.on_hand, row.committed


def kinds(fo) -> list[tuple[str, str]]:
    return list(
        OrderTimelineEntry.objects.filter(order_id=fo.order_id)
        .order_by("id")
        .values_list("kind", "actor")
    )


def test_accept_pick_pack_and_ship_with_tracking(clerk, ship_fo, shop):
    # when the clerk accepts, picks, packs and ships everything with two tracking numbers
    for step, after in (("accept", "accepted"), ("pick", "picking"), ("pack", "packed")):
        response, said = post(clerk, ship_fo, step)
        assert (response.status_code, response.url) == (302, page(ship_fo))
        assert status(ship_fo) == after, said
    response, said = post(
        clerk,
        ship_fo,
        "ship",
        {
            "qty-1": "2",
            "qty-2": "1",
            "carrier": "DHL",
            "service": "parcel",
            "tracking_numbers": "JD01, JD02",
        },
    )
    # then the fulfillment order, the order, the stock and the timeline changed as through the API
    assert said == ["Shipped 3 item(s) with DHL JD01, JD02."]
    assert status(ship_fo) == "shipped"
    shipment = Shipment.objects.get()
    assert (shipment.carrier, shipment.service, shipment.tracking_numbers, shipment.actor) == (
        "DHL",
        "parcel",
        ["JD01", "JD02"],
        "user:clerk",
    )
    assert shipment.lines == [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}]
    assert Order.objects.get(pk=ship_fo.order_id).status == "shipped"
    assert balance(shop["store"], shop["TEE"]) == (8, 0)
    assert kinds(ship_fo)[1:] == [
        ("fulfillment_accepted", "user:clerk"),
        ("fulfillment_picking", "user:clerk"),
        ("fulfillment_packed", "user:clerk"),
        ("shipped", "user:clerk"),
    ]


def test_a_partial_shipment_ships_some_units_and_leaves_the_rest_open(clerk, ship_fo, shop):
    # when the clerk ships one of the two tees only
    _, said = post(
        clerk,
        ship_fo,
        "ship",
        {"qty-1": "1", "qty-2": "0", "carrier": "UPS", "tracking_numbers": "1Z9"},
    )
    # then one tee left, the other tee and the mug stay open and reserved here
    assert said == ["Shipped 1 item(s) with UPS 1Z9."]
    assert Shipment.objects.get().lines == [{"line_no": 1, "quantity": 1}]
    assert status(ship_fo) == "open"
    opened = [
        fl.open for fl in FulfillmentLine.objects.filter(fulfillment_order=ship_fo).order_by("id")
    ]
    assert opened == [1, 1]
    assert balance(shop["store"], shop["TEE"]) == (9, 1)
    assert Order.objects.get(pk=ship_fo.order_id).status == "partially_shipped"


def test_shipping_more_than_is_open_is_refused_and_changes_nothing(clerk, ship_fo, shop):
    _, said = post(
        clerk,
        ship_fo,
        "ship",
        {"qty-1": "3", "qty-2": "1", "carrier": "UPS", "tracking_numbers": "1Z9"},
    )
    assert said == ["Some lines cannot be taken as given. Line 1 has 2 open item(s) here."]
    assert Shipment.objects.count() == 0
    assert balance(shop["store"], shop["TEE"]) == (10, 2)


def test_reject_one_item_with_a_reason(clerk, ship_fo, shop):
    # when the clerk rejects the mug as damaged
    _, said = post(clerk, ship_fo, "reject", {"qty-1": "0", "qty-2": "1", "reason": "damaged"})
    # then the mug is rejected here (and, no other location having mugs, backordered)
    assert said == ["Rejected 1 item(s); backordered."]
    lines = FulfillmentLine.objects.filter(fulfillment_order=ship_fo).order_by("id")
    assert [(fl.quantity_rejected, fl.open) for fl in lines] == [(0, 2), (1, 0)]
    assert status(ship_fo) == "open"
    row = StockBalance.objects.get(location=shop["store"], sku=shop["MUG"])
    assert (row.on_hand, row.committed, row.unavailable) == (10, 0, 1)
    assert kinds(ship_fo)[-1] == ("rejected", "user:clerk")


def test_a_refused_step_shows_why_and_changes_nothing(clerk, ship_fo):
    before = FulfillmentOrder.objects.get(pk=ship_fo.pk).version
    _, said = post(clerk, ship_fo, "reject", {"qty-1": "0", "qty-2": "0", "reason": "damaged"})
    assert said == ["Choose at least one item."]
    _, said = post(clerk, ship_fo, "release")
    assert said == ["This fulfillment order is not on hold."]
    assert FulfillmentOrder.objects.get(pk=ship_fo.pk).version == before


@pytest.mark.parametrize("quantity", ["-1", "²", "1.5", "9999999"])
def test_a_quantity_that_is_no_whole_number_is_refused(clerk, ship_fo, quantity):
    _, said = post(clerk, ship_fo, "reject", {"qty-1": quantity, "reason": "damaged"})
    assert said == ["Line 1: give a whole number of items."]
    assert FulfillmentLine.objects.filter(quantity_rejected__gt=0).count() == 0


def test_hold_and_release(clerk, ship_fo):
    _, said = post(clerk, ship_fo, "hold", {"reason": "customer called"})
    assert (said, status(ship_fo)) == (["Put on hold."], "on_hold")
    _, said = post(clerk, ship_fo, "release")
    assert status(ship_fo) == "open"


def test_pickup_needs_the_customers_code(clerk, pickup_fo, shop):
    # given the pickup made ready at the counter
    _, said = post(clerk, pickup_fo, "ready")
    fo = FulfillmentOrder.objects.get(pk=pickup_fo.pk)
    assert fo.status == "ready_for_pickup"
    assert len(fo.pickup_code) == 6 and fo.pickup_code.isdigit()
    assert fo.pickup_code in said[0]
    notice = OrderTimelineEntry.objects.get(order_id=fo.order_id, kind="ready_for_pickup")
    assert f"pickup code {fo.pickup_code}" in notice.message
    # when someone gives a wrong code, nothing is handed over
    wrong = "000000" if fo.pickup_code != "000000" else "111111"
    _, said = post(clerk, pickup_fo, "handover", {"pickup_code": wrong})
    assert said[0].startswith("The pickup code does not match this order")
    assert status(pickup_fo) == "ready_for_pickup"
    assert balance(shop["store"], shop["TEE"]) == (10, 1)
    # when the customer gives the right one, the order is collected
    _, said = post(clerk, pickup_fo, "handover", {"pickup_code": fo.pickup_code})
    assert said == ["Handed over. The order is collected."]
    assert status(pickup_fo) == "picked_up"
    assert balance(shop["store"], shop["TEE"]) == (9, 0)
    assert Order.objects.get(pk=fo.order_id).status == "delivered"


def test_another_locations_order_is_404_to_read_and_to_change(clerk, warehouse_fo):
    assert clerk.get(page(warehouse_fo)).status_code == 404
    response, _ = post(clerk, warehouse_fo, "accept")
    assert response.status_code == 404
    assert status(warehouse_fo) == "open"
    assert clerk.get(f"/admin/store/fo/{warehouse_fo.pk}/packing-slip/").status_code == 404


def test_without_the_permission_no_buttons_and_a_forged_post_is_403(watcher, ship_fo):
    html = watcher.get(page(ship_fo)).content.decode()
    assert "W-100" in html
    assert f"/admin/store/fo/{ship_fo.pk}/accept/" not in html
    assert 'name="carrier"' not in html
    response, _ = post(watcher, ship_fo, "accept")
    assert response.status_code == 403
    assert status(ship_fo) == "open"
    assert [kind for kind, _ in kinds(ship_fo)] == ["captured"]


def test_the_screen_offers_the_steps_of_the_status(clerk, ship_fo):
    html = clerk.get(page(ship_fo)).content.decode()
    for step in ("accept", "ship", "reject", "hold"):
        assert f"/admin/store/fo/{ship_fo.pk}/{step}/" in html, step
    assert f"/admin/store/fo/{ship_fo.pk}/pack/" not in html


def test_staff_without_any_fulfillment_permission_see_nothing(client, ship_fo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("temp", password="pw-long-enough-1", is_staff=True))
    for url in ("/admin/store/", page(ship_fo), "/admin/store/pick-list/"):
        assert client.get(url).status_code == 403, url
    response, _ = post(client, ship_fo, "accept")
    assert response.status_code == 403
    assert status(ship_fo) == "open"
