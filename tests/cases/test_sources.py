"""Every fault injected appears in the inbox exactly once (docs/cases.md, "Where cases come
from"): each source of cases is injected once — as its owning module reports it — the worker
delivers the outbox and sweeps, twice, and every event is delivered again: one case per fault.
A cause that goes away resolves its case by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ordino.cases.domain import types as t
from ordino.cases.models import Case
from ordino.cases.services import cases_sweep
from ordino.connectors.services import ConnectionSettings, connection_create, message_store
from ordino.connectors.services.ingest import message_process
from ordino.core.domain.clock import clock_pinned, utcnow
from ordino.events.models import OutboxEvent
from ordino.events.services import event_emit
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import fulfillment_reject, fulfillment_ship
from ordino.orders import events as orders
from ordino.orders.models import OrderTimelineEntry
from ordino.orders.services import backorders_fill
from ordino.payments.events import (
    PaymentAuthorizationExpiring,
    PaymentAuthorized,
    PaymentDeclined,
    PaymentRefundedOutside,
    RefundReversed,
)
from ordino.payments.models import Payment
from ordino.returns.events import ReturnReceived
from ordino.returns.services.refund import return_refund_issue
from ordino.shipping.domain.tracking import event_make
from ordino.shipping.tracking import tracking_events_record
from tests.cases.conftest import cases_of, work
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


def card(token: str) -> dict:
    return {"method": "card", "provider": "test", "token": token}


def inject_every_fault(api, shop) -> dict:
    """One fault of each source; answers the orders they concern."""
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    faults = {}
    # a declined card (payments' real provider call)
    declined = api.post("/orders", order_body("W-DECL", payments=[card("tok_decline")])).json()
    faults[t.PAYMENT_DECLINED] = declined["id"]
    # rejected at the only location that has the stock: re-routed nowhere
    rejected = api.post("/orders", order_body("W-REJ")).json()
    fulfillment_reject(fo_id=rejected["fulfillment_orders"][0]["id"], reason="damaged",
                       actor="user:store")  # fmt: skip
    faults[t.REJECTED_EVERYWHERE] = rejected["id"]
    # backordered (no stock at all), three days ago
    with clock_pinned(utcnow() - timedelta(hours=80)):
        late = api.post("/orders", order_body("W-LATE", lines=[
            {"sku": "CAP", "quantity": 1, "unit_price": "5.00"}])).json()  # fmt: skip
    faults[t.BACKORDER_OVERDUE] = late["id"]
    # a pickup not collected and sourcing's review: as orders reports them
    base = api.post("/orders", order_body("W-PICK")).json()
    fo_id = FulfillmentOrder.objects.filter(order_id=base["id"]).values_list("pk", flat=True)[0]
    event_emit(event=orders.OrderPickupExpired(order_id=base["id"], status="cancelled",
               details={"fulfillment_order_id": fo_id}), aggregate_id=base["id"])  # fmt: skip
    faults[t.PICKUP_UNCOLLECTED] = base["id"]
    review = api.post("/orders", order_body("W-REV")).json()
    event_emit(event=orders.OrderCaptured(order_id=review["id"], status="open",
               details={"sourcing": {"outcome": "review"}}), aggregate_id=review["id"])  # fmt: skip
    faults[t.SOURCING_REVIEW] = review["id"]
    # no location reaches an order's address: as sourcing's decision reports it
    far = api.post("/orders", order_body("W-FAR")).json()
    unserved = {"outcome": "backorder", "address_unserved": "WH-A: distance unknown"}
    event_emit(event=orders.OrderCaptured(order_id=far["id"], status="open",
               details={"sourcing": unserved}), aggregate_id=far["id"])  # fmt: skip
    faults[t.ADDRESS_UNSHIPPABLE] = far["id"]
    # a return's refund that payments refuses (nothing was captured)
    return_refund_issue(ReturnReceived(
        return_id=7, number="R-7", order_id=review["id"], state="received",
        details={"receipt": 1, "refund": [{"line_no": 1, "quantity": 1}]}))  # fmt: skip
    faults[t.REFUND_REFUSED] = review["id"]
    # fraud screening's high score (docs/risk.md): a throwaway e-mail, billed elsewhere by another
    risky = order_body("W-FRAUD")
    risky["customer"] = {**risky["customer"], "email": "ada@mailinator.com"}
    risky["billing_address"] = {**risky["shipping_address"], "country": "FR", "name": "Bob Smith"}
    faults[t.FRAUD_REVIEW] = api.post("/orders", risky).json()["id"]
    # a refund that failed after the provider took it, a refund at the provider beyond what
    # was captured, an authorization that could not be renewed: as payments reports them
    money = {"order_id": base["id"], "amount": "10.00", "currency": "EUR"}
    event_emit(event=RefundReversed(refund_id=3, message="lost_or_stolen_card", **money),
               aggregate_id=base["id"])  # fmt: skip
    faults[t.REFUND_FAILED] = base["id"]
    card_of = {**money, "order_id": declined["id"],
               "payment_id": Payment.objects.get(order_id=declined["id"]).pk}  # fmt: skip
    event_emit(event=PaymentRefundedOutside(unbooked="2.00", **card_of),
               aggregate_id=declined["id"])  # fmt: skip
    faults[t.REFUND_UNMATCHED] = declined["id"]
    event_emit(event=PaymentAuthorizationExpiring(message="declined", **card_of),
               aggregate_id=declined["id"])  # fmt: skip
    faults[t.AUTHORIZATION_EXPIRING] = declined["id"]
    # a channel's order that cannot be imported: as the connector core reports it
    connection = connection_create(channel="web", values=ConnectionSettings(
        platform="shopify", base_url="https://faults.myshopify.com", access_token="shpat_t",
        webhook_secret="s", poll_interval_seconds=0,
    ))  # fmt: skip
    unmappable, _ = message_store(connection=connection, source="webhook", raw_body='{"id": 9}',
                                  delivery_id="d-fault", topic="orders/create")  # fmt: skip
    faults[t.INTEGRATION_FAILURE] = message_process(message_id=unmappable.pk).pk
    # a parcel lost: as tracking records its carrier's event (docs/shipping.md, "Tracking")
    lost = api.post("/orders", order_body("W-LOST")).json()
    fo_id = lost["fulfillment_orders"][0]["id"]
    fulfillment_ship(fo_id=fo_id, carrier="DHL", tracking_numbers=["LOST1"], actor="user:wh")
    work()  # the shipped event makes the parcel's tracker
    lost_scan = event_make(status="failure", occurred_at=utcnow(), description="Package lost")
    tracking_events_record(carrier="DHL", tracking_number="LOST1", source="test",
                           events=[lost_scan])  # fmt: skip
    faults[t.DELIVERY_FAILED] = lost["id"]
    # an outbox event the relay gave up on
    dead = event_emit(event=orders.OrderEdited(order_id=base["id"], status="open"),
                      aggregate_id=base["id"])  # fmt: skip
    OutboxEvent.objects.filter(pk=dead.pk).update(dead=True, attempts=8)
    faults[t.DEAD_EVENT] = dead.pk
    # a customer's inquiry, through the API
    asked = api.post("/cases", {"title": "Where is my parcel?", "order_id": base["id"]})
    assert asked.status_code == 201
    faults[t.INQUIRY] = base["id"]
    # a hold rule's hold and an approval rule's, each on an order of its own postal code
    for code, kind, zipcode in (("zip-hold", "hold", "11111"), ("zip-ok", "approval", "22222")):
        rule = {
            "code": code,
            "name": code,
            "reason": f"to {zipcode}",
            "kind": kind,
            "release_permission": "approve" if kind == "approval" else "",
            "condition": {"fact": "destination.postal_code", "op": "eq", "value": zipcode},
        }
        assert api.post("/holds/rules", rule).status_code == 201
        assert api.post(f"/holds/rules/{code}/versions/1/activate", {}).status_code == 200
        body = order_body(f"W-{zipcode}")
        body["shipping_address"] = {**body["shipping_address"], "postal_code": zipcode}
        held = api.post("/orders", body).json()
        assert held["status"] == "on_hold"
        faults[t.ORDER_HOLD if kind == "hold" else t.APPROVAL_REQUIRED] = held["id"]
    return faults


def test_each_fault_opens_exactly_one_case(api, shop):
    # given one fault of each source
    faults = inject_every_fault(api, shop)
    # when the worker delivers and sweeps twice, and every event is delivered once more
    for _ in range(2):
        work()
        cases_sweep()
    OutboxEvent.objects.update(delivered_at=None, claimed_at=None)
    work()
    cases_sweep()
    # then the inbox has exactly one case per fault
    counts = {code: Case.objects.filter(type__code=code).count() for code in t.BUILTIN}
    assert counts == dict.fromkeys(t.BUILTIN, 1)
    assert {c.type.code: c.status for c in Case.objects.select_related("type")} == dict.fromkeys(
        t.BUILTIN, "new"
    )
    declined = cases_of(t.PAYMENT_DECLINED)[0]
    assert declined.order_id == faults[t.PAYMENT_DECLINED]
    assert declined.payment_id == Payment.objects.get(order_id=declined.order_id).pk
    assert cases_of(t.DEAD_EVENT)[0].data == {"event_id": faults[t.DEAD_EVENT]}
    # and each case about an order shows on its timeline
    opened = OrderTimelineEntry.objects.filter(kind="case_created")
    assert opened.count() == 16  # every fault here concerns an order (the dead event's too)
    assert cases_of(t.APPROVAL_REQUIRED)[0].order_id == faults[t.APPROVAL_REQUIRED]
    assert cases_of(t.FRAUD_REVIEW)[0].order_id == faults[t.FRAUD_REVIEW]
    assert cases_of(t.ADDRESS_UNSHIPPABLE)[0].order_id == faults[t.ADDRESS_UNSHIPPABLE]


def test_a_cause_that_goes_away_resolves_its_case(api, shop):
    # given a declined payment's case
    order = api.post("/orders", order_body("W-1", payments=[card("tok_decline")])).json()
    work()
    (case,) = cases_of(t.PAYMENT_DECLINED)
    # when the payment is authorized after all (the customer fixed their card)
    payment = Payment.objects.get(order_id=order["id"])
    event_emit(event=PaymentAuthorized(order_id=order["id"], payment_id=payment.pk,
               amount="49.48", currency="EUR"), aggregate_id=order["id"])  # fmt: skip
    work()
    # then the case resolved by itself, and says why
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
    assert case.activities.last().message == "Resolved by itself: the payment was authorized"
    # and the same cause again opens a new case
    event_emit(event=PaymentDeclined(
        order_id=order["id"], payment_id=payment.pk, amount="49.48", currency="EUR"),
        aggregate_id=order["id"])  # fmt: skip
    work()
    assert [c.status for c in cases_of(t.PAYMENT_DECLINED)] == ["resolved", "new"]


def test_a_filled_backorder_and_a_dead_event_replayed_resolve_their_cases(api, shop):
    # given an order backordered for 80 hours and a dead event, with their cases
    with clock_pinned(utcnow() - timedelta(hours=80)):
        late = api.post("/orders", order_body("W-LATE", lines=[
            {"sku": "CAP", "quantity": 1, "unit_price": "5.00"}])).json()  # fmt: skip
    dead = event_emit(event=orders.OrderEdited(order_id=late["id"], status="open"),
                      aggregate_id=late["id"])  # fmt: skip
    OutboxEvent.objects.filter(pk=dead.pk).update(dead=True)
    work()
    assert cases_sweep() == 2
    # when stock arrives (the backorder fills) and the event is replayed
    stock(shop["wh_a"], shop["CAP"], 5)
    assert backorders_fill(sku_ids=None) == 1
    OutboxEvent.objects.filter(pk=dead.pk).update(dead=False)
    work()
    assert cases_sweep() == 0
    # then both cases resolved by themselves
    assert [c.resolution for c in cases_of(t.BACKORDER_OVERDUE)] == ["cause_gone"]
    assert [c.resolution for c in cases_of(t.DEAD_EVENT)] == ["cause_gone"]


def test_a_young_backorder_opens_no_case(api, shop):
    api.post("/orders", order_body("W-NEW", lines=[{"sku": "CAP", "quantity": 1,
                                                    "unit_price": "5.00"}]))  # fmt: skip
    work()
    assert cases_sweep() == 0
    assert Case.objects.count() == 0
