"""Django-side steps of the races, run in a child process against the race's own database
(see live.django_call): seed the shop, then read back the facts the test asserts on."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from ordino.accounts.services import token_create
from ordino.catalog.models import KitComponent, Product, Sku
from ordino.channels.models import Channel
from ordino.fulfillment.models import FulfillmentLine
from ordino.inventory import services as inventory
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockBalance
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderLine


def seed(*, skus: int, locations: int, units: int, kits: int = 0) -> dict:
    """A web channel in EUR, `locations` warehouses, `skus` SKUs with `units` of each at each
    location (received through the ledger), `kits` kits of two of those SKUs each (1 + 2 units),
    and a full-scope token."""
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
    simple = list(Sku.objects.filter(code__in=codes).order_by("code"))
    kit_codes = []
    for i in range(kits):
        code = f"KIT-{i + 1:02d}"
        product = Product.objects.create(code=f"P-{code}", name=f"Kit {code}")
        kit = Sku.objects.create(product=product, code=code, name=f"Kit {code}", kind=Sku.KIT)
        first, second = simple[(2 * i) % len(simple)], simple[(2 * i + 1) % len(simple)]
        KitComponent.objects.create(kit=kit, component=first, quantity=1)
        KitComponent.objects.create(kit=kit, component=second, quantity=2)
        kit_codes.append(code)
    return {
        "token": token_create(name="race", scopes="*").secret,
        "skus": codes,
        "kits": kit_codes,
    }


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
    open_by_line: dict[int, int] = defaultdict(int)
    for line_id, _loc, _components, open_items in _fulfillment_lines():
        open_by_line[line_id] += open_items
    line_allocated = dict(OrderLine.objects.values_list("id", "quantity_allocated"))
    # a line's allocated items are exactly the open items of its fulfillment lines
    mismatched_allocations = sorted(
        pk for pk, q in line_allocated.items() if open_by_line.get(pk, 0) != q
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


def _fulfillment_lines() -> list[tuple[int, int, dict, int]]:
    """(order line, location, components, open items) of every fulfillment line."""
    rows = FulfillmentLine.objects.values_list(
        "order_line_id",
        "fulfillment_order__location_id",
        "components",
        "quantity",
        "quantity_shipped",
        "quantity_rejected",
        "quantity_cancelled",
    )
    return [
        (line, loc, components, quantity - shipped - rejected - cancelled)
        for line, loc, components, quantity, shipped, rejected, cancelled in rows
    ]


def reservations_held() -> dict[tuple[int, int], int]:
    """Units held per (location, sku) by open fulfillment-line items: open × components."""
    held: dict[tuple[int, int], int] = defaultdict(int)
    for _line, loc, components, open_items in _fulfillment_lines():
        for sku, per in components.items():
            held[(loc, int(sku))] += open_items * per
    return held


def stock_facts() -> dict:
    """Per balance: committed versus the open fulfillment-line items that hold it (a difference
    is an orphaned or a missing reservation); per order reference: units reserved and released
    in the ledger."""
    from ordino.inventory.models import StockMovement

    held = reservations_held()
    balances = dict(
        ((loc, sku), committed)
        for loc, sku, committed in StockBalance.objects.values_list(
            "location_id", "sku_id", "committed"
        )
    )
    mismatched = [
        [loc, sku, balances.get((loc, sku), 0), held.get((loc, sku), 0)]
        for loc, sku in sorted(balances.keys() | held.keys())
        if balances.get((loc, sku), 0) != held.get((loc, sku), 0)
    ]
    moved: dict[str, dict[str, int]] = defaultdict(lambda: {"reserve": 0, "release": 0})
    for reference, reason, qty in StockMovement.objects.filter(
        reason__in=("reserve", "release")
    ).values_list("reference", "reason", "quantity"):
        moved[reference][reason] += qty
    return {
        "committed_not_held": mismatched,
        "committed": sum(balances.values()),
        "held": sum(held.values()),
        "ledger_by_order": dict(moved),
    }


def orders_by_external_id() -> dict[str, list[int]]:
    """Every order's id under its external id (several ids: a duplicate)."""
    found: dict[str, list[int]] = defaultdict(list)
    for ext, pk in Order.objects.values_list("external_id", "id").order_by("id"):
        found[ext].append(pk)
    return dict(found)


def idempotency_facts() -> dict:
    """Idempotency keys by state, and how many claims were taken over after their lease."""
    from django.db.models import F

    from ordino.accounts.models import IdempotencyKey

    states = dict(
        IdempotencyKey.objects.values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    taken_over = IdempotencyKey.objects.filter(claimed_at__gt=F("created_at")).count()
    return {"states": states, "taken_over": taken_over}
