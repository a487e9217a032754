"""The synthetic demo's orders: channel mix, pickups, baskets, prices, buyers and the
cancellations that follow, drawn from the seeded generator of `synthetic.py`.

Pure Python: the same generator state gives the same orders, payload by payload.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ordino.demo import tables
from ordino.demo.spec import CancelSpec, CustomerSpec, DemoData, LocationSpec, SkuSpec
from ordino.demo.timeline import placed_times

CENT = Decimal("0.01")
CHANNEL_MIX = (("web", 45), ("marketplace", 25), ("pos", 10), ("phone", 8), ("api", 12))
CANCEL_REASONS = ("customer_request", "payment_failed", "fraud_suspected", "duplicate_order")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def orders_generate(
    rng: random.Random, data: DemoData, *, count: int, now: datetime, seed: int
) -> tuple[list[dict[str, Any]], list[CancelSpec]]:
    """`count` order payloads over the last weeks (`timeline.placed_times`: a shop's weekly and
    daily rhythm, growing), oldest first, and the
    cancellations that follow some of them. The draws happen in one fixed order per order
    (channel, customer, pickup store, items, lines, anonymity, tags, cancellation): the same
    seed gives the same orders."""
    assortment = _assortment(rng, data)
    channels = [c for c, _ in CHANNEL_MIX]
    weights = [w for _, w in CHANNEL_MIX]
    orders: list[dict[str, Any]] = []
    cancels: list[CancelSpec] = []
    for n, placed_at in enumerate(placed_times(rng, count, now=now), start=1):
        channel = rng.choices(channels, weights)[0]
        customer_index = rng.randrange(len(data.customers))
        customer = data.customers[customer_index]
        pickup = _pickup_draw(rng, assortment, channel, customer)
        items = _items_draw(rng, assortment, channel, pickup)
        country = pickup.country if pickup else customer.address.country
        vat = Decimal(tables.COUNTRIES[country]["vat"])
        lines = _lines_draw(rng, items, channel, vat=vat)
        anonymous = channel == "pos" and rng.random() < 0.5  # half the till's buyers
        payload = _payload(
            rng,
            channel=channel,
            external_id=_external_id(channel, pickup, seed=seed, n=n),
            placed_at=placed_at,
            lines=lines,
            vat=vat,
            pickup=pickup,
        )
        if not anonymous:
            _buyer_add(payload, customer, customer_index, channel=channel, seed=seed)
        if pickup is not None:
            payload["pickup_location"] = pickup.code
        orders.append(payload)
        if channel != "pos":
            cancel = _cancel_draw(rng, channel, payload["external_id"], lines)
            if cancel is not None:
                cancels.append(cancel)
    return orders, cancels


@dataclass(frozen=True)
class _Assortment:
    """What the orders draw from: the simple SKUs with their popularity, the kits, the stores
    that hand over pickups, and the SKUs each location received."""

    skus: list[SkuSpec]
    popularity: list[float]
    kits: list[SkuSpec]
    stores: list[LocationSpec]
    stock: dict[str, list[str]]  # location code → SKU codes received there


def _assortment(rng: random.Random, data: DemoData) -> _Assortment:
    skus = [s for s in data.skus if not s.is_kit]
    popularity = [1 / (rank + 1) ** 0.7 for rank in range(len(skus))]
    rng.shuffle(popularity)
    stock: dict[str, list[str]] = {}
    for r in data.receipts:
        stock.setdefault(r.location, []).append(r.sku)
    return _Assortment(
        skus=skus,
        popularity=popularity,
        kits=[s for s in data.skus if s.is_kit],
        stores=[loc for loc in data.locations if loc.pickup],
        stock=stock,
    )


def _pickup_draw(
    rng: random.Random, assortment: _Assortment, channel: str, customer: CustomerSpec
) -> LocationSpec | None:
    """The store of a till sale (one with stock), or of a web order collected in a store
    (15 %, in the customer's country when there is one); None for a shipped order."""
    stores = assortment.stores
    if channel == "pos":
        return rng.choice([s for s in stores if assortment.stock.get(s.code)])
    if channel == "web" and rng.random() < 0.15:
        same_country = [s for s in stores if s.country == customer.address.country]
        return rng.choice(same_country or stores)
    return None


def _items_draw(
    rng: random.Random, assortment: _Assortment, channel: str, pickup: LocationSpec | None
) -> list[SkuSpec]:
    """1 to 4 different SKUs: at a till, from what the store holds; otherwise by popularity,
    the last one a kit in 5 % of orders."""
    line_count = rng.choices((1, 2, 3, 4), (55, 25, 12, 8))[0]
    if pickup is not None and channel == "pos":
        pool = sorted(set(assortment.stock[pickup.code]))
        chosen = rng.sample(pool, min(line_count, len(pool)))
        by_code = {s.code: s for s in assortment.skus}
        return [by_code[c] for c in chosen]
    items: list[SkuSpec] = []
    while len(items) < line_count:
        sku = rng.choices(assortment.skus, assortment.popularity)[0]
        if sku not in items:
            items.append(sku)
    if rng.random() < 0.05:
        items[-1] = rng.choice(assortment.kits)
    return items


def _lines_draw(
    rng: random.Random, items: list[SkuSpec], channel: str, *, vat: Decimal
) -> list[dict[str, Any]]:
    """The order lines: quantities (B2B buys by the dozen), a 10 % discount on 8 % of lines."""
    lines = []
    for sku in items:
        quantity = (
            rng.randint(2, 12) if channel == "api" else rng.choices((1, 2, 3), (80, 15, 5))[0]
        )
        gross = sku.price * quantity
        discount = money(gross * Decimal("0.10")) if rng.random() < 0.08 else Decimal("0.00")
        lines.append(
            {
                "sku": sku.code,
                "name": sku.name,
                "quantity": quantity,
                "unit_price": sku.price,
                "discount": discount,
                "tax": money((gross - discount) * vat),
            }
        )
    return lines


def _external_id(channel: str, pickup: LocationSpec | None, *, seed: int, n: int) -> str:
    prefix = {"web": "WEB", "marketplace": "GX", "pos": "POS", "phone": "CC", "api": "B2B"}
    number = f"{seed % 1000:03d}{n:05d}"  # another seed, other orders
    if channel == "pos":
        return f"POS-{pickup.code[3:]}-{number}"  # type: ignore[union-attr]
    return f"{prefix[channel]}-{number}"


def _payload(
    rng: random.Random,
    *,
    channel: str,
    external_id: str,
    placed_at: datetime,
    lines: list[dict[str, Any]],
    vat: Decimal,
    pickup: LocationSpec | None,
) -> dict[str, Any]:
    """The order as a channel sends it, without its buyer: shipping is free from 50 EUR
    (B2B pays 9.90), nothing for a pickup."""
    subtotal = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal(0))
    shipping = Decimal("0.00")
    if pickup is None:
        shipping = Decimal("9.90") if channel == "api" else (
            Decimal("0.00") if subtotal >= 50 else Decimal("4.95")
        )  # fmt: skip
    return {
        "channel": channel,
        "external_id": external_id,
        "currency": "EUR",
        "placed_at": placed_at,
        "delivery_method": "pickup" if pickup else "ship",
        "lines": lines,
        "shipping_price": shipping,
        "shipping_tax": money(shipping * vat),
        "tags": tags_for(channel, pickup, rng),
        "raw_payload": {
            "source": channel,
            "order_number": external_id,
            "created_at": placed_at.isoformat(),
            "items": [{"sku": line["sku"], "qty": line["quantity"]} for line in lines],
        },
    }


