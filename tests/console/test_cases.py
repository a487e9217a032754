"""The console's inbox and case page (docs/cases.md, "The inbox"): who may see and work cases,
a store-limited user's reach, and a refusal that changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from ordino.accounts.models import StaffAccess
from ordino.cases.models import Case, CaseActivity
from ordino.cases.services import inquiry_open
from tests.cases.conftest import work
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


def signed_in(name: str, *codenames: str) -> tuple[User, Client]:
    user = User.objects.create_user(name, password="x-Very-long-pass-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def case(api, shop) -> Case:
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    order = api.post("/orders", order_body("W-9")).json()
    return inquiry_open(title="Gift wrap?", description="", actor="test", order_id=order["id"],
                        customer_id=None)  # fmt: skip


def test_the_inbox_lists_overdue_first_and_the_page_opens(case):
    _, client = signed_in("ana", "view_case", "work_cases")
    other = inquiry_open(title="Later one", description="", actor="test", order_id=None,
                         customer_id=None)  # fmt: skip
    Case.objects.filter(pk=other.pk).update(due_at=case.due_at.replace(year=2000))
    text = client.get("/admin/cases/inbox/?view=all").content.decode()
    assert text.index("Later one") < text.index("Gift wrap?")
    assert "overdue" in text
    page = client.get(f"/admin/cases/{case.pk}/")
    assert page.status_code == 200
    assert b'value="contact_customer"' in page.content


def test_without_the_change_permission_nothing_changes(case):
    _, client = signed_in("viewer", "view_case")
    assert client.post(f"/admin/cases/{case.pk}/take/").status_code == 403
    assert b"Take" not in client.get(f"/admin/cases/{case.pk}/").content
    _, nobody = signed_in("nobody")
    assert nobody.get("/admin/cases/inbox/").status_code == 403
    case.refresh_from_db()
    assert (case.status, case.owner_user) == ("new", None)


def test_a_store_limited_user_does_not_reach_another_locations_case(case, shop):
    user, client = signed_in("store", "view_case", "work_cases")
    StaffAccess.objects.create(user=user).locations.add(shop["store"])
    assert client.get(f"/admin/cases/{case.pk}/").status_code == 404
    assert client.post(f"/admin/cases/{case.pk}/take/").status_code == 404
    assert "Gift wrap?" not in client.get("/admin/cases/inbox/?view=all").content.decode()
    case.refresh_from_db()
    assert case.owner_user is None


def test_a_refused_resolution_shows_why_and_changes_nothing(case):
    _, client = signed_in("ana", "view_case", "work_cases")
    before = CaseActivity.objects.count()
    response = client.post(f"/admin/cases/{case.pk}/resolve/",
                           {"resolution": "contact_customer", "note": ""}, follow=True)  # fmt: skip
    assert "Write what to tell the customer." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, CaseActivity.objects.count()) == ("new", before)


def test_an_agent_opens_an_inquiry_about_an_order_by_its_number(case):
    _, client = signed_in("ana", "view_case", "work_cases")
    response = client.post("/admin/cases/new/", {"title": "Can I change the size?",
                                                 "order": "W-9"}, follow=True)  # fmt: skip
    opened = Case.objects.get(title="Can I change the size?")
    assert (opened.type.code, opened.order_id) == ("inquiry", case.order_id)
    assert f"Case {opened.pk} opened." in response.content.decode()
    assert opened.activities.get().actor == "user:ana"
    # an order nobody has: refused, nothing opened
    response = client.post("/admin/cases/new/", {"title": "Hm", "order": "W-404"}, follow=True)
    assert "No order &#x27;W-404&#x27;." in response.content.decode()
    assert not Case.objects.filter(title="Hm").exists()


@pytest.fixture
def hold_case(api, shop) -> Case:
    """An approval asking `refund` held an order; its case is in the inbox."""
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    rule = {"code": "ok", "name": "OK", "reason": "big order", "kind": "approval",
            "release_permission": "refund",
            "condition": {"fact": "order.value", "op": "gt", "value": "40"}}  # fmt: skip
    api.post("/holds/rules", rule)
    api.post("/holds/rules/ok/versions/1/activate", {})
    api.post("/orders", order_body("W-H"))
    work()
    return Case.objects.get(type__code="approval_required")


def test_release_the_hold_is_offered_and_runs_with_the_hold_s_permission(hold_case):
    # given an agent who may work cases and refund (the permission the approval asks)
    _, client = signed_in("fin", "view_case", "work_cases", "refund")
    page = client.get(f"/admin/cases/{hold_case.pk}/").content.decode()
    assert 'value="release_hold"' in page
    # when they release the hold in one click
    response = client.post(f"/admin/cases/{hold_case.pk}/resolve/",
                           {"resolution": "release_hold", "note": "known buyer"})  # fmt: skip
    # then the hold is released by them and the case resolved
    assert response.status_code == 302
    hold_case.refresh_from_db()
    assert (hold_case.status, hold_case.resolution) == ("resolved", "release_hold")
    assert hold_case.order.holds.get().released_by == "user:fin"


def test_without_the_hold_s_permission_the_button_is_hidden_and_a_forged_click_refused(
    hold_case,
):
    _, client = signed_in("ana", "view_case", "work_cases")
    page = client.get(f"/admin/cases/{hold_case.pk}/").content.decode()
    assert 'value="release_hold"' not in page
    response = client.post(f"/admin/cases/{hold_case.pk}/resolve/",
                           {"resolution": "release_hold"}, follow=True)  # fmt: skip
    assert "released by someone with the &#x27;refund&#x27; permission" in (
        response.content.decode()
    )
    hold_case.refresh_from_db()
    assert hold_case.status == "new"
    assert hold_case.order.holds.get().released_at is None
