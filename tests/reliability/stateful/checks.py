"""The invariants of the stateful model test, as plain functions over a `Snapshot`.

Each returns a list of problems in words (empty when the invariant holds), so one failing step
reports everything that is wrong at once.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ordino.orders.domain.pricing import cancelled_amount
from tests.reliability.stateful.world import Snapshot

# Fulfillment statuses in which a fulfillment order still has work to do at its location.
WORKING = frozenset({"open", "accepted", "picking", "packed", "on_hold"})
CLOSED = frozenset({"shipped", "delivered", "picked_up", "rejected", "cancelled"})
HANDED_OVER = frozenset({"delivered", "picked_up"})


def balances_sound(snap: Snapshot) -> list[str]:
    """No negative quantity, nothing committed or unavailable that is not on hand."""
    problems = []
    for key, b in sorted(snap.balances.items()):
        if min(b.on_hand, b.committed, b.safety_stock, b.unavailable, b.incoming) < 0:
            problems.append(f"balance {key} has a negative quantity: {b}")
        if b.committed > b.on_hand - b.unavailable:
            problems.append(f"balance {key} is oversold: committed > on hand − unavailable: {b}")
    return problems


def reservations_match(snap: Snapshot) -> list[str]:
    """committed at (location, SKU) = Σ open items × units per item over the fulfillment lines
    there: no orphaned reservation, none missing."""
    held: dict[tuple[int, int], int] = defaultdict(int)
    for fl in snap.fls.values():
        location_id = snap.fos[fl.fo_id].location_id
        for sku, per in fl.components.items():
            held[(location_id, sku)] += fl.open * per
    problems = []
    for key in sorted(set(held) | set(snap.balances)):
        committed = snap.balance(*key).committed
        if committed != held.get(key, 0):
            problems.append(
                f"(location, sku) {key}: committed {committed} but open fulfillment lines "
                f"hold {held.get(key, 0)}"
            )
    return problems


def fulfillment_lines_sound(snap: Snapshot) -> list[str]:
    problems = []
    for fl in snap.fls.values():
        if min(fl.shipped, fl.rejected, fl.cancelled, fl.open) < 0 or fl.quantity <= 0:
            problems.append(f"fulfillment line {fl}: buckets do not add up to its quantity")
        line = snap.lines[fl.order_line_id]
        if line.components and fl.components != line.components:
            problems.append(
                f"fulfillment line {fl.id} consumes {fl.components}, its order line "
                f"{line.components}"
            )
    return problems


def fulfillment_orders_sound(snap: Snapshot) -> list[str]:
    """A fulfillment order's status agrees with its lines."""
    problems = []
    for fo in snap.fos.values():
        fls = snap.fls_of(fo.id)
        open_items = sum(fl.open for fl in fls)
        shipped = sum(fl.shipped for fl in fls)
        if fo.status in CLOSED and open_items:
            problems.append(f"fulfillment order {fo.id} is {fo.status} with {open_items} open")
        if fo.status in WORKING and not open_items:
            problems.append(
                f"fulfillment order {fo.id} is {fo.status} with nothing open: stuck"
                + (", after a partial shipment, and never deliverable" if shipped else "")
            )
        if fo.status in {"rejected", "cancelled"} and shipped:
            problems.append(f"fulfillment order {fo.id} is {fo.status} but shipped {shipped}")
        order = snap.orders[fo.order_id]
        if fo.delivery_method != order.delivery_method:
            problems.append(f"fulfillment order {fo.id} is {fo.delivery_method}, order isn't")
        if order.delivery_method == "pickup" and fo.location_id != order.pickup_location_id:
            problems.append(f"pickup order {order.id} reserved away from its store: FO {fo.id}")
    return problems


