"""Reads of returns: one return, filtered lists, their serialised form, and the facts the
eligibility rule reads of an order (its lines, their shipments, its pending returns, the
policies). Reads of other modules' tables stay here (docs/architecture.md, ownership)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import Shipment
from ordino.orders.models import Order, OrderLine
from ordino.orders.selectors import money_str
from ordino.returns.domain import states
from ordino.returns.domain.eligibility import LineFacts, PolicyRule, policy_for
from ordino.returns.exchange_reads import exchange_list as _exchange_list
from ordino.returns.exchange_reads import exchange_new_lines as exchange_new_lines
from ordino.returns.exchange_reads import exchange_out
from ordino.returns.exchange_reads import exchange_payment_source as exchange_payment_source
from ordino.returns.exchange_reads import order_last_line_no as order_last_line_no
from ordino.returns.exchange_reads import return_value as return_value
from ordino.returns.models import Return, ReturnLine, ReturnPolicy, ReturnShipment


def return_scope_q(scope: Scope) -> Q:
    """The returns `scope` reaches: of its channels' orders, and to its locations
    (docs/returns.md, "Who sees a return"). The query form of `return_reached`."""
    q = Q()
    if scope.channel_ids is not None:
        q &= Q(order__channel_id__in=scope.channel_ids)
    if scope.location_ids is not None:
        q &= Q(location_id__in=scope.location_ids)
    return q


def return_reached(scope: Scope, *, channel_id: int, location_id: int) -> bool:
    return scope.sees_channel(channel_id) and scope.sees_location(location_id)


def return_get(*, return_id: int, scope: Scope = UNRESTRICTED) -> Return:
    """The return, or NotFound also when it lies outside the caller's scope."""
    found = (
        Return.objects.filter(return_scope_q(scope), pk=return_id)
        .select_related("order", "location")
        .first()
    )
    if found is None:
        raise NotFound("return", return_id)
    return found


def return_list(
    *,
    scope: Scope = UNRESTRICTED,
    order_id: int | None = None,
    state: str | None = None,
    location_ids: list[int] | None = None,
) -> QuerySet[Return]:
    qs = Return.objects.filter(return_scope_q(scope)).select_related("order", "location")
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    if state is not None:
        qs = qs.filter(state=state)
    if location_ids is not None:
        qs = qs.filter(location_id__in=location_ids)
    return qs.order_by("id")


def returns_serialize(returns: list[Return]) -> list[dict]:
    """The API's (and the console's) form of returns: three statements whatever their number."""
    ids = [r.pk for r in returns]
    lines: dict[int, list[ReturnLine]] = defaultdict(list)
    for line in ReturnLine.objects.filter(ret_id__in=ids).order_by("ret_id", "line_no"):
        lines[line.ret_id].append(line)
    shipments: dict[int, list[ReturnShipment]] = defaultdict(list)
    for s in ReturnShipment.objects.filter(ret_id__in=ids).select_related("location"):
        shipments[s.ret_id].append(s)
    return [_return_out(r, lines[r.pk], shipments[r.pk]) for r in returns]


def _return_out(r: Return, lines: list[ReturnLine], shipments: list[ReturnShipment]) -> dict:
    currency = r.order.currency
    total = sum((line.refund_total for line in lines), Decimal(0))
    tax = sum((line.refund_tax for line in lines), Decimal(0))
    return {
        "id": r.pk,
        "number": r.number,
        "order_id": r.order_id,
        "order_external_id": r.order.external_id,
        "state": r.state,
        "reason": r.reason,
        "customer_note": r.customer_note,
        "location": r.location.code,
        "created_via": r.created_via,
        "actor": r.actor,
        "decline_reason": r.decline_reason,
        "currency": currency,
        "refund_total": money_str(total, currency),
        "refund_tax": money_str(tax, currency),
        "created_at": r.created_at,
        "approved_at": r.approved_at,
        "received_at": r.received_at,
        "closed_at": r.closed_at,
        "lines": [_line_out(line, currency) for line in lines],
        "shipments": [
            {
                "location": s.location.code,
                "state": s.state,
                "carrier": s.carrier,
                "tracking_number": s.tracking_number,
                "received_at": s.received_at,
            }
            for s in shipments
        ],
    }


def _line_out(line: ReturnLine, currency: str) -> dict:
    return {
        "line_no": line.line_no,
        "sku": line.sku_code,
        "quantity": line.quantity,
        "reason": line.reason,
        "restock": line.quantity_restocked,
        "damaged": line.quantity_damaged,
        "needs_processing": line.quantity_needs_processing,
        "missing": line.quantity_missing,
        "received": line.received,
        "refund_total": money_str(line.refund_total, currency),
        "refund_tax": money_str(line.refund_tax, currency),
    }


def return_detail(*, return_id: int, scope: Scope = UNRESTRICTED) -> dict:
    return returns_serialize([return_get(return_id=return_id, scope=scope)])[0]


