"""Order capture: what the channel sold, recorded exactly once, with its stock reserved.

Each runs in one transaction: load, decide in the domain, save with conditional updates, and
write the timeline and the outbox event with the change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.money import currency_check
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.customers.services import customer_resolve
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.placement import placement_write
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, movements_log
from ordino.locations.models import Location
from ordino.orders.domain import status as st
from ordino.orders.domain.fingerprint import capture_fingerprint
from ordino.orders.domain.pricing import LineMoneyIn, order_price
from ordino.orders.events import OrderCaptured
from ordino.orders.models import Order, OrderLine
from ordino.orders.reservation import candidates_load, stock_reserve
from ordino.orders.schemas import OrderCreateIn, OrderCustomerIn
from ordino.orders.selectors import order_scope_q
from ordino.orders.timeline import order_record
from ordino.sourcing.facts import OrderContext, destination_of
from ordino.sourcing.services import decision_summary, sourcing_decision_record


@dataclass(frozen=True)
class CaptureResult:
    order: Order
    replayed: bool
    # A new order's lines and fulfillment orders, as written (spares the API a read-back).
    lines: list[OrderLine] | None = None
    placed: dict | None = None


def _address(value) -> dict | None:
    return value.model_dump(mode="json") if value is not None else None


def order_capture(
    *, payload: OrderCreateIn, actor: str, scope: Scope = UNRESTRICTED
) -> CaptureResult:
    """Record what the channel sold, once per (channel, external id), and reserve its stock.

    `scope`: the caller's limits. A channel it may not sell in, and a location it may not see
    (`pickup_location`, `origin_location`), answer 404 as if they did not exist.
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
        if channel is None or not scope.sells_in(channel.pk):
            raise NotFound("channel", payload.channel, field="channel")
        origin_id = _origin_location(payload, scope)
        fingerprint = capture_fingerprint(payload.model_dump())
        if channel.existing_order_id is not None:
            existing = _replayed(channel, payload, scope)
            _repeat_check(existing, fingerprint)
            return CaptureResult(existing, replayed=True)
        return _capture_new(
            payload=payload,
            channel=channel,
            actor=actor,
            scope=scope,
            origin_id=origin_id,
            fingerprint=fingerprint,
        )


class OrderExists(Conflict):
    """The channel sent an order it had sent before, with other contents: nothing is applied.
    The problem names the existing order, so the channel can change it through its endpoints."""

    def __init__(self, order: Order) -> None:
        href = f"/api/v1/orders/{order.pk}"
        super().__init__(
            "order_exists",
            f"Order {order.external_id!r} of this channel was captured before (order "
            f"{order.pk}) with other contents; this request changed nothing. Change the order "
            f"with POST {href}/edit or {href}/cancel.",
            field="external_id",
        )
        self.extensions = {"existing": {"id": order.pk, "href": href}}


def _repeat_check(existing: Order, fingerprint: str) -> None:
    """A repeat is a replay only if it says what the first capture said. Orders captured before
    fingerprints were kept (blank) cannot be compared, and replay as before."""
    if existing.capture_fingerprint and existing.capture_fingerprint != fingerprint:
        raise OrderExists(existing)


def _replayed(channel: Channel, payload: OrderCreateIn, scope: Scope) -> Order:
    """The order already captured, if the caller may see it. Another till of the same channel
    used this external id: the caller learns the id is taken, nothing of the order."""
    order = Order.objects.filter(order_scope_q(scope), pk=channel.existing_order_id).first()
    if order is None:
        raise Conflict(
            "external_id_taken",
            f"Channel {channel.code} already has an order {payload.external_id!r}.",
            field="external_id",
        )
    return order


def _origin_location(payload: OrderCreateIn, scope: Scope) -> int | None:
    """The till capturing the order: named in the input (a location the caller sees), or the
    only location the caller is limited to. A caller limited to several must name it."""
    requested = None
    if payload.origin_location is not None:
        requested = Location.objects.filter(code=payload.origin_location).first()
        if requested is None or not scope.sees_location(requested.pk):
            raise NotFound("location", payload.origin_location, field="origin_location")
    origin_id = scope.origin_location(requested.pk if requested else None)
    if origin_id is None and scope.location_ids is not None:
        raise DomainError(
            "origin_location_required",
            "This token is limited to several locations: name the one capturing the order.",
            field="origin_location",
        )
    return origin_id


