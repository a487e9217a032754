"""Where a feed's levels go: the `InventoryPusher` port (docs/feeds.md, "Pushers").

A pusher sends one batch of (SKU, quantity) to one channel and answers the SKUs the channel
refused, with why; an exception means the whole batch failed. Every SKU it does not name was
accepted. The services log each batch in the integration log under the pusher's `system`.

A channel with an active Shopify or WooCommerce connection is pushed by the connectors' pusher
(connectors/services/stock.py: Shopify `inventory_levels/set`, Woo `products/batch`), found
through `pusher_resolvers` (registered by wiring.py); any other channel uses `RecordingPusher`
(the levels only go to the integration log, so `make run` works without a shop). Tests and the
benchmark use `ScriptedPusher`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from ordino.feeds.domain.plan import Level


class InventoryPusher(Protocol):
    system: str  # the integration log's `system`: "feed", "shopify", "woocommerce", ...
    operation: str  # the log's `operation`: "inventory_levels/set", "products/batch", ...

    def push(self, channel_code: str, levels: list[Level]) -> list[tuple[str, str]]:
        """Send the levels; the (SKU, reason) the channel refused. Raises when nothing went."""
        ...


class RecordingPusher:
    """A channel without a connector: the levels are recorded (the log keeps them), no call."""

    system = "feed"
    operation = "levels/record"

    def push(self, channel_code: str, levels: list[Level]) -> list[tuple[str, str]]:
        return []


@dataclass
class ScriptedPusher:
    """A pusher for tests and the benchmark: keeps every batch; refuses the SKUs in `refuse`
    (SKU → reason) and raises `down` while it is set."""

    system: str = "test"
    operation: str = "levels/push"
    batches: list[tuple[str, list[Level]]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    down: str = ""

    def push(self, channel_code: str, levels: list[Level]) -> list[tuple[str, str]]:
        if self.down:
            raise ConnectionError(self.down)
        self.batches.append((channel_code, list(levels)))
        return [(sku, self.refuse[sku]) for sku, _ in levels if sku in self.refuse]

    def levels(self, channel_code: str) -> list[Level]:
        return [lv for code, batch in self.batches if code == channel_code for lv in batch]


_RECORDING = RecordingPusher()
# Channel code → its pusher, for a channel whose pusher is not the default (tests, the
# benchmark); then `pusher_resolvers`: channel code → a pusher, or None (docs/feeds.md, "Pushers").
_OVERRIDES: dict[str, InventoryPusher] = {}
pusher_resolvers: list[Callable[[str], InventoryPusher | None]] = []


def pusher_for(channel_code: str) -> InventoryPusher:
    if channel_code in _OVERRIDES:
        return _OVERRIDES[channel_code]
    for resolve in pusher_resolvers:
        pusher = resolve(channel_code)
        if pusher is not None:
            return pusher
    return _RECORDING


@contextmanager
def pusher_use(channel_code: str, pusher: InventoryPusher) -> Iterator[InventoryPusher]:
    """Push a channel's levels through `pusher` inside the block (tests, the benchmark)."""
    previous = _OVERRIDES.get(channel_code)
    _OVERRIDES[channel_code] = pusher
    try:
        yield pusher
    finally:
        if previous is None:
            _OVERRIDES.pop(channel_code, None)
        else:
            _OVERRIDES[channel_code] = previous
