"""Sending a message (docs/webhooks.md, "Delivery"): claimed under a lease, signed with Standard
Webhooks, POSTed with timeouts, its answer recorded as an attempt and in the integration log.

Any number of senders may run (tasks, the periodic job, several workers): a message is claimed
by a conditional update, and a claim older than LEASE is taken over (its sender died between
the claim and the answer). Per order, a message waits while an earlier one of the same order to
the same endpoint is neither delivered nor dead: a receiver sees an order's events in order.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from standardwebhooks import Webhook

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.integrations.services import integration_call_record
from ordino.webhooks.domain.payload import body_encode
from ordino.webhooks.domain.schedule import Outcome, attempt_outcome
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from ordino.webhooks.services.endpoints import endpoint_gone
from ordino.webhooks.services.queue import delivery_ask

LEASE = timedelta(minutes=2)  # longer than a send can take (TIMEOUT)
TIMEOUT = httpx.Timeout(15.0, connect=10.0)
WAITING = ("pending", "failed")
EXCERPT = 500
STATE_AFTER = {"delivered": "delivered", "retry": "failed", "dead": "dead", "gone": "failed"}
USER_AGENT = "Ordino-Webhooks/1"

_rng = random.Random()  # the jitter's; tests pass their own, seeded
# One HTTP client per process: its connection pool keeps connections to receivers open and its
# TLS context is made once (a client per message cost most of a delivery's time). Per process
# id, as workers fork; nothing about correctness lives in it.
_clients: dict[int, httpx.Client] = {}


def _http() -> httpx.Client:
    client = _clients.get(os.getpid())
    if client is None:
        client = _clients[os.getpid()] = httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    return client


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str
    error: str
    retry_after: str | None
    latency_ms: int


def signature_headers(
    endpoint: WebhookEndpoint, *, webhook_id: str, at: datetime, body: str
) -> dict[str, str]:
    """The Standard Webhooks headers: one `v1,` signature per secret in force (the new and,
    for a day after a rotation, the old), space-separated."""
    secrets = [endpoint.secret]
    if endpoint.previous_secret and (endpoint.previous_secret_expires_at or at) > at:
        secrets.append(endpoint.previous_secret)
    signatures = " ".join(Webhook(s).sign(webhook_id, at, body) for s in secrets)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }


def _due(now: datetime) -> QuerySet[WebhookMessage]:
    """Messages that may be sent now: waiting, due, their endpoint active, unclaimed (or the
    claim's lease ran out), and first in their order's line."""
    earlier = WebhookMessage.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        order_id=OuterRef("order_id"),
        sequence__lt=OuterRef("sequence"),
        state__in=WAITING,
    )
    return (
        WebhookMessage.objects.filter(
            state__in=WAITING, next_attempt_at__lte=now, endpoint__status="active"
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .filter(Q(order_id__isnull=True) | ~Exists(earlier))
    )


def messages_send_due(*, limit: int = 200, rng: random.Random | None = None) -> int:
    """The periodic job `webhooks_due`: send every due message (oldest first). Returns how
    many were tried."""
    ids = list(_due(utcnow()).order_by("id").values_list("id", flat=True)[:limit])
    return sum(message_deliver(message_id=i, rng=rng) in STATE_AFTER for i in ids)


def message_deliver(*, message_id: int, rng: random.Random | None = None) -> str:
    """Try one message if it is due: its outcome (`delivered`, `retry`, `dead`, `gone`), or
    why it was not tried (`not_due`: not waiting, not due, claimed, or waiting its turn)."""
    claim = utcnow()
    claimed = (
        _due(claim)
        .filter(pk=message_id)
        .update(claimed_at=claim)  # the conditional update is the claim
    )
    if not claimed:
        return "not_due"
    message = WebhookMessage.objects.select_related("endpoint").get(pk=message_id)
    answer = _post(message)
    outcome = attempt_outcome(
        status_code=answer.status_code, attempts=message.round_attempts + 1, now=utcnow(),
        rng=rng or _rng, retry_after=answer.retry_after,
    )  # fmt: skip
    _complete(message, claim=claim, answer=answer, outcome=outcome)
    if outcome.state == "delivered" and message.order_id is not None:
        _next_in_line(message)
    return outcome.state


def _post(message: WebhookMessage) -> Answer:
    endpoint = message.endpoint
    body = body_encode(message.body)
    started = time.monotonic()
    status_code, excerpt, error, retry_after = None, "", "", None
    try:
        headers = signature_headers(endpoint, webhook_id=message.webhook_id, at=utcnow(), body=body)
        response = _http().post(endpoint.url, content=body.encode(), headers=headers)
        status_code, retry_after = response.status_code, response.headers.get("retry-after")
        excerpt = response.text[:EXCERPT]
        if not response.is_success:
            error = f"HTTP {status_code}"
    except DomainError as exc:  # the key cannot read the secret (credentials_unreadable): not sent
        headers, error = {}, f"{exc.code}: {exc.message}"[:EXCERPT]
    except httpx.HTTPError as exc:  # no answer: refused, timed out, broken TLS, ...
        error = f"{type(exc).__name__}: {exc}"[:EXCERPT]
    latency_ms = int((time.monotonic() - started) * 1000)
    integration_call_record(
        direction="out", system="webhook", ok=status_code is not None and 200 <= status_code < 300,
        operation=message.event_type, connection=str(endpoint.pk), method="POST",
        endpoint=endpoint.url, status_code=status_code, latency_ms=latency_ms, error=error,
        request_headers=headers, request_body=body, response_body=excerpt,
        object_type="webhook_message", object_id=message.pk, correlation_id=message.webhook_id,
    )  # fmt: skip
    return Answer(status_code, excerpt, error, retry_after, latency_ms)


def _complete(message: WebhookMessage, *, claim: datetime, answer: Answer, outcome: Outcome):
    """Record the attempt and the message's new state, if the claim is still ours (a sender
    whose lease was taken over records nothing: the one that took it does)."""
    now = utcnow()
    state = STATE_AFTER[outcome.state]
    changes = {
        "state": state,
        "attempts": F("attempts") + 1,
        "round_attempts": F("round_attempts") + 1,
        "next_attempt_at": outcome.next_at,
        "claimed_at": None,
        "last_error": answer.error,
    }
    if state == "delivered":
        changes["delivered_at"] = now
    with transaction.atomic():
        mine = WebhookMessage.objects.filter(pk=message.pk, claimed_at=claim).update(**changes)
        if mine:
            WebhookAttempt.objects.create(
                message_id=message.pk, number=message.attempts + 1, at=claim,
                status_code=answer.status_code, latency_ms=answer.latency_ms,
                response_excerpt=answer.excerpt, error=answer.error,
                next_attempt_at=outcome.next_at, replay=message.round_attempts == 0
                and message.attempts > 0,
            )  # fmt: skip
    if mine and outcome.state == "gone":
        endpoint_gone(
            endpoint_id=message.endpoint_id,
            reason=f"The receiver answered 410 Gone to {message.webhook_id} "
            f"at {now:%Y-%m-%d %H:%M} UTC.",
        )


def _next_in_line(message: WebhookMessage) -> None:
    """The order's next message to this endpoint may go now: ask for it at once."""
    following = (
        WebhookMessage.objects.filter(
            endpoint_id=message.endpoint_id,
            order_id=message.order_id,
            sequence__gt=message.sequence,
            state__in=WAITING,
        )
        .order_by("sequence")
        .values_list("id", flat=True)
        .first()
    )
    if following is not None:
        delivery_ask(following)
