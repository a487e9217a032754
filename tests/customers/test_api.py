"""Customers over HTTP."""

import pytest

from ordino.customers.models import Customer, CustomerAddress
from ordino.customers.services import customer_resolve
from tests.factories import auth, make_channel, make_token

pytestmark = pytest.mark.django_db


def assert_problem(resp, status, code, field=None):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == code
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def create(api, **body):
    resp = api.post("/customers", body)
    assert resp.status_code == 201, resp.content
    return resp.json()


def test_create_customer_normalises_contact(api):
    # when a customer is created with a national phone and a shouting e-mail
    resp = api.post(
        "/customers",
        {
            "email": " ADA@Example.com",
            "phone": "030 901820",
            "country": "DE",
            "first_name": " Ada ",
            "last_name": "Lovelace",
        },
    )
    # then it is stored in canonical form
    assert resp.status_code == 201
    body = resp.json()
    assert body == {
        "id": body["id"],
        "email": "ada@example.com",
        "phone": "+4930901820",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "tags": [],
        "addresses": [],
        "identities": [],
        "created_at": body["created_at"],
    }


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"email": "ada@"}, "invalid_email", "email"),
        ({"phone": "12", "country": "DE"}, "invalid_phone", "phone"),
        ({"phone": "030 901820"}, "invalid_phone", "phone"),
        ({"first_name": "Ada"}, "contact_required", "email"),
        ({"email": "ada@example.com", "vip": True}, "validation_error", "vip"),
        ({"email": "ada@example.com", "id": 5}, "validation_error", "id"),
    ],
)
def test_bad_customer_is_refused(api, body, code, field):
    assert_problem(api.post("/customers", body), 422, code, field)
    assert Customer.objects.count() == 0


def test_duplicate_email_is_a_conflict(api):
    create(api, email="ada@example.com")
    assert_problem(
        api.post("/customers", {"email": "Ada@Example.com"}), 409, "customer_exists", "email"
    )
    assert Customer.objects.count() == 1


def test_missing_token_is_unauthorized(client):
    resp = client.post(
        "/api/v1/customers", {"email": "ada@example.com"}, content_type="application/json"
    )
    assert_problem(resp, 401, "unauthenticated")
    assert Customer.objects.count() == 0


def test_get_and_patch_customer(api):
    ada = create(api, email="ada@example.com")
    resp = api.patch(f"/customers/{ada['id']}", {"phone": "+44 20 7946 0958", "last_name": "King"})
    assert resp.status_code == 200, resp.content
    assert (resp.json()["phone"], resp.json()["last_name"]) == ("+442079460958", "King")
    assert api.get(f"/customers/{ada['id']}").json()["last_name"] == "King"


def test_patch_phone_is_read_in_the_default_address_country(api):
    ada = create(api, email="ada@example.com")
    api.post(
        f"/customers/{ada['id']}/addresses",
        {"line1": "10 Downing St", "city": "London", "country": "GB"},
    )
    resp = api.patch(f"/customers/{ada['id']}", {"phone": "020 7946 0958"})
    assert resp.json()["phone"] == "+442079460958"


def test_patch_to_another_customers_email_is_a_conflict(api):
    create(api, email="ada@example.com")
    bob = create(api, email="bob@example.com")
    assert_problem(
        api.patch(f"/customers/{bob['id']}", {"email": "ada@example.com"}),
        409,
        "customer_exists",
        "email",
    )
    assert Customer.objects.get(pk=bob["id"]).email == "bob@example.com"


def test_patch_invalid_phone_changes_nothing(api):
    ada = create(api, email="ada@example.com", phone="+4930901820")
    assert_problem(
        api.patch(f"/customers/{ada['id']}", {"phone": "0000"}), 422, "invalid_phone", "phone"
    )
    assert Customer.objects.get().phone == "+4930901820"


def test_unknown_customer_is_404(api):
    assert_problem(api.get("/customers/999"), 404, "customer_not_found")
    assert_problem(
        api.post("/customers/999/addresses", {"line1": "x", "city": "y", "country": "DE"}),
        404,
        "customer_not_found",
    )


