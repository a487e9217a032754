"""Who sees and works a return: a channel-limited token its channels' orders' returns, a
location-limited token the returns to its locations; everything else answers 404 and a refused
write changes nothing."""

from __future__ import annotations

import pytest

from ordino.returns.models import Return
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock
from tests.returns.conftest import return_body, ship_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_returns(api, shop, client):
    """A web order's return to WH-A, and a shop order's return to WH-B."""
    make_channel("shop")
    for loc in ("wh_a", "wh_b"):
        stock(shop[loc], shop["TEE"], 5)
        stock(shop[loc], shop["MUG"], 5)
    web = api.post("/orders", order_body("W-1")).json()
    other = api.post("/orders", order_body("S-1", channel="shop")).json()
    ship_all(api, web)
    ship_all(api, other)
    a = api.post(f"/orders/{web['id']}/returns", return_body((1, 1))).json()
    b = api.post(f"/orders/{other['id']}/returns", return_body((1, 1), location="WH-B")).json()
    return web, other, a["id"], b["id"]


def caller(client, **limits) -> ApiClient:
    return ApiClient(client, make_token("returns orders:read", name="limited", **limits))


def test_a_channel_limited_token_reaches_its_channels_returns_only(client, two_returns):
    _web, other, mine, theirs = two_returns
    limited = caller(client, channel_codes=["web"])
    assert [r["id"] for r in limited.get("/returns").json()["items"]] == [mine]
    assert limited.get(f"/returns/{mine}").status_code == 200
    outside = limited.get(f"/returns/{theirs}")
    assert (outside.status_code, outside.json()["code"]) == (404, "return_not_found")
    before = list(Return.objects.values_list("state", "version"))
    refused = limited.post(f"/returns/{theirs}/approve", {})
    assert (refused.status_code, refused.json()["code"]) == (404, "return_not_found")
    asked = limited.post(f"/orders/{other['id']}/returns", return_body((2, 1)))
    assert (asked.status_code, asked.json()["code"]) == (404, "order_not_found")
    assert list(Return.objects.values_list("state", "version")) == before
    assert limited.post(f"/returns/{mine}/approve", {}).status_code == 200


def test_a_location_limited_token_reaches_returns_to_its_locations(client, two_returns):
    web, _other, mine, theirs = two_returns
    limited = caller(client, location_codes=["WH-A"])
    assert [r["id"] for r in limited.get("/returns").json()["items"]] == [mine]
    assert limited.get(f"/returns/{theirs}").status_code == 404
    # It may not send an order's units to a location it does not reach
    elsewhere = limited.post(f"/orders/{web['id']}/returns", return_body((2, 1), location="WH-B"))
    assert (elsewhere.status_code, elsewhere.json()["errors"]) == (
        404,
        [{"field": "location", "code": "location_not_found", "message": "No location 'WH-B'."}],
    )
    assert limited.post(f"/orders/{web['id']}/returns", return_body((2, 1))).status_code == 201


def test_the_returns_scopes_are_needed(client, two_returns):
    _, _, mine, _ = two_returns
    reader = ApiClient(client, make_token("returns:read", name="reader"))
    assert reader.get(f"/returns/{mine}").status_code == 200
    refused = reader.post(f"/returns/{mine}/approve", {})
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    stranger = ApiClient(client, make_token("orders", name="stranger"))
    assert stranger.get("/returns").status_code == 403


def test_policies_are_shared_configuration(client, two_returns):
    limited = caller(client, channel_codes=["web"])
    refused = limited.post("/return-policies", {"channel": "web", "window_days": 3})
    assert (refused.status_code, refused.json()["code"]) == (403, "token_restricted")
