"""Tax at capture and edit: computed from the rates when the lines omit it, kept exactly when
the channel sends it; exclusive and inclusive channels; JPY, EUR, KWD; pickup's store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ordino.catalog.models import Sku
from ordino.channels.models import Channel
from ordino.orders.models import Order, OrderLine, OrderTimelineEntry
from ordino.tax.models import TaxRate
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db


def rate(country, value, tax_class="standard", region="", name=None, start=date(2020, 1, 1)):
    return TaxRate.objects.create(
        country=country,
        region=region,
        tax_class=tax_class,
        rate=Decimal(value),
        name=name or f"{country}{region} {tax_class}",
        valid_from=start,
    )


@pytest.fixture
def taxed_shop(shop):
    """DE: standard 19 %, reduced 7 % (the MUG's class); stock for every SKU at WH-A."""
    rate("DE", "19", name="DE VAT standard")
    rate("DE", "7", "reduced", name="DE VAT reduced")
    Sku.objects.filter(code="MUG").update(tax_class="reduced")
    for code in ("TEE", "MUG", "CAP"):
        stock(shop["wh_a"], shop[code], 100)
    return shop


def lines_of(order_id):
    return list(OrderLine.objects.filter(order_id=order_id).order_by("line_no"))


def test_omitted_tax_is_computed_per_rate_and_stored_with_the_rate(api, taxed_shop):
    # given an exclusive channel and DE rates; when an order omits its tax (shipping 4.95)
    body = order_body("T-1", shipping_price="4.95", total="63.64")
    response = api.post("/orders", body)
    # then standard taxes 39.98 + 4.95 = 44.93 (8.54: 7.60 + 0.94), reduced 9.50 (0.67)
    assert response.status_code == 201, response.content
    order = Order.objects.get(external_id="T-1")
    tee, mug = lines_of(order.pk)
    assert (tee.tax, tee.tax_rate, tee.tax_rate_name) == (
        Decimal("7.600"),
        Decimal("19.000"),
        "DE VAT standard",
    )
    assert (mug.tax, mug.tax_rate, mug.tax_rate_name) == (
        Decimal("0.670"),
        Decimal("7.000"),
        "DE VAT reduced",
    )
    assert (order.shipping_tax, order.tax_total) == (Decimal("0.940"), Decimal("9.210"))
    # the total the channel sent agrees: 39.98 + 7.60 + 9.50 + 0.67 + 4.95 + 0.94
    assert order.grand_total == Decimal("63.640")
    line_out = response.json()["lines"][0]
    assert (line_out["tax_rate"], line_out["tax_rate_name"]) == ("19.000", "DE VAT standard")
    # and the timeline says how
    captured = OrderTimelineEntry.objects.get(order=order, kind="captured")
    assert captured.data["tax"] == {
        "computed": True,
        "rates": [
            {"name": "DE VAT standard", "rate": "19.000", "base": "44.93", "tax": "8.54"},
            {"name": "DE VAT reduced", "rate": "7.000", "base": "9.50", "tax": "0.67"},
        ],
        "notes": [],
    }


def test_a_channel_s_tax_is_kept_exactly(api, taxed_shop):
    # given rates that would say otherwise; when the channel sends its own tax
    lines = [
        {"sku": "TEE", "quantity": 2, "unit_price": "19.99", "tax": "1.23"},
        {"sku": "MUG", "quantity": 1, "unit_price": "9.50", "tax": "0.00"},
    ]
    response = api.post("/orders", order_body("T-2", lines=lines, shipping_price="4.95"))
    # then the tax is the channel's, no rate is stored, and the omitted shipping tax is 0
    assert response.status_code == 201, response.content
    order = Order.objects.get(external_id="T-2")
    assert [(line.tax, line.tax_rate) for line in lines_of(order.pk)] == [
        (Decimal("1.230"), None),
        (Decimal("0.000"), None),
    ]
    assert (order.shipping_tax, order.tax_total) == (0, Decimal("1.230"))
    assert "tax" not in OrderTimelineEntry.objects.get(order=order, kind="captured").data


def test_given_and_omitted_tax_in_one_order_is_refused_and_writes_nothing(api, taxed_shop):
    # when one line gives its tax and the other omits it
    lines = [
        {"sku": "TEE", "quantity": 1, "unit_price": "10.00", "tax": "1.90"},
        {"sku": "MUG", "quantity": 1, "unit_price": "10.00"},
    ]
    response = api.post("/orders", order_body("T-3", lines=lines))
    # then 422 names the line that omits it, and nothing was written
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "tax_partly_given"
    assert [e["field"] for e in response.json()["errors"]] == ["lines.1.tax"]
    assert not Order.objects.exists()


def test_an_inclusive_channel_s_tax_is_the_included_part(api, taxed_shop):
    # given a channel whose prices include tax
    Channel.objects.filter(code="web").update(prices_include_tax=True)
    lines = [{"sku": "TEE", "quantity": 1, "unit_price": "119.00"}]
    # when an order omits its tax, with shipping 5.95 (gross) and the channel's total
    response = api.post(
        "/orders", order_body("T-4", lines=lines, shipping_price="5.95", total="124.95")
    )
    # then the tax is inside: 124.95 × 19 / 119 = 19.95, the line's 19.00, shipping's 0.95
    assert response.status_code == 201, response.content
    order = Order.objects.get(external_id="T-4")
    (tee,) = lines_of(order.pk)
    assert (tee.total, tee.tax) == (Decimal("119.000"), Decimal("19.000"))
    assert (order.shipping_tax, order.tax_total) == (Decimal("0.950"), Decimal("19.950"))
    assert order.grand_total == Decimal("124.950")


def test_an_inclusive_channel_s_given_tax_above_the_price_is_refused(api, taxed_shop):
    Channel.objects.filter(code="web").update(prices_include_tax=True)
    lines = [{"sku": "TEE", "quantity": 1, "unit_price": "1.00", "tax": "1.01"}]
    response = api.post("/orders", order_body("T-5", lines=lines))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "tax_exceeds_price"
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("currency", "price", "tax"),
    [("JPY", "1999", "380"), ("EUR", "19.99", "3.80"), ("KWD", "1.999", "0.380")],
)
def test_minor_units(api, taxed_shop, currency, price, tax):
    # given a channel in JPY, EUR or KWD
    make_channel(f"web-{currency}", currency=currency)
    body = order_body("T-6", lines=[{"sku": "TEE", "quantity": 1, "unit_price": price}])
    # when an order omits its tax
    response = api.post("/orders", {**body, "channel": f"web-{currency}", "currency": currency})
    # then the tax has the currency's decimals
    assert response.status_code == 201, response.content
    assert response.json()["lines"][0]["tax"] == tax


