"""HTTP adapter: parse, call one service or selector, serialise (docs/shipping.md, "Parcels and
packing")."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ordino.core.params import Code
from ordino.core.principal import principal_of
from ordino.shipping import selectors, services
from ordino.shipping.commands import BoxTypeSettings
from ordino.shipping.schemas import BoxTypeIn, BoxTypeOut, PackingOut

router = Router(tags=["shipping"])
fulfillment_router = Router(tags=["shipping"])  # a fulfillment order's packing proposal


def _writer(request: HttpRequest) -> str:
    """Box types are shared configuration: unrestricted tokens change them (like tax rates)."""
    principal = principal_of(request)
    principal.require("shipping:write")
    principal.scope.require_unrestricted("changing box types")
    return f"token:{principal.token.name}"


@router.get("/boxes", response=list[BoxTypeOut], summary="List box types")
def box_type_list(request: HttpRequest, location: Code | None = None, active: bool | None = None):
    principal_of(request).require("shipping:read")
    return list(selectors.box_type_list(location=location, active=active)[:500])


@router.get("/boxes/{code}", response=BoxTypeOut, summary="One box type")
def box_type_get(request: HttpRequest, code: str, location: Code | None = None):
    principal_of(request).require("shipping:read")
    return selectors.box_type_get(code=code, location=location)


@router.put("/boxes/{code}", response=BoxTypeOut, summary="Create or replace a box type")
def box_type_put(request: HttpRequest, code: str, payload: BoxTypeIn):
    actor = _writer(request)
    p = payload
    command = BoxTypeSettings(
        code=code,
        name=p.name,
        inner=(p.inner_length_mm, p.inner_width_mm, p.inner_height_mm),
        outer=(p.outer_length_mm, p.outer_width_mm, p.outer_height_mm),
        tare_g=p.tare_g,
        max_weight_g=p.max_weight_g,
        location=p.location,
        is_active=p.is_active,
        reason=p.reason,
    )
    return services.box_type_save(command=command, actor=actor)


@fulfillment_router.get(
    "/orders/{int:fo_id}/packing", response=PackingOut, summary="Boxes proposed for its items"
)
def fulfillment_packing(request: HttpRequest, fo_id: int):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    return selectors.fulfillment_packing_propose(fo_id=fo_id, scope=principal.scope)
