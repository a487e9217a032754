"""Payments' use cases. `grep -rn "def payment"` lists what one can do with money."""

from ordino.payments.services.credit import IssueCredit, credit_issue
from ordino.payments.services.credit_expiry import credit_expire_due
from ordino.payments.services.moves import (
    payment_capture_now,
    payment_retry,
    payment_retry_send,
    payments_authorize,
    payments_collect,
    payments_release_excess,
)
from ordino.payments.services.overpaid import payments_refund_overpaid
from ordino.payments.services.record import payment_add, payments_record
from ordino.payments.services.refund import refund_create, refund_send
from ordino.payments.services.refund_resend import refund_resend
from ordino.payments.services.renew import authorizations_renew
from ordino.payments.services.send import payments_retry_due, transaction_send

__all__ = [
    "IssueCredit",
    "authorizations_renew",
    "credit_expire_due",
    "credit_issue",
    "payment_add",
    "payment_capture_now",
    "payment_retry",
    "payment_retry_send",
    "payments_authorize",
    "payments_collect",
    "payments_record",
    "payments_refund_overpaid",
    "payments_release_excess",
    "payments_retry_due",
    "refund_create",
    "refund_resend",
    "refund_send",
    "transaction_send",
]
