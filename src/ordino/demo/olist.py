"""The Olist sample (Brazilian marketplace, 2016-2018) as a `DemoData`: real orders replayed.

Sellers become one location per Brazilian state (São Paulo a warehouse, the others dropship
suppliers, placed at the state capital); products become SKUs with their weights; each order's
items become lines in BRL on one marketplace channel; buyers are recognised by Olist's
`customer_unique_id`; cancelled and unavailable orders are cancelled after capture. Stock is
received so that every order can be served. Reads CSV files only: no Django here.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ordino.demo.spec import (
    CancelSpec,
    ChannelSpec,
    DemoData,
    LocationSpec,
    ProductSpec,
    ReceiptSpec,
    SkuSpec,
)

CHANNEL = "olist"
BRAZIL = ZoneInfo("America/Sao_Paulo")
CENT = Decimal("0.01")
FILES = {
    "orders": "olist_orders_dataset.csv",
    "items": "olist_order_items_dataset.csv",
    "customers": "olist_customers_dataset.csv",
    "products": "olist_products_dataset.csv",
    "sellers": "olist_sellers_dataset.csv",
}
OPTIONAL_TRANSLATION = "product_category_name_translation.csv"
CANCELLED = {"canceled": "olist_canceled", "unavailable": "olist_unavailable"}

# state: (capital, latitude, longitude)
STATE_CAPITALS: dict[str, tuple[str, str, str]] = {
    "AC": ("Rio Branco", "-9.974990", "-67.807600"),
    "AL": ("Maceió", "-9.665990", "-35.735000"),
    "AM": ("Manaus", "-3.119030", "-60.021700"),
    "AP": ("Macapá", "0.034934", "-51.069400"),
    "BA": ("Salvador", "-12.971100", "-38.510800"),
    "CE": ("Fortaleza", "-3.731860", "-38.526700"),
    "DF": ("Brasília", "-15.794200", "-47.882200"),
    "ES": ("Vitória", "-20.315500", "-40.312800"),
    "GO": ("Goiânia", "-16.686900", "-49.264800"),
    "MA": ("São Luís", "-2.529720", "-44.302800"),
    "MG": ("Belo Horizonte", "-19.916700", "-43.934500"),
    "MS": ("Campo Grande", "-20.469700", "-54.620100"),
    "MT": ("Cuiabá", "-15.601000", "-56.097400"),
    "PA": ("Belém", "-1.455020", "-48.502400"),
    "PB": ("João Pessoa", "-7.119500", "-34.845000"),
    "PE": ("Recife", "-8.047560", "-34.877000"),
    "PI": ("Teresina", "-5.091940", "-42.803400"),
    "PR": ("Curitiba", "-25.428400", "-49.273300"),
    "RJ": ("Rio de Janeiro", "-22.906800", "-43.172900"),
    "RN": ("Natal", "-5.794480", "-35.211000"),
    "RO": ("Porto Velho", "-8.761940", "-63.903900"),
    "RR": ("Boa Vista", "2.823840", "-60.675300"),
    "RS": ("Porto Alegre", "-30.034600", "-51.217700"),
    "SC": ("Florianópolis", "-27.595400", "-48.548000"),
    "SE": ("Aracaju", "-10.947200", "-37.073100"),
    "SP": ("São Paulo", "-23.550500", "-46.633300"),
    "TO": ("Palmas", "-10.184000", "-48.333600"),
}


class OlistError(Exception):
    """The directory does not hold a readable Olist sample."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        raise OlistError(f"not an amount: {text!r}") from None


def _int(text: str) -> int | None:
    try:
        return round(float(text)) if text else None
    except ValueError:
        return None


def location_code(state: str) -> str:
    return f"BR-{state}"


def olist_read(directory: Path, *, orders: int, seed: int = 42) -> DemoData:
    """The first `orders` orders of the sample (file order), oldest first, and what they need."""
    sample = _sample_read(Path(directory), orders=orders)
    data = DemoData(name=f"Olist sample, {len(sample.orders)} orders", currency="BRL")
    data.channels = [ChannelSpec(CHANNEL, "Olist marketplace", "marketplace", "BRL")]
    data.products = [
        _product(sample.products[pid], sample.translation) for pid in sorted(sample.products)
    ]
    states = Counter(_seller_state(sample.sellers, i["seller_id"]) for i in sample.items)
    data.location_groups = [("olist-sellers", "Olist sellers by state")]
    data.locations = [
        _location(state, rank) for rank, (state, _) in enumerate(states.most_common())
    ]
    demand = _orders_replay(sample, data)
    rng = random.Random(seed)
    for n, ((loc, sku), units) in enumerate(sorted(demand.items()), start=1):
        data.receipts.append(ReceiptSpec(loc, sku, units + rng.randint(0, 3), f"OLIST-{n:06d}"))
    return data


@dataclass
class _Sample:
    """The rows of the sample that the first orders need."""

    orders: list[dict[str, str]]
    items: list[dict[str, str]]  # of those orders
    customers: dict[str, dict[str, str]]  # by customer_id
    products: dict[str, dict[str, str]]  # of those items, by product_id
    sellers: dict[str, dict[str, str]]  # by seller_id
    translation: dict[str, str]  # category name → English, when the file is there


