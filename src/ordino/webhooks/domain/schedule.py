"""When a webhook message is tried again (docs/webhooks.md, "Retries"): pure, no I/O.

The Standard Webhooks schedule, longer than Svix's and Shopify's: ten attempts, the first at
once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the attempt before,
each delay moved by up to ±10 % (jitter, so receivers coming back up are not hit by every
sender in the same second). A receiver's `Retry-After` wins when it asks for later than the
schedule, bounded by `RETRY_AFTER_MAX`. After the tenth failed attempt the message is dead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

DELAYS: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
ATTEMPTS = len(DELAYS)  # the tenth failure is the last: the message is dead
JITTER = 0.10
RETRY_AFTER_MAX = timedelta(hours=24)


@dataclass(frozen=True)
class Outcome:
    """What one attempt's answer decides: `delivered`, `retry` (at `next_at`), `dead`, or
    `gone` (410: the endpoint is disabled; the message waits, retried at `next_at` once it is
    enabled again)."""

    state: str
    next_at: datetime | None = None


def delay_jittered(delay: timedelta, rng: random.Random) -> timedelta:
    """`delay` moved by a random fraction within ±JITTER (the generator is injectable)."""
    return delay * (1 + rng.uniform(-JITTER, JITTER))


def retry_after_parse(value: str | None, *, now: datetime) -> timedelta | None:
    """A `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP date) as a delay from
    `now`; None when absent or unreadable, never negative."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return timedelta(seconds=min(int(text), int(RETRY_AFTER_MAX.total_seconds()) + 1))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


def next_attempt_at(
    *,
    attempts: int,
    now: datetime,
    rng: random.Random,
    retry_after: timedelta | None = None,
) -> datetime | None:
    """When to try again after `attempts` failed attempts of this round (1..ATTEMPTS); None:
    that was the last one. The schedule's delay, jittered; a later `Retry-After` (at most
    RETRY_AFTER_MAX) instead."""
    if attempts >= ATTEMPTS:
        return None
    delay = delay_jittered(DELAYS[attempts], rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, RETRY_AFTER_MAX))
    return now + delay


def attempt_outcome(
    *,
    status_code: int | None,
    attempts: int,
    now: datetime,
    rng: random.Random,
    retry_after: str | None = None,
) -> Outcome:
    """What an answer means (`status_code` None: no answer — a timeout, a refused
    connection): 2xx delivered; 410 Gone disables the endpoint; anything else is retried on
    the schedule until the last attempt, then dead."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome("delivered")
    wait = retry_after_parse(retry_after, now=now)
    if status_code == 410:
        # the endpoint goes; when someone enables it again, the message is tried at once
        return Outcome("gone", next_at=now)
    when = next_attempt_at(attempts=attempts, now=now, rng=rng, retry_after=wait)
    return Outcome("dead") if when is None else Outcome("retry", next_at=when)


def schedule_span(delays: tuple[timedelta, ...] = DELAYS) -> timedelta:
    """How long a message is tried for, without jitter (75 h 35 min 5 s)."""
    return sum(delays, timedelta(0))
