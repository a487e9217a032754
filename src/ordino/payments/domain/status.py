"""A payment's status, read from its balance and its last authorization's outcome."""

from __future__ import annotations

from ordino.payments.domain.ledger import PaymentBalance


def payment_status(balance: PaymentBalance, *, declined: bool, amount_authorizing: bool) -> str:
    """pending (not authorized yet), declined, authorized, partially_captured, captured,
    partially_refunded, refunded, voided."""
    b = balance
    if b.refunded and b.refunded >= b.captured:
        return "refunded"
    if b.refunded:
        return "partially_refunded"
    if b.captured:
        return "captured" if not b.open else "partially_captured"
    if b.authorized:
        return "voided" if b.voided >= b.authorized else "authorized"
    if declined and not amount_authorizing:
        return "declined"
    return "pending"
