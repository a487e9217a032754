"""The console's single sign-on page (Access → Single sign-on): the mappings, mapping and
removing through the use cases, each step behind its permission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.sso.models import IdpGroupRole

pytestmark = pytest.mark.django_db


def staff_with(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="pw-long-enough-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sso", codename__in=codenames)
    )
    return user


@pytest.fixture
def role(db) -> Group:
    return Group.objects.create(name="Customer service")


def test_an_admin_maps_and_removes_a_group(client, role, settings):
    settings.ORDINO_OIDC_ISSUER = "https://id.example.com"
    settings.ORDINO_OIDC_CLIENT_ID = "ordino"
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw-long-enough-1"))
    page = client.get("/admin/sso/")
    assert page.status_code == 200
    assert b"On: people sign in with <strong>https://id.example.com</strong>" in page.content
    assert b"No group is mapped" in page.content
    # map
    response = client.post(
        "/admin/sso/map/", {"idp_group": " cs-team ", "role": "Customer service"}
    )
    assert response.status_code == 302
    assert list(IdpGroupRole.objects.values_list("idp_group", "role__name")) == [
        ("cs-team", "Customer service")
    ]
    assert b"<td>cs-team</td><td>Customer service</td>" in client.get("/admin/sso/").content
    # an unknown role is refused, saying so, and changes nothing
    refused = client.post("/admin/sso/map/", {"idp_group": "x", "role": "Nobody"}, follow=True)
    assert b"No role &#x27;Nobody&#x27;." in refused.content
    assert IdpGroupRole.objects.count() == 1
    # remove
    client.post("/admin/sso/unmap/", {"idp_group": "cs-team", "role": "Customer service"})
    assert not IdpGroupRole.objects.exists()


def test_a_viewer_sees_the_mappings_but_may_not_change_them(client, role):
    IdpGroupRole.objects.create(idp_group="cs-team", role=role)
    client.force_login(staff_with("viewer", "view_idpgrouprole"))
    page = client.get("/admin/sso/")
    assert page.status_code == 200
    assert b"Off: set" in page.content
    assert b'action="/admin/sso/map/"' not in page.content
    assert b'action="/admin/sso/unmap/"' not in page.content
    assert client.post("/admin/sso/map/", {"idp_group": "y", "role": role.name}).status_code == 403
    assert client.post("/admin/sso/unmap/", {"idp_group": "cs-team"}).status_code == 403
    assert list(IdpGroupRole.objects.values_list("idp_group", flat=True)) == ["cs-team"]


def test_staff_without_the_permission_do_not_see_the_page(client, role):
    client.force_login(staff_with("clerk"))
    assert client.get("/admin/sso/").status_code == 403
    assert client.post("/admin/sso/map/", {"idp_group": "y", "role": role.name}).status_code == 403
    assert not IdpGroupRole.objects.exists()
