"""Sales channels over HTTP."""

import pytest

from ordino.channels.models import Channel
from tests.factories import auth, make_channel, make_location, make_token

pytestmark = pytest.mark.django_db


def assert_problem(resp, status, code, field=None):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == code
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def test_create_channel(api):
    make_location("WH-1")
    make_location("S-1")
    resp = api.post(
        "/channels",
        {
            "code": "amazon-de",
            "name": "Amazon DE",
            "kind": "marketplace",
            "currency": "eur",
            "stock_buffer": 2,
            "excluded_locations": ["S-1"],
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body == {
        "code": "amazon-de",
        "name": "Amazon DE",
        "kind": "marketplace",
        "currency": "EUR",
        "stock_buffer": 2,
        "excluded_locations": ["S-1"],
        "prices_include_tax": False,
        "is_active": True,
        "created_at": body["created_at"],
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"code": "web", "name": "Again", "kind": "web", "currency": "EUR"},
            409,
            "channel_exists",
            "code",
        ),
        (
            {"code": "new", "name": "x", "kind": "web", "currency": "XYZ"},
            422,
            "unknown_currency",
            "currency",
        ),
        (
            {
                "code": "new",
                "name": "x",
                "kind": "web",
                "currency": "EUR",
                "excluded_locations": ["NOPE"],
            },
            422,
            "location_not_found",
            "excluded_locations",
        ),
        (
            {"code": "new", "name": "x", "kind": "fax", "currency": "EUR"},
            422,
            "validation_error",
            "kind",
        ),
        (
            {"code": "new", "name": "x", "kind": "web", "currency": "EUR", "stock_buffer": -1},
            422,
            "validation_error",
            "stock_buffer",
        ),
        (
            {"code": "new", "name": "x", "kind": "web", "currency": "EUR", "fee": 1},
            422,
            "validation_error",
            "fee",
        ),
    ],
)
def test_bad_channel_is_refused(api, body, status, code, field):
    make_channel("web")
    assert_problem(api.post("/channels", body), status, code, field)
    assert list(Channel.objects.values_list("code", flat=True)) == ["web"]


def test_missing_token_is_unauthorized(client):
    resp = client.get("/api/v1/channels")
    assert_problem(resp, 401, "unauthenticated")


def test_patch_channel_replaces_excluded_locations(api):
    make_location("WH-1")
    make_location("S-1")
    make_channel("web")
    resp = api.patch("/channels/web", {"excluded_locations": ["WH-1", "S-1"], "currency": "CHF"})
    assert resp.status_code == 200, resp.content
    assert (resp.json()["excluded_locations"], resp.json()["currency"]) == (["S-1", "WH-1"], "CHF")
    resp = api.patch("/channels/web", {"excluded_locations": []})
    assert resp.json()["excluded_locations"] == []
    assert api.get("/channels/web").json()["currency"] == "CHF"


def test_patch_bad_currency_changes_nothing(api):
    make_channel("web")
    assert_problem(
        api.patch("/channels/web", {"currency": "ABC", "name": "New"}),
        422,
        "unknown_currency",
        "currency",
    )
    channel = Channel.objects.get()
    assert (channel.currency, channel.name) == ("EUR", "Channel web")


def test_unknown_channel_is_404(api):
    assert_problem(api.get("/channels/nope"), 404, "channel_not_found")


def test_list_filters(api):
    make_channel("web")
    make_channel("pos", kind="pos")
    assert [c["code"] for c in api.get("/channels").json()["items"]] == ["web", "pos"]
    assert [c["code"] for c in api.get("/channels", kind="pos").json()["items"]] == ["pos"]


def test_channel_restricted_token_sees_only_its_channels(client):
    make_channel("web")
    make_channel("pos", kind="pos")
    headers = auth(make_token("channels", channel_codes=["web"]))
    assert [c["code"] for c in client.get("/api/v1/channels", **headers).json()["items"]] == ["web"]
    assert_problem(client.get("/api/v1/channels/pos", **headers), 404, "channel_not_found")
    resp = client.patch(
        "/api/v1/channels/pos", {"name": "x"}, content_type="application/json", **headers
    )
    assert_problem(resp, 404, "channel_not_found")
    assert Channel.objects.get(code="pos").name == "Channel pos"
