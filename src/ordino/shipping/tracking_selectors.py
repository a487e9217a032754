"""Reads of tracking: a shipment's parcels, their status and timelines (docs/shipping.md,
"Tracking"), for the API and `ordino shipping track`."""

from __future__ import annotations

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_list
from ordino.shipping.domain.tracking import carrier_code, tracking_number_clean
from ordino.shipping.domain.tracking_maps import STATUSES
from ordino.shipping.models import Tracker, TrackingEvent


def tracker_find(*, carrier: str, tracking_number: str, lock: bool = False) -> Tracker:
    """The tracker of (carrier, number); when the carrier's name differs (an aggregator's code
    for a name typed by hand), the one tracker with that number. Else 404."""
    number = tracking_number_clean(tracking_number)
    trackers = Tracker.objects.select_for_update() if lock else Tracker.objects.all()
    found = trackers.filter(carrier=carrier_code(carrier), tracking_number=number).first()
    if found is None:
        same_number = list(trackers.filter(tracking_number=number)[:2])
        found = same_number[0] if len(same_number) == 1 else None
    if found is None:
        raise NotFound("tracker", f"{carrier} {number}")
    return found


def tracker_serialize(tracker: Tracker) -> dict:
    """One parcel: its status in words, whether a person should act, its timeline by time."""
    events = TrackingEvent.objects.filter(tracker=tracker).order_by("occurred_at", "id")
    return {
        "carrier": tracker.carrier,
        "tracking_number": tracker.tracking_number,
        "status": tracker.status,
        "status_label": STATUSES[tracker.status].label,
        "action_required": tracker.action_required,
        "last_event_at": tracker.last_event_at,
        "delivered_at": tracker.delivered_at,
        "timeline": [
            {
                "occurred_at": e.occurred_at,
                "status": e.status,
                "carrier_status": e.carrier_status,
                "carrier_substatus": e.carrier_substatus,
                "description": e.description,
                "location": e.location,
                "source": e.source,
            }
            for e in events
        ],
    }


def shipment_tracking(*, shipment_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """A shipment's tracking, if the caller reaches its fulfillment order (else 404, as if it
    did not exist). The shipment's status is its least advanced parcel's."""
    fo = fulfillment_list(scope=scope).filter(shipments__id=shipment_id).first()
    if fo is None:
        raise NotFound("shipment", shipment_id)
    parcels = [tracker_serialize(t) for t in Tracker.objects.filter(shipment_id=shipment_id)]
    least = min((p["status"] for p in parcels), key=lambda s: STATUSES[s].rank, default=None)
    return {
        "shipment_id": shipment_id,
        "fulfillment_order_id": fo.pk,
        "order_id": fo.order_id,
        "status": least or "unknown",
        "action_required": any(p["action_required"] for p in parcels),
        "parcels": parcels,
    }


def tracker_tracking(*, carrier: str, tracking_number: str) -> dict:
    """One parcel's tracking by carrier and number (the command line)."""
    return tracker_serialize(tracker_find(carrier=carrier, tracking_number=tracking_number))
