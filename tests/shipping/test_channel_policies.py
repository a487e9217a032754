"""Policies per channel (docs/shipping.md, "Policies per channel"): a channel's policy chooses
when the rating names none, saying so; cheapest on time takes the order's promised day, and
falls back to cheapest without one; set, changed and removed through the API, the CLI and the
console, audited; refusals change nothing; restricted tokens may not change them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ordino.audit.models import AuditEntry
from ordino.shipping.models import ChannelShippingPolicy, FulfillmentRating
from tests.factories import auth, make_token, order_body, stock
from tests.shipping.test_api import (
    BOX,
    paket,  # noqa: F401 (a fixture)
    put,
)
from tests.shipping.test_rates import express

pytestmark = pytest.mark.django_db
MONDAY = "2026-12-07"


def fo_of(api, shop, **body) -> dict:
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body(**body)).json()
    return api.get("/fulfillment/orders", order=order["id"]).json()["items"][0]


def rate(api, fo_id: int, **extra):
    body = {"parcels": [BOX], "ship_day": MONDAY, **extra}
    return api.post(f"/fulfillment/orders/{fo_id}/rates", body)


def test_the_channels_policy_chooses_when_the_rating_names_none(api, shop, paket):  # noqa: F811
    # given Paket (4.90, Wednesday) and Express (9.90, Tuesday), and web's policy fastest
    express()
    assert put(api, "/shipping/policies/web", {"policy": "fastest"}).status_code == 201
    fo = fo_of(api, shop)
    # when rated without a policy
    body = rate(api, fo["id"]).json()
    # then web's policy chose Express, and the choice says whose policy it was
    assert (body["policy"], body["service"]) == ("fastest", "dhl:express")
    assert body["why"] == "web's policy: the earliest delivery"
    # and a policy named by the person still wins
    assert rate(api, fo["id"], policy="cheapest").json()["service"] == "dhl:paket"


def test_cheapest_on_time_takes_the_orders_promised_day(api, shop, paket):  # noqa: F811
    express()
    put(api, "/shipping/policies/web", {"policy": "cheapest_on_time"})
    fo = fo_of(api, shop, promised_delivery="2099-01-01")
    order = api.get(f"/orders/{fo['order_id']}").json()
    assert order["promised_delivery"] == "2099-01-01"
    # a promise only Express keeps: rated without a policy or a day
    fo2 = fo_of(api, shop, external_id="W-2", promised_delivery="2026-12-08")
    body = rate(api, fo2["id"]).json()
    assert (body["policy"], body["promised"], body["service"]) == (
        "cheapest_on_time",
        "2026-12-08",
        "dhl:express",
    )
    assert body["why"] == "web's policy: the cheapest delivering by the promised 2026-12-08"


def test_cheapest_on_time_without_a_promise_falls_back_to_cheapest(api, shop, paket):  # noqa: F811
    put(api, "/shipping/policies/web", {"policy": "cheapest_on_time"})
    fo = fo_of(api, shop)
    body = rate(api, fo["id"]).json()
    assert (body["policy"], body["service"]) == ("cheapest", "dhl:paket")
    assert body["why"] == (
        "web's policy is cheapest on time, but no day was promised: the lowest total"
    )


def test_a_policy_is_changed_listed_removed_and_audited(api, shop):
    assert put(api, "/shipping/policies/web", {"policy": "fastest"}).status_code == 201
    again = put(api, "/shipping/policies/web", {"policy": "fastest"})
    changed = put(api, "/shipping/policies/web", {"policy": "best_value", "reason": "fines"})
    assert (again.status_code, changed.status_code) == (200, 200)
    listed = api.get("/shipping/policies").json()
    assert [(p["channel"], p["policy"]) for p in listed] == [("web", "best_value")]
    removed = api.client.delete("/api/v1/shipping/policies/web", **api.headers)
    assert removed.status_code == 204
    audit = AuditEntry.objects.filter(object_type="channel_shipping_policy").order_by("id")
    fastest = {"policy": "fastest", "promise_service": ""}
    best = {"policy": "best_value", "promise_service": ""}
    assert [(a.action, a.before, a.after, a.reason) for a in audit] == [
        ("created", None, fastest, ""),
        ("changed", fastest, fastest, ""),
        ("changed", fastest, best, "fines"),
        ("deleted", best, None, ""),
    ]
    long = api.client.delete(f"/api/v1/shipping/policies/web?reason={'r' * 256}", **api.headers)
    assert (long.status_code, long.json()["errors"][0]["field"]) == (422, "reason")
    gone = api.client.delete("/api/v1/shipping/policies/web", **api.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "channel_policy_not_found")


def test_an_unknown_policy_service_or_channel_changes_nothing(api, shop):
    bad = put(api, "/shipping/policies/web", {"policy": "slowest"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "policy")
    no_service = put(api, "/shipping/policies/web", {"policy": "fastest", "promise_service": "x:y"})
    assert (no_service.status_code, no_service.json()["code"]) == (422, "unknown_service")
    assert no_service.json()["errors"][0]["field"] == "promise_service"
    nowhere = put(api, "/shipping/policies/nowhere", {"policy": "fastest"})
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "channel_not_found")
    assert ChannelShippingPolicy.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="channel_shipping_policy").exists()


def test_a_restricted_token_may_not_change_a_policy(api, shop):
    token = make_token("shipping:write", name="store", location_codes=["WH-A"])
    r = api.client.put(
        "/api/v1/shipping/policies/web",
        data='{"policy": "fastest"}',
        content_type="application/json",
        **auth(token),
    )
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    assert ChannelShippingPolicy.objects.count() == 0


def test_a_promise_service_is_kept_and_listed(api, shop, paket):  # noqa: F811
    body = {"policy": "cheapest", "promise_service": "dhl:paket"}
    r = put(api, "/shipping/policies/web", body)
    assert (r.status_code, r.json()["promise_service"]) == (201, "dhl:paket")
    assert api.get("/shipping/policies").json()[0]["promise_service"] == "dhl:paket"


def test_the_cli_sets_lists_and_removes(shop):
    def run(*args: str) -> str:
        out = StringIO()
        call_command("shipping", *args, stdout=out)
        return out.getvalue()

    assert run("policy", "web", "fastest", "--reason", "promo") == "web: fastest (new).\n"
    assert run("policies").split() == ["web", "fastest"]
    assert run("policy", "web", "--remove") == "web: back to cheapest.\n"
    assert ChannelShippingPolicy.objects.count() == 0


def test_the_console_sets_a_policy_through_the_use_case(client, shop):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    web = shop["channel"]
    r = client.post(
        "/admin/shipping/channelshippingpolicy/add/",
        {"channel": web.pk, "policy": "best_value", "reason": "fines"},
    )
    assert r.status_code == 302, r.content
    assert ChannelShippingPolicy.objects.get().policy == "best_value"
    entry = AuditEntry.objects.get(object_type="channel_shipping_policy")
    assert (entry.actor, entry.reason) == ("user:boss", "fines")
    assert FulfillmentRating.objects.count() == 0
