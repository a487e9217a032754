"""API shapes of sales channels. Inputs forbid unknown fields; outputs are separate."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import MAX_QUANTITY, Code, Currency

Kind = Literal["web", "marketplace", "pos", "phone", "api", "csv"]


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class ChannelIn(Input):
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=255)
    kind: Kind
    currency: Currency
    stock_buffer: int = Field(
        0, ge=0, le=MAX_QUANTITY, description="Units per SKU held back from this channel."
    )
    excluded_locations: list[Code] = Field(
        [], max_length=1000, description="Codes of locations it never sells."
    )
    prices_include_tax: bool = Field(False, description="Its prices include tax (docs/tax.md).")
    is_active: bool = True


class ChannelPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=255)
    kind: Kind | None = None
    currency: Currency | None = None
    stock_buffer: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    excluded_locations: list[Code] | None = Field(
        None, max_length=1000, description="Replaces the whole list."
    )
    prices_include_tax: bool | None = None
    is_active: bool | None = None


class ChannelOut(Schema):
    code: str
    name: str
    kind: str
    currency: str
    stock_buffer: int
    excluded_locations: list[str]
    prices_include_tax: bool
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_excluded_locations(obj) -> list[str]:
        return sorted(loc.code for loc in obj.excluded_locations.all())