def test_add_addresses_first_becomes_default(api):
    ada = create(api, email="ada@example.com")
    # when a first address is added
    first = api.post(
        f"/customers/{ada['id']}/addresses",
        {
            "line1": "Unter den Linden 1",
            "city": "Berlin",
            "country": "de",
            "postal_code": "10117",
            "phone": "030 901820",
        },
    )
    # then it is the default one, with its phone read in its country
    assert first.status_code == 201, first.content
    assert (first.json()["is_default"], first.json()["country"], first.json()["phone"]) == (
        True,
        "DE",
        "+4930901820",
    )
    # when a second one is added as default / then it takes over
    second = api.post(
        f"/customers/{ada['id']}/addresses",
        {"line1": "Rue de Rivoli 1", "city": "Paris", "country": "FR", "is_default": True},
    )
    assert second.json()["is_default"] is True
    assert [a["is_default"] for a in api.get(f"/customers/{ada['id']}").json()["addresses"]] == [
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"line1": "x", "city": "y", "country": "XX"}, "invalid_country", "country"),
        ({"line1": "x", "city": "y", "country": "DE", "phone": "1"}, "invalid_phone", "phone"),
        ({"line1": "x", "city": "y"}, "validation_error", "country"),
        ({"line1": " ", "city": "y", "country": "DE"}, "required", "line1"),
        ({"line1": "x", "city": "y", "country": "DE", "id": 1}, "validation_error", "id"),
    ],
)
def test_bad_address_is_refused(api, body, code, field):
    ada = create(api, email="ada@example.com")
    assert_problem(api.post(f"/customers/{ada['id']}/addresses", body), 422, code, field)
    assert CustomerAddress.objects.count() == 0


def test_list_filters_normalise_email_and_phone(api):
    create(api, email="ada@example.com", phone="+4930901820", first_name="Ada")
    create(api, email="bob@example.com", last_name="Builder")

    def emails(**params):
        resp = api.get("/customers", **params)
        assert resp.status_code == 200, resp.content
        return [c["email"] for c in resp.json()["items"]]

    assert emails() == ["ada@example.com", "bob@example.com"]
    assert emails(email=" ADA@example.com") == ["ada@example.com"]
    assert emails(phone="+49 30 901820") == ["ada@example.com"]
    assert emails(phone="030 901820", country="DE") == ["ada@example.com"]
    assert emails(q="build") == ["bob@example.com"]
    assert_problem(api.get("/customers", phone="12", country="DE"), 422, "invalid_phone", "phone")


def test_channel_restricted_token_sees_its_channels_customers_only(client):
    # given ada bought on web, bob on market
    web, market = make_channel("web"), make_channel("market")
    ada = customer_resolve(
        channel=web,
        email="ada@example.com",
        phone=None,
        first_name=None,
        last_name=None,
        external_id="w-1",
        country=None,
    )
    bob = customer_resolve(
        channel=market,
        email="bob@example.com",
        phone=None,
        first_name=None,
        last_name=None,
        external_id="m-1",
        country=None,
    )
    headers = auth(make_token("customers:read", channel_codes=["web"]))
    # when the web-only token lists and reads customers
    listed = client.get("/api/v1/customers", **headers).json()["items"]
    # then it sees ada only, and bob answers 404
    assert [c["email"] for c in listed] == ["ada@example.com"]
    assert listed[0]["identities"] == [{"channel": "web", "external_id": "w-1"}]
    assert client.get(f"/api/v1/customers/{ada.pk}", **headers).status_code == 200
    assert_problem(client.get(f"/api/v1/customers/{bob.pk}", **headers), 404, "customer_not_found")


def test_a_postal_code_that_upper_casing_lengthens_is_refused_and_nothing_is_added(api):
    ada = create(api, email="ada@example.com")
    address = {"line1": "Hauptstr. 1", "city": "Berlin", "country": "DE", "postal_code": "ß" * 17}
    assert_problem(
        api.post(f"/customers/{ada['id']}/addresses", address), 422, "too_long", "postal_code"
    )
    assert CustomerAddress.objects.count() == 0
