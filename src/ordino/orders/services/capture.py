"""Order capture: what the channel sold, recorded exactly once, with its stock reserved.

One transaction: load and check (the rules are in `orders/domain/capture.py`), then reserve and
write (`orders.reservation.reservation_place`, with `capture_write.py` writing the order, its
timeline row and its event).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from django.db import connection

from ordino.catalog.selectors import SkuConsumption, skus_consumption
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.sql import columns, inserts_batched, instances_of
from ordino.core.transactions import use_case_atomic
from ordino.customers.services import customer_resolve
from ordino.locations.models import Location
from ordino.orders.commands import CaptureOrder
from ordino.orders.domain.capture import (
    contact_usable,
    currency_accepted,
    line_skus_check,
    origin_location_of,
    pickup_store_check,
    pickup_store_named,
    promise_check,
    repeat_check,
    shelves_location,
    shipping_address_check,
)
from ordino.orders.hold_facts import order_holds_check
from ordino.orders.models import Order, OrderLine
from ordino.orders.ports import order_risk_assess, payments_record
from ordino.orders.reservation import (
    Snapshot,
    candidates_load,
    reservation_place,
)
from ordino.orders.selectors import order_scope_q
from ordino.orders.services.capture_write import (
    NewOrder,
    captured_record,
    captured_rows,
    new_order_write,
)
from ordino.orders.services.taxing import Destination, TaxedMoney, money_taxed
from ordino.sourcing.facts import OrderContext, destination_of

if TYPE_CHECKING:
    from ordino.customers.models import Customer


@dataclass(frozen=True)
class CaptureResult:
    order: Order
    replayed: bool
    # A new order's lines and fulfillment orders, as written (spares the API a read-back).
    lines: list[OrderLine] | None = None
    placed: dict | None = None


def order_capture(
    *, command: CaptureOrder, actor: str, scope: Scope = UNRESTRICTED
) -> CaptureResult:
    """Record what the channel sold, once per (channel, external id), and reserve its stock.

    `scope`: the caller's limits. A channel it may not sell in, and a location it may not see
    (`pickup_location`, `origin_location`), answer 404 as if they did not exist.
    """
    with use_case_atomic():
        channel = _channel_load(command, scope)
        origin_id = _origin_location(command, scope)
        fingerprint = command.fingerprint()
        if channel.existing_order_id is not None:
            existing = _replayed(channel, command, scope)
            repeat_check(
                order_id=existing.pk,
                external_id=existing.external_id,
                stored=existing.capture_fingerprint,
                fingerprint=fingerprint,
            )
            return CaptureResult(existing, replayed=True)
        return _capture_new(
            command=command,
            channel=channel,
            actor=actor,
            scope=scope,
            origin_id=origin_id,
            fingerprint=fingerprint,
        )


def _channel_load(command: CaptureOrder, scope: Scope) -> Channel:
    """The channel, with the id of its order of this external id if there is one already: one
    statement, its text built once (the hot path, core/sql.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_channel_sql(connection.vendor), [command.external_id, command.channel])
        found = instances_of(Channel, cursor.fetchall(), extra=1)
    if not found or not scope.sells_in(found[0][0].pk):
        raise NotFound("channel", command.channel, field="channel")
    channel, (existing_order_id,) = found[0]
    channel.existing_order_id = existing_order_id
    return channel


@cache
def _channel_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {columns(Channel, 'c')}, (SELECT o.id FROM {q(Order._meta.db_table)} o"
        " WHERE o.channel_id = c.id AND o.external_id = %s LIMIT 1)"
        f" FROM {q(Channel._meta.db_table)} c WHERE c.code = %s"
    )


def _replayed(channel: Channel, command: CaptureOrder, scope: Scope) -> Order:
    """The order already captured, if the caller may see it. Another till of the same channel
    used this external id: the caller learns the id is taken, nothing of the order."""
    order = Order.objects.filter(order_scope_q(scope), pk=channel.existing_order_id).first()
    if order is None:
        raise Conflict(
            "external_id_taken",
            f"Channel {channel.code} already has an order {command.external_id!r}.",
            field="external_id",
        )
    return order


def _origin_location(command: CaptureOrder, scope: Scope) -> int | None:
    """The till capturing the order, if the input names one: a location the caller sees."""
    requested = None
    if command.origin_location is not None:
        requested = Location.objects.filter(code=command.origin_location).first()
        if requested is None or not scope.sees_location(requested.pk):
            raise NotFound("location", command.origin_location, field="origin_location")
    return origin_location_of(scope, requested.pk if requested else None)


