"""The token bucket keeps a channel's published limits over any sequence of request times
(property-based, hypothesis). Pure, no database."""

from __future__ import annotations

import heapq
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.connectors.domain.ratelimit import RateLimiter, TokenBucket

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_full_bucket_admits_its_burst_then_says_how_long_to_wait():
    # given Amazon's searchOrders plan: 0.0056 requests a second, burst 20
    bucket = TokenBucket.of(0.0056, 20)
    # when 21 calls come at once
    waits = [bucket.acquire(T0) for _ in range(21)]
    # then 20 go, the 21st waits for one token: 1 / 0.0056 s, rounded up to the microsecond
    assert waits[:20] == [0.0] * 20
    assert waits[20] == 178.571429
    # and asking again after that wait admits it
    assert bucket.acquire(T0 + timedelta(seconds=waits[20])) == 0.0


def test_a_refused_call_takes_nothing_and_a_clock_stepping_back_refills_nothing():
    bucket = TokenBucket.of(0.5, 1)
    assert bucket.acquire(at(10)) == 0.0
    assert bucket.acquire(at(11)) == 1.0  # half a token there: 1 s for the other half
    assert bucket.acquire(at(5)) == 1.0  # back in time: nothing gained, nothing lost
    assert bucket.acquire(at(12)) == 0.0


def test_buckets_are_per_connection_and_operation_and_undeclared_operations_are_refused():
    limiter = RateLimiter({"getOrder": (0.5, 1), "searchOrders": (0.0056, 1)})
    assert limiter.acquire("shop-a", "getOrder", T0) == 0.0
    assert limiter.acquire("shop-a", "getOrder", T0) == 2.0
    assert limiter.acquire("shop-b", "getOrder", T0) == 0.0  # another seller's quota
    assert limiter.acquire("shop-a", "searchOrders", T0) == 0.0  # another operation's
    with pytest.raises(LookupError):
        limiter.acquire("shop-a", "listOrders", T0)


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (1, 0), (-1, 5)])
def test_a_limit_without_positive_rate_or_burst_is_refused(rate, burst):
    with pytest.raises(ValueError):
        TokenBucket.of(rate, burst)


limits = st.sampled_from([(0.0056, 20), (0.5, 30), (0.0167, 20), (1.0, 4), (1.15, 10), (3, 1)])
# Request times in microseconds over up to two hours, in any order of arrival sorted by time.
times = st.lists(st.integers(min_value=0, max_value=7_200_000_000), min_size=1, max_size=300)


@settings(max_examples=100, deadline=None)
@given(limit=limits, offsets=times, retry=st.booleans())
def test_no_window_ever_admits_more_than_burst_plus_rate_times_its_length(limit, offsets, retry):
    # given a bucket and any sequence of request times, from callers that ask again after the
    # wait they were told (or give up), all served in time order
    rate, burst = limit
    bucket = TokenBucket.of(rate, burst)
    pending = list(offsets)
    heapq.heapify(pending)
    admitted: list[int] = []
    while pending:
        offset = heapq.heappop(pending)
        wait = bucket.acquire(T0 + timedelta(microseconds=offset))
        if wait == 0.0:
            admitted.append(offset)
        elif retry:
            heapq.heappush(pending, offset + round(wait * 1_000_000))
    # then every caller that kept asking got through, and in every window [first, last] the
    # calls admitted stay inside the published limit
    assert len(admitted) == len(offsets) or not retry
    for i, start in enumerate(admitted):
        for j in range(i, len(admitted)):
            window = Fraction(admitted[j] - start, 1_000_000)
            assert j - i + 1 <= burst + Fraction(str(rate)) * window


def test_reserved_calls_queue_behind_each_other_at_the_rate():
    # given Woo's list-orders plan: 1 request a second, burst 4
    bucket = TokenBucket.of(1.0, 4)
    # when 7 callers reserve at once (each sleeps its wait, then calls)
    waits = [bucket.reserve(T0) for _ in range(7)]
    # then the burst goes now and the others one second apart
    assert waits == [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0]
    # and nothing is free again until the queue has passed
    assert bucket.acquire(at(3.5)) == 0.5


@given(st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_reserved_calls_never_exceed_the_published_limit(arrivals):
    # given Amazon's searchOrders plan, and callers arriving at any times
    rate, burst = Fraction("0.0056"), 20
    bucket = TokenBucket(rate, burst)
    # when each reserves on arrival and calls after its wait
    calls = sorted(a + bucket.reserve(at(a)) for a in sorted(arrivals))
    # then any window of w seconds holds at most burst + rate × w calls
    for i, start in enumerate(calls):
        for j in range(i, len(calls)):
            width = Fraction(calls[j] - start).limit_denominator(1_000_000)
            assert j - i + 1 <= burst + rate * width + Fraction(1, 10_000)
