"""Pushing a channel's levels: the periodic delta round and the full push (docs/feeds.md).

No database transaction is held while a pusher calls the channel: a round claims its channel by
one conditional update (so one worker of many pushes it), reads what is pending and the
channel's availability (inventory's read), calls, then writes the outcome in short statements.
A pushed SKU stops being pending only if no change came while the push ran (its `change_count`
is the one read before); a refused SKU, or every SKU of a batch whose call failed, stays pending
and is tried again after a backoff: nothing is lost. Each batch is in the integration log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict
from ordino.feeds import selectors
from ordino.feeds.domain.plan import (
    Level,
    Pending,
    channel_due,
    delta_plan,
    full_plan,
    retry_at,
)
from ordino.feeds.models import FeedItem, FeedRun, FeedSettings
from ordino.feeds.ports import pusher_for
from ordino.feeds.services.marking import feed_rules_check
from ordino.integrations.services import integration_call_record
from ordino.inventory.availability_reads import BULK_MAX_SKUS

logger = logging.getLogger(__name__)
ROUND_MAX = BULK_MAX_SKUS  # pending SKUs one delta round takes, oldest change first
SYSTEM_ACTOR = "system:feeds"


@dataclass
class _Outcome:
    pushed: int = 0
    failed: int = 0
    settled: int = 0
    batches: int = 0
    error: str = ""
    stopped: str = ""  # a call raised: the round's other batches are not sent


def feed_push_due(now: datetime | None = None) -> int:
    """The periodic job: every enabled feed's requested full push or due delta round; the
    number of SKUs pushed."""
    now = now or utcnow()
    pushed = 0
    for settings in selectors.feeds_enabled():
        try:
            feed_rules_check(settings, now=now)
            if settings.full_requested_at is not None and _full_claim(settings):
                actor = settings.full_requested_by or SYSTEM_ACTOR
                run = _full_run(settings, actor=actor, now=now)
            else:
                run = feed_push_delta(settings=settings, now=now)
        except Exception:  # one channel's trouble stops neither the others nor the worker
            logger.exception("feed round of channel %s failed", settings.channel.code)
            continue
        pushed += run.skus_pushed if run else 0
    return pushed


def feed_push_delta(*, settings: FeedSettings, now: datetime) -> FeedRun | None:
    """The channel's pending SKUs, if it is due and has some; None when nothing was to do."""
    if not channel_due(
        last_push_at=settings.last_delta_at,
        now=now,
        min_interval_seconds=settings.min_interval_seconds,
    ):
        return None
    due = list(
        FeedItem.objects.filter(channel_id=settings.channel_id, pending_since__isnull=False)
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
        .order_by("pending_since", "pk")
        .values_list("sku", "pushed_quantity", "change_count")[:ROUND_MAX]
    )
    if not due or not _delta_claim(settings, now):
        return None
    run = FeedRun.objects.create(
        channel_id=settings.channel_id, kind=FeedRun.DELTA, started_at=now, actor=SYSTEM_ACTOR
    )
    counts = {sku: count for sku, _, count in due}
    available = selectors.channel_availability(
        channel_code=settings.channel.code, sku_codes=list(counts)
    )
    plan = delta_plan(
        [Pending(sku, pushed) for sku, pushed, _ in due], available, batch_size=settings.batch_size
    )
    outcome = _Outcome(settled=len(plan.settled))
    _items_settled(settings.channel_id, plan.settled, counts)
    _send(settings, run, plan.batches, counts, now, outcome)
    return _run_finish(run, outcome)


def feed_push_full(*, channel: Channel, actor: str, now: datetime | None = None) -> FeedRun:
    """Every active SKU's level now, whatever was pushed before (the CLI; the API and the
    console ask the worker for it: `feed_full_request`)."""
    settings = _enabled_settings(channel)
    return _full_run(settings, actor=actor, now=now or utcnow())


def feed_full_request(*, channel: Channel, actor: str) -> FeedSettings:
    """Ask the worker for a full push of the channel at its next round."""
    settings = _enabled_settings(channel)
    settings.full_requested_at, settings.full_requested_by = utcnow(), actor[:150]
    settings.save(update_fields=["full_requested_at", "full_requested_by"])
    return settings


def _enabled_settings(channel: Channel) -> FeedSettings:
    settings = FeedSettings.objects.filter(channel=channel, enabled=True).first()
    if settings is None:
        raise Conflict(
            "feed_disabled",
            f"Channel {channel.code!r} has no feed enabled: enable it in its feed settings.",
            field="channel",
        )
    settings.channel = channel
    return settings


def _full_run(settings: FeedSettings, *, actor: str, now: datetime) -> FeedRun:
    channel_id = settings.channel_id
    run = FeedRun.objects.create(
        channel_id=channel_id, kind=FeedRun.FULL, started_at=now, actor=actor[:150]
    )
    outcome = _Outcome()
    for codes in selectors.active_sku_codes():
        FeedItem.objects.bulk_create(
            [FeedItem(channel_id=channel_id, sku=sku) for sku in codes], ignore_conflicts=True
        )
        counts = dict(
            FeedItem.objects.filter(channel_id=channel_id, sku__in=codes).values_list(
                "sku", "change_count"
            )
        )
        available = selectors.channel_availability(
            channel_code=settings.channel.code, sku_codes=codes
        )
        plan = full_plan(codes, available, batch_size=settings.batch_size)
        _send(settings, run, plan.batches, counts, now, outcome)
    return _run_finish(run, outcome)


