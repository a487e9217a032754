"""Input and output shapes of the cases API. Inputs forbid unknown fields and are bounded to what
is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.cases.domain.status import PRIORITIES, STATUSES
from ordino.cases.domain.types import RESOLUTIONS
from ordino.core.params import MAX_INT, Code
from ordino.holds.schemas import Condition

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


class RoutingRuleIn(StrictIn):
    """A routing rule: when `condition` matches a new case's order (and the case is of one of
    `case_types`, none: any), the case goes to `team` and/or takes `priority`."""

    code: Code
    name: str = Field(..., min_length=1, max_length=120)
    condition: Condition
    case_types: list[str] = Field(default_factory=list, max_length=20)
    team: str | None = Field(None, min_length=1, max_length=80, description="A team's name")
    priority: Priority | Literal[""] = ""
    position: int | None = Field(None, ge=0, le=1_000_000, description="Default: last")


class RoutingRuleChangeIn(StrictIn):
    """The rule as it should be from now on (every field but the code), and why."""

    name: str = Field(..., min_length=1, max_length=120)
    condition: Condition
    case_types: list[str] = Field(default_factory=list, max_length=20)
    team: str | None = Field(None, min_length=1, max_length=80)
    priority: Priority | Literal[""] = ""
    position: int | None = Field(None, ge=0, le=1_000_000, description="Default: unchanged")
    reason: str = Field("", max_length=255)


class RoutingPreviewIn(StrictIn):
    condition: Condition
    case_type: str = Field("", max_length=40, description="Only cases of this type (optional)")
    limit: int = Field(500, ge=1, le=500, description="The newest N orders")


class RoutingRuleOut(Schema):
    code: str
    name: str
    position: int
    condition: dict
    case_types: list[str]
    team: str | None
    priority: str
