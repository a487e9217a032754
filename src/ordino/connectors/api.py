"""HTTP adapter for the connectors (docs/connectors.md): connections, their polls, the inbound
messages and their replay, under the `connectors` scope; and each platform's inbound webhook,
signed, not scoped (`POST /connectors/{connection_id}/webhooks/{platform}`: the HMAC over the raw
body is the authentication; it runs outside the API's write transaction so that the message is
stored, in a transaction of its own, before the 200)."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from ordino.connectors import selectors, services
from ordino.connectors.schemas import (
    ConnectionIn,
    ConnectionOut,
    ConnectionPatch,
    InboundMessageDetailOut,
    InboundMessageOut,
    MessageStatus,
    PollOut,
    WebhookOut,
)
from ordino.core.domain.bounds import MAX_INT
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import principal_of

router = Router(tags=["connectors"])


def connection_out(connection) -> dict:
    return {
        "id": connection.pk,
        "channel": connection.channel.code,
        "platform": connection.platform,
        "base_url": connection.base_url,
        "active": connection.is_active,
        "poll_interval_seconds": connection.poll_interval_seconds,
        "inventory_location_id": connection.inventory_location_id,
        "has_credentials": bool(connection.credentials_encrypted),
        "has_webhook_secret": bool(connection.webhook_secret_encrypted),
        "webhook_url": f"/api/v1/connectors/{connection.pk}/webhooks/{connection.platform}",
        "updated_after": connection.updated_after,
        "last_poll_at": connection.last_poll_at,
        "last_poll_error": connection.last_poll_error,
        "created_at": connection.created_at,
    }


def message_out(message, *, detail: bool = False) -> dict:
    out = {
        "id": message.pk,
        "connection_id": message.connection_id,
        "channel": message.connection.channel.code,
        **{name: getattr(message, name) for name in (
            "source", "delivery_id", "topic", "external_order_id", "status", "error_code",
            "error_message", "error_path", "order_id", "attempts", "received_at",
            "processed_at")},
    }  # fmt: skip
    if detail:
        out.update(headers=message.headers, raw_body=message.raw_body)
    return out


def _settings(payload: ConnectionIn | ConnectionPatch) -> services.ConnectionSettings:
    data = payload.model_dump(exclude={"channel", "reason"})
    return services.ConnectionSettings(is_active=data.pop("active"), **data)


def _config(request: HttpRequest, mode: str):
    """Connections and their messages are the shop's integration set-up, with every channel
    order's raw payload: a token limited to channels or locations is refused (403)."""
    principal = principal_of(request)
    principal.require(f"connectors:{mode}")
    principal.scope.require_unrestricted("the channel connectors")
    return principal


@router.post("/connections", response={201: ConnectionOut}, summary="Connect a channel")
def connection_create(request: HttpRequest, payload: ConnectionIn):
    _config(request, "write")
    connection = services.connection_create(channel=payload.channel, values=_settings(payload))
    return Status(201, connection_out(selectors.connection_get(connection_id=connection.pk)))


@router.get("/connections", response=Page[ConnectionOut], summary="List connections")
def connection_list(request: HttpRequest, page: Query[PageParams]):
    principal = _config(request, "read")
    result = paginate(selectors.connection_list(scope=principal.scope), page)
    return {"items": [connection_out(c) for c in result.items], "next_cursor": result.next_cursor}


@router.get("/connections/{connection_id}", response=ConnectionOut, summary="Get a connection")
def connection_get(request: HttpRequest, connection_id: int):
    principal = _config(request, "read")
    return connection_out(
        selectors.connection_get(connection_id=connection_id, scope=principal.scope)
    )


@router.patch("/connections/{connection_id}", response=ConnectionOut, summary="Change a connection")
def connection_update(request: HttpRequest, connection_id: int, payload: ConnectionPatch):
    principal = _config(request, "write")
    connection = selectors.connection_get(connection_id=connection_id, scope=principal.scope)
    services.connection_update(
        connection=connection, values=_settings(payload), reason=payload.reason
    )
    return connection_out(selectors.connection_get(connection_id=connection_id))


@router.post(
    "/connections/{connection_id}/test", response=PollOut, summary="Test a connection's credentials"
)
def connection_test(request: HttpRequest, connection_id: int):
    principal = _config(request, "write")
    connection = selectors.connection_get(connection_id=connection_id, scope=principal.scope)
    result = services.connection_test(connection=connection)
    return {"ok": not result.error, "pulled": 0, "new": 0, "error": result.error}


@router.post("/connections/{connection_id}/poll", response=PollOut, summary="Poll a connection now")
def connection_poll(request: HttpRequest, connection_id: int):
    principal = _config(request, "write")
    connection = selectors.connection_get(connection_id=connection_id, scope=principal.scope)
    result = services.connection_poll(connection=connection)
    return {"ok": not result.error, "pulled": result.pulled, "new": result.new,
            "error": result.error}  # fmt: skip


@router.get("/messages", response=Page[InboundMessageOut], summary="List inbound messages")
def message_list(
    request: HttpRequest,
    page: Query[PageParams],
    status: MessageStatus | None = None,
    connection_id: Annotated[int | None, Field(ge=1, le=MAX_INT)] = None,
    external_order_id: Annotated[str | None, Field(max_length=128)] = None,
):
    principal = _config(request, "read")
    qs = selectors.message_list(
        scope=principal.scope, status=status, connection_id=connection_id,
        external_order_id=external_order_id or None,
    )  # fmt: skip
    result = paginate(qs, page)
    return {"items": [message_out(m) for m in result.items], "next_cursor": result.next_cursor}


@router.get(
    "/messages/{message_id}", response=InboundMessageDetailOut, summary="Get an inbound message"
)
def message_get(request: HttpRequest, message_id: int):
    principal = _config(request, "read")
    message = selectors.message_get(message_id=message_id, scope=principal.scope)
    return message_out(message, detail=True)


@router.post(
    "/messages/{message_id}/replay",
    response=InboundMessageDetailOut,
    summary="Replay an inbound message",
)
def message_replay(request: HttpRequest, message_id: int):
    """Process the stored message again, e.g. after the catalog or mapping was fixed: its order
    is still captured once. The answer is the message with its new status."""
    principal = _config(request, "write")
    message = selectors.message_get(message_id=message_id, scope=principal.scope)
    message = services.message_replay(message=message, actor=f"token:{principal.token.name}")
    return message_out(message, detail=True)


@router.post(
    "/{connection_id}/webhooks/{platform}",
    auth=None,
    response={200: WebhookOut},
    summary="Receive a platform's order webhook (signed)",
    openapi_extra={
        "security": [],
        "x-signed": "X-Shopify-Hmac-Sha256",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "The platform's order JSON, exactly as it sent it.",
        },
    },
)
def webhook_receive(request: HttpRequest, connection_id: int, platform: str):
    """A platform's order webhook (Shopify: orders/create, orders/updated, orders/cancelled),
    verified on the raw body, stored, then applied. A re-delivery (same X-Shopify-Webhook-Id):
    200 `duplicate: true`, nothing changes. A signature that does not verify: 401
    `webhook_signature_invalid` (`webhook_signature_missing`, `webhook_headers_missing`); an
    unknown connection: 404. A payload Ordino cannot capture is still 200: it is stored, failed,
    and a case says why (docs/connectors.md)."""
    receipt = services.webhook_receive(
        connection_id=connection_id, platform=platform[:32], body=request.body,
        headers=dict(request.headers),
    )  # fmt: skip
    return {"received": True, "message_id": receipt.message_id, "duplicate": receipt.duplicate,
            "status": receipt.status}  # fmt: skip
