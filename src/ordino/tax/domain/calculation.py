"""The tax of an order: the rate per line and on shipping, the tax per rate on the sum, then
allocated to the lines by largest remainder (docs/tax.md, "Rounding and allocation").

Why not round each line: three lines of EUR 0.05 at 10 % are 0.005 each, 0.01 rounded, 0.03 in
all; the order's 0.15 at 10 % is 0.015, 0.02. Per-line rounding drifts from the tax of the sum
that an invoice states per rate. Computing the tax per
rate on the sum and allocating it (core.domain.money.allocate) keeps both true: each rate's
tax is exactly the rounded tax of its base, and the lines (and shipping) add up to it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ordino.core.domain.money import allocate, quantum
from ordino.tax.domain.rates import SHIPPING, Rate, rate_pick

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxLine:
    """A line as the tax sees it: its amount after every discount (net when prices exclude
    tax, gross when they include it) and its SKU's tax class."""

    amount: Decimal
    tax_class: str


@dataclass(frozen=True)
class LineTax:
    tax: Decimal
    rate: Rate | None  # None: no rate configured, tax 0


@dataclass(frozen=True)
class RateTotal:
    """One rate's part of the order: what it taxes (`base`: net, or gross when inclusive) and
    its tax, rounded once on the sum."""

    rate: Rate
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class OrderTax:
    lines: tuple[LineTax, ...]
    shipping: LineTax
    per_rate: tuple[RateTotal, ...]
    notes: tuple[str, ...]  # what had no rate (tax 0), said so

    @property
    def total(self) -> Decimal:
        return sum((r.tax for r in self.per_rate), Decimal(0))


def rate_tax(base: Decimal, rate: Decimal, currency: str, *, inclusive: bool) -> Decimal:
    """The tax of `base` at `rate` %, rounded half up to the currency's minor unit: on a net
    base base × rate / 100; on a gross one the part included, base × rate / (100 + rate)."""
    exact = base * rate / (HUNDRED + rate if inclusive else HUNDRED)
    return exact.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def order_tax(
    *,
    country: str | None,
    region: str,
    lines: Sequence[TaxLine],
    shipping: Decimal,
    rates: Sequence[Rate],
    currency: str,
    inclusive: bool,
    on: date,
) -> OrderTax:
    """Each line's tax and the shipping's, from `rates` at the destination on the day `on`.

    The lines and the shipping with the same rate form one group; its tax is computed on the
    group's sum, then allocated over its members by largest remainder, weighted by amount.
    """
    members = [*lines, TaxLine(shipping, SHIPPING)]
    picked: list[Rate | None] = []
    notes: list[str] = []
    for line in members:
        rate = None
        if country:
            rate = rate_pick(rates, country=country, region=region, tax_class=line.tax_class, on=on)
        if rate is None and line.amount:
            notes.append(_no_rate_note(line.tax_class, country, region, on))
        picked.append(rate)
    taxes = [Decimal(0) * quantum(currency)] * len(members)
    per_rate: list[RateTotal] = []
    for rate_id in dict.fromkeys(r.id for r in picked if r is not None):
        group = [i for i, r in enumerate(picked) if r is not None and r.id == rate_id]
        rate = picked[group[0]]
        assert rate is not None
        base = sum((members[i].amount for i in group), Decimal(0))
        tax = rate_tax(base, rate.rate, currency, inclusive=inclusive)
        for i, share in zip(
            group, allocate(tax, [members[i].amount for i in group], currency), strict=True
        ):
            taxes[i] = share
        per_rate.append(RateTotal(rate=rate, base=base, tax=tax))
    line_taxes = tuple(LineTax(t, r) for t, r in zip(taxes, picked, strict=True))
    return OrderTax(
        lines=line_taxes[:-1],
        shipping=line_taxes[-1],
        per_rate=tuple(per_rate),
        notes=tuple(dict.fromkeys(notes)),
    )


def _no_rate_note(tax_class: str, country: str | None, region: str, on: date) -> str:
    if not country:
        return "No destination country: no tax computed (0)."
    where = f"{country}-{region}" if region else country
    return f"No tax rate for class {tax_class!r} in {where} on {on.isoformat()}: tax 0."
