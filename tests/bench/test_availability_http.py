"""bench/availability_http.py at tiny scale: the bare WSGI app answers the same availability as
Ordino's API for the same requests, so the bench compares the same work. Counts, never times."""

from __future__ import annotations

import json

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection

from bench.availability_http import bare_app, environ_make, wsgi_call
from ordino.inventory.models import StockBalance
from tests.factories import make_location, make_sku, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps():
    """Ordino's WSGI application and the bare app, both on the test's connection (the WSGI
    handler must not close it between requests, as Django's test client arranges too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        placeholder = "?" if connection.vendor == "sqlite" else "%s"
        connection.ensure_connection()
        yield get_wsgi_application(), bare_app(connection.connection, placeholder)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_bare_app_answers_the_same_availability_as_ordino(apps):
    # Given two active locations and an inactive one, and two SKUs with balances at them
    ordino, bare = apps
    locations = [make_location("B1", priority=1), make_location("B2", priority=2)]
    locations.append(make_location("B3", priority=3, is_active=False))
    skus = [make_sku("S0000001"), make_sku("S0000002")]
    StockBalance.objects.bulk_create(
        StockBalance(location=loc, sku=sku, on_hand=9, committed=i, safety_stock=2, incoming=1)
        for i, loc in enumerate(locations)
        for sku in skus
    )
    token = make_token("inventory:read", name="bench")
    # When one SKU is asked of both, Then both count the active locations alike
    path = "/api/v1/inventory/availability/S0000001"
    theirs = json.loads(wsgi_call(ordino, environ_make("GET", path, token=token)))
    ours = json.loads(wsgi_call(bare, environ_make("GET", path)))
    assert ours == {k: v for k, v in theirs.items() if k not in ("kind", "channel")}
    assert ours["network"] == 7 + 6
    # And many SKUs: the same available per location
    body = json.dumps({"skus": ["S0000002", "S0000001"]}).encode()
    path = "/api/v1/inventory/availability/bulk"
    theirs = json.loads(wsgi_call(ordino, environ_make("POST", path, token=token, body=body)))
    ours = json.loads(wsgi_call(bare, environ_make("POST", path, body=body)))
    assert {i["sku"]: i["locations"] for i in ours["items"]} == {
        i["sku"]: i["locations"] for i in theirs["items"]
    }
    assert ours["items"][0]["locations"] == {"B1": 7, "B2": 6}
