"""Causes no event reports, found by looking (a periodic job, wiring.py `PERIODIC`): backorders
older than their type's limit, and outbox events the relay gave up on. Each sweep opens a case
per cause (once: the dedupe key) and resolves the cases whose cause went away."""

from __future__ import annotations

from datetime import datetime, timedelta

from ordino.cases.domain import status as st
from ordino.cases.domain.types import BACKORDER_OVERDUE, DEAD_EVENT
from ordino.cases.models import Case
from ordino.cases.services.open import OpenCase, case_cause_gone, case_open, case_type_get
from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.orders.models import Order

ACTOR = "system:cases"


def cases_sweep(*, now: datetime | None = None) -> int:
    """Both sweeps; how many cases they opened."""
    now = now or utcnow()
    return backorders_overdue_sweep(now=now) + dead_events_sweep()


def backorders_overdue_sweep(*, now: datetime) -> int:
    limit = timedelta(hours=case_type_get(BACKORDER_OVERDUE).threshold_hours)
    waiting = Order.objects.filter(lines__quantity_backordered__gt=0).distinct()
    opened = 0
    for order in waiting.filter(created_at__lte=now - limit).only("pk", "external_id"):
        _, new = case_open(
            OpenCase(
                type=BACKORDER_OVERDUE, actor=ACTOR, order_id=order.pk,
                title=f"Order {order.external_id}: backordered for over {limit.days} day(s)"
                if limit.days else f"Order {order.external_id}: backordered past its limit",
                dedupe_key=f"{BACKORDER_OVERDUE}:{order.pk}",
            )
        )  # fmt: skip
        opened += new
    still = set(waiting.values_list("pk", flat=True))
    for order_id in _active_orders(BACKORDER_OVERDUE):
        if order_id not in still:
            case_cause_gone(
                dedupe_key=f"{BACKORDER_OVERDUE}:{order_id}", why="nothing is backordered"
            )
    return opened


def dead_events_sweep() -> int:
    opened = 0
    dead = OutboxEvent.objects.filter(dead=True).only("pk", "name", "aggregate_type",
                                                      "aggregate_id")  # fmt: skip
    for event in dead:
        order_id = event.aggregate_id if event.aggregate_type == "order" else None
        if order_id is not None and not Order.objects.filter(pk=order_id).exists():
            order_id = None
        _, new = case_open(
            OpenCase(
                type=DEAD_EVENT, actor=ACTOR, order_id=order_id,
                title=f"Outbox event {event.pk} ({event.name}) failed for good",
                dedupe_key=f"{DEAD_EVENT}:{event.pk}", data={"event_id": event.pk},
            )
        )  # fmt: skip
        opened += new
    keys = Case.objects.filter(type__code=DEAD_EVENT, status__in=st.ACTIVE).values_list(
        "dedupe_key", flat=True
    )
    for key in list(keys):
        event_id = int(key.rsplit(":", 1)[1])
        if not OutboxEvent.objects.filter(pk=event_id, dead=True).exists():
            case_cause_gone(dedupe_key=key, why="the event was replayed")
    return opened


def _active_orders(type_code: str) -> list[int]:
    return list(
        Case.objects.filter(
            type__code=type_code, status__in=st.ACTIVE, order_id__isnull=False
        ).values_list("order_id", flat=True)
    )
