"""Input and output shapes of the webhooks API (docs/webhooks.md, "API"). Inputs forbid unknown
fields and are bounded to what is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, IsoDateTime

EventTypes = list[str]
State = Literal["pending", "failed", "delivered", "dead"]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class EndpointIn(StrictIn):
    url: str = Field(..., min_length=1, max_length=500, description="https:// only")
    event_types: list[str] = Field(
        ..., min_length=1, max_length=100, description="Wire names: GET /webhooks/event-types"
    )
    description: str = Field("", max_length=200)


class EndpointChangeIn(StrictIn):
    url: str | None = Field(None, min_length=1, max_length=500)
    event_types: list[str] | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=200)


class DisableIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=300)


class ReasonIn(StrictIn):
    reason: str = Field("", max_length=255)


class RangeReplayIn(StrictIn):
    from_: IsoDateTime = Field(..., alias="from")
    to: IsoDateTime
    only_failed: bool = False
    reason: str = Field("", max_length=255)

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class MessageFilters(Schema):
    state: State | None = None
    event_type: str | None = Field(None, max_length=80)
    order_id: int | None = Field(None, ge=1, le=MAX_INT)
    from_: IsoDateTime | None = Field(None, alias="from")
    to: IsoDateTime | None = None


class EventTypeOut(Schema):
    name: str
    description: str


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    status: str
    disabled_reason: str
    disabled_at: datetime | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    secret: str | None = Field(
        None, description="Only when made or rotated: keep it, it is not shown again"
    )


class AttemptOut(Schema):
    number: int
    at: datetime
    status_code: int | None
    latency_ms: int | None
    response_excerpt: str
    error: str
    next_attempt_at: datetime | None
    replay: bool


class MessageOut(Schema):
    id: int
    webhook_id: str
    endpoint_id: int
    event_id: int
    event_type: str
    order_id: int | None
    sequence: int | None
    state: State
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str
    created_at: datetime
    body: dict[str, Any]


class MessageDetailOut(MessageOut):
    attempt_list: list[AttemptOut]


class ReplayedOut(Schema):
    replayed: int
