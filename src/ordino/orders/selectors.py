"""Reads of orders: one order with its lines, reservations and timeline; filtered lists."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.money import quantum
from ordino.core.domain.scope import CHANGE, READ, UNRESTRICTED, Scope
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry


def money_str(amount: Decimal, currency: str) -> str:
    return str(amount.quantize(quantum(currency)))


def order_scope_q(scope: Scope, reach: str = READ) -> Q:
    """The orders `scope` reaches: the query form of `Scope.reaches_order`."""
    q = Q()
    if scope.channel_ids is not None:
        q &= Q(channel_id__in=scope.channel_ids)
    if scope.location_ids is not None:
        at = Q(origin_location_id__in=scope.location_ids)
        if reach != CHANGE:
            fulfilled_there = FulfillmentOrder.objects.filter(location_id__in=scope.location_ids)
            at |= Q(pickup_location_id__in=scope.location_ids) | Q(
                pk__in=fulfilled_there.values("order_id")
            )
        q &= at
    return q


def order_visible(*, order_id: int, scope: Scope) -> bool:
    """Whether `scope` reaches the order (holds' port: an order's holds answer 404 outside)."""
    return Order.objects.filter(order_scope_q(scope), pk=order_id).exists()


def order_get(*, order_id: int, scope: Scope = UNRESTRICTED, reach: str = READ) -> Order:
    """The order, or NotFound also when it lies outside the caller's scope."""
    order = (
        Order.objects.filter(order_scope_q(scope, reach), pk=order_id)
        .select_related("channel", "pickup_location", "origin_location")
        .first()
    )
    if order is None:
        raise NotFound("order", order_id)
    return order


def order_list(
    *,
    scope: Scope = UNRESTRICTED,
    channel: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    external_id: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> QuerySet[Order]:
    qs = Order.objects.select_related("channel", "pickup_location", "origin_location").filter(
        order_scope_q(scope)
    )
    if channel:
        qs = qs.filter(channel__code=channel)
    if status:
        qs = qs.filter(status=status)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if external_id:
        qs = qs.filter(external_id=external_id)
    if created_after:
        qs = qs.filter(created_at__gte=created_after)
    if created_before:
        qs = qs.filter(created_at__lt=created_before)
    return qs


def orders_serialize(orders: list[Order]) -> list[dict]:
    """Orders as the API shows them, with lines and fulfillment orders: three queries for any
    number of orders."""
    if not orders:
        return []
    ids = [o.pk for o in orders]
    lines_by_order: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=ids).order_by("order_id", "line_no"):
        lines_by_order[line.order_id].append(line)
    fos_by_order: dict[int, list[tuple[FulfillmentOrder, str]]] = defaultdict(list)
    for fo in (
        FulfillmentOrder.objects.filter(order_id__in=ids).select_related("location").order_by("id")
    ):
        fos_by_order[fo.order_id].append((fo, fo.location.code))
    fulfillment_lines = list(
        FulfillmentLine.objects.filter(fulfillment_order__order_id__in=ids).order_by("id")
    )
    return [
        order_serialize(o, lines_by_order[o.pk], fos_by_order[o.pk], fulfillment_lines)
        for o in orders
    ]


def order_serialize(
    order: Order,
    lines: list[OrderLine],
    fulfillment_orders: list[tuple[FulfillmentOrder, str]],
    fulfillment_lines: list[FulfillmentLine],
) -> dict:
    c = order.currency
    codes = {fo.pk: code for fo, code in fulfillment_orders}
    by_fo: dict[int, list[FulfillmentLine]] = defaultdict(list)
    by_line: dict[int, list[FulfillmentLine]] = defaultdict(list)
    for fl in fulfillment_lines:
        if fl.fulfillment_order_id in codes:
            by_fo[fl.fulfillment_order_id].append(fl)
            by_line[fl.order_line_id].append(fl)
    line_nos = {line.pk: line.line_no for line in lines}
    return {
        "id": order.pk,
        "channel": order.channel.code,
        "external_id": order.external_id,
        "status": order.status,
        "version": order.version,
        "currency": c,
        "customer_id": order.customer_id,
        "email": order.email,
        "phone": order.phone,
        "delivery_method": order.delivery_method,
        "pickup_location": order.pickup_location.code if order.pickup_location else None,
        "origin_location": order.origin_location.code if order.origin_location else None,
        "promised_delivery": order.promised_delivery,
        "shipping_address": order.shipping_address,
        "billing_address": order.billing_address,
        "subtotal": money_str(order.subtotal, c),
        "discount_total": money_str(order.discount_total, c),
        "tax_total": money_str(order.tax_total, c),
        "shipping_price": money_str(order.shipping_price, c),
        "shipping_tax": money_str(order.shipping_tax, c),
        "grand_total": money_str(order.grand_total, c),
        "current_total": money_str(order.current_total, c),
        "tags": order.tags,
        "placed_at": order.placed_at,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "lines": [_line_out(line, c, by_line[line.pk], codes) for line in lines],
        "fulfillment_orders": [
            _fulfillment_out(fo, code, by_fo[fo.pk], line_nos) for fo, code in fulfillment_orders
        ],
    }


