"""API shapes of channel feeds. Inputs forbid unknown fields and take JSON types strictly; the
settings' bounds are the domain's (`domain/plan.py`)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.feeds.domain.plan import BATCH_SIZE, MIN_INTERVAL_SECONDS


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class FeedSettingsIn(Input):
    enabled: bool
    min_interval_seconds: int = Field(
        30,
        ge=MIN_INTERVAL_SECONDS[0],
        le=MIN_INTERVAL_SECONDS[1],
        description="Pending SKUs are pushed at most once per this many seconds.",
    )
    batch_size: int = Field(
        100, ge=BATCH_SIZE[0], le=BATCH_SIZE[1], description="SKUs per request to the channel."
    )
    reason: str = Field("", max_length=255, description="Why (kept in the audit log).")


class ItemFilters(Schema):
    pending: bool | None = Field(None, description="Only the SKUs waiting (true) or not (false).")


class FeedSettingsOut(Schema):
    enabled: bool
    min_interval_seconds: int
    batch_size: int


class FeedRunOut(Schema):
    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    skus_pushed: int
    skus_failed: int
    skus_settled: int
    batches: int
    error: str
    actor: str


class FeedOut(Schema):
    channel: str
    configured: bool
    settings: FeedSettingsOut
    full_push_requested: bool = False
    last_delta_at: datetime | None
    items: int
    pending: int
    failing: int
    oldest_pending_since: datetime | None
    runs: list[FeedRunOut]


class FeedItemOut(Schema):
    sku: str
    pushed_quantity: int | None
    pushed_at: datetime | None
    pending: bool
    pending_since: datetime | None
    changes: int
    failures: int
    retry_at: datetime | None
    last_error: str