# --- what eligibility reads of an order ----------------------------------------------------


def policy_rules(*, channel_id: int, sku_ids: list[int]) -> list[PolicyRule]:
    rows = ReturnPolicy.objects.filter(
        Q(channel_id=channel_id) | Q(channel__isnull=True),
        Q(sku_id__in=sku_ids) | Q(sku__isnull=True),
    )
    return [PolicyRule(p.channel_id, p.sku_id, p.window_days, p.returnable) for p in rows]


def handover_dates(*, order_id: int) -> dict[int, datetime]:
    """line_no → when its units last reached the customer: each shipment's delivery, else its
    shipment date (the window counts from there)."""
    dates: dict[int, datetime] = {}
    for lines, shipped_at, delivered_at in Shipment.objects.filter(
        fulfillment_order__order_id=order_id
    ).values_list("lines", "shipped_at", "delivered_at"):
        at = delivered_at or shipped_at
        for item in lines or []:
            no = int(item["line_no"])
            if no not in dates or at > dates[no]:
                dates[no] = at
    return dates


def pending_units(
    *, order_id: int, exclude_return_id: int | None = None, exchanges_only: bool = False
) -> dict[int, int]:
    """line_no → units on the order's requested or open returns not received yet (of its
    exchanges only: units an exchange's new lines were given for, payments' port)."""
    pending: dict[int, int] = defaultdict(int)
    rows = ReturnLine.objects.filter(ret__order_id=order_id, ret__state__in=states.PENDING)
    if exclude_return_id is not None:
        rows = rows.exclude(ret_id=exclude_return_id)
    if exchanges_only:
        rows = rows.filter(ret__exchange__isnull=False)
    for line in rows:
        pending[line.line_no] += line.quantity - line.received
    return pending


def order_line_facts(*, order: Order, lines: list[OrderLine]) -> dict[int, LineFacts]:
    """Eligibility's view of each of the order's lines (line_no → LineFacts)."""
    rules = policy_rules(channel_id=order.channel_id, sku_ids=[line.sku_id for line in lines])
    dates = handover_dates(order_id=order.pk)
    pending = pending_units(order_id=order.pk)
    default = settings.ORDINO_RETURN_WINDOW_DAYS
    return {
        line.line_no: LineFacts(
            line_no=line.line_no,
            sku_code=line.sku_code,
            shipped=line.quantity_shipped,
            returned=line.quantity_returned,
            pending=pending.get(line.line_no, 0),
            handed_over_at=dates.get(line.line_no),
            policy=policy_for(
                rules, channel_id=order.channel_id, sku_id=line.sku_id, default_days=default
            ),
        )
        for line in lines
    }


def returnable_lines(*, order: Order) -> list[tuple[OrderLine, LineFacts]]:
    """The order's lines with their eligibility facts, for forms (console, customer page)."""
    lines = list(OrderLine.objects.filter(order_id=order.pk).order_by("line_no"))
    facts = order_line_facts(order=order, lines=lines)
    return [(line, facts[line.line_no]) for line in lines]


def policy_list() -> QuerySet[ReturnPolicy]:
    return ReturnPolicy.objects.select_related("channel", "sku").order_by("id")


def policy_out(policy: ReturnPolicy) -> dict:
    return {
        "id": policy.pk,
        "channel": policy.channel.code if policy.channel_id else None,
        "sku": policy.sku.code if policy.sku_id else None,
        "window_days": policy.window_days,
        "returnable": policy.returnable,
        "updated_at": policy.updated_at,
        "actor": policy.actor,
    }


def customer_return_location(*, order_id: int) -> str:
    """Where a customer's return goes: the location that shipped the order's last parcel."""
    code = (
        Shipment.objects.filter(fulfillment_order__order_id=order_id)
        .order_by("-shipped_at", "-id")
        .values_list("fulfillment_order__location__code", flat=True)
        .first()
    )
    if code is None:
        raise NotFound("shipment", order_id, field="lines")
    return code


# --- exchanges (returns/exchange_reads.py) -------------------------------------------------


def exchange_list(*, scope: Scope = UNRESTRICTED, order_id: int | None = None) -> QuerySet[Return]:
    """The exchanges the scope reaches (those of its returns), oldest first."""
    return _exchange_list(return_q=return_scope_q(scope), order_id=order_id)


def exchanges_serialize(returns: list[Return]) -> list[dict]:
    shown = returns_serialize(returns)
    return [exchange_out(r, out) for r, out in zip(returns, shown, strict=True)]


def exchange_detail(*, return_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """One exchange by its return's id; NotFound for a plain return or outside the scope."""
    ret = return_get(return_id=return_id, scope=scope)
    if ret.exchange is None:
        raise NotFound("exchange", return_id)
    return exchanges_serialize([ret])[0]
