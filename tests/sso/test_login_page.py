"""The console's login page with and without single sign-on; password login stays."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_without_sso_the_login_page_has_no_button_and_its_pages_are_404(client, settings):
    settings.ORDINO_OIDC_ISSUER = ""
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert b"Sign in with SSO" not in page.content
    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404


def test_with_sso_the_login_page_offers_it_keeping_where_to_go(client, settings):
    settings.ORDINO_OIDC_ISSUER = "https://id.example.com"
    settings.ORDINO_OIDC_CLIENT_ID = "ordino"
    page = client.get("/admin/login/?next=/admin/orders/order/")
    assert b"Sign in with SSO" in page.content
    assert b'href="/sso/login/?next=%2Fadmin%2Forders%2Forder%2F"' in page.content
    assert b'name="password"' in page.content  # the password form stays


def test_a_refused_sign_in_says_why_on_the_login_page(client, settings):
    settings.ORDINO_OIDC_ISSUER = "https://id.example.com"
    settings.ORDINO_OIDC_CLIENT_ID = "ordino"
    page = client.get("/admin/login/?sso_error=no_role")
    assert b"Your groups at the identity provider give you no role in Ordino." in page.content
    unknown = client.get("/admin/login/?sso_error=%3Cscript%3E")
    assert b"sso-error" not in unknown.content


def test_password_login_still_works_beside_sso(client, settings):
    settings.ORDINO_OIDC_ISSUER = "https://id.example.com"
    settings.ORDINO_OIDC_CLIENT_ID = "ordino"
    User.objects.create_user("clerk", password="Correct-horse-9", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "Correct-horse-9"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_callback_answers_get_only(client, settings):
    settings.ORDINO_OIDC_ISSUER = "https://id.example.com"
    settings.ORDINO_OIDC_CLIENT_ID = "ordino"
    response = client.post("/sso/callback/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
