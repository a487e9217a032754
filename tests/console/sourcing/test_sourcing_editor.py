"""The sourcing rule editor: forms generated from the definition, saved as a draft through the
use case, refusals shown next to the field with the input kept, the real version number named."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from ordino.sourcing import services
from ordino.sourcing.models import ProfileAudit, SourcingProfile, SourcingProfileVersion
from tests.console.sourcing.conftest import form_data
from tests.sourcing.helpers import SEPTEMBER

pytestmark = pytest.mark.django_db

EDIT = reverse("console:sourcing_rules_edit", args=["default"])


def test_starting_from_the_active_version_prefills_its_values(manager, configured):
    # when
    page = manager.get(EDIT + "?from=active")
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "Started from active version 1." in html
    data = form_data(html)
    assert data["s0-name"] == "everywhere"
    assert data["s0-max_shipments"] == "2"
    assert data["s0-has_stock"] == "any"
    assert data["s0-crit-0-criterion"] == "priority"
    assert data["s0-crit-1-criterion"] == "distance"
    assert "null" not in html.split('id="rule-editor"')[1]


def test_saving_unchanged_forms_round_trips_the_definition(manager, configured):
    # given
    data = form_data(manager.get(EDIT + "?from=active").content.decode())
    # when
    answer = manager.post(EDIT, data, follow=True)
    # then
    draft = SourcingProfileVersion.objects.get(status="draft")
    assert draft.number == 2
    assert draft.definition == {
        "strategies": [
            {
                **SEPTEMBER["strategies"][0],
                "ranking": {"mode": "lexicographic", **SEPTEMBER["strategies"][0]["ranking"]},
                "split": {"max_shipments": 2, "fill": "fewest_shipments", "line_split": True},
            }
        ]
    }
    assert "Saved draft version 2 of “Web shop”" in answer.content.decode()
    assert "vNone" not in answer.content.decode()


def test_changing_the_split_limit_saves_a_draft_with_the_new_limit(manager, configured):
    # given
    data = form_data(manager.get(EDIT + "?from=active").content.decode())
    data["s0-max_shipments"] = "1"
    data["note"] = "ship complete"
    # when
    manager.post(EDIT, data)
    # then
    draft = SourcingProfileVersion.objects.get(status="draft")
    assert draft.definition["strategies"][0]["split"]["max_shipments"] == 1
    assert draft.note == "ship complete"
    assert ProfileAudit.objects.filter(action="draft_created", version=draft).count() == 1


def test_a_refusal_is_shown_next_to_its_field_and_keeps_what_was_typed(manager, configured):
    # given: a split limit of 0
    data = form_data(manager.get(EDIT + "?from=active").content.decode())
    data["s0-max_shipments"] = "0"
    data["note"] = "typed by hand"
    # when
    page = manager.post(EDIT, data)
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert SourcingProfileVersion.objects.filter(status="draft").count() == 0
    limit_field = html.split('name="s0-max_shipments"')[1].split("</div>")[0]
    assert "the split limit (max_shipments) must be at least 1, got 0" in limit_field
    assert form_data(html)["s0-max_shipments"] == "0"
    assert form_data(html)["note"] == "typed by hand"


def test_a_condition_that_can_never_match_is_refused_at_the_condition(manager, configured):
    # given
    data = form_data(manager.get(EDIT + "?from=active").content.decode())
    for row, country in enumerate(("DE", "FR")):
        data[f"s0-cond-{row}-fact"] = "destination.country"
        data[f"s0-cond-{row}-op"] = "eq"
        data[f"s0-cond-{row}-value"] = country
    # when
    html = manager.post(EDIT, data).content.decode()
    # then
    assert SourcingProfileVersion.objects.filter(status="draft").count() == 0
    match_field = html.split('name="s0-match"')[1].split("</div>")[0]
    assert "strategy &#x27;everywhere&#x27; can never match" in match_field
    assert form_data(html)["s0-cond-1-value"] == "FR"


def test_adding_a_strategy_in_the_spare_block(manager, configured):
    # given: a first strategy for stores only that falls through to the next one
    data = form_data(manager.get(EDIT + "?from=active").content.decode())
    first = {k[3:]: v for k, v in data.items() if k.startswith("s0-")}
    data.update({f"s1-{k}": v for k, v in first.items()})
    data["s0-name"] = "stores first"
    data["s0-kind_in"] = ["store"]
    data["s0-fallback"] = "next"
    # when
    manager.post(EDIT, data)
    # then
    draft = SourcingProfileVersion.objects.get(status="draft")
    names = [s["name"] for s in draft.definition["strategies"]]
    assert names == ["stores first", "everywhere"]
    assert draft.definition["strategies"][0]["filters"][0] == {
        "type": "kind_in",
        "kinds": ["store"],
    }


def test_a_fresh_install_shows_the_built_in_rule_and_starts_a_draft_from_it(manager, db):
    # when
    overview = manager.get(reverse("console:sourcing_rules")).content.decode()
    editor = manager.get(EDIT + "?from=active").content.decode()
    manager.post(EDIT, form_data(editor))
    # then
    assert "the built-in rule</strong> decides for every order" in overview
    assert "location priority (lower first)" in overview
    assert "Start a draft from the built-in rule" in overview
    assert "Started from the built-in rule." in editor
    profile = SourcingProfile.objects.get()
    assert (profile.code, profile.is_default) == ("default", True)
    draft = profile.versions.get()
    assert (draft.number, draft.status) == (1, "draft")
    assert draft.definition["strategies"][0]["split"]["max_shipments"] is None


def test_without_the_change_permission_no_save_button_and_a_post_is_403(viewer, configured):
    # given
    html = viewer.get(EDIT + "?from=active").content.decode()
    # when
    answer = viewer.post(EDIT, form_data(html))
    # then
    assert "Save draft" not in html
    assert answer.status_code == 403
    assert SourcingProfileVersion.objects.filter(status="draft").count() == 0


def test_filters_are_chosen_by_name_and_saved_by_code(manager, configured):
    # given
    html = manager.get(EDIT + "?from=active").content.decode()
    data = form_data(html)
    data["s0-exclude_locations"] = ["STORE-POTSDAM"]
    data["s0-within_km"] = "300"
    # when
    manager.post(EDIT, data)
    # then
    assert '<option value="STORE-POTSDAM">Location STORE-POTSDAM (STORE-POTSDAM)</option>' in html
    filters = SourcingProfileVersion.objects.get(status="draft").definition["strategies"][0][
        "filters"
    ]
    assert filters == [
        {"type": "exclude_locations", "codes": ["STORE-POTSDAM"]},
        {"type": "within_distance", "km": 300.0, "unknown": "exclude"},
        {"type": "has_stock", "mode": "any"},
    ]


def test_a_nested_condition_is_shown_in_words_and_kept_as_it_is(manager, configured):
    # given an active version whose condition nests an "any" in an "all" (made through the API)
    nested = {
        "all": [
            {"fact": "destination.country", "op": "eq", "value": "DE"},
            {"any": [{"fact": "order.value", "op": "gte", "value": "100"},
                     {"fact": "lines.sku_tags", "op": "contains", "value": "bulky"}]},
        ]
    }  # fmt: skip
    definition = copy.deepcopy(SEPTEMBER)
    definition["strategies"][0]["condition"] = nested
    definition["strategies"].append({"name": "rest", "fallback": {"kind": "backorder"}})
    services.profile_draft_save(profile=configured["profile"], definition=definition, actor="t")
    # when
    html = manager.get(EDIT).content.decode()
    data = form_data(html)
    data["s0-max_shipments"] = "3"
    manager.post(EDIT, data)
    # then
    assert (
        "destination country is DE and (order value is at least 100 or product tags include "
        "bulky)" in html
    )
    saved = SourcingProfileVersion.objects.get(status="draft").definition["strategies"][0]
    assert saved["condition"] == nested
    assert saved["split"]["max_shipments"] == 3
