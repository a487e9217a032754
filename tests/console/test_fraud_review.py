"""Approving a fraud review in the console releases the holds its score placed, with the
agent's own permission: who may not release them may not approve (docs/risk.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from ordino.accounts.roles import roles_install
from ordino.cases.models import Case
from ordino.holds.models import OrderHold
from tests.cases.conftest import work
from tests.risk.conftest import risky_body, risky_rule, stocked  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stocked")]


def _approve(client, api, role: str) -> tuple[Case, OrderHold, str]:
    """A risky order held by a rule on its score; a person of `role` approves its review."""
    risky_rule(api)
    order = api.post("/orders", risky_body("W-1")).json()
    work()
    (case,) = Case.objects.filter(type__code="fraud_review")
    roles_install(Group, Permission)
    user = User.objects.create_user("agent", password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    url = reverse("console:case_resolve", args=[case.pk])
    response = client.post(url, {"resolution": "approve", "note": "known buyer"}, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    return case, OrderHold.objects.get(order_id=order["id"]), response.content.decode()


def test_an_operations_manager_approves_and_the_scores_hold_is_released(client, api):
    case, hold, _ = _approve(client, api, "operations manager")
    assert (case.status, case.resolution) == ("resolved", "approve")
    assert (hold.released_how, hold.released_by, hold.release_reason) == (
        "manual", "user:agent", "known buyer")  # fmt: skip


def test_customer_service_may_not_release_it_so_may_not_approve(client, api):
    case, hold, page = _approve(client, api, "customer service")
    assert "is released by someone with the &#x27;approve&#x27; permission" in page
    assert (case.status, case.resolution) == ("new", "")
    assert hold.released_at is None
