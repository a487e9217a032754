"""The connector core's HTTP client (docs/connectors.md, "Polling"): httpx with timeouts,
retries with backoff on 429 and 5xx honouring Retry-After, a token bucket per operation that
never exceeds the platform's published `rate_limits`, and every call in the integration log.

The buckets live in the process (`limiter_for`: one per platform, kept across polls and pushes):
with several workers each keeps its own, so a deployment that polls one shop from several
processes at once should poll it from one (the periodic job does).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from ordino.connectors.domain.ratelimit import RateLimiter
from ordino.connectors.platforms.base import Platform
from ordino.integrations.services import integration_call

RETRIED = frozenset({429, 500, 502, 503, 504})
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_RETRY_AFTER = 60.0
# How each platform's API is authenticated with the connection's access token.
AUTH_HEADERS: dict[str, Callable[[str], dict[str, str]]] = {
    "shopify": lambda token: {"X-Shopify-Access-Token": token},
    # the REST API key "consumer_key:consumer_secret", over https (docs/connectors-marketplaces.md)
    "woocommerce": lambda token: {
        "Authorization": "Basic " + base64.b64encode(token.encode()).decode("ascii")
    },
    # the Login with Amazon access token
    "amazon": lambda token: {"x-amz-access-token": token},
}


class TransportFailed(Exception):
    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class JsonPage(dict):
    """A decoded JSON object with the response's Link header (`links`, httpx's parse)."""

    links: Mapping[str, Any] = {}


# One limiter per platform for the whole process, its buckets per (connection, operation): a
# transport is made per poll or push, and a fresh full bucket each time would let a schedule
# of polls exceed the published rate (docs/connectors-marketplaces.md, "Rate limits").
_LIMITERS: dict[str, RateLimiter] = {}


def limiter_for(platform: Platform) -> RateLimiter:
    limiter = _LIMITERS.get(platform.code)
    if limiter is None:
        limiter = _LIMITERS[platform.code] = RateLimiter(platform.rate_limits)
    return limiter


def _monotonic_now() -> datetime:
    # the buckets' clock: monotonic (a wall clock set back must not refill them), as a datetime
    return datetime.fromtimestamp(time.monotonic(), UTC)


class ConnectorTransport:
    """`HttpTransport` (platforms/base.py) for one connection."""

    def __init__(
        self,
        *,
        platform: Platform,
        base_url: str,
        token: str,
        connection: str = "",
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = _monotonic_now,
        limiter: RateLimiter | None = None,
        attempts: int = 4,
    ) -> None:
        self.platform, self.base_url, self.connection = platform, base_url.rstrip("/"), connection
        auth = AUTH_HEADERS.get(platform.code, lambda t: {"Authorization": f"Bearer {t}"})
        self.headers = {"Accept": "application/json", **auth(token)}
        self.client = client or httpx.Client(timeout=TIMEOUT)
        self.sleep, self.clock, self.attempts = sleep, clock, attempts
        self.limiter = limiter or limiter_for(platform)

    def _wait_turn(self, operation: str) -> None:
        """Sleep until the operation's bucket has this call's token (no published limit: go)."""
        if operation in self.platform.rate_limits:
            wait = self.limiter.reserve(self.connection, operation, self.clock())
            if wait > 0:
                self.sleep(wait)

    def get(
        self, path: str, *, params: Mapping[str, Any] | None = None, operation: str = ""
    ) -> Any:
        return self._request("GET", path, params=params, operation=operation)

    def post(self, path: str, *, json: Mapping[str, Any], operation: str = "") -> Any:
        """Optional member (not in base.HttpTransport): a write. Retried only on 429 (the
        platform did not take it); a 5xx may have been applied, so the caller decides."""
        return self._request("POST", path, body=json, operation=operation)

    def put(self, path: str, *, json: Mapping[str, Any], operation: str = "") -> Any:
        """Optional member: an update (WooCommerce's order status), retried like `post`."""
        return self._request("PUT", path, body=json, operation=operation)

    def _request(self, method, path, *, params=None, body=None, operation="") -> Any:
        url = f"{self.base_url}{path}"
        retried = RETRIED if method == "GET" else frozenset({429})
        last = "no attempt"
        for attempt in range(self.attempts):
            self._wait_turn(operation)
            response, last = self._once(method, url, params, body, operation)
            if response is not None and response.is_success:
                return _decoded(response)
            if response is not None and response.status_code not in retried:
                raise TransportFailed(last, status_code=response.status_code)
            if response is None and method != "GET":
                raise TransportFailed(last)  # it may have arrived: not sent twice
            if attempt + 1 < self.attempts:
                self.sleep(_backoff(response, attempt))
        raise TransportFailed(f"gave up after {self.attempts} attempts: {last}")

    def _once(self, method, url, params, body, operation) -> tuple[httpx.Response | None, str]:
        with integration_call(
            system=self.platform.code, operation=operation or method.lower(), method=method,
            endpoint=url, connection=self.connection, request_headers=self.headers,
            request_body=body if body is not None else params,
        ) as call:  # fmt: skip
            try:
                response = self.client.request(
                    method, url, params=params, json=body, headers=self.headers
                )
            except httpx.HTTPError as exc:
                call.error = f"{type(exc).__name__}: {exc}"
                return None, call.error
            call.status_code, call.ok = response.status_code, response.is_success
            call.response_body = response.text
            if not response.is_success:
                call.error = f"HTTP {response.status_code}"
            return response, call.error


def _backoff(response: httpx.Response | None, attempt: int) -> float:
    if response is not None and (after := response.headers.get("Retry-After")):
        try:
            return min(MAX_RETRY_AFTER, max(0.0, float(after)))
        except ValueError:
            pass
    return min(MAX_RETRY_AFTER, 0.5 * 2**attempt)


def _decoded(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        raise TransportFailed("the answer is not JSON", status_code=response.status_code) from None
    if isinstance(body, dict):
        page = JsonPage(body)
        page.links = response.links
        return page
    return body
