"""Reads of sales channels."""

from __future__ import annotations

from django.db.models import QuerySet

from ordino.channels.models import Channel
from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope


def channel_list(
    *,
    scope: Scope = UNRESTRICTED,
    kind: str | None = None,
    active: bool | None = None,
) -> QuerySet[Channel]:
    qs = Channel.objects.prefetch_related("excluded_locations")
    if scope.channel_ids is not None:  # a location limit does not hide channels
        qs = qs.filter(id__in=scope.channel_ids)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def channel_get(*, code: str, scope: Scope = UNRESTRICTED) -> Channel:
    channel = channel_list(scope=scope).filter(code=code).first()
    if channel is None:
        raise NotFound("channel", code)
    return channel
