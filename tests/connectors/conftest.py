"""A Shopify connection on the shop's `web` channel, and a signer of webhooks as Shopify signs
them (base64 HMAC-SHA256 of the raw body with the app's secret)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from ordino.connectors.services import ConnectionSettings, connection_create
from tests.factories import stock

SECRET = "shpss_test-app-secret"
TOKEN = "shpat_test-access-token"
SHOP_URL = "https://ordino-test.myshopify.com"
ORDER = json.loads((Path(__file__).parent / "fixtures" / "shopify_order.json").read_text())


def shopify_order(**changes) -> dict:
    order = copy.deepcopy(ORDER)
    order.update(changes)
    return order


def signed(body: bytes, *, topic="orders/create", delivery="d-1", secret=SECRET) -> dict:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "HTTP_X_SHOPIFY_HMAC_SHA256": base64.b64encode(digest).decode(),
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_WEBHOOK_ID": delivery,
        "HTTP_X_SHOPIFY_SHOP_DOMAIN": "ordino-test.myshopify.com",
        "HTTP_X_SHOPIFY_TRIGGERED_AT": "2026-11-30T15:16:00Z",
    }


@pytest.fixture
def connection(shop):
    for sku in ("TEE", "MUG", "CAP"):
        stock(shop["wh_a"], shop[sku], 20)
    return connection_create(
        channel="web",
        values=ConnectionSettings(
            platform="shopify", base_url=SHOP_URL, access_token=TOKEN, webhook_secret=SECRET,
            poll_interval_seconds=300,
        ),
    )  # fmt: skip


@pytest.fixture
def deliver(client, connection):
    """POST a Shopify webhook to the connection's URL, signed unless told otherwise."""

    def send(payload, *, topic="orders/create", delivery="d-1", headers=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        sent = signed(body, topic=topic, delivery=delivery) if headers is None else headers
        return client.post(
            f"/api/v1/connectors/{connection.pk}/webhooks/shopify",
            data=body, content_type="application/json", **sent,
        )  # fmt: skip

    return send
