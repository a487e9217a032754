"""The retry schedule (docs/webhooks.md, "Retries"): exact delays, jitter within ±10 %, a later
Retry-After honoured up to 24 h, dead after the tenth attempt, 410 disables."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from ordino.webhooks.domain.schedule import (
    ATTEMPTS,
    DELAYS,
    attempt_outcome,
    next_attempt_at,
    retry_after_parse,
    schedule_span,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class NoJitter(random.Random):
    def uniform(self, a, b):
        return 0.0


class Extreme(random.Random):
    def __init__(self, pick):
        super().__init__(0)
        self.pick = pick

    def uniform(self, a, b):
        return a if self.pick == "low" else b


def test_the_schedule_is_the_standard_webhooks_one_exactly():
    assert [d.total_seconds() for d in DELAYS] == [
        0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400,
    ]  # fmt: skip
    assert ATTEMPTS == 10
    assert schedule_span() == timedelta(hours=75, minutes=35, seconds=5)


def test_after_each_failed_attempt_the_next_comes_after_its_delay():
    # given no jitter, when attempt n failed, then attempt n+1 is DELAYS[n] later
    for failed in range(1, ATTEMPTS):
        assert next_attempt_at(attempts=failed, now=NOW, rng=NoJitter()) == NOW + DELAYS[failed]


def test_jitter_stays_within_ten_percent_and_is_seeded():
    low = next_attempt_at(attempts=4, now=NOW, rng=Extreme("low"))
    high = next_attempt_at(attempts=4, now=NOW, rng=Extreme("high"))
    assert low == NOW + timedelta(hours=1, minutes=48)  # 2 h − 10 %
    assert high == NOW + timedelta(hours=2, minutes=12)  # 2 h + 10 %
    first = [next_attempt_at(attempts=3, now=NOW, rng=random.Random(7)) for _ in range(1)]
    assert first == [next_attempt_at(attempts=3, now=NOW, rng=random.Random(7))]


def test_the_tenth_failure_is_dead():
    outcome = attempt_outcome(status_code=500, attempts=10, now=NOW, rng=NoJitter())
    assert (outcome.state, outcome.next_at) == ("dead", None)
    ninth = attempt_outcome(status_code=500, attempts=9, now=NOW, rng=NoJitter())
    assert (ninth.state, ninth.next_at) == ("retry", NOW + timedelta(hours=24))


def test_2xx_is_delivered_and_no_answer_is_retried():
    assert (
        attempt_outcome(status_code=204, attempts=1, now=NOW, rng=NoJitter()).state == "delivered"
    )
    none = attempt_outcome(status_code=None, attempts=1, now=NOW, rng=NoJitter())
    assert (none.state, none.next_at) == ("retry", NOW + timedelta(seconds=5))
    redirect = attempt_outcome(status_code=301, attempts=2, now=NOW, rng=NoJitter())
    assert (redirect.state, redirect.next_at) == ("retry", NOW + timedelta(minutes=5))


def test_410_gone_disables_the_endpoint():
    outcome = attempt_outcome(status_code=410, attempts=1, now=NOW, rng=NoJitter())
    assert (outcome.state, outcome.next_at) == ("gone", NOW)


def test_a_later_retry_after_in_seconds_wins_and_an_earlier_one_does_not():
    later = attempt_outcome(status_code=429, attempts=1, now=NOW, rng=NoJitter(), retry_after="120")
    assert later.next_at == NOW + timedelta(seconds=120)
    earlier = attempt_outcome(status_code=503, attempts=2, now=NOW, rng=NoJitter(), retry_after="1")
    assert earlier.next_at == NOW + timedelta(minutes=5)


def test_retry_after_as_an_http_date_and_bounded_to_a_day():
    date = "Sun, 01 Mar 2026 15:00:00 GMT"
    assert retry_after_parse(date, now=NOW) == timedelta(hours=3)
    far = attempt_outcome(
        status_code=503, attempts=1, now=NOW, rng=NoJitter(), retry_after="9999999"
    )
    assert far.next_at == NOW + timedelta(hours=24)
    assert retry_after_parse("soon", now=NOW) is None
    assert retry_after_parse("Sun, 01 Mar 2026 11:00:00 GMT", now=NOW) == timedelta(0)
