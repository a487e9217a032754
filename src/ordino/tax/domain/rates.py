"""Tax rates: what a rate is, its bounds, and which one applies to a class at a destination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ordino.core.domain.errors import DomainError

STANDARD = "standard"
SHIPPING = "shipping"
# A rate is a percentage with at most 3 decimals, 0 to 100 (19.000 = 19 %): the column's bounds.
RATE_MAX = Decimal(100)
RATE_DECIMALS = 3
# A class the rates do not name falls back to another: shipping is taxed like the standard
# goods unless the merchant says otherwise (docs/tax.md, "Classes").
FALLBACK = {SHIPPING: STANDARD}


@dataclass(frozen=True)
class Rate:
    """One configured rate (a `TaxRate` row, as the calculation needs it)."""

    id: int
    country: str
    region: str  # "" = the whole country
    tax_class: str
    rate: Decimal  # a percentage: 19.000
    name: str
    valid_from: date
    valid_to: date | None = None  # the last day it applies; None = open-ended

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def rate_check(rate: Decimal, *, field: str = "rate") -> Decimal:
    """A percentage from 0 to 100 with at most three decimals, exactly as given."""
    if not isinstance(rate, Decimal) or not rate.is_finite():
        raise DomainError("invalid_rate", "The rate must be a decimal number.", field=field)
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -RATE_DECIMALS:
        raise DomainError(
            "invalid_rate", f"A rate has at most {RATE_DECIMALS} decimals, not {rate}.", field=field
        )
    if not Decimal(0) <= rate <= RATE_MAX:
        raise DomainError("invalid_rate", f"A rate is 0 to 100 (%), not {rate}.", field=field)
    return rate.quantize(Decimal(1).scaleb(-RATE_DECIMALS))


def validity_check(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "invalid_period",
            f"valid_to {valid_to} is before valid_from {valid_from}.",
            field="valid_to",
        )


def overlap_of(candidate: Rate, others: Iterable[Rate]) -> Rate | None:
    """Another rate for the same country, region and class whose period meets `candidate`'s:
    two rates on one day would make the calculation guess."""
    far = date.max
    for other in others:
        if other.id == candidate.id or (
            other.country,
            other.region.casefold(),
            other.tax_class,
        ) != (
            candidate.country,
            candidate.region.casefold(),
            candidate.tax_class,
        ):
            continue
        if other.valid_from <= (candidate.valid_to or far) and candidate.valid_from <= (
            other.valid_to or far
        ):
            return other
    return None


def rate_pick(
    rates: Iterable[Rate], *, country: str, region: str, tax_class: str, on: date
) -> Rate | None:
    """The rate of `tax_class` at the destination on a day: the region's rate first, then the
    country's; a class without one falls back (shipping → standard); none: None."""
    valid = [r for r in rates if r.country == country and r.valid_on(on)]
    wanted_region = region.strip().casefold()
    tax_class_now: str | None = tax_class
    while tax_class_now is not None:
        of_class = [r for r in valid if r.tax_class == tax_class_now]
        for want in ((wanted_region,) if wanted_region else ()) + ("",):
            found = [r for r in of_class if r.region.strip().casefold() == want]
            if found:
                return found[0]
        tax_class_now = FALLBACK.get(tax_class_now)
    return None
