"""`{% load shipping_customs %}`: `{% if fo|crosses_customs %}`, whether a fulfillment order's
parcels cross a customs border (docs/shipping.md, "Customs"): the store screen's customs form
link beside a shipment's labels."""

from __future__ import annotations

from django import template

from ordino.shipping.domain.customs import declaration_needed

register = template.Library()


@register.filter
def crosses_customs(fo) -> bool:
    destination = str((fo.order.shipping_address or {}).get("country") or "")
    return bool(destination) and declaration_needed(fo.location.country, destination)