def _line_out(line: OrderLine, c: str, held: list[FulfillmentLine], codes: dict) -> dict:
    return {
        "line_no": line.line_no,
        "sku": line.sku_code,
        "name": line.name,
        "external_id": line.external_id,
        "quantity": line.quantity_ordered,
        "quantity_cancelled": line.quantity_cancelled,
        "quantity_backordered": line.quantity_backordered,
        "quantity_allocated": line.quantity_allocated,
        "quantity_shipped": line.quantity_shipped,
        "quantity_delivered": line.quantity_delivered,
        "quantity_returned": line.quantity_returned,
        "unit_price": money_str(line.unit_price, c),
        "line_discount": money_str(line.line_discount, c),
        "order_discount": money_str(line.order_discount, c),
        "tax": money_str(line.tax, c),
        "tax_rate": None if line.tax_rate is None else str(line.tax_rate),
        "tax_rate_name": line.tax_rate_name,
        "total": money_str(line.total, c),
        "allocations": [
            {"location": codes[fl.fulfillment_order_id], "quantity": fl.open}
            for fl in held
            if fl.open
        ],
    }


def _fulfillment_out(
    fo: FulfillmentOrder, code: str, lines: list[FulfillmentLine], line_nos: dict[int, int]
) -> dict:
    return {
        "id": fo.pk,
        "location": code,
        "status": fo.status,
        "delivery_method": fo.delivery_method,
        "lines": [
            {
                "line_no": line_nos[fl.order_line_id],
                "quantity": fl.quantity,
                "quantity_open": fl.open,
                "quantity_shipped": fl.quantity_shipped,
                "quantity_rejected": fl.quantity_rejected,
                "quantity_cancelled": fl.quantity_cancelled,
            }
            for fl in lines
        ],
    }


def order_detail(*, order_id: int, scope: Scope = UNRESTRICTED) -> dict:
    return orders_serialize([order_get(order_id=order_id, scope=scope)])[0]


def order_timeline(*, order_id: int, scope: Scope = UNRESTRICTED) -> list[dict]:
    order = order_get(order_id=order_id, scope=scope)
    return [
        {
            "at": entry.created_at,
            "kind": entry.kind,
            "message": entry.message,
            "actor": entry.actor,
            "data": entry.data,
        }
        for entry in OrderTimelineEntry.objects.filter(order=order).order_by("id")
    ]


def order_changes(*, order_id: int, scope: Scope = UNRESTRICTED) -> list[dict]:
    """The order's change records (cancel, edit, ...), oldest first."""
    order = order_get(order_id=order_id, scope=scope)
    return [
        {
            "kind": change.kind,
            "version": change.version,
            "amount_delta": money_str(change.amount_delta, order.currency),
            "data": change.data,
            "reason": change.reason,
            "actor": change.actor,
            "created_at": change.created_at,
        }
        for change in OrderChange.objects.filter(order=order).order_by("id")
    ]


def order_customer_ids(*, scope: Scope, reach: str = READ) -> QuerySet[Order]:
    """The customer ids of the orders `scope` reaches (`reach`), as a subquery: serves the port
    `customers.ports.customers_of_orders_reached` (customers' scope filter)."""
    reached = Order.objects.filter(order_scope_q(scope, reach), customer_id__isnull=False)
    return reached.values("customer_id")


def order_contact(*, order_id: int) -> dict:
    """Whom an order's customer e-mails go to: its e-mail, the name on its shipping address
    (else its customer's), its number, its channel's code (whose e-mail template applies).
    Serves shipping's port `order_contact`."""
    order = Order.objects.select_related("customer", "channel").filter(pk=order_id).first()
    if order is None:
        raise NotFound("order", order_id)
    return _contact(order)


def _contact(order: Order) -> dict:
    name = str((order.shipping_address or {}).get("name") or "").strip()
    if not name and order.customer is not None:
        name = f"{order.customer.first_name} {order.customer.last_name}".strip()
    return {"id": order.pk, "email": order.email, "name": name, "number": order.external_id,
            "channel": order.channel.code}  # fmt: skip


def order_contact_by_number(*, number: str, channel: str = "", scope: Scope) -> dict:
    """`order_contact` of the order numbered `number` (in `channel` when named) that `scope`
    reaches, else 404 naming `order_number`; a number several channels share asks for the
    channel (422). Serves shipping's port `order_contact_by_number` (an e-mail's preview)."""
    orders = Order.objects.filter(order_scope_q(scope), external_id=number)
    if channel:
        orders = orders.filter(channel__code=channel)
    found = list(orders.select_related("customer", "channel").order_by("id")[:2])
    if not found:
        raise NotFound("order", number, field="order_number")
    if len(found) > 1:
        raise DomainError("order_number_ambiguous", f"Orders of several channels are numbered "
                          f"{number!r}: name the channel.", field="channel")  # fmt: skip
    return _contact(found[0])


def order_lines_paid(*, order_id: int) -> dict:
    """What the customer paid for each line, {"currency": str, "lines": {line_no: {"total":
    Decimal, "ordered": int, "unit_price": Decimal}}} (two queries). Serves shipping's port
    `order_lines_paid`: a parcel's customs declaration values its units by it, units given
    free by their price (docs/shipping.md, "Customs")."""
    currency = Order.objects.filter(pk=order_id).values_list("currency", flat=True).first()
    if currency is None:
        raise NotFound("order", order_id)
    rows = OrderLine.objects.filter(order_id=order_id).values_list(
        "line_no", "total", "quantity_ordered", "unit_price"
    )
    lines = {
        no: {"total": total, "ordered": ordered, "unit_price": price}
        for no, total, ordered, price in rows
    }
    return {"currency": currency, "lines": lines}


def order_tax_by_rate(*, order_id: int) -> list[dict]:
    """The order's line tax per rate it was taxed at (one query): what the console's tax panel
    and, later, invoices show. A null rate: the channel's tax, or no rate applied."""
    rows = (
        OrderLine.objects.filter(order_id=order_id)
        .values("tax_rate", "tax_rate_name")
        .annotate(lines=Count("id"), tax=Sum("tax"), total=Sum("total"))
        .order_by("-tax_rate", "tax_rate_name")
    )
    return list(rows)