def _delta_claim(settings: FeedSettings, now: datetime) -> bool:
    """This worker's round: the channel's `last_delta_at` moved from what it read to now."""
    rows = FeedSettings.objects.filter(pk=settings.pk)
    prior = settings.last_delta_at
    rows = (
        rows.filter(last_delta_at__isnull=True)
        if prior is None
        else rows.filter(last_delta_at=prior)
    )
    if rows.update(last_delta_at=now) != 1:
        return False
    settings.last_delta_at = now
    return True


def _full_claim(settings: FeedSettings) -> bool:
    taken = FeedSettings.objects.filter(
        pk=settings.pk, full_requested_at=settings.full_requested_at
    ).update(full_requested_at=None)
    return taken == 1


def _send(
    settings: FeedSettings,
    run: FeedRun,
    batches: list[list[Level]],
    counts: Mapping[str, int],
    now: datetime,
    outcome: _Outcome,
) -> None:
    channel = settings.channel
    pusher = pusher_for(channel.code)
    for batch in batches:
        if outcome.stopped:
            _items_failed(settings, {sku: outcome.stopped for sku, _ in batch}, now)
            outcome.failed += len(batch)
            continue
        outcome.batches += 1
        started = time.monotonic()
        error = ""
        try:
            refused = dict(pusher.push(channel.code, batch))
        except Exception as exc:  # the channel's call failed: the whole batch stays pending
            error = f"{type(exc).__name__}: {exc}"[:300]
            refused = {sku: error for sku, _ in batch}
            outcome.stopped = error
        integration_call_record(
            direction="out",
            system=pusher.system,
            operation=pusher.operation,
            connection=channel.code,
            ok=not refused,
            latency_ms=int((time.monotonic() - started) * 1000),
            error=error or _refused_summary(refused),
            request_body={"channel": channel.code, "levels": [list(lv) for lv in batch]},
            response_body={"refused": refused} if refused else None,
            object_type="feed_run",
            object_id=run.pk,
        )
        accepted = [(sku, qty) for sku, qty in batch if sku not in refused]
        _items_pushed(channel.pk, accepted, counts, now)
        _items_failed(settings, {sku: refused[sku] for sku, _ in batch if sku in refused}, now)
        outcome.pushed += len(accepted)
        outcome.failed += len(batch) - len(accepted)
        outcome.error = outcome.error or error or _refused_summary(refused)


def _refused_summary(refused: Mapping[str, str]) -> str:
    if not refused:
        return ""
    sku, reason = next(iter(refused.items()))
    # the SKU quoted: the log's failure signature replaces it, one theme for every SKU
    return f"{len(refused)} SKU(s) refused, first {sku!r}: {reason}"[:300]


def _pending_cleared(counts: Mapping[str, int], skus: list[str]) -> Case:
    """`pending_since` cleared for each SKU whose change count is still the one read."""
    return Case(
        *[
            When(sku=sku, change_count=counts[sku], then=Value(None))
            for sku in skus
            if sku in counts
        ],
        default=F("pending_since"),
        output_field=DateTimeField(),
    )


def _items_settled(channel_id: int, skus: list[str], counts: Mapping[str, int]) -> None:
    if skus:
        FeedItem.objects.filter(channel_id=channel_id, sku__in=skus).update(
            pending_since=_pending_cleared(counts, skus), failures=0, retry_at=None, last_error=""
        )


def _items_pushed(
    channel_id: int, levels: list[Level], counts: Mapping[str, int], now: datetime
) -> None:
    if not levels:
        return
    skus = [sku for sku, _ in levels]
    FeedItem.objects.filter(channel_id=channel_id, sku__in=skus).update(
        pushed_quantity=Case(
            *[When(sku=sku, then=Value(qty)) for sku, qty in levels], output_field=IntegerField()
        ),
        pushed_at=now,
        pending_since=_pending_cleared(counts, skus),
        failures=0,
        retry_at=None,
        last_error="",
    )


def _items_failed(settings: FeedSettings, refused: Mapping[str, str], now: datetime) -> None:
    """Still pending (pending from now if it was not: a full push's SKU), retried later."""
    if not refused:
        return
    rows = FeedItem.objects.filter(channel_id=settings.channel_id, sku__in=list(refused))
    failures = dict(rows.values_list("sku", "failures"))
    rows.update(
        pending_since=Coalesce(F("pending_since"), Value(now)),
        failures=F("failures") + 1,
        retry_at=Case(
            *[
                When(
                    sku=sku,
                    then=Value(
                        retry_at(
                            failures=count + 1,
                            now=now,
                            min_interval_seconds=settings.min_interval_seconds,
                        )
                    ),
                )
                for sku, count in failures.items()
            ],
            output_field=DateTimeField(),
        ),
        last_error=Case(
            *[When(sku=sku, then=Value(reason[:300])) for sku, reason in refused.items()],
            default=Value(""),
        ),
    )


def _run_finish(run: FeedRun, outcome: _Outcome) -> FeedRun:
    run.finished_at = utcnow()
    run.skus_pushed, run.skus_failed = outcome.pushed, outcome.failed
    run.skus_settled, run.batches, run.error = outcome.settled, outcome.batches, outcome.error
    run.save(
        update_fields=[
            "finished_at",
            "skus_pushed",
            "skus_failed",
            "skus_settled",
            "batches",
            "error",
        ]
    )
    return run
