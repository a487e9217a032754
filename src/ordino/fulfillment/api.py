"""HTTP adapter for location staff: their queue, and every step of their part of an order."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from ordino.core.domain.scope import Scope
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import principal_of
from ordino.fulfillment import selectors, services
from ordino.fulfillment.schemas import (
    FulfillmentFilters,
    FulfillmentOut,
    HoldIn,
    PickedUpIn,
    ReadyIn,
    RejectIn,
    RejectOut,
    ShipIn,
)

router = Router(tags=["fulfillment"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


def _writer(request: HttpRequest) -> Scope:
    """The caller's scope, once it holds `fulfillment:write`; services check each step's reach."""
    principal = principal_of(request)
    principal.require("fulfillment:write")
    return principal.scope


def _answer(request: HttpRequest, fo_id: int) -> dict:
    fo = selectors.fulfillment_get(fo_id=fo_id, scope=principal_of(request).scope)
    return selectors.fulfillments_serialize([fo])[0]


@router.get("/orders", response=Page[FulfillmentOut], summary="A location's queue")
def fulfillment_list(
    request: HttpRequest, filters: Query[FulfillmentFilters], page: Query[PageParams]
):
    principal = principal_of(request)
    principal.require("fulfillment:read")
    qs = selectors.fulfillment_list(
        scope=principal.scope,
        location=filters.location,
        status=filters.status,
        order_id=filters.order,
    )
    result = paginate(qs, page)
    return {
        "items": selectors.fulfillments_serialize(result.items),
        "next_cursor": result.next_cursor,
    }


@router.get("/orders/{int:fo_id}", response=FulfillmentOut, summary="One fulfillment order")
def fulfillment_get(request: HttpRequest, fo_id: int):
    principal_of(request).require("fulfillment:read")
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/accept", response=FulfillmentOut, summary="Accept the work")
def fulfillment_accept(request: HttpRequest, fo_id: int):
    services.fulfillment_accept(fo_id=fo_id, actor=_actor(request), scope=_writer(request))
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/pick", response=FulfillmentOut, summary="Start picking")
def fulfillment_pick(request: HttpRequest, fo_id: int):
    services.fulfillment_pick_start(fo_id=fo_id, actor=_actor(request), scope=_writer(request))
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/pack", response=FulfillmentOut, summary="Packed")
def fulfillment_pack(request: HttpRequest, fo_id: int):
    services.fulfillment_pack(fo_id=fo_id, actor=_actor(request), scope=_writer(request))
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/hold", response=FulfillmentOut, summary="Put on hold")
def fulfillment_hold(request: HttpRequest, fo_id: int, payload: HoldIn):
    services.fulfillment_hold(
        fo_id=fo_id, reason=payload.reason, actor=_actor(request), scope=_writer(request)
    )
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/release", response=FulfillmentOut, summary="Release a hold")
def fulfillment_release(request: HttpRequest, fo_id: int):
    services.fulfillment_release(fo_id=fo_id, actor=_actor(request), scope=_writer(request))
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/ship", response=FulfillmentOut, summary="Ship all or some")
def fulfillment_ship(request: HttpRequest, fo_id: int, payload: ShipIn):
    """Ship every open item, or the given quantities (a partial shipment). The units leave
    the location's stock; the order's status follows."""
    services.fulfillment_ship(
        fo_id=fo_id,
        carrier=payload.carrier,
        service=payload.service,
        tracking_numbers=payload.tracking_numbers,
        packages=[services.PackageIn(p.weight_grams, p.tracking_number) for p in payload.packages],
        lines=[(line.line_no, line.quantity) for line in payload.lines]
        if payload.lines is not None
        else None,
        actor=_actor(request),
        scope=_writer(request),
    )
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/reject", response=RejectOut, summary="Reject all or some")
def fulfillment_reject(request: HttpRequest, fo_id: int, payload: RejectIn):
    """The reason decides the stock effect: `not_found` writes off the units and the location's
    free count of those SKUs, `damaged` moves them to unavailable, `no_capacity` and `other`
    give them back. The items are routed to another location, or backordered."""
    return services.fulfillment_reject(
        fo_id=fo_id,
        reason=payload.reason,
        lines=[(line.line_no, line.quantity) for line in payload.lines]
        if payload.lines is not None
        else None,
        note=payload.note,
        actor=_actor(request),
        scope=_writer(request),
    )


@router.post("/orders/{int:fo_id}/deliver", response=FulfillmentOut, summary="Delivered")
def fulfillment_deliver(request: HttpRequest, fo_id: int):
    services.fulfillment_deliver(fo_id=fo_id, actor=_actor(request), scope=_writer(request))
    return _answer(request, fo_id)


@router.post(
    "/orders/{int:fo_id}/ready-for-pickup", response=FulfillmentOut, summary="Ready at the counter"
)
def fulfillment_ready(request: HttpRequest, fo_id: int, payload: ReadyIn):
    services.fulfillment_ready_for_pickup(
        fo_id=fo_id,
        pickup_days=payload.pickup_days,
        actor=_actor(request),
        scope=_writer(request),
    )
    return _answer(request, fo_id)


@router.post("/orders/{int:fo_id}/picked-up", response=FulfillmentOut, summary="Picked up")
def fulfillment_picked_up(request: HttpRequest, fo_id: int, payload: PickedUpIn):
    """Handed over to the customer, who shows the pickup code given when the order became
    ready (a wrong code: 422 `pickup_code_mismatch`, nothing changes)."""
    services.fulfillment_picked_up(
        fo_id=fo_id,
        pickup_code=payload.pickup_code,
        actor=_actor(request),
        scope=_writer(request),
    )
    return _answer(request, fo_id)
