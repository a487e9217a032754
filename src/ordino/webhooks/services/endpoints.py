"""Endpoints: made, changed, disabled, enabled, their secret rotated, deleted — each audited
(docs/webhooks.md, "Endpoints"). The secret is returned once, by create and rotate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from ordino.audit.services import audit_record, snapshot
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.webhooks.catalog import event_types
from ordino.webhooks.domain.endpoints import event_types_check, secret_generate, url_check
from ordino.webhooks.models import WebhookEndpoint, WebhookMessage

# How long the secret before a rotation still signs (beside the new one), so the receiver can
# switch without losing a message (Svix: 24 hours).
PREVIOUS_SECRET_VALID = timedelta(hours=24)
AUDITED_OUT = ("secret_encrypted", "previous_secret_encrypted")  # never in the audit


@dataclass(frozen=True)
class EndpointWithSecret:
    endpoint: WebhookEndpoint
    secret: str  # shown once


def local_http_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "ORDINO_WEBHOOKS_ALLOW_LOCAL_HTTP", False))


def _audit(endpoint: WebhookEndpoint, action: str, before=None, reason: str = "", actor=None):
    audit_record(
        object_type="webhook_endpoint",
        object_id=endpoint.pk,
        action=action,
        before=before,
        after=snapshot(endpoint, exclude=AUDITED_OUT),
        reason=reason,
        label=endpoint.url,
        actor=actor,
    )


def _locked(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("webhook_endpoint", endpoint_id)
    return endpoint


def endpoint_create(
    *, url: str, event_types_chosen: list[str], description: str = "", actor: str | None = None
) -> EndpointWithSecret:
    url = url_check(url, allow_local_http=local_http_allowed())
    chosen = event_types_check(event_types_chosen, known=event_types())
    now = utcnow()
    secret = secret_generate()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url, description=description.strip()[:200], event_types=chosen,
            secret=secret, created_at=now, updated_at=now,
        )  # fmt: skip
        _audit(endpoint, "created", actor=actor)
    return EndpointWithSecret(endpoint, secret)


def endpoint_update(
    *,
    endpoint_id: int,
    url: str | None = None,
    event_types_chosen: list[str] | None = None,
    description: str | None = None,
    actor: str | None = None,
) -> WebhookEndpoint:
    """Change what is given; messages already made keep their URL-independent body and go to
    the endpoint's URL as it is when sent."""
    checked_url = url_check(url, allow_local_http=local_http_allowed()) if url is not None else None
    chosen = (
        event_types_check(event_types_chosen, known=event_types())
        if event_types_chosen is not None
        else None
    )
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        before = snapshot(endpoint, exclude=AUDITED_OUT)
        if checked_url is not None:
            endpoint.url = checked_url
        if chosen is not None:
            endpoint.event_types = chosen
        if description is not None:
            endpoint.description = description.strip()[:200]
        endpoint.updated_at = utcnow()
        endpoint.save()
        _audit(endpoint, "changed", before, actor=actor)
    return endpoint


def endpoint_disable(*, endpoint_id: int, reason: str, actor: str | None = None) -> WebhookEndpoint:
    """No message is sent to it (nor made for it) until it is enabled again."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint.status == "disabled":
            raise Conflict("endpoint_disabled", "It is disabled already.")
        before = snapshot(endpoint, exclude=AUDITED_OUT)
        endpoint.status, endpoint.disabled_reason = "disabled", reason.strip()[:300]
        endpoint.disabled_at = endpoint.updated_at = utcnow()
        endpoint.save()
        _audit(endpoint, "disabled", before, reason=reason, actor=actor)
    return endpoint


def endpoint_gone(*, endpoint_id: int, reason: str) -> bool:
    """The receiver answered 410 Gone: disabled, once (a conditional update: several senders
    may hear it at the same time)."""
    now = utcnow()
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint_id, status="active").update(
            status="disabled", disabled_reason=reason[:300], disabled_at=now, updated_at=now
        )
        if changed:
            endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
            _audit(endpoint, "disabled", reason=reason, actor="system:webhooks")
    return bool(changed)


def endpoint_enable(
    *, endpoint_id: int, actor: str | None = None, reason: str = ""
) -> WebhookEndpoint:
    """Its waiting messages are sent again, from where they stopped, in order. Enabling an
    active endpoint changes nothing."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint.status == "active":
            return endpoint
        before = snapshot(endpoint, exclude=AUDITED_OUT)
        endpoint.status, endpoint.disabled_reason, endpoint.disabled_at = "active", "", None
        endpoint.updated_at = utcnow()
        endpoint.save()
        _audit(endpoint, "enabled", before, reason=reason, actor=actor)
    return endpoint


def endpoint_secret_rotate(
    *, endpoint_id: int, actor: str | None = None, reason: str = ""
) -> EndpointWithSecret:
    """A new secret, returned once; the old one keeps signing beside it for
    PREVIOUS_SECRET_VALID (messages carry both signatures meanwhile). An old secret the key
    cannot read any more (the key changed) is dropped: rotating is its remedy."""
    secret = secret_generate()
    now = utcnow()
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        try:
            endpoint.previous_secret = endpoint.secret
            endpoint.previous_secret_expires_at = now + PREVIOUS_SECRET_VALID
        except DomainError:  # credentials_unreadable: nothing the receiver can still check
            endpoint.previous_secret, endpoint.previous_secret_expires_at = "", None
        endpoint.secret, endpoint.updated_at = secret, now
        endpoint.save()
        _audit(endpoint, "secret_rotated", reason=reason, actor=actor)
    return EndpointWithSecret(endpoint, secret)


def endpoint_delete(*, endpoint_id: int, actor: str | None = None) -> None:
    """Refused while messages wait for it (disable it instead: nothing accepted is lost)."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        waiting = WebhookMessage.objects.filter(
            endpoint_id=endpoint_id, state__in=("pending", "failed")
        ).count()
        if waiting:
            raise Conflict(
                "endpoint_has_waiting_messages",
                f"{waiting} messages still wait for it: disable it, or let them be delivered.",
            )
        before = snapshot(endpoint, exclude=AUDITED_OUT)
        audit_record(
            object_type="webhook_endpoint", object_id=endpoint.pk, action="deleted",
            before=before, label=endpoint.url, actor=actor,
        )  # fmt: skip
        endpoint.delete()
