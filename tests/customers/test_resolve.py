"""customer_resolve: one person across channels, found in as few statements as possible."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.domain.errors import DomainError
from ordino.customers.models import Customer, CustomerChannelIdentity
from ordino.customers.services import customer_resolve
from tests.factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    return make_channel("web")


@pytest.fixture
def market():
    return make_channel("market", kind="marketplace")


def resolve(channel, **kwargs):
    args = {
        "email": None,
        "phone": None,
        "first_name": None,
        "last_name": None,
        "external_id": None,
        "country": None,
    }
    args.update(kwargs)
    return customer_resolve(channel=channel, **args)


def test_a_new_buyer_becomes_a_customer_with_their_channel_identity(web):
    # when an unknown buyer orders on the web shop
    customer = resolve(
        web,
        email=" Ada@Example.com",
        phone="030 901820",
        country="DE",
        first_name="Ada",
        last_name="Lovelace",
        external_id="w-1",
    )
    # then a customer is created with normalised contact data and the channel identity
    assert (customer.email, customer.phone, customer.first_name) == (
        "ada@example.com",
        "+4930901820",
        "Ada",
    )
    assert list(customer.identities.values_list("channel__code", "external_id")) == [("web", "w-1")]


def test_same_email_on_another_channel_is_the_same_customer(web, market):
    # given a customer known from the web shop
    first = resolve(web, email="ada@example.com", external_id="w-1")
    # when the same e-mail buys on the marketplace with its own buyer id
    again = resolve(market, email="ADA@example.com ", external_id="m-9")
    # then it is the same customer, now with both identities
    assert again.pk == first.pk
    assert Customer.objects.count() == 1
    assert sorted(again.identities.values_list("channel__code", "external_id")) == [
        ("market", "m-9"),
        ("web", "w-1"),
    ]


def test_phone_recognises_a_customer_when_email_is_absent(web, market):
    first = resolve(web, email="ada@example.com", phone="+4930901820")
    again = resolve(market, phone="030 901820", country="DE")
    assert again.pk == first.pk
    assert Customer.objects.count() == 1


def test_channel_identity_wins_over_email(web):
    # given two customers, one known by web id w-1, another with e-mail bob@example.com
    ada = resolve(web, email="ada@example.com", external_id="w-1")
    resolve(web, email="bob@example.com")
    # when web buyer w-1 orders with bob's e-mail
    again = resolve(web, email="bob@example.com", external_id="w-1")
    # then it is ada (the channel's own id is the strongest key), whose e-mail is kept
    assert again.pk == ada.pk
    assert Customer.objects.get(pk=ada.pk).email == "ada@example.com"


def test_email_wins_over_phone(web):
    by_phone = resolve(web, phone="+4930901820")
    by_email = resolve(web, email="ada@example.com")
    again = resolve(web, email="ada@example.com", phone="+4930901820")
    assert again.pk == by_email.pk != by_phone.pk


def test_missing_contact_data_is_learned(web):
    # given a customer known by phone only
    first = resolve(web, phone="+4930901820")
    # when they order again with an e-mail and a name
    resolve(web, phone="+4930901820", email="ada@example.com", first_name="Ada")
    # then the customer gains them
    first.refresh_from_db()
    assert (first.email, first.first_name, first.phone) == ("ada@example.com", "Ada", "+4930901820")


def test_no_contact_and_no_identity_resolves_to_none(web):
    assert resolve(web, first_name="Ada") is None
    assert Customer.objects.count() == 0


def test_invalid_phone_is_refused_and_nothing_is_created(web):
    with pytest.raises(DomainError) as err:
        resolve(web, email="ada@example.com", phone="12", country="DE")
    assert err.value.errors[0]["field"] == "phone"
    assert Customer.objects.count() == 0


def test_invalid_email_is_refused(web):
    with pytest.raises(DomainError) as err:
        resolve(web, email="ada@")
    assert err.value.errors[0]["field"] == "email"
    assert Customer.objects.count() == 0


def test_a_known_customer_costs_one_query(web):
    # given a customer known by identity, e-mail and phone
    resolve(
        web,
        email="ada@example.com",
        phone="+4930901820",
        first_name="Ada",
        last_name="Lovelace",
        external_id="w-1",
    )
    # when they order again with the same data
    with CaptureQueriesContext(connection) as queries:
        customer = resolve(
            web,
            email="ada@example.com",
            phone="+4930901820",
            first_name="Ada",
            last_name="Lovelace",
            external_id="w-1",
        )
    # then one SELECT found them (savepoints aside)
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1, statements
    assert customer.email == "ada@example.com"


def test_a_known_email_on_a_new_channel_costs_a_select_and_an_insert(web, market):
    resolve(web, email="ada@example.com", first_name="Ada", external_id="w-1")
    with CaptureQueriesContext(connection) as queries:
        resolve(market, email="ada@example.com", first_name="Ada", external_id="m-1")
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 2, statements
    assert CustomerChannelIdentity.objects.count() == 2
