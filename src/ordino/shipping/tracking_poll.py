"""Polling a parcel's tracking through a carrier account (docs/shipping.md, "Carrier adapters"):
the adapter's `track` (EasyPost's tracker, Shippo's track) read into our vocabulary and recorded
as a webhook's events are, each once, the status only forward (`tracking_events_record`)."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError
from ordino.shipping.carrier_accounts import carrier_account_get, carrier_adapter
from ordino.shipping.carriers.base import CarrierRefused, CarrierUnanswered
from ordino.shipping.tracking import Recorded, tracking_events_record


def tracking_poll(*, account: str, carrier: str, tracking_number: str) -> Recorded:
    """Ask the account's provider for the parcel's events and record them; 404
    `tracker_not_found` for a parcel Ordino does not track, nothing recorded."""
    adapter = carrier_adapter(carrier_account_get(code=account))
    try:
        update = adapter.track(carrier, tracking_number)
    except CarrierUnanswered:
        raise DomainError(
            "carrier_unanswered", "The carrier did not answer: poll again.", status=409
        ) from None
    except CarrierRefused as exc:
        raise DomainError(exc.code, exc.message, status=409) from None
    return tracking_events_record(
        carrier=update.carrier,
        tracking_number=update.tracking_number,
        events=update.events,
        source=adapter.name,
    )
