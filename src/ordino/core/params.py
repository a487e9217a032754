"""Types of API inputs shared by the modules' adapters: each one typed and bounded to what the
database stores (the bounds are in `core/domain/bounds.py`), and documented as such.

    class ThingIn(Schema):
        price: Amount
        placed_at: PlacedAt | None = None
        country: Country

    def movement_list(request, created_from: IsoDateTime | None = None): ...

- `IsoDateTime` takes an RFC 3339 / ISO 8601 date-time with its offset, as the OpenAPI document
  says (`format: date-time`), e.g. `2026-01-31T09:30:00Z`. Pydantic alone would also read `0.5`
  or `1700000000` as seconds since 1970 and a bare date as midnight, which no client means.
  Offsets stay within ±14:59 (real ones reach +14:00; PostgreSQL refuses -20:34 with a server
  error), and the instant lies within 1970..9999 in UTC: year 1 at +14:00 is a BC date on
  PostgreSQL, and any list holding one failed to read.
- `Amount` takes a JSON number or a decimal string, never a boolean, NaN, Infinity or anything
  past MAX_AMOUNT (exponents included): the money columns hold it exactly on both databases.
- `Country` and `Currency` take ISO codes in any case and give them upper-case.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ordino.core.domain.bounds import (
    CLOCK_SKEW,
    DATE_MAX,
    DATE_MIN,
    EFFECTIVE_AHEAD,
    MAX_AMOUNT,
    MAX_BALANCE,
    MAX_INT,
    MAX_LINE_QUANTITY,
    MAX_QUANTITY,
    date_in_range,
)
from ordino.core.domain.clock import utcnow
from ordino.core.domain.countries import ISO_COUNTRIES
from ordino.core.domain.money import MINOR_UNITS

__all__ = [
    "MAX_AMOUNT",
    "MAX_BALANCE",
    "MAX_INT",
    "MAX_LINE_QUANTITY",
    "MAX_QUANTITY",
    "OWN_CODES",
    "Amount",
    "Code",
    "Country",
    "CountryOrBlank",
    "Currency",
    "EffectiveFrom",
    "IsoDateTime",
    "PlacedAt",
    "SearchText",
    "Tag",
    "Tags",
    "amount_type",
    "problem_code",
]

# Codes of the refusals these types make. When every field error of a request has the same one,
# the problem's own `code` is it (e.g. `invalid_country`), as when a service refuses the value.
OWN_CODES = frozenset(
    {
        "amount_too_large",
        "date_in_future",
        "date_out_of_range",
        "date_too_far",
        "invalid_country",
        "raw_payload_too_large",
        "unknown_currency",
    }
)


def problem_code(error_codes: list[str]) -> str:
    """The problem's code for a request refused by validation with these field error codes."""
    codes = set(error_codes)
    return codes.pop() if len(codes) == 1 and codes <= OWN_CODES else "validation_error"


# --- date-times -------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-](0\d|1[0-4]):[0-5]\d)$",
    re.ASCII,
)
_RANGE = f"{DATE_MIN:%Y-%m-%d} to {DATE_MAX:%Y-%m-%d} UTC"


def _iso_date_time(value: object) -> object:
    if isinstance(value, datetime) or (isinstance(value, str) and _RFC3339.match(value)):
        return value
    raise ValueError("expected an ISO 8601 date-time with its offset, e.g. 2026-01-31T09:30:00Z")


def _date_in_range(value: datetime) -> datetime:
    if not date_in_range(value):
        raise PydanticCustomError(
            "date_out_of_range", "The date-time must lie within {range}.", {"range": _RANGE}
        )
    return value


def _not_in_future(value: datetime) -> datetime:
    if value > utcnow() + CLOCK_SKEW:
        raise PydanticCustomError(
            "date_in_future", "The date-time may not be more than a day in the future."
        )
    return value


def _not_far_ahead(value: datetime) -> datetime:
    if value > utcnow() + EFFECTIVE_AHEAD:
        raise PydanticCustomError(
            "date_too_far", "The date-time may not be more than ten years ahead."
        )
    return value


IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_date_time),
    AfterValidator(_date_in_range),
    # strict=False: a strict model (JSON types as documented) still reads the date-time string
    Field(
        strict=False, description=f"ISO 8601 with its offset, e.g. 2026-01-31T09:30:00Z; {_RANGE}."
    ),
]
PlacedAt = Annotated[IsoDateTime, AfterValidator(_not_in_future)]


def _iso_date(value: Any) -> Any:
    """A date is its ISO text, "2026-01-01": no number (a timestamp) or other shape."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise PydanticCustomError("date_type", 'Expected a date such as "2026-01-01".')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_parsing", 'Expected a date such as "2026-01-01".') from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]

EffectiveFrom = Annotated[IsoDateTime, AfterValidator(_not_far_ahead)]

# --- amounts ----------------------------------------------------------------------------------

_DECIMAL = re.compile(r"^\d{1,18}(\.\d{1,18})?$", re.ASCII)


def _amount(maximum: Decimal, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise PydanticCustomError(
            "decimal_type", 'Expected an amount: a JSON number or a string such as "19.99".'
        )
    if isinstance(value, str) and not _DECIMAL.match(value):
        raise PydanticCustomError(
            "decimal_parsing", 'Expected a decimal string such as "19.99", without exponent.'
        )
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern and JSON allow none
        raise PydanticCustomError("decimal_parsing", "Not a decimal amount.") from None
    if not amount.is_finite():
        raise PydanticCustomError("finite_number", "The amount must be a finite number.")
    if amount < 0:
        raise PydanticCustomError("greater_than_equal", "The amount must be 0 or more.")
    if amount > maximum:
        raise PydanticCustomError(
            "amount_too_large", "The amount must be at most {maximum}.", {"maximum": str(maximum)}
        )
    return amount


def amount_type(maximum: Decimal = MAX_AMOUNT) -> Any:
    """A non-negative amount up to `maximum`, as a JSON number or a decimal string."""

    def validate(value: Any) -> Decimal:
        return _amount(maximum, value)

    schema = {
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": float(maximum)},
            {"type": "string", "pattern": _DECIMAL.pattern, "maxLength": 37},
        ],
        "description": f"A decimal amount from 0 to {maximum}, with at most the currency's "
        'decimals: a JSON number or a string such as "19.99".',
    }
    return Annotated[Decimal, PlainValidator(validate), WithJsonSchema(schema)]


Amount = amount_type()

# --- codes ------------------------------------------------------------------------------------


def _country(value: str) -> str:
    code = value.upper()
    if code not in ISO_COUNTRIES:
        raise PydanticCustomError(
            "invalid_country",
            "'{value}' is not an ISO 3166-1 alpha-2 country code such as 'DE'.",
            {"value": value},
        )
    return code


def _country_or_blank(value: str) -> str:
    return _country(value) if value else ""


def _currency(value: str) -> str:
    code = value.upper()
    if code not in MINOR_UNITS:
        raise PydanticCustomError(
            "unknown_currency",
            "'{value}' is not an ISO 4217 currency code such as 'EUR'.",
            {"value": value},
        )
    return code


Country = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z]{2}$",
        description="ISO 3166-1 alpha-2, e.g. DE (any case; stored upper-case).",
    ),
    AfterValidator(_country),
]
CountryOrBlank = Annotated[
    str,
    Field(
        pattern=r"^([A-Za-z]{2})?$",
        description="ISO 3166-1 alpha-2, e.g. DE (any case; stored upper-case), or ''.",
    ),
    AfterValidator(_country_or_blank),
]
Currency = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z]{3}$",
        description="ISO 4217, e.g. EUR (any case; stored upper-case).",
    ),
    AfterValidator(_currency),
]

# --- text -------------------------------------------------------------------------------------

Code = Annotated[str, Field(min_length=1, max_length=64)]
SearchText = Annotated[str, Field(max_length=255)]  # a filter or search term
Tag = Annotated[str, Field(max_length=64)]
Tags = Annotated[list[Tag], Field(max_length=50, description="At most 50 tags of 64 characters.")]
