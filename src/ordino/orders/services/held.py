"""An order's status while holds stop it (holds/ports.py `order_hold_status`, plugged in
wiring.py): on hold from its first open hold until its last is released, then the status its
quantities call for (docs/holds.md). Holds write the timeline row and the event themselves."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from ordino.orders.domain import status as st
from ordino.orders.models import Order, OrderLine
from ordino.orders.services.progress import buckets

# Statuses a hold may stop: nothing has left yet.
HOLDABLE = frozenset({st.CREATED, st.ALLOCATED, st.BACKORDERED})


def order_hold_status(*, order_id: int, held: bool, now: datetime) -> str:
    """Put the order on hold, or take it off; answers the status it has now."""
    order = Order.objects.get(pk=order_id)
    if held and order.status in HOLDABLE:
        target = st.ON_HOLD
    elif not held and order.status == st.ON_HOLD:
        lines = list(OrderLine.objects.filter(order_id=order_id))
        target = st.transition_check(st.ON_HOLD, st.status_from_buckets(**buckets(lines)))
    else:
        return order.status
    Order.objects.filter(pk=order_id).update(
        status=target, version=F("version") + 1, updated_at=now
    )
    return target
