"""Recording the integration log (docs/integrations.md).

Record a call **outside** the business transaction it caused (after the request was handled, or
after the outbound call returned): `integration_call_record` writes one INSERT, which commits on
its own when no transaction is open, so a business change that rolls back still leaves its log
row, and the log never holds a business transaction's locks. Inbound requests are recorded by
`middleware.py` after the API's transaction ended; outbound calls by `integration_call` once the
call returned. Retention: `integration_calls_prune` (ORDINO_INTEGRATION_LOG_DAYS).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.integrations.domain.redact import (
    body_redact,
    headers_redact,
    nul_escaped,
    url_redact,
)
from ordino.integrations.domain.signature import error_signature
from ordino.integrations.models import IntegrationCall

NO_ERROR_GIVEN = "failed without an error message"
KEEP_DAYS_MIN = 1
KEEP_DAYS_MAX = 3650
PRUNE_BATCH = 5000


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
    """Record one inbound request or outbound call; secrets redacted, bodies bounded. A failure
    gets its signature (domain/signature.py), which groups it into a theme."""
    error = nul_escaped(error or ("" if ok else NO_ERROR_GIVEN))[:500]
    endpoint, operation = nul_escaped(url_redact(endpoint)), nul_escaped(operation)
    return IntegrationCall.objects.create(
        at=utcnow(),
        direction=direction,
        system=system[:32],
        connection=connection[:64],
        operation=operation[:64],
        method=method[:8],
        endpoint=endpoint[:500],
        status_code=status_code if status_code is not None and 0 < status_code < 1000 else None,
        ok=ok,
        latency_ms=None if latency_ms is None else min(max(latency_ms, 0), 2**31 - 1),
        error=error,
        error_signature=error_signature(
            system=system, operation=operation, status_code=status_code, error=error
        )
        if not ok
        else "",
        request_headers=headers_redact(request_headers) if request_headers else None,
        request_body=body_redact(request_body),
        response_body=body_redact(response_body),
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


def integration_calls_prune(*, older_than_days: int, batch: int = PRUNE_BATCH) -> int:
    """Delete the calls recorded more than `older_than_days` days ago, `batch` rows per
    statement (a long delete would hold the table); how many were deleted. Retention is at
    least a day: 0 or a negative number is refused (422 `invalid_days`)."""
    if not KEEP_DAYS_MIN <= older_than_days <= KEEP_DAYS_MAX:
        raise DomainError(
            "invalid_days",
            f"Keep the log {KEEP_DAYS_MIN} to {KEEP_DAYS_MAX} days, not {older_than_days}.",
            field="older_than_days",
        )
    before = utcnow() - timedelta(days=older_than_days)
    old = IntegrationCall.objects.filter(at__lt=before).order_by("id")
    deleted = 0
    while ids := list(old.values_list("id", flat=True)[:batch]):
        deleted += IntegrationCall.objects.filter(id__in=ids).delete()[0]
    return deleted


def integration_calls_prune_due() -> int:
    """The periodic job (wiring.py PERIODIC): the log past ORDINO_INTEGRATION_LOG_DAYS."""
    return integration_calls_prune(older_than_days=settings.ORDINO_INTEGRATION_LOG_DAYS)
