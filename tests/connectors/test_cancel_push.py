"""Cancellations pushed back to the channel (respx, no network; docs/connectors.md, "Shipments
and cancellations pushed back"): Shopify's cancel and Woo's status, each read first so a retry
sends once; a channel's own cancellation is never sent back; a partial cancellation and the
platforms that take none are logged as not pushed, without a call; Woo's order.deleted cancels."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
import respx

from ordino.cases.models import Case
from ordino.connectors.models import Connection, InboundMessage
from ordino.connectors.services import (
    ConnectionSettings,
    cancellation_push_on_cancelled,
    cancellation_push_on_lines_cancelled,
    connection_create,
)
from ordino.connectors.transport import TransportFailed
from ordino.events.relay import outbox_dispatch
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import fulfillment_accept, fulfillment_ship
from ordino.integrations.models import IntegrationCall
from ordino.orders.events import OrderCancelled, OrderLinesCancelled
from ordino.orders.models import Order
from ordino.orders.services.cancel import order_cancel
from ordino.wiring import SUBSCRIBERS
from tests.connectors.platforms.fakes import fixture
from tests.connectors.shopify import SHOP_URL, shopify_order
from tests.connectors.woocommerce import WOO_SECRET, WOO_URL, woo_signed
from tests.factories import make_channel, make_location, make_sku, stock

pytestmark = pytest.mark.django_db
ORDER_URL = f"{SHOP_URL}/admin/api/2025-01/orders/450789469.json"
CANCEL_URL = f"{SHOP_URL}/admin/api/2025-01/orders/450789469/cancel.json"
WOO_ORDER_URL = f"{WOO_URL}/wp-json/wc/v3/orders/727"
SENT_TO_SHOPIFY = {"reason": "other", "email": True, "restock": True}


def _shopify(cancelled_at=None) -> httpx.Response:
    return httpx.Response(200, json={"order": {"id": 450789469, "cancelled_at": cancelled_at}})


def _push_only(event_class, subscriber) -> tuple[int, int]:
    """The outbox relay, inline, with only the push subscribed (the rest is marked delivered)."""
    return outbox_dispatch(subscribers={event_class: [subscriber]}, mode="inline")


@pytest.fixture
def shopify_order_in_ordino(deliver) -> Order:
    assert deliver(shopify_order()).json()["status"] == "captured"
    return Order.objects.get()


# --- Shopify ----------------------------------------------------------------------------------


@respx.mock
def test_an_order_cancelled_in_ordino_is_cancelled_on_shopify(shopify_order_in_ordino):
    # given Shopify has the order open
    read = respx.get(ORDER_URL).mock(return_value=_shopify())
    cancel = respx.post(CANCEL_URL).mock(return_value=_shopify("2026-12-01T10:00:00Z"))
    # when a person cancels it in Ordino and the outbox relays the event
    order_cancel(order_id=shopify_order_in_ordino.pk, lines=None, reason="Customer called",
                 actor="user:7")  # fmt: skip
    assert _push_only(OrderCancelled, cancellation_push_on_cancelled) == (2, 0)
    # then Shopify is read, then told, once, with the documented body and the access token
    assert dict(read.calls.last.request.url.params) == {"fields": "id,cancelled_at"}
    assert cancel.call_count == 1
    assert json.loads(cancel.calls.last.request.content) == SENT_TO_SHOPIFY
    assert cancel.calls.last.request.headers["X-Shopify-Access-Token"] == "shpat_test-access-token"
    calls = IntegrationCall.objects.filter(direction="out").order_by("pk")
    assert [(c.operation, c.method, c.status_code, c.ok) for c in calls] == [
        ("orders/get", "GET", 200, True),
        ("orders/cancel", "POST", 200, True),
    ]


@respx.mock
def test_an_order_shopify_has_cancelled_already_is_not_cancelled_again(shopify_order_in_ordino):
    # given Shopify cancelled it already (a retry after a lost answer, or both sides at once)
    respx.get(ORDER_URL).mock(return_value=_shopify("2026-12-01T10:00:00Z"))
    cancel = respx.post(CANCEL_URL)
    event = OrderCancelled(order_id=shopify_order_in_ordino.pk, status="cancelled")
    # when the event is pushed, then nothing is sent
    assert cancellation_push_on_cancelled(event) is False
    assert not cancel.called


@respx.mock
def test_a_failed_cancellation_raises_and_the_outbox_retry_sends_it(shopify_order_in_ordino):
    # given Shopify fails the first cancel (a 5xx on a write is not retried by the transport)
    respx.get(ORDER_URL).mock(return_value=_shopify())
    cancel = respx.post(CANCEL_URL).mock(
        side_effect=[httpx.Response(503), _shopify("2026-12-01T10:00:00Z")]
    )
    event = OrderCancelled(order_id=shopify_order_in_ordino.pk, status="cancelled")
    # when the subscriber runs: it raises for the outbox, and the log shows the failed call
    with pytest.raises(TransportFailed):
        cancellation_push_on_cancelled(event)
    failed = IntegrationCall.objects.get(operation="orders/cancel")
    assert (failed.status_code, failed.ok) == (503, False)
    # then the outbox's retry reads again and sends it: two attempts, one success
    assert cancellation_push_on_cancelled(event) is True
    assert cancel.call_count == 2
    assert list(
        IntegrationCall.objects.filter(operation="orders/cancel").order_by("pk")
        .values_list("status_code", flat=True)
    ) == [503, 200]  # fmt: skip


@respx.mock
def test_a_failed_push_leaves_the_event_failed_in_the_outbox(shopify_order_in_ordino):
    respx.get(ORDER_URL).mock(return_value=_shopify())
    respx.post(CANCEL_URL).mock(return_value=httpx.Response(422, json={"error": "nope"}))
    order_cancel(order_id=shopify_order_in_ordino.pk, lines=None, reason="", actor="user:7")
    # the capture's event is delivered, the cancellation's fails (the relay retries it later)
    assert _push_only(OrderCancelled, cancellation_push_on_cancelled) == (1, 1)


@respx.mock(assert_all_called=False)
def test_a_cancellation_that_came_from_shopify_is_not_pushed_back(deliver, respx_mock):
    # given Shopify's orders/cancelled cancelled the order in Ordino
    deliver(shopify_order(), delivery="d-1")
    cancelled = shopify_order(cancelled_at="2026-11-30T12:00:00-05:00", cancel_reason="customer",
                              updated_at="2026-11-30T12:00:00-05:00")  # fmt: skip
    assert deliver(cancelled, topic="orders/cancelled", delivery="d-2").json()["status"] == (
        "cancelled"
    )
    read, cancel = respx_mock.get(ORDER_URL), respx_mock.post(CANCEL_URL)
    # when the outbox relays the cancellation
    assert _push_only(OrderCancelled, cancellation_push_on_cancelled) == (2, 0)
    # then Shopify is neither read nor told, and nothing is logged as not pushed
    assert not read.called and not cancel.called
    assert not IntegrationCall.objects.filter(direction="out").exists()


@respx.mock(assert_all_called=False)
def test_a_replayed_channel_cancellation_is_not_pushed_back_either(deliver, respx_mock):
    # given the channel's cancellation was applied by a person's replay (actor: the person)
    deliver(shopify_order(), delivery="d-1")
    message = InboundMessage.objects.get()
    order = Order.objects.get()
    order_cancel(order_id=order.pk, lines=None, reason="Cancelled on the channel",
                 actor="user:7")  # fmt: skip
    InboundMessage.objects.filter(pk=message.pk).update(status="cancelled", order_id=order.pk)
    cancel = respx_mock.post(CANCEL_URL)
    # when pushed, then the message's outcome (not the actor) says it came from the channel
    event = OrderCancelled(order_id=order.pk, status="cancelled")
    assert cancellation_push_on_cancelled(event) is False
    assert not cancel.called


@respx.mock(assert_all_called=False)
def test_a_partial_cancellation_is_logged_as_not_pushed_without_a_call(
    shopify_order_in_ordino, respx_mock
):
    # given one of the two tees cancelled in Ordino
    order = shopify_order_in_ordino
    tee = order.lines.get(sku_code="TEE")
    order_cancel(order_id=order.pk, lines=[(tee.line_no, 1)], reason="", actor="user:7")
    cancel = respx_mock.post(CANCEL_URL)
    # when the outbox relays it
    assert _push_only(OrderLinesCancelled, cancellation_push_on_lines_cancelled) == (2, 0)
    # then Shopify is not called, and one failed log row says what a person must do there
    assert not cancel.called
    row = IntegrationCall.objects.get(direction="out")
    assert (row.system, row.operation, row.ok, row.method, row.status_code) == (
        "shopify", "orders/cancel", False, "", None,
    )  # fmt: skip
    assert row.error == "not pushed: a partial cancellation (1 unit(s)) is not sent " \
        "(docs/connectors.md)"  # fmt: skip
    assert (row.object_type, row.object_id, row.correlation_id) == (
        "order", str(order.pk), "450789469",
    )  # fmt: skip
    assert row.error_signature != ""


@pytest.mark.parametrize("platform", ["amazon", "ebay"])
@respx.mock(assert_all_called=False)
def test_a_platform_without_a_cancel_push_gets_no_call_only_a_log_row(
    shopify_order_in_ordino, platform, respx_mock
):
    # given the channel's connection is of a platform Ordino cannot tell of a cancellation
    Connection.objects.update(platform=platform)
    any_call = respx_mock.route()
    event = OrderCancelled(order_id=shopify_order_in_ordino.pk, status="cancelled")
    # when pushed, then no call; one row says it was not pushed
    assert cancellation_push_on_cancelled(event) is False
    assert not any_call.called
    row = IntegrationCall.objects.get(direction="out")
    assert (row.system, row.ok, row.error) == (
        platform, False,
        "not pushed: the platform takes no cancellation from Ordino (docs/connectors.md)",
    )  # fmt: skip


def test_the_pushes_are_the_last_subscribers_of_their_events():
    # a failed push retries the event; the subscribers before it are idempotent (wiring.py)
    assert SUBSCRIBERS[OrderCancelled][-1] is cancellation_push_on_cancelled
    assert SUBSCRIBERS[OrderLinesCancelled][-1] is cancellation_push_on_lines_cancelled


# --- WooCommerce ------------------------------------------------------------------------------


@pytest.fixture
def woo(client):
    """A WooCommerce connection, and a sender of its signed webhooks."""
    make_channel("woo", currency="USD")
    order = fixture("woocommerce", "order_727.json")
    warehouse = make_location("WH-M")
    for code in {line["sku"] for line in order["line_items"]}:
        stock(warehouse, make_sku(code), 50)
    connection = connection_create(channel="woo", values=ConnectionSettings(
        platform="woocommerce", base_url=WOO_URL, access_token="ck_1:cs_1",
        webhook_secret=WOO_SECRET, poll_interval_seconds=0,
    ))  # fmt: skip

    def send(payload, *, topic="order.created", delivery="11"):
        body = json.dumps(payload).encode()
        return client.post(
            f"/api/v1/connectors/{connection.pk}/webhooks/woocommerce", data=body,
            content_type="application/json", **woo_signed(body, topic=topic, delivery=delivery),
        )  # fmt: skip

    send.order = order
    return send


@respx.mock
def test_an_order_cancelled_in_ordino_is_set_cancelled_in_woo(woo):
    # given Woo's order 727 captured and still processing in Woo
    assert woo(woo.order).json()["status"] == "captured"
    order = Order.objects.get()
    respx.get(WOO_ORDER_URL).mock(return_value=httpx.Response(200, json={
        "id": 727, "status": "processing"}))  # fmt: skip
    update = respx.put(WOO_ORDER_URL).mock(
        return_value=httpx.Response(200, json={"id": 727, "status": "cancelled"})
    )
    # when it is cancelled in Ordino and pushed
    order_cancel(order_id=order.pk, lines=None, reason="", actor="user:7")
    assert _push_only(OrderCancelled, cancellation_push_on_cancelled) == (2, 0)
    # then one PUT with the status, the REST key as Basic auth, both calls logged
    assert update.call_count == 1
    assert json.loads(update.calls.last.request.content) == {"status": "cancelled"}
    assert update.calls.last.request.headers["Authorization"] == (
        "Basic " + base64.b64encode(b"ck_1:cs_1").decode()
    )
    assert list(
        IntegrationCall.objects.filter(direction="out").order_by("pk")
        .values_list("operation", "method", "ok")
    ) == [("getOrder", "GET", True), ("updateOrder", "PUT", True)]  # fmt: skip


@pytest.mark.parametrize("status", ["cancelled", "refunded", "failed", "trash", "completed"])
@respx.mock
def test_a_woo_order_ended_or_completed_there_is_left_alone(woo, status):
    woo(woo.order)
    respx.get(WOO_ORDER_URL).mock(return_value=httpx.Response(200, json={
        "id": 727, "status": status}))  # fmt: skip
    update = respx.put(WOO_ORDER_URL)
    event = OrderCancelled(order_id=Order.objects.get().pk, status="cancelled")
    assert cancellation_push_on_cancelled(event) is False
    assert not update.called


@respx.mock(assert_all_called=False)
def test_woos_order_deleted_cancels_the_order_and_is_not_pushed_back(woo, respx_mock):
    # given Woo's order 727 captured
    woo(woo.order)
    order = Order.objects.get()
    any_call = respx_mock.route()
    # when Woo deletes (trashes) it: the body is only its id
    response = woo({"id": 727}, topic="order.deleted", delivery="12")
    # then acknowledged, the message says cancelled, the order is cancelled with the reason
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert order.timeline.filter(kind="cancelled").get().message == (
        "Cancelled 3 unit(s): Deleted on the channel."
    )
    # and the relay tells Woo nothing (the cancellation came from it)
    assert _push_only(OrderCancelled, cancellation_push_on_cancelled) == (2, 0)
    assert not any_call.called


def test_woos_order_deleted_of_an_order_ordino_never_had_is_stored_and_ignored(woo):
    response = woo({"id": 999}, topic="order.deleted", delivery="12")
    assert (response.status_code, response.json()["status"]) == (200, "ignored")
    message = InboundMessage.objects.get()
    assert (message.topic, message.external_order_id, message.order_id) == (
        "order.deleted", "999", None,
    )  # fmt: skip
    assert Order.objects.count() == 0
    assert Case.objects.count() == 0


def test_woos_order_deleted_of_an_order_cancelled_already_changes_nothing(woo):
    woo(woo.order)
    order = Order.objects.get()
    order_cancel(order_id=order.pk, lines=None, reason="", actor="user:7")
    response = woo({"id": 727}, topic="order.deleted", delivery="12")
    assert response.json()["status"] == "ignored"
    assert order.timeline.filter(kind="cancelled").count() == 1


def test_woos_order_deleted_of_a_shipped_order_fails_into_one_case_and_changes_nothing(woo):
    # given Woo's order 727 captured and shipped in full by Ordino
    woo(woo.order)
    order = Order.objects.get()
    fo = FulfillmentOrder.objects.get(order_id=order.pk)
    fulfillment_accept(fo_id=fo.pk, actor="user:wh")
    fulfillment_ship(fo_id=fo.pk, carrier="DHL", tracking_numbers=["JD1"], actor="user:wh")
    # when Woo deletes it
    response = woo({"id": 727}, topic="order.deleted", delivery="12")
    # then the delivery is acknowledged, the message failed with orders' refusal, one case opens
    assert (response.status_code, response.json()["status"]) == (200, "failed")
    message = InboundMessage.objects.get(topic="order.deleted")
    assert message.error_code == "order_not_cancellable"
    case = Case.objects.get()
    assert (case.type.code, case.title) == (
        "integration_failure", "woo order 727 not imported: order_not_cancellable",
    )  # fmt: skip
    order.refresh_from_db()
    assert order.status == "shipped"
    assert not order.timeline.filter(kind="cancelled").exists()
