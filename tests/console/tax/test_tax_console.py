"""The console's tax: the order page's panel, and the rates' list and form under Settings."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ordino.events.models import OutboxEvent
from ordino.tax.models import TaxRate
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    return client


def test_the_order_page_shows_the_tax_per_rate(api, shop, staff):
    # given a DE rate and an order whose tax Ordino computed
    TaxRate.objects.create(
        country="DE", rate="19", name="DE VAT standard", valid_from=date(2020, 1, 1)
    )
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body("P-1")).json()
    # when the order page opens
    page = staff.get(reverse("console:order", args=[order["id"]])).content.decode()
    # then the tax panel names the rate and the tax: 49.48 × 19 % = 9.40
    assert 'aria-label="Tax"' in page
    assert "Computed by Ordino from the tax rates" in page
    assert "DE VAT standard (19 %)" in page
    assert "9.40" in page


def test_an_order_without_tax_shows_no_panel(api, shop, staff):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body("P-2")).json()
    page = staff.get(reverse("console:order", args=[order["id"]])).content.decode()
    assert 'aria-label="Tax"' not in page


def test_the_rates_form_creates_through_the_use_case_and_shows_refusals(staff):
    url = reverse("admin:tax_taxrate_add")
    form = {
        "country": "DE",
        "region": "",
        "tax_class": "standard",
        "rate": "19",
        "name": "DE VAT standard",
        "valid_from": "2020-01-01",
        "valid_to": "",
    }
    # when a rate is added in the console, then it is saved and its event emitted
    assert staff.post(url, form).status_code == 302
    assert TaxRate.objects.get().name == "DE VAT standard"
    assert OutboxEvent.objects.get().name == "tax.rate_created"
    # when an overlapping one is added, then the form says why and nothing is written
    again = staff.post(url, {**form, "valid_from": "2024-01-01", "name": "Other"})
    assert again.status_code == 200
    assert "applies from 2020-01-01" in again.content.decode()
    assert TaxRate.objects.count() == 1
    # the list filters by country
    listing = staff.get(reverse("admin:tax_taxrate_changelist"), {"country": "DE"})
    assert listing.status_code == 200 and "DE VAT standard" in listing.content.decode()
