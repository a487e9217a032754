"""Saved views: a list's filters and search kept under a name, private or shared with a team;
seen only by who may view the list; bounded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ordino.console.models import SavedView
from tests.console.lists_fixtures import signed_in, staff_user

pytestmark = pytest.mark.django_db
ORDERS = "admin:orders_order_changelist"


def save(client, name: str, query: str, shared_with="", model="orders.order"):
    return client.post(
        reverse("console:saved_view_create"),
        {"model": model, "name": name, "query": query, "shared_with": shared_with},
    )


def test_a_manager_saves_the_lists_filters_and_opens_them_again(db):
    # Given a manager on the order list filtered to cancelled orders, page 2
    manager = signed_in(staff_user("manager", "orders.view_order"))
    # When they save the view
    response = save(manager, "Cancelled", "status=cancelled&p=2")
    # Then it keeps the filter (not the page) and opens the list with it
    view = SavedView.objects.get()
    assert (view.name, view.model, view.query, view.shared_with) == (
        "Cancelled",
        "orders.order",
        "status=cancelled",
        None,
    )
    assert response["Location"] == reverse(ORDERS) + "?status=cancelled"
    # and the list shows it in its saved views
    page = manager.get(reverse(ORDERS)).content.decode()
    assert 'data-testid="saved-views"' in page
    assert f'href="{reverse(ORDERS)}?status=cancelled"' in page


def test_a_view_shared_with_a_team_is_seen_by_its_members_only(db):
    team = Group.objects.create(name="Service")
    owner = staff_user("owner", "orders.view_order")
    owner.groups.add(team)
    mate = staff_user("mate", "orders.view_order")
    mate.groups.add(team)
    stranger = staff_user("stranger", "orders.view_order")
    save(signed_in(owner), "Late ones", "status=backordered", shared_with=team.pk)
    save(signed_in(owner), "Mine", "status=created")
    listed = {
        name: signed_in(user).get(reverse(ORDERS)).content.decode()
        for name, user in (("mate", mate), ("stranger", stranger))
    }
    assert "Late ones" in listed["mate"] and "Mine" not in listed["mate"]
    assert "Late ones" not in listed["stranger"]


def test_a_view_is_not_shared_with_a_team_one_is_not_in(db):
    team = Group.objects.create(name="Finance")
    outsider = signed_in(staff_user("outsider", "orders.view_order"))
    save(outsider, "Theirs", "status=created", shared_with=team.pk)
    assert SavedView.objects.count() == 0


def test_no_view_of_a_list_one_may_not_view(db):
    viewer = signed_in(staff_user("viewer", "customers.view_customer"))
    response = save(viewer, "Orders", "status=created")
    assert response.status_code == 404
    assert SavedView.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "query"), [("x" * 81, "a=1"), ("", "a=1"), ("ok", "q=" + "x" * 2000)]
)
def test_names_and_queries_are_bounded(db, name, query):
    manager = signed_in(staff_user("manager", "orders.view_order"))
    save(manager, name, query)
    assert SavedView.objects.count() == 0


def test_only_the_owner_deletes_a_view(db):
    owner = staff_user("owner", "orders.view_order")
    save(signed_in(owner), "Mine", "status=created")
    view = SavedView.objects.get()
    other = signed_in(staff_user("other", "orders.view_order"))
    url = reverse("console:saved_view_delete", args=[view.pk])
    assert other.post(url).status_code == 404
    assert signed_in(owner).post(url).status_code == 302
    assert SavedView.objects.count() == 0
