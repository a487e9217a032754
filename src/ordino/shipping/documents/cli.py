"""`ordino shipping slip`, `ordino shipping manifest` and `ordino shipping customs`
(docs/shipping.md, "Packing slips", "A day's manifest", "Customs"): the shipping command's
parsers and handlers for a location's paper, kept here so the command stays one screen per
concern.

    ordino shipping slip FO_ID [--paper a4|letter] --out FILE
    ordino shipping manifest LOCATION CARRIER YYYY-MM-DD [--format pdf|csv]
        [--paper a4|letter] --out FILE
    ordino shipping customs SHIPMENT_ID [--paper a4|letter] --out FILE
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from ordino.shipping.documents.selectors import (
    MANIFEST_FORMATS,
    PAPERS,
    location_day_manifest,
    manifest_render,
    packing_slip_document,
    shipment_customs_document,
)


def documents_arguments(actions) -> None:
    slip = actions.add_parser("slip", help="a fulfillment order's packing slip (PDF)")
    slip.add_argument("fo_id", type=int)
    slip.add_argument("--paper", choices=PAPERS, default="a4")
    slip.add_argument("--out", required=True, help="the file to write")
    manifest = actions.add_parser("manifest", help="a carrier's manifest of a location's day")
    manifest.add_argument("location", help="the location's code")
    manifest.add_argument("carrier", help="the carrier, as shipments name it (DHL, ups, ...)")
    manifest.add_argument("date", type=date.fromisoformat, help="YYYY-MM-DD (UTC)")
    manifest.add_argument("--format", choices=sorted(MANIFEST_FORMATS), default="pdf")
    manifest.add_argument("--paper", choices=PAPERS, default="a4")
    manifest.add_argument("--out", required=True, help="the file to write")
    customs = actions.add_parser("customs", help="a shipment's CN22/CN23 customs form (PDF)")
    customs.add_argument("shipment_id", type=int)
    customs.add_argument("--paper", choices=PAPERS, default="a4")
    customs.add_argument("--out", required=True, help="the file to write")


def slip_write(options) -> str:
    document = packing_slip_document(fo_id=options["fo_id"], paper=options["paper"])
    _write(options["out"], document)
    return f"Wrote the packing slip of fulfillment order {options['fo_id']} to {options['out']}."


def manifest_write(options) -> str:
    manifest = location_day_manifest(
        location=options["location"], carrier=options["carrier"], day=options["date"]
    )
    document, _ = manifest_render(manifest, options["format"], options["paper"])
    _write(options["out"], document)
    return (
        f"Wrote the {manifest.carrier} manifest of {manifest.location} on {manifest.day}: "
        f"{manifest.shipments} shipment(s), {manifest.parcels} parcel(s), to {options['out']}."
    )


def customs_write(options) -> str:
    document, form = shipment_customs_document(
        shipment_id=options["shipment_id"], paper=options["paper"]
    )
    _write(options["out"], document)
    return f"Wrote the {form} of shipment {options['shipment_id']} to {options['out']}."


def _write(path: str, document: bytes) -> None:
    try:
        Path(path).write_bytes(document)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
