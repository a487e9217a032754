"""Recognising a person: e-mail and phone normalisation, without a database."""

import pytest

from ordino.core.domain.errors import DomainError
from ordino.customers.domain.contact import email_normalise, name_clean, phone_normalise


def test_email_is_stripped_and_lower_cased():
    # given an e-mail typed with blanks and capitals / when normalised / then one canonical form
    assert email_normalise("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"


def test_no_email_is_empty():
    assert email_normalise(None) == ""
    assert email_normalise("   ") == ""


@pytest.mark.parametrize(
    "bad",
    [
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "a b@example.com",
        "ada@@example.com",
        "ada@exa_mple.com",
    ],
)
def test_malformed_email_is_refused_naming_the_field(bad):
    # given a malformed e-mail / when normalised / then a DomainError names the field
    with pytest.raises(DomainError) as err:
        email_normalise(bad, field="email")
    assert err.value.code == "invalid_email"
    assert err.value.errors[0]["field"] == "email"


def test_national_phone_is_read_in_the_address_country():
    # given a German national number / when normalised with country DE / then E.164
    assert phone_normalise("030 901820", country="DE") == "+4930901820"
    assert phone_normalise("0151 23456789", country="de") == "+4915123456789"


def test_international_phone_ignores_the_country():
    assert phone_normalise("+1 (650) 253-0000", country="DE") == "+16502530000"


def test_no_phone_is_empty():
    assert phone_normalise("", country="DE") == ""
    assert phone_normalise(None) == ""


@pytest.mark.parametrize(
    ("bad", "country"), [("12", "DE"), ("not a number", "DE"), ("030 901820", None)]
)
def test_invalid_phone_is_refused_naming_the_field(bad, country):
    with pytest.raises(DomainError) as err:
        phone_normalise(bad, country=country, field="phone")
    assert err.value.code == "invalid_phone"
    assert err.value.errors == [
        {"field": "phone", "code": "invalid_phone", "message": err.value.message}
    ]


def test_names_lose_extra_blanks():
    assert name_clean("  Ada   King ") == "Ada King"
