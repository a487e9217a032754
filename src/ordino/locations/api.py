"""HTTP adapter: parse, call one service or selector, serialise."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code, Country
from ordino.core.principal import principal_of
from ordino.locations import selectors, services
from ordino.locations.schemas import (
    LocationGroupIn,
    LocationGroupOut,
    LocationIn,
    LocationOut,
    LocationPatch,
)

router = Router(tags=["locations"])
# Groups live beside locations, not under /locations/, so that no location code can ever be
# mistaken for a groups endpoint (a fuzzer asked GET /locations/groups as a location).
groups_router = Router(tags=["locations"])


def _writer(request: HttpRequest, what: str) -> None:
    """Locations and groups steer sourcing for the whole network: unrestricted tokens change
    them."""
    principal = principal_of(request)
    principal.require("locations:write")
    principal.scope.require_unrestricted(what)


@groups_router.post("", response={201: LocationGroupOut}, summary="Create a location group")
def location_group_create(request: HttpRequest, payload: LocationGroupIn):
    _writer(request, "creating a location group")
    return Status(201, services.location_group_create(**payload.model_dump()))


@groups_router.get("", response=Page[LocationGroupOut], summary="List location groups")
def location_group_list(request: HttpRequest, page: Query[PageParams]):
    principal_of(request).require("locations:read")
    return paginate(selectors.location_group_list(), page)


@router.post("", response={201: LocationOut}, summary="Create a location")
def location_create(request: HttpRequest, payload: LocationIn):
    _writer(request, "creating a location")
    location = services.location_create(**payload.model_dump())
    return Status(201, selectors.location_get(code=location.code))


@router.get("", response=Page[LocationOut], summary="List locations")
def location_list(
    request: HttpRequest,
    page: Query[PageParams],
    kind: Literal["warehouse", "store", "dropship"] | None = None,
    group: Code | None = None,
    ships: bool | None = None,
    pickup: bool | None = None,
    country: Country | None = None,
    active: bool | None = None,
):
    principal = principal_of(request)
    principal.require("locations:read")
    qs = selectors.location_list(
        scope=principal.scope,
        kind=kind,
        group=group,
        ships=ships,
        pickup=pickup,
        country=country,
        active=active,
    )
    return paginate(qs, page)


@router.get("/{code}", response=LocationOut, summary="Get a location")
def location_get(request: HttpRequest, code: str):
    principal = principal_of(request)
    principal.require("locations:read")
    return selectors.location_get(code=code, scope=principal.scope)


@router.patch("/{code}", response=LocationOut, summary="Change a location")
def location_update(request: HttpRequest, code: str, payload: LocationPatch):
    principal = principal_of(request)
    principal.require("locations:write")
    location = selectors.location_get(code=code, scope=principal.scope)
    principal.scope.require_unrestricted("changing a location")
    services.location_update(location=location, **payload.model_dump(exclude_unset=True))
    return selectors.location_get(code=code)
