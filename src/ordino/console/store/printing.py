"""Paper for the stockroom: a pick list (the items of one or many fulfillment orders of a
location, by SKU) and a packing slip (one fulfillment order: ship-to address, items). Plain
pages outside the console's frame, laid out for `@media print`. And, as the API serves them, a
shipment's labels (PDF or ZPL, docs/shipping.md, "Labels") and the packing slip as a PDF
("Packing slips")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_view
from ordino.console.store import queue
from ordino.console.store.barcode import barcode_svg
from ordino.console.store.views import chosen_location, fo_reached, may_see
from ordino.core.documents import document_response, refusal_text
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.fulfillment.domain import status as fs
from ordino.shipping.documents.selectors import (
    PAPERS,
    packing_slip_document,
    shipment_customs_document,
)
from ordino.shipping.labels.selectors import FORMATS, labels_render, shipment_labels

MAX_ORDERS_ON_A_LIST = 200
TO_PICK = (fs.OPEN, fs.ACCEPTED, fs.PICKING)


@dataclass
class PickRow:
    sku: str
    name: str
    barcode: str
    quantity: int = 0
    orders: list[str] = field(default_factory=list)

    @property
    def scan(self):
        return barcode_svg(self.barcode or self.sku, height=28, module=1)


def pick_rows(cards: list[queue.Card]) -> list[PickRow]:
    """Open items grouped by SKU, with the order numbers that want them (sorted by SKU: the
    stockroom walks its shelves in SKU order when no bin is recorded)."""
    rows: dict[str, PickRow] = {}
    for card in cards:
        for item in card.items:
            if not item.open:
                continue
            row = rows.setdefault(item.sku, PickRow(item.sku, item.name, item.barcode))
            row.quantity += item.open
            number = card.fo.order.external_id
            if number not in row.orders:
                row.orders.append(number)
    return [rows[sku] for sku in sorted(rows)]


@console_view
def pick_list(request: HttpRequest) -> HttpResponse:
    """`?location=CODE` and either `fo=<id>` (repeatable) or every order still to pick there."""
    may_see(request)
    scope = console_principal(request).scope
    location, _ = chosen_location(request, scope)
    if location is None:
        raise Http404("No location for you.")
    fos = queue.queue(scope, location).filter(location=location, status__in=TO_PICK)
    wanted = [int(i) for i in request.GET.getlist("fo") if i.isdigit()]
    if wanted:
        fos = fos.filter(pk__in=wanted)
    fos = list(fos.select_related("order__customer").order_by("created_at", "pk"))
    cards = queue.cards_of(fos[:MAX_ORDERS_ON_A_LIST])
    context = {
        "location": location,
        "rows": pick_rows(cards),
        "cards": cards,
        "printed_at": utcnow(),
        "title": f"Pick list · {location.name}",
    }
    return TemplateResponse(request, "console/store/pick_list.html", context)


@console_view
def packing_slip(request: HttpRequest, fo_id: int) -> HttpResponse:
    fo = fo_reached(request, fo_id)
    (card,) = queue.cards_of([fo])
    order = fo.order
    ship_to = order.shipping_address
    if fo.delivery_method in queue.PICKUP_METHODS:
        ship_to = None  # collected at the counter: the store's name stands in for an address
    context = {
        "card": card,
        "fo": fo,
        "order": order,
        "ship_to": ship_to,
        "counter": order.pickup_location or fo.location,
        "printed_at": utcnow(),
        "title": f"Packing slip · {order.external_id}",
    }
    return TemplateResponse(request, "console/store/packing_slip.html", context)


@console_view
def shipment_labels_view(request: HttpRequest, shipment_id: int) -> HttpResponse:
    """`?format=pdf|zpl`: the shipment's labels if the user sees its fulfillment order (404
    else); a label that cannot be printed answers 422 with the reason, naming the package."""
    may_see(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in FORMATS:
        raise Http404("No such label format.")
    scope = console_principal(request).scope
    try:
        labels = shipment_labels(shipment_id=shipment_id, scope=scope)
    except NotFound:
        raise Http404("No such shipment.") from None
    except DomainError as refused:
        return refusal_text(refused, 422)
    document, media_type = labels_render(labels, fmt)
    name = f"shipment-{shipment_id}-labels.{FORMATS[fmt][1]}"
    return document_response(document, media_type, name)


@console_view
def shipment_customs_view(request: HttpRequest, shipment_id: int) -> HttpResponse:
    """`?paper=a4|letter`: the shipment's CN22/CN23 as the API's PDF (docs/shipping.md,
    "Customs") if the user sees its fulfillment order (404 else); a form that cannot be made
    (no customs border, customs data missing) answers with the reason as text."""
    may_see(request)
    paper = request.GET.get("paper", "a4")
    if paper not in PAPERS:
        raise Http404("No such paper.")
    scope = console_principal(request).scope
    try:
        document, form = shipment_customs_document(
            shipment_id=shipment_id, paper=paper, scope=scope
        )
    except NotFound:
        raise Http404("No such shipment.") from None
    except DomainError as refused:
        return refusal_text(refused)
    return document_response(document, "application/pdf", f"shipment-{shipment_id}-{form}.pdf")


@console_view
def packing_slip_pdf(request: HttpRequest, fo_id: int) -> HttpResponse:
    """`?paper=a4|letter`: the fulfillment order's packing slip as the API's PDF, if the user
    sees the fulfillment order (404 else)."""
    may_see(request)
    paper = request.GET.get("paper", "a4")
    if paper not in PAPERS:
        raise Http404("No such paper.")
    try:
        document = packing_slip_document(
            fo_id=fo_id, paper=paper, scope=console_principal(request).scope
        )
    except NotFound:
        raise Http404("No such fulfillment order.") from None
    return document_response(document, "application/pdf", f"packing-slip-{fo_id}.pdf")
