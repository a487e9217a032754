"""The order page's shipping panel (console/orders/panels.py): each fulfillment order's latest
rate shop — the service chosen and why, the runners-up and the services left out with their
reasons, and what each shipment shipped with it cost (docs/shipping.md, "Rating a fulfillment
order", "Shipping the choice"). Two queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ordino.core.domain.money import quantum
from ordino.orders.models import Order
from ordino.shipping.rating import ratings_of_order
from ordino.shipping.ship import costs_of_order

TEMPLATE = "console/shipping/_panel.html"


def shipping_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    """None (no panel) until a fulfillment order of the order is rated."""
    ratings = ratings_of_order(order_id=order.pk)
    if not ratings:
        return None
    costs = costs_of_order(order_id=order.pk)
    return {
        "ratings": [_rating(fo_id, r, costs.get(fo_id, [])) for fo_id, r in sorted(ratings.items())]
    }


def _rating(fo_id: int, r, costs: list) -> dict[str, Any]:
    answer = r.answer
    late = bool(r.promised and r.delivery and r.delivery > r.promised)
    return {
        "fo_id": fo_id,
        "rating": r,
        "late": late,
        "policy": r.policy.replace("_", " "),
        "chosen": answer.get("chosen"),
        "runners_up": answer.get("runners_up", []),
        "left_out": answer.get("left_out", []),
        "costs": [
            {
                "shipment_id": c.shipment_id,
                "name": c.service_name,
                "parcels": c.parcels,
                "amount": c.amount.quantize(quantum(c.currency)),
                "currency": c.currency,
            }
            for c in costs
        ],
    }
