"""The order keeps in step with its locations' work: what fulfillment tells it (shipped,
rejected, picked up, ...) moves the order's lines between their buckets, re-routes rejected items,
brings the status along and writes the timeline and the outbox event, in the transaction of the
location's change (fulfillment/ports.py `order_tell`, plugged in wiring.py)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from ordino.core.domain.errors import Conflict
from ordino.fulfillment.ports import OrderNews
from ordino.holds.selectors import order_has_open_holds
from ordino.orders.domain import status as st
from ordino.orders.events import EVENT_OF_KIND, OrderEvent
from ordino.orders.models import Order, OrderLine
from ordino.orders.services.reroute import lines_route
from ordino.orders.timeline import order_record


def order_news_record(news: OrderNews) -> dict:
    """Record what a location did; answer with where re-routed items went (else {})."""
    order = Order.objects.select_related("channel").get(pk=news.order_id)
    event = EVENT_OF_KIND[news.kind]
    if not news.status_follows:  # a step in the location's queue: recorded, nothing moves
        order_record(
            order=order, kind=news.kind, message=news.message, actor=news.actor,
            data=news.data, event=event, payload=news.data, now=news.now,
        )  # fmt: skip
        return {}
    lines = {line.pk: line for line in OrderLine.objects.filter(order_id=order.pk)}
    for move in news.moves:
        line_buckets_move(lines[move.order_line_id], **dict(move.deltas))
    answer: dict = {}
    message = news.message
    if news.reroute:
        answer = _rejected_reroute(order, lines, news)
        where = ", ".join(r["location"] for r in answer["rerouted_to"]) or "nowhere"
        message = f"{message}; re-routed to {where}."
    data = {**news.data, **answer}
    order_follow(
        order=order, actor=news.actor, now=news.now, kind=news.kind, message=message,
        event=event, data=data, lines=list(lines.values()),
    )  # fmt: skip
    return answer


def _rejected_reroute(order: Order, lines: dict[int, OrderLine], news: OrderNews) -> dict:
    """Place rejected items elsewhere; what no location can take stays backordered."""
    rejected = [(lines[line_id], items) for line_id, items in news.reroute]
    routed = lines_route(order=order, wanted=rejected, actor=news.actor, now=news.now,
                         reason="reroute")  # fmt: skip
    for line, _ in rejected:
        placed = routed.allocated.get(line.pk, 0)
        if placed:
            line_buckets_move(line, backordered=-placed, allocated=placed)
    return {
        "rerouted_to": [
            {"fulfillment_order_id": new.pk, "location": routed.location_codes[new.location_id]}
            for new in routed.placed.fulfillment_orders
        ],
        "backordered": [
            {"line_no": line.line_no, "quantity": qty - routed.allocated.get(line.pk, 0)}
            for line, qty in rejected
            if qty > routed.allocated.get(line.pk, 0)
        ],
    }


def order_follow(
    *,
    order: Order,
    actor: str,
    now: datetime,
    kind: str,
    message: str,
    event: type[OrderEvent],
    data: dict,
    lines: list[OrderLine] | None = None,
) -> Order:
    """After its lines moved: the order's status by the state table, a new version, the
    timeline and the outbox event."""
    if lines is None:
        lines = list(OrderLine.objects.filter(order=order))
    target = st.status_from_buckets(**buckets(lines))
    if order.status == st.ON_HOLD and target in (st.ALLOCATED, st.BACKORDERED):
        target = st.ON_HOLD if order_has_open_holds(order_id=order.pk) else target
    if target != order.status:
        target = st.transition_check(order.status, target)
    updated = Order.objects.filter(pk=order.pk, version=order.version).update(
        status=target, version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    order.refresh_from_db()
    order_record(
        order=order, kind=kind, message=message, actor=actor, data=data, event=event,
        payload=data, now=now,
    )  # fmt: skip
    return order


def buckets(lines: list[OrderLine]) -> dict[str, int]:
    return {
        "ordered": sum(line.quantity_ordered for line in lines),
        "cancelled": sum(line.quantity_cancelled for line in lines),
        "backordered": sum(line.quantity_backordered for line in lines),
        "allocated": sum(line.quantity_allocated for line in lines),
        "shipped": sum(line.quantity_shipped for line in lines),
        "delivered": sum(line.quantity_delivered for line in lines),
    }


def line_buckets_move(line: OrderLine, **moves: int) -> None:
    """Move items between a line's buckets with one guarded update, e.g.
    line_buckets_move(line, backordered=-2, allocated=+2). Every bucket that shrinks must hold
    enough, else the order changed meanwhile (409)."""
    guard: dict = {f"quantity_{name}__gte": -delta for name, delta in moves.items() if delta < 0}
    if moves.get("delivered", 0) > 0:  # never more delivered than shipped
        shipped_now = moves.get("shipped", 0)  # shipped and delivered at once: a pickup
        guard["quantity_shipped__gte"] = F("quantity_delivered") + moves["delivered"] - shipped_now
    changes = {f"quantity_{name}": F(f"quantity_{name}") + delta for name, delta in moves.items()}
    if not OrderLine.objects.filter(pk=line.pk, **guard).update(**changes):
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    for name, delta in moves.items():
        setattr(line, f"quantity_{name}", getattr(line, f"quantity_{name}") + delta)
