"""Input and output shapes of the cases API. Inputs forbid unknown fields and are bounded to what
is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.cases.domain.status import PRIORITIES, STATUSES
from ordino.cases.domain.types import RESOLUTIONS
from ordino.core.params import MAX_INT

Priority = Literal[PRIORITIES]  # type: ignore[valid-type]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class CaseFilters(Schema):
    status: Literal[STATUSES] | None = Field(None, description="Default: the active ones")  # type: ignore[valid-type]
    type: str | None = Field(None, max_length=40)
    order_id: int | None = Field(None, ge=1, le=MAX_INT)
    owner: str | None = Field(None, max_length=150, description="The owner's username")
    team: str | None = Field(None, max_length=80)


class InquiryIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    order_id: int | None = Field(None, ge=1, le=MAX_INT)
    customer_id: int | None = Field(None, ge=1, le=MAX_INT)
    priority: Priority | None = None


class TakeIn(StrictIn):
    user: str = Field(..., min_length=1, max_length=150, description="The agent taking it")


class AssignIn(StrictIn):
    user: str | None = Field(None, min_length=1, max_length=150)
    team: str | None = Field(None, min_length=1, max_length=80)


class StatusIn(StrictIn):
    status: Literal["open", "waiting"]
    note: str = Field("", max_length=500)


class CommentIn(StrictIn):
    text: str = Field(..., min_length=1, max_length=2000)


class ResolveIn(StrictIn):
    resolution: Literal[RESOLUTIONS]  # type: ignore[valid-type]
    note: str = Field("", max_length=2000)


class ActivityOut(Schema):
    kind: str
    actor: str
    message: str
    created_at: datetime


class CaseOut(Schema):
    id: int
    type: str
    type_name: str
    title: str
    description: str
    priority: str
    status: str
    owner_user: str | None
    owner_team: str | None
    order_id: int | None
    order_number: str | None
    customer_id: int | None
    payment_id: int | None
    fulfillment_order_id: int | None
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    escalation_level: int
    resolution: str | None
    resolved_at: datetime | None
    resolutions: list[str]
    activities: list[ActivityOut] | None = None


class LevelOut(Schema):
    after_hours: int
    to: str
    user: str


class CaseTypeOut(Schema):
    code: str
    name: str
    priority: str
    team: str | None
    sla_hours: int
    ladder: list[LevelOut]
    resolutions: list[str]
