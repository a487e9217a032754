from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_orders(api, shop):
    make_channel("pos", kind="pos")
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    ids = [api.post("/orders", order_body(f"W-{n}")).json()["id"] for n in (1, 2)]
    ids.append(api.post("/orders", order_body("P-1", channel="pos")).json()["id"])
    api.post(f"/orders/{ids[1]}/cancel", {})
    return ids


def test_get_one_order_with_lines_and_reservations(api, three_orders):
    body = api.get(f"/orders/{three_orders[0]}").json()
    assert body["external_id"] == "W-1"
    assert [line["sku"] for line in body["lines"]] == ["TEE", "MUG"]
    assert body["lines"][0]["allocations"] == [{"location": "WH-A", "quantity": 2}]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["W-1", "W-2", "P-1"]),
        ({"channel": "pos"}, ["P-1"]),
        ({"status": "cancelled"}, ["W-2"]),
        ({"external_id": "W-1"}, ["W-1"]),
        ({"created_after": "2000-01-01T00:00:00Z"}, ["W-1", "W-2", "P-1"]),
        ({"created_before": "2000-01-01T00:00:00Z"}, []),
    ],
)
def test_list_filters(api, three_orders, params, expected):
    response = api.get("/orders", **params)
    assert response.status_code == 200
    assert [o["external_id"] for o in response.json()["items"]] == expected


def test_list_pages_with_a_cursor(api, three_orders):
    first = api.get("/orders", limit=2).json()
    second = api.get("/orders", limit=2, cursor=first["next_cursor"]).json()
    assert [o["external_id"] for o in first["items"] + second["items"]] == ["W-1", "W-2", "P-1"]
    assert second["next_cursor"] is None


def test_a_page_size_over_the_cap_is_refused(api, three_orders):
    response = api.get("/orders", limit=1000)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_a_channel_token_lists_only_its_channel(client, three_orders):
    pos = ApiClient(client, make_token("orders:read", name="pos", channel_codes=["pos"]))
    assert [o["external_id"] for o in pos.get("/orders").json()["items"]] == ["P-1"]
    assert pos.get(f"/orders/{three_orders[0]}").status_code == 404


def test_an_unknown_order_is_a_404_problem(api, three_orders):
    response = api.get("/orders/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "order_not_found"


def test_the_openapi_document_and_the_docs_are_served_without_a_token(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/orders" in paths
    assert "/api/v1/orders/{order_id}/cancel" in paths
    assert client.get("/api/v1/docs").status_code == 200


def test_an_unknown_path_with_a_newline_is_a_problem_not_html(api, db):
    response = api.post("/orders/%0A%C3%A1/edit", {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
