"""`ordino feeds status|push|settings`: the same use cases as the API (docs/feeds.md)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.feeds.models import FeedItem, FeedSettings
from ordino.feeds.ports import ScriptedPusher, pusher_use
from tests.factories import stock

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("feeds", *args, stdout=out)
    return out.getvalue()


def test_settings_then_a_full_push_then_the_status(shop):
    lines = run("settings", "web", "--enable", "--min-interval", "45", "--batch-size", "2")
    assert lines.splitlines()[0] == "Feed of web: enabled, every 45 s, batches of 2"
    stock(shop["wh_a"], shop["MUG"], 6)
    with pusher_use("web", ScriptedPusher()) as pusher:
        pushed = run("push", "web")
    assert "full  pushed 3, failed 0, settled 0 in 2 batches" in pushed
    assert ("MUG", 6) in pusher.levels("web")
    status = run("status", "web").splitlines()
    assert status[1] == "  3 SKUs, 0 pending, 0 failing"
    assert run("push", "web", "--pending").startswith("Nothing due")


def test_a_failed_push_says_so_and_keeps_the_skus_pending(shop):
    run("settings", "web", "--enable")
    refused = pytest.raises(CommandError, match="3 SKU\\(s\\) failed; they stay pending")
    with pusher_use("web", ScriptedPusher(down="connection refused")), refused:
        run("push", "web")
    assert FeedItem.objects.filter(pending_since__isnull=False).count() == 3


def test_bad_settings_and_unknown_channels_are_refused(shop):
    with pytest.raises(CommandError, match="batch_size: between 1 and 1000 SKUs"):
        run("settings", "web", "--enable", "--batch-size", "5000")
    with pytest.raises(CommandError, match="No channel 'nope'"):
        run("status", "nope")
    with pytest.raises(CommandError, match="has no feed enabled"):
        run("push", "web")
    assert not FeedSettings.objects.exists()
