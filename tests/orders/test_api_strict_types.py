"""Order inputs are typed and bounded to what the database stores (issue 7, items 1-5).

Money columns are NUMERIC(18, 3), which SQLite keeps as a 15-digit REAL: every amount, given or
computed, is at most 999999999999.999 and round-trips exactly on both databases. Quantities are
strict integers; date-times lie within 1970..9999 UTC; countries and currencies are ISO codes.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ordino.events.models import OutboxEvent
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order, OrderChange, OrderLine
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db


def database() -> tuple:
    """What a refused request must leave as it was."""
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderChange.objects.count(),
        StockMovement.objects.count(),
        OutboxEvent.objects.count(),
        sorted(StockBalance.objects.values_list("id", "on_hand", "committed")),
    )


def assert_refused(response, status: int, code: str, fields: list[str]) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code, problem
    assert [e["field"] for e in problem.get("errors", [])] == fields, problem


class Api:
    """The test's API client, sending Decimal values as JSON numbers (1E+30 stays 1E+30)."""

    def __init__(self, api) -> None:
        self._api = api
        self.get = api.get

    def post(self, path: str, body: dict):
        text = json.dumps(body, default=lambda d: f"@@{d}@@")
        return self._api.post(path, raw=re.sub(r'"@@(.*?)@@"', r"\1", text).encode())


@pytest.fixture
def api(api):
    return Api(api)


def one_line(**line) -> list[dict]:
    return [{"sku": "TEE", "quantity": 1, "unit_price": "10.00", **line}]


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "unit_price", "stored"),
    [
        ("EUR", "999999999999.99", "999999999999.99"),
        ("EUR", 999999999999.99, "999999999999.99"),  # a JSON number, read as a Decimal
        ("KWD", "999999999999.999", "999999999999.999"),
        ("KWD", "0.001", "0.001"),
        ("JPY", "999999999999", "999999999999"),
    ],
)
def test_the_largest_and_smallest_amounts_round_trip_exactly(
    api, shop, currency, unit_price, stored
):
    # given a channel selling in the currency
    make_channel("shop", currency=currency)
    stock(shop["wh_a"], shop["TEE"], 1)
    # when an order of one unit at the largest (or smallest) price is captured
    body = order_body(channel="shop", currency=currency, lines=one_line(unit_price=unit_price))
    response = api.post("/orders", body)
    # then it is stored and read back exactly, on SQLite as on PostgreSQL
    assert response.status_code == 201, response.content
    read = api.get(f"/orders/{response.json()['id']}").json()
    assert (read["lines"][0]["unit_price"], read["grand_total"]) == (stored, stored)
    assert api.get("/orders").status_code == 200
    line = OrderLine.objects.get()
    assert (line.unit_price, line.total) == (Decimal(stored), Decimal(stored))


def test_a_line_whose_total_passes_the_bound_is_refused_and_changes_nothing(api, shop):
    # given stock; the reproduction: 1,000,000 × 1,000,000,000.00 (was 201, then 500s)
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    # when
    lines = [
        {"sku": "TEE", "quantity": 1, "unit_price": "1.00"},
        {"sku": "TEE", "quantity": 1_000_000, "unit_price": "1000000000.00"},
    ]
    response = api.post("/orders", order_body(lines=lines))
    # then: 422 naming the line, nothing written; every list still answers
    assert_refused(response, 422, "amount_too_large", ["lines.1"])
    assert database() == before
    assert api.get("/orders").status_code == 200