def _sample_read(directory: Path, *, orders: int) -> _Sample:
    missing = [name for name in FILES.values() if not (directory / name).is_file()]
    if missing:
        raise OlistError(f"{directory} lacks the Olist file(s): {', '.join(missing)}")
    try:
        order_rows = _rows(directory / FILES["orders"])[:orders]
        wanted = {row["order_id"] for row in order_rows}
        items = [r for r in _rows(directory / FILES["items"]) if r["order_id"] in wanted]
        product_ids = {r["product_id"] for r in items}
        translation_path = directory / OPTIONAL_TRANSLATION
        return _Sample(
            orders=order_rows,
            items=items,
            customers={r["customer_id"]: r for r in _rows(directory / FILES["customers"])},
            products={
                r["product_id"]: r
                for r in _rows(directory / FILES["products"])
                if r["product_id"] in product_ids
            },
            sellers={r["seller_id"]: r for r in _rows(directory / FILES["sellers"])},
            translation=(
                {
                    r["product_category_name"]: r["product_category_name_english"]
                    for r in _rows(translation_path)
                }
                if translation_path.is_file()
                else {}
            ),
        )
    except (KeyError, csv.Error, UnicodeDecodeError) as exc:
        raise OlistError(f"{directory}: unexpected Olist file content ({exc})") from None


def _seller_state(sellers: dict[str, dict[str, str]], seller_id: str) -> str:
    """The seller's state, São Paulo when it is unknown."""
    state = sellers.get(seller_id, {}).get("seller_state", "SP").strip().upper()
    return state if state in STATE_CAPITALS else "SP"


def _orders_replay(sample: _Sample, data: DemoData) -> Counter[tuple[str, str]]:
    """Add the sample's orders to `data`, oldest first, with the cancellations Olist saw;
    answer the units each (location, SKU) must have received to serve them."""
    items_by_order: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in sample.items:
        items_by_order[item["order_id"]].append(item)
    demand: Counter[tuple[str, str]] = Counter()
    sample.orders.sort(key=lambda r: (r["order_purchase_timestamp"], r["order_id"]))
    for row in sample.orders:
        lines = items_by_order.get(row["order_id"])
        if not lines:
            continue  # an order without items (Olist has a few): nothing was sold
        data.orders.append(_order(row, lines, sample.customers.get(row["customer_id"], {})))
        for item in lines:
            state = _seller_state(sample.sellers, item["seller_id"])
            demand[(location_code(state), _sku_code(item["product_id"]))] += 1
        reason = CANCELLED.get(row["order_status"])
        if reason:
            data.cancels.append(CancelSpec(CHANNEL, row["order_id"], reason))
    return demand


def _sku_code(product_id: str) -> str:
    return f"OL-{product_id}"


def _product(row: dict[str, str], translation: dict[str, str]) -> ProductSpec:
    category = row.get("product_category_name") or ""
    english = translation.get(category, category) or "uncategorised"
    label = english.replace("_", " ").capitalize()
    code = _sku_code(row["product_id"])
    name = f"{label} {row['product_id'][:6]}"
    length = _int(row.get("product_length_cm", ""))
    tags = (english,) if english else ()
    sku = SkuSpec(
        code=code,
        name=name,
        price=Decimal("0.00"),  # Olist prices are per order line
        weight_grams=_int(row.get("product_weight_g", "")),
        length_mm=length * 10 if length is not None else None,
        tags=tags,
    )
    return ProductSpec(
        f"P-{code}", name, f"Olist product {row['product_id']} ({english}).", tags, (sku,)
    )


def _location(state: str, rank: int) -> LocationSpec:
    capital, lat, lon = STATE_CAPITALS[state]
    warehouse = state == "SP"
    return LocationSpec(
        code=location_code(state),
        name=f"Olist sellers {state} ({capital})",
        kind="warehouse" if warehouse else "dropship",
        address_line1="",
        city=capital,
        region=state,
        postal_code="",
        country="BR",
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        ships=True,
        pickup=False,
        priority=10 + rank * 10,
        daily_capacity=None,
        groups=("olist-sellers",),
    )


def _order(
    row: dict[str, str], items: list[dict[str, str]], customer: dict[str, str]
) -> dict[str, Any]:
    placed_at = datetime.fromisoformat(row["order_purchase_timestamp"]).replace(tzinfo=BRAZIL)
    grouped: dict[tuple[str, Decimal], list[dict[str, str]]] = {}
    for item in sorted(items, key=lambda i: int(i["order_item_id"])):
        grouped.setdefault((item["product_id"], _decimal(item["price"])), []).append(item)
    lines = [
        {
            "sku": _sku_code(product_id),
            "quantity": len(units),
            "unit_price": price,
            "external_id": units[0]["order_item_id"],
        }
        for (product_id, price), units in grouped.items()
    ]
    payload: dict[str, Any] = {
        "channel": CHANNEL,
        "external_id": row["order_id"],
        "currency": "BRL",
        "placed_at": placed_at,
        "delivery_method": "ship",
        "lines": lines,
        "shipping_price": sum((_decimal(i["freight_value"]) for i in items), Decimal("0.00")),
        "raw_payload": {"order": row, "items": items},
    }
    if customer:
        payload["customer"] = {"external_id": customer["customer_unique_id"]}
        zip_prefix = customer["customer_zip_code_prefix"].zfill(5)
        payload["shipping_address"] = {
            "line1": "(street not in the Olist data)",
            "city": customer["customer_city"].title() or "?",
            "region": customer["customer_state"],
            "postal_code": f"{zip_prefix}-000",
            "country": "BR",
        }
    return payload
