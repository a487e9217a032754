"""An order's money with its tax: kept as the channel sent it, or computed from the tax rates
(`tax.selectors.tax_quote`) when the lines omit it. The one path capture and edit share
(docs/tax.md, "At capture").

The rule: a line's given tax is never recomputed; lines that omit it are all computed, so an
order (or an edit's new lines) gives the tax on every line or on none (422 `tax_partly_given`).
An omitted shipping tax is computed with the lines' when they omit theirs, else it is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.orders.commands import LineItem, OrderAddress
from ordino.orders.domain.pricing import LineMoneyIn, OrderMoney, order_price
from ordino.orders.models import Order
from ordino.tax.domain.calculation import OrderTax
from ordino.tax.selectors import tax_quote


@dataclass(frozen=True)
class Destination:
    """Where the order's tax is due: the shipping address, or the pickup store's address."""

    country: str | None
    region: str = ""


@dataclass(frozen=True)
class LineRate:
    """The rate a line was taxed at, as its OrderLine stores it (None: given, or no rate)."""

    rate: Decimal | None = None
    name: str = ""


@dataclass(frozen=True)
class TaxedMoney:
    money: OrderMoney
    rates: tuple[LineRate, ...]
    computed: OrderTax | None  # None: the channel's tax, kept

    def summary(self) -> dict | None:
        """What the timeline and the event say of a computed tax (None when it was given)."""
        if self.computed is None:
            return None
        return {
            "computed": True,
            "rates": [
                {
                    "name": r.rate.name,
                    "rate": str(r.rate.rate),
                    "base": str(r.base),
                    "tax": str(r.tax),
                }
                for r in self.computed.per_rate
            ],
            "notes": list(self.computed.notes),
        }


def money_taxed(
    *,
    lines: Sequence[LineItem],
    currency: str,
    order_discount: Decimal,
    shipping_price: Decimal,
    shipping_tax: Decimal | None,
    expected_total: Decimal | None,
    inclusive: bool,
    destination: Destination,
    on: date,
    field: str = "lines",
) -> TaxedMoney:
    """The order's money (`order_price`), its lines' tax given or computed on their amounts
    after every discount; one statement when computed, none when given."""

    def priced(taxes, shipping_tax: Decimal, expected: Decimal | None) -> OrderMoney:
        return order_price(
            lines=[
                LineMoneyIn(line.quantity, line.unit_price, line.discount, tax)
                for line, tax in zip(lines, taxes, strict=True)
            ],
            currency=currency,
            order_discount=order_discount,
            shipping_price=shipping_price,
            shipping_tax=shipping_tax,
            expected_total=expected,
            inclusive=inclusive,
        )

    omitted = [i for i, line in enumerate(lines) if line.tax is None]
    if not omitted:
        money = priced([line.tax for line in lines], shipping_tax or Decimal(0), expected_total)
        return TaxedMoney(money, tuple(LineRate() for _ in lines), None)
    if len(omitted) != len(lines):
        raise DomainError(
            "tax_partly_given",
            "Give the tax on every line or on none (then Ordino computes it).",
            errors=[
                {
                    "field": f"{field}.{i}.tax",
                    "code": "tax_partly_given",
                    "message": "This line omits the tax that other lines give.",
                }
                for i in omitted
            ],
        )
    # the amounts after every discount (the order's allocated too): what the tax is due on
    untaxed = priced([Decimal(0)] * len(lines), Decimal(0), None)
    quote = tax_quote(
        country=destination.country,
        region=destination.region,
        lines=[
            (line.sku, p.subtotal - p.line_discount - p.order_discount)
            for line, p in zip(lines, untaxed.lines, strict=True)
        ],
        shipping=shipping_price if shipping_tax is None else Decimal(0),
        currency=currency,
        inclusive=inclusive,
        on=on,
    )
    shipping = quote.shipping.tax if shipping_tax is None else shipping_tax
    money = priced([t.tax for t in quote.lines], shipping, expected_total)
    rates = tuple(
        LineRate(t.rate.rate, t.rate.name) if t.rate is not None else LineRate()
        for t in quote.lines
    )
    return TaxedMoney(money, rates, quote)


def added_lines_taxed(
    *, order: Order, lines: Sequence[LineItem], address: OrderAddress | None, now: datetime
) -> tuple[tuple[LineItem, ...], tuple[LineRate, ...]]:
    """An edit's new lines with their tax: given, kept; omitted, computed as at capture, at the
    order's destination (the edit's new address, if any) on the day of the edit. Shipping is
    not part of an edit."""
    if not lines or all(line.tax is not None for line in lines):
        return tuple(lines), tuple(LineRate() for _ in lines)
    try:
        taxed = _added_taxed(order, lines, address, now)
    except DomainError as exc:
        if exc.code == "tax_partly_given":
            raise
        # the lines' own faults: the edit's plan refuses them, naming its fields
        untaxed = tuple(replace(line, tax=Decimal(0)) for line in lines)
        return untaxed, tuple(LineRate() for _ in lines)
    filled = tuple(
        replace(line, tax=priced.tax) for line, priced in zip(lines, taxed.money.lines, strict=True)
    )
    return filled, taxed.rates


def _added_taxed(order: Order, lines, address: OrderAddress | None, now: datetime) -> TaxedMoney:
    return money_taxed(
        lines=lines,
        currency=order.currency,
        order_discount=Decimal(0),
        shipping_price=Decimal(0),
        shipping_tax=Decimal(0),
        expected_total=None,
        inclusive=order.channel.prices_include_tax,
        destination=_order_destination(order, address),
        on=now.astimezone(UTC).date(),
        field="add_lines",
    )


def _order_destination(order: Order, address: OrderAddress | None) -> Destination:
    if order.pickup_location_id is not None:
        store = order.pickup_location
        return Destination(store.country or None, store.region)
    if address is not None:
        return Destination(address.country, address.region)
    stored = order.shipping_address or {}
    return Destination(stored.get("country") or None, stored.get("region") or "")
