"""HTTP adapters of tracking (docs/shipping.md, "Tracking"):

- `GET /shipments/{id}/tracking`: a shipment's parcels, their status and timelines, under the
  `fulfillment:read` scope and the caller's reach;
- `POST /carriers/easypost/webhook` and `POST /carriers/shippo/webhook`: the aggregators'
  tracking webhooks, authenticated by their signature or token, not scoped (no bearer token).
  The body is read as bytes exactly as received, verified before it is parsed; every delivery,
  refused or not, is in the integration log (docs/integrations.md).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from ordino.core.principal import principal_of
from ordino.integrations.inbound import inbound_call_note
from ordino.shipping.tracking_selectors import shipment_tracking
from ordino.shipping.tracking_webhooks import (
    WebhookReceipt,
    easypost_webhook_receive,
    shippo_webhook_receive,
)

router = Router(tags=["shipping"])
carriers_router = Router(tags=["shipping"])


class TrackingEventOut(Schema):
    occurred_at: datetime
    status: str
    carrier_status: str
    carrier_substatus: str
    description: str
    location: str
    source: str


class ParcelOut(Schema):
    carrier: str
    tracking_number: str
    status: str
    status_label: str
    action_required: bool
    last_event_at: datetime | None
    delivered_at: datetime | None
    timeline: list[TrackingEventOut]


class ShipmentTrackingOut(Schema):
    shipment_id: int
    fulfillment_order_id: int
    order_id: int
    status: str
    action_required: bool
    parcels: list[ParcelOut]


class CarrierWebhookOut(Schema):
    received: bool
    outcome: str
    topic: str
    tracking_number: str
    status: str
    added: int
    duplicates: int


@router.get("/{int:shipment_id}/tracking", response=ShipmentTrackingOut,
            summary="A shipment's tracking")  # fmt: skip
def tracking_get(request: HttpRequest, shipment_id: int):
    """Each parcel of the shipment: its status (ours, docs/shipping.md), whether a person
    should act, and its carrier's events by time. The shipment's status is its least advanced
    parcel's. A shipment outside the caller's reach: 404."""
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return shipment_tracking(shipment_id=shipment_id, scope=principal.scope)


def _signed(header: str, where: str, description: str, refused: list[int]) -> dict:
    return {
        "security": [],
        "x-signed": header,
        "x-refused-statuses": refused,  # beside 400 and 503 (ordino/api.py: problem_statuses)
        "parameters": [{"name": header, "in": where, "required": True,
                        "schema": {"type": "string"}, "description": description}],
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                        "description": "The aggregator's tracking update, exactly as sent."},
    }  # fmt: skip


def _answer(request: HttpRequest, receipt: WebhookReceipt) -> dict:
    inbound_call_note(request, operation=receipt.topic or "webhook",
                      correlation_id=receipt.delivery_id,
                      object_type="tracker" if receipt.tracker_id else "",
                      object_id=receipt.tracker_id)  # fmt: skip
    return {"received": True, "outcome": receipt.outcome, "topic": receipt.topic,
            "tracking_number": receipt.tracking_number, "status": receipt.status,
            "added": receipt.added, "duplicates": receipt.duplicates}  # fmt: skip


@carriers_router.post(
    "/easypost/webhook", auth=None, response={200: CarrierWebhookOut},
    summary="Receive EasyPost's tracker events (signed)",
    openapi_extra=_signed("X-Hmac-Signature", "header",
                          "hmac-sha256-hex=<HMAC-SHA256 of the raw body with the secret>", [401]),
)  # fmt: skip
def easypost_webhook(request: HttpRequest):
    """EasyPost's `tracker.created` / `tracker.updated` Event: the Tracker's
    `tracking_details` recorded once each (a repeated delivery: `outcome: duplicate`). A
    signature that does not verify: 401 `easypost_signature_invalid`; no secret configured:
    503 `easypost_webhook_unconfigured`; a parcel Ordino does not track: 200
    `unknown_tracker`; another topic: 200 `ignored`."""
    inbound_call_note(request, system="easypost", operation="webhook", connection="easypost")
    receipt = easypost_webhook_receive(
        body=request.body, signature=request.headers.get("X-Hmac-Signature")
    )
    return _answer(request, receipt)


@carriers_router.post(
    "/shippo/webhook", auth=None, response={200: CarrierWebhookOut},
    summary="Receive Shippo's track_updated (token in the URL)",
    # 422: a query parameter given twice (core/api_edge.py)
    openapi_extra=_signed("token", "query", "The self-generated token of the webhook's URL.",
                          [401, 422]),
)  # fmt: skip
def shippo_webhook(request: HttpRequest):
    """Shippo's `track_updated`: its `tracking_history` recorded once each by `object_id`. A
    missing or wrong `?token=`: 401 `shippo_token_invalid`; no token configured: 503
    `shippo_webhook_unconfigured`; a parcel Ordino does not track: 200 `unknown_tracker`."""
    inbound_call_note(request, system="shippo", operation="webhook", connection="shippo")
    receipt = shippo_webhook_receive(body=request.body, token=request.GET.get("token"))
    return _answer(request, receipt)
