"""Fraud screening over HTTP: an order's risk in the caller's scope (404 outside), scoring
again, the settings (unrestricted tokens; checked, audited; a refusal changes nothing)."""

from __future__ import annotations

import pytest

from ordino.audit.models import AuditEntry
from ordino.cases.models import Case
from ordino.risk.models import OrderRisk, RiskSetting
from tests.cases.conftest import work
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body
from tests.risk.conftest import risky_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(client, shop):
    """A token that reaches the channel `app` only."""
    make_channel("app", currency="EUR")
    return ApiClient(client, make_token("orders holds", channel_codes=["app"], name="app-only"))


def test_an_order_outside_the_callers_scope_is_404_problem_json(api, stocked, limited):
    order = api.post("/orders", order_body("W-1")).json()
    r = limited.get(f"/orders/{order['id']}/risk")
    assert r.status_code == 404
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == "order_not_found"
    # rescoring it is 404 too, and changes nothing
    again = limited.post(f"/orders/{order['id']}/risk/rescore")
    assert (again.status_code, again.json()["code"]) == (404, "order_not_found")
    assert OrderRisk.objects.get(order_id=order["id"]).version == 1


def test_an_order_never_scored_is_404_risk_not_found(api, stocked):
    order = api.post("/orders", order_body("W-1")).json()
    OrderRisk.objects.filter(order_id=order["id"]).delete()  # as if captured before screening
    r = api.get(f"/orders/{order['id']}/risk")
    assert (r.status_code, r.json()["code"]) == (404, "risk_not_found")
    assert api.get("/orders/999999/risk").json()["code"] == "order_not_found"
    # scoring it now makes its first score
    r = api.post(f"/orders/{order['id']}/risk/rescore")
    assert r.status_code == 200, r.content
    assert (r.json()["score"], r.json()["version"]) == (0, 1)


def test_reading_a_risk_needs_orders_read(client, api, stocked):
    order = api.post("/orders", order_body("W-1")).json()
    other = ApiClient(client, make_token("cases", name="cases-only"))
    r = other.get(f"/orders/{order['id']}/risk")
    assert r.status_code == 403


def test_settings_read_and_changed_with_an_audit_entry(api, db):
    assert api.get("/risk/settings").json() == {
        "weights": {"velocity_email": 25, "velocity_phone": 20, "velocity_address": 20,
                    "velocity_card": 35, "country_mismatch": 20, "first_order_high_value": 30,
                    "name_mismatch": 25, "email_disposable": 25},
        "velocity_hours": 24, "velocity_limit": 3,
        "high_value": {"EUR": "1000", "GBP": "900", "USD": "1000"},
        "review_threshold": 70,
    }  # fmt: skip
    change = {"weights": {"velocity_card": 50}, "review_threshold": 60,
              "high_value": {"EUR": "500.50"}, "reason": "tighter"}  # fmt: skip
    r = api.patch("/risk/settings", change)
    assert r.status_code == 200, r.content
    got = r.json()
    assert (got["weights"]["velocity_card"], got["weights"]["velocity_email"]) == (50, 25)
    assert (got["review_threshold"], got["high_value"]) == (60, {"EUR": "500.50"})
    entry = AuditEntry.objects.get(object_type="risk_settings")
    assert (entry.action, entry.reason, entry.actor) == ("changed", "tighter", "token:admin")
    assert entry.before["review_threshold"] == 70
    assert entry.after["review_threshold"] == 60
    assert api.get("/risk/settings").json() == got


@pytest.mark.parametrize(
    "body",
    [
        {"review_threshold": 0},  # under the bound
        {"review_threshold": 101},  # over it
        {"velocity_hours": 721},
        {"weights": {"velocity_card": 101}},
        {"weights": {"velocity_card": "50"}},  # strict JSON types
        {"high_value": {"EUR": "-1"}},
        {"colour": "red"},  # unknown field
    ],
)
def test_bad_settings_are_422_problem_json_and_change_nothing(api, db, body):
    r = api.patch("/risk/settings", body)
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert not RiskSetting.objects.exists()
    assert not AuditEntry.objects.filter(object_type="risk_settings").exists()


def test_an_unknown_signal_is_named_with_its_path(api, db):
    r = api.patch("/risk/settings", {"weights": {"nope": 5}})
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "invalid_risk_settings"
    assert [e["field"] for e in problem["errors"]] == ["weights.nope"]


def test_settings_are_for_unrestricted_tokens(limited):
    r = limited.get("/risk/settings")
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    r = limited.patch("/risk/settings", {"review_threshold": 5})
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    assert not RiskSetting.objects.exists()


def test_a_rescore_under_the_threshold_resolves_the_review_by_itself(api, stocked):
    # given a risky order with its fraud review
    order = api.post("/orders", risky_body("W-1")).json()
    work()
    # when throwaway e-mails stop counting and the order is scored again
    assert api.patch("/risk/settings", {"weights": {"email_disposable": 0}}).status_code == 200
    r = api.post(f"/orders/{order['id']}/risk/rescore")
    assert (r.json()["score"], r.json()["review"], r.json()["version"]) == (45, False, 2)
    work()
    # then the case resolved by itself, saying why
    (case,) = Case.objects.filter(type__code="fraud_review")
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
    assert case.activities.last().message == "Resolved by itself: a re-score put the risk at 45"


def test_a_preview_of_a_rule_on_the_score_reads_the_stored_scores(api, stocked):
    # given a risky order, a calm one and one never scored
    risky = api.post("/orders", risky_body("W-1")).json()
    api.post("/orders", order_body("W-2"))
    old = api.post("/orders", order_body("W-3")).json()
    OrderRisk.objects.filter(order_id=old["id"]).delete()
    # when a rule on the score is previewed
    condition = {"fact": "risk.score", "op": "gte", "value": 70}
    r = api.post("/holds/rules/preview", {"condition": condition, "limit": 10})
    # then only the risky order would be held
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["tested"], body["matched"]) == (3, 1)
    assert body["matches"][0]["order_id"] == risky["id"]
