"""The coalescing rule as a property (docs/feeds.md, "Deltas and coalescing"): whatever the
stock changes and the push times, after the last push every SKU shows its availability, and no
SKU is pushed more than once per interval (+1)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ordino.feeds.domain.book import FeedBook

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SKUS = ("TEE", "MUG", "CAP", "KIT")

changes = st.lists(
    st.tuples(st.integers(0, 600), st.sampled_from(SKUS), st.integers(-5, 50)), max_size=60
)
push_times = st.lists(st.integers(0, 600), max_size=40)


@given(
    changes=changes,
    push_times=push_times,
    interval=st.integers(1, 120),
    batch=st.integers(1, 4),
)
def test_after_the_last_push_every_sku_shows_its_availability_within_the_push_budget(
    changes, push_times, interval, batch
):
    book = FeedBook(min_interval_seconds=interval, batch_size=batch)
    available: dict[str, int] = {}
    per_sku: Counter[str] = Counter()

    def push(levels):
        per_sku.update(sku for sku, _ in levels)
        return {}

    events = sorted(
        [(t, 0, sku, qty) for t, sku, qty in changes] + [(t, 1, "", 0) for t in push_times]
    )
    for t, kind, sku, qty in events:
        now = T0 + timedelta(seconds=t)
        if kind == 0:
            available[sku] = qty
            book.change(sku, now)
        else:
            book.push_due(now, available, push)
    end = T0 + timedelta(seconds=600 + interval)  # the final push, once the window has passed
    book.push_due(end, available, push)

    assert not book.pending_since
    for sku, qty in available.items():
        assert book.pushed.get(sku, 0) == max(0, qty)
    duration = (end - T0).total_seconds()
    for sku, pushes in per_sku.items():
        assert pushes <= math.ceil(duration / interval) + 1, sku


def test_a_busy_sku_changed_1000_times_in_the_window_is_pushed_once_with_its_last_quantity():
    book = FeedBook(min_interval_seconds=30, batch_size=100)
    sent = []
    book.push_due(T0, {}, lambda levels: sent.append(levels) or {})  # nothing pending: no push
    for i in range(1000):
        book.change("TEE", T0 + timedelta(milliseconds=20 * i))
    assert book.pending_since == {"TEE": T0}  # its first change kept
    record = lambda levels: sent.append(levels) or {}  # noqa: E731
    book.push_due(T0 + timedelta(seconds=30), {"TEE": 999}, record)
    assert sent == [[("TEE", 999)]]


def test_a_refused_sku_stays_pending_and_is_sent_again():
    book = FeedBook(min_interval_seconds=10, batch_size=10)
    book.change("TEE", T0)
    book.change("MUG", T0)
    assert book.push_due(T0, {"TEE": 4, "MUG": 2}, lambda levels: {"TEE": "unknown SKU"}) == 1
    assert set(book.pending_since) == {"TEE"} and book.pushed == {"MUG": 2}
    assert book.push_due(T0 + timedelta(seconds=10), {"TEE": 4, "MUG": 2}, lambda lv: {}) == 1
    assert book.pushed == {"MUG": 2, "TEE": 4} and not book.pending_since
