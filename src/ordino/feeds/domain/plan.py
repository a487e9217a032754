"""The rules of a channel feed (docs/feeds.md, "Deltas and coalescing").

A stock change marks the (channel, SKU) pending once: its first change time is kept, later
changes only count. A channel's pending SKUs are pushed at most once per `min_interval`, in
batches of at most the platform's batch size, with the quantity available *when pushed*: 1,000
changes of one busy SKU inside the window become one push of its latest quantity. A pending SKU
whose quantity is the one last pushed is settled without a push (the change cancelled out, or
happened at a location the channel does not sell from). Negative availability pushes 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

Level = tuple[str, int]  # (SKU code, quantity to show on the channel)

MIN_INTERVAL_SECONDS = (1, 86_400)  # bounds of the per-channel setting
BATCH_SIZE = (1, 1_000)
RETRY_CAP_SECONDS = 3_600  # a failing SKU is tried again at least once an hour


def push_quantity(available: int) -> int:
    """What the channel is told: never below zero (a channel cannot sell minus units)."""
    return max(0, available)


@dataclass(frozen=True)
class Pending:
    """A pending (channel, SKU) as the plan sees it: what was last pushed (None: never)."""

    sku: str
    pushed_quantity: int | None


@dataclass(frozen=True)
class PushPlan:
    batches: list[list[Level]]  # what to send, in order
    settled: list[str]  # pending SKUs whose quantity already shows: cleared, nothing sent

    @property
    def levels(self) -> list[Level]:
        return [level for batch in self.batches for level in batch]


def batches_of(levels: Sequence[Level], size: int) -> list[list[Level]]:
    if size < 1:
        raise ValueError("batch size must be 1 or more")
    return [list(levels[i : i + size]) for i in range(0, len(levels), size)]


def delta_plan(
    pending: Sequence[Pending], available: Mapping[str, int], *, batch_size: int
) -> PushPlan:
    """The changed SKUs only: a SKU no longer known (deleted, inactive) pushes 0."""
    levels: list[Level] = []
    settled: list[str] = []
    for item in pending:
        quantity = push_quantity(available.get(item.sku, 0))
        if item.pushed_quantity == quantity:
            settled.append(item.sku)
        else:
            levels.append((item.sku, quantity))
    return PushPlan(batches_of(levels, batch_size), settled)


def full_plan(skus: Sequence[str], available: Mapping[str, int], *, batch_size: int) -> PushPlan:
    """Every SKU, whatever was pushed before (the channel may have drifted: docs/feeds.md)."""
    levels = [(sku, push_quantity(available.get(sku, 0))) for sku in skus]
    return PushPlan(batches_of(levels, batch_size), [])


def channel_due(*, last_push_at: datetime | None, now: datetime, min_interval_seconds: int) -> bool:
    """May the channel's pending SKUs be pushed now? At most once per interval."""
    if last_push_at is None:
        return True
    return now - last_push_at >= timedelta(seconds=min_interval_seconds)


def retry_at(*, failures: int, now: datetime, min_interval_seconds: int) -> datetime:
    """When a SKU whose push failed `failures` times in a row is tried again: the interval
    doubled per failure, at most an hour (a channel down for hours is not hammered)."""
    delay = min(min_interval_seconds * 2 ** min(max(failures - 1, 0), 20), RETRY_CAP_SECONDS)
    return now + timedelta(seconds=max(delay, min_interval_seconds))


def settings_check(*, min_interval_seconds: int, batch_size: int) -> list[tuple[str, str]]:
    """(field, message) for each setting out of its bounds; empty when both are fine."""
    problems = []
    low, high = MIN_INTERVAL_SECONDS
    if not low <= min_interval_seconds <= high:
        problems.append(("min_interval_seconds", f"between {low} and {high} seconds"))
    low, high = BATCH_SIZE
    if not low <= batch_size <= high:
        problems.append(("batch_size", f"between {low} and {high} SKUs"))
    return problems
