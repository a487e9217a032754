"""Order money: line amounts, order discount allocated by largest remainder, totals checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.bounds import MAX_AMOUNT
from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import allocate, money_exact


@dataclass(frozen=True)
class LineMoneyIn:
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class LineMoney:
    subtotal: Decimal
    line_discount: Decimal
    order_discount: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class OrderMoney:
    lines: list[LineMoney]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    shipping_price: Decimal
    shipping_tax: Decimal
    grand_total: Decimal


def order_price(
    *,
    lines: Sequence[LineMoneyIn],
    currency: str,
    order_discount: Decimal,
    shipping_price: Decimal,
    shipping_tax: Decimal,
    expected_total: Decimal | None,
    inclusive: bool = False,
) -> OrderMoney:
    """Tax-exclusive prices (the default): line total = quantity × unit price − discounts + tax,
    grand total = lines + shipping price + shipping tax. Tax-inclusive prices (`inclusive`, the
    channel's `prices_include_tax`): the tax is the part included, line total = quantity × unit
    price − discounts, grand total = lines + shipping price; a line's tax may not exceed its
    total (docs/tax.md).

    Every amount stored, given or computed (a line's subtotal and total, the order's sums), is
    at most MAX_AMOUNT: beyond it is a 422 `amount_too_large` naming the line or the field.
    """
    money_exact(0, currency, field="currency")  # unknown currency stops here
    amounts = _Amounts(currency, inclusive)
    prepared = [amounts.line(i, line) for i, line in enumerate(lines)]
    order_discount = amounts.exact(order_discount, "discount")
    shipping_price = amounts.exact(shipping_price, "shipping_price")
    shipping_tax = amounts.exact(shipping_tax, "shipping_tax")
    if expected_total is not None:
        expected_total = amounts.exact(expected_total, "total")
    if amounts.errors:
        too_large = all(e["code"] == "amount_too_large" for e in amounts.errors)
        code = "amount_too_large" if too_large else "invalid_money"
        raise DomainError(code, "Some amounts are not valid.", errors=amounts.errors)

    priced = _lines_priced(prepared, order_discount, currency, inclusive)
    if inclusive:
        _included_check(priced, shipping_price, shipping_tax)
    shipping = shipping_price + (Decimal(0) if inclusive else shipping_tax)
    grand_total = sum((p.total for p in priced), Decimal(0)) + shipping
    subtotal = sum((p.subtotal for p in priced), Decimal(0))
    tax_total = sum((p.tax for p in priced), Decimal(0)) + shipping_tax
    for what, amount in (("subtotal", subtotal), ("tax", tax_total), ("total", grand_total)):
        if amount > MAX_AMOUNT:
            raise DomainError(
                "amount_too_large",
                "The order's amounts are too large.",
                errors=[_too_large("lines", f"The order's {what}", amount)],
            )
    if expected_total is not None and expected_total != grand_total:
        raise DomainError(
            "total_mismatch",
            f"The order's total {expected_total} differs from the lines' {grand_total}.",
            field="total",
        )
    return OrderMoney(
        lines=priced,
        subtotal=subtotal,
        discount_total=sum((p.line_discount + p.order_discount for p in priced), Decimal(0)),
        tax_total=tax_total,
        shipping_price=shipping_price,
        shipping_tax=shipping_tax,
        grand_total=grand_total,
    )


class _Amounts:
    """Given amounts made exact in the currency, collecting every field's error (an invalid
    amount counts as 0 so the checks go on and report all of them at once)."""

    def __init__(self, currency: str, inclusive: bool = False) -> None:
        self.currency = currency
        self.inclusive = inclusive
        self.errors: list[dict[str, str]] = []

    def exact(self, value: Decimal, field: str) -> Decimal:
        try:
            return money_exact(value, self.currency, field=field)
        except DomainError as exc:
            self.errors.extend(exc.errors)
            return Decimal(0)

    def line(self, i: int, line: LineMoneyIn) -> tuple[Decimal, Decimal, Decimal]:
        """A line's (subtotal, discount, tax), its amount at most MAX_AMOUNT and its discount
        at most its subtotal."""
        unit = self.exact(line.unit_price, f"lines.{i}.unit_price")
        discount = self.exact(line.discount, f"lines.{i}.discount")
        tax = self.exact(line.tax, f"lines.{i}.tax")
        subtotal = unit * line.quantity
        amount = subtotal if self.inclusive else subtotal + tax  # inclusive: the tax is inside
        if amount > MAX_AMOUNT:
            self.errors.append(_too_large(f"lines.{i}", "The line's amount", amount))
        elif discount > subtotal:
            self.errors.append(
                {
                    "field": f"lines.{i}.discount",
                    "code": "discount_exceeds_price",
                    "message": f"Discount {discount} exceeds the line's {subtotal}.",
                }
            )
        return subtotal, discount, tax


def _lines_priced(
    prepared: Sequence[tuple[Decimal, Decimal, Decimal]],
    order_discount: Decimal,
    currency: str,
    inclusive: bool = False,
) -> list[LineMoney]:
    """The order discount allocated over the lines' net amounts (largest remainder)."""
    nets = [subtotal - discount for subtotal, discount, _ in prepared]
    if order_discount > sum(nets):
        raise DomainError(
            "discount_exceeds_price",
            f"The order discount {order_discount} exceeds the lines' {sum(nets)}.",
            field="discount",
        )
    shares = allocate(order_discount, nets, currency)
    return [
        LineMoney(
            subtotal=subtotal,
            line_discount=discount,
            order_discount=share,
            tax=tax,
            total=subtotal - discount - share + (Decimal(0) if inclusive else tax),
        )
        for (subtotal, discount, tax), share in zip(prepared, shares, strict=True)
    ]


