"""A small shop, made through the public API, so that positive paths are reachable.

Two channels (web, market), three locations (WH-A, WH-B, STORE-1) in a group, three SKUs and a
kit with stock everywhere, a customer, a transfer WH-A → WH-B and an order in each channel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.test import Client

from ordino.shipping.models import CarrierAccount, LabelPurchase
from tests.factories import auth, make_token, order_body

CHANNELS = ("web", "market")
LOCATIONS = ("WH-A", "WH-B", "STORE-1")
SKUS = ("TEE", "MUG", "CAP")
KIT = "GIFT"


@dataclass
class Shop:
    token: str
    channels: list[str] = field(default_factory=lambda: list(CHANNELS))
    locations: list[str] = field(default_factory=lambda: list(LOCATIONS))
    groups: list[str] = field(default_factory=lambda: ["EU"])
    products: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    customers: dict[str, int] = field(default_factory=dict)  # channel → customer id
    orders: dict[str, int] = field(default_factory=dict)  # channel → order id
    transfers: dict[str, int] = field(default_factory=dict)  # "SOURCE>DESTINATION" → id
    fulfillments: dict[str, int] = field(default_factory=dict)  # location → a fulfillment id
    order_fulfillments: dict[str, int] = field(default_factory=dict)  # order key → its first FO
    feeds: list[int] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)  # box types' codes (every location's)
    invoices: dict[str, int] = field(default_factory=dict)  # order key → a credit note's id
    returned_orders: dict[str, int] = field(default_factory=dict)  # channel → a delivered order
    returns: dict[str, int] = field(default_factory=dict)  # key → a return id (see _returns)
    exchanges: dict[str, int] = field(default_factory=dict)  # key → an exchange id (_exchanges)
    shipments: dict[str, int] = field(default_factory=dict)  # key → a shipment id (_shipments)

    def values_for(self, name: str) -> list:
        """Known values of a path parameter or body field, by its name."""
        return {
            "code": [*self.products, *self.skus, *self.locations, *self.channels, *self.boxes],
            "sku": self.skus,
            "product": self.products,
            "location": self.locations,
            "source": self.locations,
            "destination": self.locations,
            "channel": self.channels,
            "pickup_location": ["STORE-1"],
            "groups": [self.groups],
            "excluded_locations": [["WH-B"]],
            "customer_id": list(self.customers.values()),
            "order_id": list(self.orders.values()),
            "transfer_id": list(self.transfers.values()),
            "fo_id": list(self.fulfillments.values()),
            "feed_id": self.feeds,
            "invoice_id": list(self.invoices.values()),
            "return_id": list(self.returns.values()),
            "exchange_id": list(self.exchanges.values()),
            "shipment_id": list(self.shipments.values()),
        }.get(name, [])


def _call(client: Client, token: str, method: str, path: str, body=None):
    headers = auth(token)
    if body is None:
        response = getattr(client, method)(f"/api/v1{path}", **headers)
    else:
        response = getattr(client, method)(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers
        )
    assert response.status_code < 300, (method, path, response.status_code, response.content)
    return response.json()


def order_fulfillment(client: Client, token: str, order_id: int) -> int:
    return _call(client, token, "get", f"/fulfillment/orders?order={order_id}")["items"][0]["id"]


def seed_shop() -> Shop:
    client = Client()
    shop = Shop(token=make_token("*", name="seed"))

    def post(path: str, body: dict):
        return _call(client, shop.token, "post", path, body)

    post("/location-groups", {"code": "EU", "name": "Europe"})
    for i, code in enumerate(LOCATIONS):
        kind = "store" if code.startswith("STORE") else "warehouse"
        post(
            "/locations",
            {
                "code": code,
                "name": f"Location {code}",
                "kind": kind,
                "country": "DE",
                "priority": 10 * (i + 1),
                "pickup": kind == "store",
                "groups": ["EU"],
            },
        )
    for code in CHANNELS:
        post(
            "/channels", {"code": code, "name": f"Channel {code}", "kind": "web", "currency": "EUR"}
        )
    for code in SKUS:
        post("/catalog/products", {"code": f"P-{code}", "name": f"Product {code}"})
        measures = {"length_mm": 100, "width_mm": 100, "height_mm": 50, "weight_grams": 300}
        post("/catalog/skus", {"product": f"P-{code}", "code": code, "name": code, **measures})
        shop.products.append(f"P-{code}")
        shop.skus.append(code)
    box = {"name": "Small box", "tare_g": 150, "max_weight_g": 10000}
    for side, mm in (("length", 300), ("width", 200), ("height", 150)):
        box |= {f"inner_{side}_mm": mm, f"outer_{side}_mm": mm + 10}
    _call(client, shop.token, "put", "/shipping/boxes/BOX-S", box)  # packs the WH-A order
    shop.boxes.append("BOX-S")
    post("/catalog/products", {"code": "P-GIFT", "name": "Gift box"})
    post(
        "/catalog/skus",
        {
            "product": "P-GIFT",
            "code": KIT,
            "kind": "kit",
            "components": [{"sku": "TEE", "quantity": 1}, {"sku": "MUG", "quantity": 1}],
        },
    )
    shop.products.append("P-GIFT")
    shop.skus.append(KIT)
    for location, quantity in zip(LOCATIONS, (100, 50, 10), strict=True):
        for sku in SKUS:
            post("/inventory/receipts", {"location": location, "sku": sku, "quantity": quantity})
    # ONLYB is in stock at WH-B only: an order of it is fulfilled there.
    post("/catalog/products", {"code": "P-ONLYB", "name": "Only at B"})
    post("/catalog/skus", {"product": "P-ONLYB", "code": "ONLYB", "name": "Only at B"})
    shop.products.append("P-ONLYB")
    shop.skus.append("ONLYB")
    post("/inventory/receipts", {"location": "WH-B", "sku": "ONLYB", "quantity": 20})
    for source, destination in (("WH-A", "WH-B"), ("WH-B", "WH-A"), ("WH-B", "STORE-1")):
        change = post(
            "/inventory/transfers",
            {"source": source, "destination": destination, "sku": "TEE", "quantity": 2},
        )
        shop.transfers[f"{source}>{destination}"] = change["transfer"]["id"]
    for channel in CHANNELS:
        body = order_body(
            f"{channel.upper()}-1",
            channel=channel,
            customer={"email": f"buyer@{channel}.example", "first_name": "Ada"},
        )
        order = post("/orders", body)
        shop.orders[channel] = order["id"]
        shop.customers[channel] = order["customer_id"]
    order = post(
        "/orders", order_body("WEB-B", lines=[{"sku": "ONLYB", "quantity": 1, "unit_price": "5"}])
    )
    shop.orders["web-at-WH-B"] = order["id"]
    shop.customers["web-at-WH-B"] = order["customer_id"]
    for fo in _call(client, shop.token, "get", "/fulfillment/orders?limit=200")["items"]:
        shop.fulfillments.setdefault(fo["location"], fo["id"])
    for key, order_id in shop.orders.items():
        shop.order_fulfillments[key] = order_fulfillment(client, shop.token, order_id)
    feed = client.post(
        "/api/v1/inventory/feeds", data="WH-B,CAP,50\n", content_type="text/csv", **auth(shop.token)
    )
    assert feed.status_code == 201, feed.content
    shop.feeds.append(feed.json()["id"])
    for key, order_id in shop.orders.items():  # a document per order: a credit note of 1.00
        note = post(f"/orders/{order_id}/credit-notes", {"lines": [{"line_no": 1, "amount": "1"}]})
        shop.invoices[key] = note["id"]
    _returns(client, shop)
    _exchanges(client, shop)
    _shipping(client, shop)
    _shipments(client, shop)
    return shop


def _shipping(client: Client, shop: Shop) -> None:
    """DHL Paket rating Germany, with a fuel surcharge (docs/shipping.md)."""
    service = "/shipping/services/dhl/paket"
    settings = {"name": "DHL Paket", "currency": "EUR", "max_weight": "31.5"}
    _call(client, shop.token, "put", service, settings)
    _call(client, shop.token, "put", f"{service}/surcharges/fuel", {"percent": 10})
    for table, text in (
        ("zones", "zone,country\n1,DE\n"),
        ("rates", "zone,above,up_to,price\n1,0,31.5,4.90\n"),
    ):
        r = client.put(
            f"/api/v1{service}/{table}", data=text, content_type="text/csv", **auth(shop.token)
        )
        assert r.status_code == 200, r.content
    # a carrier account (the offline rate sheets), and a label kept for WH-A's web order's
    # parcel 1 as bought before: asked again, it answers without calling a carrier
    _call(client, shop.token, "put", "/shipping/accounts/sheets",
          {"name": "Rate sheets", "adapter": "offline"})  # fmt: skip
    LabelPurchase.objects.create(
        fulfillment_order_id=shop.fulfillments["WH-A"], parcel=1, key="seed-label-1",
        account=CarrierAccount.objects.get(code="sheets"), status="bought",
        tracking_number="SEED-LABEL-1", actor="seed", amount=Decimal("4.90"), currency="EUR",
        measures={"length_cm": "30", "width_cm": "20", "height_cm": "10", "weight_kg": "1"},
        rate={"carrier": "dhl", "service": "paket", "amount": "4.90", "currency": "EUR"},
    )  # fmt: skip
    parcel = {"length_cm": 30, "width_cm": 20, "height_cm": 10, "weight_kg": 1}
    for fo_id in sorted({*shop.fulfillments.values(), *shop.order_fulfillments.values()}):
        _call(
            client, shop.token, "post", f"/fulfillment/orders/{fo_id}/rates", {"parcels": [parcel]}
        )


RETURN_LINES = [
    {"sku": "TEE", "quantity": 3, "unit_price": "19.99"},
    {"sku": "MUG", "quantity": 2, "unit_price": "9.50"},
]


def _returns(client: Client, shop: Shop) -> None:
    """A delivered order in each channel (shipped from WH-A) and returns of them: `web` and
    `market` requested to WH-A, `web-open` approved to WH-A, `web-at-WH-B` requested to WH-B.
    One tee and one mug of the web order are still returnable."""

    def post(path: str, body: dict):
        return _call(client, shop.token, "post", path, body)

    for channel in CHANNELS:
        body = order_body(
            f"RET-{channel.upper()}",
            channel=channel,
            lines=RETURN_LINES,
            customer={"email": f"returns@{channel}.example", "first_name": "Rita"},
        )
        order = post("/orders", body)
        for fo in order["fulfillment_orders"]:
            shipped = post(
                f"/fulfillment/orders/{fo['id']}/ship",
                {"carrier": "DHL", "tracking_numbers": [f"R1-{channel}"]},
            )
            shop.shipments[channel] = shipped["shipments"][-1]["id"]
            post(f"/fulfillment/orders/{fo['id']}/deliver", {})
        shop.returned_orders[channel] = order["id"]
    for key, channel, line_no, location in (
        ("web", "web", 1, "WH-A"),
        ("market", "market", 1, "WH-A"),
        ("web-open", "web", 2, "WH-A"),
        ("web-at-WH-B", "web", 1, "WH-B"),
    ):
        body = {"location": location, "reason": "damaged",
                "lines": [{"line_no": line_no, "quantity": 1}]}  # fmt: skip
        shop.returns[key] = post(f"/orders/{shop.returned_orders[channel]}/returns", body)["id"]
    post(f"/returns/{shop.returns['web-open']}/approve", {})


def _exchanges(client: Client, shop: Shop) -> None:
    """Exchanges (docs/returns.md): `web`, a mug of a delivered web order (EXC-WEB) to WH-A for a
    cap; `market`, a mug of the market's delivered order to WH-B for a cap."""

    def post(path: str, body: dict):
        return _call(client, shop.token, "post", path, body)

    buyer = {"email": "exchanges@web.example", "first_name": "Eve"}  # a customer of its own
    order = post("/orders", order_body("EXC-WEB", lines=RETURN_LINES, customer=buyer))
    for fo in order["fulfillment_orders"]:
        post(f"/fulfillment/orders/{fo['id']}/ship", {"carrier": "DHL", "tracking_numbers": ["X1"]})
        post(f"/fulfillment/orders/{fo['id']}/deliver", {})
    for key, order_id, location in (
        ("web", order["id"], "WH-A"),
        ("market", shop.returned_orders["market"], "WH-B"),
    ):
        body = {
            "location": location,
            "reason": "size_or_fit",
            "lines": [{"line_no": 2, "quantity": 1}],
            "new_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "9.50"}],
        }
        shop.exchanges[key] = post(f"/orders/{order_id}/exchanges", body)["id"]


