"""POST /orders/{id}/comments: a staff comment on the timeline, bounded, scoped, problem+json."""

from __future__ import annotations

import pytest

from ordino.orders.models import Order, OrderTimelineEntry
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    response = api.post("/orders", order_body())
    assert response.status_code == 201
    return response.json()


def comments() -> list[tuple]:
    return list(
        OrderTimelineEntry.objects.filter(kind="comment").values_list(
            "order_id", "message", "actor"
        )
    )


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_a_comment_is_added_to_the_timeline_with_its_author(api, order):
    # When a comment is posted
    response = api.post(f"/orders/{order['id']}/comments", {"text": " Customer called. "})
    # Then it answers the timeline entry and the timeline holds it, the order is unchanged
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["message"], body["actor"]) == (
        "comment",
        "Customer called.",
        "token:admin",
    )
    assert comments() == [(order["id"], "Customer called.", "token:admin")]
    assert Order.objects.get(pk=order["id"]).version == 1
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    assert timeline[-1]["kind"] == "comment"


def test_a_long_comment_keeps_its_whole_text(api, order):
    text = "x" * 2000
    response = api.post(f"/orders/{order['id']}/comments", {"text": text})
    assert response.status_code == 201, response.content
    assert response.json()["message"] == text
    entry = OrderTimelineEntry.objects.get(kind="comment")
    assert entry.data == {"text": text}


@pytest.mark.parametrize("text", ["", "x" * 2001])
def test_a_comment_out_of_bounds_is_refused(api, order, text):
    response = api.post(f"/orders/{order['id']}/comments", {"text": text})
    assert_problem(response, 422, "validation_error")
    assert comments() == []


def test_a_blank_comment_is_refused(api, order):
    response = api.post(f"/orders/{order['id']}/comments", {"text": "   "})
    assert_problem(response, 422, "invalid_comment")
    assert comments() == []


def test_a_read_only_token_may_not_comment(client, order):
    reader = ApiClient(client, make_token("orders:read", name="reader"))
    response = reader.post(f"/orders/{order['id']}/comments", {"text": "hello"})
    assert_problem(response, 403, "insufficient_scope")
    assert comments() == []


def test_an_order_outside_the_token_s_channels_is_not_found(client, order):
    make_channel("market")
    market_only = ApiClient(client, make_token("orders", name="market", channel_codes=["market"]))
    response = market_only.post(f"/orders/{order['id']}/comments", {"text": "hello"})
    assert_problem(response, 404, "order_not_found")
    assert comments() == []
