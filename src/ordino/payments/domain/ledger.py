"""A payment's and an order's balance, computed from the append-only transactions.

Only succeeded transactions move money. Pending and unknown ones are *in flight*: they may
have happened at the provider, so the checks count them as if they had (a capture in flight
is not captured twice; a refund in flight is not refunded twice). So are failed ones the
provider did not decline (an error on its side): the worker sends them again with the same key
until they succeed, so they are money on its way, not money that never moved. Only a declined
transaction never happened (docs/payments.md, "Retries").
A reauthorization renews an authorization's expiry: it moves no money (docs/payments.md).
A chargeback is a dispute the merchant lost: captured money the card network took back, no
longer refundable (docs/payments-stripe.md, "Disputes"); it is booked succeeded, never sent.
A refund reversal is a refund the provider accepted and that failed later (Stripe's refund
`failed`): the money came back, so it is refunded no more and refundable again; booked
succeeded, never sent (docs/payments-stripe.md, "A refund that fails later").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.money import allocate

KINDS = ("authorize", "capture", "void", "refund", "reauthorize", "chargeback", "refund_reversal")
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
    disputed: Decimal = ZERO  # lost chargebacks: captured money the card network took back

    @property
    def open(self) -> Decimal:
        """Authorized, neither captured nor voided, nor being so."""
        held = self.captured + self.capturing + self.voided + self.voiding
        return max(ZERO, self.authorized - held)

    @property
    def refundable(self) -> Decimal:
        """Captured and neither refunded nor being refunded, nor taken back by a chargeback."""
        return max(ZERO, self.captured - self.refunded - self.refunding - self.disputed)


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
        refunded=done["refund"] - done["refund_reversal"],
        voided=done["void"],
        capturing=flying["capture"],
        refunding=flying["refund"],
        voiding=flying["void"],
        disputed=done["chargeback"],
    )


@dataclass(frozen=True)
class LineMoney:
    """A line as the ledger sees it: its money now (total less its cancelled units' share)."""

    line_no: int
    amount: Decimal
    refunded: Decimal = ZERO
    shipped: Decimal = ZERO  # the shipped units' share of `amount` (what made captures due)
    returned: Decimal = ZERO  # the returned units' share of the line's total (the order's
    # current total went down by it when they came back)
    returned_refunded: Decimal = ZERO  # of `returned`, what a refund of the units gave back
    exchanged: Decimal = ZERO  # of `returned`, what exchanges took back: that money paid for
    # the exchanges' new lines, so the line no longer needs it captured


@dataclass(frozen=True)
class LineBalance:
    line_no: int  # 0: the order's shipping (and any other order-level money)
    ordered: Decimal
    captured: Decimal
    refunded: Decimal
    returned: Decimal = ZERO
    exchanged: Decimal = ZERO  # of `returned`: units an exchange took back (their money moved)

    @property
    def outstanding(self) -> Decimal:
        """Of the line's money, not captured yet. Returned units were shipped and captured; a
        refund gives their money back, so they stay in `ordered` here (docs/payments.md). An
        exchange's returned units paid for its new lines: not owed on this line any more."""
        return max(ZERO, self.ordered - self.exchanged - self.captured)


@dataclass(frozen=True)
class OrderBalance:
    currency: str
    ordered: Decimal
    payments: tuple[PaymentBalance, ...]
    lines: tuple[LineBalance, ...]
    goodwill_refunded: Decimal
    returns_refunded: Decimal = ZERO  # refunds that gave back what a return took off the total
    returned: Decimal = ZERO  # plain returns' units' money: `ordered` (the current total) lacks it
    overpaid_refunded: Decimal = ZERO  # refunds that gave back what was captured beyond the total

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
    def chargeable(self) -> Decimal:
        """What was sold, what the captures tie out to: the current total and the money of the
        units plain returns took back (they were captured when they shipped; a refund gives
        their money back, never a smaller capture — docs/payments.md, "The balance")."""
        return self.ordered + self.returned

    @property
    def disputed(self) -> Decimal:
        return self._sum("disputed")

    @property
    def outstanding(self) -> Decimal:
        """Of what was sold (the current total and the returned units, whose money was or will
        be captured, then refunded), what is not captured yet — an overpayment given back pays
        for nothing."""
        return max(ZERO, self.chargeable - (self.captured - self.overpaid_refunded))

    @property
    def overpaid(self) -> Decimal:
        """Captured (not charged back) beyond the current total — a cancellation or an edit
        lowered it, or a return whose refund is still to come — and not given back for it.
        Concessions (goodwill, shipping, units the customer keeps) lower what is owed exactly as
        much as what was paid: they never hide an overpayment (docs/payments.md, "The balance")."""
        given_back = self.returns_refunded + self.overpaid_refunded
        return max(ZERO, self.captured - self.disputed - self.ordered - given_back)


def order_balance(
    *,
    currency: str,
    ordered: Decimal,
    payment_ids: Sequence[int],
    txns: Sequence[Txn],
    lines: Sequence[LineMoney],
    shipping_refunded: Decimal = ZERO,
    goodwill_refunded: Decimal = ZERO,
    exchanges_refunded: Decimal = ZERO,
    returned: Decimal = ZERO,
    overpaid_refunded: Decimal = ZERO,
) -> OrderBalance:
    """Per payment from its transactions; per line, captures allocated by the lines' shipped
    money (largest remainder, so they add up exactly) and refunds as each refund recorded them.
    The order-level rest (shipping) is line 0: the current total with the returned units'
    money put back (a return lowered the total, not the line), less the lines' money.
    `exchanges_refunded`: an exchange's difference given back (its returned units paid for
    its new lines and the rest was refunded)."""
    payments = tuple(payment_balance(pid, txns) for pid in payment_ids)
    captured = sum((p.captured for p in payments), ZERO)
    # a line's amount keeps its returned units (they were sold, exchanged or not): so does
    # the rest's total
    lines_returned = sum((line.returned for line in lines), ZERO)
    rest = ordered + lines_returned - sum((line.amount for line in lines), ZERO)
    # What each line still needs captured: its money less what exchanges took back (their
    # units' money paid for the new lines); the rest (shipping) all of it.
    caps = [line.amount - line.exchanged for line in lines] + [max(ZERO, rest)]
    weights = [max(ZERO, line.shipped - line.exchanged) for line in lines]
    # Captures follow shipments: allocated by what each line shipped (the rest, shipping, came
    # with the first shipment); captured before anything shipped: by the lines' money.
    if any(weights):
        weights.append(max(ZERO, rest))
    else:
        weights = caps
    # an overpayment given back pays for no line (services/overpaid.py)
    shares = allocate_capped(captured - overpaid_refunded, weights, caps, currency)
    per_line = tuple(
        LineBalance(line.line_no, line.amount, share, line.refunded, line.returned, line.exchanged)
        for line, share in zip(lines, shares, strict=False)
    )
    shipping = LineBalance(0, max(ZERO, rest), shares[-1] if shares else ZERO, shipping_refunded)
    returns_refunded = sum((line.returned_refunded for line in lines), ZERO) + exchanges_refunded
    return OrderBalance(
        currency=currency,
        ordered=ordered,
        payments=payments,
        lines=(*per_line, shipping),
        goodwill_refunded=goodwill_refunded,
        returns_refunded=returns_refunded,
        returned=returned,
        overpaid_refunded=overpaid_refunded,
    )


def allocate_capped(
    amount: Decimal, weights: Sequence[Decimal], caps: Sequence[Decimal], currency: str
) -> list[Decimal]:
    """`amount` by `weights` (largest remainder), no part above its cap while another has
    room: what a part gets beyond its cap goes to the others by their room left. So captured
    money that shipped units made due on one line, but an exchange moved to another (its new
    lines), lands where it pays (docs/payments.md, "The balance"). Beyond every cap (overpaid),
    the rest by the weights again. The parts add up exactly to `amount`."""
    if not weights:
        return []
    shares = allocate(amount, weights, currency)
    capped = [min(share, max(ZERO, cap)) for share, cap in zip(shares, caps, strict=True)]
    excess = sum(shares, ZERO) - sum(capped, ZERO)
    if excess <= 0:
        return shares
    room = [max(ZERO, cap) - part for part, cap in zip(capped, caps, strict=True)]
    fits = min(excess, sum(room, ZERO))
    if fits > 0:
        capped = [a + b for a, b in zip(capped, allocate(fits, room, currency), strict=True)]
    if excess > fits:
        capped = [
            a + b for a, b in zip(capped, allocate(excess - fits, weights, currency), strict=True)
        ]
    return capped
