"""What makes two captures of one channel order "the same": a fingerprint of what was sent."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal


def capture_fingerprint(capture: dict) -> str:
    """SHA-256 of a capture as parsed, normalised so that only what it says counts: amounts by
    value ("19.9" is "19.90"), times as instants (+02:00 or Z), key order ignored, omitted
    optional fields as their defaults."""
    text = json.dumps(capture, sort_keys=True, separators=(",", ":"), default=_canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
