"""API shapes of fraud screening. Inputs forbid unknown fields and take JSON types as
documented; the settings' own bounds are checked by `domain/settings.py` (each problem named)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import Amount, Currency
from ordino.risk.domain.settings import (
    CURRENCIES_MAX,
    SIGNALS,
    VELOCITY_HOURS_MAX,
    VELOCITY_LIMIT_MAX,
    WEIGHT_MAX,
)

Points = Annotated[int, Field(ge=0, le=WEIGHT_MAX)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class RiskSettingsIn(Input):
    """Settings to change; those left out keep their value."""

    weights: dict[str, Points] | None = Field(
        None, max_length=len(SIGNALS), description=f"signal: points 0-100; signals: {SIGNALS}"
    )
    velocity_hours: int | None = Field(None, ge=1, le=VELOCITY_HOURS_MAX)
    velocity_limit: int | None = Field(None, ge=1, le=VELOCITY_LIMIT_MAX)
    high_value: dict[Currency, Amount] | None = Field(
        None, max_length=CURRENCIES_MAX, description="currency: a first order's high value"
    )
    review_threshold: int | None = Field(None, ge=1, le=100)
    reason: str = Field("", max_length=255)

    def values(self) -> dict:
        return {k: v for k, v in self.model_dump(exclude={"reason"}).items() if v is not None}


class RiskSettingsOut(Schema):
    weights: dict[str, int]
    velocity_hours: int
    velocity_limit: int
    high_value: dict[str, str]
    review_threshold: int


class RiskSignalOut(Schema):
    code: str
    weight: int
    strength: str
    points: int
    detail: str


class OrderRiskOut(Schema):
    order_id: int
    score: int
    review: bool
    review_threshold: int
    signals: list[RiskSignalOut]
    inputs: dict
    scored_at: datetime
    scored_by: str
    version: int
