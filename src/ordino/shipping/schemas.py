"""API shapes of box types and packing proposals. Inputs forbid unknown fields; outputs are
separate."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.shipping.domain.packing import MAX_SIDE_MM, MAX_WEIGHT_G

Side = Annotated[int, Field(ge=1, le=MAX_SIDE_MM, description="mm")]
Grams = Annotated[int, Field(ge=0, le=MAX_WEIGHT_G, description="g")]


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class BoxTypeIn(Input):
    """The whole box type (PUT): created when new, replaced otherwise."""

    location: str | None = Field(
        None, min_length=1, max_length=64, description="A location's code; none: every location."
    )
    name: str = Field(..., min_length=1, max_length=100)
    inner_length_mm: Side
    inner_width_mm: Side
    inner_height_mm: Side
    outer_length_mm: Side
    outer_width_mm: Side
    outer_height_mm: Side
    tare_g: Grams
    max_weight_g: Grams
    is_active: bool = True
    reason: str = Field("", max_length=500)


class BoxTypeOut(Schema):
    code: str
    location: str | None
    name: str
    inner_length_mm: int
    inner_width_mm: int
    inner_height_mm: int
    outer_length_mm: int
    outer_width_mm: int
    outer_height_mm: int
    tare_g: int
    max_weight_g: int
    is_active: bool
    updated_at: datetime

    @staticmethod
    def resolve_location(obj) -> str | None:
        return obj.location.code if obj.location_id else None


class PackedItemOut(Schema):
    sku: str
    quantity: int


class RatedParcelOut(Schema):
    length_cm: str
    width_cm: str
    height_cm: str
    weight_kg: str


class PackedParcelOut(Schema):
    box: str
    items: list[PackedItemOut]
    items_volume_mm3: int
    gross_weight_g: int
    outer_mm: list[int]
    parcel: RatedParcelOut = Field(..., description="As shipping rates it: outer cm, gross kg.")
    why: str


class PackingOut(Schema):
    fulfillment_order_id: int
    location: str
    units: int
    parcels: list[PackedParcelOut]
    why: list[str]
