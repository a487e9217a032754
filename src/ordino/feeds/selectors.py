"""Reads of channel feeds: a channel's feed and its items and runs, and what a push needs —
the channel's availability (inventory's own read: buffer and excluded locations applied there,
never recomputed here), which SKUs a change touches (kits of a changed component), the channel's
availability rule as a fingerprint. Other modules' tables are only read (docs/architecture.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.feeds.models import FeedItem, FeedRun, FeedSettings
from ordino.inventory.availability_reads import BULK_MAX_SKUS, availability_bulk
from ordino.orders.models import OrderLine

RUNS_SHOWN = 10


def feed_channel_get(
    *, code: str, scope: Scope = UNRESTRICTED, settings_change: bool = False
) -> Channel:
    """The channel whose feed the caller reaches. A channel outside its channels is unknown
    (404); a feed shows the channel's stock over every location, so a location-limited caller
    is refused (403 `token_restricted`), and its settings are shared configuration, changed by
    unrestricted callers only (as the channel's own, docs/security.md)."""
    channel = Channel.objects.filter(code=code).first()
    if channel is None or not scope.sees_channel(channel.id):
        raise NotFound("channel", code, field="channel")
    if settings_change:
        scope.require_unrestricted("a channel's feed settings")
    elif scope.location_ids is not None:
        raise DomainError(
            "token_restricted",
            "This token is limited to some locations; a channel's feed counts every location.",
            status=403,
        )
    return channel


def feed_settings_of(channel: Channel) -> FeedSettings:
    """Its settings, or the defaults (disabled, unsaved) for a channel without a feed."""
    settings = FeedSettings.objects.filter(channel=channel).first()
    return settings or FeedSettings(channel=channel, enabled=False)


def feeds_enabled() -> QuerySet[FeedSettings]:
    return FeedSettings.objects.filter(enabled=True, channel__is_active=True).select_related(
        "channel"
    )


def feed_channel_ids_enabled() -> list[int]:
    return list(feeds_enabled().values_list("channel_id", flat=True))


def channel_availability(*, channel_code: str, sku_codes: list[str]) -> dict[str, int]:
    """SKU code → available to the channel (inventory's `availability_bulk`, unrestricted: a
    feed is the channel's whole stock); an unknown SKU is absent."""
    found: dict[str, int] = {}
    for i in range(0, len(sku_codes), BULK_MAX_SKUS):
        bulk = availability_bulk(
            sku_codes=sku_codes[i : i + BULK_MAX_SKUS], channel_code=channel_code
        )
        found.update({item.sku_code: item.channel or 0 for item in bulk.items})
    return found


def skus_touched(sku_codes: Iterable[str]) -> set[str]:
    """The SKUs whose availability a change of these may move: themselves and every active kit
    made of one of them (a kit's availability comes from its components)."""
    codes = set(sku_codes)
    if not codes:
        return codes
    kits = KitComponent.objects.filter(component__code__in=codes, kit__is_active=True)
    return codes | set(kits.values_list("kit__code", flat=True))


def order_sku_codes(*, order_id: int) -> set[str]:
    """The SKUs an order's lines sold and the components they consume (a kit reserves its
    components: every kit sharing one moves too, `skus_touched` adds them)."""
    codes: set[str] = set()
    component_ids: set[int] = set()
    for code, components in OrderLine.objects.filter(order_id=order_id).values_list(
        "sku__code", "components"
    ):
        codes.add(code)
        component_ids.update(int(sku_id) for sku_id in (components or {}))
    if component_ids:
        codes.update(Sku.objects.filter(pk__in=component_ids).values_list("code", flat=True))
    return codes


def active_sku_codes(chunk: int = BULK_MAX_SKUS) -> Iterator[list[str]]:
    """Every active SKU's code (simple and kits), by id, in chunks: what a full push sends."""
    last = 0
    while True:
        rows = list(
            Sku.objects.filter(is_active=True, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "code")[:chunk]
        )
        if not rows:
            return
        last = rows[-1][0]
        yield [code for _, code in rows]


def channel_rule_fingerprint(channel: Channel) -> str:
    """The channel's availability rule (buffer, excluded locations) in 16 hex digits."""
    excluded = sorted(channel.excluded_locations.values_list("pk", flat=True))
    text = f"{channel.stock_buffer}|{','.join(map(str, excluded))}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def feed_items(*, channel: Channel, pending: bool | None = None) -> QuerySet[FeedItem]:
    items = FeedItem.objects.filter(channel=channel)
    if pending is not None:
        items = items.filter(pending_since__isnull=not pending)
    return items


def feed_runs(*, channel: Channel, limit: int = RUNS_SHOWN) -> list[FeedRun]:
    return list(FeedRun.objects.filter(channel=channel).order_by("-started_at", "-pk")[:limit])


def feed_item_serialize(item: FeedItem) -> dict:
    return {
        "sku": item.sku,
        "pushed_quantity": item.pushed_quantity,
        "pushed_at": item.pushed_at,
        "pending": item.pending_since is not None,
        "pending_since": item.pending_since,
        "changes": item.change_count,
        "failures": item.failures,
        "retry_at": item.retry_at,
        "last_error": item.last_error,
    }


def feed_run_serialize(run: FeedRun) -> dict:
    return {
        "id": run.pk,
        "kind": run.kind,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "skus_pushed": run.skus_pushed,
        "skus_failed": run.skus_failed,
        "skus_settled": run.skus_settled,
        "batches": run.batches,
        "error": run.error,
        "actor": run.actor,
    }


def feed_status(*, channel: Channel) -> dict:
    """A channel's feed: its settings, how many SKUs wait and since when, the last runs."""
    settings = feed_settings_of(channel)
    pending = feed_items(channel=channel, pending=True)
    oldest = pending.order_by("pending_since").values_list("pending_since", flat=True).first()
    return {
        "channel": channel.code,
        "settings": {
            "enabled": settings.enabled,
            "min_interval_seconds": settings.min_interval_seconds,
            "batch_size": settings.batch_size,
        },
        "configured": settings.pk is not None,
        "full_push_requested": settings.full_requested_at is not None,
        "last_delta_at": settings.last_delta_at,
        "items": feed_items(channel=channel).count(),
        "pending": pending.count(),
        "failing": pending.filter(failures__gt=0).count(),
        "oldest_pending_since": oldest,
        "runs": [feed_run_serialize(run) for run in feed_runs(channel=channel)],
    }
