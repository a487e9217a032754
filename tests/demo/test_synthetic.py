"""The synthetic demo data set: deterministic, the intended size, exact money, valid codes.

Pure Python: no database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import phonenumbers
import pytest

from ordino.demo.spec import ean13, ean13_check_digit, ean13_valid
from ordino.demo.synthetic import demo_generate
from ordino.orders.schemas import OrderCreateIn

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def data():
    return demo_generate(seed=42, orders=300, now=NOW)


def two_decimals(value) -> bool:
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2


def test_same_seed_gives_the_same_data(data):
    # Given the seed 42 and a fixed clock
    # When the data set is generated a second time
    again = demo_generate(seed=42, orders=300, now=NOW)
    # Then every product, location, customer, receipt, order and cancel is equal
    assert again == data


def test_another_seed_gives_other_data(data):
    # Given another seed
    other = demo_generate(seed=7, orders=300, now=NOW)
    # Then the catalog, the customers and the orders differ, the places do not
    assert other.products != data.products
    assert other.customers != data.customers
    assert other.orders != data.orders
    assert other.locations == data.locations
    # and the orders of the two seeds never share an external id
    ids = {o["external_id"] for o in data.orders}
    assert ids.isdisjoint(o["external_id"] for o in other.orders)


def test_it_has_the_intended_size(data):
    # Given the default data set
    # Then it holds exactly the counts the README promises
    counts = data.counts()
    assert {k: counts[k] for k in ("products", "skus", "kits", "locations", "channels")} == {
        "products": 300,
        "skus": 400,
        "kits": 5,
        "locations": 12,
        "channels": 5,
    }
    assert counts["customers"] == 200
    assert counts["orders"] == 300
    # and stock is received in over two thousand ledger receipts
    assert counts["receipts"] > 2000


def test_smaller_sizes_are_honoured():
    # Given asked for a small shop
    small = demo_generate(seed=1, orders=10, now=NOW, products=20, skus=30, customers=5)
    # Then it has exactly that size (5 of the products are the kits)
    counts = small.counts()
    assert (counts["products"], counts["skus"], counts["kits"]) == (20, 30, 5)
    assert (counts["customers"], counts["orders"]) == (5, 10)


def test_money_is_decimal_with_two_places(data):
    # Given every price in the catalog and every amount in the orders
    prices = [sku.price for sku in data.skus]
    amounts = [
        line[field]
        for order in data.orders
        for line in order["lines"]
        for field in ("unit_price", "discount", "tax")
    ]
    amounts += [order[f] for order in data.orders for f in ("shipping_price", "shipping_tax")]
    # Then all are Decimal with exactly two decimals, and prices are positive
    assert all(two_decimals(v) for v in prices + amounts)
    assert min(prices) > 0
    assert {o["currency"] for o in data.orders} == {"EUR"}


def test_every_order_is_a_valid_capture_payload(data):
    # When each order is parsed by the API's input schema
    parsed = [OrderCreateIn.model_validate(order) for order in data.orders]
    # Then all parse, their SKUs exist, and pickups name a pickup store
    sku_codes = {sku.code for sku in data.skus}
    pickup_codes = {loc.code for loc in data.locations if loc.pickup}
    assert len(parsed) == 300
    assert all(line.sku in sku_codes for order in parsed for line in order.lines)
    pickups = [o for o in parsed if o.delivery_method == "pickup"]
    assert pickups and all(o.pickup_location in pickup_codes for o in pickups)
    assert {o.channel for o in parsed} == {"web", "marketplace", "pos", "phone", "api"}
    assert any(len(o.lines) > 1 for o in parsed)


def test_orders_are_in_the_last_six_weeks_oldest_first(data):
    placed = [order["placed_at"] for order in data.orders]
    assert placed == sorted(placed)
    assert (NOW - placed[0]).days < 42
    assert placed[-1] <= NOW


def test_cancels_name_captured_orders_and_real_lines(data):
    orders = {(o["channel"], o["external_id"]): o for o in data.orders}
    assert data.cancels
    for cancel in data.cancels:
        order = orders[(cancel.channel, cancel.external_id)]
        for line_no, quantity in cancel.lines or ():
            assert 1 <= line_no <= len(order["lines"])
            assert quantity <= order["lines"][line_no - 1]["quantity"]


def test_barcodes_are_unique_valid_ean13(data):
    barcodes = [sku.barcode for sku in data.skus]
    assert len(set(barcodes)) == 400
    assert all(ean13_valid(code) for code in barcodes)


def test_ean13_check_digit_matches_gs1():
    # Given a published EAN-13 (4006381333931)
    assert ean13_check_digit("400638133393") == 1
    assert ean13("400638133393") == "4006381333931"
    assert ean13_valid("4006381333931") is True
    assert ean13_valid("4006381333932") is False


def test_customers_have_unique_emails_and_valid_e164_phones(data):
    emails = [c.email for c in data.customers]
    assert len(set(emails)) == 200
    assert all(
        phonenumbers.is_valid_number(phonenumbers.parse(c.phone))
        and c.phone
        == phonenumbers.format_number(
            phonenumbers.parse(c.phone), phonenumbers.PhoneNumberFormat.E164
        )
        for c in data.customers
    )


def test_kits_are_made_of_simple_skus(data):
    simple = {sku.code for sku in data.skus if not sku.is_kit}
    kits = [sku for sku in data.skus if sku.is_kit]
    assert [k.code for k in kits] == [
        "KIT-OFFICE",
        "KIT-KITCHEN",
        "KIT-TRAVEL",
        "KIT-WEEKEND",
        "KIT-COSY",
    ]
    assert all(code in simple and qty > 0 for k in kits for code, qty in k.components)


def test_places_and_channels(data):
    kinds = [loc.kind for loc in data.locations]
    assert (kinds.count("warehouse"), kinds.count("store"), kinds.count("dropship")) == (4, 7, 1)
    assert {loc.country for loc in data.locations} == {"DE", "FR", "NL", "BE", "AT"}
    assert all(loc.latitude is not None and loc.longitude is not None for loc in data.locations)
    marketplace = next(c for c in data.channels if c.kind == "marketplace")
    assert (marketplace.stock_buffer, marketplace.excluded_locations) == (
        2,
        ("DS-AT-GRZ", "ST-BE-ANR"),
    )
    assert {c.currency for c in data.channels} == {"EUR"}
