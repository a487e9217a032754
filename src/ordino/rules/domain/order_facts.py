"""The order facts holds and approvals test (docs/holds.md, "Facts").

The facts sourcing's conditions know (`ORDER_FACTS`) are the same here, so an operations manager
learns one vocabulary. Holds add what a person deciding
whether to let an order go looks at: how it is paid, its discount, who the customer is (their
orders before this one, their account's age) and its risk score. A fact whose value is absent
(`risk.score` until fraud screening scores orders) satisfies only `ne` and `not_in`.
"""

from __future__ import annotations

from ordino.rules.domain.conditions import FactSpec

DELIVERY_METHODS = frozenset({"ship", "pickup", "ship_to_store"})

# The facts every rule over an order knows: sourcing's conditions
# (`sourcing/domain/facts.py: ORDER_FACTS` is this), holds, approvals and case routing.
ORDER_FACTS: dict[str, FactSpec] = {
    "channel": FactSpec("text", description="channel code"),
    "delivery_method": FactSpec("text", DELIVERY_METHODS, "ship, pickup or ship_to_store"),
    "destination.country": FactSpec("text", description="ISO 3166 alpha-2, e.g. DE"),
    "destination.region": FactSpec("text", description="state or region as captured"),
    "destination.postal_code": FactSpec("text", description="postal code; use prefix"),
    "order.value": FactSpec("number", description="order total in the order's currency"),
    "order.currency": FactSpec("text", description="ISO 4217 code"),
    "order.lines": FactSpec("number", description="number of lines"),
    "order.units": FactSpec("number", description="items ordered over all lines"),
    "customer.tags": FactSpec("tags", description="the customer's tags"),
    "lines.sku_tags": FactSpec("tags", description="tags of any line's SKU"),
}

# Holds, approvals and case routing also look at how the order is paid and who the customer is.
HOLD_FACTS: dict[str, FactSpec] = {
    **ORDER_FACTS,
    "order.discount_percent": FactSpec(
        "number", description="discounts as a percentage of the goods' value, e.g. 40"
    ),
    "payment.methods": FactSpec("tags", description="the methods of the order's payments"),
    "customer.order_count": FactSpec(
        "number", description="orders the customer placed before this one (0: a first order)"
    ),
    "customer.account_age_days": FactSpec(
        "number", description="days between the customer's first appearance and the order"
    ),
    "risk.score": FactSpec("number", description="fraud risk score 0-100 (absent until scored)"),
}
