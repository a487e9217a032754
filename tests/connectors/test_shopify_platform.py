"""The Shopify platform, pure: its signature check and its order mapping (no database)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.platforms.base import MappingError, WebhookRefused
from tests.connectors.shopify import ORDER, SECRET, shopify_order

SHOPIFY = PLATFORMS["shopify"]
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return {"X-Shopify-Hmac-Sha256": digest, "X-Shopify-Webhook-Id": "w-1",
            "X-Shopify-Topic": "orders/create"}  # fmt: skip


def test_a_body_signed_with_the_secret_verifies_with_its_delivery_id_and_topic():
    body = json.dumps(ORDER).encode()
    check = SHOPIFY.webhook_verify(body=body, headers=_headers(body), secret=SECRET, now=NOW)
    assert (check.delivery_id, check.topic) == ("w-1", "orders/create")


def test_one_changed_byte_or_another_secret_is_refused():
    body = json.dumps(ORDER).encode()
    with pytest.raises(WebhookRefused) as tampered:
        SHOPIFY.webhook_verify(body=body + b" ", headers=_headers(body), secret=SECRET, now=NOW)
    with pytest.raises(WebhookRefused) as other:
        SHOPIFY.webhook_verify(body=body, headers=_headers(body, "x"), secret=SECRET, now=NOW)
    assert tampered.value.code == other.value.code == "signature_invalid"


def test_the_sample_order_maps_with_exact_money_lines_addresses_and_payment():
    command = SHOPIFY.order_from_payload(ORDER, channel="web")
    assert (command.external_id, command.currency, command.total) == (
        "450789469", "EUR", Decimal("60.55"))  # fmt: skip
    tee, mug = command.lines
    assert (tee.sku, tee.quantity, tee.unit_price, tee.discount, tee.tax, tee.external_id) == (
        "TEE", 2, Decimal("19.99"), Decimal("4.00"), Decimal("6.84"), "466157049")  # fmt: skip
    assert (mug.sku, mug.quantity, mug.tax) == ("MUG", 1, Decimal("1.90"))
    assert (command.shipping_price, command.shipping_tax) == (Decimal("4.90"), Decimal("0.93"))
    assert command.shipping_address.country == "DE"
    assert command.shipping_address.line1 == "Chestnut Street 92"
    assert command.customer.email == "bob.norman@mail.example.com"
    assert command.tags == ("gift", "vip")
    assert command.placed_at == datetime(2026, 11, 30, 15, 15, tzinfo=UTC)
    (payment,) = command.payments
    assert (payment.method, payment.provider) == ("card", "offline")
    assert command.raw_payload == ORDER  # unknown fields kept


def test_current_totals_and_quantities_win_after_edits_on_shopify():
    order = shopify_order(current_total_price="40.00", total_price="60.55")
    order["line_items"][1]["current_quantity"] = 0
    command = SHOPIFY.order_from_payload(order, channel="web")
    assert command.total == Decimal("40.00")
    assert [line.sku for line in command.lines] == ["TEE"]


@pytest.mark.parametrize(
    ("currency", "price", "expected"),
    [("EUR", "19.99", Decimal("19.99")), ("JPY", "1980", Decimal("1980")),
     ("KWD", "12.345", Decimal("12.345")), ("EUR", "19.9", Decimal("19.90"))],
)  # fmt: skip
def test_money_is_exact_in_the_currencys_minor_unit(currency, price, expected):
    order = shopify_order(currency=currency, shipping_lines=[], current_total_price=price)
    order["line_items"] = order["line_items"][:1]
    order["line_items"][0].update(
        discount_allocations=[], price=price, tax_lines=[{"price": price, "rate": 0.1}]
    )
    line = SHOPIFY.order_from_payload(order, channel="web").lines[0]
    assert line.unit_price == line.tax == expected
    assert line.unit_price.as_tuple().exponent == -{"EUR": 2, "JPY": 0, "KWD": 3}[currency]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda o: o.update(currency="JPY"), "line_items[0].price"),  # 19.99 yen: no such thing
        (lambda o: o["line_items"][0].update(price=19.99), "line_items[0].price"),  # a float
        (lambda o: o["line_items"][0].update(quantity="2", current_quantity=None),
         "line_items[0].quantity"),
        (lambda o: o.update(line_items=[]), "line_items"),
        (lambda o: o["shipping_address"].update(country_code="Germany"),
         "shipping_address.country_code"),
        (lambda o: o.pop("id"), "id"),
        (lambda o: o.update(currency="XXX1"), "currency"),
    ],
)  # fmt: skip
def test_a_payload_that_cannot_be_an_order_says_where(change, path):
    order = copy.deepcopy(ORDER)
    change(order)
    with pytest.raises(MappingError) as refused:
        SHOPIFY.order_from_payload(order, channel="web")
    assert refused.value.path == path


def test_the_state_says_cancelled_and_when_updated():
    state = SHOPIFY.order_state(shopify_order(cancelled_at="2026-11-30T12:00:00-05:00"))
    assert state.cancelled is True
    assert state.updated_at == datetime(2026, 11, 30, 15, 16, tzinfo=UTC)


@given(
    prices=st.lists(st.decimals(min_value=0, max_value=10**6, places=2), min_size=1, max_size=4),
    quantity=st.integers(min_value=1, max_value=50),
)
def test_reparsing_the_stored_raw_payload_gives_the_identical_command(prices, quantity):
    # given any order as Shopify sends it, stored as text
    order = shopify_order()
    template = order["line_items"][0]
    order["line_items"] = [
        {**template, "id": i, "sku": f"S{i}", "price": str(p), "quantity": quantity,
         "current_quantity": quantity} for i, p in enumerate(prices)
    ]  # fmt: skip
    first = SHOPIFY.order_from_payload(order, channel="web")
    # when the stored raw payload is parsed again
    again = SHOPIFY.order_from_payload(json.loads(json.dumps(first.raw_payload)), channel="web")
    # then the same command, the same fingerprint
    assert again == first and again.fingerprint() == first.fingerprint()
