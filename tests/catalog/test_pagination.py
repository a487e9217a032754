"""Cursor pagination of API lists (ordino.core.pagination), seen through /catalog/skus."""

import pytest

from ordino.core.pagination import cursor_decode, cursor_encode
from tests.factories import make_sku

pytestmark = pytest.mark.django_db


def test_cursor_round_trips():
    assert cursor_decode(cursor_encode(42)) == 42


def test_pages_walk_every_item_once(api):
    # given five SKUs
    for n in range(5):
        make_sku(f"S{n}")
    # when read two at a time
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/catalog/skus", **params).json()
        seen += [s["code"] for s in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # then every SKU comes once, in three pages
    assert seen == ["S0", "S1", "S2", "S3", "S4"]
    assert pages == 3


def test_default_page_is_fifty(api):
    for n in range(51):
        make_sku(f"S{n}")
    body = api.get("/catalog/skus").json()
    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None


@pytest.mark.parametrize("cursor", ["garbage", "!!", cursor_encode(1)[:-1] + "*"])
def test_invalid_cursor_is_a_bad_request(api, cursor):
    resp = api.get("/catalog/skus", cursor=cursor)
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_cursor"
    assert resp.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("limit", [0, 201, "x"])
def test_limit_out_of_range_is_refused(api, limit):
    resp = api.get("/catalog/skus", limit=limit)
    assert resp.status_code == 422
    assert [e["field"] for e in resp.json()["errors"]] == ["limit"]
