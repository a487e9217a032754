"""A payment's and an order's balance, computed from the append-only transactions.

Only succeeded transactions move money. Pending and unknown ones are *in flight*: they may
have happened at the provider, so the checks count them as if they had (a capture in flight
is not captured twice; a refund in flight is not refunded twice). So are failed ones the
provider did not decline (an error on its side): the worker sends them again with the same key
until they succeed, so they are money on its way, not money that never moved. Only a declined
transaction never happened (docs/payments.md, "Retries").
A reauthorization renews an authorization's expiry: it moves no money (docs/payments.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.money import allocate

KINDS = ("authorize", "capture", "void", "refund", "reauthorize")
STATUSES = ("pending", "succeeded", "failed", "unknown")
IN_FLIGHT = ("pending", "unknown")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Txn:
    payment_id: int
    kind: str
    amount: Decimal
    status: str
    declined: bool = False  # failed because the provider refused: final, it never happened

    @property
    def in_flight(self) -> bool:
        """May still move money: sent or to be sent again with its key (not final)."""
        return self.status in IN_FLIGHT or (self.status == "failed" and not self.declined)


@dataclass(frozen=True)
class PaymentBalance:
    payment_id: int
    authorized: Decimal
    captured: Decimal
    refunded: Decimal
    voided: Decimal
    capturing: Decimal  # captures in flight
    refunding: Decimal  # refunds in flight
    voiding: Decimal  # voids in flight

    @property
    def open(self) -> Decimal:
        """Authorized, neither captured nor voided, nor being so."""
        held = self.captured + self.capturing + self.voided + self.voiding
        return max(ZERO, self.authorized - held)

    @property
    def refundable(self) -> Decimal:
        """Captured and neither refunded nor being refunded."""
        return max(ZERO, self.captured - self.refunded - self.refunding)


def payment_balance(payment_id: int, txns: Iterable[Txn]) -> PaymentBalance:
    done = dict.fromkeys(KINDS, ZERO)
    flying = dict.fromkeys(KINDS, ZERO)
    for t in txns:
        if t.payment_id != payment_id:
            continue
        if t.status == "succeeded":
            done[t.kind] += t.amount
        elif t.in_flight:
            flying[t.kind] += t.amount
    return PaymentBalance(
        payment_id=payment_id,
        authorized=done["authorize"],
        captured=done["capture"],
        refunded=done["refund"],
        voided=done["void"],
        capturing=flying["capture"],
        refunding=flying["refund"],
        voiding=flying["void"],
    )


@dataclass(frozen=True)
class LineMoney:
    """A line as the ledger sees it: its money now (total less its cancelled units' share)."""

    line_no: int
    amount: Decimal
    refunded: Decimal = ZERO
    shipped: Decimal = ZERO  # the shipped units' share of `amount` (what made captures due)


@dataclass(frozen=True)
class LineBalance:
    line_no: int  # 0: the order's shipping (and any other order-level money)
    ordered: Decimal
    captured: Decimal
    refunded: Decimal


@dataclass(frozen=True)
class OrderBalance:
    currency: str
    ordered: Decimal
    payments: tuple[PaymentBalance, ...]
    lines: tuple[LineBalance, ...]
    goodwill_refunded: Decimal
    returned: Decimal = ZERO  # returned units' money: `ordered` (the current total) lacks it

    def _sum(self, what: str) -> Decimal:
        return sum((getattr(p, what) for p in self.payments), ZERO)

    @property
    def authorized(self) -> Decimal:
        return self._sum("authorized")

    @property
    def captured(self) -> Decimal:
        return self._sum("captured")

    @property
    def refunded(self) -> Decimal:
        return self._sum("refunded")

    @property
    def voided(self) -> Decimal:
        return self._sum("voided")

    @property
    def outstanding(self) -> Decimal:
        """Of what was sold (the current total and the returned units, whose money was or will
        be captured, then refunded), what is not captured yet."""
        return max(ZERO, self.ordered + self.returned - self.captured)

    @property
    def overpaid(self) -> Decimal:
        """Captured, not refunded, beyond the current total (an edit lowered it): to refund."""
        return max(ZERO, self.captured - self.refunded - self.ordered)


def order_balance(
    *,
    currency: str,
    ordered: Decimal,
    payment_ids: Sequence[int],
    txns: Sequence[Txn],
    lines: Sequence[LineMoney],
    shipping_refunded: Decimal = ZERO,
    goodwill_refunded: Decimal = ZERO,
    returned: Decimal = ZERO,
) -> OrderBalance:
    """Per payment from its transactions; per line, captures allocated by the lines' shipped
    money (largest remainder, so they add up exactly) and refunds as each refund recorded them.
    The order-level rest (shipping) is line 0."""
    payments = tuple(payment_balance(pid, txns) for pid in payment_ids)
    captured = sum((p.captured for p in payments), ZERO)
    # a line's amount keeps its returned units (they were sold): so does the rest's total
    rest = ordered + returned - sum((line.amount for line in lines), ZERO)
    weights = [line.shipped for line in lines]
    # Captures follow shipments: allocated by what each line shipped (the rest, shipping, came
    # with the first shipment); captured before anything shipped: by the lines' money.
    if any(weights):
        weights.append(max(ZERO, rest))
    else:
        weights = [line.amount for line in lines] + [max(ZERO, rest)]
    shares = allocate(captured, weights, currency) if weights else []
    per_line = tuple(
        LineBalance(line.line_no, line.amount, share, line.refunded)
        for line, share in zip(lines, shares, strict=False)
    )
    shipping = LineBalance(0, rest, shares[-1] if shares else ZERO, shipping_refunded)
    return OrderBalance(
        currency=currency,
        ordered=ordered,
        payments=payments,
        lines=(*per_line, shipping),
        goodwill_refunded=goodwill_refunded,
        returned=returned,
    )
