"""Marking an inbound request for the integration log: an adapter's one call, no table
touched (the middleware, `middleware.py`, records it once the answer is known)."""

from __future__ import annotations

from django.http import HttpRequest

NOTE = "_ordino_inbound_call"


def inbound_call_note(request: HttpRequest, **facts: object) -> None:
    """Log this request in the integration log. `facts`: `integration_call_record`'s fields
    (system, operation, connection, correlation_id, object_type, object_id); a later call adds
    to or replaces what an earlier one said; empty values are ignored."""
    note = getattr(request, NOTE, None)
    if note is None:
        note = {}
        setattr(request, NOTE, note)
    note.update({name: value for name, value in facts.items() if value not in (None, "")})
