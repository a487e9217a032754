"""HTTP adapter for returns: parse, call one service or selector, serialise.

Mounted at /returns (a return by its integer id), /return-policies (a literal segment no return
id can equal) and /orders (a return requested for an order, its customer link)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.documents import PDF_CONTENT, document_response
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import principal_of
from ordino.returns import selectors, services
from ordino.returns.label import return_label_document
from ordino.returns.schemas import (
    ExchangeFilters,
    ExchangeIn,
    ExchangeOut,
    ReturnApproveIn,
    ReturnCancelIn,
    ReturnFilters,
    ReturnLinkOut,
    ReturnOut,
    ReturnPolicyIn,
    ReturnPolicyOut,
    ReturnReasonIn,
    ReturnReceiveIn,
    ReturnRequestIn,
)

router = Router(tags=["returns"])
exchanges_router = Router(tags=["returns"])
policies_router = Router(tags=["returns"])
exchanges_router = Router(tags=["returns"])
orders_router = Router(tags=["returns"])
exchanges_router = Router(tags=["returns"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


def _writer(request: HttpRequest):
    principal = principal_of(request)
    principal.require("returns:write")
    return principal


def _one(return_id: int, request: HttpRequest) -> dict:
    return selectors.return_detail(return_id=return_id, scope=principal_of(request).scope)


@orders_router.post(
    "/{int:order_id}/returns", response={201: ReturnOut}, summary="Request a return"
)
def return_request(request: HttpRequest, order_id: int, payload: ReturnRequestIn):
    """Ask for a return of shipped units, received at `location`. Refused (422, naming the
    field) outside the return window (`return_window_closed`), for a SKU a policy makes not
    returnable (`not_returnable`), or beyond the units shipped − returned − already requested
    (`quantity_exceeds_returnable`). The return starts `requested`."""
    principal = _writer(request)
    ret = services.return_request(
        command=payload.command(order_id=order_id, actor=_actor(request)), scope=principal.scope
    )
    return Status(201, _one(ret.pk, request))


@orders_router.get(
    "/{int:order_id}/return-link", response=ReturnLinkOut, summary="The customer's return link"
)
def return_link(request: HttpRequest, order_id: int):
    """A signed link to the order's return page, for its customer (no login); it expires after
    ORDINO_RETURN_LINK_DAYS."""
    principal = principal_of(request)
    principal.require("returns:read")
    return services.return_link(order_id=order_id, scope=principal.scope)


@router.get("", response=Page[ReturnOut], summary="List returns")
def return_list(request: HttpRequest, filters: Query[ReturnFilters], page: Query[PageParams]):
    principal = principal_of(request)
    principal.require("returns:read")
    qs = selectors.return_list(
        scope=principal.scope, order_id=filters.order_id, state=filters.state
    )
    result = paginate(qs, page)
    return {"items": selectors.returns_serialize(result.items), "next_cursor": result.next_cursor}


@router.get("/{int:return_id}", response=ReturnOut, summary="Get a return")
def return_get(request: HttpRequest, return_id: int):
    principal = principal_of(request)
    principal.require("returns:read")
    return selectors.return_detail(return_id=return_id, scope=principal.scope)


@router.get(
    "/{int:return_id}/label",
    response={200: None},
    summary="A return's label (PDF or ZPL)",
    openapi_extra={
        "responses": {
            200: {
                "description": "A 4×6 in label from the customer's address to the receiving "
                "location, RETURN printed large, the return's number as a Code 128 barcode",
                "content": {
                    **PDF_CONTENT,
                    "application/x-zpl": {"schema": {"type": "string"}},
                },
            },
            409: {
                "description": "The return is not open (approved): `return_not_open`",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        }
    },
)
def return_label(request: HttpRequest, return_id: int, format: Literal["pdf", "zpl"] = "pdf"):
    """An open (approved) return's label (409 `return_not_open` otherwise)."""
    principal = principal_of(request)
    principal.require("returns:read")
    document, media_type = return_label_document(
        return_id=return_id, fmt=format, scope=principal.scope
    )
    return document_response(document, media_type, f"return-{return_id}-label.{format}")


@router.post("/{int:return_id}/approve", response=ReturnOut, summary="Approve a return")
def return_approve(request: HttpRequest, return_id: int, payload: ReturnApproveIn):
    """requested → open: the parcel is expected at the receiving location."""
    principal = _writer(request)
    services.return_approve(
        return_id=return_id,
        actor=_actor(request),
        scope=principal.scope,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
    )
    return _one(return_id, request)


