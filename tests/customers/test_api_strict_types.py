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


# --- issue 7: countries in any case, stored upper-case; text and tags bounded ------------------


def _database() -> tuple:
    from ordino.customers.models import Customer, CustomerAddress

    return (
        sorted(Customer.objects.values_list("id", "email", "phone", "tags")),
        sorted(CustomerAddress.objects.values_list("id", "country", "line1")),
    )


def test_an_address_country_in_lower_case_is_stored_upper_case(api):
    customer = api.post("/customers", {"email": "ada@example.com"}).json()
    body = {"line1": "Unter den Linden 1", "city": "Berlin", "country": "de"}
    resp = api.post(f"/customers/{customer['id']}/addresses", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["country"] == "DE"


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        ("", {"email": "bob@example.com", "country": "XX"}, "invalid_country", "country"),
        ("", {"email": "bob@example.com", "tags": ["x" * 65]}, "validation_error", "tags.0"),
        ("", {"email": "bob@example.com", "tags": ["t"] * 51}, "validation_error", "tags"),
        ("", {"email": "bob@example.com", "external_id": "B-1"}, "validation_error", "external_id"),
        (
            "/{id}/addresses",
            {"line1": "x", "city": "y", "country": "XX"},
            "invalid_country",
            "country",
        ),
        (
            "/{id}/addresses",
            {"line1": "x", "city": "y", "country": "DEU"},
            "validation_error",
            "country",
        ),
    ],
)
def test_a_bad_country_or_overlong_text_is_refused_and_changes_nothing(
    api, path, body, code, field
):
    customer = api.post("/customers", {"email": "ada@example.com"}).json()
    before = _database()
    resp = api.post("/customers" + path.format(id=customer["id"]), body)
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == code
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert _database() == before


def test_an_unknown_country_filter_is_a_422(api):
    resp = api.get("/customers", country="XX")
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "invalid_country"
    assert [e["field"] for e in resp.json()["errors"]] == ["country"]
