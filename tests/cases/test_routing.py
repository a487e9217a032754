"""Case routing in the rule language (docs/cases.md, "Routing"): rules stored as data, checked
when saved (a rule that cannot be evaluated is refused with 422 and the error's path, nothing
saved), tried in order (the first match wins), audited, and applied when a case about an order
is opened; only unrestricted tokens read or change them."""

from __future__ import annotations

import json

import pytest

from ordino.audit.models import AuditEntry
from ordino.cases.domain import types as t
from ordino.cases.models import Case, RoutingRule, Team
from tests.cases.conftest import work
from tests.factories import auth, make_token, order_body, stock

pytestmark = pytest.mark.django_db
BIG = {"fact": "order.value", "op": "gt", "value": "40"}
DE = {"fact": "destination.country", "op": "eq", "value": "DE"}


@pytest.fixture
def teams(db):
    return {name: Team.objects.create(name=name) for name in ("VIP desk", "Germany")}


def add(api, code: str, condition=BIG, **fields):
    body = {"code": code, "name": code, "condition": condition, **fields}
    return api.post("/cases/routing-rules", body)


def test_a_rule_is_saved_in_canonical_form_and_audited(api, teams):
    r = add(api, "big", BIG, case_types=["inquiry"], team="VIP desk", priority="high")
    assert r.status_code == 201, r.content
    assert r.json() == {
        "code": "big", "name": "big", "position": 10, "condition": BIG,
        "case_types": ["inquiry"], "team": "VIP desk", "priority": "high",
    }  # fmt: skip
    entry = AuditEntry.objects.get(object_type="case_routing_rule")
    assert (entry.action, entry.object_id, entry.actor) == ("created", "big", "token:admin")
    assert entry.after["team"] == "VIP desk"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"condition": {"fact": "order.colour", "op": "eq", "value": "red"}},
         "invalid_condition", "condition.fact"),
        ({"condition": {"all": [BIG, {"fact": "order.value", "op": "gt", "value": "a lot"}]}},
         "invalid_condition", "condition.all[1].value"),
        ({"condition": {"all": [BIG, {"fact": "order.value", "op": "lt", "value": "10"}]}},
         "condition_never_matches", "condition"),
        ({"case_types": ["inquiry", "telepathy"]}, "unknown_case_type", "case_types[1]"),
        ({"team": "Nobody"}, "unknown_team", "team"),
        ({"team": None, "priority": ""}, "routing_outcome_missing", "team"),
    ],
)  # fmt: skip
def test_a_rule_that_cannot_be_evaluated_is_refused_with_its_path(api, teams, body, code, field):
    r = add(api, "bad", **{"team": "VIP desk", **body})
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == code
    assert field in [e["field"] for e in problem["errors"]]
    assert RoutingRule.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="case_routing_rule").count() == 0


def test_the_first_matching_rule_routes_a_new_case_about_an_order(api, shop, teams):
    # given two rules that both match a 49.48 EUR order to Germany: the first decides
    add(api, "big", BIG, team="VIP desk", priority="urgent")
    add(api, "de", DE, team="Germany")
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body("W-1")).json()
    # when a case about the order opens
    case = api.post("/cases", {"title": "Where is it?", "order_id": order["id"]}).json()
    # then it is the VIP desk's, urgent, and its activity says why
    assert (case["owner_team"], case["priority"]) == ("VIP desk", "urgent")
    routed = Case.objects.get().activities.get(kind="assigned")
    assert routed.message == ("Routed by rule big to team VIP desk and priority urgent: "
                              "order.value > 40 holds (it is 49.480)")  # fmt: skip
    # and a case of a type the first rule does not name goes by the second
    r = api.client.put(
        "/api/v1/cases/routing-rules/big",
        data=json.dumps({"name": "big", "condition": BIG, "case_types": [t.ORDER_HOLD],
                         "team": "VIP desk", "priority": "urgent", "reason": "holds only"}),
        content_type="application/json", **api.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.content
    again = api.post("/cases", {"title": "And now?", "order_id": order["id"]}).json()
    assert (again["owner_team"], again["priority"]) == ("Germany", "normal")
    change = AuditEntry.objects.get(object_type="case_routing_rule", action="changed")
    assert (change.before["case_types"], change.after["case_types"]) == ([], [t.ORDER_HOLD])
    assert change.reason == "holds only"


def test_a_case_without_an_order_and_an_order_matching_nothing_keep_their_types_defaults(
    api, shop, teams
):
    add(api, "big", {"fact": "order.value", "op": "gt", "value": "1000"}, team="VIP desk")
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body("W-1")).json()
    about = api.post("/cases", {"title": "Small", "order_id": order["id"]}).json()
    alone = api.post("/cases", {"title": "No order"}).json()
    assert [(c["owner_team"], c["priority"]) for c in (about, alone)] == [(None, "normal")] * 2


def test_a_hold_case_is_routed_too(api, shop, teams):
    add(api, "holds", BIG, case_types=[t.APPROVAL_REQUIRED], team="VIP desk")
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    rule = {"code": "ok", "name": "ok", "reason": "big", "kind": "approval",
            "release_permission": "approve", "condition": BIG}  # fmt: skip
    api.post("/holds/rules", rule)
    api.post("/holds/rules/ok/versions/1/activate", {})
    api.post("/orders", order_body("W-1"))
    work()
    assert Case.objects.get().owner_team.name == "VIP desk"


def test_preview_and_delete(api, shop, teams):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    api.post("/orders", order_body("W-1"))
    preview = api.post("/cases/routing-rules/preview", {"condition": BIG}).json()
    assert (preview["tested"], preview["matched"]) == (1, 1)
    assert preview["matches"][0]["order"] == "web:W-1"
    bad = api.post("/cases/routing-rules/preview", {"condition": {"fact": "x", "op": "eq",
                                                                  "value": 1}})  # fmt: skip
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_condition")
    add(api, "big", BIG, team="VIP desk")
    assert api.delete("/cases/routing-rules/big").status_code == 204
    assert RoutingRule.objects.count() == 0
    gone = AuditEntry.objects.get(object_type="case_routing_rule", action="deleted")
    assert gone.before["code"] == "big"
    assert api.get("/cases/routing-rules/big").status_code == 404


def test_a_restricted_token_may_not_read_or_change_routing_rules(client, shop, teams):
    secret = make_token("cases:write", name="web-only", channel_codes=["web"])
    listed = client.get("/api/v1/cases/routing-rules", **auth(secret))
    made = client.post("/api/v1/cases/routing-rules", content_type="application/json",
                       data={"code": "x", "name": "x", "condition": BIG, "team": "Germany"},
                       **auth(secret))  # fmt: skip
    assert (listed.status_code, listed.json()["code"]) == (403, "token_restricted")
    assert (made.status_code, made.json()["code"]) == (403, "token_restricted")
    assert RoutingRule.objects.count() == 0


def test_a_reader_may_not_change_routing_rules(client, teams):
    secret = make_token("cases:read", name="reader")
    made = client.post("/api/v1/cases/routing-rules", content_type="application/json",
                       data={"code": "x", "name": "x", "condition": BIG, "team": "Germany"},
                       **auth(secret))  # fmt: skip
    assert (made.status_code, made.json()["code"]) == (403, "insufficient_scope")
    assert RoutingRule.objects.count() == 0
