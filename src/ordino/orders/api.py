"""HTTP adapter for orders: parse, call one service or selector, serialise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.renderers import JSONRenderer

from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import principal_of
from ordino.orders import selectors, services
from ordino.orders.schemas import (
    OrderCancelIn,
    OrderCaptureOut,
    OrderChangeOut,
    OrderCommentIn,
    OrderCreateIn,
    OrderEditIn,
    OrderFilters,
    OrderOut,
    TimelineEntryOut,
)

router = Router(tags=["orders"])
RENDERER = JSONRenderer()  # the API's renderer (ordino/api.py sets no other)


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


@router.post("", response={200: OrderCaptureOut, 201: OrderCaptureOut}, summary="Capture an order")
def order_capture(request: HttpRequest, payload: OrderCreateIn):
    """Record an order exactly once per (channel, external_id) and reserve its stock.

    A repeat of an order already captured answers 200 with `replayed: true` and changes nothing;
    a repeat with other contents answers 409 `order_exists`, naming the order in `existing`
    (change it with its edit or cancel endpoint). A replay by Idempotency-Key answers the stored
    answer with `replayed: true` and the header `Idempotent-Replayed: true`.
    """
    principal = principal_of(request)
    principal.require("orders:write")
    result = services.order_capture(
        command=payload.command(), actor=_actor(request), scope=principal.scope
    )
    if result.placed is not None:
        body = selectors.order_serialize(
            result.order,
            result.lines,
            result.placed["fulfillment_orders"],
            result.placed["lines"],
        )
    else:
        body = selectors.orders_serialize([result.order])[0]
    body["replayed"] = result.replayed
    return _unvalidated(request, body, 200 if result.replayed else 201)


def _unvalidated(request: HttpRequest, body: dict, status: int) -> HttpResponse:
    """`body` rendered as django-ninja renders a validated OrderCaptureOut (its renderer, the same
    bytes), without validating it again: `order_serialize` builds that shape field for field, and
    revalidating cost more than rendering (docs/performance.md, "The API write path"). The
    OpenAPI document still declares OrderCaptureOut; tests/orders/test_api_capture_body.py holds
    the body to it."""
    content = RENDERER.render(request, body, response_status=status)
    return HttpResponse(
        content, status=status, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}"
    )


@router.get("", response=Page[OrderOut], summary="List orders")
def order_list(request: HttpRequest, filters: Query[OrderFilters], page: Query[PageParams]):
    principal = principal_of(request)
    principal.require("orders:read")
    qs = selectors.order_list(
        scope=principal.scope,
        channel=filters.channel,
        status=filters.status,
        customer_id=filters.customer,
        external_id=filters.external_id,
        created_after=filters.created_after,
        created_before=filters.created_before,
    )
    result = paginate(qs, page)
    return {"items": selectors.orders_serialize(result.items), "next_cursor": result.next_cursor}


@router.get("/{int:order_id}", response=OrderOut, summary="Get an order")
def order_get(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    return selectors.order_detail(order_id=order_id, scope=principal.scope)


@router.post("/{int:order_id}/cancel", response=OrderOut, summary="Cancel an order or some lines")
def order_cancel(request: HttpRequest, order_id: int, payload: OrderCancelIn):
    """Cancel everything not yet shipped (no `lines`), or the given quantities of some lines.

    Reserved stock goes back to availability at once; the money effect is recorded as a change.
    """
    principal = principal_of(request)
    principal.require("orders:write")
    order = services.order_cancel(
        order_id=order_id,
        lines=[(line.line_no, line.quantity) for line in payload.lines]
        if payload.lines is not None
        else None,
        reason=payload.reason,
        actor=_actor(request),
        scope=principal.scope,
    )
    return selectors.orders_serialize([order])[0]


@router.get(
    "/{int:order_id}/timeline", response=list[TimelineEntryOut], summary="An order's timeline"
)
def order_timeline(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    return selectors.order_timeline(order_id=order_id, scope=principal.scope)


@router.post(
    "/{int:order_id}/comments", response={201: TimelineEntryOut}, summary="Comment on an order"
)
def order_comment_add(request: HttpRequest, order_id: int, payload: OrderCommentIn):
    """Add a staff comment (1..2000 characters) to the order's timeline, with the token as its
    author. A comment changes nothing else: no new version, no outbox event."""
    principal = principal_of(request)
    principal.require("orders:write")
    entry = services.order_comment_add(
        order_id=order_id, text=payload.text, actor=_actor(request), scope=principal.scope
    )
    return Status(
        201,
        {
            "at": entry.created_at,
            "kind": entry.kind,
            "message": entry.data.get("text", entry.message),
            "actor": entry.actor,
            "data": entry.data,
        },
    )


@router.post("/{int:order_id}/edit", response=OrderOut, summary="Edit an order")
def order_edit(request: HttpRequest, order_id: int, payload: OrderEditIn):
    """Add lines, change quantities, remove lines or change the shipping address, before a
    location has started on the lines concerned (409 `line_released` otherwise).

    One edit is one change record (kind `edit`) with its money difference, and one new order
    version; with `expected_version`, an order changed meanwhile answers 409 `order_changed`.
    """
    principal = principal_of(request)
    principal.require("orders:write")
    order = services.order_edit(
        command=payload.command(order_id), actor=_actor(request), scope=principal.scope
    )
    return selectors.orders_serialize([order])[0]


@router.get(
    "/{int:order_id}/changes", response=list[OrderChangeOut], summary="An order's change records"
)
def order_changes(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    return selectors.order_changes(order_id=order_id, scope=principal.scope)


# --- sourcing: the stored decisions of an order (served here, read by the sourcing selectors) --

from ordino.sourcing import selectors as sourcing_selectors  # noqa: E402
from ordino.sourcing.schemas import DecisionOut as SourcingDecisionOut  # noqa: E402


@router.get(
    "/{int:order_id}/sourcing",
    response=list[SourcingDecisionOut],
    summary="An order's sourcing decisions, explained",
)
def order_sourcing(request: HttpRequest, order_id: int):
    """Every sourcing decision taken for the order (capture, re-routing), oldest first: the
    profile version, the outcome, the shipments, and why each candidate location won or lost."""
    principal = principal_of(request)
    principal.require("orders:read")
    principal.scope.require_whole_network("an order's sourcing decisions")
    selectors.order_get(order_id=order_id, scope=principal.scope)
    return sourcing_selectors.order_decisions(order_id=order_id)
