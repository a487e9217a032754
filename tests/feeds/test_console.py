"""The console's Channel feeds pages: the settings saved through the same use case as the API,
"Push all now" asks the worker, a viewer sees no form (docs/feeds.md, "Console")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.feeds.models import FeedSettings
from ordino.feeds.services import feed_items_mark

pytestmark = pytest.mark.django_db
FEED = reverse("console:feed", args=["web"])
FORM = {"enabled": "on", "min_interval_seconds": "45", "batch_size": "20", "reason": "launch"}


@pytest.fixture
def manager(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


def test_settings_saved_then_push_all_now_then_the_pending_skus_shown(manager, shop):
    saved = manager.post(FEED, FORM)
    assert saved.status_code == 302 and saved["Location"] == FEED
    settings = FeedSettings.objects.get()
    assert (settings.enabled, settings.min_interval_seconds, settings.batch_size) == (True, 45, 20)

    pushed = manager.post(FEED, {"action": "push"})
    assert pushed.status_code == 302
    assert FeedSettings.objects.get().full_requested_by == "user:ops"

    feed_items_mark(sku_codes=["TEE"])
    html = manager.get(FEED).content.decode()
    assert '<tr data-sku="TEE">' in html and "A full push is on its way." in html
    index = manager.get(reverse("console:feeds")).content.decode()
    assert '<tr data-channel="web">' in index


def test_bad_settings_are_named_and_nothing_is_saved(manager, shop):
    page = manager.post(FEED, {**FORM, "batch_size": "0"})
    assert page.status_code == 200
    assert "batch_size: between 1 and 1000 SKUs" in page.content.decode()
    page = manager.post(FEED, {**FORM, "min_interval_seconds": "soon"})
    assert "min_interval_seconds: a whole number." in page.content.decode()
    assert not FeedSettings.objects.exists()


def test_a_viewer_sees_the_feed_without_a_form_and_may_not_post(client, shop):
    viewer = User.objects.create_user("view", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_feedsettings"))
    client.force_login(viewer)
    page = client.get(FEED).content.decode()
    assert "Feed of" in page and 'name="reason"' not in page
    assert client.post(FEED, FORM).status_code == 403
    assert client.get(reverse("console:feed", args=["nope"])).status_code == 404
    assert not FeedSettings.objects.exists()
