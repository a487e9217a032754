"""Reads of shipping labels (docs/shipping.md, "Labels"): a shipment's labels, and a location's
labels of one day, made from what fulfillment recorded (its selectors: the shipment, its
fulfillment order's location and its order's shipping address), in one format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import shipment_read, shipments_shipped
from ordino.locations.selectors import location_get
from ordino.shipping.domain.labels import LabelContent, PackageFacts, ShipmentFacts, labels_of
from ordino.shipping.labels.pdf import labels_pdf
from ordino.shipping.labels.zpl import labels_zpl

# format → (media type, file suffix, renderer)
FORMATS: dict[str, tuple[str, str, Callable[[Sequence[LabelContent]], bytes]]] = {
    "pdf": ("application/pdf", "pdf", labels_pdf),
    "zpl": ("application/x-zpl", "zpl", labels_zpl),
}


def shipment_labels(*, shipment_id: int, scope: Scope = UNRESTRICTED) -> list[LabelContent]:
    """One label per parcel of the shipment; outside the caller's reach: 404
    `shipment_not_found`, as if it did not exist."""
    return labels_of([shipment_facts(shipment_read(shipment_id=shipment_id, scope=scope))])


def location_day_labels(
    *, location: str, day: date, scope: Scope = UNRESTRICTED
) -> list[LabelContent]:
    """Every parcel's label of the shipments that left the location on that day (UTC), by
    shipment then parcel, each once."""
    place = location_get(code=location, scope=scope)
    start = datetime.combine(day, time.min, tzinfo=UTC)
    shipped = shipments_shipped(
        location_id=place.pk, start=start, end=start + timedelta(days=1), scope=scope
    )
    return labels_of([shipment_facts(s) for s in shipped])


def labels_render(labels: Sequence[LabelContent], fmt: str) -> tuple[bytes, str]:
    """The labels in one document of the format, and its media type."""
    media_type, _, render = FORMATS[fmt]
    return render(labels), media_type


def shipment_facts(shipment: dict) -> ShipmentFacts:
    """A shipment as fulfillment's selectors read it, as its labels (and manifest) see it."""
    return ShipmentFacts(
        shipment_id=shipment["id"],
        order_reference=f"Order {shipment['order_external_id']}",
        carrier=shipment["carrier"],
        service=shipment["service"],
        sender=shipment["location"],
        recipient=shipment["shipping_address"],
        day=shipment["shipped_at"].astimezone(UTC).date(),
        tracking_numbers=tuple(shipment["tracking_numbers"]),
        packages=tuple(
            PackageFacts(p.get("weight_grams"), str(p.get("tracking_number") or ""))
            for p in shipment["packages"]
        ),
    )
