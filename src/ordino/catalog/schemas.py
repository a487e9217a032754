"""API shapes of the catalog. Inputs forbid unknown fields; outputs are separate."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import MAX_INT, MAX_QUANTITY, Tags

Code = Field(..., min_length=1, max_length=64)
HS_CODE = "HS tariff number: 6 to 10 digits, dots and blanks ignored; blank for none."
ORIGIN = "Country of origin, ISO 3166-1 alpha-2; blank for none."
CUSTOMS_TEXT = "What the customs declaration calls it (at most 100); blank: its name."


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class ProductIn(Input):
    code: str = Code
    name: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=10_000)
    tags: Tags = []
    is_active: bool = True


class ProductPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=10_000)
    tags: Tags | None = None
    is_active: bool | None = None


class ProductOut(Schema):
    code: str
    name: str
    description: str
    tags: list[str]
    is_active: bool
    created_at: datetime


class ComponentIn(Input):
    sku: str = Field(..., min_length=1, max_length=64, description="Code of a simple SKU.")
    quantity: int = Field(
        ..., le=MAX_QUANTITY, description="Units of the component in one kit; more than 0."
    )


class ComponentsIn(Input):
    components: list[ComponentIn] = Field(..., max_length=500)


class SkuIn(Input):
    product: str = Field(..., min_length=1, max_length=64, description="Code of the product.")
    code: str = Code
    name: str = Field("", max_length=255)
    kind: Literal["simple", "kit"] = "simple"
    barcode: str = Field("", max_length=64)
    weight_grams: int | None = Field(None, ge=0, le=MAX_INT)
    length_mm: int | None = Field(None, ge=0, le=MAX_INT)
    width_mm: int | None = Field(None, ge=0, le=MAX_INT)
    height_mm: int | None = Field(None, ge=0, le=MAX_INT)
    tags: Tags = []
    tax_class: str = Field(
        "standard", min_length=1, max_length=64, description="Its tax rates' class (docs/tax.md)."
    )
    is_active: bool = True
    hs_code: str = Field("", max_length=16, description=HS_CODE)
    origin_country: str = Field("", max_length=2, description=ORIGIN)
    customs_description: str = Field("", max_length=100, description=CUSTOMS_TEXT)
    components: list[ComponentIn] | None = Field(
        None,
        max_length=500,
        description="For a kit: its components, as with PUT /skus/{code}/components.",
    )


class SkuPatch(Input):
    name: str | None = Field(None, max_length=255)
    barcode: str | None = Field(None, max_length=64)
    weight_grams: int | None = Field(None, ge=0, le=MAX_INT)
    length_mm: int | None = Field(None, ge=0, le=MAX_INT)
    width_mm: int | None = Field(None, ge=0, le=MAX_INT)
    height_mm: int | None = Field(None, ge=0, le=MAX_INT)
    tags: Tags | None = None
    tax_class: str | None = Field(None, min_length=1, max_length=64)
    is_active: bool | None = None
    hs_code: str | None = Field(None, max_length=16, description=HS_CODE)
    origin_country: str | None = Field(None, max_length=2, description=ORIGIN)
    customs_description: str | None = Field(None, max_length=100, description=CUSTOMS_TEXT)


class ComponentOut(Schema):
    sku: str
    quantity: int

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.component.code


class SkuOut(Schema):
    code: str
    product: str
    name: str
    kind: str
    barcode: str
    weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    tags: list[str]
    tax_class: str
    is_active: bool
    hs_code: str
    origin_country: str
    customs_description: str
    components: list[ComponentOut]
    created_at: datetime

    @staticmethod
    def resolve_product(obj) -> str:
        return obj.product.code

    @staticmethod
    def resolve_components(obj) -> list:
        return list(obj.components.all())
