"""One example's world (a channel, three locations, three SKUs and a kit, all with fresh codes so
examples never see each other's stock) and a read of everything it holds.

`world_read` loads the example's rows in a handful of queries; `Snapshot.fingerprint` is what
"a refused call changes nothing" compares.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from ordino.catalog.models import Sku
from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.inventory.models import StockBalance, StockMovement, StockTransfer
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry
from tests.factories import make_channel, make_kit, make_location, make_sku

_EXAMPLES = itertools.count(1)

KIT_RECIPE = {"A": 1, "B": 2}  # the kit K consumes one A and two B per item
SIMPLE = ("A", "B", "C")
ALL_SKUS = (*SIMPLE, "K")
LOCATIONS = ("WA", "WB", "ST")  # two warehouses, one store (pickup)


@dataclass
class World:
    prefix: str
    channel_id: int
    channel_code: str
    location_ids: dict[str, int]  # short name → id
    location_codes: dict[str, str]
    sku_ids: dict[str, int]
    sku_codes: dict[str, str]

    @property
    def component_ids(self) -> list[int]:
        return [self.sku_ids[s] for s in SIMPLE]

    def sku_short(self, sku_id: int) -> str:
        return next(k for k, v in self.sku_ids.items() if v == sku_id)

    def loc_short(self, location_id: int) -> str:
        return next(k for k, v in self.location_ids.items() if v == location_id)


def world_create() -> World:
    prefix = f"SM{next(_EXAMPLES)}"
    channel = make_channel(f"{prefix}-web", currency="EUR")
    locations = {
        "WA": make_location(f"{prefix}-WA", priority=10),
        "WB": make_location(f"{prefix}-WB", priority=20),
        "ST": make_location(f"{prefix}-ST", kind=Location.STORE, priority=30),
    }
    skus: dict[str, Sku] = {s: make_sku(f"{prefix}-{s}") for s in SIMPLE}
    skus["K"] = make_kit(f"{prefix}-K", [(skus[c], per) for c, per in KIT_RECIPE.items()])
    return World(
        prefix=prefix,
        channel_id=channel.pk,
        channel_code=channel.code,
        location_ids={k: v.pk for k, v in locations.items()},
        location_codes={k: v.code for k, v in locations.items()},
        sku_ids={k: v.pk for k, v in skus.items()},
        sku_codes={k: v.code for k, v in skus.items()},
    )


@dataclass(frozen=True)
class Balance:
    on_hand: int
    committed: int
    safety_stock: int
    unavailable: int
    incoming: int

    @property
    def free(self) -> int:
        """Physically there and promised to nobody (safety stock included)."""
        return self.on_hand - self.committed - self.unavailable

    @property
    def sellable(self) -> int:
        return self.on_hand - self.committed - self.unavailable - self.safety_stock


@dataclass(frozen=True)
class OrderRow:
    id: int
    status: str
    version: int
    currency: str
    delivery_method: str
    grand_total: Decimal
    current_total: Decimal
    shipping: Decimal  # shipping price + shipping tax
    pickup_location_id: int | None


@dataclass(frozen=True)
class LineRow:
    id: int
    order_id: int
    line_no: int
    sku_id: int
    components: dict[int, int]
    ordered: int
    cancelled: int
    backordered: int
    allocated: int
    shipped: int
    delivered: int
    returned: int
    total: Decimal


@dataclass(frozen=True)
class FoRow:
    id: int
    order_id: int
    location_id: int
    status: str
    version: int
    delivery_method: str


@dataclass(frozen=True)
class FlRow:
    id: int
    fo_id: int
    order_line_id: int
    components: dict[int, int]
    quantity: int
    shipped: int
    rejected: int
    cancelled: int

    @property
    def open(self) -> int:
        return self.quantity - self.shipped - self.rejected - self.cancelled


@dataclass
class Snapshot:
    balances: dict[tuple[int, int], Balance]
    orders: dict[int, OrderRow]
    lines: dict[int, LineRow]
    changes: dict[int, tuple[int, Decimal]]  # order id → (how many, sum of amount_delta)
    fos: dict[int, FoRow]
    fls: dict[int, FlRow]
    transfers: dict[int, tuple[int, int, str]]  # id → (quantity, received, status)
    counts: tuple[int, ...] = field(default_factory=tuple)

    def balance(self, location_id: int, sku_id: int) -> Balance:
        return self.balances.get((location_id, sku_id), Balance(0, 0, 0, 0, 0))

    def fingerprint(self) -> tuple:
        return (
            sorted(self.balances.items()),
            sorted(self.orders.items()),
            sorted(self.lines.items(), key=lambda kv: kv[0]),
            sorted(self.changes.items()),
            sorted(self.fos.items()),
            sorted(self.fls.items(), key=lambda kv: kv[0]),
            sorted(self.transfers.items()),
            self.counts,
        )

    def lines_of(self, order_id: int) -> list[LineRow]:
        return sorted(
            (line for line in self.lines.values() if line.order_id == order_id),
            key=lambda line: line.line_no,
        )

    def fls_of(self, fo_id: int) -> list[FlRow]:
        return sorted((fl for fl in self.fls.values() if fl.fo_id == fo_id), key=lambda f: f.id)


def _components(raw: dict) -> dict[int, int]:
    return {int(k): int(v) for k, v in (raw or {}).items()}


def world_read(world: World) -> Snapshot:
    """Everything of this example, in nine queries."""
    loc_ids = list(world.location_ids.values())
    balances = {
        (loc, sku): Balance(*rest)
        for loc, sku, *rest in StockBalance.objects.filter(location_id__in=loc_ids).values_list(
            "location_id",
            "sku_id",
            "on_hand",
            "committed",
            "safety_stock",
            "unavailable",
            "incoming",
        )
    }
    orders = {
        row[0]: OrderRow(*row[:7], shipping=row[7] + row[8], pickup_location_id=row[9])
        for row in Order.objects.filter(channel_id=world.channel_id).values_list(
            "id",
            "status",
            "version",
            "currency",
            "delivery_method",
            "grand_total",
            "current_total",
            "shipping_price",
            "shipping_tax",
            "pickup_location_id",
        )
    }
    lines = {
        row[0]: LineRow(*row[:4], _components(row[4]), *row[5:])
        for row in OrderLine.objects.filter(order__channel_id=world.channel_id).values_list(
            "id",
            "order_id",
            "line_no",
            "sku_id",
            "components",
            "quantity_ordered",
            "quantity_cancelled",
            "quantity_backordered",
            "quantity_allocated",
            "quantity_shipped",
            "quantity_delivered",
            "quantity_returned",
            "total",
        )
    }
    changes: dict[int, tuple[int, Decimal]] = {}
    for order_id, delta in OrderChange.objects.filter(
        order__channel_id=world.channel_id
    ).values_list("order_id", "amount_delta"):
        n, total = changes.get(order_id, (0, Decimal(0)))
        changes[order_id] = (n + 1, total + delta)
    fos = {
        row[0]: FoRow(*row)
        for row in FulfillmentOrder.objects.filter(order__channel_id=world.channel_id).values_list(
            "id", "order_id", "location_id", "status", "version", "delivery_method"
        )
    }
    fls = {
        row[0]: FlRow(row[0], row[1], row[2], _components(row[3]), *row[4:])
        for row in FulfillmentLine.objects.filter(
            fulfillment_order__order__channel_id=world.channel_id
        ).values_list(
            "id",
            "fulfillment_order_id",
            "order_line_id",
            "components",
            "quantity",
            "quantity_shipped",
            "quantity_rejected",
            "quantity_cancelled",
        )
    }
    transfers = {
        pk: (qty, received, status)
        for pk, qty, received, status in StockTransfer.objects.filter(
            source_id__in=loc_ids
        ).values_list("id", "quantity", "quantity_received", "status")
    }
    counts = (
        StockMovement.objects.filter(location_id__in=loc_ids).count(),
        Shipment.objects.filter(fulfillment_order__order__channel_id=world.channel_id).count(),
        OrderTimelineEntry.objects.filter(order__channel_id=world.channel_id).count(),
        OutboxEvent.objects.count(),
    )
    return Snapshot(balances, orders, lines, changes, fos, fls, transfers, counts)


def snapshot_diff(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs between two snapshots, in words (for failure messages)."""
    out = []
    for name in ("balances", "orders", "lines", "changes", "fos", "fls", "transfers"):
        a, b = getattr(before, name), getattr(after, name)
        for key in sorted(a.keys() | b.keys(), key=str):
            if a.get(key) != b.get(key):
                out.append(f"{name}[{key}]: {a.get(key)} → {b.get(key)}")
    if before.counts != after.counts:
        out.append(f"(movements, shipments, timeline, events): {before.counts} → {after.counts}")
    return out
