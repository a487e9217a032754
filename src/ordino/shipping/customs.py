"""A parcel's customs declaration from what the modules below and orders know (docs/shipping.md,
"Customs"): the fulfillment order's lines (fulfillment's selectors), each SKU's customs data
(catalog's selectors), what the customer paid for each line (orders, through the port
`order_lines_paid`). The rules are `domain/customs.py`'s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from ordino.catalog.selectors import skus_customs
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_get, fulfillments_serialize, shipment_read
from ordino.locations.selectors import location_address
from ordino.shipping import ports
from ordino.shipping.addresses import recipient_of, sender_of
from ordino.shipping.domain.contents import (
    Contents,
    contents_within,
    open_by_sku,
    units_by_line,
)
from ordino.shipping.domain.customs import (
    CustomsDeclaration,
    LineToDeclare,
    declaration_make,
    declaration_needed,
)
from ordino.shipping.domain.labels import address_lines


def customs_of_parcel(fo, contents: Contents = (), parcel: int = 1) -> CustomsDeclaration | None:
    """The declaration a label bought for the fulfillment order's parcel carries: the units
    the parcel holds, when said (docs/shipping.md, "What is in each parcel"), else every open
    unit (what is still to ship); None when the parcel crosses no customs border. Contents
    beyond the open units: 422 `parcel_contents_invalid`, naming parcel number `parcel`."""
    sender, recipient = sender_of(fo.location), recipient_of(fo.order.shipping_address)
    if not declaration_needed(sender.country, recipient.country):
        return None
    lines = fulfillments_serialize([fo])[0]["lines"]
    if not contents:
        return _declare(fo, lines, {line["line_no"]: line["quantity_open"] for line in lines})
    contents_within([contents], _open_by_sku(lines), parcel=parcel)
    open_lines = [(line["line_no"], line["sku"], line["quantity_open"]) for line in lines]
    return _declare(fo, lines, units_by_line(contents, open_lines))


def parcels_contents_check(fo, parcels: Sequence[Contents]) -> None:
    """The parcels' contents against the fulfillment order's open units (422
    `parcel_contents_invalid`); nothing to check when no parcel says what it holds."""
    if any(parcels):
        contents_within(parcels, _open_by_sku(fulfillments_serialize([fo])[0]["lines"]))


def _open_by_sku(lines: list[dict]) -> dict[str, int]:
    return open_by_sku((line["sku"], line["quantity_open"]) for line in lines)


@dataclass(frozen=True)
class CustomsPaper:
    """A shipment's CN22/CN23 as printed beside its labels."""

    shipment_id: int
    order_number: str
    tracking_numbers: tuple[str, ...]
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    day: date
    declaration: CustomsDeclaration


def shipment_customs(*, shipment_id: int, scope: Scope = UNRESTRICTED) -> CustomsPaper:
    """The shipment's customs form: the units it carried. Outside the caller's reach: 404
    `shipment_not_found`; a shipment that crossed no customs border: 409 `customs_not_needed`."""
    shipment = shipment_read(shipment_id=shipment_id, scope=scope)
    fo = fulfillment_get(fo_id=shipment["fulfillment_order_id"], scope=scope)
    sender, recipient = sender_of(fo.location), recipient_of(fo.order.shipping_address)
    if not declaration_needed(sender.country, recipient.country):
        raise DomainError(
            "customs_not_needed",
            f"Shipment {shipment_id} goes from {sender.country} to {recipient.country}: "
            "no customs border, no customs form.",
            status=409,
        )
    data = fulfillments_serialize([fo])[0]
    carried = next(s for s in data["shipments"] if s["id"] == shipment_id)
    units: dict[int, int] = {}
    for line in carried["lines"]:
        units[line["line_no"]] = units.get(line["line_no"], 0) + int(line["quantity"])
    return CustomsPaper(
        shipment_id=shipment_id,
        order_number=shipment["order_external_id"],
        tracking_numbers=tuple(shipment["tracking_numbers"]),
        sender=address_lines(location_address(fo.location), width=60, company=False),
        recipient=address_lines(data["shipping_address"] or {}, width=60, company=True),
        day=shipment["shipped_at"].date(),
        declaration=_declare(fo, data["lines"], units),
    )


def _declare(fo, lines: list[dict], units: dict[int, int]) -> CustomsDeclaration:
    paid = ports.order_lines_paid(order_id=fo.order_id)
    customs = skus_customs(codes={line["sku"] for line in lines})
    to_declare = []
    for line in lines:
        sku, price = customs.get(line["sku"]), paid["lines"][line["line_no"]]
        to_declare.append(
            LineToDeclare(
                sku=line["sku"],
                name=line["name"],
                quantity=units.get(line["line_no"], 0),
                ordered=price["ordered"],
                line_total=Decimal(price["total"]),
                hs_code=sku.hs_code if sku else "",
                origin_country=sku.origin_country if sku else "",
                description=sku.customs_description if sku else "",
                unit_weight_grams=sku.weight_grams if sku else None,
                unit_price=Decimal(price["unit_price"]),
            )
        )
    return declaration_make(
        lines=to_declare,
        currency=paid["currency"],
        signer=settings.ORDINO_CUSTOMS_SIGNER or fo.location.name,
        sender_country=fo.location.country,
        recipient_country=str((fo.order.shipping_address or {}).get("country") or ""),
        value_limit=settings.ORDINO_CUSTOMS_VALUE_LIMIT,
        cn22_limit=settings.ORDINO_CN22_VALUE_LIMIT,
    )
