"""Secrets encrypted at rest (core/encryption.py; docs/connectors.md, "Credentials"): Fernet with
ORDINO_CREDENTIALS_KEY, or a key derived from SECRET_KEY; an unreadable token is a clear 409."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from ordino.core.domain.errors import DomainError
from ordino.core.encryption import secret_decrypt, secret_encrypt


def test_a_secret_round_trips_and_is_never_stored_in_plain(settings):
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    # when a secret is encrypted twice
    first, second = secret_encrypt("whsec_plain"), secret_encrypt("whsec_plain")
    # then each token decrypts to it, neither holds it, and they differ (a random IV each)
    assert secret_decrypt(first) == secret_decrypt(second) == "whsec_plain"
    assert "whsec_plain" not in first and first != second
    assert first.startswith("gAAAAA")  # a Fernet token
    # and nothing stays nothing
    assert (secret_encrypt(""), secret_decrypt("")) == ("", "")


def test_without_a_configured_key_the_key_comes_from_the_secret_key(settings):
    # given no ORDINO_CREDENTIALS_KEY: a token made under one SECRET_KEY
    settings.ORDINO_CREDENTIALS_KEY = ""
    settings.SECRET_KEY = "one-secret-key-" + "x" * 40
    token = secret_encrypt("shpat_x")
    assert secret_decrypt(token) == "shpat_x"
    # when SECRET_KEY changes, then the token cannot be read: a 409 that says why and what to do
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    with pytest.raises(DomainError) as refused:
        secret_decrypt(token)
    assert (refused.value.code, refused.value.status) == ("credentials_unreadable", 409)
    assert str(refused.value) == (
        "The connection's stored secrets cannot be decrypted with the current key "
        "(ORDINO_CREDENTIALS_KEY or SECRET_KEY changed): enter them again."
    )


def test_a_token_of_another_key_names_what_and_the_remedy(settings):
    # given a token made under one configured key
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    token = secret_encrypt("whsec_plain")
    # when the key is replaced, then reading it says what is unreadable and how to mend it
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    with pytest.raises(DomainError, match=r"^The secret cannot be .*\): rotate it\.$") as refused:
        secret_decrypt(token, what="The secret", remedy="rotate it")
    assert (refused.value.code, refused.value.status) == ("credentials_unreadable", 409)
