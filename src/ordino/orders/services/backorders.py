"""Filling backorders when stock arrives: oldest order first."""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef

from ordino.catalog.models import Sku
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.orders import events
from ordino.orders.domain import status as st
from ordino.orders.models import Order, OrderLine
from ordino.orders.services.cancel import order_cancel
from ordino.orders.services.progress import line_buckets_move, order_follow
from ordino.orders.services.reroute import line_components, lines_route
from ordino.sourcing.selectors import decision_cancel_after_q

# A held order keeps its place in line: its filled items wait with the rest (docs/holds.md).
FILLABLE = (st.BACKORDERED, st.ALLOCATED, st.PARTIALLY_SHIPPED, st.ON_HOLD)


def backorders_fill(*, sku_ids: set[int] | None, actor: str = "system", limit: int = 200) -> int:
    """Reserve stock for backordered lines that need any of these SKUs (None: any SKU), oldest
    order first; each order in its own transaction. Returns the number of items placed."""
    waiting = OrderLine.objects.filter(quantity_backordered__gt=0, order__status__in=FILLABLE)
    candidates = (
        (waiting if sku_ids is None else waiting.filter(sku_id__in=sku_ids))
        .order_by("order__created_at", "order_id")
        .values_list("order_id", flat=True)
        .distinct()
    )
    # Kits: a backordered kit line waits for its components, not for the kit SKU itself.
    kit_orders = (
        []
        if sku_ids is None
        else [
            line.order_id
            for line in waiting.exclude(sku_id__in=sku_ids).only("order_id", "components", "sku_id")
            if sku_ids & set(line_components(line))
        ]
    )
    order_ids = list(dict.fromkeys([*candidates[:limit], *kit_orders]))
    order_ids.sort(key=lambda pk: pk)
    placed = 0
    for order_id in order_ids[:limit]:
        placed += _order_fill(order_id, actor=actor)
    return placed


def backorders_fill_for(*, sku_codes: set[str], sku_ids: set[int], actor: str = "system") -> int:
    """Stock of these SKUs (by code or by id) became available: fill their backorders."""
    if sku_codes:
        sku_ids = sku_ids | set(Sku.objects.filter(code__in=sku_codes).values_list("id", flat=True))
    return backorders_fill(sku_ids=sku_ids, actor=actor) if sku_ids else 0


def backorders_fill_order(*, order_id: int, actor: str) -> int:
    """Try to place one order's backordered units now (a person's re-route from a case):
    how many were placed."""
    return _order_fill(order_id, actor=actor)


def _order_fill(order_id: int, *, actor: str) -> int:
    with use_case_atomic():
        order = Order.objects.filter(pk=order_id, status__in=FILLABLE).first()
        if order is None:
            return 0
        lines = list(OrderLine.objects.filter(order=order, quantity_backordered__gt=0))
        now = utcnow()
        routed = lines_route(
            order=order,
            wanted=[(line, line.quantity_backordered) for line in lines],
            actor=actor,
            now=now,
            reason="backorder_fill",
        )
        if not routed.allocated:
            return 0
        for line in lines:
            items = routed.allocated.get(line.pk, 0)
            if items:
                line_buckets_move(line, backordered=-items, allocated=items)
        filled = [
            {"line_no": line.line_no, "quantity": routed.allocated[line.pk]}
            for line in lines
            if routed.allocated.get(line.pk)
        ]
        where = sorted(
            {routed.location_codes[fo.location_id] for fo in routed.placed.fulfillment_orders}
        )
        order_follow(
            order=order,
            actor=actor,
            now=now,
            kind="backorder_filled",
            message=f"Stock arrived: {sum(routed.allocated.values())} backordered item(s) "
            f"reserved at {', '.join(where)}.",
            event=events.OrderBackorderFilled,
            data={"lines": filled},
        )
        return sum(routed.allocated.values())


def backorders_cancel_overdue(*, now: datetime | None = None, actor: str = "system") -> int:
    """A sourcing fallback "auto-cancel after N days" gave the order a date: units still
    backordered after it are cancelled (the customer is not kept waiting for ever). Returns
    how many orders were touched."""
    now = now or utcnow()
    due = (
        Order.objects.filter(status__in=FILLABLE, lines__quantity_backordered__gt=0)
        .annotate(cancel_after=decision_cancel_after_q(order_ref=OuterRef("pk")))
        .filter(cancel_after__lt=now)
        .values_list("pk", flat=True)
        .distinct()
    )
    touched = 0
    for order_id in list(due):
        lines = list(
            OrderLine.objects.filter(order_id=order_id, quantity_backordered__gt=0).values_list(
                "line_no", "quantity_backordered"
            )
        )
        try:
            with savepoint():
                order_cancel(
                    order_id=order_id,
                    lines=lines,
                    reason="backordered past the date the sourcing profile allows",
                    actor=actor,
                )
            touched += 1
        except DomainError:
            continue  # changed meanwhile (filled or cancelled): nothing overdue any more
    return touched
