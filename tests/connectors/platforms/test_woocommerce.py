"""WooCommerce platform module: webhook verification, the v3 order mapped to a capture, the
pull by `modified_after`. Pure, no database. Fixtures: tests/connectors/fixtures/woocommerce/
(README.md there says which document and section each comes from)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ordino.connectors.platforms.base import MappingError, WebhookRefused
from ordino.connectors.platforms.woocommerce import PLATFORM
from ordino.orders.commands import LineItem, OrderAddress, OrderCustomer
from tests.connectors.platforms.fakes import FakeTransport, fixture

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SECRET = "wc-secret-123"


def signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def headers(body: bytes, **extra: str) -> dict[str, str]:
    return {
        "X-WC-Webhook-Signature": signed(body),
        "X-WC-Webhook-Topic": "order.created",
        "X-WC-Webhook-Delivery-ID": "a1b2c3",
        **extra,
    }


# --- mapping ------------------------------------------------------------------------------


def test_the_documented_order_maps_line_by_line_with_exact_money():
    # given the "Retrieve an order" example (prices excluding tax)
    payload = fixture("woocommerce", "order_727.json")
    # when it is mapped
    order = PLATFORM.order_from_payload(payload, channel="woo")
    # then every amount is the channel's, exact, and the grand total is Woo's
    assert order.channel == "woo" and order.external_id == "727" and order.currency == "USD"
    assert order.lines == (
        LineItem(
            "woo-single-1",
            2,
            Decimal("3.00"),
            Decimal("0.00"),
            Decimal("0.45"),
            "Woo Single #1",
            "315",
        ),
        LineItem(
            "Bar3",
            1,
            Decimal("12.00"),
            Decimal("0.00"),
            Decimal("0.90"),
            "Ship Your Idea – Color: Black, Size: M Test",
            "316",
        ),
    )
    assert (order.shipping_price, order.shipping_tax) == (Decimal("10.00"), Decimal("0.00"))
    assert order.discount == Decimal("0.00") and order.total == Decimal("29.35")
    assert order.placed_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    assert order.customer == OrderCustomer(
        "", "john.doe@example.com", "(555) 555-5555", "John", "Doe"
    )
    assert order.shipping_address == OrderAddress(
        line1="969 Market",
        city="San Francisco",
        country="US",
        name="John Doe",
        region="CA",
        postal_code="94103",
    )
    assert order.billing_address == OrderAddress(
        line1="969 Market",
        city="San Francisco",
        country="US",
        name="John Doe",
        region="CA",
        postal_code="94103",
        phone="(555) 555-5555",
    )
    assert order.tags == ("channel:woocommerce", "fulfillment:merchant")
    assert order.raw_payload == payload


def test_prices_including_tax_map_as_shown_and_an_indivisible_line_is_split_to_the_cent():
    # given a shop entering prices with VAT, a 10 % coupon, 3 items costing 10.00 together
    payload = fixture("woocommerce", "order_inclusive_coupon.json")
    # when it is mapped
    order = PLATFORM.order_from_payload(payload, channel="woo-de")
    # then the lines carry the inclusive price, the coupon as the line's discount, the VAT
    assert order.lines == (
        LineItem(
            "SHIRT-LIN-M",
            3,
            Decimal("11.90"),
            Decimal("3.57"),
            Decimal("5.13"),
            "Linen Shirt – Size: M",
            "901",
        ),
        LineItem(
            "SLEEVE",
            1,
            Decimal("3.34"),
            Decimal("0.00"),
            Decimal("0.53"),
            "Gift card sleeve",
            "902",
        ),
        LineItem(
            "SLEEVE",
            2,
            Decimal("3.33"),
            Decimal("0.00"),
            Decimal("1.07"),
            "Gift card sleeve",
            "902",
        ),
    )
    # and shipping includes its tax, the negative fee is the order's discount
    assert (order.shipping_price, order.shipping_tax) == (Decimal("5.00"), Decimal("0.80"))
    assert order.discount == Decimal("2.00") and order.total == Decimal("45.13")
    lines_total = sum(line.unit_price * line.quantity - line.discount for line in order.lines)
    assert lines_total + order.shipping_price - order.discount == order.total
    assert order.shipping_address.company == "Atelier S"
    assert order.customer.external_id == "26"
    assert order.tags == ("channel:woocommerce", "fulfillment:merchant", "coupon:autumn10")


@pytest.mark.parametrize("name", ["order_727.json", "order_inclusive_coupon.json"])
def test_a_re_parse_of_the_stored_raw_payload_gives_the_identical_command(name):
    payload = fixture("woocommerce", name)
    first = PLATFORM.order_from_payload(payload, channel="woo")
    again = PLATFORM.order_from_payload(payload, channel="woo")
    stored = json.loads(json.dumps(first.raw_payload))
    replayed = PLATFORM.order_from_payload(stored, channel="woo")
    assert first == again == replayed
    assert first.fingerprint() == replayed.fingerprint()


def broken(change) -> dict:
    payload = fixture("woocommerce", "order_727.json")
    change(payload)
    return payload


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda o: o["line_items"][0].update(sku=""), "line_items.0.sku"),
        (lambda o: o.update(currency="XYZ"), "currency"),
        (lambda o: o["line_items"][1].update(quantity=-1), "line_items.1.quantity"),
        (lambda o: o["line_items"][1].update(quantity=1.5), "line_items.1.quantity"),
        (lambda o: o["line_items"][0].update(total=6.0), "line_items.0.total"),
        (lambda o: o["line_items"][0].update(total="6.001"), "line_items.0.total"),
        (lambda o: o["line_items"][0].update(total="7.00"), "line_items.0.total"),
        (lambda o: o.update(line_items=[]), "line_items"),
        (lambda o: o.update(total="NaN"), "total"),
        (lambda o: o["shipping_lines"][0].update(total="-1.00"), "shipping_lines.0.total"),
        (lambda o: o.update(fee_lines=[{"total": "1.50", "total_tax": "0"}]), "fee_lines.0"),
        (lambda o: o["shipping"].update(country="Germany"), "shipping.country"),
        (
            lambda o: (o["shipping"].update(address_1=""), o["billing"].update(address_1="")),
            "shipping",
        ),
        (lambda o: o.update(date_created_gmt="yesterday"), "date_created_gmt"),
        (lambda o: o.update(status="checkout-draft"), "status"),
        (lambda o: o.update(prices_include_tax="yes"), "prices_include_tax"),
    ],
)
def test_an_unmappable_field_is_refused_naming_its_json_path(change, path):
    with pytest.raises(MappingError) as refused:
        PLATFORM.order_from_payload(broken(change), channel="woo")
    assert refused.value.path == path


def test_an_order_without_shipping_address_ships_to_the_billing_address():
    payload = broken(lambda o: o["shipping"].update(address_1="", city=""))
    order = PLATFORM.order_from_payload(payload, channel="woo")
    assert order.shipping_address == order.billing_address


# --- state --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cancelled"),
    [
        ("processing", False),
        ("on-hold", False),
        ("completed", False),
        ("pending", False),
        ("cancelled", True),
        ("refunded", True),
        ("failed", True),
        ("trash", True),
    ],
)
def test_the_order_state_says_cancelled_for_ended_statuses(status, cancelled):
    state = PLATFORM.order_state(broken(lambda o: o.update(status=status)))
    assert state.external_id == "727"
    assert state.updated_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)
    assert state.cancelled is cancelled


def test_a_deleted_orders_webhook_body_is_a_cancellation():
    state = PLATFORM.order_state({"id": 727})
    assert (state.external_id, state.updated_at, state.cancelled) == ("727", None, True)


# --- webhooks -----------------------------------------------------------------------------


def test_a_signed_order_webhook_is_accepted_with_its_delivery_and_topic():
    body = json.dumps(fixture("woocommerce", "order_727.json")).encode()
    check = PLATFORM.webhook_verify(body=body, headers=headers(body), secret=SECRET, now=NOW)
    digest = hashlib.sha256(body).hexdigest()
    assert (check.delivery_id, check.topic, check.sent_at) == (
        f"a1b2c3:{digest}",
        "order.created",
        None,
    )


def test_two_deliveries_in_the_same_second_sharing_woos_delivery_id_stay_two():
    # given Woo's delivery id, made from the webhook's id and the second: the same for both
    first, second = b'{"id": 727}', b'{"id": 728}'
    checks = [
        PLATFORM.webhook_verify(body=b, headers=headers(b), secret=SECRET, now=NOW)
        for b in (first, second)
    ]
    # then they are two deliveries, and the same body again is the same delivery
    assert checks[0].delivery_id != checks[1].delivery_id
    again = PLATFORM.webhook_verify(body=first, headers=headers(first), secret=SECRET, now=NOW)
    assert again.delivery_id == checks[0].delivery_id


def test_header_names_are_read_whatever_their_case():
    body = b'{"id": 727}'
    lower = {
        k.lower(): v for k, v in headers(body, **{"X-WC-Webhook-Topic": "order.deleted"}).items()
    }
    check = PLATFORM.webhook_verify(body=body, headers=lower, secret=SECRET, now=NOW)
    assert check.topic == "order.deleted"


@pytest.mark.parametrize(
    ("body", "hdrs", "secret", "code"),
    [
        (b'{"id": 728}', headers(b'{"id": 727}'), SECRET, "signature_invalid"),  # tampered
        (b'{"id": 727}', headers(b'{"id": 727}'), "other", "signature_invalid"),  # wrong secret
        (b'{"id": 727}', {"X-WC-Webhook-Topic": "order.created"}, SECRET, "signature_missing"),
        (b'{"id": 727}', headers(b'{"id": 727}'), "", "secret_missing"),
        (
            b'{"id": 1}',
            headers(b'{"id": 1}', **{"X-WC-Webhook-Topic": "product.created"}),
            SECRET,
            "topic_unsupported",
        ),
    ],
)
def test_a_webhook_that_fails_a_check_is_refused_with_its_reason(body, hdrs, secret, code):
    with pytest.raises(WebhookRefused) as refused:
        PLATFORM.webhook_verify(body=body, headers=hdrs, secret=secret, now=NOW)
    assert refused.value.code == code


def test_woos_unsigned_ping_on_webhook_creation_is_a_ping_check():
    check = PLATFORM.webhook_verify(body=b"webhook_id=42", headers={}, secret=SECRET, now=NOW)
    assert (check.delivery_id, check.topic) == ("ping:42", "ping")


def test_a_delivery_without_delivery_id_is_identified_by_its_body():
    body = b'{"id": 727}'
    hdrs = headers(body)
    del hdrs["X-WC-Webhook-Delivery-ID"]
    check = PLATFORM.webhook_verify(body=body, headers=hdrs, secret=SECRET, now=NOW)
    assert check.delivery_id == "body:" + hashlib.sha256(body).hexdigest()


# --- pull ---------------------------------------------------------------------------------


def test_the_pull_pages_by_modification_until_a_short_page():
    # given a first full page of 100 orders and a second of 1
    order = fixture("woocommerce", "order_727.json")
    full = [{**order, "id": n} for n in range(1, 101)]
    transport = FakeTransport([full, [{**order, "id": 101}]])
    # when the orders modified after a moment are pulled
    after = datetime(2026, 11, 30, 10, 15, 30, 123456, tzinfo=UTC)
    pulled = list(PLATFORM.orders_pull(transport, updated_after=after))
    # then both pages are read in order, with the documented parameters and operation name
    assert [o["id"] for o in pulled] == list(range(1, 102))
    expected = {
        "modified_after": "2026-11-30T10:15:30",
        "dates_are_gmt": "true",
        "orderby": "modified",
        "order": "asc",
        "per_page": 100,
    }
    assert [(c.path, c.params, c.operation) for c in transport.calls] == [
        ("/wp-json/wc/v3/orders", {**expected, "page": 1}, "listOrders"),
        ("/wp-json/wc/v3/orders", {**expected, "page": 2}, "listOrders"),
    ]
    assert set(PLATFORM.rate_limits) == {
        "listOrders", "getOrder", "updateOrder", "products/list", "products/batch",
    }  # fmt: skip


def test_an_empty_first_page_ends_the_pull_after_one_call():
    transport = FakeTransport([[]])
    assert list(PLATFORM.orders_pull(transport, updated_after=NOW)) == []
    assert len(transport.calls) == 1


def test_a_page_that_is_not_a_list_is_refused():
    transport = FakeTransport([{"code": "woocommerce_rest_cannot_view"}])
    with pytest.raises(MappingError):
        list(PLATFORM.orders_pull(transport, updated_after=NOW))
