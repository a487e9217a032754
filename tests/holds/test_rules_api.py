"""Hold rules over the API: created, versioned, activated, retired and audited; a condition
that cannot be evaluated is refused when saved; a preview over recent orders."""

from __future__ import annotations

import pytest

from ordino.holds.models import HoldRule, HoldRuleAudit, HoldRuleVersion
from tests.factories import auth, make_token, order_body
from tests.holds.conftest import BIG

pytestmark = pytest.mark.django_db

RULE = {
    "code": "first-big",
    "name": "First big order",
    "reason": "first order over 1,000 EUR",
    "condition": {
        "all": [
            {"fact": "customer.order_count", "op": "eq", "value": 0},
            {"fact": "order.value", "op": "gt", "value": "1000"},
        ]
    },
}


def test_a_rule_is_created_with_its_first_version_as_a_draft(api):
    # when a rule is created with a condition
    r = api.post("/holds/rules", RULE)
    # then 201, version 1 a draft, nothing active yet, the creation audited
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["active_version"], body["draft_version"]) == ("hold", None, 1)
    assert body["versions"][0]["described"] == "customer.order_count = 0 and order.value > 1000"
    assert [a["action"] for a in body["audit"]] == ["version_created", "created"]


def test_a_rule_with_an_unknown_fact_is_refused_where_and_nothing_is_saved(api):
    # when the condition names a fact that does not exist
    bad = {**RULE, "condition": {"all": [{"fact": "order.colour", "op": "eq", "value": "red"}]}}
    r = api.post("/holds/rules", bad)
    # then 422 problem+json naming the path, nothing saved
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == "invalid_condition"
    assert r.json()["errors"][0]["field"] == "condition.all[0].fact"
    assert HoldRule.objects.count() == 0
    assert HoldRuleAudit.objects.count() == 0


def test_a_new_version_of_the_wrong_type_is_refused_and_the_draft_kept(api):
    # given a rule with its draft
    api.post("/holds/rules", RULE)
    # when a new version compares the order's value with a word
    bad = {"condition": {"fact": "order.value", "op": "gt", "value": "a lot"}}
    r = api.post("/holds/rules/first-big/versions", bad)
    # then 422 naming the value, the draft unchanged
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "condition.value",
        "code": "not_a_number",
        "message": "condition.value: expected a number, got 'a lot'",
    }
    (version,) = HoldRuleVersion.objects.all()
    assert version.condition == {  # stored in its canonical form: numbers as decimal text
        "all": [
            {"fact": "customer.order_count", "op": "eq", "value": "0"},
            {"fact": "order.value", "op": "gt", "value": "1000"},
        ]
    }


def test_an_approval_without_its_permission_is_refused(api):
    r = api.post("/holds/rules", {**RULE, "kind": "approval"})
    assert r.status_code == 422
    assert r.json()["code"] == "release_permission_required"
    assert HoldRule.objects.count() == 0


def test_activating_a_new_version_retires_the_one_in_force(api):
    # given version 1 active and version 2 saved
    api.post("/holds/rules", RULE)
    api.post("/holds/rules/first-big/versions/1/activate", {"reason": "launch"})
    r = api.post("/holds/rules/first-big/versions", {"condition": BIG, "note": "lower"})
    assert r.status_code == 201
    assert r.json()["number"] == 2
    # when version 2 is activated
    r = api.post("/holds/rules/first-big/versions/2/activate", {"reason": "stricter"})
    # then it is in force and version 1 retired, both audited
    assert r.status_code == 200
    statuses = {v["number"]: v["status"] for v in r.json()["versions"]}
    assert statuses == {1: "retired", 2: "active"}
    assert r.json()["audit"][0]["data"] == {"retired": [1], "reason": "stricter"}


def test_an_active_version_cannot_be_activated_again(api):
    api.post("/holds/rules", RULE)
    api.post("/holds/rules/first-big/versions/1/activate", {})
    r = api.post("/holds/rules/first-big/versions/1/activate", {})
    assert r.status_code == 409
    assert r.json()["code"] == "version_not_draft"


def test_retiring_a_rule_without_an_active_version_is_409(api):
    api.post("/holds/rules", RULE)
    r = api.post("/holds/rules/first-big/retire", {"reason": "x"})
    assert r.status_code == 409
    assert r.json()["code"] == "rule_not_active"
    assert HoldRuleVersion.objects.get().status == "draft"


def test_an_unknown_rule_is_404(api):
    r = api.get("/holds/rules/nope")
    assert r.status_code == 404
    assert r.json()["code"] == "hold_rule_not_found"


def test_a_duplicate_code_is_409(api):
    api.post("/holds/rules", RULE)
    r = api.post("/holds/rules", RULE)
    assert r.status_code == 409
    assert r.json()["code"] == "hold_rule_exists"


def test_preview_says_which_recent_orders_would_match(api, stocked):
    # given two orders, one over 40 EUR
    api.post("/orders", order_body("W-1"))
    api.post("/orders", order_body("W-2", lines=[{"sku": "TEE", "quantity": 1, "unit_price": "9"}]))
    # when the condition is previewed
    r = api.post("/holds/rules/preview", {"condition": BIG})
    # then one of the two matches, with why
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["tested"], body["matched"]) == (2, 1)
    assert body["matches"][0]["order"] == "web:W-1"
    assert body["matches"][0]["why"] == "order.value > 40 holds (it is 49.480)"


def test_preview_of_a_bad_condition_is_422(api):
    r = api.post("/holds/rules/preview", {"condition": {"fact": "x", "op": "eq", "value": 1}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "condition.fact"


def test_preview_is_bounded_to_500_orders(api):
    r = api.post("/holds/rules/preview", {"condition": BIG, "limit": 501})
    assert r.status_code == 422


def test_a_channel_limited_token_may_not_read_rules(client, shop):
    token = make_token("holds", name="web-only", channel_codes=["web"])
    r = client.get("/api/v1/holds/rules", **auth(token))
    assert r.status_code == 403
    assert r.json()["code"] == "token_restricted"
