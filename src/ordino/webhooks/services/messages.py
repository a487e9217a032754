"""The outbox subscriber (wired in wiring.py for every catalog event): one message per event per
active endpoint subscribed to its type, made once however often the relay hands the event out,
each with the next sequence number of its order for that endpoint (docs/webhooks.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from ordino.core.domain.clock import utcnow
from ordino.events.relay import RelayedEvent, outbox_event_relayed
from ordino.events.types import Event
from ordino.webhooks.domain.payload import message_body, resource_link
from ordino.webhooks.models import WebhookEndpoint, WebhookMessage
from ordino.webhooks.services.queue import delivery_ask

SEQUENCE_RACES = 5  # another relay took the number: try the next one


def order_of(event: Event, payload: dict[str, Any], relayed: RelayedEvent) -> int | None:
    """The order an event is about: its `order_id`, or its aggregate when that is an order."""
    order_id = payload.get("order_id")
    if isinstance(order_id, int) and not isinstance(order_id, bool):
        return order_id
    return relayed.aggregate_id if relayed.aggregate_type == "order" else None


def webhook_messages_create(event: Event) -> list[int]:
    """Make the event's messages (idempotent: unique event × endpoint) and ask for their
    delivery; the periodic `webhooks_due` sends whatever the task queue did not."""
    relayed = outbox_event_relayed()
    if relayed is None:
        raise RuntimeError("webhook messages are made by the outbox relay (events/relay.py)")
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(status="active") if event.name in e.event_types
    ]
    if not endpoints:
        return []
    payload = event.payload()
    order_id = order_of(event, payload, relayed)
    made = []
    for endpoint in endpoints:
        message = _message_add(endpoint.pk, relayed, payload, order_id, now=utcnow())
        if message is not None:
            made.append(message.pk)
    for message_id in made:
        transaction.on_commit(lambda message_id=message_id: delivery_ask(message_id))
    return made


def _message_add(
    endpoint_id: int,
    relayed: RelayedEvent,
    payload: dict[str, Any],
    order_id: int | None,
    *,
    now: datetime,
) -> WebhookMessage | None:
    mine = WebhookMessage.objects.filter(endpoint_id=endpoint_id, event_id=relayed.id)
    link = resource_link(
        aggregate_type=relayed.aggregate_type, aggregate_id=relayed.aggregate_id,
        order_id=order_id, base=settings.ORDINO_PUBLIC_URL,
    )  # fmt: skip
    for _ in range(SEQUENCE_RACES):
        if mine.exists():
            return None  # made before: the relay handed the event out again
        sequence = None
        if order_id is not None:
            last = WebhookMessage.objects.filter(endpoint_id=endpoint_id, order_id=order_id)
            sequence = (last.aggregate(m=Max("sequence"))["m"] or 0) + 1
        body = message_body(
            event_type=relayed.name, event_id=relayed.id, occurred_at=relayed.created_at,
            payload=payload, order_id=order_id, sequence=sequence, link=link,
        )  # fmt: skip
        try:
            with transaction.atomic():
                return WebhookMessage.objects.create(
                    endpoint_id=endpoint_id, event_id=relayed.id, event_type=relayed.name,
                    order_id=order_id, sequence=sequence, body=body, created_at=now,
                    next_attempt_at=now,
                )  # fmt: skip
        except IntegrityError:
            continue  # another relay made it, or took the sequence number: look again
    raise RuntimeError(f"no sequence number for event {relayed.id}: too many races")
