"""Marking (channel, SKU) pending when its availability may have moved (docs/feeds.md).

A mark is two statements whatever the number of channels and SKUs: the missing rows inserted
(a unique (channel, SKU) lets a concurrent twin win), then one UPDATE that keeps the first change
time (`COALESCE(pending_since, now)`) and counts the change. Marking more than changed is cheap:
a pending SKU whose quantity already shows is settled without a push.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.feeds import selectors
from ordino.feeds.models import FeedItem, FeedSettings

MARK_CHUNK = 500  # SKUs per statement: well inside every database's parameter limit


def feed_items_mark(
    *,
    sku_codes: Iterable[str],
    channel_ids: list[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Mark the SKUs pending on these channels (default: every channel with a feed enabled);
    the number of (channel, SKU) rows marked."""
    now = now or utcnow()
    codes = sorted(set(sku_codes))
    ids = selectors.feed_channel_ids_enabled() if channel_ids is None else channel_ids
    if not codes or not ids:
        return 0
    marked = 0
    with use_case_atomic():
        for i in range(0, len(codes), MARK_CHUNK):
            chunk = codes[i : i + MARK_CHUNK]
            rows = FeedItem.objects.filter(channel_id__in=ids, sku__in=chunk)
            mark = {
                "pending_since": Coalesce(F("pending_since"), Value(now)),
                "change_count": F("change_count") + 1,
            }
            updated = rows.update(**mark)
            if updated < len(ids) * len(chunk):  # first changes of some: their rows, then mark
                created = FeedItem.objects.bulk_create(
                    [FeedItem(channel_id=c, sku=sku) for c in ids for sku in chunk],
                    ignore_conflicts=True,
                )
                if created:
                    # a row marked just now is marked again: one change counted twice, harmless
                    updated = rows.filter(change_count=0).update(**mark) + updated
            marked += updated
    return marked


def feed_marks_for_stock(*, sku_codes: Iterable[str]) -> int:
    """Stock of these SKUs moved: they and the kits made of them are pending on every feed."""
    ids = selectors.feed_channel_ids_enabled()
    if not ids:
        return 0  # no feed: one statement, whatever the event
    return feed_items_mark(sku_codes=selectors.skus_touched(sku_codes), channel_ids=ids)


def feed_marks_for_order(*, order_id: int) -> int:
    """An order reserved or gave back stock: its SKUs (and their kits) are pending."""
    ids = selectors.feed_channel_ids_enabled()
    if not ids:
        return 0
    codes = selectors.skus_touched(selectors.order_sku_codes(order_id=order_id))
    return feed_items_mark(sku_codes=codes, channel_ids=ids)


def feed_marks_all(*, channel_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Every active SKU pending (a stock feed file touched any of them; a channel's buffer or
    excluded locations changed)."""
    ids = selectors.feed_channel_ids_enabled() if channel_ids is None else channel_ids
    if not ids:
        return 0
    return sum(
        feed_items_mark(sku_codes=codes, channel_ids=ids, now=now)
        for codes in selectors.active_sku_codes()
    )


def feed_rules_check(settings: FeedSettings, *, now: datetime) -> int:
    """If the channel's availability rule changed since last seen (its buffer or excluded
    locations: channels emits no event for it), every SKU is pending again. Also how a newly
    enabled feed gets its first levels. The number of rows marked."""
    fingerprint = selectors.channel_rule_fingerprint(settings.channel)
    if fingerprint == settings.rule_fingerprint:
        return 0
    taken = FeedSettings.objects.filter(
        pk=settings.pk, rule_fingerprint=settings.rule_fingerprint
    ).update(rule_fingerprint=fingerprint)
    settings.rule_fingerprint = fingerprint
    if not taken:
        return 0  # another worker saw it first and marks
    return feed_marks_all(channel_ids=[settings.channel_id], now=now)
