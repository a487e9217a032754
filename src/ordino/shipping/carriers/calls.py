"""What both aggregators' adapters share: every call timed, bounded and in the integration log
(system `easypost` or `shippo`, the purchase's key as correlation; the API key never logged),
and the provider's answer sorted into refused (nothing happened) or unanswered (maybe it did)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import requests

from ordino.integrations.services import CallOutcome, integration_call
from ordino.shipping.carriers.base import TIMEOUT_SECONDS, CarrierUnanswered

T = TypeVar("T")


class TimeoutSession(requests.Session):
    """A requests session whose every request has a timeout (Shippo's client sends none)."""

    def send(self, request, **kwargs):  # type: ignore[override]
        if not kwargs.get("timeout"):
            kwargs["timeout"] = TIMEOUT_SECONDS
        return super().send(request, **kwargs)


def amount(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


@contextmanager
def logged(
    system: str,
    operation: str,
    method: str,
    endpoint: str,
    *,
    reference: str = "",
    request_body: Any = None,
) -> Iterator[CallOutcome]:
    with integration_call(
        system=system,
        operation=operation,
        method=method,
        endpoint=endpoint,
        request_body=request_body,
        correlation_id=reference,
    ) as call:
        yield call


def guarded(
    call: CallOutcome,
    run: Callable[[], T],
    refused: Callable[[Exception], Exception],
    unanswered: tuple[type[Exception], ...],
) -> T:
    """Run the library call: its answer fills the log; a timeout or broken connection is
    `CarrierUnanswered`, any other library error goes through `refused` (which says whether
    the provider's status means it answered)."""
    try:
        result = run()
    except (*unanswered, requests.RequestException) as exc:
        _failed(call, exc)
        raise CarrierUnanswered(str(exc)) from exc
    except Exception as exc:
        _failed(call, exc)
        raise refused(exc) from exc
    call.ok = True
    call.status_code = call.status_code or 200
    return result


def _failed(call: CallOutcome, exc: Exception) -> None:
    """The provider's status when it answered (EasyPost's `http_status`, Shippo's
    `status_code`), and the error."""
    status = getattr(exc, "http_status", None) or getattr(exc, "status_code", None)
    call.status_code = status if isinstance(status, int) else None
    call.error = f"{type(exc).__name__}: {exc}"[:500]
