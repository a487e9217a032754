"""What an endpoint may be (docs/webhooks.md, "Endpoints"): pure checks, no I/O."""

from __future__ import annotations

import base64
import ipaddress
import secrets
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from ordino.core.domain.errors import DomainError

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24  # as Svix's: 192 bits, base64 after `whsec_`
URL_MAX = 500
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
EVENT_TYPES_MAX = 100


def secret_generate() -> str:
    """A new signing secret in the Standard Webhooks form: `whsec_` + base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def url_check(url: str, *, allow_local_http: bool) -> str:
    """An endpoint's URL: https (plain http only for this machine, when allowed: development
    and tests), a host, no credentials in it, at most URL_MAX characters."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if len(url) > URL_MAX:
        raise DomainError("url_too_long", f"At most {URL_MAX} characters.", field="url")
    if not host or parts.scheme not in ("https", "http"):
        raise DomainError("url_invalid", "An absolute https:// URL, please.", field="url")
    if parts.username or parts.password:
        raise DomainError("url_credentials", "No user or password in the URL.", field="url")
    if parts.scheme == "http" and not (allow_local_http and host in LOCAL_HOSTS):
        raise DomainError(
            "url_not_https",
            "Webhooks go to https:// URLs only (http://localhost in development).",
            field="url",
        )
    if parts.scheme == "https" and _is_private_ip(host) and not allow_local_http:
        raise DomainError("url_private", "Not to a private or local address.", field="url")
    return url


def _is_private_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host in LOCAL_HOSTS
    return address.is_private or address.is_loopback or address.is_link_local


def event_types_check(chosen: Iterable[str], *, known: Collection[str]) -> list[str]:
    """The event types an endpoint subscribes to: at least one, each a wire name of the
    catalog (docs/events.md), sorted, without repeats."""
    wanted = sorted(set(chosen))
    if not wanted:
        raise DomainError(
            "event_types_empty", "Choose at least one event type.", field="event_types"
        )
    if len(wanted) > EVENT_TYPES_MAX:
        raise DomainError(
            "event_types_too_many", f"At most {EVENT_TYPES_MAX}.", field="event_types"
        )
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise DomainError(
            "event_type_unknown",
            f"Not in the event catalog: {', '.join(unknown[:10])} (GET /webhooks/event-types).",
            field="event_types",
        )
    return wanted
