"""API shapes of tax rates. Inputs forbid unknown fields; outputs are separate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from ordino.core.params import Code, Country, IsoDate, amount_type

# A percentage, 0 to 100 with at most three decimals (the column: 6 digits, 3 decimals).
Percent = amount_type(Decimal(100))
# Dates a rate may start or end on: what every database stores and Python can step past.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)


class Input(Schema):
    # strict: JSON types as documented (0 is no boolean, "5" no integer); unknown fields refused
    model_config = ConfigDict(extra="forbid", strict=True)


class TaxRateIn(Input):
    country: Country
    region: str = Field("", max_length=128, description="Blank: the whole country.")
    tax_class: Code = Field("standard", description="standard, reduced, shipping, ...")
    rate: Percent = Field(..., description='A percentage: 19 or "19.000" is 19 %.')
    name: str = Field(..., min_length=1, max_length=255, description='e.g. "DE VAT standard"')
    valid_from: IsoDate = Field(..., ge=FIRST_DAY, le=LAST_DAY)
    valid_to: IsoDate | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Its last day.")


class TaxRatePatch(Input):
    region: str | None = Field(None, max_length=128)
    tax_class: Code | None = None
    rate: Percent | None = None
    name: str | None = Field(None, min_length=1, max_length=255)
    valid_from: IsoDate | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    valid_to: IsoDate | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)


class TaxRateOut(Schema):
    id: int
    country: str
    region: str
    tax_class: str
    rate: str
    name: str
    valid_from: date
    valid_to: date | None
    created_at: datetime

    @staticmethod
    def resolve_rate(obj) -> str:
        return str(obj.rate)
