"""Story: a channel's feed of available-to-sell, through the HTTP API only — enabled, told every
SKU once, then told what stock receipts and orders moved, each SKU once per interval with its
latest quantity, the channel's buffer applied as the availability API applies it
(docs/feeds.md)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ordino.feeds.ports import ScriptedPusher, pusher_use
from tests.feeds.conftest import T0
from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


def test_receipts_and_orders_reach_the_channel_once_per_interval(story, client, admin_token):
    settings = {"enabled": True, "min_interval_seconds": 60, "batch_size": 100, "reason": "go"}
    answer = client.put("/api/v1/feeds/web/settings", data=json.dumps(settings),
                        content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {admin_token}")  # fmt: skip
    assert answer.status_code == 200, answer.content
    story.ok(story.api.patch("/channels/web", {"stock_buffer": 1}))
    with pusher_use("web", ScriptedPusher()) as channel:
        # when the worker first runs: every SKU once (nothing in stock: 0)
        story.worker_runs(now=T0)
        assert sorted(channel.levels("web")) == [("CAP", 0), ("MUG", 0), ("TEE", 0)]
        # when tees arrive twice and an order takes two, inside one interval
        story.receive("WH-A", "TEE", 5)
        story.receive("WH-B", "TEE", 3)
        story.capture(order_body("W-1", [("TEE", 2, "19.99")]))
        story.worker_runs(now=T0 + timedelta(seconds=30))
        assert len(channel.batches) == 1  # the interval has not passed: nothing more sent
        # then, once it has, one push of the latest quantity: 8 - 2 reserved - buffer 1
        story.worker_runs(now=T0 + timedelta(seconds=60))
        assert channel.batches[1:] == [("web", [("TEE", 5)])]
    available = story.ok(story.api.get("/inventory/availability/TEE", channel="web"))
    assert available["channel"]["available"] == 5
    items = story.ok(story.api.get("/feeds/web/items", pending="true"))
    assert items["items"] == []
    feed = story.ok(story.api.get("/feeds/web"))
    assert [(r["kind"], r["skus_pushed"]) for r in feed["runs"]] == [("delta", 1), ("delta", 3)]
