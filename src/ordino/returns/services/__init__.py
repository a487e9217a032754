"""Return use cases. `grep -rn "def return_"` lists everything one can do to a return."""

from ordino.returns.services.exchange import exchange_create, exchange_preview
from ordino.returns.services.link import return_link, return_link_order
from ordino.returns.services.policies import return_policy_set
from ordino.returns.services.receive import return_receive
from ordino.returns.services.refund import return_refund_issue
from ordino.returns.services.request import return_request
from ordino.returns.services.steps import (
    return_approve,
    return_cancel,
    return_close,
    return_decline,
)

__all__ = [
    "exchange_create",
    "exchange_preview",
    "return_approve",
    "return_cancel",
    "return_close",
    "return_decline",
    "return_link",
    "return_link_order",
    "return_policy_set",
    "return_receive",
    "return_refund_issue",
    "return_request",
]
