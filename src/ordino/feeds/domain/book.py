"""One channel's feed in memory, by the rules of `plan.py`: what the services keep in the
`FeedItem` and `FeedSettings` rows, kept here in dicts. The property test
(tests/domain/feeds/test_book.py) and the benchmark (bench/feeds.py) drive it; the services
follow the same steps against the database (feeds/services.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ordino.feeds.domain.plan import Level, Pending, channel_due, delta_plan, full_plan

# The channel's answer to one batch: the SKUs it refused, with why.
Push = Callable[[list[Level]], Mapping[str, str]]


@dataclass
class FeedBook:
    min_interval_seconds: int
    batch_size: int
    pushed: dict[str, int] = field(default_factory=dict)  # SKU → quantity last pushed
    pending_since: dict[str, datetime] = field(default_factory=dict)  # SKU → first change
    last_push_at: datetime | None = None
    pushes: int = 0  # batches sent

    def change(self, sku: str, now: datetime) -> None:
        """A change of the SKU's availability: pending once, its first change time kept."""
        self.pending_since.setdefault(sku, now)

    def push_due(self, now: datetime, available: Mapping[str, int], push: Push) -> int:
        """Push the pending SKUs if the channel is due; the number of SKUs sent."""
        if not self.pending_since or not channel_due(
            last_push_at=self.last_push_at,
            now=now,
            min_interval_seconds=self.min_interval_seconds,
        ):
            return 0
        self.last_push_at = now
        oldest_first = sorted(self.pending_since, key=lambda s: (self.pending_since[s], s))
        plan = delta_plan(
            [Pending(sku, self.pushed.get(sku)) for sku in oldest_first],
            available,
            batch_size=self.batch_size,
        )
        for sku in plan.settled:
            del self.pending_since[sku]
        return self._send(plan.batches, push)

    def push_full(self, available: Mapping[str, int], push: Push) -> int:
        plan = full_plan(sorted(available), available, batch_size=self.batch_size)
        return self._send(plan.batches, push)

    def _send(self, batches: list[list[Level]], push: Push) -> int:
        sent = 0
        for batch in batches:
            self.pushes += 1
            refused = push(batch)
            for sku, quantity in batch:
                if sku in refused:
                    continue  # stays pending: tried again next round, nothing lost
                self.pushed[sku] = quantity
                self.pending_since.pop(sku, None)
                sent += 1
        return sent
