"""A parcel's two ends as a carrier's API takes them: the location it leaves from and the
order's shipping address (docs/shipping.md, "Carrier adapters")."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError
from ordino.shipping.carriers.base import Address


def sender_of(location) -> Address:
    return Address(
        name=location.name,
        street1=location.address_line1,
        street2=location.address_line2,
        city=location.city,
        region=location.region,
        postal_code=location.postal_code,
        country=location.country,
        company=location.name,
    )


def recipient_of(address: dict | None) -> Address:
    a = address or {}
    if not a.get("country"):
        raise DomainError("address_required", "The order has no shipping address.", status=409)
    return Address(
        name=str(a.get("name") or ""),
        street1=str(a.get("line1") or ""),
        street2=str(a.get("line2") or ""),
        city=str(a.get("city") or ""),
        region=str(a.get("region") or ""),
        postal_code=str(a.get("postal_code") or ""),
        country=str(a["country"]),
        company=str(a.get("company") or ""),
        phone=str(a.get("phone") or ""),
        email=str(a.get("email") or ""),
    )
