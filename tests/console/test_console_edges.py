"""The console's edges: a login without ?next= lands in the console, the API docs work offline."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-Passw0rd"


def test_a_bookmarked_login_page_lands_in_the_console(client):
    # Given a staff user, and the login page opened without ?next= (a bookmark)
    User.objects.create_user("ops", password=PASSWORD, is_staff=True)
    assert client.get("/admin/login/").status_code == 200
    # When the user logs in
    response = client.post("/admin/login/", {"username": "ops", "password": PASSWORD})
    # Then the console's home page follows, and it opens
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get(response["Location"]).status_code == 200


def test_a_login_with_next_still_goes_there(client):
    User.objects.create_user("ops", password=PASSWORD, is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/orders/order/", {"username": "ops", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/orders/order/")


def test_the_api_docs_load_swagger_from_the_app_not_a_cdn(client):
    # When the API docs page is opened
    page = client.get("/api/v1/docs")
    # Then it loads Swagger UI from Ordino's own static files, from no other host
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn." not in html and "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        url = f"/static/ninja/{asset}"
        assert url in html
        # and the app serves each of them
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content if response.streaming else [response.content])
