"""Pickups not collected in time: the order cancels what was still waiting and the store
takes back what was shipped to it (a periodic job, wiring.py `PERIODIC`)."""

from __future__ import annotations

from datetime import datetime

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.selectors import fulfillment_open_items
from ordino.fulfillment.services import fulfillment_pickup_expire, pickups_overdue
from ordino.orders.services.cancel import order_cancel


def order_pickups_expire(*, now: datetime | None = None, actor: str = "system") -> int:
    """Cancel and restock every pickup not collected by its deadline. Returns how many."""
    now = now or utcnow()
    due = pickups_overdue(now=now)
    for fo_id in due:
        _pickup_expire(fo_id, actor=actor, now=now)
    return len(due)


def _pickup_expire(fo_id: int, *, actor: str, now: datetime) -> None:
    with use_case_atomic():
        waiting = fulfillment_open_items(fo_id=fo_id, status=fs.READY_FOR_PICKUP)
        if waiting is None:
            return  # collected or handled meanwhile
        order_id, open_items = waiting
        if open_items:
            # The customer did not come: what is left of the order is cancelled, which gives
            # the store's reserved stock back.
            order_cancel(order_id=order_id, lines=None, reason="not collected in time", actor=actor)
        fulfillment_pickup_expire(fo_id=fo_id, actor=actor, now=now)
