"""Secrets encrypted at rest (docs/connectors.md, "Credentials"; docs/webhooks.md,
"Endpoints"): channel connections' credentials, outbound webhook endpoints' signing secrets and
carrier accounts' API keys (docs/shipping.md, "Carrier adapters").
Fernet (AES-128-CBC and HMAC-SHA256) with the key of ORDINO_CREDENTIALS_KEY; without it, a key
derived from SECRET_KEY by HKDF-SHA256, so changing SECRET_KEY makes stored secrets unreadable:
set ORDINO_CREDENTIALS_KEY in production."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from ordino.core.domain.errors import DomainError


@cache
def _fernet(configured: str, secret_key: str) -> Fernet:
    if configured:
        return Fernet(configured.encode())
    # salt and info as when only the connectors used it: what they stored stays readable
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"ordino-connectors", info=b"credentials"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _key() -> Fernet:
    return _fernet(settings.ORDINO_CREDENTIALS_KEY, settings.SECRET_KEY)


def secret_encrypt(plain: str) -> str:
    """The token stored for `plain` (a new one each time: Fernet's IV is random); "" for ""."""
    return _key().encrypt(plain.encode()).decode() if plain else ""


def secret_decrypt(
    token: str, *, what: str = "The connection's stored secrets", remedy: str = "enter them again"
) -> str:
    """The plain secret of a stored token; "" for "". A token the current key cannot read is a
    409 `credentials_unreadable` naming `what` and the `remedy`, never a traceback."""
    if not token:
        return ""
    try:
        return _key().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DomainError(
            "credentials_unreadable",
            f"{what} cannot be decrypted with the current key "
            f"(ORDINO_CREDENTIALS_KEY or SECRET_KEY changed): {remedy}.",
            status=409,
        ) from None
