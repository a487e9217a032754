"""Holds on orders: a matching rule stops the order's work at capture; a person releases it
with a reason; an edit that clears the cause releases it by itself; retiring the rule releases
its holds; a declined payment is a hold like any other (one mechanism)."""

from __future__ import annotations

import pytest

from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.holds.models import OrderHold
from ordino.orders.models import Order, OrderTimelineEntry
from tests.factories import auth, make_location, make_token, order_body, stock
from tests.payments.conftest import card, work

pytestmark = pytest.mark.django_db


def _fo_statuses(order_id: int) -> list[str]:
    return list(FulfillmentOrder.objects.filter(order_id=order_id).values_list("status", flat=True))


def test_an_order_that_matches_an_active_rule_is_held_at_capture(api, stocked, big_rule):
    # when an order over 40 EUR is captured
    r = api.post("/orders", order_body("W-1"))
    # then it is captured, its work on hold, one hold of the rule, the timeline and the event
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "on_hold"
    assert [fo["status"] for fo in body["fulfillment_orders"]] == ["on_hold"]
    assert _fo_statuses(body["id"]) == ["on_hold"]
    holds = api.get(f"/orders/{body['id']}/holds").json()
    assert [(h["cause"], h["rule"], h["version"], h["reason"]) for h in holds] == [
        ("rule:big", "big", 1, "order over 40 EUR")
    ]
    entry = OrderTimelineEntry.objects.get(order_id=body["id"], kind="order_held")
    assert entry.message == "Held: order over 40 EUR."
    assert entry.data["why"] == "order.value > 40 holds (it is 49.480)"
    event = OutboxEvent.objects.get(name="order.held")
    assert event.payload["rule"] == "big"
    assert event.payload["version"] == 1


def test_an_order_that_does_not_match_is_not_held(api, stocked, big_rule):
    small = [{"sku": "TEE", "quantity": 1, "unit_price": "9.00"}]
    body = api.post("/orders", order_body("W-1", lines=small)).json()
    assert body["status"] == "allocated"
    assert OrderHold.objects.count() == 0


def test_a_person_releases_a_hold_with_a_reason_and_the_work_resumes(api, stocked, big_rule):
    # given a held order
    order = api.post("/orders", order_body("W-1")).json()
    (hold,) = api.get(f"/orders/{order['id']}/holds").json()
    # when it is released with a reason
    r = api.post(f"/orders/{order['id']}/holds/{hold['id']}/release", {"reason": "known buyer"})
    # then released manually, the work open again, the order allocated, the event out
    assert r.status_code == 200, r.content
    released = r.json()
    assert (released["released_how"], released["release_reason"]) == ("manual", "known buyer")
    assert released["released_by"] == "token:admin"
    assert _fo_statuses(order["id"]) == ["open"]
    assert Order.objects.get(pk=order["id"]).status == "allocated"
    event = OutboxEvent.objects.get(name="order.hold_released")
    assert (event.payload["how"], event.payload["actor"]) == ("manual", "token:admin")


def test_a_release_needs_a_reason_and_changes_nothing_without_one(api, stocked, big_rule):
    order = api.post("/orders", order_body("W-1")).json()
    (hold,) = api.get(f"/orders/{order['id']}/holds").json()
    r = api.post(f"/orders/{order['id']}/holds/{hold['id']}/release", {"reason": ""})
    assert r.status_code == 422
    assert OrderHold.objects.get().released_at is None
    assert _fo_statuses(order["id"]) == ["on_hold"]


def test_a_released_hold_cannot_be_released_again(api, stocked, big_rule):
    order = api.post("/orders", order_body("W-1")).json()
    (hold,) = api.get(f"/orders/{order['id']}/holds").json()
    path = f"/orders/{order['id']}/holds/{hold['id']}/release"
    assert api.post(path, {"reason": "ok"}).status_code == 200
    r = api.post(path, {"reason": "again"})
    assert r.status_code == 409
    assert r.json()["code"] == "hold_released"
    assert OrderHold.objects.get().release_reason == "ok"


