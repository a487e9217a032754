"""Reading a channel's JSON strictly, for the platform modules (docs/connectors-marketplaces.md).

Every reader takes the JSON path of what it reads and raises `MappingError` naming that path:
an order that cannot be mapped says exactly which field of the channel's payload is wrong. Money
is read from the channel's decimal strings into Decimal in the currency's minor unit, never
through a float: a JSON number with a fraction reaches Python as a float and is refused (a whole
number is exact and accepted). Pure Python.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ordino.connectors.platforms.base import MappingError
from ordino.core.domain.bounds import DATE_MAX, DATE_MIN, MAX_AMOUNT, MAX_LINE_QUANTITY
from ordino.core.domain.countries import ISO_COUNTRIES
from ordino.core.domain.money import MINOR_UNITS, allocate, quantum
from ordino.orders.commands import LineItem

ZERO = Decimal(0)
SKU_MAX = 64  # the order API's `Code` (core/params.py)
MAX_LINES = 500  # the order API's `lines` bound


def mapping(value: Any, path: str, *, required: bool = True) -> Mapping[str, Any]:
    """A JSON object; {} when absent and not required."""
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise MappingError("must be an object", path=path)
    return value


def sequence(value: Any, path: str, *, required: bool = True) -> Sequence[Any]:
    """A JSON array; () when absent and not required."""
    if value is None and not required:
        return ()
    if not isinstance(value, list):
        raise MappingError("must be an array", path=path)
    return value


def text(value: Any, path: str, *, required: bool = False, max_length: int = 255) -> str:
    """A string, stripped; numbers (ids) are taken as their digits. '' when absent."""
    if value is None or value == "":
        if required:
            raise MappingError("is missing", path=path)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError("must be a string", path=path)
    result = str(value).strip()
    if required and not result:
        raise MappingError("is blank", path=path)
    if len(result) > max_length:
        raise MappingError(f"is longer than {max_length} characters", path=path)
    return result


def sku(value: Any, path: str) -> str:
    """The seller's SKU: what Ordino's catalog knows the item by. Without it no line can be
    matched, so it is required (a listing without SKU is a set-up error, fixed on the channel)."""
    return text(value, path, required=True, max_length=SKU_MAX)


def quantity(value: Any, path: str, *, allow_zero: bool = False) -> int:
    """A whole number of units, 1 to MAX_LINE_QUANTITY (0 allowed when asked)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MappingError("must be a whole number", path=path)
    if value < (0 if allow_zero else 1):
        raise MappingError(f"must be {'0' if allow_zero else '1'} or more, not {value}", path=path)
    if value > MAX_LINE_QUANTITY:
        raise MappingError(f"is more than {MAX_LINE_QUANTITY} units", path=path)
    return value


def currency(value: Any, path: str) -> str:
    """An ISO 4217 code Ordino knows the minor unit of."""
    code = text(value, path, required=True, max_length=3).upper()
    if code not in MINOR_UNITS:
        raise MappingError(f"unknown currency {code!r}", path=path)
    return code


def money(value: Any, currency_code: str, path: str, *, negative: bool = False) -> Decimal:
    """A decimal string as an exact amount in the currency: '12.5' → Decimal('12.50'). More
    decimals than the currency has, a float, or a negative amount (unless allowed) is refused."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError("must be a decimal string such as '12.50'", path=path)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise MappingError(f"{value!r} is not a decimal amount", path=path) from None
    if not amount.is_finite():
        raise MappingError(f"{value!r} is not a finite amount", path=path)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MINOR_UNITS[currency_code]:
        raise MappingError(f"{value} has more decimals than {currency_code} allows", path=path)
    if amount < 0 and not negative:
        raise MappingError(f"must not be negative, not {value}", path=path)
    if abs(amount) > MAX_AMOUNT:
        raise MappingError(f"{value} is beyond the largest amount Ordino stores", path=path)
    return amount.quantize(quantum(currency_code))


def utc(value: Any, path: str, *, required: bool = True) -> datetime | None:
    """An ISO 8601 date-time in UTC. A time without offset is taken as UTC: only fields the
    channel documents as GMT/UTC are read with this (WooCommerce's `*_gmt`)."""
    if value is None or value == "":
        if required:
            raise MappingError("is missing", path=path)
        return None
    if not isinstance(value, str):
        raise MappingError("must be an ISO 8601 date-time string", path=path)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MappingError(f"{value!r} is not an ISO 8601 date-time", path=path) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if not DATE_MIN <= moment < DATE_MAX:
        raise MappingError(f"{value} is out of range", path=path)
    return moment


def utc_day(value: Any, path: str) -> date | None:
    """The UTC day of an optional ISO 8601 date-time (a channel's promised delivery): the
    earlier of the days it may fall on locally, so a promise is never read later than made."""
    moment = utc(value, path, required=False)
    return None if moment is None else moment.date()


def country(value: Any, path: str) -> str:
    code = text(value, path, required=True, max_length=2).upper()
    if code not in ISO_COUNTRIES:
        raise MappingError(f"{code!r} is not an ISO 3166-1 alpha-2 country code", path=path)
    return code


def lines_at_unit_price(
    *,
    sku_code: str,
    units: int,
    amount: Decimal,
    discount: Decimal,
    tax: Decimal,
    currency_code: str,
    name: str = "",
    external_id: str = "",
) -> list[LineItem]:
    """A channel line of `units` items costing `amount` in all, as Ordino lines (unit price ×
    quantity). When `amount` does not divide into whole minor units per item (3 for 10.00),
    the line becomes two lines of the same SKU: some items one minor unit dearer (1 × 3.34 and
    2 × 3.33), so every cent the channel charged is kept and nothing is rounded. The line's
    discount and tax are split over the two by largest remainder (core/domain/money.py)."""
    step = quantum(currency_code)
    minor = int(amount / step)
    base, dearer = divmod(minor, units)
    if not dearer:
        return [LineItem(sku_code, units, base * step, discount, tax, name, external_id)]
    parts = [(dearer, (base + 1) * step), (units - dearer, base * step)]
    weights = [count * price for count, price in parts]
    discounts = allocate(discount, weights, currency_code)
    taxes = allocate(tax, weights, currency_code)
    return [
        LineItem(sku_code, count, price, discounts[i], taxes[i], name, external_id)
        for i, (count, price) in enumerate(parts)
    ]


def lines_bounded(lines: Sequence[LineItem], path: str) -> tuple[LineItem, ...]:
    if not lines:
        raise MappingError("the order has no line to capture", path=path)
    if len(lines) > MAX_LINES:
        raise MappingError(f"more than {MAX_LINES} lines", path=path)
    return tuple(lines)


def name_split(full_name: str) -> tuple[str, str]:
    """'Ana Maria Silva' → ('Ana Maria', 'Silva'): marketplaces give one name field."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()[:128], ""
    return " ".join(parts[:-1])[:128], parts[-1][:128]


def header(headers: Mapping[str, str], name: str) -> str:
    """A request header by name, whatever its case ('' when absent)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


def tag(*parts: str) -> str:
    """A tag as Ordino keeps them (lower case, at most 64 characters)."""
    return ":".join(p.strip().lower() for p in parts)[:64]


def raw_copy(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as the order keeps it: a JSON copy (the command never shares the caller's
    objects; five times faster than `copy.deepcopy`), so the stored raw payload, read back,
    maps to the same command. Something JSON cannot hold (NaN, a Python object) is refused."""
    try:
        return json.loads(json.dumps(payload, allow_nan=False))
    except (TypeError, ValueError):
        raise MappingError("is not a JSON object", path="$") from None
