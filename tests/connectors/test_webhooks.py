"""Shopify's order webhooks through the public URL: verified on the raw body, stored before the
200, applied exactly once (docs/connectors.md, "Exactly once")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from ordino.cases.models import Case
from ordino.connectors.models import InboundMessage
from ordino.integrations.models import IntegrationCall
from ordino.orders.models import Order
from tests.connectors.shopify import shopify_order, signed

pytestmark = pytest.mark.django_db


def _counts():
    return (Order.objects.count(), InboundMessage.objects.count(), Case.objects.count())


def test_an_orders_create_webhook_captures_the_order_once(deliver):
    # given a signed orders/create; when Shopify delivers it
    response = deliver(shopify_order())
    # then it is stored, captured, and the answer names the message
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["duplicate"] is False and body["status"] == "captured"
    order = Order.objects.get()
    assert order.external_id == "450789469"
    assert order.current_total == Decimal("60.55")
    message = InboundMessage.objects.get()
    assert (message.source, message.delivery_id, message.topic) == (
        "webhook",
        "d-1",
        "orders/create",
    )
    assert message.order_id == order.pk and message.attempts == 1
    log = IntegrationCall.objects.get(direction="in")
    assert (log.system, log.status_code, log.ok, log.correlation_id) == (
        "shopify",
        200,
        True,
        "d-1",
    )
    assert log.request_headers["X-Shopify-Hmac-Sha256"] != signed(b"")["HTTP_X_SHOPIFY_HMAC_SHA256"]


def test_a_redelivery_of_the_same_webhook_id_changes_nothing(deliver):
    deliver(shopify_order())
    before = _counts()
    # when Shopify delivers the same webhook id again
    response = deliver(shopify_order())
    # then 200, a duplicate, nothing new; the log shows both deliveries
    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    assert _counts() == before
    assert IntegrationCall.objects.filter(direction="in", correlation_id="d-1").count() == 2


def test_the_same_order_under_another_webhook_id_is_one_order(deliver):
    deliver(shopify_order(), delivery="d-1")
    response = deliver(shopify_order(), delivery="d-2")
    assert response.json()["status"] == "ignored"
    assert Order.objects.count() == 1 and InboundMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("body", "webhook_signature_invalid"),
        ("secret", "webhook_signature_invalid"),
        ("header", "webhook_signature_missing"),
        ("webhook_id", "webhook_headers_missing"),
    ],
)
def test_a_webhook_that_does_not_verify_is_refused_and_only_logged(deliver, tamper, code):
    body = json.dumps(shopify_order()).encode()
    headers = signed(body, secret="wrong-secret" if tamper == "secret" else "shpss_test-app-secret")
    if tamper == "body":
        body = body.replace(b"19.99", b"0.01")
    if tamper == "header":
        del headers["HTTP_X_SHOPIFY_HMAC_SHA256"]
    if tamper == "webhook_id":
        del headers["HTTP_X_SHOPIFY_WEBHOOK_ID"]
    # when the webhook arrives
    response = deliver(None, raw=body, headers=headers)
    # then 401 problem+json, nothing stored, the refusal in the integration log with its reason
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert _counts() == (0, 0, 0)
    log = IntegrationCall.objects.get(direction="in")
    assert (log.status_code, log.ok) == (401, False)
    assert log.error.startswith(code.removeprefix("webhook_"))


def test_a_webhook_to_an_unknown_connection_is_404(client, connection):
    body = b"{}"
    response = client.post(
        "/api/v1/connectors/999/webhooks/shopify", data=body, content_type="application/json",
        **signed(body),
    )  # fmt: skip
    assert response.status_code == 404
    assert InboundMessage.objects.count() == 0
    assert IntegrationCall.objects.get(direction="in").status_code == 404


def test_a_malformed_payload_is_stored_failed_with_one_case_and_no_order(deliver):
    # given a body that is not JSON, and one whose line has no SKU
    deliver(None, raw=b"{not json", delivery="d-1")
    broken = shopify_order()
    broken["line_items"][0]["sku"] = ""
    response = deliver(broken, delivery="d-2")
    # then both are acknowledged, stored as received, failed with where; a case each; no order
    assert response.status_code == 200 and response.json()["status"] == "failed"
    first, second = InboundMessage.objects.order_by("pk")
    assert (first.status, first.error_code, first.raw_body) == (
        "failed",
        "mapping_error",
        "{not json",
    )
    assert (second.status, second.error_path) == ("failed", "line_items[0].sku")
    assert Order.objects.count() == 0
    assert Case.objects.filter(type__code="integration_failure").count() == 2


def test_an_unknown_sku_fails_once_and_a_replay_after_the_fix_captures_once(api, deliver, shop):
    # given an order with a SKU the catalog lacks, delivered twice under two ids
    order = shopify_order()
    order["line_items"][1]["sku"] = "HAT"
    deliver(order, delivery="d-1")
    deliver(order, delivery="d-2")
    assert Order.objects.count() == 0
    case = Case.objects.get(type__code="integration_failure")  # one case per channel order
    assert case.status == "new"
    # when the catalog gets the SKU and the message is replayed (twice)
    from tests.factories import make_sku, stock

    stock(shop["wh_a"], make_sku("HAT"), 5)
    message = InboundMessage.objects.order_by("pk").first()
    first = api.post(f"/connectors/messages/{message.pk}/replay")
    again = api.post(f"/connectors/messages/{message.pk}/replay")
    # then one order, the message captured, the case resolved by itself
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "captured" and again.json()["status"] == "ignored"
    assert Order.objects.count() == 1
    case.refresh_from_db()
    assert case.status == "resolved"
    assert again.json()["attempts"] == 3


def test_orders_updated_with_a_quantity_change_edits_the_order(deliver):
    deliver(shopify_order(), delivery="d-1")
    changed = shopify_order(updated_at="2026-11-30T11:00:00-05:00")
    changed["line_items"][0]["current_quantity"] = 1
    # when Shopify reports the edit
    response = deliver(changed, topic="orders/updated", delivery="d-2")
    # then the order's line is cut to 1 through orders' edit
    assert response.json()["status"] == "updated"
    line = Order.objects.get().lines.get(sku_code="TEE")
    assert line.quantity_ordered - line.quantity_cancelled == 1


def test_orders_cancelled_cancels_the_order_once(deliver):
    deliver(shopify_order(), delivery="d-1")
    cancelled = shopify_order(cancelled_at="2026-11-30T12:00:00-05:00", cancel_reason="customer")
    first = deliver(cancelled, topic="orders/cancelled", delivery="d-2")
    again = deliver(cancelled, topic="orders/updated", delivery="d-3")
    assert first.json()["status"] == "cancelled" and again.json()["status"] == "ignored"
    assert Order.objects.get().status == "cancelled"


def test_an_unrelated_topic_is_stored_and_ignored(deliver):
    response = deliver({"id": 1}, topic="app/uninstalled")
    assert response.json()["status"] == "ignored"
    assert Order.objects.count() == 0


def test_an_older_version_arriving_late_changes_nothing(deliver):
    # given Shopify's orders/updated (one tee) arrives before the orders/create (two tees)
    newer = shopify_order(updated_at="2026-11-30T11:00:00-05:00", current_total_price="41.52")
    newer["line_items"][0].update(current_quantity=1, discount_allocations=[],
                                  tax_lines=[{"price": "3.80", "rate": 0.19}])  # fmt: skip
    assert deliver(newer, topic="orders/updated", delivery="d-2").json()["status"] == "captured"
    # when the older orders/create comes
    late = deliver(shopify_order(), delivery="d-1")
    # then it is stored and ignored: the order keeps its newer quantity
    assert late.json()["status"] == "ignored"
    line = Order.objects.get().lines.get(sku_code="TEE")
    assert line.quantity_ordered - line.quantity_cancelled == 1


def test_a_secret_the_key_cannot_read_is_a_409_problem_and_nothing_is_stored(deliver, settings):
    # given the credentials key replaced after the connection was made (core/encryption.py)
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    # when Shopify delivers a signed webhook
    response = deliver(shopify_order())
    # then a problem that says what to do, no traceback, and nothing stored or captured
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "credentials_unreadable"
    assert problem["detail"] == (
        "The connection's stored secrets cannot be decrypted with the current key "
        "(ORDINO_CREDENTIALS_KEY or SECRET_KEY changed): enter them again."
    )
    assert _counts() == (0, 0, 0)


def test_a_signed_body_holding_a_nul_is_refused_and_logged_escaped(deliver):
    # given a correctly signed body holding a NUL character (found by fuzzing on PostgreSQL)
    response = deliver(None, raw=b'{"id": 1}\x00')
    # then 400, nothing stored, and the log keeps the call with the NUL written out
    assert (response.status_code, response.json()["code"]) == (400, "webhook_invalid_body")
    assert _counts() == (0, 0, 0)
    log = IntegrationCall.objects.get(direction="in")
    assert (log.status_code, log.request_body) == (400, '{"id": 1}\\u0000')


def test_a_nul_body_to_an_unknown_platform_is_a_logged_404(client, connection):
    response = client.post(
        f"/api/v1/connectors/{connection.pk}/webhooks/next", data=b"\x00",
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    assert IntegrationCall.objects.get(direction="in").request_body == "\\u0000"
