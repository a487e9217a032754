"""The console's Integration log and Failure themes pages (docs/integrations.md, "Console"):
the admin role reads them; an operations manager and a location-limited admin do not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.accounts.roles import roles_install
from ordino.console.integrations.views import sparkline
from ordino.core.domain.clock import clock_pinned
from tests.integrations.conftest import NOW

pytestmark = pytest.mark.django_db
LOG = "admin:integrations_integrationcall_changelist"
SIGNATURE = "shopify orders/create 422 unknown sku <v>"


def person(username: str, role: str) -> tuple[User, Client]:
    roles_install(Group, Permission)
    user = User.objects.create_user(username, password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def admin_client(db) -> Client:
    return person("integrator", "admin")[1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"error_signature": SIGNATURE}, ["sku1", "sku2", "sku3"]),
        ({"system__exact": "stripe", "ok__exact": "1"}, ["stripe"]),
        ({"status_code": "401"}, ["woo"]),
        ({"at_from": "2026-11-30", "at_to": "2026-11-30"}, ["sku2", "woo"]),
        ({"q": "consumer key"}, ["woo"]),
        ({"q": "pay-1-authorize"}, ["stripe"]),
    ],
)
def test_the_log_page_filters_and_searches(admin_client, calls, params, expected):
    page = admin_client.get(reverse(LOG), params)
    assert page.status_code == 200
    by_id = {call.pk: name for name, call in calls.items()}
    assert sorted(by_id[c.pk] for c in page.context["cl"].result_list) == sorted(expected)


def test_a_bad_status_filter_is_refused_as_a_bad_filter(admin_client, calls):
    page = admin_client.get(reverse(LOG), {"status_code": "abc"})
    assert page.status_code == 302 and page["Location"].endswith("?e=1")


def test_a_calls_page_shows_its_redacted_payloads_and_nothing_to_change(admin_client, calls):
    url = reverse("admin:integrations_integrationcall_change", args=[calls["sku1"].pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "&quot;X-Shopify-Hmac-Sha256&quot;: &quot;[redacted]&quot;" in html
    assert "&quot;token&quot;: &quot;[redacted]&quot;" in html
    assert admin_client.post(url, {}).status_code == 403


def test_the_themes_page_heads_each_theme_and_links_its_calls_and_fix(admin_client, calls):
    with clock_pinned(NOW):
        page = admin_client.get(reverse("console:integration_themes"))
    assert page.status_code == 200
    html = page.content.decode()
    assert ("3 Shopify inbound calls (orders/create) failed with &quot;unknown SKU &#x27;…&#x27;"
            "&quot; this week") in html  # fmt: skip
    assert "error_signature=shopify+orders%2Fcreate+422+unknown+sku+%3Cv%3E" in html
    assert f'href="{reverse("admin:catalog_sku_changelist")}">Add the SKU' in html
    assert "Check the connection&#x27;s credentials" in html  # no page for it here: no link
    assert [row["theme"].count for row in page.context["rows"]] == [3, 1]


def test_the_themes_page_takes_a_period_of_days(admin_client, calls):
    with clock_pinned(NOW):
        page = admin_client.get(reverse("console:integration_themes"), {"days": "90"})
        bogus = admin_client.get(reverse("console:integration_themes"), {"days": "9999"})
    assert [row["theme"].count for row in page.context["rows"]] == [3, 1, 1]
    assert bogus.context["days"] == 7


def test_an_operations_manager_and_a_store_limited_admin_see_neither_page(calls, shop):
    _, ops = person("ops", "operations manager")
    store_admin, limited = person("storeadmin", "admin")
    StaffAccess.objects.create(user=store_admin).locations.add(shop["store"])
    for client in (ops, limited):
        assert client.get(reverse(LOG)).status_code == 403
        assert client.get(reverse("console:integration_themes")).status_code == 403


def test_a_sparkline_has_one_bar_per_day_scaled_to_the_busiest():
    bars = sparkline([0, 2, 4], width=30, height=20)
    assert [(b["x"], b["h"], b["y"]) for b in bars] == [(0, 0, 20), (10.0, 10.0, 10.0),
                                                        (20.0, 20.0, 0.0)]  # fmt: skip
