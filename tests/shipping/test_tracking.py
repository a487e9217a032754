"""Tracking's use cases: a tracker per tracking number when a location ships, carrier events
recorded once each with the status only forward, delivered parcels delivering their
fulfillment order and order, a parcel that will not arrive opening one case."""

from __future__ import annotations

import pytest
from django.db import transaction

from ordino.cases.models import Case
from ordino.core.domain.errors import NotFound
from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.events import OrderShipped
from ordino.orders.models import Order
from ordino.shipping.domain import tracking_maps as tm
from ordino.shipping.events import TrackingFailed
from ordino.shipping.models import Tracker, TrackingEvent
from ordino.shipping.tracking import tracking_delivery_settle, tracking_events_record
from ordino.wiring import SUBSCRIBERS, trackers_on_shipped
from tests.factories import order_body, stock
from tests.shipping.tracked import event, shipped, worker_runs

pytestmark = pytest.mark.django_db


def record(*events, number="JD0001", carrier="DHL"):
    return tracking_events_record(carrier=carrier, tracking_number=number, events=events,
                                  source="test")  # fmt: skip


def test_shipping_makes_one_tracker_per_tracking_number_once(api, shop):
    # given an order shipped with two parcels
    ids = shipped(api, shop, numbers=("JD0001", "jd 0002"))
    # then each number has its tracker, belonging to the shipment
    trackers = list(Tracker.objects.order_by("tracking_number"))
    assert [(t.carrier, t.tracking_number, t.status) for t in trackers] == [
        ("dhl", "JD0001", "unknown"), ("dhl", "JD0002", "unknown")]  # fmt: skip
    assert {(t.shipment_id, t.fulfillment_order_id) for t in trackers} == {
        (ids["shipment_id"], ids["fo_id"])}  # fmt: skip
    # when the relay hands the shipped event out again (at least once)
    stored = OutboxEvent.objects.get(name=OrderShipped.name)
    trackers_on_shipped(OrderShipped.from_payload(stored.payload))
    # then nothing more is made
    assert Tracker.objects.count() == 2


def test_events_out_of_order_and_twice_give_one_timeline_and_only_forward(api, shop):
    shipped(api, shop)
    first = record(event(tm.IN_TRANSIT, 60, text="hub"), event(tm.PRE_TRANSIT, 0))
    assert (first.added, first.duplicates, first.tracker.status) == (2, 0, tm.IN_TRANSIT)
    # a late label scan, the hub scan again, and the van
    later = record(event(tm.PRE_TRANSIT, 0), event(tm.IN_TRANSIT, 60, text="hub"),
                   event(tm.OUT_FOR_DELIVERY, 120, eid="V1"),
                   event(tm.PRE_TRANSIT, 5, text="label again"))  # fmt: skip
    tracker = Tracker.objects.get()
    assert (later.added, later.duplicates) == (2, 2)
    assert (tracker.status, tracker.action_required) == (tm.OUT_FOR_DELIVERY, False)
    assert list(TrackingEvent.objects.order_by("occurred_at").values_list(
        "description", "status")) == [
        ("pre transit", "pre_transit"), ("label again", "pre_transit"), ("hub", "in_transit"),
        ("out for delivery", "out_for_delivery")]  # fmt: skip
    assert tracker.last_event_at == event(tm.OUT_FOR_DELIVERY, 120).occurred_at


def test_the_same_events_again_change_nothing_and_emit_nothing(api, shop):
    shipped(api, shop)
    record(event(tm.IN_TRANSIT, 1), event(tm.DELIVERED, 9))
    before = (OutboxEvent.objects.count(), TrackingEvent.objects.count())
    again = record(event(tm.DELIVERED, 9), event(tm.IN_TRANSIT, 1))
    assert (again.added, again.duplicates) == (0, 2)
    assert (OutboxEvent.objects.count(), TrackingEvent.objects.count()) == before


