"""Sourcing profiles as configuration: drafts validated on save, activated from a date, used by
the next capture, every decision stored with its explanation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.transactions import savepoint
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order, OrderLine
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_capture
from ordino.sourcing import services
from ordino.sourcing.models import ProfileAudit, SourcingDecision, SourcingProfileVersion
from tests.factories import order_body

from .helpers import BERLIN, FIRST_OCTOBER, OCTOBER, SEPTEMBER, at, capture, network

pytestmark = pytest.mark.django_db


def shipped_from(order: Order) -> set[str]:
    return set(
        FulfillmentOrder.objects.filter(order=order).values_list("location__code", flat=True)
    )


def test_without_a_profile_the_built_in_default_ships_from_the_fewest_locations(db):
    net = network()
    order = capture("W-1")
    assert shipped_from(order) == {"CENTRAL"}
    decision = SourcingDecision.objects.get(order=order)
    assert decision.profile_version is None
    assert decision.profile_code == "built-in"
    assert decision.outcome == "allocated"
    assert decision.explanation["explanation"]["strategies"][0]["candidates"][0]["code"] == (
        "CENTRAL"
    )
    entry = order.timeline.get(kind="captured")
    assert entry.data["sourcing"]["decision_id"] == decision.pk
    assert entry.data["sourcing"]["outcome"] == "allocated"
    assert (
        net["store"].pk
        not in decision.explanation["explanation"]["strategies"][0]["split"]["location_ids"]
    )


def test_the_merchant_example_is_one_configuration_change(db, monkeypatch):
    network()
    profile = services.profile_create(
        code="default", name="Default", definition=SEPTEMBER, actor="ops"
    )
    services.profile_version_activate(
        profile=profile, number=1, actor="ops", now=datetime(2025, 9, 1, tzinfo=UTC)
    )
    draft = services.profile_draft_save(profile=profile, definition=OCTOBER, actor="ops")
    assert draft.number == 2
    services.profile_version_activate(
        profile=profile,
        number=2,
        effective_from=FIRST_OCTOBER,
        actor="ops",
        now=datetime(2025, 9, 15, tzinfo=UTC),
    )
    at(FIRST_OCTOBER - timedelta(minutes=1), monkeypatch)
    before = capture("W-SEPT")
    at(FIRST_OCTOBER + timedelta(minutes=1), monkeypatch)
    after = capture("W-OCT")
    assert shipped_from(before) == {"CENTRAL"}
    assert shipped_from(after) == {"STORE-POTSDAM"}
    versions = dict(SourcingDecision.objects.values_list("order__external_id", "version_number"))
    assert versions == {"W-SEPT": 1, "W-OCT": 2}
    # v1 stays active until v2 is in effect: both are active
    statuses = dict(profile.versions.values_list("number", "status"))
    assert statuses == {1: "active", 2: "active"}
    actions = list(ProfileAudit.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["created", "draft_created", "activated", "draft_created", "activated"]


def test_activating_without_a_date_takes_effect_at_once_and_retires_the_old_version(db):
    network()
    profile = services.profile_create(code="default", name="D", definition=SEPTEMBER, actor="a")
    services.profile_version_activate(profile=profile, number=1, actor="a")
    assert shipped_from(capture("W-1")) == {"CENTRAL"}
    services.profile_draft_save(profile=profile, definition=OCTOBER, actor="a")
    services.profile_version_activate(profile=profile, number=2, actor="a")
    assert shipped_from(capture("W-2")) == {"STORE-POTSDAM"}
    assert dict(profile.versions.values_list("number", "status")) == {1: "retired", 2: "active"}


def test_only_a_draft_can_be_activated(db):
    network()
    profile = services.profile_create(code="default", name="D", definition=SEPTEMBER, actor="a")
    services.profile_version_activate(profile=profile, number=1, actor="a")
    with pytest.raises(Conflict) as err:
        services.profile_version_activate(profile=profile, number=1, actor="a")
    assert err.value.code == "version_not_draft"


@pytest.mark.parametrize(
    ("strategy", "code", "field"),
    [
        (
            {"name": "s", "filters": [{"type": "in_groups", "groups": ["outlets"]}]},
            "unknown_group",
            "definition.strategies[0].filters[0].groups",
        ),
        (
            {
                "name": "s",
                "condition": {
                    "all": [
                        {"fact": "destination.country", "op": "eq", "value": "DE"},
                        {"fact": "destination.country", "op": "eq", "value": "FR"},
                    ]
                },
            },
            "never_matches",
            "definition.strategies[0].condition",
        ),
    ],
)
def test_bad_configuration_is_refused_and_nothing_is_saved(db, strategy, code, field):
    network()
    profile = services.profile_create(code="default", name="D", actor="a")
    # the caller's transaction (a request's, here the savepoint) rolls a refusal back
    with pytest.raises(DomainError) as err, savepoint():
        services.profile_draft_save(
            profile=profile, definition={"strategies": [strategy]}, actor="a"
        )
    assert err.value.code == "invalid_profile"
    assert (field, code) in [(e["field"], e["code"]) for e in err.value.errors]
    assert not SourcingProfileVersion.objects.exists()


def test_a_cycle_of_fallbacks_is_refused(db):
    network()
    profile = services.profile_create(code="default", name="D", actor="a")
    cycle = {
        "strategies": [
            {"name": "a", "fallback": {"kind": "strategy", "strategy": "b"}},
            {"name": "b", "fallback": {"kind": "strategy", "strategy": "a"}},
        ]
    }
    with pytest.raises(DomainError) as err:
        services.profile_draft_save(profile=profile, definition=cycle, actor="a")
    assert "cycle" in {e["code"].split("_")[0] for e in err.value.errors} or any(
        "cycle" in e["message"] for e in err.value.errors
    )


def test_a_review_outcome_reserves_nothing_and_marks_the_timeline(db):
    network()
    review = {
        "strategies": [
            {
                "name": "stores only",
                "filters": [{"type": "kind_in", "kinds": ["store"]}],
                "fallback": {"kind": "review"},
            }
        ]
    }
    profile = services.profile_create(code="default", name="D", definition=review, actor="a")
    services.profile_version_activate(profile=profile, number=1, actor="a")
    order = capture("W-BIG", lines=[{"sku": "TEE", "quantity": 50, "unit_price": "10.00"}])
    assert order.status == "backordered"
    line = OrderLine.objects.get(order=order)
    assert (line.quantity_allocated, line.quantity_backordered) == (0, 50)
    assert not FulfillmentOrder.objects.filter(order=order).exists()
    entry = order.timeline.get(kind="captured")
    assert "sourcing needs review" in entry.message
    assert entry.data["sourcing"]["outcome"] == "review"


def test_cancel_after_records_the_date(db, monkeypatch):
    network()
    definition = {
        "strategies": [
            {
                "name": "central",
                "filters": [{"type": "in_groups", "groups": ["central"]}],
                "fallback": {"kind": "cancel_after", "days": 14},
            }
        ]
    }
    profile = services.profile_create(code="default", name="D", definition=definition, actor="a")
    now = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    services.profile_version_activate(profile=profile, number=1, actor="a", now=now)
    at(now, monkeypatch)
    order = capture("W-1", lines=[{"sku": "TEE", "quantity": 600, "unit_price": "1.00"}])
    decision = SourcingDecision.objects.get(order=order)
    assert decision.outcome == "partial"
    assert decision.cancel_after == now + timedelta(days=14)
    entry = order.timeline.get(kind="captured")
    assert entry.data["sourcing"]["cancel_after"] == "2025-11-17T09:00:00+00:00"


def statements(external_id: str) -> int:
    body = order_body(external_id, shipping_address=BERLIN)
    with CaptureQueriesContext(connection) as queries:
        order_capture(command=OrderCreateIn(**body).command(), actor="t")
    return len(queries.captured_queries)


def test_the_profile_in_effect_costs_no_extra_statement(db):
    network()
    statements("W-0")  # the customer is new once
    built_in = statements("W-1")
    profile = services.profile_create(code="default", name="D", definition=OCTOBER, actor="a")
    services.profile_version_activate(profile=profile, number=1, actor="a")
    statements("W-2")  # reads and caches the new version
    assert statements("W-3") == built_in


def test_activation_stores_its_reason_in_the_audit(db):
    # given
    network()
    profile = services.profile_create(code="default", name="D", definition=SEPTEMBER, actor="t")
    # when
    services.profile_version_activate(profile=profile, number=1, actor="ops", reason="go live")
    # then
    entry = ProfileAudit.objects.get(action="activated")
    assert (entry.actor, entry.data["reason"], entry.data["retired"]) == ("ops", "go live", [])


def test_retiring_the_version_in_effect_gives_capture_the_built_in_rule_back(db):
    # given
    network()
    profile = services.profile_create(code="default", name="D", definition=OCTOBER, actor="t")
    services.profile_version_activate(profile=profile, number=1, actor="t")
    # when
    services.profile_version_retire(profile=profile, number=1, actor="ops", reason="too many")
    order = capture("W-1")
    # then
    version = SourcingProfileVersion.objects.get()
    assert (version.status, version.retired_at is not None) == ("retired", True)
    assert ProfileAudit.objects.get(action="retired").data == {"number": 1, "reason": "too many"}
    decision = SourcingDecision.objects.get(order=order)
    assert (decision.profile_code, decision.profile_version) == ("built-in", None)


def test_only_an_active_version_can_be_retired(db):
    # given
    network()
    profile = services.profile_create(code="default", name="D", definition=SEPTEMBER, actor="t")
    # when
    with pytest.raises(Conflict) as refused, savepoint():
        services.profile_version_retire(profile=profile, number=1, actor="ops")
    # then
    assert refused.value.code == "version_not_active"
    assert SourcingProfileVersion.objects.get().status == "draft"
    assert not ProfileAudit.objects.filter(action="retired").exists()
