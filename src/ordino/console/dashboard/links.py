"""Where the dashboard's tiles and charts lead: the orders and fulfillment orders lists,
filtered by the admin's own GET parameters, so the list shows exactly what the tile counts.

- orders captured in the period: `created_at__gte` / `created_at__lt` (UTC, the same bounds as
  the report), the channel: `channel__id__exact` (or `channel__id__in` for a user limited to
  some channels), a status: `status__exact`, a currency: `currency__exact`;
- fulfillment orders open now: `location__id__exact`, `status__exact`, and the channel of their
  order: `order__channel__id__exact` / `__in` (the `order__channel` list filter allows it)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django.urls import reverse

from ordino.console.dashboard.picker import Choice
from ordino.core.domain.scope import Scope


def _utc(day) -> str:
    return str(datetime.combine(day, time.min, tzinfo=UTC))  # "2026-03-01 00:00:00+00:00"


def _channels(choice: Choice, scope: Scope, prefix: str) -> dict[str, str]:
    if choice.channel is not None:
        return {f"{prefix}channel__id__exact": str(choice.channel.id)}
    if scope.channel_ids is not None:
        ids = ",".join(str(i) for i in sorted(scope.channel_ids)) or "0"
        return {f"{prefix}channel__id__in": ids}
    return {}


def orders_list(choice: Choice, scope: Scope, **filters: str) -> str:
    """The orders captured in the chosen period and channel(s), with `filters` (admin
    lookups such as `status__exact="cancelled"`)."""
    return orders_between(choice, scope, choice.date_from, choice.date_to, **filters)


def orders_between(choice: Choice, scope: Scope, first, last, **filters: str) -> str:
    """The orders captured from day `first` to day `last` (inclusive, within the chosen
    period) in the chosen channel(s), with `filters`; a `channel__id__exact` filter narrows
    "all channels" to one (a chart's bar of one channel)."""
    first, last = max(first, choice.date_from), min(last, choice.date_to)
    params = {
        "created_at__gte": _utc(first),
        "created_at__lt": _utc(last + timedelta(days=1)),
        **_channels(choice, scope, ""),
    }
    if "channel__id__exact" in filters:
        params.pop("channel__id__in", None)
    params.update(filters)
    return f"{reverse('admin:orders_order_changelist')}?{urlencode(params)}"


def queue_list(choice: Choice, scope: Scope, *, location_id: int, status: str) -> str:
    """The fulfillment orders in `status` at a location now, of the chosen channel(s)."""
    params = {
        "location__id__exact": str(location_id),
        "status__exact": status,
        **_channels(choice, scope, "order__"),
    }
    return f"{reverse('admin:fulfillment_fulfillmentorder_changelist')}?{urlencode(params)}"
