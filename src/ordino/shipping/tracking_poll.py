"""Polling a parcel's tracking through a carrier account (docs/shipping.md, "Carrier adapters"):
the adapter's `track` (EasyPost's tracker, Shippo's track) read into our vocabulary and recorded
as a webhook's events are, each once, the status only forward (`tracking_events_record`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.shipping.carrier_accounts import carrier_account_get, carrier_adapter
from ordino.shipping.carriers.base import CarrierRefused, CarrierUnanswered
from ordino.shipping.domain import tracking_maps as tm
from ordino.shipping.models import CarrierAccount, LabelPurchase, Tracker
from ordino.shipping.tracking import Recorded, tracking_events_record

log = logging.getLogger(__name__)
# A parcel without news is asked again after POLL_EVERY, for at most POLL_DAYS after it shipped,
# POLL_BATCH at a time (the providers' rate limits: docs/shipping.md, "Polling").
POLL_EVERY = timedelta(hours=4)
POLL_DAYS = 30
POLL_BATCH = 50
DONE = (tm.DELIVERED, tm.RETURN_TO_SENDER)


def tracking_poll(*, account: str, carrier: str, tracking_number: str) -> Recorded:
    """Ask the account's provider for the parcel's events and record them; 404
    `tracker_not_found` for a parcel Ordino does not track, nothing recorded."""
    return _poll(carrier_adapter(carrier_account_get(code=account)), carrier, tracking_number)


def _poll(adapter, carrier: str, tracking_number: str) -> Recorded:
    try:
        update = adapter.track(carrier, tracking_number)
    except CarrierUnanswered:
        raise DomainError(
            "carrier_unanswered", "The carrier did not answer: poll again.", status=409
        ) from None
    except CarrierRefused as exc:
        raise DomainError(exc.code, exc.message, status=409) from None
    return tracking_events_record(
        carrier=update.carrier,
        tracking_number=update.tracking_number,
        events=update.events,
        source=adapter.name,
    )


def trackers_poll_due(*, now=None, batch: int = POLL_BATCH) -> int:
    """The periodic job: parcels whose label was bought through an account that tracks, not
    delivered nor returned, shipped within POLL_DAYS, neither polled nor updated for POLL_EVERY,
    oldest poll first — each asked once; an unanswered or refused poll waits its turn again.
    Answers how many were asked."""
    now = now or utcnow()
    bought = LabelPurchase.objects.filter(
        tracking_number=OuterRef("tracking_number"), status=LabelPurchase.BOUGHT
    ).order_by("-id")
    quiet = now - POLL_EVERY
    due = (
        Tracker.objects.exclude(status__in=DONE)
        .filter(created_at__gte=now - timedelta(days=POLL_DAYS), updated_at__lt=quiet)
        .filter(Q(polled_at__isnull=True) | Q(polled_at__lt=quiet))
        .annotate(
            account_id=Subquery(bought.values("account_id")[:1]),
            label_carrier=Subquery(bought.values("rate__carrier")[:1]),
        )
        .filter(account_id__isnull=False)
        .order_by("polled_at", "id")[:batch]
    )
    accounts = {a.pk: a for a in CarrierAccount.objects.filter(is_active=True)}
    adapters: dict[int, object] = {}  # each account's adapter made once per turn (key decrypted)
    asked = 0
    for tracker in list(due):
        Tracker.objects.filter(pk=tracker.pk).update(polled_at=now)
        account = accounts.get(tracker.account_id)
        if account is None:
            continue
        if account.pk not in adapters:
            adapters[account.pk] = carrier_adapter(account)
        adapter = adapters[account.pk]
        if not adapter.buys_labels:  # offline: no tracking
            continue
        asked += 1
        try:
            _poll(adapter, str(tracker.label_carrier or tracker.carrier), tracker.tracking_number)
        except DomainError as refused:  # the integration log has the call; the next turn asks
            log.warning("tracking poll of %s: %s", tracker.tracking_number, refused.message)
    return asked
