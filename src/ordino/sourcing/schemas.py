"""API shapes of sourcing. Inputs forbid unknown fields and take JSON types as documented."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from ordino.core.params import (
    MAX_INT,
    Amount,
    Code,
    Country,
    Currency,
    EffectiveFrom,
    IsoDateTime,
    Tags,
    amount_type,
)

# the column: NUMERIC(12, 2)
CostPerShipment = amount_type(Decimal("9999999999.99"))

Definition = dict[str, Any]
WHEN = "ISO 8601 with an offset, e.g. 2025-10-01T00:00:00+02:00"


class Input(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class ProfileCreateIn(Input):
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=255)
    definition: Definition | None = Field(
        None, description='A first draft: {"strategies": [...]} (see docs/sourcing.md).'
    )
    effective_from: EffectiveFrom | None = Field(None, description=WHEN)
    is_default: bool | None = Field(
        None, description="Used by order capture; default: true for the first profile."
    )


class DraftIn(Input):
    definition: Definition = Field(..., description='{"strategies": [...]}')
    effective_from: EffectiveFrom | None = Field(None, description=WHEN)
    note: str = Field("", max_length=500)


class ValidateIn(Input):
    definition: Definition | None = Field(None, description="Default: the stored draft.")


class ActivateIn(Input):
    effective_from: EffectiveFrom | None = Field(
        None, description=f"{WHEN}; default: the draft's date, else now."
    )


class ValidationOut(Schema):
    valid: bool
    errors: list[dict[str, str]]
    profile: dict[str, Any] | None


class VersionOut(Schema):
    number: int
    status: str
    in_effect: bool = False
    definition: dict[str, Any]
    effective_from: datetime | None
    note: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    activated_at: datetime | None
    activated_by: str
    retired_at: datetime | None


class VersionSummaryOut(Schema):
    number: int
    status: str
    effective_from: datetime | None
    activated_at: datetime | None


class ProfileOut(Schema):
    code: str
    name: str
    is_default: bool
    created_by: str
    created_at: datetime
    in_effect: int | None = Field(None, description="The version in effect now.")
    draft: VersionOut | None = None
    versions: list[VersionSummaryOut] = []


class AuditOut(Schema):
    action: str
    version: int | None
    actor: str
    data: dict[str, Any]
    created_at: datetime


class CartLineIn(Input):
    sku: Code
    quantity: int = Field(..., gt=0, le=1_000_000)


class DestinationIn(Input):
    country: Country
    region: str = Field("", max_length=128)
    postal_code: str = Field("", max_length=32)
    latitude: Decimal | None = Field(None, ge=-90, le=90, strict=False)
    longitude: Decimal | None = Field(None, ge=-180, le=180, strict=False)


class CartIn(Input):
    lines: list[CartLineIn] = Field(..., min_length=1, max_length=500)
    destination: DestinationIn | None = None
    channel: str | None = Field(None, max_length=64)
    delivery_method: Literal["ship", "pickup"] = "ship"
    pickup_location: str | None = Field(None, max_length=64)
    value: Amount | None = None
    currency: Currency | None = None
    customer_tags: Tags = Field(default_factory=list)

    @model_validator(mode="after")
    def _where(self) -> CartIn:
        if self.delivery_method == "ship" and self.destination is None:
            raise ValueError("a ship cart needs a destination")
        if self.delivery_method == "pickup" and not self.pickup_location:
            raise ValueError("a pickup cart names its pickup_location")
        return self


VersionRef = Annotated[int, Field(ge=1, le=MAX_INT)] | Literal["draft", "active"]


class SimulateIn(Input):
    profile: str | None = Field(
        None, max_length=64, description="Profile code; default: the profile order capture uses."
    )
    version: VersionRef | None = Field(None, description="A number, 'draft' or 'active'.")
    definition: Definition | None = Field(None, description="Try a definition not yet saved.")
    order_id: int | None = Field(
        None, ge=1, le=MAX_INT, description="An existing order (its own stock counts)."
    )
    cart: CartIn | None = None
    at: IsoDateTime | None = Field(None, description=f"The clock; default now. {WHEN}")

    @model_validator(mode="after")
    def _one_subject(self) -> SimulateIn:
        if (self.order_id is None) == (self.cart is None):
            raise ValueError("give either order_id or cart")
        return self


class SimulateOut(Schema):
    profile: str
    now: datetime
    outcome: str
    strategy: str | None
    shipments: list[dict[str, Any]]
    backordered: dict[str, int]
    cancel_after: datetime | None
    explanation: dict[str, Any]
    sentences: list[str]


class BacktestIn(Input):
    profile: str = Field(..., min_length=1, max_length=64, description="Profile code.")
    version: VersionRef = Field("draft", description="The candidate: a number or 'draft'.")
    definition: Definition | None = Field(None, description="Or a definition not yet saved.")
    baseline: VersionRef = Field("active", description="Compared against; default: in effect.")
    orders: int = Field(100, ge=1, le=2000, description="The last N orders.")
    channel: str | None = Field(None, max_length=64)


class BacktestOut(Schema):
    orders: int
    baseline_profile: str
    candidate_profile: str
    baseline: dict[str, Any]
    candidate: dict[str, Any]
    changed_orders: int
    changed: list[str]


class PromiseIn(CartIn):
    service: str = Field("standard", min_length=1, max_length=64, description="Carrier service.")
    at: IsoDateTime | None = Field(None, description=f"The clock; default now. {WHEN}")


class PromiseOut(Schema):
    can_ship: bool
    service: str
    now: datetime
    ship_date: str | None
    delivery_date: str | None
    shipments: list[dict[str, Any]]
    backordered: dict[str, int]
    explanation: dict[str, Any]


class DecisionOut(Schema):
    id: int
    profile: str
    version: int
    trigger: str
    outcome: str
    strategy: str | None
    summary: str
    cancel_after: datetime | None
    created_at: datetime
    shipments: dict[str, Any]
    backordered: dict[str, int]
    explanation: dict[str, Any]
    sentences: list[str]


class ZoneIn(Input):
    country: Country
    region: str = Field("", max_length=128)
    postal_prefix: str = Field("", max_length=16)
    zone: str = Field(..., min_length=1, max_length=32)


class ZoneDistanceIn(Input):
    zone_a: str = Field(..., min_length=1, max_length=32)
    zone_b: str = Field(..., min_length=1, max_length=32)
    km: Decimal = Field(..., ge=0, max_digits=9, decimal_places=1, strict=False)


class ZonesIn(Input):
    zones: list[ZoneIn] = Field(..., max_length=100_000)
    distances: list[ZoneDistanceIn] = Field(default_factory=list, max_length=100_000)


class ZonesOut(Schema):
    zones: list[dict[str, Any]]
    distances: list[dict[str, Any]]


class TransitIn(Input):
    service: str = Field(..., min_length=1, max_length=64)
    from_zone: str = Field("*", min_length=1, max_length=32)
    to_zone: str = Field("*", min_length=1, max_length=32)
    days: int = Field(..., ge=0, le=365)


class TransitTimesIn(Input):
    transit_times: list[TransitIn] = Field(..., max_length=100_000)


class ScheduleIn(Input):
    calendar: dict[str, Any] = Field(
        default_factory=dict,
        description='{"timezone", "hours": {"Mon": [["08:00", "18:00"]]}, "cutoff", "closed"}',
    )
    cost_per_shipment: CostPerShipment | None = None


class ScheduleOut(Schema):
    location: str
    calendar: dict[str, Any]
    cost_per_shipment: Decimal | None
