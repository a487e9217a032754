"""Write a `DemoData` into the database through the use cases, as a real integration would.

Catalog, places and customers go through their `*_create` services; stock arrives by
`stock_receive` (so the ledger has every movement); orders are captured by `order_capture`
(reserving stock, resolving customers) and some cancelled by `order_cancel`. Objects that exist
already (same code or e-mail, a receipt with the same reference) are kept, so loading twice only
adds what is missing; orders are exactly-once by (channel, external id) anyway.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ordino.catalog.models import Product, Sku
from ordino.catalog.services import product_create, sku_create
from ordino.channels.models import Channel
from ordino.channels.services import channel_create
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic
from ordino.customers.models import Customer
from ordino.customers.services import customer_address_add, customer_create
from ordino.demo.spec import DemoData
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import (
    fulfillment_accept,
    fulfillment_deliver,
    fulfillment_pack,
    fulfillment_picked_up,
    fulfillment_ready_for_pickup,
    fulfillment_ship,
)
from ordino.inventory.domain.operations import RECEIPT
from ordino.inventory.models import StockMovement
from ordino.inventory.services import stock_receive
from ordino.locations.models import Location, LocationGroup
from ordino.locations.services import location_create, location_group_create
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_cancel, order_capture

RECEIPTS_PER_TRANSACTION = 500


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    replayed_orders: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def demo_present(data: DemoData) -> bool:
    """Has this data set (recognised by its channels) been loaded into the database already?"""
    return Channel.objects.filter(code__in=[c.code for c in data.channels]).exists()


def demo_load(
    data: DemoData, *, actor: str = "demo", echo: Callable[[str], None] | None = None
) -> LoadReport:
    report = LoadReport()
    say = echo or (lambda _message: None)

    @contextmanager
    def step(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        report.seconds[name] = time.perf_counter() - started
        say(f"  {name:<10} {report.created.get(name, 0):>6} new   {report.seconds[name]:6.2f} s")

    with step("locations"), use_case_atomic():
        report.created["locations"] = places_load(data)
    with step("channels"), use_case_atomic():
        report.created["channels"] = channels_load(data)
    with step("catalog"), use_case_atomic():
        report.created["catalog"] = catalog_load(data)
    with step("customers"), use_case_atomic():
        report.created["customers"] = customers_load(data)
    with step("stock"):
        report.created["stock"] = stock_load(data, actor=actor)
    with step("orders"):
        ids = orders_load(data, actor=actor, report=report)
        report.created["orders"] = len(ids)
    with step("cancels"):
        report.created["cancels"] = cancels_load(data, ids, actor=actor, report=report)
    with step("fulfilment"):
        report.created["fulfilment"] = fulfillment_load(ids, actor=actor, report=report)
    return report


def places_load(data: DemoData) -> int:
    groups = set(LocationGroup.objects.values_list("code", flat=True))
    for code, name in data.location_groups:
        if code not in groups:
            location_group_create(code=code, name=name)
    existing = set(Location.objects.values_list("code", flat=True))
    created = 0
    for loc in data.locations:
        if loc.code in existing:
            continue
        location_create(
            code=loc.code,
            name=loc.name,
            kind=loc.kind,
            address_line1=loc.address_line1,
            city=loc.city,
            region=loc.region,
            postal_code=loc.postal_code,
            country=loc.country,
            latitude=loc.latitude,
            longitude=loc.longitude,
            ships=loc.ships,
            pickup=loc.pickup,
            priority=loc.priority,
            daily_capacity=loc.daily_capacity,
            groups=list(loc.groups),
        )
        created += 1
    return created


def channels_load(data: DemoData) -> int:
    existing = set(Channel.objects.values_list("code", flat=True))
    created = 0
    for ch in data.channels:
        if ch.code in existing:
            continue
        channel_create(
            code=ch.code,
            name=ch.name,
            kind=ch.kind,
            currency=ch.currency,
            stock_buffer=ch.stock_buffer,
            excluded_location_codes=list(ch.excluded_locations),
        )
        created += 1
    return created


def catalog_load(data: DemoData) -> int:
    products = set(Product.objects.values_list("code", flat=True))
    skus = set(Sku.objects.values_list("code", flat=True))
    created = 0
    # Simple SKUs first: a kit's components must exist before the kit.
    for product in sorted(data.products, key=lambda p: any(s.is_kit for s in p.skus)):
        if product.code not in products:
            product_create(
                code=product.code,
                name=product.name,
                description=product.description,
                tags=list(product.tags),
            )
        for sku in product.skus:
            if sku.code in skus:
                continue
            sku_create(
                product_code=product.code,
                code=sku.code,
                name=sku.name,
                kind=Sku.KIT if sku.is_kit else Sku.SIMPLE,
                barcode=sku.barcode,
                weight_grams=sku.weight_grams,
                length_mm=sku.length_mm,
                width_mm=sku.width_mm,
                height_mm=sku.height_mm,
                tags=list(sku.tags),
                components=list(sku.components) or None,
            )
            created += 1
    return created


def customers_load(data: DemoData) -> int:
    emails = set(Customer.objects.exclude(email="").values_list("email", flat=True))
    created = 0
    for c in data.customers:
        if c.email and c.email in emails:
            continue
        customer = customer_create(
            email=c.email,
            phone=c.phone,
            first_name=c.first_name,
            last_name=c.last_name,
            country=c.address.country,
        )
        customer_address_add(
            customer=customer,
            name=c.address.name,
            line1=c.address.line1,
            city=c.address.city,
            region=c.address.region,
            postal_code=c.address.postal_code,
            country=c.address.country,
            phone=c.phone,
            is_default=True,
        )
        created += 1
    return created


def stock_load(data: DemoData, *, actor: str) -> int:
    """Receive each receipt once: one whose reference is in the ledger already is skipped."""
    created = 0
    receipts = data.receipts
    for start in range(0, len(receipts), RECEIPTS_PER_TRANSACTION):
        batch = receipts[start : start + RECEIPTS_PER_TRANSACTION]
        with use_case_atomic():
            seen = set(
                StockMovement.objects.filter(
                    reason=RECEIPT, reference__in=[r.reference for r in batch]
                ).values_list("reference", flat=True)
            )
            for r in batch:
                if r.reference in seen:
                    continue
                stock_receive(
                    location_code=r.location,
                    sku_code=r.sku,
                    quantity=r.quantity,
                    actor=actor,
                    reference=r.reference,
                    note="Demo stock",
                )
                created += 1
    return created


def orders_load(data: DemoData, *, actor: str, report: LoadReport) -> dict[tuple[str, str], int]:
    """Capture each order in its own transaction, as the API would; a refusal is reported."""
    ids: dict[tuple[str, str], int] = {}
    for payload in data.orders:
        key = (payload["channel"], payload["external_id"])
        try:
            result = order_capture(
                command=OrderCreateIn.model_validate(payload).command(), actor=actor
            )
        except DomainError as exc:
            report.failures.append(f"order {key[0]}/{key[1]}: {exc.code}: {exc.message}")
            continue
        if result.replayed:
            report.replayed_orders += 1
        else:
            ids[key] = result.order.pk
    return ids


def cancels_load(
    data: DemoData, ids: dict[tuple[str, str], int], *, actor: str, report: LoadReport
) -> int:
    """Cancel what the data set cancels, for the orders this load captured (not replays)."""
    done = 0
    for cancel in data.cancels:
        order_id = ids.get((cancel.channel, cancel.external_id))
        if order_id is None:
            continue
        try:
            order_cancel(
                order_id=order_id,
                lines=list(cancel.lines) if cancel.lines is not None else None,
                reason=cancel.reason,
                actor=actor,
            )
        except DomainError as exc:
            report.failures.append(
                f"cancel {cancel.channel}/{cancel.external_id}: {exc.code}: {exc.message}"
            )
            continue
        done += 1
    return done


# How far along the demo's fulfillment orders are, by a stable digest of the order's key:
# most older work is done, some is in the warehouse's hands, some waits in the queue.
PROGRESS = ("open", "accepted", "packed", "shipped", "delivered", "delivered", "delivered")


def fulfillment_load(ids: dict[tuple[str, str], int], *, actor: str, report: LoadReport) -> int:
    """Move the captured orders' fulfillment orders along (accept, pack, ship, deliver; ready
    and picked up at the counter for pickups), through the use cases like staff would."""
    moved = 0
    fos = FulfillmentOrder.objects.filter(order_id__in=ids.values(), status="open").order_by("id")
    for fo in fos.values("id", "order__external_id", "delivery_method", "order__raw_payload"):
        digest = int(hashlib.sha256(fo["order__external_id"].encode()).hexdigest(), 16)
        stage = _olist_stage(fo["order__raw_payload"]) or PROGRESS[digest % len(PROGRESS)]
        try:
            moved += _fulfillment_advance(fo["id"], fo["delivery_method"], stage, digest, actor)
        except DomainError as exc:
            report.failures.append(f"fulfillment {fo['id']}: {exc.code}: {exc.message}")
    return moved


# A replayed Olist order goes as far as it went in real life.
OLIST_STAGES = {
    "delivered": "delivered",
    "shipped": "shipped",
    "invoiced": "packed",
    "processing": "accepted",
    "approved": "accepted",
    "created": "open",
}


def _olist_stage(raw: dict | None) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("order"), dict):
        return None
    return OLIST_STAGES.get(raw["order"].get("order_status", ""))


def _fulfillment_advance(fo_id: int, method: str, stage: str, digest: int, actor: str) -> int:
    if stage == "open":
        return 0
    fulfillment_accept(fo_id=fo_id, actor=actor)
    if stage == "accepted":
        return 1
    fulfillment_pack(fo_id=fo_id, actor=actor)
    if stage == "packed":
        return 1
    if method == "pickup":
        ready = fulfillment_ready_for_pickup(fo_id=fo_id, actor=actor)
        if stage == "delivered":
            fulfillment_picked_up(fo_id=fo_id, pickup_code=ready.pickup_code, actor=actor)
        return 1
    fulfillment_ship(
        fo_id=fo_id,
        carrier="DHL" if digest % 2 else "UPS",
        service="parcel",
        tracking_numbers=[f"DEMO{digest % 10**10:010d}"],
        actor=actor,
    )
    if stage == "delivered":
        fulfillment_deliver(fo_id=fo_id, actor=actor)
    return 1
