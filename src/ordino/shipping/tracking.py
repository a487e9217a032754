"""Tracking's use cases (docs/shipping.md, "Tracking"): a tracker per tracking number of a
shipment, carrier events recorded once each with the status only moving forward, and what a
status means for the rest of Ordino — told by outbox events wiring.py subscribes:

- `tracking.delivered` → the fulfillment order is delivered once every parcel of it is
  (`tracking_delivery_settle`, through fulfillment's own use case), and the order follows;
- `tracking.failed` (failure, return to sender) → one case in the inbox, reported once per
  tracker (`exception_reported_at`);
- `tracking.out_for_delivery`, when a tracker's status first reaches it (it only moves
  forward, so once) → the customer's e-mail (`shipping/notices/`), as the two above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.selectors import fulfillment_get
from ordino.fulfillment.services import fulfillment_deliver
from ordino.shipping.domain.tracking import (
    Applied,
    CarrierEvent,
    TrackerState,
    carrier_code,
    event_stored,
    tracker_fold,
    tracking_number_clean,
)
from ordino.shipping.domain.tracking_maps import (
    CASE_STATUSES,
    DELIVERED,
    OUT_FOR_DELIVERY,
    STATUSES,
)
from ordino.shipping.events import TrackingDelivered, TrackingFailed, TrackingOutForDelivery
from ordino.shipping.models import Tracker, TrackingEvent
from ordino.shipping.tracking_selectors import tracker_find

# A shipment to a store is not the customer's delivery: the store makes it ready for pickup.
_NOT_DELIVERED_BY_CARRIER = frozenset({"pickup", "ship_to_store"})


def trackers_create(
    *, shipment_id: int, fulfillment_order_id: int, carrier: str, tracking_numbers: Iterable[str]
) -> list[Tracker]:
    """A tracker for each tracking number of a shipment; a number tracked already keeps its
    tracker (a repeated delivery of the shipped event changes nothing)."""
    code = carrier_code(carrier)
    made = []
    with use_case_atomic():
        for number in dict.fromkeys(tracking_number_clean(n) for n in tracking_numbers):
            if not code or not number:
                continue
            tracker, _ = Tracker.objects.get_or_create(
                carrier=code, tracking_number=number,
                defaults={"shipment_id": shipment_id,
                          "fulfillment_order_id": fulfillment_order_id},
            )  # fmt: skip
            made.append(tracker)
    return made


@dataclass(frozen=True)
class Recorded:
    tracker: Tracker
    added: int
    duplicates: int
    status_before: str


def _state(tracker: Tracker) -> TrackerState:
    events = tuple(
        event_stored(
            identity=row.identity, status=row.status, occurred_at=row.occurred_at,
            description=row.description,
            location=row.location, carrier_event_id=row.carrier_event_id,
            carrier_status=row.carrier_status, carrier_substatus=row.carrier_substatus,
        )
        for row in TrackingEvent.objects.filter(tracker=tracker)
    )  # fmt: skip
    return TrackerState(status=tracker.status, timeline=events)


def tracking_events_record(
    *, carrier: str, tracking_number: str, events: Iterable[CarrierEvent], source: str
) -> Recorded:
    """Record a carrier's events for a parcel: each identity once, the status only forward, in
    one transaction under the tracker's row lock. Idempotent: the same events again add
    nothing and emit nothing."""
    with use_case_atomic():
        tracker = tracker_find(carrier=carrier, tracking_number=tracking_number, lock=True)
        applied = tracker_fold(_state(tracker), events)
        now = utcnow()
        TrackingEvent.objects.bulk_create([
            TrackingEvent(
                tracker=tracker, identity=e.identity, carrier_event_id=e.carrier_event_id,
                status=e.status, carrier_status=e.carrier_status,
                carrier_substatus=e.carrier_substatus, occurred_at=e.occurred_at,
                description=e.description, location=e.location, source=source[:16],
                received_at=now,
            )
            for e in applied.added
        ])  # fmt: skip
        if applied.added:
            _tracker_update(tracker, applied, now)
        return Recorded(tracker, len(applied.added), applied.duplicates, applied.before.status)


def _tracker_update(tracker: Tracker, applied: Applied, now) -> None:
    after = applied.after
    tracker.status = after.status
    tracker.action_required = after.action_required
    tracker.last_event_at = after.last_event_at
    tracker.updated_at = now
    if after.status == OUT_FOR_DELIVERY and applied.before.status != OUT_FOR_DELIVERY:
        _emit(TrackingOutForDelivery, tracker, applied)  # once: the status only moves forward
    if after.status == DELIVERED and tracker.delivered_at is None:
        tracker.delivered_at = now
        _emit(TrackingDelivered, tracker, applied)
    if after.status in CASE_STATUSES and tracker.exception_reported_at is None:
        tracker.exception_reported_at = now
        _emit(TrackingFailed, tracker, applied)
    tracker.save(update_fields=["status", "action_required", "last_event_at", "updated_at",
                                "delivered_at", "exception_reported_at"])  # fmt: skip


def _emit(event_class, tracker: Tracker, applied: Applied) -> None:
    status = applied.after.status
    latest = max((e for e in applied.after.timeline if e.status == status),
                 key=lambda e: e.occurred_at, default=None)  # fmt: skip
    order_id = fulfillment_get(fo_id=tracker.fulfillment_order_id).order_id
    event_emit(
        event=event_class(
            order_id=order_id, fulfillment_order_id=tracker.fulfillment_order_id,
            shipment_id=tracker.shipment_id, tracker_id=tracker.pk, carrier=tracker.carrier,
            tracking_number=tracker.tracking_number, status=status,
            description=latest.description if latest else STATUSES[status].label,
        ),
        aggregate_id=order_id,
    )  # fmt: skip


def tracking_delivery_settle(*, fulfillment_order_id: int) -> bool:
    """Deliver the fulfillment order when everything it shipped is delivered: it has shipped
    all it will (status shipped), to the customer (not to a store), and each of its parcels'
    trackers says delivered. True when it was delivered now; idempotent."""
    fo = fulfillment_get(fo_id=fulfillment_order_id)
    if fo.status != fs.SHIPPED or fo.delivery_method in _NOT_DELIVERED_BY_CARRIER:
        return False
    statuses = set(
        Tracker.objects.filter(fulfillment_order_id=fo.pk).values_list("status", flat=True)
    )
    if statuses != {DELIVERED}:
        return False
    carriers = sorted(
        set(Tracker.objects.filter(fulfillment_order_id=fo.pk).values_list("carrier", flat=True))
    )
    fulfillment_deliver(fo_id=fo.pk, actor=f"carrier:{','.join(carriers)}"[:128])
    return True
