"""Shopify as the tests and benchmarks see it, shared by both (bench/connector_replay.py imports
it; never pytest): the shop's secrets, the fixture order, and a signer of webhooks as Shopify
signs them (base64 HMAC-SHA256 of the raw body with the app's secret)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

SECRET = "shpss_test-app-secret"
TOKEN = "shpat_test-access-token"
SHOP_URL = "https://ordino-test.myshopify.com"
ORDERS_URL = f"{SHOP_URL}/admin/api/2025-01/orders.json"
ORDER = json.loads((Path(__file__).parent / "fixtures" / "shopify_order.json").read_text())


def shopify_order(**changes) -> dict:
    order = copy.deepcopy(ORDER)
    order.update(changes)
    return order


def signed(body: bytes, *, topic="orders/create", delivery="d-1", secret=SECRET) -> dict:
    """The headers Shopify sends with `body`, as Django's test client takes them (HTTP_...)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "HTTP_X_SHOPIFY_HMAC_SHA256": base64.b64encode(digest).decode(),
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_WEBHOOK_ID": delivery,
        "HTTP_X_SHOPIFY_SHOP_DOMAIN": "ordino-test.myshopify.com",
        "HTTP_X_SHOPIFY_TRIGGERED_AT": "2026-11-30T15:16:00Z",
    }
