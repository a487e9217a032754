"""Draft vs active side by side, activation and retirement confirmed with a reason (stored in the
profile's audit), and the same pages for someone without the change permission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ordino.sourcing.models import ProfileAudit, SourcingProfileVersion

pytestmark = pytest.mark.django_db

COMPARE = reverse("console:sourcing_rules_compare", args=["default"])


def _statuses() -> dict[int, str]:
    return dict(SourcingProfileVersion.objects.values_list("number", "status"))


def test_side_by_side_names_both_versions_and_marks_what_differs(manager, drafted):
    # when
    html = manager.get(COMPARE).content.decode()
    # then
    assert "What activating draft version 2 changes" in html
    changed = [row for row in html.split("<tr") if 'data-changed="1"' in row]
    assert len(changed) == 1
    assert "location kind (store before warehouse) then location priority" in changed[0]
    assert "<td>Prefer</td><td>location priority (lower first) then nearest" in changed[0]


def test_activating_needs_the_confirmation(manager, drafted):
    # when
    html = manager.post(COMPARE, {"reason": "stores first"}).content.decode()
    # then
    assert "This field is required." in html
    assert _statuses() == {1: "active", 2: "draft"}


def test_activating_with_a_reason_retires_the_old_version_and_audits_the_reason(manager, drafted):
    # when
    answer = manager.post(COMPARE, {"reason": "stores first", "confirm": "on"}, follow=True)
    # then
    assert _statuses() == {1: "retired", 2: "active"}
    entry = ProfileAudit.objects.filter(action="activated").first()  # the newest
    assert (entry.version.number, entry.actor) == (2, "user:ops")
    assert entry.data["reason"] == "stores first"
    assert entry.data["retired"] == [1]
    html = answer.content.decode()
    assert "Version 2 of “Web shop” is active" in html
    assert "<strong>version 2</strong>" in html  # the overview says what is in effect now


def test_retiring_the_version_in_effect_hands_back_to_the_built_in_rule(manager, configured):
    # when
    url = reverse("console:sourcing_rules_retire", args=["default", 1])
    manager.post(url, {"retire-reason": "back to basics", "retire-confirm": "on"})
    # then
    assert _statuses() == {1: "retired"}
    entry = ProfileAudit.objects.get(action="retired")
    assert (entry.version.number, entry.data["reason"]) == (1, "back to basics")
    overview = manager.get(reverse("console:sourcing_rules")).content.decode()
    assert "It has no active version yet, so the built-in rule decides." in overview


def test_retiring_without_confirmation_changes_nothing(manager, configured):
    # when
    url = reverse("console:sourcing_rules_retire", args=["default", 1])
    manager.post(url, {"retire-reason": "oops"})
    # then
    assert _statuses() == {1: "active"}
    assert not ProfileAudit.objects.filter(action="retired").exists()


def test_without_the_change_permission_no_buttons_and_posts_are_403(viewer, drafted):
    # given
    html = viewer.get(COMPARE).content.decode()
    overview = viewer.get(reverse("console:sourcing_rules")).content.decode()
    # when
    activate = viewer.post(COMPARE, {"reason": "forged", "confirm": "on"})
    retire = viewer.post(
        reverse("console:sourcing_rules_retire", args=["default", 1]),
        {"retire-reason": "forged", "retire-confirm": "on"},
    )
    # then
    assert (activate.status_code, retire.status_code) == (403, 403)
    assert _statuses() == {1: "active", 2: "draft"}
    assert "Activate version 2" not in html
    assert "Retire version" not in html
    assert "Start a draft" not in overview
    assert "Edit the draft" not in overview


def test_in_effect_now_lists_each_channel_with_the_version_deciding(manager, drafted):
    # when
    html = manager.get(reverse("console:sourcing_rules")).content.decode()
    # then
    channels = html.split('id="channels"')[1].split("</table>")[0]
    assert "<td>Web shop, version 1</td>" in channels
    assert "Draft version 2" in html
