"""Object scope of orders and customers: a store's till captures in its channel at its
location, changes only what it captured, and reads only the orders it has to do with."""

from __future__ import annotations

import pytest

from ordino.customers.models import Customer
from ordino.orders.models import Order, OrderChange
from tests.conftest import ApiClient
from tests.factories import make_channel, make_location, make_token, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(api, shop):
    """A web order and a marketplace order shipped from WH-A, channels web, market and pos."""
    make_channel("market")
    make_channel("pos", kind="pos")
    for sku in ("TEE", "MUG"):
        stock(shop["wh_a"], shop[sku], 20)
        stock(shop["store"], shop[sku], 5)
    web = api.post("/orders", order_body("W-1")).json()
    market = api.post(
        "/orders",
        order_body("M-1", channel="market", customer={"email": "m@market.example"}),
    ).json()
    assert {fo["location"] for o in (web, market) for fo in o["fulfillment_orders"]} == {"WH-A"}
    return {"web": web, "market": market}


def till(client, *, channels=("pos",), locations=("STORE-1",)) -> ApiClient:
    token = make_token(
        "orders customers:read",
        name="till",
        channel_codes=list(channels) or None,
        location_codes=list(locations),
    )
    return ApiClient(client, token)


def pos_body(external_id="POS-1", **extra):
    return order_body(
        external_id,
        channel="pos",
        customer={"email": "walk-in@example.com"},
        delivery_method="pickup",
        pickup_location="STORE-1",
        shipping_address=None,
        **extra,
    )


def orders_state() -> list:
    return sorted(
        Order.objects.values_list("id", "status", "version", "shipping_address", "current_total")
    )


def assert_problem(response, status, code, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field]


def test_a_store_token_cannot_change_orders_it_did_not_capture(client, world):
    # given a token limited to one store, with orders:write (what a till needs)
    store = till(client, channels=())
    before = orders_state()
    # when it edits the address of a web order shipped from a warehouse, cancels a
    # marketplace order, or reads them
    web, market = world["web"]["id"], world["market"]["id"]
    address = {"name": "X", "line1": "Elsewhere 1", "city": "Paris", "postal_code": "75001"}
    edit = store.post(f"/orders/{web}/edit", {"shipping_address": {**address, "country": "FR"}})
    cancel = store.post(f"/orders/{market}/cancel", {})
    # then 404 as if they did not exist, and no order changed
    assert_problem(edit, 404, "order_not_found")
    assert_problem(cancel, 404, "order_not_found")
    assert_problem(store.get(f"/orders/{web}"), 404, "order_not_found")
    assert store.get("/orders").json()["items"] == []
    assert store.get("/customers").json()["items"] == []
    assert orders_state() == before
    assert OrderChange.objects.count() == 0


@pytest.mark.parametrize("channel", ["web", "market", "pos"])
def test_a_token_limited_to_locations_only_captures_in_no_channel(client, world, channel):
    # given a store token with no channel limit
    store = till(client, channels=())
    count = Order.objects.count()
    # when it captures an order in any channel
    response = store.post("/orders", {**pos_body(), "channel": channel})
    # then 404 on the channel, and no order was made
    assert_problem(response, 404, "channel_not_found", field="channel")
    assert Order.objects.count() == count


def test_a_till_captures_in_its_channel_at_its_store_and_changes_what_it_captured(client, world):
    # given a till limited to the channel pos and the store STORE-1
    pos = till(client)
    # when it captures a sale at the counter
    response = pos.post("/orders", pos_body())
    # then the order records the till's store, and the till reads, edits and cancels it
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["origin_location"] == "STORE-1"
    assert Order.objects.get(pk=order["id"]).origin_location.code == "STORE-1"
    assert [o["id"] for o in pos.get("/orders").json()["items"]] == [order["id"]]
    assert [c["email"] for c in pos.get("/customers").json()["items"]] == ["walk-in@example.com"]
    assert pos.post(f"/orders/{order['id']}/cancel", {}).json()["status"] == "cancelled"
    # and it captures in no other channel
    before = Order.objects.count()
    refused = pos.post("/orders", {**order_body("W-2"), "channel": "web"})
    assert_problem(refused, 404, "channel_not_found", field="channel")
    assert Order.objects.count() == before


def test_a_till_cannot_name_another_location(client, world):
    # given a till of STORE-1
    pos = till(client)
    before = Order.objects.count()
    # when its capture names a warehouse as its till, or another store for the pickup
    other = pos.post("/orders", pos_body(origin_location="WH-A"))
    elsewhere = make_location("STORE-2", kind="store")
    pickup = pos.post("/orders", {**pos_body("POS-2"), "pickup_location": elsewhere.code})
    # then 404 on that field, as if the location did not exist, and no order was made
    assert_problem(other, 404, "location_not_found", field="origin_location")
    assert_problem(pickup, 404, "location_not_found", field="pickup_location")
    assert Order.objects.count() == before


def test_a_till_of_several_stores_names_the_one_capturing(client, world):
    # given a token limited to two stores
    make_location("STORE-2", kind="store")
    pos = till(client, locations=("STORE-1", "STORE-2"))
    # when it captures without saying where: 422; saying where: 201 with that store
    missing = pos.post("/orders", pos_body())
    assert_problem(missing, 422, "origin_location_required", field="origin_location")
    named = pos.post("/orders", pos_body(origin_location="STORE-1"))
    assert named.status_code == 201, named.content
    assert named.json()["origin_location"] == "STORE-1"


def test_a_store_reads_but_does_not_change_a_web_pickup_order_at_its_counter(client, api, world):
    # given a web order collected at STORE-1 (click and collect)
    order = api.post(
        "/orders",
        order_body(
            "W-PICK",
            delivery_method="pickup",
            pickup_location="STORE-1",
            shipping_address=None,
        ),
    ).json()
    pos = till(client)
    before = orders_state()
    # then the store's till (channel pos) does not see it: it is a web order
    assert_problem(pos.get(f"/orders/{order['id']}"), 404, "order_not_found")
    # and a store token of every channel reads it but does not cancel it (the web shop does)
    store = till(client, channels=())
    assert store.get(f"/orders/{order['id']}").status_code == 200
    assert_problem(store.post(f"/orders/{order['id']}/cancel", {}), 404, "order_not_found")
    assert orders_state() == before


def test_a_replay_of_another_tills_external_id_tells_nothing_of_the_order(client, world):
    # given an order captured by the till of STORE-1
    make_location("STORE-2", kind="store")
    first = till(client).post("/orders", pos_body()).json()
    other = till(client, locations=("STORE-2",))
    # when the till of STORE-2 sends the same external id
    response = other.post("/orders", pos_body())
    # then 409: the id is taken; the order is not shown
    assert_problem(response, 409, "external_id_taken", field="external_id")
    assert str(first["id"]) not in response.content.decode()


def test_a_channel_token_reads_the_customers_who_bought_through_its_channel(client, world):
    # given a token limited to web, and customers who bought through web and market
    web = ApiClient(client, make_token("customers", name="web", channel_codes=["web"]))
    # then it lists and reads the web buyer only, and cannot change the other
    listed = [c["email"] for c in web.get("/customers").json()["items"]]
    assert listed == ["ada@example.com"]
    market = world["market"]["customer_id"]
    assert_problem(web.get(f"/customers/{market}"), 404, "customer_not_found")
    response = web.patch(f"/customers/{market}", {"first_name": "Eve"})
    assert_problem(response, 404, "customer_not_found")
    assert Customer.objects.get(pk=market).first_name == ""
