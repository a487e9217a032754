"""A Shopify connection on the shop's `web` channel, and `deliver`: a webhook POSTed to it, signed
as Shopify signs it (the builders: tests/connectors/shopify.py)."""

from __future__ import annotations

import json

import pytest

from ordino.connectors.services import ConnectionSettings, connection_create
from tests.connectors.shopify import SECRET, SHOP_URL, TOKEN, signed
from tests.factories import stock


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
