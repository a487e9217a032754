"""What the integration log never keeps: secrets in headers and bodies (docs/integrations.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "[redacted]"
BODY_LIMIT = 20_000  # characters kept of a body; the rest is cut, saying so
HEADERS_KEPT = 100  # a request's first 100 headers; no real one has more
# A body larger than this is not parsed to redact it: it is not kept at all (a stock feed's file,
# say), since what it holds cannot be checked for secrets cheaply.
PARSE_LIMIT = 2 * 1024 * 1024
_FORM = re.compile(r"^[\w.\-\[\]%+]+=[^&\s]*(&[\w.\-\[\]%+]+=[^&\s]*)*$")

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
        for name, value in islice((headers or {}).items(), HEADERS_KEPT)
    }


def url_redact(url: str) -> str:
    """A URL with the values of its secret-named query parameters replaced: a webhook
    authenticated by a token in its URL (Shippo's `?token=`) must not leave it in the log."""
    path, sep, query = url.partition("?")
    if not sep:
        return url
    parts = []
    for part in query.split("&"):
        name, eq, _ = part.partition("=")
        parts.append(f"{name}={REDACTED}" if eq and is_secret_name(name) else part)
    return f"{path}?{'&'.join(parts)}"


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
    text = nul_escaped(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters not kept]"


def nul_escaped(text: str) -> str:
    """A NUL character written as `\\u0000`: PostgreSQL's text cannot hold it (found by
    fuzzing a webhook whose body was one NUL), and the log must keep every call."""
    return text.replace("\x00", "\\u0000") if "\x00" in text else text


def body_redact(body: Any) -> str:
    """A body as the log keeps it: JSON (a decoded value, or text or bytes that parse) and
    form-encoded text with every secret-named field redacted at any depth; other text as it is;
    bounded to BODY_LIMIT characters."""
    if body is None:
        return ""
    if isinstance(body, bytes | bytearray):
        if len(body) > PARSE_LIMIT:
            return f"[{len(body)} bytes not kept: too large to check for secrets]"
        body = bytes(body).decode("utf-8", errors="replace")
    if isinstance(body, str):
        if len(body) > PARSE_LIMIT:
            return f"[{len(body)} characters not kept: too large to check for secrets]"
        try:
            body = json.loads(body)
        except ValueError:
            if not _FORM.match(body):
                return body_bound(body)
            fields = [(k, REDACTED if is_secret_name(k) else v) for k, v in parse_qsl(body)]
            return body_bound("&".join(f"{k}={v}" for k, v in fields))
    return body_bound(json.dumps(value_redact(body), default=str, ensure_ascii=False))
