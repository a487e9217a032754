"""Tracking's adapters: EasyPost's and Shippo's webhooks through the public URLs (verified on
the raw body or the URL's token, each event once, every call in the integration log), a
shipment's tracking through the API, and `ordino shipping track`."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from ordino.fulfillment.models import FulfillmentOrder
from ordino.integrations.models import IntegrationCall
from ordino.orders.models import Order
from ordino.shipping.domain.tracking_payloads import easypost_signature
from ordino.shipping.models import Tracker, TrackingEvent
from tests.domain.shipping.test_tracking_payloads import easypost_event, shippo_track
from tests.factories import auth, make_token
from tests.shipping.tracked import shipped, worker_runs

pytestmark = pytest.mark.django_db
SECRET, TOKEN = "whsec-easypost-test", "tok_shippo_test"
EASYPOST, SHIPPO = "/api/v1/carriers/easypost/webhook", "/api/v1/carriers/shippo/webhook"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.ORDINO_EASYPOST_WEBHOOK_SECRET = SECRET
    settings.ORDINO_SHIPPO_WEBHOOK_TOKEN = TOKEN


def easypost_post(client, payload, *, secret=SECRET, signature=None):
    body = json.dumps(payload).encode()
    header = signature if signature is not None else easypost_signature(body, secret)
    return client.post(EASYPOST, data=body, content_type="application/json",
                       HTTP_X_HMAC_SIGNATURE=header)  # fmt: skip


def shippo_post(client, payload, *, token=TOKEN):
    query = f"?token={token}" if token is not None else ""
    return client.post(f"{SHIPPO}{query}", data=json.dumps(payload),
                       content_type="application/json")  # fmt: skip


def _counts():
    return (TrackingEvent.objects.count(), list(Tracker.objects.values_list("status", flat=True)))


DELIVERED = easypost_event(
    ("pre_transit", "2026-12-01T08:00:00Z", "Label created"),
    ("in_transit", "2026-12-01T20:00:00Z", "Arrived at hub"),
    ("delivered", "2026-12-02T11:30:00Z", "Delivered, front door"),
    code="JD0001", carrier="DHL",
)  # fmt: skip


def test_easypost_delivers_the_order_once_whatever_is_repeated(api, client, shop):
    # given an order shipped with DHL JD0001
    ids = shipped(api, shop)
    # when EasyPost's tracker.updated arrives, twice
    first = easypost_post(client, DELIVERED)
    again = easypost_post(client, DELIVERED)
    worker_runs()
    # then its three events are recorded once and the order is delivered
    assert first.status_code == 200, first.content
    assert first.json() == {"received": True, "outcome": "recorded", "topic": "tracker.updated",
                            "tracking_number": "JD0001", "status": "delivered", "added": 3,
                            "duplicates": 0}  # fmt: skip
    assert (again.json()["outcome"], again.json()["added"], again.json()["duplicates"]) == (
        "duplicate", 0, 3)  # fmt: skip
    assert _counts() == (3, ["delivered"])
    assert FulfillmentOrder.objects.get(pk=ids["fo_id"]).status == "delivered"
    assert Order.objects.get(pk=ids["order_id"]).status == "delivered"
    # and both deliveries are in the integration log, about the tracker
    logged = IntegrationCall.objects.filter(direction="in", system="easypost").order_by("id")
    assert [(c.status_code, c.operation, c.correlation_id, c.object_type) for c in logged] == [
        (200, "tracker.updated", "evt_1", "tracker")] * 2  # fmt: skip
    assert logged[0].request_headers["X-Hmac-Signature"] == "[redacted]"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"secret": "not-the-secret"}, "easypost_signature_invalid"),
        ({"signature": ""}, "easypost_signature_invalid"),
        ({"signature": "hmac-sha256-hex=00"}, "easypost_signature_invalid"),
    ],
)
def test_easypost_refuses_a_bad_signature_with_401_and_changes_nothing(api, client, shop, kwargs,
                                                                       code):  # fmt: skip
    shipped(api, shop)
    before = _counts()
    response = easypost_post(client, DELIVERED, **kwargs)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert _counts() == before
    log = IntegrationCall.objects.get(direction="in", system="easypost")
    assert (log.status_code, log.ok) == (401, False) and log.error.startswith(code)


def test_easypost_without_a_secret_is_503(api, client, shop, settings):
    settings.ORDINO_EASYPOST_WEBHOOK_SECRET = ""
    response = easypost_post(client, DELIVERED)
    assert (response.status_code, response.json()["code"]) == (
        503, "easypost_webhook_unconfigured")  # fmt: skip


def test_easypost_unknown_parcel_and_other_topics_are_acknowledged(api, client, shop):
    shipped(api, shop)
    unknown = easypost_post(client, easypost_event(("delivered", "2026-12-02T11:30:00Z", "x"),
                                                   code="ZZ999"))  # fmt: skip
    other = easypost_post(client, {**DELIVERED, "description": "batch.updated"})
    assert (unknown.status_code, unknown.json()["outcome"]) == (200, "unknown_tracker")
    assert (other.status_code, other.json()["outcome"]) == (200, "ignored")
    assert _counts() == (0, ["unknown"])


def test_easypost_body_that_is_not_a_tracker_is_400(api, client, shop):
    response = easypost_post(client, {"description": "tracker.updated", "result": []})
    assert (response.status_code, response.json()["code"]) == (400, "tracking_payload_invalid")


def test_shippo_records_each_event_once_and_a_failure_opens_a_case(api, client, shop):
    # given an order shipped with USPS 9400
    shipped(api, shop, numbers=("9400111",), carrier="USPS")
    history = [
        ("o1", "PRE_TRANSIT", "information_received", False, "2026-12-01T08:00:00Z", "Label"),
        ("o2", "TRANSIT", "package_held", True, "2026-12-02T08:00:00Z", "Held at customs"),
    ]
    # when Shippo sends the held parcel, then the same with its loss
    held = shippo_post(client, shippo_track(*history, number="9400111"))
    lost = shippo_post(
        client,
        shippo_track(
            *history,
            ("o3", "FAILURE", "package_lost", True, "2026-12-05T08:00:00Z", "Lost"),
            number="9400111",
        ),
    )
    worker_runs()
    # then the timeline holds the three events once, the status moved forward, one case opened
    assert held.json()["status"] == "exception" and held.json()["added"] == 2
    assert (lost.json()["added"], lost.json()["duplicates"], lost.json()["status"]) == (
        1, 3, "failure")  # fmt: skip
    assert list(TrackingEvent.objects.values_list("carrier_event_id", "status")) == [
        ("o1", "pre_transit"), ("o2", "exception"), ("o3", "failure")]  # fmt: skip
    tracker = Tracker.objects.get()
    assert tracker.action_required is True
    from ordino.cases.models import Case

    assert list(Case.objects.values_list("type__code", flat=True)) == ["delivery_failed"]


def test_shippo_refuses_a_missing_or_wrong_token_and_keeps_it_out_of_the_log(api, client, shop):
    shipped(api, shop, numbers=("9400111",), carrier="USPS")
    wrong = shippo_post(client, shippo_track(number="9400111"), token="guess")
    missing = shippo_post(client, shippo_track(number="9400111"), token=None)
    assert [(r.status_code, r.json()["code"]) for r in (wrong, missing)] == [
        (401, "shippo_token_invalid")] * 2  # fmt: skip
    right = shippo_post(client, shippo_track(number="9400111"))
    assert right.status_code == 200
    endpoints = list(
        IntegrationCall.objects.filter(system="shippo").values_list("endpoint", flat=True)
    )
    assert endpoints == [f"{SHIPPO}?token=[redacted]", SHIPPO, f"{SHIPPO}?token=[redacted]"]


def test_a_shipments_tracking_through_the_api(api, client, shop):
    ids = shipped(api, shop, numbers=("JD0001", "JD0002"))
    easypost_post(client, DELIVERED)
    response = api.get(f"/shipments/{ids['shipment_id']}/tracking")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["action_required"], body["order_id"]) == (
        "unknown", False, ids["order_id"])  # the second parcel is not seen yet  # fmt: skip
    first = body["parcels"][0]
    assert (first["tracking_number"], first["status"], first["status_label"]) == (
        "JD0001", "delivered", "Delivered")  # fmt: skip
    assert [e["description"] for e in first["timeline"]] == [
        "Label created", "Arrived at hub", "Delivered, front door"]  # fmt: skip
    assert body["parcels"][1]["timeline"] == []


def test_the_tracking_api_needs_fulfillment_read_and_hides_other_shipments(api, client, shop):
    ids = shipped(api, shop)
    unrelated = make_token(scopes="orders:read")
    refused = client.get(f"/api/v1/shipments/{ids['shipment_id']}/tracking", **auth(unrelated))
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert api.get("/shipments/999999/tracking").json()["code"] == "shipment_not_found"


def test_the_command_line_prints_the_timeline(api, client, shop, capsys):
    shipped(api, shop)
    easypost_post(client, DELIVERED)
    call_command("shipping", "track", "DHL", "jd0001")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "dhl JD0001: Delivered"
    assert out[1].startswith("  2026-12-01 08:00 UTC  pre_transit")
    assert out[-1].endswith("Delivered, front door  [Austin, TX, 78701, US]")
