"""Carrier webhooks in (docs/shipping.md, "Tracking: carrier webhooks"): EasyPost's tracker
events and Shippo's `track_updated`, authenticated, read, and recorded through
`tracking_events_record` (each event once: a repeated delivery records nothing).

Refusals change nothing (the API's write middleware rolls the request back) and are logged all
the same by the integration log's middleware: no secret configured 503, a bad signature or
token 401, a body that is not a tracking update 400. A parcel Ordino does not track, or a topic
it does not act on, is answered 200 (`outcome`), so the aggregator does not retry it for days.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings

from ordino.core.domain.errors import DomainError, NotFound
from ordino.shipping.domain.tracking_payloads import (
    TrackingUpdate,
    easypost_parse,
    easypost_verify,
    shippo_parse,
    shippo_verify,
)
from ordino.shipping.tracking import tracking_events_record
from ordino.shipping.tracking_selectors import tracker_find

# the topics that carry a tracker's events; any other is acknowledged and ignored
EASYPOST_TOPICS = frozenset({"tracker.created", "tracker.updated"})
SHIPPO_TOPICS = frozenset({"track_updated"})


@dataclass(frozen=True)
class WebhookReceipt:
    outcome: str  # recorded, duplicate, unknown_tracker, ignored
    topic: str
    delivery_id: str = ""
    carrier: str = ""
    tracking_number: str = ""
    tracker_id: int | None = None
    status: str = ""
    added: int = 0
    duplicates: int = 0


def _secret(name: str, source: str) -> str:
    secret = str(getattr(settings, name, "") or "")
    if not secret:
        raise DomainError(f"{source}_webhook_unconfigured",
                          f"{source.capitalize()} webhooks are not configured: set {name}.",
                          status=503)  # fmt: skip
    return secret


def _json(body: bytes) -> object:
    if b"\x00" in body:  # PostgreSQL's text cannot hold it, and no tracking update has one
        raise DomainError("tracking_payload_invalid", "The body holds a NUL character.", status=400)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise DomainError("tracking_payload_invalid", "The body is not JSON.", status=400) from None


def easypost_webhook_receive(*, body: bytes, signature: str | None) -> WebhookReceipt:
    """EasyPost's Event, verified by `X-Hmac-Signature` over the raw body."""
    secret = _secret("ORDINO_EASYPOST_WEBHOOK_SECRET", "easypost")
    if not easypost_verify(body, signature, secret):
        raise DomainError("easypost_signature_invalid",
                          "X-Hmac-Signature does not match the body: not from EasyPost.",
                          status=401)  # fmt: skip
    payload = _json(body)
    topic = str(payload.get("description") or "") if isinstance(payload, dict) else ""
    if topic not in EASYPOST_TOPICS:
        return WebhookReceipt("ignored", topic[:64])
    return _record(easypost_parse(payload), "easypost")


def shippo_webhook_receive(*, body: bytes, token: str | None) -> WebhookReceipt:
    """Shippo's `track_updated`, authenticated by the token in the webhook URL's query."""
    expected = _secret("ORDINO_SHIPPO_WEBHOOK_TOKEN", "shippo")
    if not shippo_verify(token, expected):
        raise DomainError("shippo_token_invalid",
                          "The webhook URL's token is missing or wrong: not from Shippo.",
                          status=401)  # fmt: skip
    payload = _json(body)
    topic = str(payload.get("event") or "") if isinstance(payload, dict) else ""
    if topic not in SHIPPO_TOPICS:
        return WebhookReceipt("ignored", topic[:64])
    return _record(shippo_parse(payload), "shippo")


def _record(update: TrackingUpdate, source: str) -> WebhookReceipt:
    known = dict(topic=update.topic, delivery_id=update.delivery_id, carrier=update.carrier,
                 tracking_number=update.tracking_number)  # fmt: skip
    try:  # looked up before any write: an unknown parcel leaves the transaction sound
        tracker_find(carrier=update.carrier, tracking_number=update.tracking_number)
    except NotFound:
        return WebhookReceipt("unknown_tracker", **known)
    recorded = tracking_events_record(carrier=update.carrier,
                                      tracking_number=update.tracking_number,
                                      events=update.events, source=source)  # fmt: skip
    return WebhookReceipt(
        "recorded" if recorded.added else "duplicate", tracker_id=recorded.tracker.pk,
        status=recorded.tracker.status, added=recorded.added, duplicates=recorded.duplicates,
        **known,
    )  # fmt: skip
