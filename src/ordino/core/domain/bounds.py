"""What the database stores, stated once: every amount, quantity, balance and date an input or
a calculation produces stays inside these bounds, on SQLite and on PostgreSQL. Pure Python.

- Money columns are NUMERIC(18, 3), but SQLite keeps a NUMERIC value as a REAL with 15
  significant digits: an amount of 10^12 or more with 3 decimals would come back rounded. So
  every stored amount, given or computed, is below 10^12 (at most 12 digits before the point).
- Stock balance columns are 64-bit; a balance stays at or below MAX_BALANCE, far inside them and
  inside the sums the reports take over many rows.
- Dates: PostgreSQL stores years 4713 BC to 294276 AD, SQLite text, Python years 1 to 9999. A
  date-time is kept from 1970 to 9998 once converted to UTC, so no offset overflows either end.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ordino.core.domain.errors import DomainError

MAX_AMOUNT = Decimal("999999999999.999")  # < 10^12: 15 significant digits with 3 decimals
MAX_INT = 2_147_483_647  # a 32-bit integer column (ids, counts, grams, priorities)
MAX_QUANTITY = 1_000_000_000  # units in one stock operation, kit component, buffer or count
MAX_LINE_QUANTITY = 1_000_000  # units of one order line
MAX_BALANCE = 1_000_000_000_000  # units of one SKU at one location, in any named quantity

DATE_MIN = datetime(1970, 1, 1, tzinfo=UTC)
DATE_MAX = datetime(9999, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)  # how far in the future a channel's clock may be
EFFECTIVE_AHEAD = timedelta(days=3660)  # a sourcing version may be planned ten years ahead


def amount_check(amount: Decimal, *, field: str) -> Decimal:
    """Refuse an amount, given or computed, that the money columns would not hold exactly."""
    if abs(amount) > MAX_AMOUNT:
        raise DomainError(
            "amount_too_large",
            f"{amount} is beyond the largest amount Ordino stores ({MAX_AMOUNT}).",
            field=field,
        )
    return amount


def effective_from_check(value: datetime, *, now: datetime, field: str) -> datetime:
    """A sourcing version's start: within the stored range and at most ten years ahead."""
    if not date_in_range(value) or value > now + EFFECTIVE_AHEAD:
        raise DomainError(
            "date_out_of_range",
            f"{field} {value.isoformat()} must lie between {DATE_MIN:%Y-%m-%d} and ten years "
            "from now.",
            field=field,
        )
    return value


def date_in_range(value: datetime) -> bool:
    """True when the aware date-time lies within DATE_MIN..DATE_MAX once converted to UTC."""
    try:
        return DATE_MIN <= value <= DATE_MAX
    except (OverflowError, TypeError):  # a naive value, or an offset past the year's end
        return False