def _shipments(client: Client, shop: Shop) -> None:
    """Shipments whose labels are read (docs/shipping.md, "Labels"): `web` and `market` ship
    the returns' orders from WH-A (_returns); `web-at-WH-B`, an order of ONLYB shipped from WH-B
    in two packages."""
    order = _call(
        client,
        shop.token,
        "post",
        "/orders",
        order_body("SHIP-B", lines=[{"sku": "ONLYB", "quantity": 1, "unit_price": "5"}]),
    )
    fo_id = order["fulfillment_orders"][0]["id"]
    body = {
        "carrier": "DHL",
        "tracking_numbers": ["B1", "B2"],
        "packages": [
            {"weight_grams": 1200, "tracking_number": "B1"},
            {"weight_grams": 800, "tracking_number": "B2"},
        ],
    }
    shipped = _call(client, shop.token, "post", f"/fulfillment/orders/{fo_id}/ship", body)
    shop.shipments["web-at-WH-B"] = shipped["shipments"][-1]["id"]
    _abroad(client, shop)


def _abroad(client: Client, shop: Shop) -> None:
    """`web-abroad`: a tee of the web order SHIP-CH shipped from WH-A to Zürich, across a
    customs border, its customs form read (docs/shipping.md, "Customs")."""
    customs = {"hs_code": "610910", "origin_country": "PT"}
    _call(client, shop.token, "patch", "/catalog/skus/TEE", customs)
    zurich = {"name": "Ada", "line1": "Bahnhofstrasse 1", "city": "Zürich",
              "postal_code": "8001", "country": "CH"}  # fmt: skip
    lines = [{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}]
    buyer = {"email": "abroad@web.example", "first_name": "Heidi"}  # a customer of her own
    body = order_body("SHIP-CH", lines=lines, shipping_address=zurich, customer=buyer)
    order = _call(client, shop.token, "post", "/orders", body)
    fo_id = order["fulfillment_orders"][0]["id"]
    ship = {"carrier": "DHL", "tracking_numbers": ["CH1"]}
    shipped = _call(client, shop.token, "post", f"/fulfillment/orders/{fo_id}/ship", ship)
    shop.shipments["web-abroad"] = shipped["shipments"][-1]["id"]
