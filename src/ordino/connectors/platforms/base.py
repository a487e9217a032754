"""What a channel platform (Shopify, WooCommerce, Amazon, eBay) gives the connector core
(docs/connectors.md). A platform module is pure: it parses and checks; the core stores, calls,
logs and captures. Each platform module exposes one `PLATFORM` object of this shape."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ordino.orders.commands import CaptureOrder


class MappingError(ValueError):
    """The payload cannot become an order: says what is wrong and where (a JSON path)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class WebhookCheck:
    """A verified inbound webhook: which delivery (for de-duplication), which topic."""

    delivery_id: str
    topic: str
    sent_at: datetime | None = None


class WebhookRefused(ValueError):
    """Signature missing or wrong, timestamp stale: nothing is stored but the log row."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ChannelOrderState:
    """What a payload says beyond the order to capture: is it cancelled, when last changed."""

    external_id: str
    updated_at: datetime | None
    cancelled: bool = False


class HttpTransport(Protocol):
    """The core's HTTP client (timeouts, retries, rate limits, logging) as a platform sees it."""

    def get(
        self, path: str, *, params: Mapping[str, Any] | None = None, operation: str = ""
    ) -> Any:
        """The decoded JSON body. `operation` names the call for the log and for the
        platform's rate limit of that operation (`Platform.rate_limits`)."""
        ...


class Platform(Protocol):
    code: str  # "shopify", "woocommerce", "amazon", "ebay"
    # Published limits per operation: (requests per second, burst); the core's transport never
    # exceeds them (docs/connectors.md).
    rate_limits: Mapping[str, tuple[float, int]]

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        """The order the payload describes; `raw_payload` kept. Raises MappingError."""
        ...

    def order_state(self, payload: Mapping[str, Any]) -> ChannelOrderState: ...

    def webhook_verify(
        self, *, body: bytes, headers: Mapping[str, str], secret: str, now: datetime
    ) -> WebhookCheck:
        """Raises WebhookRefused. A platform without webhooks raises it always."""
        ...

    def orders_pull(
        self, transport: HttpTransport, *, updated_after: datetime
    ) -> Iterator[Mapping[str, Any]]:
        """Every order changed after `updated_after`, oldest first, as full payloads."""
        ...
