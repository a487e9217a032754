"""What WooCommerce sends, for the connector tests: its webhook headers, signed."""

from __future__ import annotations

import base64
import hashlib
import hmac

WOO_SECRET = "woo-webhook-secret"
WOO_URL = "https://shop.example.com"


def woo_signed(body: bytes, *, delivery: str, topic: str = "order.created") -> dict:
    """The headers Woo sends with `body`, as Django's test client takes them (HTTP_...)."""
    digest = hmac.new(WOO_SECRET.encode(), body, hashlib.sha256).digest()
    resource, _, event = topic.partition(".")
    return {
        "HTTP_X_WC_WEBHOOK_SIGNATURE": base64.b64encode(digest).decode(),
        "HTTP_X_WC_WEBHOOK_TOPIC": topic,
        "HTTP_X_WC_WEBHOOK_RESOURCE": resource,
        "HTTP_X_WC_WEBHOOK_EVENT": event,
        "HTTP_X_WC_WEBHOOK_DELIVERY_ID": delivery,
        "HTTP_X_WC_WEBHOOK_ID": "7",
        "HTTP_X_WC_WEBHOOK_SOURCE": f"{WOO_URL}/",
    }
