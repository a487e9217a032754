"""What the store screen reads: the locations a user works at, their queue by tab, and the
cards (items, customer, age) of the fulfillment orders in a tab. Reads only, through the
scope of the console principal, so a user limited to a store never sees another's work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from ordino.catalog.models import Sku
from ordino.console.store.barcode import barcode_svg
from ordino.core.domain.clock import utcnow
from ordino.core.domain.scope import Scope
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.fulfillment.selectors import fulfillment_scope_q
from ordino.locations.models import Location

PICKUP_METHODS = ("pickup", "ship_to_store")
DONE_DAYS = 7  # the done tab looks back a week: what a store may be asked about at the counter
CARDS_PER_TAB = 50


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    q: Q  # which of a location's fulfillment orders are in it (see `location_q`)


def _arrived_here(location: Location) -> Q:
    """A ship-to-store parcel shipped to this store: it waits to be put at the counter."""
    return Q(status=fs.SHIPPED, delivery_method="ship_to_store", order__pickup_location=location)


def _done_q(location: Location) -> Q:
    finished = Q(status__in=[fs.DELIVERED, fs.PICKED_UP, fs.REJECTED, fs.CANCELLED])
    return finished | (Q(status=fs.SHIPPED) & ~_arrived_here(location))


def tabs_for(location: Location) -> tuple[Tab, ...]:
    """The tabs of a location's queue, in the order of the work."""
    return (
        Tab("accept", "To accept", Q(status__in=[fs.OPEN, fs.ON_HOLD])),
        Tab("pick", "To pick", Q(status=fs.ACCEPTED)),
        Tab("pack", "To pack & ship", Q(status__in=[fs.PICKING, fs.PACKED])),
        Tab(
            "pickup",
            "Ready for pickup",
            Q(status=fs.READY_FOR_PICKUP) | _arrived_here(location),
        ),
        Tab("done", "Done", _done_q(location)),
    )


def locations_for(scope: Scope) -> list[Location]:
    """The locations a user may choose: their own, or every active one when unlimited."""
    qs = Location.objects.order_by("code")
    if scope.location_ids is not None:
        return list(qs.filter(pk__in=scope.location_ids))
    return list(qs.filter(is_active=True)) or list(qs)


def location_q(location: Location) -> Q:
    """A store's queue: the work at its shelves, and the orders it hands over at its counter
    (a ship-to-store order shipped from a warehouse comes to it once shipped)."""
    hands_over = Q(delivery_method__in=PICKUP_METHODS, order__pickup_location=location)
    arrived = Q(status__in=[fs.SHIPPED, fs.READY_FOR_PICKUP, fs.PICKED_UP])
    return Q(location=location) | (hands_over & arrived)


def queue(scope: Scope, location: Location) -> QuerySet[FulfillmentOrder]:
    since = utcnow() - timedelta(days=DONE_DAYS)
    recent_or_open = ~_done_q(location) | Q(updated_at__gte=since)
    return FulfillmentOrder.objects.filter(
        fulfillment_scope_q(scope), location_q(location), recent_or_open
    )


def tab_counts(scope: Scope, location: Location) -> dict[str, int]:
    """How many fulfillment orders wait in each tab, in one query."""
    aggregates = {tab.key: Count("pk", filter=tab.q) for tab in tabs_for(location)}
    return queue(scope, location).aggregate(**aggregates)


@dataclass
class Item:
    line_no: int
    name: str
    sku: str
    barcode: str
    quantity: int
    open: int
    shipped: int
    rejected: int
    cancelled: int

    @property
    def scan(self):
        """A barcode to scan: the catalog's barcode, else the SKU (no product images yet)."""
        return barcode_svg(self.barcode or self.sku, height=40)


@dataclass
class Card:
    fo: FulfillmentOrder
    customer: str
    age: str
    items: list[Item] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(item.quantity for item in self.items)


def customer_name(order) -> str:
    customer = order.customer
    if customer is not None and (customer.first_name or customer.last_name):
        return f"{customer.first_name} {customer.last_name}".strip()
    address = order.shipping_address or {}
    return address.get("name") or (customer.email if customer else "") or order.email or "—"


def age(moment: datetime, now: datetime) -> str:
    """ "12 min ago", "3 h ago", "2 d ago": what a glance at a card needs."""
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return "just now" if minutes < 1 else f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} d ago"


def items_of(fo_ids: list[int]) -> dict[int, list[Item]]:
    """The items of fulfillment orders (two queries for any number of them)."""
    lines = list(
        FulfillmentLine.objects.filter(fulfillment_order_id__in=fo_ids)
        .select_related("order_line")
        .order_by("order_line__line_no")
    )
    barcodes = dict(
        Sku.objects.filter(pk__in={fl.order_line.sku_id for fl in lines}).values_list(
            "pk", "barcode"
        )
    )
    items: dict[int, list[Item]] = {pk: [] for pk in fo_ids}
    for fl in lines:
        ol = fl.order_line
        items[fl.fulfillment_order_id].append(
            Item(
                line_no=ol.line_no,
                name=ol.name or ol.sku_code,
                sku=ol.sku_code,
                barcode=barcodes.get(ol.sku_id, ""),
                quantity=fl.quantity,
                open=fl.open,
                shipped=fl.quantity_shipped,
                rejected=fl.quantity_rejected,
                cancelled=fl.quantity_cancelled,
            )
        )
    return items


def cards(scope: Scope, location: Location, tab: Tab) -> list[Card]:
    """The cards of a tab: oldest first while work waits, newest first once done."""
    order_by = "-updated_at" if tab.key == "done" else "created_at"
    fos = list(
        queue(scope, location)
        .filter(tab.q)
        .select_related("order__customer", "location", "order__pickup_location")
        .order_by(order_by, "pk")[:CARDS_PER_TAB]
    )
    return cards_of(fos)


def cards_of(fos: list[FulfillmentOrder]) -> list[Card]:
    now = utcnow()
    items = items_of([fo.pk for fo in fos])
    return [
        Card(
            fo=fo, customer=customer_name(fo.order), age=age(fo.created_at, now), items=items[fo.pk]
        )
        for fo in fos
    ]
