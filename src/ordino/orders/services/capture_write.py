"""Writing a captured order down (`order_capture` has checked it and reserves its stock): the
order and its lines with what was allocated and backordered, then the timeline row and the
`OrderCaptured` event that say where everything went (docs/design.md §3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Model

from ordino.catalog.selectors import SkuConsumption
from ordino.channels.models import Channel
from ordino.core.sql import instances_insert
from ordino.events.models import OutboxEvent
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.inventory.models import StockMovement
from ordino.locations.models import Location
from ordino.orders.commands import CaptureOrder
from ordino.orders.domain.capture import captured_status
from ordino.orders.domain.pricing import OrderMoney
from ordino.orders.events import OrderCaptured
from ordino.orders.models import Order, OrderLine, OrderTimelineEntry
from ordino.orders.reservation import Placement, Reservation
from ordino.orders.services.taxing import LineRate
from ordino.orders.timeline import order_record
from ordino.sourcing.models import SourcingDecision
from ordino.sourcing.services import decision_summary

if TYPE_CHECKING:
    from ordino.customers.models import Customer


@dataclass(frozen=True)
class NewOrder:
    """A new order as checked and priced, before its stock is reserved."""

    command: CaptureOrder
    channel: Channel
    fingerprint: str
    origin_id: int | None
    pickup: Location | None
    money: OrderMoney
    skus: dict[str, SkuConsumption]  # by code: what one item of each line consumes
    customer: Customer | None
    line_rates: tuple[LineRate, ...] = ()  # the rate each line was taxed at (docs/tax.md)
    tax_summary: dict | None = None  # a computed tax, as the timeline says it

    @property
    def shipping_address(self) -> dict | None:
        """As the order stores it."""
        address = self.command.shipping_address
        return address.as_stored() if address is not None else None

    @property
    def demands(self) -> list[LineDemand]:
        """What each line takes from stock, keyed by its index."""
        return [
            LineDemand(key=i, quantity=line.quantity, components=self.skus[line.sku].consumes)
            for i, line in enumerate(self.command.lines)
        ]


@dataclass(frozen=True)
class NewOrderWritten:
    order: Order
    lines: list[OrderLine]

    @property
    def order_id(self) -> int:
        return self.order.pk

    @property
    def line_ids(self) -> list[int]:
        return [line.pk for line in self.lines]


def new_order_write(new: NewOrder, reservation: Reservation, now: datetime) -> NewOrderWritten:
    """The order and its lines, with what the reservation allocated and backordered."""
    command, customer, money = new.command, new.customer, new.money
    backordered = reservation.plan.backordered
    allocated: dict[int, int] = defaultdict(int)
    for pick in reservation.plan.picks:
        allocated[pick.key] += pick.quantity
    buyer = command.customer
    order = Order(
        channel=new.channel,
        external_id=command.external_id,
        capture_fingerprint=new.fingerprint,
        status=captured_status(backordered=bool(backordered)),
        currency=command.currency,
        customer=customer,
        email=(customer.email if customer else "") or (buyer.email if buyer else ""),
        phone=(customer.phone if customer else "") or (buyer.phone if buyer else ""),
        shipping_address=new.shipping_address,
        billing_address=(command.billing_address.as_stored() if command.billing_address else None),
        delivery_method=command.delivery_method,
        promised_delivery=command.promised_delivery,
        pickup_location=new.pickup,
        origin_location_id=new.origin_id,
        subtotal=money.subtotal,
        discount_total=money.discount_total,
        tax_total=money.tax_total,
        shipping_price=money.shipping_price,
        shipping_tax=money.shipping_tax,
        grand_total=money.grand_total,
        current_total=money.grand_total,
        tags=list(command.tags),
        raw_payload=command.raw_payload,
        placed_at=command.placed_at or now,
        created_at=now,
        updated_at=now,
    )
    instances_insert([order])
    lines = instances_insert(
        [
            OrderLine(
                order=order,
                line_no=i + 1,
                sku_id=new.skus[line.sku].id,
                sku_code=line.sku,
                name=line.name or new.skus[line.sku].name,
                external_id=line.external_id,
                components={str(k): v for k, v in new.skus[line.sku].consumes.items()},
                quantity_ordered=line.quantity,
                quantity_allocated=allocated[i],
                quantity_backordered=backordered.get(i, 0),
                unit_price=line.unit_price,
                line_discount=priced.line_discount,
                order_discount=priced.order_discount,
                tax=priced.tax,
                tax_rate=rate.rate,
                tax_rate_name=rate.name,
                total=priced.total,
            )
            for i, (line, priced, rate) in enumerate(
                zip(command.lines, money.lines, _rates(new), strict=True)
            )
        ]
    )
    return NewOrderWritten(order, lines)


def _rates(new: NewOrder) -> tuple[LineRate, ...]:
    return new.line_rates or tuple(LineRate() for _ in new.command.lines)


def captured_rows(new: NewOrder, reservation: Reservation) -> dict[type[Model], int]:
    """How many rows of each table a capture writes once its stock is reserved (an insert
    batch takes their ids in one statement, core/sql.py; a wrong count costs a statement)."""
    picks = reservation.plan.picks
    return {
        Order: 1,
        OrderLine: len(new.command.lines),
        FulfillmentOrder: len({p.location_id for p in picks}),
        FulfillmentLine: len({(p.location_id, p.key) for p in picks}),
        StockMovement: len(reservation.units),
        SourcingDecision: 1,
        OrderTimelineEntry: 1,
        OutboxEvent: 1,
    }


def captured_record(
    new: NewOrder, placement: Placement[NewOrderWritten], warnings: list[str], actor: str, now
) -> None:
    """The timeline row and the `OrderCaptured` event: where everything went, and why."""
    order, reservation = placement.written.order, placement.reservation
    codes = reservation.location_codes
    summary = {
        "fulfillment_orders": [
            {"id": fo.pk, "location": codes[fo.location_id]}
            for fo in placement.placed.fulfillment_orders
        ],
        "allocated": [
            {
                "line_no": pick.key + 1,
                "location": codes[pick.location_id],
                "quantity": pick.quantity,
            }
            for pick in reservation.plan.picks
        ],
        "backordered": [
            {"line_no": key + 1, "quantity": qty}
            for key, qty in sorted(reservation.plan.backordered.items())
        ],
        "sourcing": decision_summary(placement.decision),
    }
    if warnings:
        summary["warnings"] = warnings
    if new.tax_summary is not None:
        summary["tax"] = new.tax_summary
    review = "; sourcing needs review" if placement.decision.outcome == "review" else ""
    order_record(
        order=order,
        kind="captured",
        message=f"Captured from {new.channel.code} as {order.external_id}; "
        f"{order.status.replace('_', ' ')}{review}.",
        actor=actor,
        data=summary,
        event=OrderCaptured,
        payload={
            "channel": new.channel.code,
            "external_id": order.external_id,
            "currency": order.currency,
            "grand_total": str(order.grand_total),
            **summary,
        },
        now=now,
    )
