"""API shapes of locations. Inputs forbid unknown fields; outputs are separate."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import MAX_INT, Code, CountryOrBlank

Kind = Literal["warehouse", "store", "dropship"]


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class LocationGroupIn(Input):
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=255)


class LocationGroupOut(Schema):
    code: str
    name: str


class LocationIn(Input):
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=255)
    kind: Kind = "warehouse"
    address_line1: str = Field("", max_length=255)
    address_line2: str = Field("", max_length=255)
    city: str = Field("", max_length=128)
    region: str = Field("", max_length=128)
    postal_code: str = Field("", max_length=32)
    country: CountryOrBlank = ""
    latitude: Decimal | None = Field(None, max_digits=9, decimal_places=6, strict=False)
    longitude: Decimal | None = Field(None, max_digits=9, decimal_places=6, strict=False)
    ships: bool = True
    pickup: bool = False
    priority: int = Field(100, ge=0, le=MAX_INT, description="Lower goes first.")
    daily_capacity: int | None = Field(
        None, ge=0, le=MAX_INT, description="Orders a day; null: unlimited."
    )
    groups: list[Code] = Field([], max_length=100, description="Codes of location groups.")
    is_active: bool = True


class LocationPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=255)
    kind: Kind | None = None
    address_line1: str | None = Field(None, max_length=255)
    address_line2: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=128)
    region: str | None = Field(None, max_length=128)
    postal_code: str | None = Field(None, max_length=32)
    country: CountryOrBlank | None = None
    latitude: Decimal | None = Field(None, max_digits=9, decimal_places=6, strict=False)
    longitude: Decimal | None = Field(None, max_digits=9, decimal_places=6, strict=False)
    ships: bool | None = None
    pickup: bool | None = None
    priority: int | None = Field(None, ge=0, le=MAX_INT)
    daily_capacity: int | None = Field(None, ge=0, le=MAX_INT)
    groups: list[Code] | None = Field(
        None, max_length=100, description="Replaces the location's groups."
    )
    is_active: bool | None = None


class LocationOut(Schema):
    code: str
    name: str
    kind: str
    address_line1: str
    address_line2: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    ships: bool
    pickup: bool
    priority: int
    daily_capacity: int | None
    groups: list[str]
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_groups(obj) -> list[str]:
        return sorted(g.code for g in obj.groups.all())
