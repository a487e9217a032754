"""The console's sourcing pages: drafts validated through the service, activation and
simulation as actions, decisions explained in sentences."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ordino.sourcing import services
from ordino.sourcing.models import (
    DistanceZone,
    LocationSchedule,
    ProfileAudit,
    SourcingDecision,
    SourcingProfileVersion,
    TransitTime,
    ZoneDistance,
)

from .helpers import OCTOBER, SEPTEMBER, capture, network

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough")
    client.force_login(user)
    return client


@pytest.fixture
def configured(db):
    net = network()
    profile = services.profile_create(code="default", name="D", definition=SEPTEMBER, actor="t")
    services.profile_version_activate(profile=profile, number=1, actor="t")
    services.profile_draft_save(profile=profile, definition=OCTOBER, actor="t")
    services.zones_load(
        zones=[{"country": "DE", "postal_prefix": "1", "zone": "east"}],
        distances=[{"zone_a": "east", "zone_b": "east", "km": 20}],
    )
    services.transit_times_load(rows=[{"service": "standard", "days": 2}])
    services.location_schedule_set(
        location=net["central"], calendar={"timezone": "Europe/Berlin", "cutoff": "15:00"}
    )
    order = capture("W-1")
    return {"profile": profile, "order": order, **net}


MODELS = [
    "sourcingprofile",
    "sourcingprofileversion",
    "profileaudit",
    "distancezone",
    "zonedistance",
    "transittime",
    "locationschedule",
    "sourcingdecision",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_sourcing_page_opens(staff, configured, model):
    url = reverse(f"admin:sourcing_{model}_changelist")
    assert staff.get(url).status_code == 200
    assert staff.get(url, {"q": "x"}).status_code == 200
    model_class = {
        "sourcingprofile": type(configured["profile"]),
        "sourcingprofileversion": SourcingProfileVersion,
        "profileaudit": __import__(
            "ordino.sourcing.models", fromlist=["ProfileAudit"]
        ).ProfileAudit,
        "distancezone": DistanceZone,
        "zonedistance": ZoneDistance,
        "transittime": TransitTime,
        "locationschedule": LocationSchedule,
        "sourcingdecision": SourcingDecision,
    }[model]
    for obj in model_class.objects.all():
        response = staff.get(reverse(f"admin:sourcing_{model}_change", args=[obj.pk]))
        assert response.status_code == 200


def test_a_decision_reads_as_sentences(staff, configured):
    decision = SourcingDecision.objects.get(order=configured["order"])
    page = staff.get(reverse("admin:sourcing_sourcingdecision_change", args=[decision.pk]))
    assert "Allocated by strategy" in page.content.decode()


def test_a_draft_opens_in_the_rule_editor_and_versions_read_in_words(staff, configured):
    draft = SourcingProfileVersion.objects.get(status="draft")
    active = SourcingProfileVersion.objects.get(status="active")
    opened = staff.get(reverse("admin:sourcing_sourcingprofileversion_edit_draft", args=[draft.pk]))
    record = staff.get(reverse("admin:sourcing_sourcingprofileversion_change", args=[active.pk]))
    assert opened.url == reverse("console:sourcing_rules_edit", args=["default"])
    html = record.content.decode()
    assert "Prefer: location priority (lower first) then nearest to the customer" in html
    assert "Split: at most 2 shipments, fewest shipments first" in html
    assert "&quot;strategies&quot;" not in html and '"strategies"' not in html


def test_review_and_try_lead_to_the_rule_pages(staff, configured):
    draft = SourcingProfileVersion.objects.get(status="draft")
    review = staff.get(reverse("admin:sourcing_sourcingprofileversion_review", args=[draft.pk]))
    simulate = staff.get(reverse("admin:sourcing_sourcingprofileversion_simulate", args=[draft.pk]))
    assert review.url == reverse("console:sourcing_rules_compare", args=["default"])
    assert simulate.url == reverse("console:sourcing_rules_simulate", args=["default"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_decision_names_its_locations(staff, configured):
    decision = SourcingDecision.objects.get(order=configured["order"])
    page = staff.get(reverse("admin:sourcing_sourcingdecision_change", args=[decision.pk]))
    assert "Location CENTRAL: (warehouse) has all 3 items" in page.content.decode()


def test_a_bad_calendar_is_refused_in_the_console(staff, configured):
    schedule = LocationSchedule.objects.get()
    response = staff.post(
        reverse("admin:sourcing_locationschedule_change", args=[schedule.pk]),
        {
            "location": schedule.location_id,
            "calendar": json.dumps({"timezone": "Nowhere/Land"}),
            "cost_per_shipment": "",
        },
    )
    assert response.status_code == 200
    assert "Unknown timezone" in response.content.decode()


def test_renaming_a_profile_in_the_console_stores_the_name_and_audits_it(staff, configured):
    # Given a profile named "D"
    profile = configured["profile"]
    url = reverse("admin:sourcing_sourcingprofile_change", args=[profile.pk])
    # the form's read-only inlines still post their management forms
    page = staff.get(url)
    management = {
        f"{inline.formset.prefix}-{key}": value
        for inline in page.context["inline_admin_formsets"]
        for key, value in inline.formset.management_form.initial.items()
    }
    # When an operator renames it in the console
    response = staff.post(url, {"name": "Default for Germany", **management})
    # Then the name is stored and the audit says who renamed it to what
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Default for Germany"
    audit = ProfileAudit.objects.filter(profile=profile).order_by("-pk").first()
    assert (audit.action, audit.actor, audit.version, audit.data) == (
        "renamed",
        "user:ops",
        None,
        {"name": "Default for Germany"},
    )
