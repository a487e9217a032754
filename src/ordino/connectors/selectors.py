"""Reads of the connector core's tables (docs/connectors.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from ordino.connectors.models import Connection, InboundMessage
from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope


def connection_list(*, scope: Scope = UNRESTRICTED) -> QuerySet[Connection]:
    qs = Connection.objects.select_related("channel").order_by("pk")
    if scope.restricted:
        qs = qs.filter(channel_id__in=_channels_seen(scope))
    return qs


def _channels_seen(scope: Scope) -> frozenset[int]:
    """A channel-limited principal sees its channels' connections; a location-limited one none
    (as `Scope.sells_in`: a location names no channel)."""
    return scope.channel_ids if scope.channel_ids is not None else frozenset()


def connection_get(*, connection_id: int, scope: Scope = UNRESTRICTED) -> Connection:
    connection = Connection.objects.select_related("channel").filter(pk=connection_id).first()
    if connection is None or not scope.sells_in(connection.channel_id):
        raise NotFound("connection", connection_id)
    return connection


def message_list(
    *,
    scope: Scope = UNRESTRICTED,
    status: str | None = None,
    connection_id: int | None = None,
    external_order_id: str | None = None,
) -> QuerySet[InboundMessage]:
    qs = InboundMessage.objects.select_related("connection__channel").order_by("-pk")
    if scope.restricted:
        qs = qs.filter(connection__channel_id__in=_channels_seen(scope))
    if status:
        qs = qs.filter(status=status)
    if connection_id is not None:
        qs = qs.filter(connection_id=connection_id)
    if external_order_id:
        qs = qs.filter(external_order_id=external_order_id)
    return qs


def message_get(*, message_id: int, scope: Scope = UNRESTRICTED) -> InboundMessage:
    message = (
        InboundMessage.objects.select_related("connection__channel").filter(pk=message_id).first()
    )
    if message is None or not scope.sells_in(message.connection.channel_id):
        raise NotFound("inbound_message", message_id)
    return message
