"""Reads of a location's shipping paper (docs/shipping.md, "Packing slips", "A day's
manifest"): a fulfillment order's packing slip and a carrier's manifest of a location's day,
from fulfillment's selectors (the fulfillment order and its lines; the shipments that left),
the latest rating or the packing proposal, each rendered as one document."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_get, fulfillments_serialize, shipments_shipped
from ordino.fulfillment.services.pickup import PICKUP_METHODS
from ordino.locations.selectors import location_address, location_get
from ordino.shipping.customs import shipment_customs
from ordino.shipping.documents.customs_pdf import customs_pdf
from ordino.shipping.documents.manifest_formats import manifest_csv, manifest_pdf
from ordino.shipping.documents.slip_pdf import packing_slip_pdf
from ordino.shipping.domain.manifests import Manifest, carrier_matches, manifest_make
from ordino.shipping.domain.slips import PackingSlip, SlipParcel, packing_slip_make, parcel_text
from ordino.shipping.domain.tracking import carrier_code
from ordino.shipping.labels.selectors import shipment_facts
from ordino.shipping.rating import rating_latest_of
from ordino.shipping.selectors import fulfillment_packing_propose

PAPERS = ("a4", "letter")
# manifest format → (media type, file suffix)
MANIFEST_FORMATS = {"pdf": ("application/pdf", "pdf"), "csv": ("text/csv; charset=utf-8", "csv")}


def packing_slip(*, fo_id: int, scope: Scope = UNRESTRICTED) -> PackingSlip:
    """The fulfillment order's packing slip; outside the caller's reach: 404
    `fulfillment_order_not_found`, as if it did not exist."""
    fo = fulfillment_get(fo_id=fo_id, scope=scope)
    data = fulfillments_serialize([fo])[0]
    parcels, source = _parcels(fo.pk, scope)
    return packing_slip_make(
        fo_id=fo.pk,
        order_number=fo.order.external_id,
        location=location_address(fo.location),
        ship_to=data["shipping_address"],
        collect_at=location_address(fo.order.pickup_location or fo.location)
        if fo.delivery_method in PICKUP_METHODS
        else None,
        lines=data["lines"],
        parcels=parcels,
        parcels_from=source,
        day=utcnow().date(),
    )


def _parcels(fo_id: int, scope: Scope) -> tuple[list[SlipParcel], str]:
    """The latest rating's parcels (the service it chose), else the packing proposal's boxes
    when the location has box types that take the open items, else none."""
    rating = rating_latest_of(fo_id)
    if rating is not None and rating.parcels:
        parcels = [
            parcel_text(p["length_cm"], p["width_cm"], p["height_cm"], _grams(p["weight_kg"]))
            for p in rating.parcels
        ]
        chosen = f": {rating.service_name}" if rating.service else ""
        return parcels, f"rated{chosen}"
    try:
        proposal = fulfillment_packing_propose(fo_id=fo_id, scope=scope)
    except DomainError:  # no box types, an item not measured or fitting no box: no proposal
        return [], ""
    parcels = []
    for p in proposal["parcels"]:
        sides = p["parcel"]
        items = ", ".join(f"{i['sku']} ×{i['quantity']}" for i in p["items"])
        parcels.append(parcel_text(sides["length_cm"], sides["width_cm"], sides["height_cm"],
                                   p["gross_weight_g"], f"{p['box']}: {items}"))  # fmt: skip
    return parcels, "packing proposal"


def _grams(kg: object) -> int:
    return int((Decimal(str(kg)) * 1000).to_integral_value(ROUND_CEILING))


def packing_slip_document(*, fo_id: int, paper: str = "a4", scope: Scope = UNRESTRICTED) -> bytes:
    return packing_slip_pdf(packing_slip(fo_id=fo_id, scope=scope), paper)


def shipment_customs_document(
    *, shipment_id: int, paper: str = "a4", scope: Scope = UNRESTRICTED
) -> tuple[bytes, str]:
    """The shipment's CN22 or CN23 as PDF, and which form it is (docs/shipping.md, "Customs")."""
    found = shipment_customs(shipment_id=shipment_id, scope=scope)
    return customs_pdf(found, paper), found.declaration.form


def location_day_manifest(
    *, location: str, carrier: str, day: date, scope: Scope = UNRESTRICTED
) -> Manifest:
    """Every parcel the location handed to the carrier that day (UTC), once each. A location
    outside the caller's reach: 404 `location_not_found`; a token limited to channels: 403
    `token_restricted` (the carrier takes every channel's parcels: a part would mislead)."""
    if not carrier_code(carrier) or len(carrier) > 64:
        raise DomainError(
            "invalid_carrier", "carrier is 1 to 64 characters with a letter or digit.",
            field="carrier",
        )  # fmt: skip
    place = location_get(code=location, scope=scope)
    if scope.channel_ids is not None:
        raise DomainError(
            "token_restricted",
            "This token is limited to some channels; a carrier's manifest lists every "
            "channel's parcels handed over at the location.",
            status=403,
        )
    start = datetime.combine(day, time.min, tzinfo=UTC)
    shipped = shipments_shipped(
        location_id=place.pk, start=start, end=start + timedelta(days=1), scope=scope
    )
    facts = [shipment_facts(s) for s in shipped if carrier_matches(s["carrier"], carrier)]
    return manifest_make(
        location=place.code, location_name=place.name, carrier=carrier, day=day, shipments=facts
    )


def manifest_carriers(*, location_id: int, day: date, scope: Scope = UNRESTRICTED) -> list[str]:
    """The carriers the location handed parcels to that day (UTC), each once by its code, as
    the first shipment named it: the store screen's manifest links."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    shipped = shipments_shipped(
        location_id=location_id, start=start, end=start + timedelta(days=1), scope=scope
    )
    named: dict[str, str] = {}
    for s in shipped:
        if carrier_code(s["carrier"]):
            named.setdefault(carrier_code(s["carrier"]), s["carrier"])
    return sorted(named.values(), key=str.casefold)


def manifest_render(manifest: Manifest, fmt: str, paper: str = "a4") -> tuple[bytes, str]:
    """The manifest in one document of the format, and its media type."""
    document = manifest_csv(manifest) if fmt == "csv" else manifest_pdf(manifest, paper)
    return document, MANIFEST_FORMATS[fmt][0]
