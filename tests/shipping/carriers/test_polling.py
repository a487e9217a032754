"""Tracking polled on a schedule (docs/shipping.md, "Polling"): a parcel whose label was bought
through an account that tracks, without news for hours, is asked once per turn; delivered or
returned parcels, offline labels and parcels asked recently are not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses

from ordino.core.domain.clock import utcnow
from ordino.shipping.carrier_accounts import AccountSettings, carrier_account_save
from ordino.shipping.models import CarrierAccount, LabelPurchase, Tracker
from ordino.shipping.tracking_poll import trackers_poll_due
from ordino.wiring import PERIODIC
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.tracked import shipped

pytestmark = pytest.mark.django_db
NUMBER = "EZ4000000004"  # the recorded EasyPost tracker's


@pytest.fixture
def quiet_parcel(api, shop):
    """A parcel shipped with a label bought through EasyPost, its tracker quiet for 5 hours."""
    ids = shipped(api, shop, numbers=(NUMBER,), carrier="USPS")
    account, _ = carrier_account_save(
        values=AccountSettings(code="ep", name="EasyPost", adapter="easypost", api_key="EZTK"),
        actor="test",
    )
    LabelPurchase.objects.create(
        fulfillment_order_id=ids["fo_id"], parcel=1, account=account, key="ordino-poll-1",
        status=LabelPurchase.BOUGHT, tracking_number=NUMBER, actor="test",
        rate={"carrier": "USPS", "service": "Priority", "amount": "7.10", "currency": "USD"},
    )  # fmt: skip
    Tracker.objects.update(updated_at=utcnow() - timedelta(hours=5))
    return Tracker.objects.get()


def test_a_quiet_parcel_is_polled_once_and_moves_forward(quiet_parcel):
    # when the periodic job runs
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/trackers", "easypost_tracker", status=201)
        assert trackers_poll_due() == 1
    # then the parcel's events are recorded: delivered
    tracker = Tracker.objects.get()
    assert (tracker.status, tracker.events.count()) == ("delivered", 3)
    assert tracker.polled_at is not None
    # and the next turn asks no one (delivered: responses would refuse any call)
    with responses.RequestsMock():
        assert trackers_poll_due(now=utcnow() + timedelta(hours=5)) == 0
    # and the worker runs it every 10 minutes
    assert any(job is trackers_poll_due and every == 600 for every, _, job in PERIODIC)


def test_a_parcel_asked_recently_or_without_an_account_that_tracks_waits(quiet_parcel):
    # given a poll that got no answer a minute ago
    with responses.RequestsMock() as rsps:
        rsps.add("POST", f"{EASYPOST}/trackers", status=503)
        assert trackers_poll_due() == 1
    assert Tracker.objects.get().status == "unknown"
    # then it is not asked again within the hours, and is after them
    with responses.RequestsMock():
        assert trackers_poll_due(now=utcnow() + timedelta(minutes=30)) == 0
    # and an inactive account's parcel is not asked at all
    CarrierAccount.objects.update(is_active=False)
    with responses.RequestsMock():
        assert trackers_poll_due(now=utcnow() + timedelta(hours=5)) == 0
