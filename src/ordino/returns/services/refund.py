"""The bridge to payments' refunds: the fields of `refund_create(RefundOrder(...))` built from a
return's refund decision. Returns sit above payments, so once both are merged the caller passes
these fields to payments' command (the coordinator wires it: docs/returns.md, "Refunds")."""

from __future__ import annotations

from decimal import Decimal

from ordino.orders.selectors import money_str
from ordino.returns.models import Return, ReturnLine


def return_refund_command(return_id: int) -> dict:
    """RefundOrder's fields for what came back of the return: one RefundLine(line_no, quantity)
    per line with returned units (missing ones are not refunded), no shipping, no goodwill, no
    restocking fee; `source` ties the refund to the return so it is asked once. `expected`
    carries the refund decision (total and tax per line) for payments to check against."""
    ret = Return.objects.select_related("order").get(pk=return_id)
    lines = [line for line in ReturnLine.objects.filter(ret=ret) if line.returned]
    currency = ret.order.currency
    return {
        "order_id": ret.order_id,
        "lines": [{"line_no": line.line_no, "quantity": line.returned} for line in lines],
        "shipping": money_str(Decimal(0), currency),
        "goodwill": money_str(Decimal(0), currency),
        "reason": f"return {ret.number}: {ret.reason.replace('_', ' ')}",
        "actor": f"return:{ret.number}",
        "source": f"return:{ret.pk}",
        "expected": [
            {
                "line_no": line.line_no,
                "total": money_str(line.refund_total, currency),
                "tax": money_str(line.refund_tax, currency),
            }
            for line in lines
        ],
    }