def test_lines_each_fine_whose_sum_passes_the_bound_are_refused(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    line = {"sku": "TEE", "quantity": 1, "unit_price": "600000000000.00"}
    response = api.post("/orders", order_body(lines=[line, line]))
    assert_refused(response, 422, "amount_too_large", ["lines"])
    assert database() == before


@pytest.mark.parametrize(
    ("field", "value", "code", "error_code"),
    [
        ("unit_price", "99999999999999.99", "amount_too_large", "amount_too_large"),
        ("unit_price", Decimal("1E+30"), "amount_too_large", "amount_too_large"),
        ("unit_price", "1e400", "validation_error", "decimal_parsing"),
        ("unit_price", "1E+999999999", "validation_error", "decimal_parsing"),
        ("unit_price", "NaN", "validation_error", "decimal_parsing"),
        ("unit_price", True, "validation_error", "decimal_type"),
        ("unit_price", -1, "validation_error", "greater_than_equal"),
        ("discount", Decimal("1E+30"), "amount_too_large", "amount_too_large"),
        ("tax", "1000000000000", "amount_too_large", "amount_too_large"),
    ],
)
def test_a_line_amount_past_the_bound_or_of_the_wrong_type_is_refused(
    api, shop, field, value, code, error_code
):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    body = order_body(lines=one_line(**{field: value}))
    response = api.post("/orders", body)
    assert_refused(response, 422, code, [f"lines.0.{field}"])
    assert response.json()["errors"][0]["code"] == error_code
    assert database() == before


@pytest.mark.parametrize("field", ["shipping_price", "shipping_tax", "discount", "total"])
@pytest.mark.parametrize("value", [Decimal("1E+30"), Decimal("1E+999999999"), "1e400", False])
def test_an_order_amount_past_the_bound_is_refused(api, shop, field, value):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    response = api.post("/orders", order_body(**{field: value}))
    expected = "amount_too_large" if isinstance(value, Decimal) else "validation_error"
    assert_refused(response, 422, expected, [field])
    assert database() == before


def test_an_edit_adding_a_line_past_the_bound_is_refused_and_changes_nothing(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    before = database()
    huge = {"sku": "TEE", "quantity": 1, "unit_price": Decimal("1E+30")}
    response = api.post(f"/orders/{order['id']}/edit", {"add_lines": [huge]})
    assert_refused(response, 422, "amount_too_large", ["add_lines.0.unit_price"])
    many = {"sku": "TEE", "quantity": 1_000_000, "unit_price": "1000000000.00"}
    response = api.post(f"/orders/{order['id']}/edit", {"add_lines": [many]})
    assert_refused(response, 422, "amount_too_large", ["add_lines.0"])
    assert database() == before


def test_an_edit_raising_a_quantity_past_the_bound_names_the_change(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    body = order_body(lines=one_line(unit_price="900000000000.00"))
    order = api.post("/orders", body).json()
    before = database()
    response = api.post(
        f"/orders/{order['id']}/edit", {"change_lines": [{"line_no": 1, "quantity": 2}]}
    )
    assert_refused(response, 422, "amount_too_large", ["change_lines.0.quantity"])
    assert database() == before


# --- integers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", ["2", True, 2.0, 1_000_001])
def test_a_line_quantity_is_a_strict_bounded_integer(api, shop, quantity):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    response = api.post("/orders", order_body(lines=[{**one_line()[0], "quantity": quantity}]))
    assert_refused(response, 422, "validation_error", ["lines.0.quantity"])
    assert database() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("cancel", {"lines": [{"line_no": "1", "quantity": 1}]}, "lines.0.line_no"),
        ("cancel", {"lines": [{"line_no": True, "quantity": 1}]}, "lines.0.line_no"),
        ("cancel", {"lines": [{"line_no": 1, "quantity": "1"}]}, "lines.0.quantity"),
        ("edit", {"expected_version": "1", "reason": "x"}, "expected_version"),
        ("edit", {"expected_version": True, "reason": "x"}, "expected_version"),
        ("edit", {"remove_lines": ["1"]}, "remove_lines.0"),
        ("edit", {"change_lines": [{"line_no": 1, "quantity": True}]}, "change_lines.0.quantity"),
    ],
)
def test_line_numbers_versions_and_quantities_are_strict_integers(api, shop, path, body, field):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    before = database()
    response = api.post(f"/orders/{order['id']}/{path}", body)
    assert_refused(response, 422, "validation_error", [field])
    assert database() == before


# --- date-times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("placed_at", "code"),
    [
        ("0001-01-01T00:00:00+14:00", "date_out_of_range"),
        ("1969-12-31T23:59:59Z", "date_out_of_range"),
        ("9999-12-31T23:59:59-14:00", "date_out_of_range"),
        ("2099-01-01T00:00:00Z", "date_in_future"),
    ],
)
def test_a_placed_at_out_of_range_is_refused(api, shop, placed_at, code):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    response = api.post("/orders", order_body(placed_at=placed_at))
    assert_refused(response, 422, code, ["placed_at"])
    assert database() == before
    assert api.get("/orders").status_code == 200


