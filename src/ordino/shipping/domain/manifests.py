"""A carrier's manifest of one location's day (docs/shipping.md, "A day's manifest"): every
parcel handed to the carrier, once, by shipment then parcel — its tracking number, weight,
the service, the recipient's city and country — and the totals (shipments, parcels, weight).
The parcels are the labels' (`labels.shipment_parcels`): what was labelled is what is handed
over. Plain values in; the PDF and CSV are `shipping/documents/manifest_formats.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ordino.shipping.domain.label_text import text_cut
from ordino.shipping.domain.labels import ShipmentFacts, shipment_parcels, tracking_once
from ordino.shipping.domain.tracking import carrier_code

CITY_WIDTH = 28
SERVICE_WIDTH = 24
REFERENCE_WIDTH = 24


@dataclass(frozen=True)
class ManifestRow:
    shipment_id: int
    order_reference: str
    tracking_number: str
    index: int
    count: int
    weight_grams: int | None
    service: str
    city: str
    country: str

    @property
    def parcel_text(self) -> str:
        return f"{self.index} of {self.count}"


@dataclass(frozen=True)
class Manifest:
    location: str  # the location's code
    location_name: str
    carrier: str  # the carrier as the shipments recorded it (the first one's)
    day: date
    rows: tuple[ManifestRow, ...]

    @property
    def shipments(self) -> int:
        return len({row.shipment_id for row in self.rows})

    @property
    def parcels(self) -> int:
        return len(self.rows)

    @property
    def weight_grams(self) -> int:
        """The parcels' weight where it was recorded (`unweighed` counts the others)."""
        return sum(row.weight_grams or 0 for row in self.rows)

    @property
    def unweighed(self) -> int:
        return sum(1 for row in self.rows if row.weight_grams is None)


def carrier_matches(recorded: str, asked: str) -> bool:
    """ "DHL", "dhl" and "D.H.L" are one carrier (tracking's `carrier_code`)."""
    return bool(carrier_code(asked)) and carrier_code(recorded) == carrier_code(asked)


def manifest_make(
    *, location: str, location_name: str, carrier: str, day: date,
    shipments: Sequence[ShipmentFacts],
) -> Manifest:  # fmt: skip
    """The manifest of these shipments (the location's day with the carrier): each parcel
    once, by shipment then parcel; a parcel the labels refuse (no tracking number, one a
    barcode cannot carry, one tracking number on two parcels) is refused here too."""
    facts = {s.shipment_id: s for s in shipments}
    rows = []
    for sid in sorted(facts):
        s = facts[sid]
        parcels = shipment_parcels(s)
        for index, (grams, tracking) in enumerate(parcels, start=1):
            rows.append(
                ManifestRow(
                    shipment_id=sid,
                    order_reference=text_cut(s.order_reference, REFERENCE_WIDTH),
                    tracking_number=tracking,
                    index=index,
                    count=len(parcels),
                    weight_grams=grams,
                    service=text_cut(s.service, SERVICE_WIDTH),
                    city=text_cut(str(s.recipient.get("city") or ""), CITY_WIDTH),
                    country=text_cut(str(s.recipient.get("country") or "").upper(), 2),
                )
            )
    tracking_once(rows, "a parcel is on the manifest once")
    recorded = facts[min(facts)].carrier if facts else carrier
    return Manifest(location, location_name, text_cut(recorded, 40), day, tuple(rows))