def test_delivered_parcels_deliver_the_fulfillment_order_and_the_order(api, shop):
    # given a shipment of two parcels
    ids = shipped(api, shop, numbers=("JD0001", "JD0002"))
    # when the first is delivered
    record(event(tm.DELIVERED, 30), number="JD0001")
    worker_runs()
    # then the fulfillment order waits for the second
    assert FulfillmentOrder.objects.get(pk=ids["fo_id"]).status == "shipped"
    # when the second is delivered too
    record(event(tm.DELIVERED, 45), number="JD0002")
    worker_runs()
    # then the fulfillment order and the order are delivered, by the carrier
    fo = FulfillmentOrder.objects.get(pk=ids["fo_id"])
    order = Order.objects.get(pk=ids["order_id"])
    assert (fo.status, order.status) == ("delivered", "delivered")
    assert order.timeline.filter(kind="delivered", actor="carrier:dhl").count() == 1
    # and the delivered events again change nothing
    record(event(tm.DELIVERED, 45), number="JD0002")
    worker_runs()
    assert order.timeline.filter(kind="delivered").count() == 1


def test_a_failure_opens_one_case_which_a_late_delivery_resolves(api, shop):
    ids = shipped(api, shop)
    # when the carrier says lost, twice, and the relay delivers the event twice
    record(event(tm.FAILURE, 30, eid="L1", text="Package lost"))
    record(event(tm.FAILURE, 30, eid="L1", text="Package lost"), event(tm.FAILURE, 31))
    failed = OutboxEvent.objects.filter(name="tracking.failed")
    assert failed.count() == 1
    worker_runs()
    for subscriber in SUBSCRIBERS[TrackingFailed]:  # the relay hands it out again
        subscriber(TrackingFailed.from_payload(failed.get().payload))
    # then one case, about the order and its fulfillment order, needs a person
    case = Case.objects.get()
    assert (case.type.code, case.status, case.order_id, case.fulfillment_order_id) == (
        "delivery_failed", "new", ids["order_id"], ids["fo_id"])  # fmt: skip
    assert "dhl JD0001 failure (Package lost)" in case.title
    assert Tracker.objects.get().action_required is True
    # when the parcel is found and delivered after all
    record(event(tm.DELIVERED, 300))
    worker_runs()
    # then the case resolved by itself and the order is delivered
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
    assert Order.objects.get(pk=ids["order_id"]).status == "delivered"


def test_return_to_sender_outranks_delivered_and_delivers_nothing(api, shop):
    ids = shipped(api, shop)
    record(event(tm.RETURN_TO_SENDER, 100), event(tm.DELIVERED, 200, text="delivered to sender"))
    worker_runs()
    tracker = Tracker.objects.get()
    assert (tracker.status, tracker.action_required, tracker.delivered_at) == (
        tm.RETURN_TO_SENDER, True, None)  # fmt: skip
    assert FulfillmentOrder.objects.get(pk=ids["fo_id"]).status == "shipped"
    assert Case.objects.get().type.code == "delivery_failed"


def test_an_unknown_parcel_is_404_and_writes_nothing(api, shop):
    shipped(api, shop)
    before = (OutboxEvent.objects.count(), TrackingEvent.objects.count())
    with pytest.raises(NotFound), transaction.atomic():
        record(event(tm.DELIVERED, 1), number="NOPE")
    assert (OutboxEvent.objects.count(), TrackingEvent.objects.count()) == before


def test_a_carrier_named_otherwise_finds_the_one_parcel_of_that_number(api, shop):
    shipped(api, shop, carrier="DHL Paket")
    assert record(event(tm.IN_TRANSIT, 1), carrier="dhl_paket").added == 1
    assert record(event(tm.IN_TRANSIT, 2), carrier="easypost-dhl").added == 1


def test_a_parcel_to_a_store_delivered_leaves_the_store_to_make_it_ready(api, shop):
    # given a ship-to-store order shipped from WH-A to STORE-1
    stock(shop["wh_a"], shop["TEE"], 5)
    order = api.post(
        "/orders",
        order_body(
            "W-STS",
            delivery_method="ship_to_store",
            pickup_location="STORE-1",
            shipping_address=None,
        ),
    )
    assert order.status_code == 201, order.content
    fo = FulfillmentOrder.objects.get(order_id=order.json()["id"])
    shipping = {"carrier": "DHL", "tracking_numbers": ["STS1"]}
    assert api.post(f"/fulfillment/orders/{fo.pk}/ship", shipping).status_code == 200
    worker_runs()
    # when the carrier delivers it to the store
    record(event(tm.DELIVERED, 30), number="STS1")
    worker_runs()
    # then the parcel is delivered, but the customer's order waits for the store
    assert Tracker.objects.get().status == tm.DELIVERED
    assert FulfillmentOrder.objects.get(pk=fo.pk).status == "shipped"
    assert tracking_delivery_settle(fulfillment_order_id=fo.pk) is False
