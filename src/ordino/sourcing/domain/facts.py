"""What the engine is told: the order (OrderFacts) and each candidate location (LocationFacts).

Plain immutable values, built by the caller from the database (or a hypothetical cart). The
engine never reaches further than these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from ordino.core.domain.errors import DomainError
from ordino.rules.domain.order_facts import ORDER_FACTS as RULE_ORDER_FACTS
from ordino.sourcing.domain.opening import Calendar

SHIP, PICKUP, SHIP_TO_STORE = "ship", "pickup", "ship_to_store"
DELIVERY_METHODS = frozenset({SHIP, PICKUP, SHIP_TO_STORE})  # as the rules' facts know them
WAREHOUSE, STORE, DROPSHIP = "warehouse", "store", "dropship"
LOCATION_KINDS = frozenset({WAREHOUSE, STORE, DROPSHIP})


@dataclass(frozen=True)
class Destination:
    """Where the parcel goes: the customer's address, or the store's for pickup / ship to store."""

    country: str
    region: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OrderLine:
    key: int
    sku_id: int
    quantity: int  # items (kits count as one item each)
    sku_tags: frozenset[str] = frozenset()
    components: Mapping[int, int] = field(default_factory=dict)  # sku → units per item; {} = sku

    def __post_init__(self) -> None:
        if self.quantity < 0:
            raise DomainError("invalid_quantity", f"Line {self.key}: quantity is negative.")
        parts = dict(self.components) or {self.sku_id: 1}
        if any(per < 1 for per in parts.values()):
            raise DomainError("invalid_kit", f"Line {self.key}: a component needs ≥ 1 unit.")
        object.__setattr__(self, "components", MappingProxyType(parts))
        object.__setattr__(self, "sku_tags", frozenset(self.sku_tags))


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    channel: str
    destination: Destination
    lines: tuple[OrderLine, ...]
    delivery_method: str = SHIP
    value: Decimal = Decimal(0)
    currency: str = "EUR"
    customer_tags: frozenset[str] = frozenset()
    pickup_location_id: int | None = None  # the store of a pickup or ship-to-store order

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "customer_tags", frozenset(self.customer_tags))
        if self.delivery_method not in DELIVERY_METHODS:
            raise DomainError(
                "invalid_delivery_method",
                f"Delivery method {self.delivery_method!r} is not one of "
                f"{', '.join(sorted(DELIVERY_METHODS))}.",
            )
        keys = [line.key for line in self.lines]
        if len(set(keys)) != len(keys):
            raise DomainError("duplicate_line_key", f"Order {self.order_id}: line keys repeat.")
        if self.delivery_method != SHIP and self.pickup_location_id is None:
            raise DomainError(
                "pickup_location_required",
                f"A {self.delivery_method} order names its store (pickup_location_id).",
            )

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class LocationFacts:
    id: int
    code: str
    kind: str = WAREHOUSE
    available: Mapping[int, int] = field(default_factory=dict)  # sku → available units
    groups: frozenset[str] = frozenset()
    priority: int = 100  # lower goes first
    country: str = ""
    region: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    ships: bool = True
    pickup: bool = False
    is_active: bool = True
    calendar: Calendar | None = None  # None: always open, no cut-off
    daily_capacity: int | None = None  # shipments per day; None: unlimited
    assigned_today: int = 0
    cost_per_shipment: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "available", MappingProxyType(dict(self.available)))
        object.__setattr__(self, "groups", frozenset(self.groups))

    @property
    def capacity_left(self) -> int | None:
        if self.daily_capacity is None:
            return None
        return max(0, self.daily_capacity - self.assigned_today)


# The order facts sourcing's conditions know (docs/design.md §5): the rules' own, which holds,
# approvals and case routing extend.
ORDER_FACTS = RULE_ORDER_FACTS


def order_fact_values(order: OrderFacts) -> dict[str, object]:
    """The values of ORDER_FACTS for one order."""
    sku_tags: frozenset[str] = frozenset().union(*(line.sku_tags for line in order.lines))
    return {
        "channel": order.channel,
        "delivery_method": order.delivery_method,
        "destination.country": order.destination.country,
        "destination.region": order.destination.region,
        "destination.postal_code": order.destination.postal_code,
        "order.value": order.value,
        "order.currency": order.currency,
        "order.lines": Decimal(len(order.lines)),
        "order.units": Decimal(order.units),
        "customer.tags": order.customer_tags,
        "lines.sku_tags": sku_tags,
    }
