"""The order mix: real orders from the Olist sample (Brazilian marketplace, prices in BRL).

products → SKUs, sellers → locations, order items → lines (identical items of one order merged
into one line with a quantity), freight → shipping price.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "olist"


@dataclass(frozen=True)
class Line:
    sku: str
    location: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class MixOrder:
    olist_id: str
    lines: tuple[Line, ...]
    shipping: Decimal


def sku_code(product_id: str) -> str:
    return f"OL-{product_id[:20]}"


def location_code(seller_id: str) -> str:
    return f"SELLER-{seller_id[:16]}"


def mix_load(directory: Path, count: int) -> list[MixOrder]:
    """The first `count` orders of the items file (file order: deterministic)."""
    items: dict[str, dict[tuple[str, str, Decimal], int]] = {}
    freight: dict[str, Decimal] = defaultdict(Decimal)
    with open(directory / "olist_order_items_dataset.csv", newline="") as f:
        for row in csv.DictReader(f):
            order_id = row["order_id"]
            if order_id not in items:
                if len(items) == count:
                    break
                items[order_id] = defaultdict(int)
            key = (
                row["product_id"],
                row["seller_id"],
                Decimal(row["price"]).quantize(Decimal("0.01")),
            )
            items[order_id][key] += 1
            freight[order_id] += Decimal(row["freight_value"]).quantize(Decimal("0.01"))
    return [
        MixOrder(
            olist_id=order_id,
            lines=tuple(
                Line(sku_code(p), location_code(s), qty, price)
                for (p, s, price), qty in lines.items()
            ),
            shipping=freight[order_id],
        )
        for order_id, lines in items.items()
    ]


def order_payload(order: MixOrder, external_id: str) -> dict:
    """The order as a marketplace connector would POST it to Ordino."""
    return {
        "channel": "olist",
        "external_id": external_id,
        "currency": "BRL",
        "customer": {"email": f"{order.olist_id[:12]}@example.com.br"},
        "shipping_address": {"line1": "Rua Augusta 100", "city": "São Paulo", "country": "BR"},
        "lines": [
            {"sku": line.sku, "quantity": line.quantity, "unit_price": str(line.unit_price)}
            for line in order.lines
        ],
        "shipping_price": str(order.shipping),
        "raw_payload": {"olist_order_id": order.olist_id},
    }
