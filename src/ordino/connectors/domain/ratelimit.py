"""Staying inside a channel's published rate limits: a token bucket per (connection,
operation), with the clock given by the caller (docs/connectors-marketplaces.md, "Rate limits").
Pure Python.

A bucket holds at most `burst` tokens and gains `rate` tokens a second; a call takes one. This
is the model Amazon's SP-API documents for its usage plans (rate and burst), and it bounds any
window of `w` seconds to at most `burst + rate × w` calls. The arithmetic is exact (Fraction):
a float's rounding could let one call too many through at the edge of a window.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

_MICROSECOND = timedelta(microseconds=1)


def _seconds(delta: timedelta) -> Fraction:
    return Fraction(delta // _MICROSECOND, 1_000_000)


@dataclass
class TokenBucket:
    """`acquire(now)`: 0.0 when a call may go now (a token is taken), else the seconds to wait
    before asking again (nothing is taken). Starts full, as Amazon's buckets do."""

    rate: Fraction
    burst: int
    tokens: Fraction = field(init=False)
    updated: datetime | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("A rate limit needs a positive rate and a burst of at least 1.")
        self.tokens = Fraction(self.burst)

    @classmethod
    def of(cls, rate: float, burst: int) -> TokenBucket:
        """From a published limit, e.g. (0.0056, 20): the rate's decimal text, exactly."""
        return cls(Fraction(str(rate)), burst)

    def acquire(self, now: datetime) -> float:
        self._refill(now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        # Rounded up to the microsecond: asking again after the wait finds the token there.
        wait = (1 - self.tokens) / self.rate
        return math.ceil(wait * 1_000_000) / 1_000_000

    def reserve(self, now: datetime) -> float:
        """Take a token now, borrowed if none is there: the seconds to wait before the call
        (0.0: at once). The caller sleeps that long and calls; the next caller waits behind
        it, so calls keep the rate however many wait."""
        self._refill(now)
        self.tokens -= 1
        if self.tokens >= 0:
            return 0.0
        return math.ceil(-self.tokens / self.rate * 1_000_000) / 1_000_000

    def _refill(self, now: datetime) -> None:
        # A clock that steps back refills nothing (and never takes tokens away).
        if self.updated is not None and now > self.updated:
            self.tokens = min(
                Fraction(self.burst), self.tokens + _seconds(now - self.updated) * self.rate
            )
        if self.updated is None or now > self.updated:
            self.updated = now


class RateLimiter:
    """The buckets of every (connection, operation): one platform's `rate_limits` (operation →
    (requests per second, burst)) applied per connection, since each seller account has its
    own quota. An operation without a published limit is a programming error, not unlimited."""

    def __init__(self, limits: Mapping[str, tuple[float, int]]) -> None:
        self.limits = dict(limits)
        self.buckets: dict[tuple[str, str], TokenBucket] = {}

    def acquire(self, connection: str, operation: str, now: datetime) -> float:
        return self._bucket(connection, operation).acquire(now)

    def reserve(self, connection: str, operation: str, now: datetime) -> float:
        """`TokenBucket.reserve` of the (connection, operation): the connectors' transport."""
        return self._bucket(connection, operation).reserve(now)

    def _bucket(self, connection: str, operation: str) -> TokenBucket:
        key = (connection, operation)
        bucket = self.buckets.get(key)
        if bucket is None:
            if operation not in self.limits:
                raise LookupError(f"No rate limit is declared for operation {operation!r}.")
            bucket = self.buckets[key] = TokenBucket.of(*self.limits[operation])
        return bucket