def _capture_new(
    *,
    command: CaptureOrder,
    channel: Channel,
    actor: str,
    scope: Scope,
    origin_id: int | None,
    fingerprint: str,
) -> CaptureResult:
    """Check, then reserve and write. The checks run in this order: it says which refusal a
    request with several faults gets."""
    currency_accepted(
        command.currency, channel_code=channel.code, channel_currency=channel.currency
    )
    pickup = _pickup_location(command, scope)
    now = utcnow()
    promise_check(command.promised_delivery, (command.placed_at or now).astimezone(UTC).date())
    taxed = _priced(command, channel, pickup, now)
    skus, snapshot = _skus_read(command, channel, pickup, now)
    shipping_address_check(
        command.delivery_method, has_address=command.shipping_address is not None
    )
    customer, contact_warnings = _customer_resolve(command, channel)
    new = NewOrder(
        command=command,
        channel=channel,
        fingerprint=fingerprint,
        origin_id=origin_id,
        pickup=pickup,
        money=taxed.money,
        skus=skus,
        customer=customer,
        line_rates=taxed.rates,
        tax_summary=taxed.summary(),
    )
    with inserts_batched() as batch:  # PostgreSQL: every row below in one statement
        placement = reservation_place(
            demands=new.demands,
            channel_id=channel.pk,
            delivery_method=command.delivery_method,
            pickup_location_id=pickup.pk if pickup else None,
            lines_write=lambda reservation: new_order_write(new, reservation, now),
            actor=actor,
            now=now,
            trigger="capture",
            context=_order_context(new),
            snapshot=snapshot,
            before_writes=batch and (lambda r: batch.ids_take(captured_rows(new, r))),
        )
        captured_record(new, placement, contact_warnings, actor, now)
    if command.payments:  # payments (above orders) record them in this transaction
        payments_record(
            order=placement.written.order, payments=command.payments, actor=actor, now=now
        )
    # scored before holds test it, so a rule on risk.score holds at capture (docs/risk.md)
    score = order_risk_assess(
        order=placement.written.order, payments=command.payments, actor=actor, now=now
    )
    held = order_holds_check(
        order_id=placement.written.order.pk, actor=actor, trigger="capture", now=now,
        risk_score=score,
    )  # fmt: skip
    if held:  # a hold rule matched: the answer shows the work stopped
        placement.written.order.refresh_from_db(fields=["status", "version", "updated_at"])
        for fo in placement.placed.fulfillment_orders:
            fo.status = "on_hold" if fo.pk in held else fo.status
    codes = placement.reservation.location_codes
    shown = {
        "fulfillment_orders": [
            (fo, codes[fo.location_id]) for fo in placement.placed.fulfillment_orders
        ],
        "lines": placement.placed.lines,
    }
    order, lines = placement.written.order, placement.written.lines
    return CaptureResult(order=order, replayed=False, lines=lines, placed=shown)


def _priced(
    command: CaptureOrder, channel: Channel, pickup: Location | None, now: datetime
) -> TaxedMoney:
    """The order's amounts, to the cent, with the tax the channel sent or, when its lines omit
    it, the rates' at the destination on the day it was placed; refused when the channel's
    total differs."""
    return money_taxed(
        lines=command.lines,
        currency=command.currency,
        order_discount=command.discount,
        shipping_price=command.shipping_price,
        shipping_tax=command.shipping_tax,
        expected_total=command.total,
        inclusive=channel.prices_include_tax,
        destination=_destination(command, pickup),
        on=(command.placed_at or now).astimezone(UTC).date(),
    )


def _destination(command: CaptureOrder, pickup: Location | None) -> Destination:
    """Where the tax is due: the pickup store for pickup and ship-to-store, else the address."""
    if pickup is not None:
        return Destination(pickup.country or None, pickup.region)
    address = command.shipping_address
    return Destination(address.country, address.region) if address else Destination(None)


def _pickup_location(command: CaptureOrder, scope: Scope) -> Location | None:
    """The store a pickup or ship-to-store order is collected at: active, seen by the caller,
    offering pickup."""
    if not pickup_store_named(command.delivery_method, command.pickup_location):
        return None
    location = Location.objects.filter(code=command.pickup_location, is_active=True).first()
    if location is None or not scope.sees_location(location.pk):
        raise NotFound("location", command.pickup_location, field="pickup_location")
    pickup_store_check(location.code, offers_pickup=location.pickup)
    return location


def _skus_read(
    command: CaptureOrder, channel: Channel, pickup: Location | None, now: datetime
) -> tuple[dict[str, SkuConsumption], Snapshot | None]:
    """The lines' SKUs by code, and the stock candidates when they could be read with them.
    Simple SKUs with stock somewhere come with the candidates (no catalog read); otherwise the
    catalog says what each item consumes, and reservation reads the candidates itself."""
    codes = {line.sku for line in command.lines}
    snapshot = candidates_load(
        sku_codes=codes,
        channel_id=channel.pk,
        pickup_location_id=shelves_location(command.delivery_method, pickup.pk if pickup else None),
        now=now,
    )
    if codes <= snapshot.skus.keys():
        skus = {
            code: SkuConsumption(pk, code, name, {pk: 1})
            for code, (pk, name) in snapshot.skus.items()
        }
        return skus, snapshot
    found = {sku.code: sku for sku in skus_consumption(codes=codes, active_only=True)}
    line_skus_check(
        [line.sku for line in command.lines], {code: s.consumes for code, s in found.items()}
    )
    return found, None


def _customer_resolve(command: CaptureOrder, channel: Channel) -> tuple[Customer | None, list[str]]:
    """The customer the buyer is (found or created), and what was wrong with their contact."""
    buyer = command.customer
    if buyer is None:
        return None, []
    country = command.shipping_address.country if command.shipping_address else None
    email, phone, warnings = contact_usable(buyer.email, buyer.phone, country)
    customer = customer_resolve(
        channel=channel,
        email=email,
        phone=phone,
        first_name=buyer.first_name,
        last_name=buyer.last_name,
        external_id=buyer.external_id,
        country=country,
    )
    return customer, warnings


def _order_context(new: NewOrder) -> OrderContext:
    """The new order as the sourcing engine's conditions see it."""
    command, pickup = new.command, new.pickup
    tags = new.customer.tags if new.customer else ()
    return OrderContext(
        order_id=f"{new.channel.code}:{command.external_id}",
        channel=new.channel.code,
        destination=destination_of(new.shipping_address, pickup),
        delivery_method=command.delivery_method,
        value=new.money.grand_total,
        currency=command.currency,
        customer_tags=frozenset(str(t).lower() for t in tags),
        pickup_location_id=pickup.pk if pickup else None,
        line_skus={i: new.skus[line.sku].id for i, line in enumerate(command.lines)},
    )