def order_lines_sound(snap: Snapshot) -> list[str]:
    """Buckets add up; the order line and its fulfillment lines tell the same story."""
    per_line: dict[int, list] = defaultdict(list)
    for fl in snap.fls.values():
        per_line[fl.order_line_id].append(fl)
    problems = []
    for line in snap.lines.values():
        buckets = (line.cancelled, line.backordered, line.allocated, line.shipped)
        if min(*buckets, line.delivered, line.returned) < 0:
            problems.append(f"order line {line.id}: a negative bucket: {line}")
        if line.ordered != sum(buckets):
            problems.append(
                f"order line {line.id}: ordered {line.ordered} ≠ cancelled + backordered + "
                f"allocated + shipped {buckets}"
            )
        if line.delivered > line.shipped:
            problems.append(f"order line {line.id}: delivered {line.delivered} > shipped")
        fls = per_line[line.id]
        open_items = sum(fl.open for fl in fls)
        if line.allocated != open_items:
            problems.append(
                f"order line {line.id}: allocated {line.allocated} but its fulfillment lines "
                f"have {open_items} open"
            )
        shipped = sum(fl.shipped for fl in fls)
        if line.shipped != shipped:
            problems.append(
                f"order line {line.id}: shipped {line.shipped} but its fulfillment lines "
                f"shipped {shipped}"
            )
        handed = sum(fl.shipped for fl in fls if snap.fos[fl.fo_id].status in HANDED_OVER)
        if line.delivered != handed:
            problems.append(
                f"order line {line.id}: delivered {line.delivered} but its delivered or "
                f"picked-up fulfillment orders shipped {handed}"
            )
    return problems


def expected_status(snap: Snapshot, order_id: int) -> str:
    """The status the order's buckets call for (the model's own reading of the state table)."""
    lines = snap.lines_of(order_id)
    ordered = sum(line.ordered for line in lines)
    cancelled = sum(line.cancelled for line in lines)
    shipped = sum(line.shipped for line in lines)
    delivered = sum(line.delivered for line in lines)
    if cancelled == ordered:
        return "cancelled"
    if shipped + cancelled == ordered:
        return "delivered" if delivered == shipped else "shipped"
    if shipped:
        return "partially_shipped"
    if sum(line.backordered for line in lines):
        return "backordered"
    return "allocated"


def orders_sound(snap: Snapshot) -> list[str]:
    """Money: current total = grand total + Σ change deltas = shipping + Σ line values, ≥ 0.
    Status: agrees with the buckets."""
    problems = []
    for order in snap.orders.values():
        n, deltas = snap.changes.get(order.id, (0, Decimal(0)))
        if order.current_total != order.grand_total + deltas:
            problems.append(
                f"order {order.id}: current total {order.current_total} ≠ grand total "
                f"{order.grand_total} + Σ {n} change(s) {deltas}"
            )
        if order.current_total < 0:
            problems.append(f"order {order.id}: current total {order.current_total} < 0")
        lines = snap.lines_of(order.id)
        value = order.shipping + sum(
            (
                line.total
                - cancelled_amount(line.total, line.ordered, line.cancelled, order.currency)
                for line in lines
            ),
            Decimal(0),
        )
        if order.current_total != value:
            problems.append(
                f"order {order.id}: current total {order.current_total} ≠ shipping + the "
                f"lines' value {value}"
            )
        if [line.line_no for line in lines] != list(range(1, len(lines) + 1)):
            problems.append(f"order {order.id}: line numbers {[x.line_no for x in lines]}")
        expected = expected_status(snap, order.id)
        if order.status != expected:
            problems.append(
                f"order {order.id} is {order.status}, its buckets say {expected}: "
                + "; ".join(
                    f"line {x.line_no} o{x.ordered} c{x.cancelled} b{x.backordered} "
                    f"a{x.allocated} s{x.shipped} d{x.delivered}"
                    for x in lines
                )
            )
    return problems


ALL = (
    balances_sound,
    reservations_match,
    fulfillment_lines_sound,
    fulfillment_orders_sound,
    order_lines_sound,
    orders_sound,
)
