"""What an invoice or credit note covers, in exact money.

An invoice bills units a shipment carried (or a pickup handed over). Each line's money is the
shipped units' cumulative share of the order line's stored `total` and `tax`
(orders.domain.pricing.units_amount): the n-th invoice of a line takes share(units invoiced
after it) − share(units invoiced before it), so all invoices of a line add up exactly to the line
(docs/invoices.md, "What each invoice covers")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.money import allocate
from ordino.orders.domain.pricing import kept_units_part, units_amount


@dataclass(frozen=True)
class OrderLineMoney:
    """An order line as an invoice needs it."""

    line_no: int
    sku: str
    name: str
    ordered: int
    cancelled: int
    unit_price: Decimal
    total: Decimal  # after discounts, with tax
    tax: Decimal
    discount: Decimal = Decimal(0)  # the line's and its share of the order's, as priced
    tax_rate: Decimal | None = None  # the percentage the line was taxed at (None: not known)


@dataclass(frozen=True)
class DocLine:
    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    tax_rate: Decimal | None = None
    discount: Decimal = Decimal(0)  # the units' share of the line's discounts (not in `net`)


def invoice_lines(
    lines: Sequence[OrderLineMoney],
    *,
    billed_before: dict[int, int],
    billing: dict[int, int],
    currency: str,
) -> list[DocLine]:
    """The invoice lines for `billing` (line number → units now), given the units of each line
    billed by earlier invoices. A line billed beyond what is left of it is a ValueError (the
    caller's bug: fulfillment ships only what the order holds)."""
    out = []
    for line in lines:
        units = billing.get(line.line_no, 0)
        if not units:
            continue
        before = billed_before.get(line.line_no, 0)
        if before + units > line.ordered - line.cancelled:
            raise ValueError(f"line {line.line_no}: billing {units} beyond what is left")
        total, tax, discount = (
            kept_units_part(amount, line.ordered, line.cancelled, before, units, currency)
            for amount in (line.total, line.tax, line.discount)
        )
        out.append(
            DocLine(
                line.line_no,
                line.sku,
                line.name,
                units,
                line.unit_price,
                total - tax,
                tax,
                total,
                tax_rate=line.tax_rate,
                discount=discount,
            )
        )
    return out


def units_discount(
    discount: Decimal, *, ordered: int, before: int, units: int, currency: str
) -> Decimal:
    """The discount of `units` more units of a line after `before` (cumulative shares, so a
    line credited unit by unit gives back exactly its discount)."""
    return units_amount(discount, ordered, min(ordered, before + units), currency) - units_amount(
        discount, ordered, min(ordered, before), currency
    )


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    total: Decimal


def totals(lines: Iterable[DocLine], shipping_net: Decimal, shipping_tax: Decimal) -> Totals:
    lines = list(lines)
    net = sum((line.net for line in lines), Decimal(0)) + shipping_net
    tax = sum((line.tax for line in lines), Decimal(0)) + shipping_tax
    return Totals(net=net, tax=tax, total=net + tax)


def tax_summary(
    lines: Iterable[DocLine], shipping_net: Decimal, shipping_tax: Decimal
) -> list[tuple[Decimal | None, Decimal, Decimal]]:
    """(rate, net, tax) per tax rate, shipping in the rate of unknown (None) unless a line
    shares it; rates in ascending order, unknown last."""
    groups: dict[Decimal | None, list[Decimal]] = {}
    for line in lines:
        net_tax = groups.setdefault(line.tax_rate, [Decimal(0), Decimal(0)])
        net_tax[0] += line.net
        net_tax[1] += line.tax
    if shipping_net or shipping_tax:
        net_tax = groups.setdefault(None, [Decimal(0), Decimal(0)])
        net_tax[0] += shipping_net
        net_tax[1] += shipping_tax
    keys = sorted(k for k in groups if k is not None) + ([None] if None in groups else [])
    return [(k, groups[k][0], groups[k][1]) for k in keys]


def shipping_gross_split(
    gross: Decimal, *, before: Decimal, price: Decimal, tax: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """Shipping given back with its tax (`gross`, as a refund states it) as (net, tax), after
    `before` given back by earlier credit notes: the tax is the cumulative share of the order's
    shipping tax, so all credit notes' shipping tax adds up exactly to the order's."""
    paid = price + tax

    def tax_share(upto: Decimal) -> Decimal:
        return tax if upto >= paid else allocate(tax, [upto, paid - upto], currency)[0]

    part = tax_share(before + gross) - tax_share(before)
    return gross - part, part
