"""What each import kind reads: its fields, their types and bounds (docs/transfer.md, "Fields").

Text lengths are those the owning module stores (`tests/transfer/test_fields.py` holds them to
the models), so a too-long cell is refused with its row and column, never cut.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, CODE, INT, DECIMAL, DATETIME, TAGS, BOOL = (
    "text", "code", "int", "decimal", "datetime", "tags", "bool",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    name: str
    type: str = TEXT
    required: bool = False
    max_length: int = 255
    minimum: int = 0
    maximum: int = 1_000_000_000
    help: str = ""


def _f(name: str, type_: str = TEXT, *, req: bool = False, length: int = 255, **kw) -> Field:
    return Field(name, type_, required=req, max_length=length, **kw)


_ADDRESS = (
    _f("ship_name"),
    _f("ship_company"),
    _f("ship_line1"),
    _f("ship_line2"),
    _f("ship_city", length=128),
    _f("ship_region", length=128),
    _f("ship_postal_code", length=32),
    _f("ship_country", CODE, length=2),
    _f("ship_phone", length=20),
)

ORDER_FIELDS = (
    _f("channel", CODE, req=True, length=64),
    _f("external_id", req=True, length=128),
    _f("currency", CODE, req=True, length=3),
    _f("placed_at", DATETIME),
    _f("email", length=254),
    _f("phone", length=20),
    _f("first_name", length=128),
    _f("last_name", length=128),
    _f("customer_external_id", length=128),
    *_ADDRESS,
    _f("delivery_method", CODE, length=16),
    _f("pickup_location", CODE, length=64),
    _f("shipping_price", DECIMAL),
    _f("shipping_tax", DECIMAL),
    _f("discount", DECIMAL),
    _f("total", DECIMAL),
    _f("tags", TAGS, length=500),
    _f("payment_method", CODE, length=32),
    _f("payment_provider", CODE, length=32),
    # one line per row
    _f("sku", CODE, req=True, length=64),
    _f("quantity", INT, req=True, minimum=1, maximum=100_000),
    _f("unit_price", DECIMAL, req=True),
    _f("line_discount", DECIMAL),
    _f("line_tax", DECIMAL),
    _f("line_name", length=255),
    _f("line_external_id", length=128),
)
# What every row of one order repeats; a row that says otherwise is refused.
ORDER_HEADER = tuple(f.name for f in ORDER_FIELDS[:-7])

PRODUCT_FIELDS = (
    _f("product_code", CODE, req=True, length=64),
    _f("product_name", req=True, length=255),
    _f("description", length=10_000),
    _f("sku", CODE, req=True, length=64),
    _f("sku_name", length=255),
    _f("barcode", length=64),
    _f("weight_grams", INT, maximum=10_000_000),
    _f("length_mm", INT, maximum=100_000),
    _f("width_mm", INT, maximum=100_000),
    _f("height_mm", INT, maximum=100_000),
    _f("tax_class", CODE, length=64),
    _f("tags", TAGS, length=500),
    _f("is_active", BOOL),
    # customs data (docs/catalog-and-customers.md, "Customs data"), checked by the catalog
    _f("hs_code", length=16),
    _f("origin_country", length=2),
    _f("customs_description", length=100),
)

CUSTOMER_FIELDS = (
    _f("email", length=254),
    _f("phone", length=20),
    _f("first_name", length=128),
    _f("last_name", length=128),
    _f("country", CODE, length=2),
    _f("tags", TAGS, length=500),
    _f("address_name"),
    _f("address_line1"),
    _f("address_line2"),
    _f("address_city", length=128),
    _f("address_region", length=128),
    _f("address_postal_code", length=32),
    _f("address_country", CODE, length=2),
)

STOCK_FIELDS = (
    _f("location", CODE, req=True, length=64),
    _f("sku", CODE, req=True, length=64),
    _f("on_hand", INT, req=True, maximum=100_000_000),
    _f("safety_stock", INT, maximum=100_000_000),
)

# A legacy system's order list, compared with Ordino's orders (reconciliation, not an import).
LEGACY_ORDER_FIELDS = (
    _f("channel", CODE, req=True, length=64),
    _f("external_id", req=True, length=128),
    _f("placed_at", DATETIME),
    _f("total", DECIMAL, req=True),
    _f("currency", CODE, req=True, length=3),
    _f("status", length=64),
    _f("line_count", INT, maximum=100_000),
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "orders": ORDER_FIELDS,
    "products": PRODUCT_FIELDS,
    "customers": CUSTOMER_FIELDS,
    "stock": STOCK_FIELDS,
    "legacy_orders": LEGACY_ORDER_FIELDS,
}
KINDS = ("orders", "products", "customers", "stock")  # what an import creates
MAPPING_KINDS = tuple(KIND_FIELDS)  # what a saved mapping may be for
# Not a field of a row: how naive dates and times are read (an IANA zone, default UTC).
TIMEZONE = "timezone"
# Not a field either: how a legacy system's statuses read in Ordino
# ("shipped=shipped;done=delivered").
STATUS_MAP = "status_map"


def fields_of(kind: str) -> dict[str, Field]:
    return {f.name: f for f in KIND_FIELDS[kind]}
