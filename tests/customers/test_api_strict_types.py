"""Inputs take JSON types as documented: 0 is no boolean (found by fuzzing)."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_address_with_a_coerced_default_flag_is_refused(api):
    customer = api.post("/customers", {"email": "ada@example.com"}).json()
    body = {"line1": "Unter den Linden 1", "city": "Berlin", "country": "DE", "is_default": 1}
    resp = api.post(f"/customers/{customer['id']}/addresses", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["is_default"]
    assert api.get(f"/customers/{customer['id']}").json()["addresses"] == []
