"""Stateful model test (issue 4, reliability item 1): random sequences of what people and channels
do to Ordino (receive, adjust, count, transfer, damage, capture, cancel, edit, accept, ship,
deliver, reject, pickup, backorder fill), with every invariant checked after every step.

The machine calls the services directly, each one in its own transaction as the CLI does
(`transaction=True`), so a refused call is rolled back by Ordino itself, not by the test. Each
example builds a world of its own (fresh channel, location and SKU codes: see
`stateful/world.py`), so examples never see each other's stock, and nothing needs deleting.

Where the parts are, in `stateful/`: `model.py` (the model's state, `attempt`, what it predicts),
`inventory_rules.py`, `order_rules.py` and `fulfillment_rules.py` (the rules, by concern),
`machine.py` (the machine: rules + the invariant after every step, and the run's settings),
`checks.py` (the invariants read from the database), `world.py` (a world and its snapshot).
This file runs the machine and keeps the regression tests of the bugs it found.

Invariants (stateful/checks.py, plus the model in stateful/model.py):
- balances: no negative quantity, committed ≤ on hand − unavailable; balances = the ledger;
- on hand, unavailable, incoming and safety stock per (location, SKU) are what the model
  predicts from the operations it ran (units in − units out = on hand);
- committed = Σ open fulfillment line items × units per item at that location;
- order lines: ordered = cancelled + backordered + allocated + shipped, delivered ≤ shipped,
  and they agree with their fulfillment lines (allocated = open, shipped, delivered);
- fulfillment lines add up; a fulfillment order's status agrees with its lines;
- money: current total = grand total + Σ change deltas = shipping + Σ line values ≥ 0;
- the order's status is what its buckets call for;
- reservations never take more than was sellable (safety stock is held back);
- a refused call (DomainError) changes nothing, and no single-writer call ever loses a race.

Money, returns, exchanges and refunds are modelled by the money model:
tests/reliability/test_money_model.py.

Run longer locally: ORDINO_STATEFUL_EXAMPLES=500 ORDINO_STATEFUL_STEPS=60 pytest <this file>.
"""

from __future__ import annotations

import pytest
from hypothesis.stateful import run_state_machine_as_test

from ordino.core.domain.errors import DomainError
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import (
    fulfillment_accept,
    fulfillment_deliver,
    fulfillment_ready_for_pickup,
    fulfillment_ship,
)
from ordino.orders.models import Order
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_cancel, order_capture
from tests.factories import order_body, stock
from tests.reliability.stateful.machine import EXAMPLES, OrdinoMachine
from tests.reliability.stateful.model import TALLY

# Each of these must have succeeded at least once over the run, so the machine cannot
# silently drift into only refused calls.
MUST_SUCCEED = ("receive", "transfer_send", "capture", "cancel", "ship", "reject")


@pytest.mark.django_db(transaction=True)
def test_stateful_model():
    TALLY.clear()
    run_state_machine_as_test(OrdinoMachine, settings=OrdinoMachine.TestCase.settings)
    print("\n".join(f"{n:6} {what}" for what, n in sorted(TALLY.items())))
    if EXAMPLES >= 20:
        missing = [what for what in MUST_SUCCEED if not TALLY[f"{what} done"]]
        assert not missing, f"never succeeded over the run: {missing}"


# --- the bugs the machine found, fixed: their reproductions stay as regression tests --------


def _capture_tees(shop, external_id: str, quantity: int = 2) -> int:
    """An order for `quantity` tees, all reserved at WH-A; returns its fulfillment order id."""
    body = order_body(external_id, lines=[{"sku": "TEE", "quantity": quantity, "unit_price": "10"}])
    order = order_capture(command=OrderCreateIn(**body).command(), actor="test").order
    return order.fulfillment_orders.get().pk


def _outcome(call) -> str:
    try:
        call()
    except DomainError as exc:
        return exc.code
    return "done"


def test_bug_cancelling_the_rest_after_a_partial_shipment_strands_the_fulfillment_order(shop):
    stock(shop["wh_a"], shop["TEE"], 2)
    fo_id = _capture_tees(shop, "W-1")
    fulfillment_accept(fo_id=fo_id, actor="test")
    fulfillment_ship(
        fo_id=fo_id, carrier="DHL", tracking_numbers=["JD1"], lines=[(1, 1)], actor="test"
    )
    fo = FulfillmentOrder.objects.get(pk=fo_id)
    order_cancel(order_id=fo.order_id, lines=None, reason="the rest is not wanted", actor="test")
    fo.refresh_from_db()
    assert fo.status == "shipped"  # everything it still had is shipped
    fulfillment_deliver(fo_id=fo_id, actor="test")
    assert Order.objects.get(pk=fo.order_id).status == "delivered"


def test_bug_a_ship_to_store_order_is_collected_before_it_reached_the_store(shop):
    stock(shop["wh_a"], shop["TEE"], 2)
    body = order_body(
        "W-1",
        lines=[{"sku": "TEE", "quantity": 1, "unit_price": "10"}],
        delivery_method="ship_to_store",
        pickup_location="STORE-1",
    )
    order = order_capture(command=OrderCreateIn(**body).command(), actor="test").order
    fo = order.fulfillment_orders.get()
    assert fo.location_id == shop["wh_a"].pk  # sourced like a shipment, to the store
    refused = _outcome(lambda: fulfillment_ready_for_pickup(fo_id=fo.pk, actor="test"))
    assert refused == "not_arrived", "ready for pickup at the store while the goods are at WH-A"


def test_bug_cancelling_the_rest_of_a_delivered_order_leaves_it_shipped(shop):
    stock(shop["wh_a"], shop["TEE"], 1)
    stock(shop["wh_b"], shop["MUG"], 1)
    lines = [
        {"sku": "TEE", "quantity": 1, "unit_price": "10"},
        {"sku": "MUG", "quantity": 1, "unit_price": "5"},
    ]
    order = order_capture(
        command=OrderCreateIn(**order_body("W-1", lines=lines)).command(), actor="t"
    ).order
    tee_fo = order.fulfillment_orders.get(location=shop["wh_a"])
    fulfillment_ship(fo_id=tee_fo.pk, carrier="DHL", tracking_numbers=["JD1"], actor="t")
    fulfillment_deliver(fo_id=tee_fo.pk, actor="t")
    order_cancel(order_id=order.pk, lines=None, reason="the mug is not wanted", actor="t")
    order.refresh_from_db()
    assert order.status == "delivered"  # everything that was not cancelled was delivered


def test_bug_delivering_twice_answers_a_retryable_conflict(shop):
    stock(shop["wh_a"], shop["TEE"], 1)
    fo_id = _capture_tees(shop, "W-1", quantity=1)
    fulfillment_ship(fo_id=fo_id, carrier="DHL", tracking_numbers=["JD1"], actor="t")
    fulfillment_deliver(fo_id=fo_id, actor="t")
    again = _outcome(lambda: fulfillment_deliver(fo_id=fo_id, actor="t"))
    # a second delivery is refused by the state table (not a retryable conflict, not done twice)
    assert again == "invalid_fulfillment_transition"
