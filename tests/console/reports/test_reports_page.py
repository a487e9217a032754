"""The console's Reports page: touches per order in the user's scope, with its chart, and the
teams for those who manage users."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.cases.models import Team
from ordino.core.domain.clock import utcnow
from ordino.orders.models import Order
from tests.reports.test_touches import touched  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
PAGE = reverse("console:reports")


@pytest.fixture
def recent(touched):  # noqa: F811
    """The fixture's March orders moved to this week, so the page's last 30 days hold them."""
    for o in Order.objects.exclude(external_id="W0"):
        Order.objects.filter(pk=o.pk).update(created_at=utcnow().replace(microsecond=0))
    return touched


def _staff(name: str, *codenames: str) -> User:
    user = User.objects.create_user(name, password="pw-long-enough", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_a_manager_sees_the_touches_the_chart_and_the_teams(client, recent):
    Team.objects.create(name="Returns desk", lead=User.objects.get(username="ada"))
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    page = client.get(PAGE).content.decode()
    assert "<strong>4</strong> orders, <strong>2</strong> touched by a person" in page
    assert "zero-touch rate <strong>50 %</strong>" in page
    assert "per order mean 1.50, median 0, p90 4, max 4" in page
    assert 'data-chart="touches-by-kind"' in page and "order hold released" in page
    assert 'data-channel="web"' in page and 'data-channel="app"' in page
    assert 'data-team="Returns desk"' in page and "Lead: ada" in page
    # one channel picked
    page = client.get(PAGE, {"channel": "app", "days": "7"}).content.decode()
    assert "<strong>1</strong> orders, <strong>0</strong> touched" in page
    assert 'data-chart="touches-by-kind"' not in page


def test_a_store_clerk_sees_their_store_s_orders_and_no_teams(client, recent):
    clerk = _staff("clerk", "view_order")
    StaffAccess.objects.create(user=clerk).locations.add(recent["store"])
    client.force_login(clerk)
    r = client.get(PAGE, {"channel": "nope"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "<strong>1</strong> orders, <strong>1</strong> touched" in page
    assert 'id="teams"' not in page


def test_the_page_needs_the_orders_view_permission(client, recent):
    client.force_login(_staff("nobody"))
    assert client.get(PAGE).status_code == 403
