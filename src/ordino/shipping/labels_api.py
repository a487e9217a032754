"""HTTP adapter for shipping labels: a shipment's labels as one PDF or ZPL document, one label
per parcel (docs/shipping.md, "Labels"). Needs `fulfillment:read`; a shipment of a fulfillment
order outside the token's channels or locations answers 404, as if it did not exist."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router

from ordino.core.documents import PDF_CONTENT, document_response
from ordino.core.principal import principal_of
from ordino.core.problem import PROBLEM_CONTENT
from ordino.shipping.labels import selectors

router = Router(tags=["shipping"])  # mounted at /shipments


@router.get(
    "/{int:shipment_id}/labels",
    response={200: None},
    summary="A shipment's labels (PDF or ZPL)",
    openapi_extra={
        "responses": {
            200: {
                "description": "One 4×6 in label per parcel: a PDF page, or a ZPL II format "
                "(203 dpi), each with the Code 128 barcode of its tracking number",
                "content": {
                    **PDF_CONTENT,
                    "application/x-zpl": {"schema": {"type": "string"}},
                },
            },
            409: {
                "description": "One tracking number on two parcels (`duplicate_tracking_number`, "
                "naming both), or more parcels than a shipment has (`too_many_parcels`)",
                "content": PROBLEM_CONTENT,
            },
        }
    },
)
def shipment_labels(request: HttpRequest, shipment_id: int, format: Literal["pdf", "zpl"] = "pdf"):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    labels = selectors.shipment_labels(shipment_id=shipment_id, scope=principal.scope)
    document, media_type = selectors.labels_render(labels, format)
    suffix = selectors.FORMATS[format][1]
    return document_response(document, media_type, f"shipment-{shipment_id}-labels.{suffix}")
