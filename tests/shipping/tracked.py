"""Tracking's test helpers: an order captured and shipped through the API, the worker run,
carrier events made in our vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ordino.fulfillment.models import FulfillmentOrder
from ordino.shipping.domain.tracking import event_make
from tests.invoices.conftest import capture, worker_runs

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

__all__ = ["T0", "capture", "event", "shipped", "worker_runs"]


def event(status: str, minutes: int, *, eid: str = "", text: str = "", carrier_status=""):
    return event_make(status=status, occurred_at=T0 + timedelta(minutes=minutes),
                      description=text or status.replace("_", " "), location="Köln",
                      carrier_event_id=eid, carrier_status=carrier_status or status)  # fmt: skip


def shipped(api, shop, *, numbers=("JD0001",), carrier="DHL", external_id="W-1") -> dict:
    """An order captured, its fulfillment order shipped whole with `numbers`, the worker run
    (trackers made): the order, the fulfillment order and the shipment's ids."""
    order = capture(api, shop, external_id=external_id)
    fo = FulfillmentOrder.objects.get(order_id=order["id"])
    response = api.post(f"/fulfillment/orders/{fo.pk}/ship",
                        {"carrier": carrier, "tracking_numbers": list(numbers)})  # fmt: skip
    assert response.status_code == 200, response.content
    worker_runs()
    shipment_id = response.json()["shipments"][-1]["id"]
    return {"order_id": order["id"], "fo_id": fo.pk, "shipment_id": shipment_id}
