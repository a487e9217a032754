"""The shipping report: costs per service (per order, per unit), on time against the promise,
transit hours per lane — exact figures from shipments made through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.domain.clock import clock_pinned
from ordino.reports.shipping import CostRow, LaneRow, OnTimeRow, shipping_report_get
from tests.factories import auth, make_token, order_body, stock
from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)
D = Decimal


def shipped(api, external_id: str, *, promised: str | None, rated: bool = True) -> int:
    """An order of 2 TEE and 1 MUG from WH-A, rated and shipped with its choice on Monday."""
    order = api.post("/orders", order_body(external_id)).json()
    fo = api.get("/fulfillment/orders", order=order["id"]).json()["items"][0]
    if rated:
        body = {
            "parcels": [BOX],
            "ship_day": "2026-11-23",
            **({"promised": promised} if promised else {}),
        }
        assert api.post(f"/fulfillment/orders/{fo['id']}/rates", body).status_code == 201
        r = api.post(
            f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": [external_id]}
        )
    else:
        r = api.post(
            f"/fulfillment/orders/{fo['id']}/ship",
            {"carrier": "DHL", "tracking_numbers": [external_id]},
        )
    assert r.status_code in (200, 201), r.content
    return fo["id"]


def test_costs_on_time_and_lanes_are_exact(api, shop, paket):  # noqa: F811
    # given three shipments with DHL Paket (4.90 EUR each) on Monday 09:00, one without a rating
    stock(shop["wh_a"], shop["TEE"], 20)
    stock(shop["wh_a"], shop["MUG"], 20)
    with clock_pinned(MONDAY):
        early = shipped(api, "W-1", promised="2026-11-25")
        late = shipped(api, "W-2", promised="2026-11-24")
        shipped(api, "W-3", promised=None)
        shipped(api, "W-4", promised=None, rated=False)
    # and the first delivered Tuesday 15:00 (30 h), the second Wednesday 09:00 (48 h)
    with clock_pinned(MONDAY + timedelta(hours=30)):
        assert api.post(f"/fulfillment/orders/{early}/deliver", {}).status_code == 200
    with clock_pinned(MONDAY + timedelta(hours=48)):
        assert api.post(f"/fulfillment/orders/{late}/deliver", {}).status_code == 200
    # when the week's report is read
    with CaptureQueriesContext(connection) as queries:
        report = shipping_report_get(date_from=date(2026, 11, 23), date_to=date(2026, 11, 29))
    # then one query, and the figures
    assert len(queries) == 1
    assert (report.shipments, report.unrated) == (4, 1)
    assert report.costs == [
        CostRow("dhl:paket", "DHL Paket", "EUR", shipments=3, orders=3, parcels=3, units=9,
                cost=D("14.70"), cost_per_order=D("4.90"), cost_per_unit=D("1.63")),
    ]  # fmt: skip
    assert report.on_time == [OnTimeRow("dhl:paket", 2, 1, 1, 0, D("0.5000"))]
    assert report.lanes == [LaneRow("dhl:paket", "DE", "DE", 2, D("30.00"), D("48.00"))]


def test_the_api_answers_it_and_refuses_a_location_limited_token(api, client, shop, paket):  # noqa: F811
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    with clock_pinned(MONDAY):
        shipped(api, "W-1", promised=None)
    r = api.get("/reports/shipping", **{"from": "2026-11-23", "to": "2026-11-23"})
    assert r.status_code == 200, r.content
    assert r.json()["costs"][0]["cost"] == "4.90"
    limited = make_token("reports:read", name="store", location_codes=["WH-A"])
    refused = client.get("/api/v1/reports/shipping", **auth(limited))
    assert (refused.status_code, refused.json()["code"]) == (403, "token_restricted")
