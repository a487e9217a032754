"""Order cancellation: the whole order or some units of some lines, giving back their stock."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.models import FulfillmentLine
from ordino.fulfillment.placement import components_of, holdings_cancel
from ordino.fulfillment.selectors import order_fulfillment_lines
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.orders.domain import status as st
from ordino.orders.domain.cancellation import CancelRequest, cancellation_plan
from ordino.orders.domain.pricing import cancelled_amount
from ordino.orders.events import OrderCancelled, OrderLinesCancelled
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.orders.selectors import order_scope_q
from ordino.orders.services.progress import buckets
from ordino.orders.timeline import order_record


def order_cancel(
    *,
    order_id: int,
    lines: list[tuple[int, int]] | None,
    reason: str,
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> Order:
    """Cancel the whole order (lines=None) or some quantity of some lines, releasing stock.

    Backordered units are cancelled first, then reserved ones (newest reservation first).
    Shipped units cannot be cancelled: they are returned.
    """
    with use_case_atomic():
        order = _cancellable_load(order_id, scope)
        line_rows = list(order.lines.all())
        holdings = order_fulfillment_lines(order_id=order.pk, active_only=True)
        plan = _plan(line_rows, holdings, lines)
        now = utcnow()
        delta = lines_cut(order, line_rows, plan)
        holdings_cancel(holdings, plan.holding_cuts, now)
        if plan.releases:
            movements_apply(
                [
                    Movement(loc, sku, COMMITTED, AVAILABLE, qty)
                    for (loc, sku), qty in sorted(plan.releases.items())
                ],
                context=LedgerContext(reason="release", actor=actor, reference=f"order:{order.pk}"),
            )
        target = st.status_from_buckets(**buckets(line_rows))
        if target != order.status:
            target = st.transition_check(order.status, target)
        changed = Order.objects.filter(pk=order.pk, version=order.version).update(
            version=order.version + 1,
            status=target,
            current_total=order.current_total + delta,
            updated_at=now,
        )
        if not changed:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
        order.refresh_from_db()
        _cancel_record(order, plan, delta, reason=reason, actor=actor, now=now)
        return order


def _cancellable_load(order_id: int, scope: Scope) -> Order:
    order = (
        Order.objects.filter(order_scope_q(scope, CHANGE), pk=order_id)
        .select_related("channel")
        .first()
    )
    if order is None:  # outside the caller's scope too: as if it did not exist
        raise NotFound("order", order_id)
    if order.status not in st.CANCELLABLE:
        raise DomainError(
            "order_not_cancellable",
            f"An order that is {order.status.replace('_', ' ')} cannot be cancelled.",
            status=409,
        )
    return order


def _plan(line_rows: list[OrderLine], holdings: list[FulfillmentLine], lines):
    """What to cut where (orders/domain/cancellation.py decides)."""
    return cancellation_plan(
        lines=[
            CancelRequest(
                line_no=line.line_no,
                backordered=line.quantity_backordered,
                allocated=line.quantity_allocated,
                needs=_needs(line, holdings),
                holdings=[
                    (h.pk, h.fulfillment_order.location_id, h.open)
                    for h in holdings
                    if h.order_line_id == line.pk and h.open
                ],
            )
            for line in line_rows
        ],
        wanted=dict(lines) if lines is not None else None,
    )


def _cancel_record(order: Order, plan, delta, *, reason: str, actor: str, now) -> None:
    """The change record, the timeline row and the outbox event of a cancellation."""
    data = {
        "lines": [{"line_no": c.line_no, "quantity": c.quantity} for c in plan.lines],
        "released": [
            {"location_id": loc, "sku_id": sku, "quantity": qty}
            for (loc, sku), qty in sorted(plan.releases.items())
        ],
    }
    OrderChange.objects.create(
        order=order,
        kind="cancel",
        version=order.version,
        amount_delta=delta,
        data=data,
        reason=reason,
        actor=actor,
        created_at=now,
    )
    units = sum(c.quantity for c in plan.lines)
    order_record(
        order=order,
        kind="cancelled",
        message=f"Cancelled {units} unit(s)" + (f": {reason}" if reason else "") + ".",
        actor=actor,
        data=data,
        event=OrderCancelled if order.status == st.CANCELLED else OrderLinesCancelled,
        payload={"amount_delta": str(delta), **data},
        now=now,
        reason=reason,
    )


def _needs(line: OrderLine, holdings: list[FulfillmentLine]) -> dict[int, int]:
    """What one item of the line consumes, as snapshotted when it was reserved."""
    for holding in holdings:
        if holding.order_line_id == line.pk:
            return components_of(holding)
    return {line.sku_id: 1}


def lines_cut(order: Order, line_rows: list[OrderLine], plan) -> Decimal:
    """Move the cancelled units between the lines' buckets; return the money effect."""
    by_no = {line.line_no: line for line in line_rows}
    delta = Decimal(0)
    for cut in plan.lines:
        line = by_no[cut.line_no]
        updated = OrderLine.objects.filter(
            pk=line.pk,
            quantity_backordered__gte=cut.from_backordered,
            quantity_allocated__gte=cut.from_allocated,
        ).update(
            quantity_cancelled=F("quantity_cancelled") + cut.quantity,
            quantity_backordered=F("quantity_backordered") - cut.from_backordered,
            quantity_allocated=F("quantity_allocated") - cut.from_allocated,
        )
        if not updated:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
        before, after = line.quantity_cancelled, line.quantity_cancelled + cut.quantity
        delta -= cancelled_amount(
            line.total, line.quantity_ordered, after, order.currency
        ) - cancelled_amount(line.total, line.quantity_ordered, before, order.currency)
        line.quantity_cancelled = after
        line.quantity_backordered -= cut.from_backordered
        line.quantity_allocated -= cut.from_allocated
    return delta
