"""Recorded Stripe answers (recorded/*.json, shaped like the API version the library pins) and
a fake HTTPClient that replays them and records each request (docs/payments-stripe.md "Tests")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

from ordino.payments.providers.base import ProviderCall
from ordino.payments.providers.stripe import StripeProvider

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str, **replace_headers: str) -> tuple[str, int, dict[str, str]]:
    """A recorded answer as the library's HTTPClient.request returns it: body, status, headers."""
    data = json.loads((RECORDED / f"{name}.json").read_text())
    headers = {**data["headers"], **replace_headers}
    return json.dumps(data["body"]), data["status"], headers


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]


class ReplayHTTPClient(stripe.HTTPClient):
    """The stripe library's HTTPClient interface: answers from a script, records each request.
    An answer that is an exception (e.g. stripe.APIConnectionError, what the library's own
    clients raise on a timeout) is raised instead."""

    name = "replay"

    def __init__(self, *answers: Any) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[Sent] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        self.sent.append(
            Sent(
                method=method,
                path=parts.path,
                query=dict(parse_qsl(parts.query)),
                headers=dict(headers or {}),
                form=dict(parse_qsl(body, keep_blank_values=True)),
            )
        )
        if not self.answers:
            raise AssertionError(f"unexpected request {method} {url}")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise AssertionError("the provider never streams")

    def close(self):
        pass


def timeout() -> stripe.APIConnectionError:
    return stripe.APIConnectionError(
        "Unexpected error communicating with Stripe.\n\n(Network error: ReadTimeout: "
        "HTTPSConnectionPool(host='api.stripe.com', port=443): Read timed out. "
        "(read timeout=80))",
        should_retry=True,
    )


# The provider and calls the tests share: one PaymentIntent, fake keys.
PI = "pi_3QxRsT2eZvKYlo2C0Hm4kL7p"
KEY = "sk_test_51Ordino00000000000000000000000000000000000000000000000000000000000000"


def provider(client: ReplayHTTPClient, **kwargs) -> StripeProvider:
    return StripeProvider(api_key=KEY, http_client=client, max_network_retries=0, **kwargs)


def authorize_call(amount="12.34", currency="EUR", key="pay-1-authorize", token="pm_card_visa"):
    return ProviderCall(
        idempotency_key=key,
        amount=Decimal(amount),
        currency=currency,
        token=token,
        description="Order W-100",
    )


def call_on(reference=PI, amount="12.34", key="pay-1-capture-1", currency="EUR", final=True):
    return ProviderCall(
        idempotency_key=key,
        amount=Decimal(amount),
        currency=currency,
        reference=reference,
        final=final,
    )
