"""Users and groups are on unfold's styled pages; a user's console access is on their page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ordino.accounts.models import StaffAccess

pytestmark = pytest.mark.django_db


def test_the_user_pages_use_unfolds_styled_inputs(admin_client):
    for url in (reverse("admin:auth_user_add"), reverse("admin:auth_group_add")):
        html = admin_client.get(url).content.decode()
        name_input = html[html.index('name="username"' if "user" in url else 'name="name"') - 400 :]
        assert "border" in name_input[:800]  # unfold's widget classes: a visible box


def test_an_admin_limits_a_new_user_to_a_store_on_the_user_page(admin_client, shop):
    # When an admin changes a user's page with the console access inline
    user = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": "clerk",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "staff_access-TOTAL_FORMS": "1",
            "staff_access-INITIAL_FORMS": "0",
            "staff_access-MIN_NUM_FORMS": "0",
            "staff_access-MAX_NUM_FORMS": "1",
            "staff_access-0-locations": [shop["store"].pk],
            "staff_access-0-user": user.pk,
        }
    )
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = admin_client.post(url, data)
    # Then the user is limited to that store
    assert response.status_code == 302, response.context["adminform"].form.errors
    access = StaffAccess.objects.get(user=user)
    assert [loc.code for loc in access.locations.all()] == ["STORE-1"]