def test_a_years_old_placed_at_is_kept_for_a_migration_replay(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    response = api.post("/orders", order_body(placed_at="1999-12-31T23:00:00-01:00"))
    assert response.status_code == 201, response.content
    assert Order.objects.get().placed_at == datetime(2000, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+00:01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00"]
)
@pytest.mark.parametrize("name", ["created_after", "created_before"])
def test_an_order_filter_date_out_of_range_is_a_422(api, shop, name, value):
    response = api.get("/orders", **{name: value})
    assert_refused(response, 422, "date_out_of_range", [name])


# --- codes and text ---------------------------------------------------------------------------


def test_countries_and_currency_are_stored_upper_case(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    address = {**order_body()["shipping_address"], "country": "de"}
    body = order_body(currency="eur", shipping_address=address, billing_address=address)
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert order.currency == "EUR"
    assert (order.shipping_address["country"], order.billing_address["country"]) == ("DE", "DE")


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (
            {"shipping_address": {"line1": "x", "city": "y", "country": "XX"}},
            "invalid_country",
            "shipping_address.country",
        ),
        (
            {"billing_address": {"line1": "x", "city": "y", "country": "XX"}},
            "invalid_country",
            "billing_address.country",
        ),
        ({"currency": "XYZ"}, "unknown_currency", "currency"),
        ({"currency": "EURO"}, "validation_error", "currency"),
    ],
)
@pytest.mark.parametrize("with_customer", [True, False])
def test_an_unknown_country_or_currency_names_its_field(
    api, shop, change, code, field, with_customer
):
    # given stock (a refused order must not reserve it), with or without a customer block
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    body = order_body(**change)
    if not with_customer:
        body.pop("customer")
    before = database()
    response = api.post("/orders", body)
    assert_refused(response, 422, code, [field])
    assert database() == before


def test_an_unknown_sku_names_its_line(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    lines = [*one_line(), {"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}]
    response = api.post("/orders", order_body(lines=lines))
    assert_refused(response, 422, "sku_not_found", ["lines.1.sku"])
    assert database() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tags": ["x" * 65]}, "tags.0"),
        ({"tags": [f"t{i}" for i in range(51)]}, "tags"),
        ({"external_id": "x" * 129}, "external_id"),
        ({"lines": one_line(name="x" * 256)}, "lines.0.name"),
        ({"customer": {"email": "a@" + "x" * 300}}, "customer.email"),
    ],
)
def test_text_past_its_column_is_refused(api, shop, change, field):
    stock(shop["wh_a"], shop["TEE"], 5)
    before = database()
    response = api.post("/orders", order_body(**change))
    assert_refused(response, 422, "validation_error", [field])
    assert database() == before


def test_a_raw_payload_past_the_configured_cap_is_refused(api, shop, settings):
    # given a cap of 1 KiB
    settings.ORDINO_RAW_PAYLOAD_MAX_BYTES = 1024
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    before = database()
    # when the channel's payload is larger
    response = api.post("/orders", order_body(raw_payload={"blob": "x" * 1100}))
    # then 422 naming raw_payload; one within the cap is kept
    assert_refused(response, 422, "raw_payload_too_large", ["raw_payload"])
    assert database() == before
    response = api.post("/orders", order_body(raw_payload={"blob": "x" * 900}))
    assert response.status_code == 201, response.content
    assert Order.objects.get().raw_payload == {"blob": "x" * 900}


@pytest.mark.parametrize(("name", "value"), [("status", "bogus"), ("status", "ALLOCATED")])
def test_an_unknown_status_filter_lists_the_allowed_values(api, shop, name, value):
    response = api.get("/orders", **{name: value})
    assert_refused(response, 422, "validation_error", [name])
    assert "'allocated'" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("number", "stored"),
    [("2.5", 2.5), ("1e400", "1E+400"), ("NaN", "NaN"), ("-Infinity", "-Infinity")],
)
def test_numbers_in_a_raw_payload_are_stored_as_json_takes_them(api, shop, number, stored):
    # found by the boundary sweep: a JSON number in raw_payload (read as a Decimal) was a 500
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    body = json.dumps(order_body()).replace('"lines"', f'"raw_payload": {{"n": {number}}}, "lines"')
    response = api._api.post("/orders", raw=body.encode())
    assert response.status_code == 201, response.content
    assert Order.objects.get().raw_payload == {"n": stored}


def test_an_amount_with_trailing_zeros_past_the_currency_decimals_is_exact(api, shop):
    # "19.990000000" is 19.99 exactly: taken, stored with the currency's decimals
    stock(shop["wh_a"], shop["TEE"], 5)
    response = api.post("/orders", order_body(lines=one_line(unit_price="19.990000000")))
    assert response.status_code == 201, response.content
    assert response.json()["lines"][0]["unit_price"] == "19.99"