def test_a_hold_of_another_order_is_404(api, stocked, big_rule):
    one = api.post("/orders", order_body("W-1")).json()
    two = api.post("/orders", order_body("W-2")).json()
    (hold,) = api.get(f"/orders/{one['id']}/holds").json()
    r = api.post(f"/orders/{two['id']}/holds/{hold['id']}/release", {"reason": "x"})
    assert r.status_code == 404
    assert r.json()["code"] == "hold_not_found"
    assert OrderHold.objects.filter(released_at__isnull=True).count() == 2


def test_a_token_of_another_channel_gets_404_and_nothing_changes(api, client, stocked, big_rule):
    # given a held order of the channel web, and a token limited to another channel
    from tests.factories import make_channel

    make_channel("market", currency="EUR")
    order = api.post("/orders", order_body("W-1")).json()
    (hold,) = api.get(f"/orders/{order['id']}/holds").json()
    token = make_token("holds", name="market-only", channel_codes=["market"])
    # when it lists or releases the order's holds
    listed = client.get(f"/api/v1/orders/{order['id']}/holds", **auth(token))
    released = client.post(
        f"/api/v1/orders/{order['id']}/holds/{hold['id']}/release",
        data={"reason": "x"},
        content_type="application/json",
        **auth(token),
    )
    # then 404 as if the order did not exist, the hold still open
    assert (listed.status_code, listed.json()["code"]) == (404, "order_not_found")
    assert (released.status_code, released.json()["code"]) == (404, "order_not_found")
    assert OrderHold.objects.get().released_at is None


def test_an_edit_that_clears_the_cause_releases_the_hold_by_itself(api, stocked, big_rule):
    # given an order held for its value (two tees and a mug, 49.48 EUR)
    order = api.post("/orders", order_body("W-1")).json()
    # when the tees are removed, leaving 9.50 EUR
    r = api.post(f"/orders/{order['id']}/edit", {"remove_lines": [1], "reason": "customer"})
    # then the hold is released automatically and the work resumes
    assert r.status_code == 200, r.content
    hold = OrderHold.objects.get()
    assert hold.released_how == "auto"
    assert hold.release_reason.startswith("no longer matches after edit")
    assert _fo_statuses(order["id"]) == ["open"]
    assert r.json()["status"] == "allocated"


def test_an_edit_that_makes_an_order_match_holds_it(api, stocked, big_rule):
    # given a small order, not held
    small = [{"sku": "TEE", "quantity": 1, "unit_price": "9.00"}]
    order = api.post("/orders", order_body("W-1", lines=small)).json()
    # when it grows over 40 EUR
    r = api.post(f"/orders/{order['id']}/edit", {"change_lines": [{"line_no": 1, "quantity": 5}]})
    # then it is held
    assert r.status_code == 200, r.content
    assert OrderHold.objects.get().placed_by == "token:admin"
    assert set(_fo_statuses(order["id"])) == {"on_hold"}


def test_retiring_the_rule_releases_its_open_holds(api, stocked, big_rule):
    order = api.post("/orders", order_body("W-1")).json()
    r = api.post("/holds/rules/big/retire", {"reason": "served its purpose"})
    assert r.status_code == 200, r.content
    hold = OrderHold.objects.get()
    assert (hold.released_how, hold.release_reason) == ("rule_retired", "served its purpose")
    assert _fo_statuses(order["id"]) == ["open"]
    # and the next order is not held
    assert api.post("/orders", order_body("W-2")).json()["status"] == "allocated"


def test_a_declined_payment_is_a_hold_and_an_authorization_releases_it(api, stocked):
    # given an order whose card is declined
    order = api.post("/orders", order_body("W-1", payments=[card("tok_decline")])).json()
    work()
    # then one hold of the system cause payment_declined stops its work
    (hold,) = api.get(f"/orders/{order['id']}/holds").json()
    assert (hold["cause"], hold["rule"], hold["reason"]) == (
        "payment_declined",
        None,
        "payment declined",
    )
    assert _fo_statuses(order["id"]) == ["on_hold"]
    # when a new card is authorized
    r = api.post(f"/orders/{order['id']}/payments", card("tok_approve"))
    assert r.status_code == 201, r.content
    work()
    # then the hold is released automatically and the work resumes
    hold = OrderHold.objects.get()
    assert hold.released_how == "auto"
    assert _fo_statuses(order["id"]) == ["open"]


