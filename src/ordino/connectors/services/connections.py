"""Connections: configure how Ordino reaches a channel's shop (docs/connectors.md). Every change
is audited; secrets are encrypted at rest and never read back (the audit says only that they
changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ordino.audit.services import audit_record
from ordino.channels.selectors import channel_get
from ordino.connectors.models import Connection
from ordino.connectors.platforms import PLATFORMS
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.encryption import secret_encrypt
from ordino.core.transactions import use_case_atomic

SECRETS = ("access_token", "webhook_secret")
MIN_POLL_SECONDS = 60


@dataclass(frozen=True)
class ConnectionSettings:
    """What a person sets on a connection; None: unchanged (on an update)."""

    platform: str | None = None
    base_url: str | None = None
    access_token: str | None = None
    webhook_secret: str | None = None
    is_active: bool | None = None
    poll_interval_seconds: int | None = None
    # Shopify: the location the feed sets stock at; 0 clears it (learned again when the shop
    # has one active location: docs/connectors.md, "Stock pushed to the channel")
    inventory_location_id: int | None = None


def _check(values: ConnectionSettings) -> None:
    if values.platform is not None and values.platform not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise DomainError(
            "unknown_platform", f"No platform {values.platform!r}; known: {known}.",
            field="platform",
        )  # fmt: skip
    if values.base_url is not None:
        parts = urlsplit(values.base_url)
        if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
            raise DomainError(
                "invalid_base_url",
                "The shop's address is an https URL without a path, e.g. "
                "https://example.myshopify.com.",
                field="base_url",
            )
    interval = values.poll_interval_seconds
    if interval is not None and interval and interval < MIN_POLL_SECONDS:
        raise DomainError(
            "invalid_poll_interval",
            f"Poll at most every {MIN_POLL_SECONDS} seconds, or 0 for never.",
            field="poll_interval_seconds",
        )


def _public(connection: Connection) -> dict[str, Any]:
    return {
        "channel": connection.channel.code,
        "platform": connection.platform,
        "base_url": connection.base_url,
        "is_active": connection.is_active,
        "poll_interval_seconds": connection.poll_interval_seconds,
        "inventory_location_id": connection.inventory_location_id,
        "has_credentials": bool(connection.credentials_encrypted),
        "has_webhook_secret": bool(connection.webhook_secret_encrypted),
    }


def _apply(connection: Connection, values: ConnectionSettings) -> None:
    for name in ("platform", "is_active", "poll_interval_seconds"):
        if getattr(values, name) is not None:
            setattr(connection, name, getattr(values, name))
    if values.base_url is not None:
        connection.base_url = values.base_url.rstrip("/")
    if values.inventory_location_id is not None:
        connection.inventory_location_id = values.inventory_location_id or None
    if values.access_token is not None:
        connection.credentials_encrypted = secret_encrypt(values.access_token)
    if values.webhook_secret is not None:
        connection.webhook_secret_encrypted = secret_encrypt(values.webhook_secret)


def connection_create(*, channel: str, values: ConnectionSettings, reason: str = "") -> Connection:
    """One connection per channel: a second is 409 `connection_exists`."""
    if values.platform is None or values.base_url is None:
        raise DomainError("invalid_connection", "platform and base_url are required.")
    _check(values)
    with use_case_atomic():
        found = channel_get(code=channel)
        if Connection.objects.filter(channel=found).exists():
            raise Conflict(
                "connection_exists", f"Channel {channel} has a connection already.",
                field="channel",
            )  # fmt: skip
        connection = Connection(channel=found)
        _apply(connection, values)
        connection.save()
        audit_record(
            object_type="connection", object_id=connection.pk, action="created",
            after=_public(connection), reason=reason, label=str(connection),
        )  # fmt: skip
        return connection


def connection_update(
    *, connection: Connection, values: ConnectionSettings, reason: str = ""
) -> Connection:
    _check(values)
    with use_case_atomic():
        before = _public(connection)
        _apply(connection, values)
        if connection.base_url != before["base_url"]:
            # another shop: the ids learned at the old one mean nothing there
            connection.sku_ids.all().delete()
            if values.inventory_location_id is None:
                connection.inventory_location_id = None
        connection.save()
        after = _public(connection)
        for name in SECRETS:  # a secret changed: say so, never show it
            if getattr(values, name) is not None:
                after[f"{name}_changed"] = True
        audit_record(
            object_type="connection", object_id=connection.pk, action="changed",
            before=before, after=after, reason=reason, label=str(connection),
        )  # fmt: skip
        return connection
