"""A small integration log over a week: Shopify webhooks failing on unknown SKUs, a
WooCommerce poll refused for its credentials, Stripe calls that went well."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ordino.core.domain.clock import clock_pinned
from ordino.integrations.services import integration_call_record

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def record(at: str, **fields):
    with clock_pinned(datetime.fromisoformat(at)):
        return integration_call_record(**fields)


@pytest.fixture
def calls(db) -> dict:
    shopify = {
        "direction": "in",
        "system": "shopify",
        "operation": "orders/create",
        "connection": "shop-1",
        "method": "POST",
        "status_code": 422,
        "ok": False,
        "endpoint": "/api/v1/channels/shop-1/webhooks",
    }
    made = {
        "sku1": record(
            "2026-11-29T08:00:00+00:00",
            **shopify,
            error="unknown SKU 'ABC-1'",
            correlation_id="w-1",
            request_headers={"X-Shopify-Hmac-Sha256": "h"},
            request_body={"id": 1, "token": "t"},
        ),
        "sku2": record(
            "2026-11-30T09:00:00+00:00",
            **shopify,
            error="unknown SKU 'XYZ-9'",
            correlation_id="w-2",
            object_type="channel_order",
            object_id="2",
        ),
        "sku3": record(
            "2026-12-01T10:00:00+00:00",
            **shopify,
            error="unknown SKU 'ABC-1'",
            correlation_id="w-3",
        ),
        "woo": record(
            "2026-11-30T11:00:00+00:00",
            direction="out",
            system="woocommerce",
            operation="orders.list",
            method="GET",
            status_code=401,
            ok=False,
            endpoint="https://shop.example/wp-json/wc/v3/orders",
            error="woocommerce_rest_cannot_view: invalid consumer key",
        ),
        "stripe": record(
            "2026-12-01T11:00:00+00:00",
            direction="out",
            system="stripe",
            operation="payment_intents.create",
            method="POST",
            status_code=200,
            ok=True,
            endpoint="https://api.stripe.com/v1/payment_intents",
            object_type="stripe_payment_intent",
            object_id="pi_1",
            correlation_id="pay-1-authorize",
        ),
        "old": record(
            "2026-10-01T11:00:00+00:00",
            direction="in",
            system="stripe",
            operation="webhook",
            status_code=400,
            ok=False,
            error="stripe_signature_invalid: No signatures found",
        ),
    }
    return made
