"""Order use cases: capture (exactly once, reserving stock) and cancel (releasing it).

Each runs in one transaction: load, decide in the domain, save with conditional updates, and
write the timeline and the outbox event with the change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.money import currency_check
from ordino.core.transactions import use_case_atomic
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.customers.services import customer_resolve
from ordino.events.models import OutboxEvent
from ordino.events.services import events_emit
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply, movements_log
from ordino.locations.models import Location
from ordino.orders.domain import status as st
from ordino.orders.domain.allocation import LineDemand
from ordino.orders.domain.cancellation import CancelRequest, cancellation_plan
from ordino.orders.domain.pricing import LineMoneyIn, cancelled_amount, order_price
from ordino.orders.models import (
    Order,
    OrderAllocation,
    OrderChange,
    OrderLine,
    OrderTimelineEntry,
)
from ordino.orders.reservation import candidates_load, stock_reserve
from ordino.orders.schemas import CustomerIn, OrderCreateIn


@dataclass(frozen=True)
class CaptureResult:
    order: Order
    replayed: bool
    # A new order's lines and reservations, as written (spares the API a read-back).
    lines: list[OrderLine] | None = None
    allocations: dict[int, list[dict]] | None = None


def _address(value) -> dict | None:
    return value.model_dump(mode="json") if value is not None else None


def order_capture(
    *, payload: OrderCreateIn, actor: str, channel_ids: frozenset[int] | None = None
) -> CaptureResult:
    """Record what the channel sold, once per (channel, external id), and reserve its stock.

    `channel_ids`: the channels the caller may write to (None: all); others answer 404.
    """
    with use_case_atomic():
        channel = (
            Channel.objects.filter(code=payload.channel)
            .annotate(
                existing_order_id=Subquery(
                    Order.objects.filter(
                        channel=OuterRef("pk"), external_id=payload.external_id
                    ).values("id")[:1]
                )
            )
            .first()
        )
        if channel is None or (channel_ids is not None and channel.pk not in channel_ids):
            raise NotFound("channel", payload.channel, field="channel")
        if channel.existing_order_id is not None:
            return CaptureResult(Order.objects.get(pk=channel.existing_order_id), replayed=True)
        return _capture_new(payload=payload, channel=channel, actor=actor)


def _capture_new(*, payload: OrderCreateIn, channel: Channel, actor: str) -> CaptureResult:
    currency_check(payload.currency)
    if payload.currency != channel.currency:
        raise DomainError(
            "currency_mismatch",
            f"Channel {channel.code} sells in {channel.currency}, not {payload.currency}.",
            field="currency",
        )
    money = order_price(
        lines=[
            LineMoneyIn(line.quantity, line.unit_price, line.discount, line.tax)
            for line in payload.lines
        ],
        currency=payload.currency,
        order_discount=payload.discount,
        shipping_price=payload.shipping_price,
        shipping_tax=payload.shipping_tax,
        expected_total=payload.total,
    )
    pickup = _pickup_location(payload)
    codes = {line.sku for line in payload.lines}
    snapshot = candidates_load(
        sku_codes=codes, channel_id=channel.pk, pickup_location_id=pickup.pk if pickup else None
    )
    if codes <= snapshot.skus.keys():  # all simple SKUs with stock somewhere: no catalog read
        skus = {code: SkuInfo(pk, name, {pk: 1}) for code, (pk, name) in snapshot.skus.items()}
    else:
        skus = _skus_load(codes)
        snapshot = None
    if payload.delivery_method == "ship" and payload.shipping_address is None:
        raise DomainError(
            "address_required", "A ship order needs a shipping address.", field="shipping_address"
        )
    customer, contact_warnings = None, []
    if payload.customer is not None:
        country = payload.shipping_address.country if payload.shipping_address else None
        email, phone, contact_warnings = _contact_usable(payload.customer, country)
        customer = customer_resolve(
            channel=channel,
            email=email,
            phone=phone,
            first_name=payload.customer.first_name,
            last_name=payload.customer.last_name,
            external_id=payload.customer.external_id,
            country=country,
        )

    demands = [
        LineDemand(key=i, quantity=line.quantity, components=skus[line.sku].needs)
        for i, line in enumerate(payload.lines)
    ]
    reservation = stock_reserve(
        demands=demands,
        channel_id=channel.pk,
        pickup_location_id=pickup.pk if pickup else None,
        snapshot=snapshot,
    )
    backordered = reservation.plan.backordered
    allocated_items: dict[int, int] = defaultdict(int)
    for pick in reservation.plan.picks:
        allocated_items[pick.key] += pick.quantity

    now = utcnow()
    target = st.transition_check(st.CREATED, st.BACKORDERED if backordered else st.ALLOCATED)
    order = Order.objects.create(
        channel=channel,
        external_id=payload.external_id,
        status=target,
        currency=payload.currency,
        customer=customer,
        email=(customer.email if customer else "")
        or (payload.customer.email if payload.customer else ""),
        phone=(customer.phone if customer else "")
        or (payload.customer.phone if payload.customer else ""),
        shipping_address=_address(payload.shipping_address),
        billing_address=_address(payload.billing_address),
        delivery_method=payload.delivery_method,
        pickup_location=pickup,
        subtotal=money.subtotal,
        discount_total=money.discount_total,
        tax_total=money.tax_total,
        shipping_price=money.shipping_price,
        shipping_tax=money.shipping_tax,
        grand_total=money.grand_total,
        current_total=money.grand_total,
        tags=payload.tags,
        raw_payload=payload.raw_payload,
        placed_at=payload.placed_at or now,
        created_at=now,
        updated_at=now,
    )
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                line_no=i + 1,
                sku_id=skus[line.sku].id,
                sku_code=line.sku,
                name=line.name or skus[line.sku].name,
                external_id=line.external_id,
                quantity_ordered=line.quantity,
                quantity_allocated=allocated_items[i],
                quantity_backordered=backordered.get(i, 0),
                unit_price=line.unit_price,
                line_discount=priced.line_discount,
                order_discount=priced.order_discount,
                tax=priced.tax,
                total=priced.total,
            )
            for i, (line, priced) in enumerate(zip(payload.lines, money.lines, strict=True))
        ]
    )
    allocations: dict[tuple[int, int, int], int] = defaultdict(int)
    for pick in reservation.plan.picks:
        for sku_id, per_item in demands[pick.key].components.items():
            allocations[(lines[pick.key].pk, pick.location_id, sku_id)] += per_item * pick.quantity
    OrderAllocation.objects.bulk_create(
        [
            OrderAllocation(line_id=line_id, location_id=loc, sku_id=sku, quantity=qty)
            for (line_id, loc, sku), qty in allocations.items()
        ]
    )
    sku_codes = {info.id: code for code, info in skus.items()}
    for info in skus.values():
        sku_codes.update(info.component_codes)
    shown: dict[int, list[dict]] = defaultdict(list)
    for (line_id, loc, sku), qty in allocations.items():
        shown[line_id].append(
            {
                "location": reservation.location_codes[loc],
                "sku": sku_codes[sku],
                "quantity": qty,
            }
        )
    reference = f"order:{order.pk}"
    movements_log(
        [
            Movement(loc, sku, AVAILABLE, COMMITTED, qty)
            for (loc, sku), qty in sorted(reservation.units.items())
        ],
        context=LedgerContext(reason="reserve", actor=actor, reference=reference),
    )
    summary = {
        "allocated": [
            {"line_no": pick.key + 1, "location_id": pick.location_id, "quantity": pick.quantity}
            for pick in reservation.plan.picks
        ],
        "backordered": [
            {"line_no": key + 1, "quantity": qty} for key, qty in sorted(backordered.items())
        ],
    }
    if contact_warnings:
        summary["warnings"] = contact_warnings
    message = f"Captured from {channel.code} as {payload.external_id}; {target.replace('_', ' ')}."
    OrderTimelineEntry.objects.create(
        order=order, kind="captured", message=message, actor=actor, data=summary, created_at=now
    )
    events_emit(
        [
            OutboxEvent(
                name="order.captured",
                aggregate_type="order",
                aggregate_id=order.pk,
                payload={
                    "order_id": order.pk,
                    "channel": channel.code,
                    "external_id": order.external_id,
                    "status": order.status,
                    "currency": order.currency,
                    "grand_total": str(order.grand_total),
                    **summary,
                },
                created_at=now,
            )
        ]
    )
    return CaptureResult(order=order, replayed=False, lines=lines, allocations=shown)


def _contact_usable(customer: CustomerIn, country: str | None) -> tuple[str, str, list[str]]:
    """The e-mail and phone fit to recognise the buyer by. An order is never refused for a
    malformed contact: what the channel sent stays on the order, and the timeline says so."""
    warnings = []
    try:
        email = email_normalise(customer.email)
    except DomainError as exc:
        email = ""
        warnings.append(exc.message)
    try:
        phone = phone_normalise(customer.phone, country=country)
    except DomainError as exc:
        phone = ""
        warnings.append(exc.message)
    return email, phone, warnings


@dataclass(frozen=True)
class SkuInfo:
    id: int
    name: str
    needs: dict[int, int]  # component sku id → units per item
    component_codes: dict[int, str] = field(default_factory=dict)


def _skus_load(codes: set[str]) -> dict[str, SkuInfo]:
    rows = list(
        Sku.objects.filter(code__in=codes, is_active=True).values_list("id", "code", "name", "kind")
    )
    found = {code for _, code, _, _ in rows}
    missing = sorted(codes - found)
    if missing:
        raise DomainError(
            "sku_not_found",
            f"Unknown SKU(s): {', '.join(missing)}.",
            errors=[
                {"field": "lines.sku", "code": "sku_not_found", "message": f"No SKU {code!r}."}
                for code in missing
            ],
        )
    kit_ids = [pk for pk, _, _, kind in rows if kind == Sku.KIT]
    components: dict[int, dict[int, int]] = defaultdict(dict)
    component_codes: dict[int, str] = {}
    if kit_ids:
        for kit_id, component_id, qty, code in KitComponent.objects.filter(
            kit_id__in=kit_ids
        ).values_list("kit_id", "component_id", "quantity", "component__code"):
            components[kit_id][component_id] = qty
            component_codes[component_id] = code
    result = {}
    for pk, code, name, kind in rows:
        needs = components[pk] if kind == Sku.KIT else {pk: 1}
        if not needs:
            raise DomainError(
                "kit_empty", f"Kit {code} has no components to sell.", field="lines.sku"
            )
        result[code] = SkuInfo(id=pk, name=name, needs=needs, component_codes=component_codes)
    return result


def _pickup_location(payload: OrderCreateIn) -> Location | None:
    if payload.delivery_method != "pickup":
        if payload.pickup_location:
            raise DomainError(
                "pickup_location_unexpected",
                "pickup_location is only for delivery_method 'pickup'.",
                field="pickup_location",
            )
        return None
    if not payload.pickup_location:
        raise DomainError(
            "pickup_location_required",
            "A pickup order names the store it is collected at.",
            field="pickup_location",
        )
    location = Location.objects.filter(code=payload.pickup_location, is_active=True).first()
    if location is None:
        raise NotFound("location", payload.pickup_location, field="pickup_location")
    if not location.pickup:
        raise DomainError(
            "not_a_pickup_location",
            f"Location {location.code} does not offer pickup.",
            field="pickup_location",
        )
    return location


def order_cancel(
    *,
    order_id: int,
    lines: list[tuple[int, int]] | None,
    reason: str,
    actor: str,
    channel_ids: frozenset[int] | None = None,
) -> Order:
    """Cancel the whole order (lines=None) or some quantity of some lines, releasing stock.

    Backordered units are cancelled first, then reserved ones (from the last reservation).
    """
    with use_case_atomic():
        order = Order.objects.filter(pk=order_id).select_related("channel").first()
        if order is None or (channel_ids is not None and order.channel_id not in channel_ids):
            raise NotFound("order", order_id)
        if order.status not in st.CANCELLABLE:
            raise DomainError(
                "order_not_cancellable",
                f"An order that is {order.status.replace('_', ' ')} cannot be cancelled.",
                status=409,
            )
        line_rows = list(order.lines.all())
        allocation_rows = list(OrderAllocation.objects.filter(line__order=order).order_by("id"))
        sku_needs = _line_needs(line_rows)
        plan = cancellation_plan(
            lines=[
                CancelRequest(
                    line_no=line.line_no,
                    backordered=line.quantity_backordered,
                    allocated=line.quantity_allocated,
                    needs=sku_needs[line.pk],
                    allocations=[
                        (a.pk, a.location_id, a.sku_id, a.quantity)
                        for a in allocation_rows
                        if a.line_id == line.pk
                    ],
                )
                for line in line_rows
            ],
            wanted=dict(lines) if lines is not None else None,
        )
        by_no = {line.line_no: line for line in line_rows}
        now = utcnow()
        delta = Decimal(0)
        for cut in plan.lines:
            line = by_no[cut.line_no]
            updated = OrderLine.objects.filter(
                pk=line.pk,
                quantity_backordered__gte=cut.from_backordered,
                quantity_allocated__gte=cut.from_allocated,
            ).update(
                quantity_cancelled=line.quantity_cancelled + cut.quantity,
                quantity_backordered=line.quantity_backordered - cut.from_backordered,
                quantity_allocated=line.quantity_allocated - cut.from_allocated,
            )
            if not updated:
                raise Conflict("order_changed", "The order changed meanwhile; retry.")
            before = line.quantity_cancelled
            after = before + cut.quantity
            delta -= cancelled_amount(
                line.total, line.quantity_ordered, after, order.currency
            ) - cancelled_amount(line.total, line.quantity_ordered, before, order.currency)
            line.quantity_cancelled += cut.quantity
            line.quantity_backordered -= cut.from_backordered
            line.quantity_allocated -= cut.from_allocated
        for allocation_id, quantity, remove in plan.allocation_updates:
            if remove:
                OrderAllocation.objects.filter(pk=allocation_id, quantity=quantity).delete()
            else:
                OrderAllocation.objects.filter(pk=allocation_id, quantity__gte=quantity).update(
                    quantity=F("quantity") - quantity
                )
        if plan.releases:
            movements_apply(
                [
                    Movement(loc, sku, COMMITTED, AVAILABLE, qty)
                    for (loc, sku), qty in sorted(plan.releases.items())
                ],
                context=LedgerContext(reason="release", actor=actor, reference=f"order:{order.pk}"),
            )
        totals = _buckets(line_rows)
        target = st.transition_check(order.status, st.status_from_buckets(**totals))
        version = order.version + 1
        changed = Order.objects.filter(pk=order.pk, version=order.version).update(
            version=version,
            status=target,
            current_total=order.current_total + delta,
            updated_at=now,
        )
        if not changed:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
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
            version=version,
            amount_delta=delta,
            data=data,
            reason=reason,
            actor=actor,
            created_at=now,
        )
        units = sum(c.quantity for c in plan.lines)
        message = f"Cancelled {units} unit(s)" + (f": {reason}" if reason else "") + "."
        OrderTimelineEntry.objects.create(
            order=order, kind="cancelled", message=message, actor=actor, data=data, created_at=now
        )
        events_emit(
            [
                OutboxEvent(
                    name="order.cancelled" if target == st.CANCELLED else "order.lines_cancelled",
                    aggregate_type="order",
                    aggregate_id=order.pk,
                    payload={
                        "order_id": order.pk,
                        "status": target,
                        "amount_delta": str(delta),
                        **data,
                    },
                    created_at=now,
                )
            ]
        )
        order.refresh_from_db()
        return order


def _line_needs(lines: list[OrderLine]) -> dict[int, dict[int, int]]:
    """Component units per item of each line (a simple SKU needs one of itself)."""
    kit_ids = {line.sku_id for line in lines}
    components: dict[int, dict[int, int]] = defaultdict(dict)
    for kit_id, component_id, qty in KitComponent.objects.filter(kit_id__in=kit_ids).values_list(
        "kit_id", "component_id", "quantity"
    ):
        components[kit_id][component_id] = qty
    return {line.pk: components.get(line.sku_id) or {line.sku_id: 1} for line in lines}


def _buckets(lines: list[OrderLine]) -> dict[str, int]:
    return {
        "ordered": sum(line.quantity_ordered for line in lines),
        "cancelled": sum(line.quantity_cancelled for line in lines),
        "backordered": sum(line.quantity_backordered for line in lines),
        "allocated": sum(line.quantity_allocated for line in lines),
        "shipped": sum(line.quantity_shipped for line in lines),
    }
