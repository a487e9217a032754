"""Pushing available-to-sell to a channel: deltas coalesced per interval, full pushes, failures
kept pending and retried, the channel's buffer and exclusions as inventory applies them
(docs/feeds.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ordino.channels.services import channel_update
from ordino.core.domain.clock import clock_pinned
from ordino.feeds.models import FeedItem, FeedRun, FeedSettings
from ordino.feeds.ports import ScriptedPusher, pusher_use
from ordino.feeds.services import (
    feed_items_mark,
    feed_push_delta,
    feed_push_due,
    feed_push_full,
)
from ordino.feeds.subscribers import feeds_on_stock_changed
from ordino.integrations.models import IntegrationCall
from ordino.inventory.events import Balance, StockReceived
from ordino.inventory.services.movements import stock_adjust, stock_receive
from tests.factories import make_kit, order_body, stock
from tests.feeds.conftest import T0, work

pytestmark = pytest.mark.django_db


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


def item(sku: str) -> FeedItem:
    return FeedItem.objects.get(channel__code="web", sku=sku)


def first_round(pusher) -> None:
    """The feed's first round: every SKU once (a feed just enabled), then a clean slate."""
    feed_push_due(at(0))
    pusher.batches.clear()


def test_a_new_feed_pushes_every_sku_once_at_its_first_round(shop, feed, pusher):
    stock(shop["wh_a"], shop["TEE"], 4)
    assert feed_push_due(at(0)) == 3
    assert sorted(pusher.levels("web")) == [("CAP", 0), ("MUG", 0), ("TEE", 4)]
    assert [len(batch) for _, batch in pusher.batches] == [2, 1]  # batch size 2
    run = FeedRun.objects.get()
    assert (run.kind, run.skus_pushed, run.skus_failed, run.batches) == ("delta", 3, 0, 2)
    assert not FeedItem.objects.filter(pending_since__isnull=False).exists()


def test_a_busy_sku_changed_1000_times_in_the_window_is_pushed_once_with_its_last_quantity(
    shop, feed, pusher
):
    first_round(pusher)
    stock(shop["wh_a"], shop["TEE"], 1)
    feed_items_mark(sku_codes=["TEE"], now=at(0.5))
    assert feed_push_due(at(1)) == 0  # the channel was pushed at 0: it waits for its interval
    stock(shop["wh_a"], shop["TEE"], 999)  # in the window: 999 more changes of TEE
    for i in range(1, 1000):
        feed_items_mark(sku_codes=["TEE"], now=at(1 + i * 0.02))
    assert item("TEE").pending_since == at(0.5)  # its first change kept
    assert item("TEE").change_count == 1000 + 1  # + the first round's mark

    assert feed_push_due(at(30)) == 1
    assert pusher.batches == [("web", [("TEE", 1000)])]
    assert feed_push_due(at(60)) == 0  # nothing pending: no call at all
    assert len(pusher.batches) == 1


def test_stock_changes_reach_the_feed_through_the_outbox(shop, feed, pusher):
    first_round(pusher)
    kit = make_kit("TEE-PAIR", [(shop["TEE"], 2)])
    stock_receive(location_code="WH-A", sku_code="TEE", quantity=5, actor="test")
    stock_adjust(location_code="WH-A", sku_code="TEE", delta=-1, reason="lost", actor="test")
    work()
    pending = FeedItem.objects.filter(pending_since__isnull=False)
    assert sorted(pending.values_list("sku", flat=True)) == ["TEE", "TEE-PAIR"]
    assert feed_push_due(at(30)) == 2
    assert sorted(pusher.levels("web")) == [("TEE", 4), ("TEE-PAIR", 2)]
    assert kit.code == "TEE-PAIR"


def test_the_channels_buffer_and_excluded_locations_are_applied_as_the_availability_api_does(
    shop, feed, pusher, api
):
    channel_update(channel=shop["channel"], stock_buffer=2, excluded_location_codes=["WH-B"])
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 1)  # 1 - buffer 2: below zero, pushed as 0
    feed_push_due(at(0))
    pushed = dict(pusher.levels("web"))
    for sku in ("TEE", "MUG"):
        answer = api.get(f"/inventory/availability/{sku}", channel="web").json()
        assert pushed[sku] == max(0, answer["channel"]["available"])
    assert pushed == {"TEE": 3, "MUG": 0, "CAP": 0}


def test_a_changed_buffer_pushes_every_sku_again_at_the_next_round(shop, feed, pusher):
    stock(shop["wh_a"], shop["TEE"], 5)
    first_round(pusher)
    channel_update(channel=shop["channel"], stock_buffer=1)  # channels emits no event for it
    assert feed_push_due(at(30)) == 1  # every SKU marked; only TEE's level moved
    assert pusher.batches == [("web", [("TEE", 4)])]
    assert FeedRun.objects.order_by("-pk").first().skus_settled == 2


