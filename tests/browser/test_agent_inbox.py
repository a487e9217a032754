"""An agent works the inbox in a real browser (docs/cases.md, "The inbox"): a declined payment's
case waits unassigned, overdue ones first; the agent opens it, takes it, and resolves it with
one click; the database shows the case resolved by them, and the order's timeline says so."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from ordino.cases.models import Case
from ordino.events.relay import outbox_dispatch
from ordino.orders.models import OrderTimelineEntry
from ordino.wiring import SUBSCRIBERS
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def declined(api, shop) -> Case:
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    card = {"method": "card", "provider": "test", "token": "tok_decline"}
    api.post("/orders", order_body("W-2001", payments=[card]))
    while outbox_dispatch(subscribers=SUBSCRIBERS)[0]:
        pass
    return Case.objects.get(type__code="payment_declined")


@pytest.fixture
def agent(db) -> User:
    user = User.objects.create_user("sam", password="x-Very-long-pass-1", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_case", "work_cases", "view_order"])
    )
    return user


def test_an_agent_takes_a_case_and_resolves_it_with_one_click(console_as, agent, declined):
    # Given the agent opens the inbox's unassigned cases
    page = console_as(agent, "desktop")
    page.goto("/admin/cases/inbox/?view=unassigned")
    inbox = page.inner_text("[aria-label=Inbox]")
    assert "Order W-2001: payment of" in inbox and "Payment declined" in inbox
    # When they open the case and take it
    page.get_by_role("link", name=f"#{declined.pk} Order W-2001").click()
    page.wait_for_url(f"**/admin/cases/{declined.pk}/")
    page.get_by_role("button", name="Take").click()
    page.wait_for_url(f"**/admin/cases/{declined.pk}/")
    assert "The case is yours." in page.content()
    assert page.inner_text("[aria-label=Owner]") == "sam"
    # And resolve it with one click, with a note
    page.fill("textarea[name=note]", "Customer paid by bank transfer.")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_url(f"**/admin/cases/{declined.pk}/")
    # Then the page and the database show it resolved, by them
    assert page.inner_text("[aria-label=Status]") == "resolved"
    declined.refresh_from_db()
    assert (declined.status, declined.resolution, declined.owner_user) == (
        "resolved", "resolve", agent,
    )  # fmt: skip
    last = declined.activities.last()
    assert (last.kind, last.actor, last.message) == (
        "resolved", "user:sam", "Resolved (resolve): Customer paid by bank transfer.",
    )  # fmt: skip
    entry = OrderTimelineEntry.objects.filter(kind="case_resolved").get()
    assert entry.actor == "user:sam"
    # and the agent's own inbox is empty again
    page.goto("/admin/cases/inbox/?view=mine")
    assert "Nothing here." in page.inner_text("[aria-label=Inbox]")
