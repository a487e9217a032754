"""`GET /reports/series`: the dashboard's time series in the API (scope `reports:read`)."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.factories import make_token

MARCH = {"from": "2026-03-01", "to": "2026-03-03"}


def test_the_api_answers_the_series(client, book):
    # given a reader of reports
    reader = ApiClient(client, make_token("reports:read", name="ops"))
    # when it asks for 1–3 March
    response = reader.get("/reports/series", **MARCH)
    # then every day, the sales per channel and currency as decimal strings, the rates, the queue
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["bucket"], body["buckets"]) == (
        "day",
        ["2026-03-01", "2026-03-02", "2026-03-03"],
    )
    assert body["sales"][0] == {
        "bucket": "2026-03-01",
        "channel": "web",
        "channel_name": "Channel web",
        "currency": "EUR",
        "orders": 2,
        "cancelled": 0,
        "revenue": "160.00",
    }
    assert [r["split_rate"] for r in body["rates"]] == ["0.5000", "0.3333", None]
    assert body["ship_times"][0] == {
        "bucket": "2026-03-01",
        "shipments": 3,
        "hours_p50": "20.00",
        "hours_p90": "30.00",
    }
    assert [(q["location"], q["fulfillment_orders"]) for q in body["queue"]] == [
        ("STORE-1", 1),
        ("WH-A", 2),
        ("WH-B", 1),
    ]


def test_per_week_and_for_a_channel_limited_token(client, book):
    shop = ApiClient(client, make_token("reports:read", name="shop", channel_codes=["shop"]))
    body = shop.get("/reports/series", bucket="week", **MARCH).json()
    assert body["buckets"] == ["2026-02-23", "2026-03-02"]
    assert [(s["channel"], s["orders"]) for s in body["sales"]] == [("shop", 1)]


@pytest.mark.parametrize(
    ("scopes", "restriction", "params", "status"),
    [
        ("orders:read", {}, {}, 403),
        ("reports:read", {"location_codes": ["WH-A"]}, {}, 403),
        ("reports:read", {}, {"channel": "nope"}, 404),
        ("reports:read", {"channel_codes": ["shop"]}, {"channel": "web"}, 404),
        ("reports:read", {}, {"bucket": "month"}, 422),
        ("reports:read", {}, {"from": "2026-03-02", "to": "2026-03-01"}, 422),
        ("reports:read", {}, {"from": "2024-01-01", "to": "2026-03-01"}, 422),
        ("reports:read", {}, {"from": "yesterday"}, 422),
        ("reports:read", {}, {"to": "2026-02-30"}, 422),
    ],
)
def test_the_api_refuses(client, book, scopes, restriction, params, status):
    caller = ApiClient(client, make_token(scopes, name="x", **restriction))
    response = caller.get("/reports/series", **params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
