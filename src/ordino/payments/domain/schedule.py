"""When money moves: what shipments make due for capture, how a capture, a release or a refund
is split over an order's payments, and what refunding some units of a line is worth.

Amounts are exact in the currency (core.domain.money); shares of a line's money are taken
cumulatively with `units_amount`, so successive parts add up exactly (docs/payments.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.orders.domain.pricing import (
    cancelled_amount,
    kept_units_amount,
    kept_units_part,
    units_amount,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class LineUnits:
    line_no: int
    total: Decimal  # the line's total as sold, tax included
    tax: Decimal
    ordered: int
    cancelled: int
    shipped: int
    returned: int = 0

    def returned_money(self, currency: str, units: int | None = None) -> Decimal:
        """The returned units' share of the line's total, as a return's refund decision takes
        it (cumulative: returns/domain/dispositions.py); `units`: only the first so many."""
        n = self.returned if units is None else min(units, self.returned)
        return kept_units_amount(self.total, self.ordered, self.cancelled, n, currency)

    def money_now(self, currency: str) -> Decimal:
        """The line's total less its cancelled units' share (as cancel computes it)."""
        return self.total - cancelled_amount(self.total, self.ordered, self.cancelled, currency)

    def shipped_money(self, currency: str) -> Decimal:
        """The shipped units' share of the line's money now (cumulative, as captures take it)."""
        kept = self.ordered - self.cancelled
        return (
            units_amount(self.money_now(currency), kept, self.shipped, currency) if kept else ZERO
        )


def capture_due(*, lines: Sequence[LineUnits], current_total: Decimal, currency: str) -> Decimal:
    """What the order's shipments make capturable in all: each line's shipped units' share of
    its money (cumulative), the order-level rest (shipping) with the first shipment, and the
    whole current total once every unit kept is shipped — so the last capture takes the
    remainder and captures tie out exactly to the current total."""
    kept = [(line, line.ordered - line.cancelled) for line in lines]
    if not any(line.shipped for line, _ in kept):
        return ZERO
    if all(line.shipped >= units for line, units in kept):
        return current_total
    shipped = sum((line.shipped_money(currency) for line, _ in kept), ZERO)
    rest = current_total - sum((line.money_now(currency) for line, _ in kept), ZERO)
    return min(current_total, shipped + max(ZERO, rest))


def split_over(
    amount: Decimal, available: Sequence[tuple[int, Decimal]]
) -> list[tuple[int, Decimal]]:
    """`amount` taken from each (payment id, what it has) in the order given, each at most what
    it has; what cannot be taken is left out (the caller checks the sum when it must)."""
    parts = []
    left = amount
    for payment_id, has in available:
        if left <= 0:
            break
        take = min(has, left)
        if take > 0:
            parts.append((payment_id, take))
            left -= take
    return parts


@dataclass(frozen=True)
class LineRefund:
    line_no: int
    quantity: int
    amount: Decimal  # tax included
    tax: Decimal


def line_refund(
    *, line: LineUnits, quantity: int, refunded_before: int, currency: str
) -> LineRefund:
    """The money of `quantity` more units of a line, after `refunded_before` units were
    refunded: cumulative shares of its total and tax, so a line refunded unit by unit adds up
    to exactly its total. Only shipped units are refunded (unshipped ones are cancelled)."""
    if quantity <= 0:
        raise DomainError("invalid_quantity", "Refund at least one unit.", field="lines")
    if refunded_before + quantity > line.shipped:
        left = line.shipped - refunded_before
        raise DomainError(
            "refund_exceeds_units",
            f"Line {line.line_no}: {left} shipped unit(s) left to refund, not {quantity}.",
            field="lines",
        )

    def part(amount: Decimal) -> Decimal:  # as returns credit and invoices bill
        return kept_units_part(
            amount, line.ordered, line.cancelled, refunded_before, quantity, currency
        )

    amount, tax = part(line.total), part(line.tax)
    return LineRefund(line.line_no, quantity, amount, tax)
