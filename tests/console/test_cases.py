"""The console's inbox and case page (docs/cases.md, "The inbox"): who may see and work cases,
a store-limited user's reach, and a refusal that changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from ordino.accounts.models import StaffAccess
from ordino.cases.models import Case, CaseActivity
from ordino.cases.services import inquiry_open
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
