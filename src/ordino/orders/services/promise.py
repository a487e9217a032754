"""The promised day Ordino gives an order the channel promised nothing for (docs/orders.md,
"The promised day"): sourcing's promise by the channel's promise service (shipping's policy
per channel), kept on the order once, with why on its timeline. A channel's own promise is
never replaced: it is what the customer was told."""

from __future__ import annotations

from datetime import date, timedelta

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.orders.events import OrderCaptured
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.shipping.channel_policies import channel_promise_service
from ordino.sourcing.simulation import order_promise_day

PROMISED = "promised"
# an order placed longer ago than this (an import of history) is promised nothing: the
# calendars and stock of today would not say what it was promised then
FRESH = timedelta(days=1)


def promise_on_captured(event: OrderCaptured) -> None:
    """A captured order without the channel's promise: sourcing's, if the channel names the
    service to promise by and the order can be promised (nothing backordered)."""
    order = (
        Order.objects.filter(pk=event.order_id)
        .values("channel_id", "promised_delivery", "placed_at")
        .first()
    )
    if order is None or order["promised_delivery"] is not None:
        return
    now = utcnow()
    service = channel_promise_service(order["channel_id"])
    if not service or order["placed_at"] < now - FRESH:
        return
    found = order_promise_day(order_id=event.order_id, service=service, now=now)
    if found is not None:
        order_promise_set(order_id=event.order_id, day=found[0], why=found[1], actor="sourcing")


def order_promise_set(*, order_id: int, day: date, why: str, actor: str) -> bool:
    """Keep `day` as the order's promised day if it has none yet; True when kept. One
    conditional update: a channel's promise or an earlier one stands, and a redelivered event
    keeps nothing twice."""
    now = utcnow()
    with use_case_atomic():
        kept = Order.objects.filter(pk=order_id, promised_delivery__isnull=True).update(
            promised_delivery=day, updated_at=now
        )
        if kept:
            OrderTimelineEntry.objects.create(
                order_id=order_id,
                kind=PROMISED,
                message=f"Promised by {day:%a %Y-%m-%d}: {why}"[:500],
                data={"promised_delivery": day.isoformat()},
                actor=actor,
                created_at=now,
            )
    return bool(kept)