def test_two_causes_keep_the_work_held_until_both_are_gone(api, stocked, big_rule):
    # given an order held by the rule and by a declined card
    order = api.post("/orders", order_body("W-1", payments=[card("tok_decline")])).json()
    work()
    holds = api.get(f"/orders/{order['id']}/holds").json()
    assert sorted(h["cause"] for h in holds) == ["payment_declined", "rule:big"]
    rule_hold = next(h for h in holds if h["cause"] == "rule:big")
    # when a person releases the rule's hold
    api.post(f"/orders/{order['id']}/holds/{rule_hold['id']}/release", {"reason": "ok"})
    # then the work still waits for the payment
    assert _fo_statuses(order["id"]) == ["on_hold"]


def test_the_report_counts_what_each_rule_did(api, stocked, big_rule):
    # given two held orders, one released by a person
    one = api.post("/orders", order_body("W-1")).json()
    api.post("/orders", order_body("W-2"))
    (hold,) = api.get(f"/orders/{one['id']}/holds").json()
    api.post(f"/orders/{one['id']}/holds/{hold['id']}/release", {"reason": "ok"})
    # when the report is read
    r = api.get("/holds/report")
    # then the rule fired twice, held two orders, was overridden once, one still open
    assert r.status_code == 200, r.content
    (row,) = r.json()["rules"]
    assert (row["rule"], row["fired"], row["orders_held"], row["overridden"], row["open"]) == (
        "big",
        2,
        2,
        1,
        1,
    )
    assert row["median_hours_held"] is not None
    assert row["always_overridden"] is False  # one override of one release: too few to say


def test_a_store_location_order_is_held_too(api, shop, big_rule):
    # given stock only at a second location
    stock(shop["wh_b"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["MUG"], 5)
    make_location("WH-C")
    body = api.post("/orders", order_body("W-1")).json()
    assert body["status"] == "on_hold"


def test_cancelling_a_held_order_releases_its_holds(api, stocked, big_rule):
    # given a held order
    order = api.post("/orders", order_body("W-1")).json()
    # when it is cancelled and the worker runs
    r = api.post(f"/orders/{order['id']}/cancel", {"reason": "customer"})
    assert r.status_code == 200, r.content
    work()
    # then its hold is released (auto, the order cancelled)
    hold = OrderHold.objects.get()
    assert (hold.released_how, hold.release_reason) == ("auto", "order cancelled")
    assert Order.objects.get(pk=order["id"]).status == "cancelled"


def test_a_location_cannot_start_held_work(api, stocked, big_rule):
    # given a held order
    order = api.post("/orders", order_body("W-1")).json()
    fo = order["fulfillment_orders"][0]["id"]
    # when its location tries to accept, release or ship the work
    accepted = api.post(f"/fulfillment/orders/{fo}/accept", {})
    released = api.post(f"/fulfillment/orders/{fo}/release", {})
    ship = {"carrier": "DHL", "tracking_numbers": ["JD1"]}
    shipped = api.post(f"/fulfillment/orders/{fo}/ship", ship)
    # then each is refused: the order's holds are released first; nothing changed
    for answer in (accepted, released):
        assert answer.status_code == 409, answer.content
        assert answer.json()["code"] == "order_held"
    assert (shipped.status_code, shipped.json()["code"]) == (409, "not_shippable")
    assert accepted.json()["detail"] == (
        f"Order {order['id']} is held (order over 40 EUR): its holds are released first."
    )
    assert _fo_statuses(order["id"]) == ["on_hold"]


def test_a_held_order_s_backorder_filled_later_waits_too(api, shop, big_rule):
    # given a held order whose mug is backordered (no mugs anywhere)
    stock(shop["wh_a"], shop["TEE"], 10)
    order = api.post("/orders", order_body("W-1")).json()
    assert order["status"] == "on_hold"
    # when mugs arrive at WH-B and the worker fills the backorder
    assert (
        api.post(
            "/inventory/receipts", {"location": "WH-B", "sku": "MUG", "quantity": 5}
        ).status_code
        == 201
    )
    work()
    # then the new work at WH-B is on hold too, and the order stays on hold
    assert sorted(_fo_statuses(order["id"])) == ["on_hold", "on_hold"]
    assert Order.objects.get(pk=order["id"]).status == "on_hold"