def _included_check(priced: Sequence[LineMoney], shipping_price: Decimal, shipping_tax: Decimal):
    """Inclusive prices: the tax is a part of what the customer pays, never more than it."""
    errors = [
        {
            "field": f"lines.{i}.tax",
            "code": "tax_exceeds_price",
            "message": f"The tax {line.tax} exceeds the line's total {line.total}, which "
            "includes it.",
        }
        for i, line in enumerate(priced)
        if line.tax > line.total
    ]
    if shipping_tax > shipping_price:
        errors.append(
            {
                "field": "shipping_tax",
                "code": "tax_exceeds_price",
                "message": f"The shipping tax {shipping_tax} exceeds the shipping price "
                f"{shipping_price}, which includes it.",
            }
        )
    if errors:
        raise DomainError(
            "tax_exceeds_price", "A tax exceeds the price including it.", errors=errors
        )


def _too_large(field: str, what: str, amount: Decimal) -> dict[str, str]:
    return {
        "field": field,
        "code": "amount_too_large",
        "message": f"{what} {amount} is beyond the largest amount Ordino stores ({MAX_AMOUNT}).",
    }


def units_amount(amount: Decimal, of_units: int, units: int, currency: str) -> Decimal:
    """The part of `amount` (a line's total, or its tax) that `units` of its `of_units` account
    for, by largest remainder.

    Ask it cumulatively (all units cancelled so far, all shipped so far) and take differences:
    then successive parts add up to exactly `amount` when `units` reaches `of_units`. Asking for
    each part alone does not: 0.01 over 2 units is 0.01 + 0.00, and each half alone is 0.01.
    """
    if units == 0:
        return Decimal(0)
    if units == of_units:
        return amount
    return allocate(amount, [units, of_units - units], currency)[0]


def kept_units_amount(
    amount: Decimal, ordered: int, cancelled: int, units: int, currency: str
) -> Decimal:
    """The part of `amount` (a line's total, or its tax) that the first `units` of its kept
    (not cancelled) units account for: the cumulative shares of the line's units counted from
    its first, the cancelled units being its last (`cancelled_amount`). So a unit billed,
    returned or refunded keeps its share whatever is cancelled after it, and the kept units
    and the cancelled ones add up to exactly the line's amount (invoices bill, returns credit
    and refunds give back by it; docs/orders.md, "Money")."""
    return units_amount(amount, ordered, min(units, ordered - cancelled), currency)


def kept_units_part(
    amount: Decimal, ordered: int, cancelled: int, before: int, units: int, currency: str
) -> Decimal:
    """The share of `units` more kept units after `before` (`kept_units_amount`'s difference):
    successive parts add up to exactly the line's amount less its cancelled units' share."""
    after = before + units
    return kept_units_amount(amount, ordered, cancelled, after, currency) - kept_units_amount(
        amount, ordered, cancelled, before, currency
    )


def cancelled_amount(line_total: Decimal, ordered: int, cancelled: int, currency: str) -> Decimal:
    """The part of a line's total that `cancelled` of its `ordered` units account for: the
    shares of its last units, so the units kept, billed or returned before a cancellation keep
    the shares they were given (counted from the first unit: `kept_units_amount`).

    Cumulative, so successive partial cancellations add up to exactly the line's total.
    """
    if cancelled == 0:
        return Decimal(0)
    return line_total - units_amount(line_total, ordered, ordered - cancelled, currency)
