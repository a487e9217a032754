"""Inbound requests into the integration log (docs/integrations.md, "What is kept").

An adapter that receives another system's requests (Stripe's webhooks, a channel's webhooks)
marks the request with `inbound.inbound_call_note(request, system=..., operation=...)` as soon
as it starts, and notes what it learns later (the event's id, the object it is about). The
middleware records every marked request once its answer is known, *after* the API's write middleware
ended its transaction (it sits outside it in settings.MIDDLEWARE): a refused request whose
changes rolled back — a bad signature, a malformed payload — is in the log all the same, with
its status, latency, redacted headers and body, and the problem's code and detail as its error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException

from ordino.integrations.inbound import NOTE
from ordino.integrations.services import integration_call_record

log = logging.getLogger(__name__)


class InboundCallMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        note = getattr(request, NOTE, None)
        if note is not None:
            latency_ms = int((time.monotonic() - started) * 1000)
            try:
                _record(request, response, note, latency_ms)
            except DatabaseError:  # the answer stands; a log that could not be written says so
                log.exception("integration log: %s %s not recorded", request.method, request.path)
        return response


def _record(request: HttpRequest, response: HttpResponse, note: dict, latency_ms: int) -> None:
    ok = response.status_code < 400
    integration_call_record(
        direction="in",
        system=str(note.get("system", "unknown")),
        operation=str(note.get("operation", "")),
        connection=str(note.get("connection", "")),
        method=request.method or "",
        endpoint=request.get_full_path()[:500],
        status_code=response.status_code,
        ok=ok,
        latency_ms=latency_ms,
        error="" if ok else _problem(response),
        request_headers=dict(request.headers),
        request_body=_body(request),
        response_body=None if response.streaming else response.content,
        object_type=str(note.get("object_type", "")),
        object_id=note.get("object_id", ""),
        correlation_id=str(note.get("correlation_id", "")),
    )


def _body(request: HttpRequest) -> bytes | None:
    try:
        return request.body
    except RawPostDataException:  # the view read the stream itself (a large upload)
        return None


def _problem(response: HttpResponse) -> str:
    """A refusal's problem+json as `code: detail`; another answer as its reason."""
    if not response.streaming:
        try:
            problem = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            problem = None
        if isinstance(problem, dict) and problem.get("code"):
            return f"{problem['code']}: {problem.get('detail', '')}".strip()
    return f"HTTP {response.status_code} {response.reason_phrase}"
