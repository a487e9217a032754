"""API shapes of holds. Inputs forbid unknown fields and take JSON types as documented."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from ordino.core.params import Code

CONDITION_MAX_CHARS = 20_000
PREVIEW_MAX = 500


def _bounded(value: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(value, default=str)) > CONDITION_MAX_CHARS:
        raise ValueError(f"a condition is at most {CONDITION_MAX_CHARS} characters of JSON")
    return value


Condition = Annotated[
    dict[str, Any],
    AfterValidator(_bounded),
    Field(description='e.g. {"fact": "order.value", "op": "gt", "value": "1000"} (docs/holds.md)'),
]
Reason = Annotated[str, Field(max_length=500)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class HoldRuleCreateIn(Input):
    code: Code
    name: str = Field(..., min_length=1, max_length=255)
    reason: str = Field(..., min_length=1, max_length=255, description="What the hold says.")
    kind: Literal["hold", "approval"] = "hold"
    release_permission: str = Field(
        "", max_length=64, description="An approval's releasing permission, e.g. 'approve'."
    )
    condition: Condition | None = Field(None, description="Version 1, a draft, when given.")
    note: str = Field("", max_length=500)


class HoldVersionIn(Input):
    condition: Condition
    note: str = Field("", max_length=500)


class HoldReasonIn(Input):
    reason: Reason = ""


class HoldReleaseIn(Input):
    reason: str = Field(..., min_length=1, max_length=500, description="Why it is released.")


class HoldPreviewIn(Input):
    condition: Condition
    limit: int = Field(PREVIEW_MAX, ge=1, le=PREVIEW_MAX, description="The newest N orders.")


class HoldRuleVersionOut(Schema):
    number: int
    status: str
    condition: dict[str, Any]
    described: str
    note: str
    created_by: str
    created_at: datetime
    activated_at: datetime | None
    activated_by: str
    retired_at: datetime | None


class HoldRuleAuditOut(Schema):
    action: str
    version: int | None
    actor: str
    data: dict[str, Any]
    created_at: datetime


class HoldRuleOut(Schema):
    code: str
    name: str
    kind: str
    reason: str
    release_permission: str
    active_version: int | None
    draft_version: int | None
    versions: list[HoldRuleVersionOut]
    audit: list[HoldRuleAuditOut]
    created_by: str
    created_at: datetime


class HoldPreviewMatch(Schema):
    order_id: int
    order: str
    why: str


class HoldPreviewOut(Schema):
    tested: int
    matched: int
    matches: list[HoldPreviewMatch]


class HoldOut(Schema):
    id: int
    order_id: int
    cause: str
    rule: str | None
    version: int | None
    kind: str
    reason: str
    release_permission: str
    held_fulfillment_orders: list[int]
    placed_at: datetime
    placed_by: str
    released_at: datetime | None
    released_by: str
    released_how: str
    release_reason: str


class HoldRuleFiguresOut(Schema):
    rule: str
    name: str
    kind: str
    fired: int
    orders_held: int
    median_hours_held: Decimal | None
    overridden: int
    open: int
    always_overridden: bool = Field(
        False, description="Released by a person every time (3 times or more): worth a look."
    )


class HoldsReportOut(Schema):
    since: datetime | None
    until: datetime | None
    rules: list[HoldRuleFiguresOut]
