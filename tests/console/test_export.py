"""Every list exports CSV and XLSX: what the list's filters and search select, within the user's
scope, with human headers, exact money next to its currency and ISO dates in UTC."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ordino.core.console_export import ConsoleExportMixin
from tests.console.lists_fixtures import signed_in, staff_user

pytestmark = pytest.mark.django_db
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def export(client, url: str, query: str = "", file_format: str = CSV_FORMAT):
    return client.post(f"{url}?{query}", {"format": file_format, "resource": "0"})


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_order_export_holds_what_the_filters_select_with_human_headers(orders):
    # Given a manager who may view orders
    manager = signed_in(staff_user("manager", "orders.view_order"))
    # When they export the list filtered to the web channel
    web = orders["W-1"].channel_id
    response = export(manager, reverse("admin:orders_order_export"), f"channel__id__exact={web}")
    # Then the CSV holds the web orders only, under human headers
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert sorted(r["External id"] for r in rows) == ["W-1", "W-2"]
    first = next(r for r in rows if r["External id"] == "W-1")
    # and money is an exact decimal next to its currency, dates are ISO in UTC, codes are words
    assert first["Grand total"] == "49.48"
    assert first["Currency"] == "EUR"
    assert first["Created at (UTC)"].endswith("+00:00")
    assert first["Status"] == "Allocated"
    assert first["Channel"] == "web"


def test_the_search_narrows_the_export_too(orders):
    manager = signed_in(staff_user("manager", "orders.view_order"))
    response = export(manager, reverse("admin:orders_order_export"), "q=75001")
    assert [r["External id"] for r in csv_rows(response)] == ["W-2"]


def test_a_limited_user_exports_only_the_orders_they_reach(orders):
    # Given a user limited to the app channel
    app = orders["A-1"].channel
    limited = signed_in(staff_user("app-agent", "orders.view_order", channels=[app]))
    # When they export everything
    response = export(limited, reverse("admin:orders_order_export"))
    # Then only the app's order is in it
    assert [r["External id"] for r in csv_rows(response)] == ["A-1"]


def test_the_xlsx_export_has_the_same_columns(orders):
    manager = signed_in(staff_user("manager", "orders.view_order"))
    response = export(manager, reverse("admin:orders_order_export"), "q=W-1", XLSX_FORMAT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:3] == ["Order number", "External id", "Channel"]
    assert row[1] == "W-1"
    assert row[header.index("Grand total")] == "49.48"


def test_a_user_who_may_not_view_the_list_cannot_export_it(orders):
    nobody = signed_in(staff_user("nobody"))
    response = export(nobody, reverse("admin:orders_order_export"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "orders.order",
        "fulfillment.fulfillmentorder",
        "inventory.stockbalance",
        "inventory.stockmovement",
        "customers.customer",
        "catalog.sku",
    ],
)
def test_every_main_list_offers_export(model, admin_client):
    from django.apps import apps
    from django.contrib import admin

    model_admin = admin.site._registry[apps.get_model(model)]
    assert isinstance(model_admin, ConsoleExportMixin)
    app_label, name = model.split(".")
    page = admin_client.get(reverse(f"admin:{app_label}_{name}_changelist"))
    assert reverse(f"admin:{app_label}_{name}_export") in page.content.decode()
