"""The day the channel promised delivery by (docs/orders.md, "The promised day"): kept on the
order as sent, shown in its answer, part of what makes a repeat the same order; a promise
before the order was placed, or not a date, is refused naming the field with nothing stored."""

from __future__ import annotations

import pytest

from ordino.orders.models import Order
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db
PLACED = "2026-12-01T10:00:00Z"


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


def test_the_promised_day_is_kept_and_answered(api, stocked):
    r = api.post("/orders", order_body(placed_at=PLACED, promised_delivery="2026-12-04"))
    assert (r.status_code, r.json()["promised_delivery"]) == (201, "2026-12-04")
    assert str(Order.objects.get().promised_delivery) == "2026-12-04"
    assert api.get(f"/orders/{r.json()['id']}").json()["promised_delivery"] == "2026-12-04"


def test_without_a_promise_the_order_has_none(api, stocked):
    r = api.post("/orders", order_body())
    assert r.json()["promised_delivery"] is None


def test_the_same_promise_again_is_a_replay_and_another_is_refused(api, stocked):
    first = api.post("/orders", order_body(placed_at=PLACED, promised_delivery="2026-12-04"))
    again = api.post("/orders", order_body(placed_at=PLACED, promised_delivery="2026-12-04"))
    other = api.post("/orders", order_body(placed_at=PLACED, promised_delivery="2026-12-05"))
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert (other.status_code, other.json()["code"]) == (409, "order_exists")
    assert str(Order.objects.get().promised_delivery) == "2026-12-04"


def test_an_order_without_a_promise_keeps_its_fingerprint(api, stocked):
    # the field left out of the fingerprint when absent: orders captured before it replay
    from ordino.orders.schemas import OrderCreateIn

    body = order_body(placed_at=PLACED)
    with_field = OrderCreateIn.model_validate({**body, "promised_delivery": None}).command()
    without = OrderCreateIn.model_validate(body).command()
    assert with_field.fingerprint() == without.fingerprint()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-11-30", "promise_before_placed"),
        ("2026-12-4", "date_type"),
        (20261204, "date_type"),
        ("2026-02-30", "date_parsing"),
    ],
)
def test_a_bad_promise_is_refused_naming_the_field(api, stocked, value, code):
    r = api.post("/orders", order_body(placed_at=PLACED, promised_delivery=value))
    assert r.status_code == 422, r.content
    error = r.json()["errors"][0]
    assert (error["field"], error["code"]) == ("promised_delivery", code)
    assert Order.objects.count() == 0
