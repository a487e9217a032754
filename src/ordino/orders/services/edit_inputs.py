"""What an order edit starts from, read and checked before anything is written: the lines as the
edit plan sees them (`edit_states`), the new shipping address (`address_check`) and the SKUs of
added lines (`skus_load`). The use case is `orders/services/edit.py`."""

from __future__ import annotations

from ordino.catalog.selectors import skus_consumption
from ordino.core.domain.errors import Conflict, DomainError
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentLine
from ordino.fulfillment.placement import components_of
from ordino.orders.commands import OrderAddress
from ordino.orders.domain.edit import LineState
from ordino.orders.models import OrderLine

# Fulfillment orders that hold nothing any more: they never lock a line.
_CLOSED_EMPTY = frozenset({fs.CANCELLED, fs.REJECTED})


def released_by(line: OrderLine, fulfillment_lines: list[FulfillmentLine]) -> str:
    """Why a location has the line already ("" when no location has started on it)."""
    if line.quantity_shipped:
        return f"{line.quantity_shipped} unit(s) shipped"
    for fl in fulfillment_lines:
        fo = fl.fulfillment_order
        if fl.order_line_id != line.pk or fo.status == fs.OPEN or fo.status in _CLOSED_EMPTY:
            continue
        if fl.open or fl.quantity_shipped:
            return f"fulfillment order {fo.pk} at {fo.location.code} is {fo.status}"
    return ""


def edit_states(line_rows, fulfillment_lines, holdings) -> list[LineState]:
    """The lines as the edit plan sees them. What one item consumes comes from the line's
    snapshot as sold, else its reservations', else the catalog."""
    snapshots: dict[int, dict[int, int]] = {}
    for line in line_rows:
        if line.components:
            snapshots[line.pk] = {int(sku): per for sku, per in line.components.items()}
    for fl in fulfillment_lines:
        snapshots.setdefault(fl.order_line_id, components_of(fl))
    missing = {line.sku_id for line in line_rows if line.pk not in snapshots}
    catalog = needs_load(missing)
    return [
        LineState(
            line_no=line.line_no,
            ordered=line.quantity_ordered,
            cancelled=line.quantity_cancelled,
            backordered=line.quantity_backordered,
            allocated=line.quantity_allocated,
            shipped=line.quantity_shipped,
            delivered=line.quantity_delivered,
            unit_price=line.unit_price,
            line_discount=line.line_discount,
            order_discount=line.order_discount,
            tax=line.tax,
            total=line.total,
            needs=snapshots.get(line.pk) or catalog[line.sku_id],
            holdings=[
                (h.pk, h.fulfillment_order.location_id, h.open)
                for h in holdings
                if h.order_line_id == line.pk and h.open
            ],
            released=released_by(line, fulfillment_lines),
        )
        for line in line_rows
    ]


def address_check(order, address: OrderAddress | None, line_rows, fulfillment_lines) -> dict | None:
    if address is None:
        return None
    if order.delivery_method != "ship":
        raise DomainError(
            "address_not_applicable",
            f"A {order.delivery_method} order has no shipping address to change.",
            field="shipping_address",
        )
    line_nos = {line.pk: line.line_no for line in line_rows}
    released = [
        {
            "field": "shipping_address",
            "code": "line_released",
            "message": f"Line {line_nos[fl.order_line_id]} is released: fulfillment order "
            f"{fl.fulfillment_order_id} at {fl.fulfillment_order.location.code} is "
            f"{fl.fulfillment_order.status}.",
        }
        for fl in fulfillment_lines
        if fl.fulfillment_order.status in fs.ACTIVE - {fs.OPEN} and fl.open
    ]
    if released:
        raise Conflict(
            "line_released",
            " ".join(r["message"] for r in released)
            + " The shipping address can no longer change.",
            errors=released,
        )
    value = address.as_stored()
    return None if value == order.shipping_address else value


def skus_load(codes: list[str]) -> dict[str, tuple[int, str, dict[int, int]]]:
    """Active SKUs by code: (id, name, what one item consumes)."""
    if not codes:
        return {}
    rows = {sku.code: sku for sku in skus_consumption(codes=set(codes), active_only=True)}
    errors = [
        {"field": f"add_lines.{i}.sku", "code": "sku_not_found", "message": f"No SKU {code!r}."}
        for i, code in enumerate(codes)
        if code not in rows
    ]
    errors += [
        {
            "field": f"add_lines.{i}.sku",
            "code": "kit_empty",
            "message": f"Kit {code} has no components to sell.",
        }
        for i, code in enumerate(codes)
        if code in rows and not rows[code].consumes
    ]
    if errors:
        raise DomainError("invalid_edit", "The edit has invalid fields.", errors=errors)
    return {code: (sku.id, sku.name, sku.consumes) for code, sku in rows.items()}


def needs_load(sku_ids: set[int]) -> dict[int, dict[int, int]]:
    """What one item of each SKU consumes: its kit components, or itself."""
    return {sku.id: sku.consumes for sku in skus_consumption(ids=sku_ids, active_only=False)}
