"""Timezone-aware UTC time, in one place so tests and the demo loader can pin it.

`clock_pinned(at)` makes every `utcnow()` in the block (this thread or task only: a ContextVar)
answer `at`. Production code never pins: only the demo loader, which replays weeks of a shop's
life with each step at its own time, and tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_pinned: ContextVar[datetime | None] = ContextVar("ordino_clock_pinned", default=None)


def utcnow() -> datetime:
    pinned = _pinned.get()
    return pinned if pinned is not None else datetime.now(UTC)


@contextmanager
def clock_pinned(at: datetime) -> Iterator[datetime]:
    """Within the block, `utcnow()` is `at` (timezone-aware; converted to UTC)."""
    if at.tzinfo is None:
        raise ValueError("clock_pinned needs a timezone-aware datetime")
    token = _pinned.set(at.astimezone(UTC))
    try:
        yield at.astimezone(UTC)
    finally:
        _pinned.reset(token)