@router.post("/{int:return_id}/decline", response=ReturnOut, summary="Decline a return")
def return_decline(request: HttpRequest, return_id: int, payload: ReturnReasonIn):
    principal = _writer(request)
    services.return_decline(
        return_id=return_id, reason=payload.reason, actor=_actor(request), scope=principal.scope
    )
    return _one(return_id, request)


@router.post("/{int:return_id}/cancel", response=ReturnOut, summary="Cancel a return")
def return_cancel(request: HttpRequest, return_id: int, payload: ReturnCancelIn):
    """Withdraw a requested or open return before any unit was received (409 after)."""
    principal = _writer(request)
    services.return_cancel(
        return_id=return_id, reason=payload.reason, actor=_actor(request), scope=principal.scope
    )
    return _one(return_id, request)


@router.post("/{int:return_id}/receive", response=ReturnOut, summary="Receive a return")
def return_receive(request: HttpRequest, return_id: int, payload: ReturnReceiveIn):
    """Per line, how many units are restocked, damaged, need processing or are missing: stock,
    the order's returned units and the refund decision move in the same transaction."""
    principal = _writer(request)
    services.return_receive(
        command=payload.command(return_id=return_id, actor=_actor(request)),
        scope=principal.scope,
    )
    return _one(return_id, request)


@router.post("/{int:return_id}/close", response=ReturnOut, summary="Close a return")
def return_close(request: HttpRequest, return_id: int):
    """open → closed: nothing more is expected."""
    principal = _writer(request)
    services.return_close(return_id=return_id, actor=_actor(request), scope=principal.scope)
    return _one(return_id, request)


@policies_router.get("", response=list[ReturnPolicyOut], summary="Return policies")
def return_policy_list(request: HttpRequest):
    principal_of(request).require("returns:read")
    return [selectors.policy_out(p) for p in selectors.policy_list()]


@policies_router.post(
    "", response={200: ReturnPolicyOut, 201: ReturnPolicyOut}, summary="Set a return policy"
)
def return_policy_set(request: HttpRequest, payload: ReturnPolicyIn):
    """Create or replace the policy of a channel, a SKU, or a SKU in a channel (the most
    specific applies). For unrestricted tokens only (403 `token_restricted`)."""
    principal = _writer(request)
    policy, created = services.return_policy_set(
        channel_code=payload.channel,
        sku_code=payload.sku,
        window_days=payload.window_days,
        returnable=payload.returnable,
        actor=_actor(request),
        scope=principal.scope,
    )
    return Status(201 if created else 200, selectors.policy_out(policy))


@orders_router.post(
    "/{int:order_id}/exchanges",
    response={200: ExchangeOut, 201: ExchangeOut},
    summary="Make (or preview) an exchange",
)
def exchange_create(request: HttpRequest, order_id: int, payload: ExchangeIn):
    """Return shipped units for new lines, in one change of the order (kind `exchange`): the
    return is requested under the returns' rules (window, returnable, units left), the new
    lines are priced, taxed, sourced and reserved like an edit's; the difference is charged
    (a new payment with the order's method) or refunded (on receipt, or at once with
    `refund_now`). `preview: true` answers 200 with what it would do and changes nothing."""
    principal = _writer(request)
    principal.require("orders:write")
    command = payload.command(order_id=order_id, actor=_actor(request))
    if payload.preview:
        return Status(200, services.exchange_preview(command=command, scope=principal.scope))
    ret = services.exchange_create(command=command, scope=principal.scope)
    return Status(201, selectors.exchange_detail(return_id=ret.pk, scope=principal.scope))


@exchanges_router.get("", response=Page[ExchangeOut], summary="List exchanges")
def exchange_list(request: HttpRequest, filters: Query[ExchangeFilters], page: Query[PageParams]):
    principal = principal_of(request)
    principal.require("returns:read")
    qs = selectors.exchange_list(scope=principal.scope, order_id=filters.order_id)
    result = paginate(qs, page)
    return {
        "items": selectors.exchanges_serialize(result.items),
        "next_cursor": result.next_cursor,
    }


@exchanges_router.get("/{int:exchange_id}", response=ExchangeOut, summary="Get an exchange")
def exchange_get(request: HttpRequest, exchange_id: int):
    """An exchange by its return's id (404 for a plain return)."""
    principal = principal_of(request)
    principal.require("returns:read")
    return selectors.exchange_detail(return_id=exchange_id, scope=principal.scope)
