"""Django-side steps of the races, run in a child process against the race's own database
(see live.django_call): seed the shop, then read back the facts the test asserts on."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from ordino.accounts.services import token_create
from ordino.catalog.models import Product, Sku
from ordino.channels.models import Channel
from ordino.inventory import services as inventory
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockBalance
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderLine

try:  # per-location allocation rows; the fulfillment module may take their place
    from ordino.orders.models import OrderAllocation
except ImportError:  # pragma: no cover - depends on the state of the orders module
    OrderAllocation = None


def seed(*, skus: int, locations: int, units: int) -> dict:
    """A web channel in EUR, `locations` warehouses, `skus` SKUs with `units` of each at each
    location (received through the ledger), and a full-scope token."""
    Channel.objects.create(code="web", name="Web shop", kind="web", currency="EUR")
    locs = [
        Location.objects.create(
            code=f"WH-{i + 1}",
            name=f"Warehouse {i + 1}",
            kind=Location.WAREHOUSE,
            country="DE",
            ships=True,
            priority=10 * (i + 1),
        )
        for i in range(locations)
    ]
    codes = []
    for i in range(skus):
        code = f"SKU-{i + 1:02d}"
        product = Product.objects.create(code=f"P-{code}", name=f"Product {code}")
        sku = Sku.objects.create(product=product, code=code, name=f"Item {code}")
        codes.append(code)
        movements_apply(
            [Movement(loc.pk, sku.pk, EXTERNAL, AVAILABLE, units) for loc in locs],
            context=LedgerContext(reason="receive", actor="race", reference="seed"),
        )
    return {"token": token_create(name="race", scopes="*").secret, "skus": codes}


def ledger_check() -> dict:
    result = inventory.inventory_check()
    return {"ok": result.ok, "output": repr(result.differences)}


def facts() -> dict:
    """Everything the race asserts on, read in one go."""
    orders = Order.objects.aggregate(n=Count("id"), external=Count("external_id", distinct=True))
    duplicates = list(
        Order.objects.values("channel_id", "external_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("external_id", flat=True)[:10]
    )
    lines = list(
        OrderLine.objects.values_list(
            "order__external_id",
            "sku_code",
            "quantity_ordered",
            "quantity_cancelled",
            "quantity_allocated",
            "quantity_backordered",
        )
    )
    mismatched_allocations = []
    if OrderAllocation is not None:
        allocations = OrderAllocation.objects.values("line_id").annotate(q=Sum("quantity"))
        allocated_by_line = {row["line_id"]: row["q"] for row in allocations}
        line_allocated = dict(OrderLine.objects.values_list("id", "quantity_allocated"))
        mismatched_allocations = sorted(
            pk for pk, q in line_allocated.items() if allocated_by_line.get(pk, 0) != q
        )
    reserved: dict[str, int] = defaultdict(int)
    for _ext, sku, _ordered, _cancelled, allocated, _back in lines:
        reserved[sku] += allocated
    balances = [
        {
            "location": loc,
            "sku": sku,
            "on_hand": on_hand,
            "committed": committed,
            "safety_stock": safety,
            "unavailable": unavailable,
        }
        for loc, sku, on_hand, committed, safety, unavailable in StockBalance.objects.values_list(
            "location__code", "sku__code", "on_hand", "committed", "safety_stock", "unavailable"
        )
    ]
    statuses = dict(
        Order.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "orders": orders["n"],
        "distinct_external_ids": orders["external"],
        "duplicates": duplicates,
        "lines": [list(row) for row in lines],
        "reserved_by_sku": dict(reserved),
        "mismatched_allocations": mismatched_allocations[:10],
        "balances": balances,
        "statuses": statuses,
    }


def stock_facts() -> dict:
    """Per balance: committed versus the order allocations that hold it; per order reference:
    units reserved and released in the ledger."""
    from ordino.inventory.models import StockMovement

    held: dict[tuple[int, int], int] = defaultdict(int)
    if OrderAllocation is not None:
        for loc, sku, qty in OrderAllocation.objects.values_list(
            "location_id", "sku_id", "quantity"
        ):
            held[(loc, sku)] += qty
    mismatched = [
        [loc, sku, committed, held.get((loc, sku), 0)]
        for loc, sku, committed in StockBalance.objects.values_list(
            "location_id", "sku_id", "committed"
        )
        if OrderAllocation is not None and committed != held.get((loc, sku), 0)
    ]
    moved: dict[str, dict[str, int]] = defaultdict(lambda: {"reserve": 0, "release": 0})
    for reference, reason, qty in StockMovement.objects.filter(
        reason__in=("reserve", "release")
    ).values_list("reference", "reason", "quantity"):
        moved[reference][reason] += qty
    return {"committed_not_held": mismatched, "ledger_by_order": dict(moved)}
