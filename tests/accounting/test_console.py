"""The console's Finance page: the journal's totals and trial balance, and its CSV."""

from __future__ import annotations

import pytest

from tests.accounting.test_api import book, today  # noqa: F401  (the orders, the period)

pytestmark = pytest.mark.django_db


def test_the_finance_page_shows_the_trial_balance_and_downloads_the_csv(admin_client, api, book):  # noqa: F811
    # given orders invoiced and paid today
    # when the page is opened for today
    r = admin_client.get("/admin/accounting/journal/", today())
    # then it shows the accounts and a balanced trial balance
    assert r.status_code == 200
    html = r.content.decode()
    assert "Trial balance" in html and "Receivables" in html and ">yes<" in html
    # and the CSV is the API's
    csv = admin_client.get("/admin/accounting/journal/", {**today(), "format": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content == api.get("/accounting/journal", **today(), format="csv").content


def test_a_bad_period_is_shown_not_raised(admin_client):
    r = admin_client.get("/admin/accounting/journal/", {"from": "2026-03-02", "to": "2026-03-01"})
    assert r.status_code == 200
    assert "is after" in r.content.decode()
