"""Plain descriptions of a demo data set: what to create, before anything touches the database.

A generator (synthetic, Olist) builds a `DemoData`; `ordino.demo.load` writes it through the
services. Everything here is plain Python, so a data set can be compared, counted and tested
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SkuSpec:
    code: str
    name: str
    price: Decimal  # list price in the catalog currency, 2 decimals
    barcode: str = ""
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    tags: tuple[str, ...] = ()
    components: tuple[tuple[str, int], ...] = ()  # (component SKU code, quantity) for a kit

    @property
    def is_kit(self) -> bool:
        return bool(self.components)


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    description: str
    tags: tuple[str, ...]
    skus: tuple[SkuSpec, ...]


@dataclass(frozen=True)
class LocationSpec:
    code: str
    name: str
    kind: str  # warehouse, store, dropship
    address_line1: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: Decimal
    longitude: Decimal
    ships: bool
    pickup: bool
    priority: int
    daily_capacity: int | None
    groups: tuple[str, ...]


@dataclass(frozen=True)
class ChannelSpec:
    code: str
    name: str
    kind: str
    currency: str
    stock_buffer: int = 0
    excluded_locations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddressSpec:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    region: str = ""

    def as_payload(self, phone: str = "") -> dict[str, Any]:
        payload = {
            "name": self.name,
            "line1": self.line1,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
        }
        if phone:
            payload["phone"] = phone
        return payload


@dataclass(frozen=True)
class CustomerSpec:
    email: str
    phone: str
    first_name: str
    last_name: str
    address: AddressSpec
    external_id: str = ""


@dataclass(frozen=True)
class ReceiptSpec:
    location: str
    sku: str
    quantity: int
    reference: str


@dataclass(frozen=True)
class CancelSpec:
    channel: str
    external_id: str
    reason: str
    lines: tuple[tuple[int, int], ...] | None = None  # (line_no, quantity); None: everything


@dataclass
class DemoData:
    """One demo data set. `orders` are payloads for `OrderCreateIn` (Decimal money)."""

    name: str
    currency: str
    # The `now` its orders' dates were drawn for (synthetic); None: the data's own dates (Olist),
    # which the loader moves into the last weeks.
    as_of: datetime | None = None
    products: list[ProductSpec] = field(default_factory=list)
    location_groups: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    locations: list[LocationSpec] = field(default_factory=list)
    channels: list[ChannelSpec] = field(default_factory=list)
    customers: list[CustomerSpec] = field(default_factory=list)
    receipts: list[ReceiptSpec] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    cancels: list[CancelSpec] = field(default_factory=list)

    @property
    def skus(self) -> list[SkuSpec]:
        return [sku for product in self.products for sku in product.skus]

    def counts(self) -> dict[str, int]:
        skus = self.skus
        return {
            "products": len(self.products),
            "skus": len(skus),
            "kits": sum(1 for s in skus if s.is_kit),
            "locations": len(self.locations),
            "channels": len(self.channels),
            "customers": len(self.customers),
            "receipts": len(self.receipts),
            "orders": len(self.orders),
            "cancels": len(self.cancels),
        }


def ean13_check_digit(first12: str) -> int:
    """The GS1 check digit of a 12-digit EAN prefix: weights 1,3,1,3,... from the left."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(f"need 12 digits, got {first12!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def ean13(first12: str) -> str:
    return first12 + str(ean13_check_digit(first12))


def ean13_valid(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])
