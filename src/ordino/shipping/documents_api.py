"""HTTP adapter for a location's shipping paper (docs/shipping.md, "Packing slips", "A day's
manifest", "Customs"): a fulfillment order's packing slip (PDF), a carrier's manifest of a
location's day (PDF or CSV) and a shipment's CN22/CN23 customs form (PDF). All need
`fulfillment:read`; what lies outside the token's reach answers 404 as if it did not exist."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Router

from ordino.core.documents import PDF_CONTENT as PDF
from ordino.core.documents import document_response
from ordino.core.principal import principal_of
from ordino.core.problem import PROBLEM_CONTENT as PROBLEM
from ordino.shipping.documents import selectors
from ordino.shipping.domain.tracking import carrier_code

slips_router = Router(tags=["shipping"])  # mounted at /fulfillment
manifests_router = Router(tags=["shipping"])  # mounted at /shipping
customs_router = Router(tags=["shipping"])  # mounted at /shipments
Paper = Literal["a4", "letter"]


@slips_router.get(
    "/orders/{int:fo_id}/packing-slip",
    response={200: None},
    summary="A fulfillment order's packing slip (PDF)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The order number, ship-to address, location, every line (to "
                "pack, shipped so far), the parcels rated or proposed, and the fulfillment "
                "order's reference as a Code 128 barcode; as many pages as the lines take",
                "content": PDF,
            }
        }
    },
)
def packing_slip(request: HttpRequest, fo_id: int, paper: Paper = "a4"):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    body = selectors.packing_slip_document(fo_id=fo_id, paper=paper, scope=principal.scope)
    return document_response(body, "application/pdf", f"packing-slip-{fo_id}.pdf")


@manifests_router.get(
    "/manifests/{location}/{carrier}/{date}",
    response={200: None},
    summary="A carrier's manifest of a location's day (PDF or CSV)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Every parcel the location handed to the carrier that UTC day, "
                "once: tracking number, weight, service, recipient's city and country; the "
                "totals (shipments, parcels, weight)",
                "content": {**PDF, "text/csv": {"schema": {"type": "string"}}},
            },
            409: {
                "description": "One tracking number on two parcels "
                "(`duplicate_tracking_number`, naming both)",
                "content": PROBLEM,
            },
        }
    },
)
def manifest(
    request: HttpRequest,
    location: str,
    carrier: str,
    date: date,
    format: Literal["pdf", "csv"] = "pdf",
    paper: Paper = "a4",
):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    found = selectors.location_day_manifest(
        location=location, carrier=carrier, day=date, scope=principal.scope
    )
    body, media_type = selectors.manifest_render(found, format, paper)
    suffix = selectors.MANIFEST_FORMATS[format][1]
    name = f"manifest-{found.location}-{carrier_code(carrier)}-{date.isoformat()}.{suffix}"
    return document_response(body, media_type, name)


@customs_router.get(
    "/{int:shipment_id}/customs",
    response={200: None},
    summary="A shipment's customs declaration, CN22 or CN23 (PDF)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The CN22 (CN23 past 300 in the order's currency or 4 items): "
                "sender, addressee, every item with its quantity, net weight, value, HS tariff "
                "number and country of origin, the totals, the signer",
                "content": PDF,
            },
            409: {
                "description": "The shipment crossed no customs border (`customs_not_needed`)",
                "content": PROBLEM,
            },
            422: {
                "description": "A SKU without HS code, origin or weight "
                "(`customs_data_missing`, naming each), a value past the limit "
                "(`customs_value_over_limit`)",
                "content": PROBLEM,
            },
        }
    },
)
def shipment_customs(
    request: HttpRequest, shipment_id: int, format: Literal["pdf"] = "pdf", paper: Paper = "a4"
):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    body, form = selectors.shipment_customs_document(
        shipment_id=shipment_id, paper=paper, scope=principal.scope
    )
    return document_response(body, "application/pdf", f"shipment-{shipment_id}-{form}.pdf")
