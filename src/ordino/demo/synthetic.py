"""The synthetic demo data set: a European home-and-lifestyle retailer, made from one seed.

Pure Python: the same seed and `now` always give the same `DemoData`, equal field by field.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from ordino.demo import tables
from ordino.demo.spec import (
    AddressSpec,
    ChannelSpec,
    CustomerSpec,
    DemoData,
    LocationSpec,
    ProductSpec,
    ReceiptSpec,
    SkuSpec,
    ean13,
)
from ordino.demo.synthetic_orders import orders_generate

CENT = Decimal("0.01")
VARIANTS_PER_PRODUCT = 3


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
    six weeks before `now`, some cancelled afterwards."""
    rng = random.Random(seed)
    data = DemoData(name=f"synthetic seed {seed}", currency="EUR", as_of=now)
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
