from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ordino.core.domain.clock import clock_pinned
from ordino.events.relay import outbox_dispatch
from ordino.feeds.models import FeedSettings
from ordino.feeds.ports import ScriptedPusher, pusher_use
from ordino.feeds.services import feed_settings_set
from ordino.wiring import SUBSCRIBERS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def work() -> None:
    """The worker's relay: deliver the outbox until it is empty, no subscriber failing."""
    for _ in range(20):
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        assert failed == 0
        if not delivered:
            return


@pytest.fixture
def feed(shop) -> FeedSettings:
    """The shop's web channel with a feed (30 s, batches of 2), its first full round done and
    the clock at T0."""
    with clock_pinned(T0):
        settings = feed_settings_set(
            channel=shop["channel"], enabled=True, min_interval_seconds=30, batch_size=2
        )
    return settings


@pytest.fixture
def pusher(shop):
    with pusher_use("web", ScriptedPusher()) as scripted:
        yield scripted
