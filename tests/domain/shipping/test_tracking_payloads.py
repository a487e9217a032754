"""Carrier webhooks read into events: EasyPost's Event with a Tracker, Shippo's track_updated;
EasyPost's signature and Shippo's URL token checked in constant time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain import tracking_maps as tm
from ordino.shipping.domain.tracking_payloads import (
    easypost_parse,
    easypost_signature,
    easypost_verify,
    shippo_parse,
    shippo_verify,
)


def easypost_event(*details, code="9400100000000000000001", carrier="USPS"):
    """EasyPost's Event shape (docs.easypost.com, "Events" and "Trackers")."""
    return {
        "id": "evt_1", "object": "Event", "description": "tracker.updated", "mode": "test",
        "result": {
            "id": "trk_1", "object": "Tracker", "tracking_code": code, "carrier": carrier,
            "status": details[-1][0] if details else "unknown",
            "tracking_details": [
                {"object": "TrackingDetail", "message": msg, "status": status,
                 "status_detail": "arrived_at_facility", "datetime": when,
                 "tracking_location": {"object": "TrackingLocation", "city": "Austin",
                                       "state": "TX", "country": "US", "zip": "78701"}}
                for status, when, msg in details
            ],
        },
    }  # fmt: skip


def shippo_track(*history, number="SHIPPO_TRANSIT"):
    """Shippo's track_updated webhook body (docs.goshippo.com, "Webhooks")."""
    entries = [
        {"object_id": oid, "status": status, "status_details": text, "status_date": when,
         "substatus": {"code": sub, "text": text, "action_required": flag},
         "location": {"city": "San Francisco", "state": "CA", "zip": "94103", "country": "US"}}
        for oid, status, sub, flag, when, text in history
    ]  # fmt: skip
    return {"event": "track_updated", "test": True,
            "data": {"carrier": "usps", "tracking_number": number, "tracking_history": entries,
                     "tracking_status": entries[-1] if entries else None}}  # fmt: skip


def test_easypost_event_becomes_events():
    update = easypost_parse(easypost_event(
        ("pre_transit", "2026-12-01T08:00:00Z", "Label created"),
        ("in_transit", "2026-12-01T20:15:00Z", "Arrived at facility"),
    ))  # fmt: skip
    assert (update.carrier, update.tracking_number) == ("usps", "9400100000000000000001")
    assert (update.delivery_id, update.topic) == ("evt_1", "tracker.updated")
    assert [(e.status, e.description, e.location) for e in update.events] == [
        (tm.PRE_TRANSIT, "Label created", "Austin, TX, 78701, US"),
        (tm.IN_TRANSIT, "Arrived at facility", "Austin, TX, 78701, US"),
    ]
    assert update.events[1].occurred_at == datetime(2026, 12, 1, 20, 15, tzinfo=UTC)
    assert update.events[1].carrier_substatus == "arrived_at_facility"
    assert update.events[0].identity.startswith("fp:")  # EasyPost's details carry no id


def test_shippo_track_becomes_events_once_each():
    update = shippo_parse(shippo_track(
        ("a1", "PRE_TRANSIT", "information_received", False, "2026-12-01T08:00:00Z", "Label"),
        ("a2", "TRANSIT", "package_held", True, "2026-12-02T08:00:00Z", "Held at customs"),
    ))  # fmt: skip
    assert (update.carrier, update.tracking_number, update.topic) == (
        "usps",
        "SHIPPO_TRANSIT",
        "track_updated",
    )
    # tracking_status repeats the history's last entry: the same id, one identity
    assert [e.identity for e in update.events] == ["id:a1", "id:a2", "id:a2"]
    assert [e.status for e in update.events] == [tm.PRE_TRANSIT, tm.EXCEPTION, tm.EXCEPTION]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"result": "nope"},
        {"result": {"object": "Shipment"}},
        {"result": {"object": "Tracker", "carrier": "USPS", "tracking_code": "",
                    "tracking_details": []}},
        {"result": {"object": "Tracker", "carrier": "USPS", "tracking_code": "X",
                    "tracking_details": [{"status": "delivered", "datetime": "yesterday"}]}},
    ],
)  # fmt: skip
def test_easypost_bad_bodies_are_refused_400(body):
    with pytest.raises(DomainError) as refused:
        easypost_parse(body)
    assert (refused.value.code, refused.value.status) == ("tracking_payload_invalid", 400)


def test_easypost_signature_as_its_clients_compute_it():
    body = json.dumps(easypost_event()).encode()
    header = easypost_signature(body, "sécret")
    assert header.startswith("hmac-sha256-hex=") and len(header) == 16 + 64
    assert easypost_verify(body, header, "sécret")
    assert easypost_verify(body, header, "se\u0301cret")  # NFKD: the same secret
    assert not easypost_verify(body + b" ", header, "sécret")
    assert not easypost_verify(body, header, "other")
    assert not easypost_verify(body, None, "sécret")
    assert not easypost_verify(body, header, "")  # no secret: nothing verifies


def test_shippo_token():
    assert shippo_verify("tok_123", "tok_123")
    assert not shippo_verify("tok_124", "tok_123")
    assert not shippo_verify(None, "tok_123")
    assert not shippo_verify("", "")
