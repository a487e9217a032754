"""The synthetic demo data set: a European home-and-lifestyle retailer, made from one seed.

Pure Python: the same seed and `now` always give the same `DemoData`, equal field by field.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ordino.demo import tables
from ordino.demo.spec import (
    AddressSpec,
    CancelSpec,
    ChannelSpec,
    CustomerSpec,
    DemoData,
    LocationSpec,
    ProductSpec,
    ReceiptSpec,
    SkuSpec,
    ean13,
)

CENT = Decimal("0.01")
VARIANTS_PER_PRODUCT = 3
DAYS_OF_ORDERS = 30


def demo_generate(
    *,
    seed: int = 42,
    orders: int = 300,
    now: datetime,
    products: int = 300,
    skus: int = 400,
    customers: int = 200,
) -> DemoData:
    """A whole retailer: `products` products with `skus` SKUs (5 of each are kits), 12 locations,
    5 channels, `customers` customers, stock receipts, and `orders` orders placed over the last
    30 days before `now`, some cancelled afterwards."""
    rng = random.Random(seed)
    data = DemoData(name=f"synthetic seed {seed}", currency="EUR")
    data.products = catalog_generate(rng, products=products, skus=skus)
    data.location_groups = list(tables.LOCATION_GROUPS)
    data.locations = [location_spec(row) for row in tables.LOCATIONS]
    data.channels = [
        ChannelSpec(code, name, kind, "EUR", buffer, excluded)
        for code, name, kind, buffer, excluded in tables.CHANNELS
    ]
    data.customers = customers_generate(rng, count=customers)
    data.receipts = receipts_generate(rng, data, seed=seed)
    data.orders, data.cancels = orders_generate(rng, data, count=orders, now=now, seed=seed)
    return data


# -- catalog ------------------------------------------------------------------------------------


def price_draw(rng: random.Random, low: int, high: int) -> Decimal:
    euros = rng.randint(low, high)
    cents = rng.choice((99, 99, 95, 90, 49, 0))
    return (Decimal(euros) - (1 if cents else 0) + Decimal(cents) / 100).quantize(CENT)


def catalog_generate(rng: random.Random, *, products: int, skus: int) -> list[ProductSpec]:
    kits = len(tables.KITS)
    simple_products, simple_skus = products - kits, skus - kits
    extra = simple_skus - simple_products
    if simple_products < 1 or extra < 0:
        raise ValueError("need at least one simple product and no fewer SKUs than products")
    # Each product with variants adds VARIANTS_PER_PRODUCT - 1 SKUs; a remainder makes one more.
    with_variants, remainder = divmod(extra, VARIANTS_PER_PRODUCT - 1)
    if with_variants + (1 if remainder else 0) > simple_products:
        raise ValueError("too many SKUs for this many products")

    shares = {name: c["share"] for name, c in tables.CATEGORIES.items()}
    total_share = sum(shares.values())
    categories: list[str] = []
    for name, share in shares.items():
        categories += [name] * (simple_products * share // total_share)
    categories += ["electronics"] * (simple_products - len(categories))
    rng.shuffle(categories)
    # Apparel first gets sizes; the rest, colours.
    order = sorted(range(simple_products), key=lambda i: (categories[i] != "apparel", i))
    variant_count = dict.fromkeys(range(simple_products), 1)
    for i in order[:with_variants]:
        variant_count[i] = VARIANTS_PER_PRODUCT
    if remainder:
        variant_count[order[with_variants]] = 2

    names: set[str] = set()
    barcodes: set[str] = set()
    result: list[ProductSpec] = []
    for i, category in enumerate(categories):
        result.append(
            product_generate(
                rng,
                number=10001 + i,
                category=category,
                variants=variant_count[i],
                names=names,
                barcodes=barcodes,
            )
        )
    result += kits_generate(rng, result, barcodes=barcodes)
    return result


def barcode_draw(rng: random.Random, barcodes: set[str]) -> str:
    while True:
        code = ean13("40" + "".join(str(rng.randint(0, 9)) for _ in range(10)))
        if code not in barcodes:
            barcodes.add(code)
            return code


def product_generate(
    rng: random.Random,
    *,
    number: int,
    category: str,
    variants: int,
    names: set[str],
    barcodes: set[str],
) -> ProductSpec:
    c = tables.CATEGORIES[category]
    while True:
        brand, word = rng.choice(tables.BRANDS), rng.choice(c["words"])
        kind, price_low, price_high, weight_low, weight_high = rng.choice(c["types"])
        name = f"{brand} {word} {kind}"
        if name not in names:
            names.add(name)
            break
    price = price_draw(rng, price_low, price_high)
    weight = round(rng.randint(weight_low, weight_high), -1) or 10
    (l0, w0, h0), (l1, w1, h1) = c["box"]
    dims = (rng.randint(l0, l1), rng.randint(w0, w1), rng.randint(h0, h1))
    tags = list(c["tags"])
    if word in ("Organic Cotton", "Recycled", "Bamboo", "Linen"):
        tags.append("sustainable")
    if rng.random() < 0.12:
        tags.append("new")
    if rng.random() < 0.08:
        tags.append("bestseller")
    code = f"{c['prefix']}-{number}"
    if variants == 1:
        colour = rng.choice(c["colours"])
        values: list[tuple[str, str]] = [("", colour)]
    elif category == "apparel":
        start = rng.randint(0, len(c["variants"]) - variants)
        values = [(size, size) for size in c["variants"][start : start + variants]]
    else:
        values = [(v[:3].upper(), v) for v in c["variants"][:variants]]
    skus = []
    for suffix, label in values:
        bump = Decimal(2) if suffix == "XL" else Decimal(0)
        skus.append(
            SkuSpec(
                code=f"{code}-{suffix}" if suffix else code,
                name=f"{name}, {label}",
                price=price + bump,
                barcode=barcode_draw(rng, barcodes),
                weight_grams=weight,
                length_mm=dims[0],
                width_mm=dims[1],
                height_mm=dims[2],
                tags=tuple(tags),
            )
        )
    description = f"{name} from {brand}'s {category} range. " + (
        f"{word} quality, in {variants} variants." if variants > 1 else f"{word} quality."
    )
    return ProductSpec(f"P-{code}", name, description, tuple(tags), tuple(skus))


def kits_generate(
    rng: random.Random, products: list[ProductSpec], *, barcodes: set[str]
) -> list[ProductSpec]:
    by_category: dict[str, list[SkuSpec]] = {}
    for product in products:
        category = product.tags[0]
        by_category.setdefault(category, []).append(product.skus[0])
    kits = []
    for name, code, parts in tables.KITS:
        chosen: list[tuple[SkuSpec, int]] = []
        for category, quantity in parts:
            pool = [s for s in by_category[category] if s not in {c for c, _ in chosen}]
            chosen.append((rng.choice(pool), quantity))
        full = sum((s.price * q for s, q in chosen), Decimal(0))
        price = (full * Decimal("0.85")).quantize(Decimal(1), ROUND_FLOOR) - CENT
        weight = sum((s.weight_grams or 0) * q for s, q in chosen)
        sku = SkuSpec(
            code=code,
            name=name,
            price=price,
            barcode=barcode_draw(rng, barcodes),
            weight_grams=weight,
            tags=("bundle", "gift"),
            components=tuple((s.code, q) for s, q in chosen),
        )
        description = "Bundle of " + ", ".join(f"{q} × {s.name}" for s, q in chosen) + "."
        kits.append(ProductSpec(f"P-{code}", name, description, ("bundle",), (sku,)))
    return kits


# -- places and people ----------------------------------------------------------------------------


def location_spec(row: tuple) -> LocationSpec:
    (code, name, kind, street, postal, city, region, country, lat, lon, prio, cap, groups) = row
    return LocationSpec(
        code=code,
        name=name,
        kind=kind,
        address_line1=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        ships=kind != "store" or code in ("ST-DE-BER", "ST-FR-PAR"),  # two flagship stores ship
        pickup=kind == "store",
        priority=prio,
        daily_capacity=cap,
        groups=tuple(groups),
    )


def ascii_slug(text: str) -> str:
    text = text.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def customers_generate(rng: random.Random, *, count: int) -> list[CustomerSpec]:
    countries = [c for c, _ in tables.COUNTRY_WEIGHTS]
    weights = [w for _, w in tables.COUNTRY_WEIGHTS]
    emails: set[str] = set()
    phones: set[str] = set()
    result = []
    for _ in range(count):
        country = rng.choices(countries, weights)[0]
        info = tables.COUNTRIES[country]
        first = rng.choice(tables.FIRST_NAMES[country])
        last = rng.choice(tables.LAST_NAMES[country])
        domain = rng.choice(("example.com", "example.org", "example.net", "mail.example"))
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email, n = f"{base}@{domain}", 1
        while email in emails:
            n += 1
            email = f"{base}{n}@{domain}"
        emails.add(email)
        while True:
            digits = "".join(str(rng.randint(0, 9)) for _ in range(info["digits"]))
            phone = f"{info['phone']}{rng.choice(info['mobile'])}{digits}"
            if phone not in phones:
                phones.add(phone)
                break
        city, region, postcodes, streets = rng.choice(info["cities"])
        street = f"{rng.choice(streets)} {rng.randint(1, 180)}"
        if country in ("FR",):
            street = f"{rng.randint(1, 180)} {rng.choice(streets)}"
        address = AddressSpec(
            f"{first} {last}", street, city, rng.choice(postcodes), country, region
        )
        result.append(CustomerSpec(email, phone, first, last, address))
    return result


# -- stock --------------------------------------------------------------------------------------


def receipts_generate(rng: random.Random, data: DemoData, *, seed: int) -> list[ReceiptSpec]:
    """Stock at warehouses for most SKUs, a little at stores, electronics at the dropshipper;
    about 2% of SKUs get none anywhere, so the demo shows backorders too."""
    receipts: list[ReceiptSpec] = []
    for sku in data.skus:
        if sku.is_kit or rng.random() < 0.02:
            continue
        electronics = "electronics" in sku.tags
        for loc in data.locations:
            if loc.kind == "warehouse" and rng.random() < 0.85:
                quantity = rng.randint(20, 150)
            elif loc.kind == "store" and rng.random() < (0.2 if electronics else 0.35):
                quantity = rng.randint(2, 12)
            elif loc.kind == "dropship" and electronics:
                quantity = rng.randint(200, 500)
            else:
                continue
            receipts.append(
                ReceiptSpec(loc.code, sku.code, quantity, f"ASN-{seed}-{len(receipts) + 1:05d}")
            )
    return receipts


# -- orders -------------------------------------------------------------------------------------

CHANNEL_MIX = (("web", 45), ("marketplace", 25), ("pos", 10), ("phone", 8), ("api", 12))
CANCEL_REASONS = ("customer_request", "payment_failed", "fraud_suspected", "duplicate_order")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def orders_generate(
    rng: random.Random, data: DemoData, *, count: int, now: datetime, seed: int
) -> tuple[list[dict[str, Any]], list[CancelSpec]]:
    skus = [s for s in data.skus if not s.is_kit]
    kits = [s for s in data.skus if s.is_kit]
    popularity = [1 / (rank + 1) ** 0.7 for rank in range(len(skus))]
    rng.shuffle(popularity)
    stores = [loc for loc in data.locations if loc.pickup]
    store_stock: dict[str, list[str]] = {}
    for r in data.receipts:
        store_stock.setdefault(r.location, []).append(r.sku)
    seconds = sorted(rng.randint(0, DAYS_OF_ORDERS * 86400) for _ in range(count))
    channels = [c for c, _ in CHANNEL_MIX]
    weights = [w for _, w in CHANNEL_MIX]
    orders: list[dict[str, Any]] = []
    cancels: list[CancelSpec] = []
    for n, back in enumerate(reversed(seconds), start=1):
        placed_at = now - timedelta(seconds=back)
        channel = rng.choices(channels, weights)[0]
        customer_index = rng.randrange(len(data.customers))
        customer = data.customers[customer_index]
        pickup = None
        if channel == "pos":
            pickup = rng.choice([s for s in stores if store_stock.get(s.code)])
        elif channel == "web" and rng.random() < 0.15:
            same_country = [s for s in stores if s.country == customer.address.country]
            pickup = rng.choice(same_country or stores)
        line_count = rng.choices((1, 2, 3, 4), (55, 25, 12, 8))[0]
        if pickup is not None and channel == "pos":
            pool = sorted(set(store_stock[pickup.code]))
            chosen = rng.sample(pool, min(line_count, len(pool)))
            by_code = {s.code: s for s in skus}
            items = [by_code[c] for c in chosen]
        else:
            items = []
            while len(items) < line_count:
                sku = rng.choices(skus, popularity)[0]
                if sku not in items:
                    items.append(sku)
            if rng.random() < 0.05:
                items[-1] = rng.choice(kits)
        country = pickup.country if pickup else customer.address.country
        vat = Decimal(tables.COUNTRIES[country]["vat"])
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
        subtotal = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal(0))
        shipping = Decimal("0.00")
        if pickup is None:
            shipping = Decimal("9.90") if channel == "api" else (
                Decimal("0.00") if subtotal >= 50 else Decimal("4.95")
            )  # fmt: skip
        prefix = {"web": "WEB", "marketplace": "GX", "pos": "POS", "phone": "CC", "api": "B2B"}
        number = f"{seed % 1000:03d}{n:05d}"  # another seed, other orders
        external_id = f"{prefix[channel]}-{number}"
        if channel == "pos":
            external_id = f"POS-{pickup.code[3:]}-{number}"
        anonymous = channel == "pos" and rng.random() < 0.5
        payload: dict[str, Any] = {
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
        if not anonymous:
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
            if pickup is None:
                payload["shipping_address"] = address
        if pickup is not None:
            payload["pickup_location"] = pickup.code
        orders.append(payload)
        if channel != "pos":
            roll = rng.random()
            if roll < 0.06:
                cancels.append(CancelSpec(channel, external_id, rng.choice(CANCEL_REASONS)))
            elif roll < 0.10 and len(lines) > 1:
                line_no = rng.randint(1, len(lines))
                cancels.append(
                    CancelSpec(channel, external_id, "customer_removed_item", ((line_no, 1),))
                )
    return orders, cancels


def tags_for(channel: str, pickup, rng: random.Random) -> list[str]:
    tags = []
    if pickup is not None and channel != "pos":
        tags.append("click-and-collect")
    if channel == "api":
        tags.append("b2b")
    if rng.random() < 0.05:
        tags.append("gift")
    return tags
