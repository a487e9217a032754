"""What every fulfillment use case shares: loading a fulfillment order within the caller's
reach, moving it between states with a compare-and-set, and bringing its order along."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from ordino.core.domain.errors import Conflict, NotFound
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.fulfillment.domain.status import fo_transition
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.fulfillment.selectors import fulfillment_scope_q
from ordino.orders.domain import status as st
from ordino.orders.events import OrderEvent
from ordino.orders.models import Order, OrderLine
from ordino.orders.services.cancel import buckets
from ordino.orders.timeline import order_record


@dataclass
class Loaded:
    fo: FulfillmentOrder
    order: Order
    lines: list[FulfillmentLine]
    order_lines: dict[int, OrderLine]  # by id

    def line_no(self, fl: FulfillmentLine) -> int:
        return self.order_lines[fl.order_line_id].line_no

    def fl_by_line_no(self, line_no: int) -> FulfillmentLine | None:
        return next((fl for fl in self.lines if self.line_no(fl) == line_no), None)


def fo_load(*, fo_id: int, scope: Scope = UNRESTRICTED, reach: str = WORK) -> Loaded:
    """The fulfillment order, if the caller reaches it for this kind of step (`WORK` at its
    location, `HAND_OVER` at the pickup location); else NotFound, as if it did not exist."""
    fo = (
        FulfillmentOrder.objects.filter(fulfillment_scope_q(scope, reach), pk=fo_id)
        .select_related("order", "location", "order__channel")
        .first()
    )
    if fo is None:
        raise NotFound("fulfillment_order", fo_id)
    order_lines = {line.pk: line for line in OrderLine.objects.filter(order_id=fo.order_id)}
    lines = list(FulfillmentLine.objects.filter(fulfillment_order=fo).order_by("id"))
    return Loaded(fo=fo, order=fo.order, lines=lines, order_lines=order_lines)


def fo_move(fo: FulfillmentOrder, target: str, now: datetime, **fields) -> None:
    """Change the status through the state table; lose to a concurrent change with a 409."""
    target = fo_transition(fo.status, target)
    updated = FulfillmentOrder.objects.filter(pk=fo.pk, version=fo.version).update(
        status=target, version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise Conflict("fulfillment_changed", "The fulfillment order changed meanwhile; retry.")
    fo.status, fo.version, fo.updated_at = target, fo.version + 1, now
    for name, value in fields.items():
        setattr(fo, name, value)


def fo_stamp(fo: FulfillmentOrder, now: datetime, **fields) -> None:
    """Record fields of a fulfillment order whose status stays; a concurrent change is a 409."""
    updated = FulfillmentOrder.objects.filter(pk=fo.pk, version=fo.version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise Conflict("fulfillment_changed", "The fulfillment order changed meanwhile; retry.")
    fo.version, fo.updated_at = fo.version + 1, now
    for name, value in fields.items():
        setattr(fo, name, value)


def order_follow(
    *,
    order: Order,
    actor: str,
    now: datetime,
    kind: str,
    message: str,
    event: type[OrderEvent],
    data: dict,
) -> Order:
    """After its lines moved: the order's status by the state table, a new version, the
    timeline and the outbox event."""
    lines = list(OrderLine.objects.filter(order=order))
    target = st.status_from_buckets(**buckets(lines))
    if target != order.status:
        target = st.transition_check(order.status, target)
    updated = Order.objects.filter(pk=order.pk, version=order.version).update(
        status=target, version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    order.refresh_from_db()
    order_record(
        order=order,
        kind=kind,
        message=message,
        actor=actor,
        data=data,
        event=event,
        payload=data,
        now=now,
    )
    return order
