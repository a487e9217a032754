"""Reads of sales channels."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from ordino.channels.models import Channel
from ordino.core.domain.errors import NotFound


def channel_list(
    *,
    visible_ids: Collection[int] | None = None,
    kind: str | None = None,
    active: bool | None = None,
) -> QuerySet[Channel]:
    qs = Channel.objects.prefetch_related("excluded_locations")
    if visible_ids is not None:
        qs = qs.filter(id__in=visible_ids)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def channel_get(*, code: str, visible_ids: Collection[int] | None = None) -> Channel:
    channel = channel_list(visible_ids=visible_ids).filter(code=code).first()
    if channel is None:
        raise NotFound("channel", code)
    return channel