def test_the_region_s_rate_and_no_rate_said(api, taxed_shop):
    # given New York's rate only
    rate("US", "8.875", region="NY", name="NY sales tax")
    address = {"line1": "1 Main St", "city": "New York", "country": "US", "region": "NY"}
    lines = [{"sku": "TEE", "quantity": 1, "unit_price": "100.00"}]
    ny = api.post("/orders", order_body("T-7", lines=lines, shipping_address=address))
    elsewhere = api.post(
        "/orders",
        order_body("T-8", lines=lines, shipping_address={**address, "region": "NJ"}),
    )
    # then NY pays 8.88; New Jersey has no rate: 0, and the timeline says so
    assert ny.json()["lines"][0]["tax"] == "8.88"
    assert elsewhere.json()["lines"][0]["tax"] == "0.00"
    captured = OrderTimelineEntry.objects.get(order_id=elsewhere.json()["id"], kind="captured")
    assert captured.data["tax"]["notes"] == [
        f"No tax rate for class 'standard' in US-NJ on {date.today().isoformat()}: tax 0."
    ]


def test_a_pickup_order_is_taxed_where_the_store_is(api, taxed_shop):
    # given the store in Austria (20 %), and a German shipping address on the order
    rate("AT", "20", name="AT USt")
    store = taxed_shop["store"]
    store.country = "AT"
    store.save()
    stock(store, taxed_shop["TEE"], 5)
    lines = [{"sku": "TEE", "quantity": 1, "unit_price": "10.00"}]
    body = order_body("T-9", lines=lines, delivery_method="pickup", pickup_location="STORE-1")
    # when it is captured, then Austria's rate applies
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    assert response.json()["lines"][0]["tax"] == "2.00"


def test_a_repeat_of_an_order_without_tax_is_a_replay(api, taxed_shop):
    first = api.post("/orders", order_body("T-10"))
    again = api.post("/orders", order_body("T-10"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert Order.objects.count() == 1


def test_an_edit_s_new_line_is_taxed_the_same_way(api, taxed_shop):
    # given a captured order whose tax Ordino computed
    order = api.post("/orders", order_body("T-11")).json()
    # when a line is added without tax, and another order's with tax
    added = api.post(
        f"/orders/{order['id']}/edit",
        {"add_lines": [{"sku": "MUG", "quantity": 2, "unit_price": "5.00"}]},
    )
    # then the new line is taxed at the reduced rate: 10.00 × 7 % = 0.70
    assert added.status_code == 200, added.content
    new = OrderLine.objects.get(order_id=order["id"], line_no=3)
    assert (new.tax, new.tax_rate, new.total) == (
        Decimal("0.700"),
        Decimal("7.000"),
        Decimal("10.700"),
    )


def test_an_edit_mixing_given_and_omitted_tax_is_refused(api, taxed_shop):
    order = api.post("/orders", order_body("T-12")).json()
    response = api.post(
        f"/orders/{order['id']}/edit",
        {
            "add_lines": [
                {"sku": "MUG", "quantity": 1, "unit_price": "5.00", "tax": "0.35"},
                {"sku": "CAP", "quantity": 1, "unit_price": "5.00"},
            ]
        },
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "tax_partly_given"
    assert [e["field"] for e in response.json()["errors"]] == ["add_lines.1.tax"]
    assert OrderLine.objects.filter(order_id=order["id"]).count() == 2
