"""Recording the integration log (docs/integrations.md).

Record a call **outside** the business transaction it caused (after the request was handled, or
after the outbound call returned): `integration_call_record` writes in a transaction of its own,
so a business change that rolls back still leaves its log row, and the log never holds a business
transaction's locks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ordino.core.domain.clock import utcnow
from ordino.integrations.domain.redact import body_bound, headers_redact, value_redact
from ordino.integrations.domain.signature import error_signature
from ordino.integrations.models import IntegrationCall


def _body_text(body: Any) -> str:
    """A body as stored: JSON values with secrets redacted; bytes and text as they are."""
    if body is None:
        return ""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        try:
            decoded = json.loads(body)
        except ValueError:
            return body_bound(body)
        body = decoded
    return body_bound(json.dumps(value_redact(body), default=str, ensure_ascii=False))


def integration_call_record(
    *,
    direction: str,
    system: str,
    ok: bool,
    operation: str = "",
    connection: str = "",
    method: str = "",
    endpoint: str = "",
    status_code: int | None = None,
    latency_ms: int | None = None,
    error: str = "",
    request_headers: Mapping[str, str] | None = None,
    request_body: Any = None,
    response_body: Any = None,
    object_type: str = "",
    object_id: object = "",
    correlation_id: str = "",
) -> IntegrationCall:
    """Record one inbound request or outbound call; secrets redacted, bodies bounded."""
    error = (error or "")[:500]
    with transaction.atomic():
        return IntegrationCall.objects.create(
            at=utcnow(),
            direction=direction,
            system=system[:32],
            connection=connection[:64],
            operation=operation[:64],
            method=method[:8],
            endpoint=endpoint[:500],
            status_code=status_code,
            ok=ok,
            latency_ms=latency_ms,
            error=error,
            error_signature=error_signature(
                system=system, operation=operation, status_code=status_code, error=error
            )
            if not ok
            else "",
            request_headers=headers_redact(request_headers) if request_headers else None,
            request_body=_body_text(request_body),
            response_body=_body_text(response_body),
            object_type=object_type[:40],
            object_id=str(object_id or "")[:64],
            correlation_id=correlation_id[:128],
        )


@dataclass
class CallOutcome:
    """What an outbound call's code fills in while the call runs (see `integration_call`)."""

    status_code: int | None = None
    ok: bool = False
    error: str = ""
    response_body: Any = None
    object_type: str = ""
    object_id: object = ""
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def integration_call(
    *,
    system: str,
    operation: str,
    method: str = "",
    endpoint: str = "",
    connection: str = "",
    request_headers: Mapping[str, str] | None = None,
    request_body: Any = None,
    correlation_id: str = "",
) -> Iterator[CallOutcome]:
    """Time an outbound call and log it however it ends:

        with integration_call(system="shopify", operation="fulfillments/create", ...) as call:
            response = client.post(...)
            call.status_code, call.ok = response.status_code, response.is_success

    An exception escaping the block is logged as the call's error, then raised again.
    """
    outcome = CallOutcome()
    started = time.monotonic()
    try:
        yield outcome
    except Exception as exc:
        outcome.ok = False
        outcome.error = outcome.error or f"{type(exc).__name__}: {exc}"
        raise
    finally:
        integration_call_record(
            direction="out",
            system=system,
            operation=operation,
            connection=connection,
            method=method,
            endpoint=endpoint,
            status_code=outcome.status_code,
            ok=outcome.ok,
            latency_ms=int((time.monotonic() - started) * 1000),
            error=outcome.error,
            request_headers=request_headers,
            request_body=request_body,
            response_body=outcome.response_body,
            object_type=outcome.object_type,
            object_id=outcome.object_id,
            correlation_id=correlation_id,
        )
