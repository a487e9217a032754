"""The arithmetic of the dashboard's KPIs: rates and percentiles. Pure Python, no I/O."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from ordino.core.domain.money import quantum


def rate(part: int | Decimal, whole: int | Decimal, *, places: int = 4) -> Decimal | None:
    """part ÷ whole rounded half-even to `places` decimals; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN
    )


def money_from_scaled(amount: int, scale: int, currency: str) -> Decimal:
    """An exact sum counted in 1/scale units as an amount in the currency's minor unit.
    Stored amounts carry no more decimals than their currency, so nothing is rounded."""
    return (Decimal(amount) / scale).quantize(quantum(currency))


def money_average(total: Decimal, count: int, currency: str) -> Decimal | None:
    """total ÷ count in the currency's minor unit (half-even): JPY 2900, KWD 2.899, EUR 80.00.
    None when there is nothing to divide by."""
    if not count:
        return None
    return (total / count).quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


def percentile_from_histogram(histogram: Mapping[int, int], fraction: float) -> int | None:
    """The nearest-rank percentile of values counted per bucket ({value: count}): the smallest
    value whose cumulative count reaches `fraction` of all. None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(Fraction(str(fraction)) * total))  # exact: 0.9 × 10 is 9
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - unreachable: rank <= total


def within(histogram: Mapping[int, int], limit: int) -> int:
    """How many counted values are at most `limit`."""
    return sum(count for value, count in histogram.items() if value <= limit)


def top(items: Iterable[tuple[str, int]], n: int) -> list[tuple[str, int]]:
    """The n largest by count, ties by name: a stable order for a dashboard."""
    return sorted(items, key=lambda item: (-item[1], item[0]))[:n]
