"""Fraud screening in the console: the order page shows the score and each signal's
contribution, *Score again* re-scores it; the settings page saves what the API saves, each
problem named, nothing saved on a refusal; a viewer sees the settings without a form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.audit.models import AuditEntry
from ordino.risk.models import OrderRisk, RiskSetting
from tests.factories import order_body
from tests.risk.conftest import SETTINGS_FORM, risky_body

pytestmark = pytest.mark.django_db
SETTINGS = reverse("console:risk_settings")
FORM = SETTINGS_FORM


@pytest.fixture
def manager(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


def test_the_order_page_shows_the_score_and_each_signals_contribution(api, stocked, manager):
    order = api.post("/orders", risky_body("W-1")).json()
    page = manager.get(reverse("console:order", args=[order["id"]]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<b data-risk-score>70</b> of 100 · <b>to review</b> (from 70)" in html
    assert '<tr data-signal="email_disposable">' in html
    assert "mailinator.com is not" not in html
    assert "mailinator.com is a throwaway e-mail domain" in html
    assert "<b>+25</b>" in html and "<b>+20</b>" in html
    assert "Billing and shipping countries differ" in html
    assert "Score again" in html


def test_score_again_from_the_order_page(api, stocked, manager):
    order = api.post("/orders", order_body("W-1")).json()
    r = manager.post(reverse("console:risk_rescore", args=[order["id"]]))
    assert r.status_code == 302
    assert r["Location"] == reverse("console:order", args=[order["id"]]) + "#risk"
    risk = OrderRisk.objects.get(order_id=order["id"])
    assert (risk.version, risk.scored_by) == (2, "user:ops")


def test_an_order_never_scored_says_so(api, stocked, manager):
    order = api.post("/orders", order_body("W-1")).json()
    OrderRisk.objects.all().delete()
    html = manager.get(reverse("console:order", args=[order["id"]])).content.decode()
    assert "Not scored: the order was captured before fraud screening." in html


def test_a_manager_saves_the_settings_audited(manager):
    page = manager.get(SETTINGS)
    assert page.status_code == 200
    assert 'name="weight_velocity_card" value="35"' in page.content.decode()
    r = manager.post(SETTINGS, {**FORM, "weight_velocity_card": "50", "review_threshold": "60",
                                "high_value": "eur 800", "reason": "tighter"})  # fmt: skip
    assert r.status_code == 302
    stored = RiskSetting.objects.get().values
    assert (stored["weights"]["velocity_card"], stored["review_threshold"]) == (50, 60)
    assert stored["high_value"] == {"EUR": "800"}
    entry = AuditEntry.objects.get(object_type="risk_settings")
    assert (entry.actor, entry.reason) == ("user:ops", "tighter")


def test_bad_settings_are_named_and_nothing_is_saved(manager):
    r = manager.post(SETTINGS, {**FORM, "weight_velocity_card": "101", "velocity_hours": "x",
                                "high_value": "EUR -5\nnonsense"})  # fmt: skip
    assert r.status_code == 200
    html = r.content.decode()
    assert "velocity hours: a whole number." in html
    assert "High values: &#x27;nonsense&#x27; is not &#x27;CURRENCY AMOUNT&#x27;." in html
    r = manager.post(SETTINGS, {**FORM, "weight_velocity_card": "101", "high_value": "EUR -5"})
    html = r.content.decode()
    assert "weights.velocity_card: A whole number from 0 to 100." in html
    assert "high_value.EUR: An amount as decimal text, over 0 and at most 1000000000." in html
    assert not RiskSetting.objects.exists()
    assert not AuditEntry.objects.filter(object_type="risk_settings").exists()


def test_a_viewer_sees_the_settings_but_may_not_save_them(client):
    user = User.objects.create_user("look", "look@example.com", "pw-long-enough", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_risksetting"))
    client.force_login(user)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert "Save</button>" not in page.content.decode()
    assert client.post(SETTINGS, FORM).status_code == 403
    assert not RiskSetting.objects.exists()