def _buyer_add(
    payload: dict[str, Any],
    customer: CustomerSpec,
    customer_index: int,
    *,
    channel: str,
    seed: int,
) -> None:
    """The buyer, the billing address and, for a shipped order, the shipping address."""
    payload["customer"] = {
        "email": customer.email,
        "phone": customer.phone,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
    }
    if channel == "marketplace":
        payload["customer"]["external_id"] = f"GX-C{seed % 1000:03d}{customer_index:05d}"
    address = customer.address.as_payload(customer.phone)
    if channel == "api":
        address["company"] = f"{customer.last_name} Einrichtungen GmbH"
    payload["billing_address"] = address
    if payload["delivery_method"] == "ship":
        payload["shipping_address"] = address


def _cancel_draw(
    rng: random.Random, channel: str, external_id: str, lines: list[dict[str, Any]]
) -> CancelSpec | None:
    """6 % of orders are cancelled whole, 4 % lose one unit of a line (orders of 2+ lines)."""
    roll = rng.random()
    if roll < 0.06:
        return CancelSpec(channel, external_id, rng.choice(CANCEL_REASONS))
    if roll < 0.10 and len(lines) > 1:
        line_no = rng.randint(1, len(lines))
        return CancelSpec(channel, external_id, "customer_removed_item", ((line_no, 1),))
    return None


def tags_for(channel: str, pickup, rng: random.Random) -> list[str]:
    tags = []
    if pickup is not None and channel != "pos":
        tags.append("click-and-collect")
    if channel == "api":
        tags.append("b2b")
    if rng.random() < 0.05:
        tags.append("gift")
    return tags
