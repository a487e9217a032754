"""The connectors API's shapes: credentials are write-only, never in an answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

Secret = Field(None, min_length=1, max_length=500)


class ConnectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    channel: str = Field(..., min_length=1, max_length=64)
    platform: str = Field(..., min_length=1, max_length=32)
    base_url: str = Field(..., min_length=8, max_length=255)
    access_token: str | None = Secret
    webhook_secret: str | None = Secret
    active: bool = True
    poll_interval_seconds: int = Field(300, ge=0, le=86_400)
    inventory_location_id: int | None = Field(None, ge=1, le=2**63 - 1)


class ConnectionPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    base_url: str | None = Field(None, min_length=8, max_length=255)
    access_token: str | None = Secret
    webhook_secret: str | None = Secret
    active: bool | None = None
    poll_interval_seconds: int | None = Field(None, ge=0, le=86_400)
    inventory_location_id: int | None = Field(None, ge=0, le=2**63 - 1)  # 0: learn it again
    reason: str = Field("", max_length=500)


class ConnectionOut(Schema):
    id: int
    channel: str
    platform: str
    base_url: str
    active: bool
    poll_interval_seconds: int
    inventory_location_id: int | None
    has_credentials: bool
    has_webhook_secret: bool
    webhook_url: str
    updated_after: datetime | None
    last_poll_at: datetime | None
    last_poll_error: str
    created_at: datetime


class PollOut(Schema):
    ok: bool
    pulled: int
    new: int
    error: str


MessageStatus = Literal["received", "captured", "updated", "cancelled", "ignored", "failed"]


class InboundMessageOut(Schema):
    id: int
    connection_id: int
    channel: str
    source: str
    delivery_id: str | None
    topic: str
    external_order_id: str
    status: str
    error_code: str
    error_message: str
    error_path: str
    order_id: int | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None


class InboundMessageDetailOut(InboundMessageOut):
    headers: dict
    raw_body: str


class WebhookOut(Schema):
    received: bool
    message_id: int
    duplicate: bool
    status: str
