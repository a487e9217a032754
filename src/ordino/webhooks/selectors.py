"""Reads of outbound webhooks (docs/webhooks.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ordino.core.domain.errors import NotFound
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage


def endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.all()


def endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("webhook_endpoint", endpoint_id)
    return endpoint


def endpoint_serialize(endpoint: WebhookEndpoint, *, secret: str | None = None) -> dict[str, Any]:
    """The endpoint as the API shows it; the secret only when just made (`secret`)."""
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": list(endpoint.event_types),
        "status": endpoint.status,
        "disabled_reason": endpoint.disabled_reason,
        "disabled_at": endpoint.disabled_at,
        "previous_secret_expires_at": endpoint.previous_secret_expires_at
        if endpoint.previous_secret_encrypted  # not decrypted: a read needs no key
        else None,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
        "secret": secret,
    }


def message_filter(
    *,
    endpoint_id: int,
    state: str | None = None,
    event_type: str | None = None,
    order_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[WebhookMessage]:
    endpoint_get(endpoint_id=endpoint_id)
    messages = WebhookMessage.objects.filter(endpoint_id=endpoint_id)
    if state:
        messages = messages.filter(state=state)
    if event_type:
        messages = messages.filter(event_type=event_type)
    if order_id is not None:
        messages = messages.filter(order_id=order_id)
    if since is not None:
        messages = messages.filter(created_at__gte=since)
    if until is not None:
        messages = messages.filter(created_at__lt=until)
    return messages


def message_get(*, message_id: int) -> WebhookMessage:
    message = WebhookMessage.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound("webhook_message", message_id)
    return message


def message_attempts(*, message_id: int) -> QuerySet[WebhookAttempt]:
    return WebhookAttempt.objects.filter(message_id=message_id).order_by("number")


def message_serialize(message: WebhookMessage, *, attempts: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message.pk,
        "webhook_id": message.webhook_id,
        "endpoint_id": message.endpoint_id,
        "event_id": message.event_id,
        "event_type": message.event_type,
        "order_id": message.order_id,
        "sequence": message.sequence,
        "state": message.state,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at,
        "delivered_at": message.delivered_at,
        "last_error": message.last_error,
        "created_at": message.created_at,
        "body": message.body,
    }
    if attempts:
        data["attempt_list"] = [
            {
                "number": a.number, "at": a.at, "status_code": a.status_code,
                "latency_ms": a.latency_ms, "response_excerpt": a.response_excerpt,
                "error": a.error, "next_attempt_at": a.next_attempt_at, "replay": a.replay,
            }
            for a in message_attempts(message_id=message.pk)
        ]  # fmt: skip
    return data
