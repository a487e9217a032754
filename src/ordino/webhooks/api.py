"""HTTP adapter of outbound webhooks (docs/webhooks.md, "API"): endpoints, their messages and
attempts, replays, the event types. Reads need `webhooks:read`, writes `webhooks:write`; an
endpoint receives every channel's events, so only unrestricted tokens (403 `token_restricted`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import Principal, principal_of
from ordino.webhooks import catalog, selectors, services
from ordino.webhooks.schemas import (
    DisableIn,
    EndpointChangeIn,
    EndpointIn,
    EndpointOut,
    EventTypeOut,
    MessageDetailOut,
    MessageFilters,
    MessageOut,
    RangeReplayIn,
    ReasonIn,
    ReplayedOut,
)

router = Router(tags=["webhooks"])


def _caller(request: HttpRequest, scope: str) -> Principal:
    principal = principal_of(request)
    principal.require(scope)
    principal.scope.require_unrestricted("webhook endpoints")
    return principal


def _actor(principal: Principal) -> str:
    return f"token:{principal.token.name}"


@router.get("/event-types", response=list[EventTypeOut], summary="List the event types")
def event_type_list(request: HttpRequest):
    """Every event an endpoint may subscribe to: the catalog of docs/events.md."""
    _caller(request, "webhooks:read")
    return [{"name": n, "description": catalog.event_type_doc(n)} for n in catalog.event_types()]


@router.get("/endpoints", response=Page[EndpointOut], summary="List endpoints")
def endpoint_list(request: HttpRequest, page: Query[PageParams]):
    _caller(request, "webhooks:read")
    result = paginate(selectors.endpoint_list(), page)
    items = [selectors.endpoint_serialize(e) for e in result.items]
    return {"items": items, "next_cursor": result.next_cursor}


@router.post("/endpoints", response={201: EndpointOut}, summary="Add an endpoint")
def endpoint_create(request: HttpRequest, payload: EndpointIn):
    """Its signing `secret` (whsec_...) is in this answer only: keep it."""
    principal = _caller(request, "webhooks:write")
    made = services.endpoint_create(
        url=payload.url, event_types_chosen=payload.event_types,
        description=payload.description, actor=_actor(principal),
    )  # fmt: skip
    return Status(201, selectors.endpoint_serialize(made.endpoint, secret=made.secret))


@router.get("/endpoints/{int:endpoint_id}", response=EndpointOut, summary="Get an endpoint")
def endpoint_get(request: HttpRequest, endpoint_id: int):
    _caller(request, "webhooks:read")
    return selectors.endpoint_serialize(selectors.endpoint_get(endpoint_id=endpoint_id))


@router.patch("/endpoints/{int:endpoint_id}", response=EndpointOut, summary="Change an endpoint")
def endpoint_update(request: HttpRequest, endpoint_id: int, payload: EndpointChangeIn):
    principal = _caller(request, "webhooks:write")
    endpoint = services.endpoint_update(
        endpoint_id=endpoint_id, url=payload.url, event_types_chosen=payload.event_types,
        description=payload.description, actor=_actor(principal),
    )  # fmt: skip
    return selectors.endpoint_serialize(endpoint)


@router.delete("/endpoints/{int:endpoint_id}", response={204: None}, summary="Delete an endpoint")
def endpoint_delete(request: HttpRequest, endpoint_id: int):
    """Refused (409 `endpoint_has_waiting_messages`) while messages wait for it."""
    principal = _caller(request, "webhooks:write")
    services.endpoint_delete(endpoint_id=endpoint_id, actor=_actor(principal))
    return Status(204, None)


@router.post(
    "/endpoints/{int:endpoint_id}/disable", response=EndpointOut, summary="Disable an endpoint"
)
def endpoint_disable(request: HttpRequest, endpoint_id: int, payload: DisableIn):
    """Nothing is sent to it, nor made for it, until it is enabled."""
    principal = _caller(request, "webhooks:write")
    endpoint = services.endpoint_disable(
        endpoint_id=endpoint_id, reason=payload.reason, actor=_actor(principal)
    )
    return selectors.endpoint_serialize(endpoint)


@router.post(
    "/endpoints/{int:endpoint_id}/enable", response=EndpointOut, summary="Enable an endpoint"
)
def endpoint_enable(request: HttpRequest, endpoint_id: int, payload: ReasonIn):
    """Its waiting messages go again, in order (also after a 410 Gone disabled it)."""
    principal = _caller(request, "webhooks:write")
    endpoint = services.endpoint_enable(
        endpoint_id=endpoint_id, actor=_actor(principal), reason=payload.reason
    )
    return selectors.endpoint_serialize(endpoint)


@router.post(
    "/endpoints/{int:endpoint_id}/rotate-secret", response=EndpointOut, summary="Rotate its secret"
)
def endpoint_rotate(request: HttpRequest, endpoint_id: int, payload: ReasonIn):
    """A new `secret`, in this answer only; the old one keeps signing beside it for 24 hours."""
    principal = _caller(request, "webhooks:write")
    made = services.endpoint_secret_rotate(
        endpoint_id=endpoint_id, actor=_actor(principal), reason=payload.reason
    )
    return selectors.endpoint_serialize(made.endpoint, secret=made.secret)


@router.get(
    "/endpoints/{int:endpoint_id}/messages", response=Page[MessageOut], summary="List messages"
)
def message_list(
    request: HttpRequest, endpoint_id: int, filters: Query[MessageFilters], page: Query[PageParams]
):
    """The endpoint's messages, oldest first, by state, event type, order or time (`from`,
    `to`: when they were made)."""
    _caller(request, "webhooks:read")
    messages = selectors.message_filter(
        endpoint_id=endpoint_id, state=filters.state, event_type=filters.event_type,
        order_id=filters.order_id, since=filters.from_, until=filters.to,
    )  # fmt: skip
    result = paginate(messages, page)
    items = [selectors.message_serialize(m) for m in result.items]
    return {"items": items, "next_cursor": result.next_cursor}


@router.post(
    "/endpoints/{int:endpoint_id}/replay", response=ReplayedOut, summary="Replay a time range"
)
def endpoint_replay(request: HttpRequest, endpoint_id: int, payload: RangeReplayIn):
    """Send again the messages made in [`from`, `to`) (only the failed and dead ones with
    `only_failed`); same `webhook-id`s, so the receiver dedupes."""
    principal = _caller(request, "webhooks:write")
    count = services.endpoint_messages_replay(
        endpoint_id=endpoint_id, since=payload.from_, until=payload.to,
        only_failed=payload.only_failed, actor=_actor(principal), reason=payload.reason,
    )  # fmt: skip
    return {"replayed": count}


@router.get("/messages/{int:message_id}", response=MessageDetailOut, summary="Get a message")
def message_get(request: HttpRequest, message_id: int):
    """With its attempts: when, the answer's status and excerpt, the error, the next try."""
    _caller(request, "webhooks:read")
    message = selectors.message_get(message_id=message_id)
    return selectors.message_serialize(message, attempts=True)


@router.post(
    "/messages/{int:message_id}/replay", response=MessageDetailOut, summary="Replay a message"
)
def message_replay(request: HttpRequest, message_id: int, payload: ReasonIn):
    """Send it again now (same `webhook-id`). 409 `message_pending` if it was never tried."""
    principal = _caller(request, "webhooks:write")
    message = services.message_replay(
        message_id=message_id, actor=_actor(principal), reason=payload.reason
    )
    return selectors.message_serialize(message, attempts=True)
