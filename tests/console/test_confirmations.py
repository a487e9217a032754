"""Destructive bulk actions ask first: a page listing the selection and a required reason; the
use case runs only on the confirmed post, with that reason; refusals keep their message."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ordino.accounts.models import ApiToken
from ordino.orders.models import Order, OrderTimelineEntry
from tests.console.lists_fixtures import signed_in, staff_user
from tests.factories import make_token

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:orders_order_changelist"


def operator():
    return signed_in(
        staff_user(
            "operator",
            "orders.view_order",
            "accounts.cancel_orders",
            "accounts.edit_orders",
            "accounts.refund",
        )
    )


def test_cancel_first_shows_the_selection_and_asks_a_reason_changing_nothing(orders):
    # Given two selected orders
    picked = [orders["W-1"].pk, orders["W-2"].pk]
    # When the operator chooses "cancel"
    page = operator().post(
        reverse(CHANGELIST), {"action": "cancel_orders", "_selected_action": picked}
    )
    # Then a confirmation page names them and asks a reason, and nothing is cancelled yet
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="confirm-action"' in html
    assert str(orders["W-1"]) in html and str(orders["W-2"]) in html
    assert 'name="reason"' in html
    assert Order.objects.filter(status="cancelled").count() == 0


def test_a_confirmation_without_a_reason_is_asked_again(orders):
    page = operator().post(
        reverse(CHANGELIST),
        {"action": "cancel_orders", "_selected_action": [orders["W-1"].pk], "confirmed": "yes"},
    )
    assert "This field is required." in page.content.decode()
    assert Order.objects.get(pk=orders["W-1"].pk).status == "allocated"


def test_the_confirmed_cancel_runs_the_use_case_with_the_reason(orders):
    client = operator()
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "cancel_orders",
            "_selected_action": [orders["W-1"].pk],
            "confirmed": "yes",
            "reason": "customer called",
        },
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=orders["W-1"].pk).status == "cancelled"
    entry = OrderTimelineEntry.objects.get(order_id=orders["W-1"].pk, kind="cancelled")
    assert entry.actor == "user:operator"
    assert "customer called" in entry.message or entry.data.get("reason") == "customer called"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Cancel orders: 1."]


def test_an_order_that_cannot_be_cancelled_is_refused_with_its_message(orders):
    client = operator()
    form = {
        "action": "cancel_orders",
        "_selected_action": [orders["W-1"].pk],
        "confirmed": "yes",
        "reason": "twice",
    }
    client.post(reverse(CHANGELIST), form, follow=True)  # cancelled, its message read
    before = OrderTimelineEntry.objects.filter(order_id=orders["W-1"].pk).count()
    response = client.post(reverse(CHANGELIST), form)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and shown[0].startswith(f"Refused 1: #{orders['W-1'].pk}: ")
    assert OrderTimelineEntry.objects.filter(order_id=orders["W-1"].pk).count() == before


def test_a_limited_user_cannot_cancel_an_order_outside_their_reach(orders):
    app = orders["A-1"].channel
    limited = signed_in(
        staff_user(
            "app-op",
            "orders.view_order",
            "accounts.cancel_orders",
            "accounts.edit_orders",
            "accounts.refund",
            channels=[app],
        )
    )
    limited.post(
        reverse(CHANGELIST),
        {
            "action": "cancel_orders",
            "_selected_action": [orders["W-1"].pk],
            "confirmed": "yes",
            "reason": "not mine",
        },
    )
    assert Order.objects.get(pk=orders["W-1"].pk).status == "allocated"


def test_token_revoke_asks_a_reason_then_revokes(db):
    make_token("*", name="shop")
    token = ApiToken.objects.get(name="shop")
    client = signed_in(
        staff_user("admin", "accounts.view_apitoken", "accounts.manage_integrations")
    )
    url = reverse("admin:accounts_apitoken_changelist")
    first = client.post(url, {"action": "revoke_selected", "_selected_action": [token.pk]})
    assert 'data-testid="confirm-action"' in first.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(
        url,
        {
            "action": "revoke_selected",
            "_selected_action": [token.pk],
            "confirmed": "yes",
            "reason": "leaked in a log",
        },
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
