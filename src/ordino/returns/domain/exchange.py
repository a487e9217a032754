"""An exchange's money, decided: what the returned units are worth against the new lines, which
way the difference goes and when (docs/returns.md, "Exchanges"). Pure.

- `returned`: the refund decision the returned units would get (their share of their lines'
  stored total, tax included: `dispositions.refund_decision`); `added`: the new lines' value,
  tax included (the order edit's `amount_delta`).
- even (`returned == added`): no money moves.
- the customer owes (`added > returned`): the difference is charged (a new payment with the
  order's provider) when the exchange is made.
- the merchant owes (`returned > added`): the difference is refunded once the returned units are
  received — each receipt refunds what its units add beyond what the exchange keeps — or at once
  when the merchant says so (`refund_now`).
- `kept`: of the returned units' value, what is not refunded on receipt: the new lines' value,
  or the whole returned value when the difference was refunded at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EVEN, CUSTOMER_OWES, MERCHANT_OWES = "even", "customer_owes", "merchant_owes"
ZERO = Decimal(0)


@dataclass(frozen=True)
class ExchangeMoney:
    returned: Decimal
    returned_tax: Decimal
    added: Decimal
    added_tax: Decimal
    direction: str
    charge: Decimal  # to charge the customer now
    refund_now: Decimal  # to refund at once
    kept: Decimal  # of the returned value, not refunded on receipt

    @property
    def difference(self) -> Decimal:
        """What the customer pays (positive) or gets back (negative)."""
        return self.added - self.returned

    @property
    def tax_difference(self) -> Decimal:
        return self.added_tax - self.returned_tax


def exchange_money(
    *,
    returned: Decimal,
    returned_tax: Decimal,
    added: Decimal,
    added_tax: Decimal,
    refund_now: bool,
) -> ExchangeMoney:
    if added == returned:
        direction, charge, at_once = EVEN, ZERO, ZERO
    elif added > returned:
        direction, charge, at_once = CUSTOMER_OWES, added - returned, ZERO
    else:
        direction, charge = MERCHANT_OWES, ZERO
        at_once = returned - added if refund_now else ZERO
    return ExchangeMoney(
        returned=returned,
        returned_tax=returned_tax,
        added=added,
        added_tax=added_tax,
        direction=direction,
        charge=charge,
        refund_now=at_once,
        kept=added + at_once if direction == MERCHANT_OWES else returned.max(added),
    )


def receipt_refund(*, decided_before: Decimal, decided_now: Decimal, kept: Decimal) -> Decimal:
    """What one receipt of an exchange's return refunds: the part of the refund decisions (all
    receipts so far, `decided_before` + this one's `decided_now`) beyond what the exchange keeps,
    less what earlier receipts refunded. Summed over receipts: max(0, decided − kept), once."""
    before = (decided_before - kept).max(ZERO)
    after = (decided_before + decided_now - kept).max(ZERO)
    return after - before
