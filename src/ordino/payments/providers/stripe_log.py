"""Every request Ordino sends to Stripe, in the integration log (docs/integrations.md).

`LoggedHTTPClient` is the stripe library's HTTPClient (its documented way to replace the
transport) around the one that really sends: each attempt — the library's own network retries
included — is one outbound call with its method, URL, status, latency, Stripe's error and the
redacted form and answer. `StripeProvider` always sends through it. The provider calls Stripe
after commit, outside any transaction (services/send.py), so the log row commits on its own."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import stripe

from ordino.integrations.services import integration_call_record

# a path's object id, pi_3QxRsT2e... (not `payment_intents`: ids carry digits or capitals)
_ID = re.compile(r"^[a-z]{2,8}_(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]{8,}$")


def stripe_operation(method: str, path: str) -> str:
    """`POST /v1/payment_intents/pi_1/capture` → `payment_intents.capture`; `POST
    /v1/refunds` → `refunds.create`; `GET /v1/payment_intents/pi_1` → `payment_intents.retrieve`."""
    parts = [p for p in path.split("/") if p and p != "v1"]
    words = [p for p in parts if not _ID.match(p) or p == parts[0]]
    has_id = len(words) < len(parts)
    if len(words) > 1:
        return ".".join(words)[:64]
    verb = {"GET": "retrieve" if has_id else "list", "POST": "update" if has_id else "create",
            "DELETE": "delete"}.get(method.upper(), method.lower())  # fmt: skip
    return f"{words[0] if words else 'stripe'}.{verb}"[:64]


_KINDS = {"pi": "stripe_payment_intent", "re": "stripe_refund", "ch": "stripe_charge"}


def _path_object(path: str) -> tuple[str, str]:
    """The Stripe object a path names: (`stripe_payment_intent`, `pi_3Qx...`), or blanks."""
    ids = [p for p in path.split("/")[2:] if _ID.match(p)]
    if not ids:
        return "", ""
    return _KINDS.get(ids[0].split("_")[0], "stripe_object"), ids[0]


def stripe_error_text(body: str) -> str:
    """Stripe's error answer as `message (code: decline_code)`."""
    try:
        error = json.loads(body).get("error") or {}
    except (ValueError, AttributeError):
        return ""
    codes = ": ".join(str(c) for c in (error.get("code"), error.get("decline_code")) if c)
    message = str(error.get("message") or error.get("type") or "")
    return f"{message} ({codes})" if codes else message


class LoggedHTTPClient(stripe.HTTPClient):
    """Sends through `inner`, records each attempt in the integration log."""

    name = "ordino-logged"

    def __init__(self, inner: stripe.HTTPClient) -> None:
        super().__init__()
        self.inner = inner

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        started = time.monotonic()
        try:
            body, status, answer_headers = self.inner.request(method, url, headers, post_data)
        except stripe.APIConnectionError as exc:
            self._record(method, url, headers, post_data, started, error=str(exc).split("\n")[0])
            raise
        self._record(method, url, headers, post_data, started, status=status, body=body)
        return body, status, answer_headers

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        return self.inner.request_stream(method, url, headers, post_data)

    def close(self):
        self.inner.close()

    def _record(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any,
        started: float,
        *,
        status: int | None = None,
        body: Any = None,
        error: str = "",
    ) -> None:
        path = urlsplit(url).path
        ok = status is not None and status < 400
        if status is not None and not ok:
            error = stripe_error_text(body if isinstance(body, str) else "") or f"HTTP {status}"
        sent = dict(headers or {})
        object_type, object_id = _path_object(path)
        integration_call_record(
            direction="out",
            system="stripe",
            connection="stripe",
            operation=stripe_operation(method, path),
            method=method.upper(),
            endpoint=url,
            status_code=status,
            ok=ok,
            latency_ms=int((time.monotonic() - started) * 1000),
            error=error,
            request_headers=sent,
            request_body=post_data,
            response_body=body,
            object_type=object_type,
            object_id=object_id,
            correlation_id=str(sent.get("Idempotency-Key", "")),
        )
