"""Carrier webhooks read into tracking events, and their authentication (docs/shipping.md,
"Tracking: carrier webhooks"). Pure: bytes and dicts in, events out.

- EasyPost signs each webhook: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, the HMAC-SHA256 of
  the raw body keyed with the webhook secret, NFKD-normalised and UTF-8 encoded (EasyPost's
  official clients, `validate_webhook`). Its body is an Event whose `result` is a Tracker with
  `tracking_details`; a detail has no id, so its identity is a fingerprint.
- Shippo's webhooks carry no signature by default; Shippo documents a self-generated token in
  the webhook URL's query (`?token=...`) returned with every call ("Webhook security"). Its
  body is `{"event": "track_updated", "data": Track}`: `tracking_history` and
  `tracking_status`, each with an `object_id`.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.tracking import (
    CarrierEvent,
    carrier_code,
    event_make,
    tracking_number_clean,
)
from ordino.shipping.domain.tracking_maps import status_map

EVENTS_MAX = 500  # one webhook's events: EasyPost and Shippo send a tracker's whole history


@dataclass(frozen=True)
class TrackingUpdate:
    """One webhook's news about one parcel."""

    carrier: str
    tracking_number: str
    events: tuple[CarrierEvent, ...]
    delivery_id: str = ""  # the aggregator's id of this delivery, for the integration log
    topic: str = ""


def _invalid(message: str) -> DomainError:
    return DomainError("tracking_payload_invalid", message, status=400)


def easypost_signature(body: bytes, secret: str) -> str:
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def easypost_verify(body: bytes, header: str | None, secret: str) -> bool:
    """True when the header is EasyPost's signature of exactly this body (constant time)."""
    if not header or not secret:
        return False
    return hmac.compare_digest(easypost_signature(body, secret).encode(), header.strip().encode())


def shippo_verify(given: str | None, expected: str) -> bool:
    """True when the URL's token is the configured one (constant time)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def time_parse(value: object) -> datetime:
    """An ISO 8601 time as carriers send it (`Z` or an offset); one without a zone is UTC, as
    both aggregators document their times in UTC."""
    if not isinstance(value, str) or not value.strip():
        raise _invalid("An event has no time.")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(f"An event's time {value[:40]!r} is not ISO 8601.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _place(location: object, keys: tuple[str, ...]) -> str:
    if not isinstance(location, dict):
        return ""
    return ", ".join(str(location[k]).strip() for k in keys if location.get(k))


def _dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"The webhook's {what} is not an object.")
    return value


def _list(value: object, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _invalid(f"The webhook's {what} is not a list.")
    if len(value) > EVENTS_MAX:
        raise _invalid(f"The webhook holds more than {EVENTS_MAX} {what}.")
    return value


def easypost_parse(payload: object) -> TrackingUpdate:
    """EasyPost's `tracker.created` / `tracker.updated` Event into events."""
    event = _dict(payload, "body")
    tracker = _dict(event.get("result"), "result")
    if tracker.get("object") not in (None, "Tracker"):
        raise _invalid("The webhook's result is not a Tracker.")
    events = []
    for detail in _list(tracker.get("tracking_details"), "tracking_details"):
        detail = _dict(detail, "tracking detail")
        raw = str(detail.get("status") or "")
        events.append(event_make(
            status=status_map("easypost", raw), occurred_at=time_parse(detail.get("datetime")),
            description=detail.get("message") or detail.get("description") or "",
            location=_place(detail.get("tracking_location"), ("city", "state", "zip", "country")),
            carrier_status=raw, carrier_substatus=detail.get("status_detail") or "",
        ))  # fmt: skip
    return _update(tracker.get("carrier"), tracker.get("tracking_code"), events,
                   event.get("id"), event.get("description"))  # fmt: skip


def _shippo_event(entry: dict[str, Any]) -> CarrierEvent:
    raw = str(entry.get("status") or "")
    sub = entry.get("substatus") if isinstance(entry.get("substatus"), dict) else {}
    code = str(sub.get("code") or "")
    return event_make(
        status=status_map("shippo", raw, code, sub.get("action_required") is True),
        occurred_at=time_parse(entry.get("status_date")),
        description=entry.get("status_details") or sub.get("text") or "",
        location=_place(entry.get("location"), ("city", "state", "zip", "country")),
        carrier_event_id=entry.get("object_id") or "", carrier_status=raw, carrier_substatus=code,
    )  # fmt: skip


def shippo_parse(payload: object) -> TrackingUpdate:
    """Shippo's `track_updated` into events: its history and its current status."""
    body = _dict(payload, "body")
    track = _dict(body.get("data"), "data")
    entries = [_dict(e, "tracking history entry")
               for e in _list(track.get("tracking_history"), "tracking_history")]  # fmt: skip
    if isinstance(track.get("tracking_status"), dict):
        entries.append(track["tracking_status"])  # usually the history's last: a duplicate
    events = [_shippo_event(e) for e in entries if e.get("status_date")]
    return _update(track.get("carrier"), track.get("tracking_number"), events, "",
                   body.get("event"))  # fmt: skip


def _update(carrier, number, events, delivery_id, topic) -> TrackingUpdate:
    carrier_key, tracking_number = carrier_code(carrier), tracking_number_clean(number)
    if not carrier_key or not tracking_number:
        raise _invalid("The webhook names no carrier or no tracking number.")
    return TrackingUpdate(
        carrier=carrier_key, tracking_number=tracking_number, events=tuple(events),
        delivery_id=str(delivery_id or "")[:100], topic=str(topic or "")[:64],
    )  # fmt: skip