def test_a_failed_push_keeps_its_skus_pending_and_retries_them_with_backoff(shop, feed):
    stock(shop["wh_a"], shop["TEE"], 3)
    with pusher_use("web", ScriptedPusher(down="read timeout")) as down:
        assert feed_push_due(at(0)) == 0
    assert down.batches == []
    tee = item("TEE")
    assert (tee.pushed_quantity, tee.failures, tee.last_error) == (
        None,
        1,
        "ConnectionError: read timeout",
    )
    assert tee.pending_since is not None and tee.retry_at == at(30)
    run = FeedRun.objects.get()
    assert (run.skus_pushed, run.skus_failed, run.batches) == (0, 3, 1)  # one call, then stop
    log = IntegrationCall.objects.get()
    assert (log.system, log.ok, log.connection, log.error) == (
        "test",
        False,
        "web",
        "ConnectionError: read timeout",
    )

    with pusher_use("web", ScriptedPusher()) as back:
        assert feed_push_due(at(30)) == 3
    assert sorted(back.levels("web")) == [("CAP", 0), ("MUG", 0), ("TEE", 3)]
    tee = item("TEE")
    assert (tee.pushed_quantity, tee.failures, tee.retry_at, tee.pending_since) == (
        3,
        0,
        None,
        None,
    )
    assert IntegrationCall.objects.filter(ok=True).count() == 2


def test_a_sku_the_channel_refuses_stays_pending_the_others_are_pushed(shop, feed):
    with pusher_use("web", ScriptedPusher(refuse={"MUG": "unknown SKU"})):
        assert feed_push_due(at(0)) == 2
    mug = item("MUG")
    assert (mug.failures, mug.last_error, mug.retry_at) == (1, "unknown SKU", at(30))
    assert mug.pending_since is not None
    assert FeedRun.objects.get().error == "1 SKU(s) refused, first 'MUG': unknown SKU"
    with pusher_use("web", ScriptedPusher(refuse={"MUG": "unknown SKU"})):
        feed_push_due(at(30))
    assert item("MUG").retry_at == at(90)  # doubled: 60 s after its second failure


def test_a_change_while_the_push_runs_keeps_the_sku_pending(shop, feed):
    class MarkingPusher(ScriptedPusher):
        def push(self, channel_code, levels):
            feed_items_mark(sku_codes=["TEE"], now=at(0.5))  # a change lands mid-call
            return super().push(channel_code, levels)

    with pusher_use("web", MarkingPusher()):
        feed_push_due(at(0))
    tee = item("TEE")
    assert tee.pushed_quantity == 0 and tee.pending_since is not None


def test_a_second_worker_in_the_same_round_pushes_nothing(shop, feed, pusher):
    first_round(pusher)
    stock(shop["wh_a"], shop["TEE"], 1)
    feed_items_mark(sku_codes=["TEE"])
    stale = FeedSettings.objects.select_related("channel").get()
    assert feed_push_due(at(30)) == 1
    assert feed_push_delta(settings=stale, now=at(30)) is None  # its claim fails
    assert len(pusher.batches) == 1


def test_a_full_push_sends_every_active_sku_whatever_was_pushed(shop, feed, pusher):
    stock(shop["wh_a"], shop["CAP"], 2)
    first_round(pusher)
    make_kit("CAP-PAIR", [(shop["CAP"], 2)])
    with clock_pinned(at(5)):
        run = feed_push_full(channel=shop["channel"], actor="cli:ops")
    assert sorted(pusher.levels("web")) == [("CAP", 2), ("CAP-PAIR", 1), ("MUG", 0), ("TEE", 0)]
    assert (run.kind, run.skus_pushed, run.batches, run.actor) == ("full", 4, 2, "cli:ops")
    assert item("CAP-PAIR").pushed_at == at(5)
    assert not FeedItem.objects.filter(pending_since__isnull=False).exists()


def test_a_disabled_feed_is_neither_marked_nor_pushed(shop, feed, pusher):
    FeedSettings.objects.update(enabled=False)
    assert feed_items_mark(sku_codes=["TEE"]) == 0
    assert feed_push_due(at(0)) == 0
    assert pusher.batches == []


def test_an_order_for_a_kit_marks_its_components_and_every_kit_sharing_them(
    shop, feed, pusher, api
):
    make_kit("GIFT", [(shop["TEE"], 1), (shop["MUG"], 1)])
    make_kit("MUG-PAIR", [(shop["MUG"], 2)])
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 6)  # 3 pairs; after the gift, 2
    first_round(pusher)
    lines = [{"sku": "GIFT", "quantity": 1, "unit_price": "30.00"}]
    assert api.post("/orders", order_body("W-KIT", lines=lines)).status_code == 201
    work()
    pending = FeedItem.objects.filter(pending_since__isnull=False)
    assert sorted(pending.values_list("sku", flat=True)) == ["GIFT", "MUG", "MUG-PAIR", "TEE"]
    feed_push_due(at(30))
    assert sorted(pusher.levels("web")) == [("GIFT", 4), ("MUG", 5), ("MUG-PAIR", 2), ("TEE", 4)]


def test_without_a_feed_an_event_costs_one_statement(shop, django_assert_num_queries):
    event = StockReceived(reason="receipt", reference="", movement_ids=[1],
                          balances=[Balance("WH-A", "TEE", 1, 1)])  # fmt: skip
    with django_assert_num_queries(1):
        feeds_on_stock_changed(event)
    assert not FeedItem.objects.exists()
