"""What an order edit records: its change record, timeline row and outbox event, with a summary
of what moved (lines, amounts, stock, fulfillment orders) and a one-line message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from ordino.orders.domain.edit import EditPlan
from ordino.orders.events import OrderEdited
from ordino.orders.models import Order, OrderChange
from ordino.orders.timeline import order_record


def edit_record(
    order: Order,
    plan: EditPlan,
    states,
    reservation,
    placed: list[dict],
    *,
    previous_address: dict | None,
    address: dict | None,
    reason: str,
    actor: str,
    now: datetime,
    exchange: Mapping[str, Any] | None = None,
) -> None:
    """After the order's new version is written (`order` refreshed): the change record, the
    timeline and the event. An exchange's edit is a change of kind `exchange` that keeps the
    exchange's mapping (its return) in its data; its event is still `order.edited`, so what
    reacts to edits (payments, backorders) reacts to it."""
    data = _summary(order, plan, states, reservation, placed, previous_address, address)
    if exchange is not None:
        data["exchange"] = dict(exchange)
    message = _message(plan, states, address is not None, reason)
    if exchange is not None:
        message = "Exchange: " + message.removeprefix("Edited: ")
    OrderChange.objects.create(
        order=order,
        kind="edit" if exchange is None else "exchange",
        version=order.version,
        amount_delta=plan.amount_delta,
        data=data,
        reason=reason,
        actor=actor,
        created_at=now,
    )
    order_record(
        order=order,
        kind="edited" if exchange is None else "exchanged",
        message=message,
        actor=actor,
        data=data,
        event=OrderEdited,
        payload={"version": order.version, "amount_delta": str(plan.amount_delta), **data},
        now=now,
        reason=reason,
    )


def _money(amount: Decimal) -> str:
    return str(amount)


def _summary(order, plan: EditPlan, states, reservation, placed, previous_address, address):
    codes = reservation.location_codes if reservation is not None else {}
    state_by_no = {s.line_no: s for s in states}
    data: dict = {}
    if plan.added:
        data["added"] = [
            {
                "line_no": a.line_no,
                "sku": a.sku,
                "quantity": a.quantity,
                "unit_price": _money(a.unit_price),
                "total": _money(a.total),
            }
            for a in plan.added
        ]
    changed = [
        {
            "line_no": c.line_no,
            "from": state_by_no[c.line_no].live,
            "to": state_by_no[c.line_no].live - c.quantity,
        }
        for c in plan.cancellation.lines
    ] + [
        {
            "line_no": i.line_no,
            "from": state_by_no[i.line_no].live,
            "to": state_by_no[i.line_no].live + i.quantity,
            "total_before": _money(state_by_no[i.line_no].total),
            "total_after": _money(i.total),
        }
        for i in plan.increases
    ]
    if changed:
        data["changed"] = sorted(changed, key=lambda c: c["line_no"])
    if plan.values:
        data["amounts"] = [
            {"line_no": no, "before": _money(before), "after": _money(after)}
            for no, (before, after) in sorted(plan.values.items())
        ]
    if plan.cancellation.releases:
        data["released"] = [
            {"location_id": loc, "sku_id": sku, "quantity": qty}
            for (loc, sku), qty in sorted(plan.cancellation.releases.items())
        ]
    if reservation is not None:
        data["allocated"] = [
            {"line_no": p.key, "location": codes[p.location_id], "quantity": p.quantity}
            for p in reservation.plan.picks
        ]
        data["backordered"] = [
            {"line_no": key, "quantity": qty}
            for key, qty in sorted(reservation.plan.backordered.items())
        ]
        data["placed"] = placed
    if address is not None:
        data["shipping_address"] = {"from": previous_address, "to": address}
    return data


def _message(plan: EditPlan, states, address_changed: bool, reason: str) -> str:
    state_by_no = {s.line_no: s for s in states}
    parts = [f"added line {a.line_no} ({a.sku} × {a.quantity})" for a in plan.added]
    for c in plan.cancellation.lines:
        before = state_by_no[c.line_no].live
        if before == c.quantity:
            parts.append(f"removed line {c.line_no}")
        else:
            parts.append(f"line {c.line_no} {before} → {before - c.quantity}")
    for i in plan.increases:
        before = state_by_no[i.line_no].live
        parts.append(f"line {i.line_no} {before} → {before + i.quantity}")
    if address_changed:
        parts.append("shipping address changed")
    return ("Edited: " + "; ".join(parts) + (f" ({reason})" if reason else "") + ".")[:500]
