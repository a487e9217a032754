"""Counts and safety stock set a target from what they read: concurrent callers must not apply
the same difference twice. Real transactions on PostgreSQL, one connection per thread."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ordino.core.transactions import use_case_atomic
from ordino.inventory import services
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.feed import stock_feed_apply
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockMovement
from tests.factories import make_location, make_sku
from tests.inventory.helpers import balance_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers: PostgreSQL"
    ),
]

WRITERS = 8


def race(action) -> list[BaseException]:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            action()
        except BaseException as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_counts_of_the_same_shelf_apply_the_difference_once():
    # Given 100 mugs on hand
    wh, mug = make_location("WH1"), make_sku("MUG")
    services.stock_receive(location_code="WH1", sku_code="MUG", quantity=100, actor="t")
    # When eight people record the same count of 40 at the same moment
    errors = race(
        lambda: services.stock_count(location_code="WH1", sku_code="MUG", counted=40, actor="t")
    )
    # Then on hand is 40, with exactly one count movement of 60, and the ledger agrees
    assert errors == []
    assert balance_of(wh, mug)["on_hand"] == 40
    assert list(
        StockMovement.objects.filter(reason="count").values_list("from_state", "quantity")
    ) == [("available", 60)]
    assert services.inventory_check().ok


def test_concurrent_safety_stock_settings_do_not_add_up():
    wh, mug = make_location("WH1"), make_sku("MUG")
    services.stock_receive(location_code="WH1", sku_code="MUG", quantity=10, actor="t")
    errors = race(
        lambda: services.stock_safety_set(
            location_code="WH1", sku_code="MUG", quantity=7, actor="t"
        )
    )
    assert errors == []
    assert balance_of(wh, mug)["safety_stock"] == 7
    assert StockMovement.objects.filter(reason="safety_stock").count() == 1
    assert services.inventory_check().ok


def test_concurrent_receipts_of_one_transfer_never_receive_more_than_was_sent():
    make_location("WH1"), make_location("ST1")
    make_sku("MUG")
    services.stock_receive(location_code="WH1", sku_code="MUG", quantity=10, actor="t")
    transfer = services.stock_transfer_send(
        source_code="WH1", destination_code="ST1", sku_code="MUG", quantity=5, actor="t"
    ).transfer
    # When eight receivers each try to receive 2 of the 5 units in transit
    errors = race(
        lambda: services.stock_transfer_receive(transfer_id=transfer.id, quantity=2, actor="t")
    )
    # Then only two succeed; the others are told why, and the ledger agrees
    transfer.refresh_from_db()
    assert transfer.quantity_received == 4
    assert len(errors) == WRITERS - 2
    assert {getattr(e, "code", repr(e)) for e in errors} <= {
        "quantity_exceeds_in_transit",
        "transfer_changed",
    }
    assert services.inventory_check().ok


@pytest.mark.parametrize(("counted", "applied", "refused"), [(8, 1, 0), (5, 0, 1)])
def test_a_feed_waits_for_a_reservation_in_flight_and_counts_against_it(counted, applied, refused):
    # Given 10 mugs, and an order's transaction that has reserved 6 and not yet committed
    wh, mug = make_location("WH1"), make_sku("MUG")
    services.stock_receive(location_code="WH1", sku_code="MUG", quantity=10, actor="t")
    reserved, release = threading.Event(), threading.Event()

    def reserve() -> None:
        try:
            with use_case_atomic():
                movements_apply(
                    [Movement(wh.pk, mug.pk, AVAILABLE, COMMITTED, 6)],
                    context=LedgerContext(reason="reserve"),
                )
                reserved.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    order = threading.Thread(target=reserve)
    order.start()
    assert reserved.wait(timeout=10)
    # When a feed counts the shelf meanwhile (its lock waits for the order's commit)
    threading.Timer(0.3, release.set).start()
    feed = stock_feed_apply(rows_or_file=[("WH1", "MUG", counted)], actor="t")
    order.join()
    # Then the reservation is kept, the count is judged against it, and the ledger agrees
    assert (feed.applied, feed.refused) == (applied, refused)
    balance = balance_of(wh, mug)
    assert (balance["on_hand"], balance["committed"]) == (counted if applied else 10, 6)
    assert StockMovement.objects.filter(reason="feed").count() == applied
    assert services.inventory_check().ok
