"""Sending messages again (docs/webhooks.md, "Replay"): one message, or an endpoint's messages
of a time range (optionally only the failed and dead ones). A replayed message keeps its
`webhook-id` (the receiver dedupes) and starts a new round of the schedule: pending, due now.
Audited, with who asked and why."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.webhooks.models import WebhookEndpoint, WebhookMessage
from ordino.webhooks.services.queue import delivery_ask

REPLAY_MAX = 10_000  # messages one range replay may touch


def _restart(ids: list[int], now: datetime) -> int:
    return WebhookMessage.objects.filter(pk__in=ids).update(
        state="pending", round_attempts=0, next_attempt_at=now, claimed_at=None, last_error=""
    )


def message_replay(
    *, message_id: int, actor: str | None = None, reason: str = ""
) -> WebhookMessage:
    """Send it again. Refused while it is still being tried (it will be, on its schedule)."""
    now = utcnow()
    with transaction.atomic():
        message = WebhookMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound("webhook_message", message_id)
        if message.state in ("pending", "failed") and message.round_attempts == 0:
            raise Conflict("message_pending", "It has not been tried yet: it will be.")
        _restart([message.pk], now)
        audit_record(
            object_type="webhook_message", object_id=message.pk, action="replay",
            before={"state": message.state, "attempts": message.attempts},
            reason=reason, label=message.webhook_id, actor=actor,
        )  # fmt: skip
        transaction.on_commit(lambda: delivery_ask(message.pk))
    message.refresh_from_db()
    return message


def endpoint_messages_replay(
    *,
    endpoint_id: int,
    since: datetime,
    until: datetime,
    only_failed: bool = False,
    actor: str | None = None,
    reason: str = "",
) -> int:
    """Send again every message made for the endpoint in [since, until) (only the failed and
    dead ones, if asked). Returns how many; they go in order, per order, by the usual rule."""
    if until <= since:
        raise DomainError("range_empty", "`to` must be after `from`.", field="to")
    now = utcnow()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
        if endpoint is None:
            raise NotFound("webhook_endpoint", endpoint_id)
        chosen = WebhookMessage.objects.filter(
            endpoint_id=endpoint_id, created_at__gte=since, created_at__lt=until
        )
        if only_failed:
            chosen = chosen.filter(state__in=("failed", "dead"))
        ids = list(chosen.order_by("id").values_list("id", flat=True)[: REPLAY_MAX + 1])
        if len(ids) > REPLAY_MAX:
            raise DomainError(
                "replay_too_large", f"More than {REPLAY_MAX} messages: a shorter range, please.",
                field="from",
            )  # fmt: skip
        count = _restart(ids, now)
        audit_record(
            object_type="webhook_endpoint", object_id=endpoint_id, action="replay",
            after={"from": since.isoformat(), "to": until.isoformat(),
                   "only_failed": only_failed, "messages": count},
            reason=reason, label=endpoint.url, actor=actor,
        )  # fmt: skip
    return count
