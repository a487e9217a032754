"""What the integration log never keeps: secrets in headers and bodies (docs/integrations.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
BODY_LIMIT = 20_000  # characters kept of a body; the rest is cut, saying so

_SECRET_NAME = re.compile(
    r"(authorization|cookie|secret|token|password|passwd|api[-_]?key|signature|credential"
    r"|x-shopify-hmac-sha256|x-wc-webhook-signature|webhook-signature|card|cvc|iban)",
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def headers_redact(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Header names kept; the values of those that authenticate replaced."""
    return {
        str(name)[:100]: (REDACTED if is_secret_name(str(name)) else str(value)[:500])
        for name, value in (headers or {}).items()
    }


def value_redact(value: Any) -> Any:
    """A decoded JSON value with every secret-named key's value replaced, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: (REDACTED if is_secret_name(str(key)) else value_redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [value_redact(item) for item in value]
    return value


def body_bound(text: str, limit: int = BODY_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters not kept]"
