"""Inbound order messages, exactly once and never half (docs/connectors.md, "Exactly once").

1. A webhook is verified on its RAW body (refused: 401, only the integration log keeps it).
2. It is STORED, in a transaction of its own, before it is acknowledged: unique per
   (connection, delivery id), so a re-delivery answers 200 and changes nothing.
3. It is PROCESSED (`message_process`), synchronously on the fast path; a message stored but not
   processed (a crash in between) is picked up by `messages_process_pending`, a periodic job.
   Processing and the message's outcome commit together; a refusal (a payload that does not map,
   a capture refused) marks it failed and opens one `integration_failure` case per channel
   order, which a successful replay resolves.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError

from ordino.cases.services.open import OpenCase, case_cause_gone, case_open
from ordino.connectors.models import Connection, InboundMessage
from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.platforms.base import MappingError, WebhookRefused
from ordino.connectors.services.sync import order_sync, order_sync_deleted
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.encryption import secret_decrypt
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.integrations.domain.redact import headers_redact
from ordino.integrations.services import integration_call_record

ACTOR = "system:connectors"


# The topics that carry a whole order are the platform's `order_topics`; a pulled order's is
# "poll"; a deletion carrying only an id (the platform's `deletion_topics`) cancels the order.
# Any other topic (WooCommerce's ping) is stored, ignored.
def order_topics(platform: object) -> tuple[str, ...]:
    return (*getattr(platform, "order_topics", ()), "poll")


PENDING_AFTER = timedelta(minutes=1)  # the fast path's time to finish before the job takes over
logger = logging.getLogger("ordino.connectors")


@dataclass(frozen=True)
class WebhookReceipt:
    message_id: int
    duplicate: bool
    status: str


def _external_id(raw_body: str) -> str:
    try:
        payload = json.loads(raw_body)
    except ValueError:
        return ""
    value = payload.get("id") if isinstance(payload, dict) else None
    return str(value)[:128] if isinstance(value, str | int) and not isinstance(value, bool) else ""


def message_store(
    *,
    connection: Connection,
    source: str,
    raw_body: str,
    delivery_id: str | None,
    topic: str,
    headers: dict[str, str] | None = None,
) -> tuple[InboundMessage, bool]:
    """The message stored once per (connection, delivery id): (message, duplicate)."""
    with use_case_atomic():
        try:
            with savepoint():  # a concurrent delivery of the same id may insert it first
                message = InboundMessage.objects.create(
                    connection=connection, source=source, delivery_id=delivery_id,
                    topic=topic[:64], external_order_id=_external_id(raw_body),
                    raw_body=raw_body, headers=headers_redact(headers or {}), received_at=utcnow(),
                )  # fmt: skip
                return message, False
        except IntegrityError:
            return InboundMessage.objects.get(connection=connection, delivery_id=delivery_id), True


def webhook_receive(
    *, connection_id: int, platform: str, body: bytes, headers: dict[str, str]
) -> WebhookReceipt:
    """Verify, store, then process one webhook. Refused: 401 problem (`webhook_<reason>`) and
    a log row; an unknown or inactive connection: 404. Processing never fails the delivery."""
    started = time.monotonic()
    connection = Connection.objects.select_related("channel").filter(pk=connection_id).first()
    log = _webhook_log(connection_id, platform, headers, body, started)
    if connection is None or connection.platform != platform or not connection.is_active:
        log(404, "connection_not_found: no active connection of this platform")
        raise NotFound("connection", connection_id)
    try:
        check = PLATFORMS[platform].webhook_verify(
            body=body, headers=headers,
            secret=secret_decrypt(connection.webhook_secret_encrypted), now=utcnow(),
        )  # fmt: skip
    except WebhookRefused as exc:
        log(401, f"{exc.code}: {exc}")
        raise DomainError(f"webhook_{exc.code}", str(exc), status=401) from None
    if b"\x00" in body:  # no order payload holds one, and PostgreSQL's text cannot store it
        log(400, "webhook_invalid_body: the body holds a NUL character")
        raise DomainError(
            "webhook_invalid_body", "The body holds a NUL character: not an order.", status=400
        )
    message, duplicate = message_store(
        connection=connection, source="webhook", delivery_id=check.delivery_id,
        topic=check.topic, headers=headers, raw_body=body.decode("utf-8", errors="replace"),
    )  # fmt: skip
    if not duplicate:
        message = message_process_safely(message.pk)
    log(200, "", delivery_id=check.delivery_id, message=message, duplicate=duplicate)
    return WebhookReceipt(message.pk, duplicate, message.status)


def _webhook_log(connection_id, platform, headers, body, started):
    def log(status, error, *, delivery_id="", message=None, duplicate=False):
        integration_call_record(
            direction="in", system=platform, ok=status == 200, connection=str(connection_id),
            operation=(headers.get("X-Shopify-Topic") or "webhook")[:64], method="POST",
            endpoint=f"/api/v1/connectors/{connection_id}/webhooks/{platform}",
            status_code=status, latency_ms=int((time.monotonic() - started) * 1000),
            error=error, request_headers=headers, request_body=body,
            response_body={"duplicate": duplicate, "status": message.status} if message else None,
            object_type="inbound_message" if message else "",
            object_id=message.pk if message else "", correlation_id=delivery_id,
        )  # fmt: skip

    return log


def message_process_safely(message_id: int) -> InboundMessage:
    """`message_process`, but an unexpected error leaves the message `received` for the
    periodic job (logged), never losing an acknowledged delivery."""
    try:
        return message_process(message_id=message_id)
    except Exception:
        logger.exception("Inbound message %s stays received for the periodic job", message_id)
        return InboundMessage.objects.get(pk=message_id)


def _dedupe_key(message: InboundMessage) -> str:
    cause = message.external_order_id or f"message:{message.pk}"
    return f"integration_failure:{message.connection_id}:{cause}"


def message_process(*, message_id: int, actor: str = ACTOR) -> InboundMessage:
    """Apply the stored message to its order (docs/connectors.md, "What a message does")."""
    message = InboundMessage.objects.select_related("connection__channel").get(pk=message_id)
    connection = message.connection
    platform = PLATFORMS[connection.platform]
    now = utcnow()
    try:
        with savepoint():  # the order's change and the message's outcome, or neither
            if message.topic in getattr(platform, "deletion_topics", ()):
                status, order_id = order_sync_deleted(
                    platform=platform, payload=_payload(message.raw_body),
                    channel=connection.channel.code, actor=actor,
                )  # fmt: skip
            elif message.topic not in order_topics(platform):
                status, order_id = "ignored", None
            else:
                payload = _payload(message.raw_body)
                message.order_updated_at = platform.order_state(payload).updated_at
                if _stale(message):
                    status, order_id = "ignored", None
                else:
                    status, order_id = order_sync(
                        platform=platform, payload=payload, channel=connection.channel.code,
                        actor=actor,
                    )  # fmt: skip
            _outcome(message, status=status, order_id=order_id, now=now)
            case_cause_gone(dedupe_key=_dedupe_key(message), why="the message was applied",
                            actor=actor)  # fmt: skip
    except (MappingError, DomainError) as exc:
        _failed(message, exc, actor=actor, now=now)
    return message


def _stale(message: InboundMessage) -> bool:
    """A newer version of the same order was applied already (webhooks arrive in any order)."""
    if message.order_updated_at is None or not message.external_order_id:
        return False
    return (
        InboundMessage.objects.filter(
            connection_id=message.connection_id,
            external_order_id=message.external_order_id,
            order_updated_at__gt=message.order_updated_at,
        )
        .exclude(status__in=("received", "failed"))
        .exclude(pk=message.pk)
        .exists()
    )


def _payload(raw_body: str) -> dict[str, Any]:
    try:
        payload = json.loads(raw_body)
    except ValueError as exc:
        raise MappingError(f"is not JSON ({exc.msg})", path="$") from None
    if not isinstance(payload, dict):
        raise MappingError("is not a JSON object", path="$")
    return payload


def _outcome(message, *, status, order_id, now, code="", text="", path="") -> None:
    message.status, message.order_id, message.processed_at = status, order_id, now
    message.error_code, message.error_message, message.error_path = code, text[:500], path[:255]
    message.attempts += 1
    message.save(update_fields=["status", "order_id", "processed_at", "error_code",
                                "error_message", "error_path", "attempts",
                                "order_updated_at"])  # fmt: skip


def _failed(message: InboundMessage, exc: Exception, *, actor: str, now) -> None:
    if isinstance(exc, MappingError):
        code, text, path = "mapping_error", exc.message, exc.path
    else:
        assert isinstance(exc, DomainError)
        field = exc.errors[0].get("field", "") if exc.errors else ""
        code, text, path = exc.code, exc.message, field
    with use_case_atomic():
        _outcome(message, status="failed", order_id=None, now=now, code=code, text=text,
                 path=path)  # fmt: skip
        channel = message.connection.channel.code
        case_open(OpenCase(
            type="integration_failure", actor=actor, dedupe_key=_dedupe_key(message),
            title=f"{channel} order {message.external_order_id or '?'} not imported: {code}"[:200],
            description=f"{path}: {text}" if path else text,
            data={"connection_id": message.connection_id, "message_id": message.pk,
                  "external_order_id": message.external_order_id, "error_code": code},
        ))  # fmt: skip


def message_replay(*, message: InboundMessage, actor: str) -> InboundMessage:
    """Process the stored message again (after the catalog or mapping was fixed): an order is
    still captured once, whatever the number of replays."""
    return message_process(message_id=message.pk, actor=actor)


def messages_process_pending() -> int:
    """The periodic job: messages stored but never processed (a crash after the store)."""
    due = InboundMessage.objects.filter(
        status="received", received_at__lte=utcnow() - PENDING_AFTER
    )
    done = 0
    for message_id in due.order_by("pk").values_list("pk", flat=True)[:500]:
        message_process_safely(message_id)
        done += 1
    return done
