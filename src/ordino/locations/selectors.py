"""Reads of locations."""

from __future__ import annotations

from django.db.models import QuerySet

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.locations.models import Location, LocationGroup


def location_list(
    *,
    scope: Scope = UNRESTRICTED,
    kind: str | None = None,
    group: str | None = None,
    ships: bool | None = None,
    pickup: bool | None = None,
    country: str | None = None,
    active: bool | None = None,
) -> QuerySet[Location]:
    """Locations within the caller's scope (a channel limit does not hide locations)."""
    qs = Location.objects.prefetch_related("groups")
    if scope.location_ids is not None:
        qs = qs.filter(id__in=scope.location_ids)
    if kind:
        qs = qs.filter(kind=kind)
    if group:
        qs = qs.filter(groups__code=group)
    if ships is not None:
        qs = qs.filter(ships=ships)
    if pickup is not None:
        qs = qs.filter(pickup=pickup)
    if country:
        qs = qs.filter(country=country.strip().upper())
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def location_get(*, code: str, scope: Scope = UNRESTRICTED) -> Location:
    """The location, or NotFound also when the caller may not see it."""
    location = location_list(scope=scope).filter(code=code).first()
    if location is None:
        raise NotFound("location", code)
    return location


def location_address(place: Location) -> dict[str, str]:
    """The location's name and postal address as a plain mapping (the keys of an order's
    shipping address): what labels, packing slips and return labels print."""
    return {
        "code": place.code,
        "name": place.name,
        "line1": place.address_line1,
        "line2": place.address_line2,
        "postal_code": place.postal_code,
        "city": place.city,
        "region": place.region,
        "country": place.country,
    }


def location_group_list() -> QuerySet[LocationGroup]:
    return LocationGroup.objects.all()
