"""Orders as sourcing's input: the conditions' view of an order (`order_context`) and stored
orders for simulations and back-tests (sourcing/ports.py, plugged in wiring.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from ordino.core.domain.scope import Scope
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderLine
from ordino.orders.selectors import order_get
from ordino.sourcing.facts import OrderContext, destination_of
from ordino.sourcing.ports import StoredOrder


def order_context(order: Order, *, line_skus: dict[int, int] | None = None) -> OrderContext:
    """An existing order as the engine's conditions see it (channel, destination, value, tags)."""
    pickup = None
    if order.pickup_location_id is not None:
        pickup = Location.objects.filter(pk=order.pickup_location_id).first()
    customer_tags: Iterable[str] = order.customer.tags if order.customer_id else ()
    return OrderContext(
        order_id=str(order.pk),
        channel=order.channel.code,
        destination=destination_of(order.shipping_address, pickup),
        delivery_method=order.delivery_method,
        value=Decimal(order.current_total),
        currency=order.currency,
        customer_tags=frozenset(str(t).lower() for t in customer_tags or ()),
        pickup_location_id=order.pickup_location_id,
        line_skus=line_skus or {},
    )


def order_as_sourced(*, order_id: int, scope: Scope) -> StoredOrder:
    """One order as sourcing's input; NotFound outside the caller's scope."""
    order = order_get(order_id=order_id, scope=scope)
    lines = list(OrderLine.objects.filter(order=order).order_by("line_no"))
    return _stored(order, lines)


def orders_recent_as_sourced(
    *,
    limit: int,
    channel: str | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[StoredOrder]:
    """The latest `limit` orders (optionally of one channel, captured in [since, until)),
    newest first."""
    rows = Order.objects.select_related("channel", "customer").order_by("-created_at", "-id")
    if channel is not None:
        rows = rows.filter(channel__code=channel)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    recent = list(rows[:limit])
    lines_by_order: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order__in=recent).order_by("line_no"):
        lines_by_order[line.order_id].append(line)
    return [_stored(order, lines_by_order[order.pk]) for order in recent]


def _stored(order: Order, lines: list[OrderLine]) -> StoredOrder:
    demands = []
    for line in lines:
        quantity = line.quantity_ordered - line.quantity_cancelled
        if quantity > 0:
            parts = {int(k): v for k, v in (line.components or {}).items()} or {line.sku_id: 1}
            demands.append(LineDemand(key=line.line_no, quantity=quantity, components=parts))
    return StoredOrder(
        order_id=order.pk,
        channel_id=order.channel_id,
        pickup_location_id=order.pickup_location_id,
        created_at=order.created_at,
        context=order_context(order, line_skus={line.line_no: line.sku_id for line in lines}),
        demands=demands,
    )