def _capture_new(
    *,
    payload: OrderCreateIn,
    channel: Channel,
    actor: str,
    scope: Scope,
    origin_id: int | None,
    fingerprint: str,
) -> CaptureResult:
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
    pickup = _pickup_location(payload, scope)
    # Only a pickup is served from the store's own shelves; ship-to-store is sourced like a
    # shipment, to the store's address.
    reserve_at = pickup.pk if pickup and payload.delivery_method == "pickup" else None
    codes = {line.sku for line in payload.lines}
    now = utcnow()
    snapshot = candidates_load(
        sku_codes=codes,
        channel_id=channel.pk,
        pickup_location_id=reserve_at,
        now=now,
    )
    if codes <= snapshot.skus.keys():  # all simple SKUs with stock somewhere: no catalog read
        skus = {code: SkuInfo(pk, name, {pk: 1}) for code, (pk, name) in snapshot.skus.items()}
    else:
        skus = _skus_load([line.sku for line in payload.lines])
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
    context = OrderContext(
        order_id=f"{channel.code}:{payload.external_id}",
        channel=channel.code,
        destination=destination_of(_address(payload.shipping_address), pickup),
        delivery_method=payload.delivery_method,
        value=money.grand_total,
        currency=payload.currency,
        customer_tags=frozenset(str(t).lower() for t in (customer.tags if customer else ())),
        pickup_location_id=pickup.pk if pickup else None,
        line_skus={i: skus[line.sku].id for i, line in enumerate(payload.lines)},
    )
    reservation = stock_reserve(
        demands=demands,
        channel_id=channel.pk,
        pickup_location_id=reserve_at,
        snapshot=snapshot,
        context=context,
        now=now,
    )
    backordered = reservation.plan.backordered
    allocated_items: dict[int, int] = defaultdict(int)
    for pick in reservation.plan.picks:
        allocated_items[pick.key] += pick.quantity

    target = st.transition_check(st.CREATED, st.BACKORDERED if backordered else st.ALLOCATED)
    order = Order.objects.create(
        channel=channel,
        external_id=payload.external_id,
        capture_fingerprint=fingerprint,
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
        origin_location_id=origin_id,
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
                components={str(k): v for k, v in skus[line.sku].needs.items()},
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
    placed = placement_write(
        order_id=order.pk,
        order_line_ids=[line.pk for line in lines],
        demands=demands,
        plan=reservation.plan,
        delivery_method=payload.delivery_method,
        now=now,
    )
    movements_log(
        [
            Movement(loc, sku, AVAILABLE, COMMITTED, qty)
            for (loc, sku), qty in sorted(reservation.units.items())
        ],
        context=LedgerContext(reason="reserve", actor=actor, reference=f"order:{order.pk}"),
    )
    codes = reservation.location_codes
    decision = sourcing_decision_record(
        order_id=order.pk, sourced=reservation.sourced, trigger="capture", now=now
    )
    summary = {
        "fulfillment_orders": [
            {"id": fo.pk, "location": codes[fo.location_id]} for fo in placed.fulfillment_orders
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
            {"line_no": key + 1, "quantity": qty} for key, qty in sorted(backordered.items())
        ],
    }
    summary["sourcing"] = decision_summary(decision)
    if contact_warnings:
        summary["warnings"] = contact_warnings
    order_record(
        order=order,
        kind="captured",
        message=f"Captured from {channel.code} as {payload.external_id}; "
        f"{target.replace('_', ' ')}"
        f"{'; sourcing needs review' if decision.outcome == 'review' else ''}.",
        actor=actor,
        data=summary,
        event=OrderCaptured,
        payload={
            "channel": channel.code,
            "external_id": order.external_id,
            "currency": order.currency,
            "grand_total": str(order.grand_total),
            **summary,
        },
        now=now,
    )
    shown = {
        "fulfillment_orders": [(fo, codes[fo.location_id]) for fo in placed.fulfillment_orders],
        "lines": placed.lines,
    }
    return CaptureResult(order=order, replayed=False, lines=lines, placed=shown)


def _contact_usable(customer: OrderCustomerIn, country: str | None) -> tuple[str, str, list[str]]:
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


def _skus_load(line_codes: list[str]) -> dict[str, SkuInfo]:
    """The SKUs of the lines, by code; refused naming each line (`lines.1.sku`) that fails."""
    codes = set(line_codes)
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
                {"field": f"lines.{i}.sku", "code": "sku_not_found", "message": f"No SKU {code!r}."}
                for i, code in enumerate(line_codes)
                if code in missing
            ],
        )
    kit_ids = [pk for pk, _, _, kind in rows if kind == Sku.KIT]
    components: dict[int, dict[int, int]] = defaultdict(dict)
    if kit_ids:
        for kit_id, component_id, qty in KitComponent.objects.filter(
            kit_id__in=kit_ids
        ).values_list("kit_id", "component_id", "quantity"):
            components[kit_id][component_id] = qty
    result = {}
    for pk, code, name, kind in rows:
        needs = components[pk] if kind == Sku.KIT else {pk: 1}
        if not needs:
            raise DomainError(
                "kit_empty",
                f"Kit {code} has no components to sell.",
                field=f"lines.{line_codes.index(code)}.sku",
            )
        result[code] = SkuInfo(id=pk, name=name, needs=needs)
    return result


def _pickup_location(payload: OrderCreateIn, scope: Scope) -> Location | None:
    if payload.delivery_method == "ship":
        if payload.pickup_location:
            raise DomainError(
                "pickup_location_unexpected",
                "pickup_location is only for delivery_method 'pickup' or 'ship_to_store'.",
                field="pickup_location",
            )
        return None
    if not payload.pickup_location:
        raise DomainError(
            "pickup_location_required",
            "A pickup or ship-to-store order names the store it is collected at.",
            field="pickup_location",
        )
    location = Location.objects.filter(code=payload.pickup_location, is_active=True).first()
    if location is None or not scope.sees_location(location.pk):
        raise NotFound("location", payload.pickup_location, field="pickup_location")
    if not location.pickup:
        raise DomainError(
            "not_a_pickup_location",
            f"Location {location.code} does not offer pickup.",
            field="pickup_location",
        )
    return location
