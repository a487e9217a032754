"""Inventory use cases: ledger movements with actor and reference; a refusal changes nothing."""

from __future__ import annotations

import pytest

from ordino.core.domain.errors import NotFound
from ordino.events.models import OutboxEvent
from ordino.inventory import services
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, balances_lock, movements_apply
from ordino.inventory.models import StockBalance, StockMovement, StockTransfer
from tests.factories import make_kit, make_location, make_sku
from tests.inventory.helpers import balance_of, refused

pytestmark = pytest.mark.django_db

ZERO = {"on_hand": 0, "committed": 0, "safety_stock": 0, "unavailable": 0, "incoming": 0}


@pytest.fixture
def wh():
    return make_location("WH1")


@pytest.fixture
def store():
    return make_location("ST1", kind="store")


@pytest.fixture
def mug():
    return make_sku("MUG")


def receive(location, sku, quantity, **extra):
    return services.stock_receive(
        location_code=location.code, sku_code=sku.code, quantity=quantity, actor="test", **extra
    )


# --- receive ----------------------------------------------------------------------------------


def test_receiving_makes_units_available_and_writes_one_movement(wh, mug):
    # Given an empty warehouse
    # When 10 mugs arrive against PO-1
    change = services.stock_receive(
        location_code="WH1", sku_code="MUG", quantity=10, actor="alice", reference="PO-1"
    )
    # Then they are on hand and available, and the ledger says who, why and from where
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 10}
    assert change.balances[0].available == 10
    movement = StockMovement.objects.get()
    assert change.movement_ids == [movement.id]
    assert (movement.from_state, movement.to_state, movement.quantity) == (
        "external",
        "available",
        10,
    )
    assert (movement.reason, movement.actor, movement.reference) == ("receipt", "alice", "PO-1")
    event = OutboxEvent.objects.get()
    assert event.name == "inventory.stock_received"
    assert event.payload["movement_ids"] == [movement.id]


@pytest.mark.parametrize("quantity", [0, -3])
def test_receiving_nothing_or_less_is_refused(wh, mug, quantity):
    receive(wh, mug, 5)
    with refused("quantity_invalid") as caught:
        receive(wh, mug, quantity)
    assert caught.value.errors[0]["field"] == "quantity"


def test_receiving_an_unknown_sku_or_location_is_not_found(wh, mug):
    with refused("sku_not_found") as caught:
        services.stock_receive(location_code="WH1", sku_code="NOPE", quantity=1, actor="t")
    assert isinstance(caught.value, NotFound)
    assert caught.value.errors[0]["field"] == "sku"
    with refused("location_not_found"):
        services.stock_receive(location_code="NOWHERE", sku_code="MUG", quantity=1, actor="t")


def test_a_kit_cannot_be_stocked(wh, mug):
    make_kit("GIFTBOX", [(mug, 2)])
    with refused("kit_not_stockable") as caught:
        services.stock_receive(location_code="WH1", sku_code="GIFTBOX", quantity=1, actor="t")
    assert "computed from its components" in caught.value.message


def test_expected_stock_is_incoming_until_received(wh, mug):
    # Given a purchase order of 8 mugs
    services.stock_incoming_expect(
        location_code="WH1", sku_code="MUG", quantity=8, actor="t", reference="PO-9"
    )
    assert balance_of(wh, mug) == {**ZERO, "incoming": 8}
    # When 5 arrive against it
    receive(wh, mug, 5, expected=True)
    # Then they leave incoming and become on hand
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 5, "incoming": 3}
    # And the rest is cancelled
    services.stock_incoming_cancel(location_code="WH1", sku_code="MUG", quantity=3, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 5}


def test_receiving_more_than_expected_against_incoming_is_refused(wh, mug):
    services.stock_incoming_expect(location_code="WH1", sku_code="MUG", quantity=2, actor="t")
    with refused("insufficient_stock"):
        receive(wh, mug, 3, expected=True)


# --- adjust -----------------------------------------------------------------------------------


def test_adjustments_add_and_remove_with_a_reason(wh, mug):
    receive(wh, mug, 10)
    services.stock_adjust(
        location_code="WH1", sku_code="MUG", delta=2, reason="found", actor="t", note="shelf B"
    )
    change = services.stock_adjust(
        location_code="WH1", sku_code="MUG", delta=-5, reason="theft", actor="t"
    )
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 7}
    last = StockMovement.objects.get(pk=change.movement_ids[0])
    assert (last.from_state, last.to_state, last.quantity, last.reason) == (
        "available",
        "external",
        5,
        "theft",
    )
    assert list(StockMovement.objects.values_list("reason", flat=True).order_by("id")) == [
        "receipt",
        "found",
        "theft",
    ]


def test_an_adjustment_with_an_unknown_reason_is_refused(wh, mug):
    receive(wh, mug, 10)
    with refused("reason_invalid"):
        services.stock_adjust(location_code="WH1", sku_code="MUG", delta=-1, reason="x", actor="t")


def test_an_adjustment_cannot_remove_committed_units(wh, mug):
    # Given 10 on hand of which 8 are committed to orders (as the order module does)
    receive(wh, mug, 10)
    _commit(wh, mug, 8)
    # When 3 units are written off as lost, Then it is refused: only 2 are free
    with refused("insufficient_stock"):
        services.stock_adjust(
            location_code="WH1", sku_code="MUG", delta=-3, reason="lost", actor="t"
        )
    services.stock_adjust(location_code="WH1", sku_code="MUG", delta=-2, reason="lost", actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 8, "committed": 8}


def _commit(location, sku, quantity):
    movements_apply(
        [Movement(location.id, sku.id, AVAILABLE, COMMITTED, quantity)],
        context=LedgerContext(reason="reservation", reference="order:1"),
        respect_safety=True,
    )


# --- count ------------------------------------------------------------------------------------


def test_a_count_sets_on_hand_with_one_movement_of_the_difference(wh, mug):
    receive(wh, mug, 10)
    change = services.stock_count(
        location_code="WH1", sku_code="MUG", counted=7, actor="bob", reference="CC-1"
    )
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 7}
    movement = StockMovement.objects.get(pk=change.movement_ids[0])
    assert (movement.from_state, movement.to_state, movement.quantity, movement.reason) == (
        "available",
        "external",
        3,
        "count",
    )
    services.stock_count(location_code="WH1", sku_code="MUG", counted=12, actor="bob")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 12}


def test_a_count_that_matches_writes_nothing(wh, mug):
    receive(wh, mug, 10)
    change = services.stock_count(location_code="WH1", sku_code="MUG", counted=10, actor="t")
    assert change.movement_ids == []
    assert StockMovement.objects.count() == 1


def test_a_count_of_a_never_stocked_sku_creates_its_balance(wh, mug):
    services.stock_count(location_code="WH1", sku_code="MUG", counted=4, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 4}


def test_a_count_below_committed_is_refused_with_a_clear_message(wh, mug):
    receive(wh, mug, 10)
    _commit(wh, mug, 6)
    with refused("count_below_committed") as caught:
        services.stock_count(location_code="WH1", sku_code="MUG", counted=5, actor="t")
    assert caught.value.message.startswith(
        "Cannot set on hand to 5: 6 unit(s) are committed to orders and 0 are unavailable"
    )
    assert caught.value.errors[0]["field"] == "counted"


def test_a_negative_count_is_refused(wh, mug):
    with refused("quantity_invalid"):
        services.stock_count(location_code="WH1", sku_code="MUG", counted=-1, actor="t")


# --- damage -----------------------------------------------------------------------------------


def test_damaged_units_are_on_hand_but_unavailable_until_written_off_or_released(wh, mug):
    receive(wh, mug, 10)
    change = services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=3, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 10, "unavailable": 3}
    assert change.balances[0].available == 7
    services.stock_release_unavailable(location_code="WH1", sku_code="MUG", quantity=1, actor="t")
    services.stock_damage_writeoff(location_code="WH1", sku_code="MUG", quantity=2, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 8}
    assert list(StockMovement.objects.values_list("reason", flat=True).order_by("id")) == [
        "receipt",
        "damaged",
        "released",
        "write_off",
    ]


def test_more_damaged_than_available_is_refused(wh, mug):
    receive(wh, mug, 4)
    _commit(wh, mug, 2)
    with refused("insufficient_stock"):
        services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=3, actor="t")


def test_writing_off_more_than_unavailable_is_refused(wh, mug):
    receive(wh, mug, 4)
    services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=1, actor="t")
    with refused("insufficient_stock"):
        services.stock_damage_writeoff(location_code="WH1", sku_code="MUG", quantity=2, actor="t")
    with refused("insufficient_stock"):
        services.stock_release_unavailable(
            location_code="WH1", sku_code="MUG", quantity=2, actor="t"
        )


# --- safety stock -----------------------------------------------------------------------------


def test_safety_stock_is_held_back_from_available_and_can_exceed_on_hand(wh, mug):
    receive(wh, mug, 5)
    change = services.stock_safety_set(location_code="WH1", sku_code="MUG", quantity=3, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 5, "safety_stock": 3}
    assert change.balances[0].available == 2
    # A policy may ask for more than is there: nothing is available then
    change = services.stock_safety_set(location_code="WH1", sku_code="MUG", quantity=9, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 5, "safety_stock": 9}
    assert change.balances[0].available == 0
    services.stock_safety_set(location_code="WH1", sku_code="MUG", quantity=0, actor="t")
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 5}
    assert list(
        StockMovement.objects.filter(reason="safety_stock")
        .order_by("id")
        .values_list("from_state", "to_state", "quantity")
    ) == [("available", "safety", 3), ("available", "safety", 6), ("safety", "available", 9)]


def test_a_negative_safety_stock_is_refused(wh, mug):
    with refused("quantity_invalid"):
        services.stock_safety_set(location_code="WH1", sku_code="MUG", quantity=-1, actor="t")


# --- transfers --------------------------------------------------------------------------------


def test_a_transfer_is_in_transit_until_received_in_parts(wh, store, mug):
    # Given 10 mugs at the warehouse
    receive(wh, mug, 10)
    # When 6 are sent to the store
    sent = services.stock_transfer_send(
        source_code="WH1", destination_code="ST1", sku_code="MUG", quantity=6, actor="t"
    )
    # Then they left the warehouse and are incoming at the store
    transfer = sent.transfer
    assert transfer.status == StockTransfer.IN_TRANSIT
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 4}
    assert balance_of(store, mug) == {**ZERO, "incoming": 6}
    assert [(b.location.code, b.on_hand, b.incoming) for b in sent.balances] == [
        ("WH1", 4, 0),
        ("ST1", 0, 6),
    ]
    assert list(
        StockMovement.objects.filter(reference=f"transfer:{transfer.id}")
        .order_by("id")
        .values_list("location__code", "from_state", "to_state", "reason")
    ) == [
        ("WH1", "available", "external", "transfer_out"),
        ("ST1", "external", "incoming", "transfer_in_transit"),
    ]
    # When the store receives 4, then the last 2
    first = services.stock_transfer_receive(transfer_id=transfer.id, quantity=4, actor="t")
    assert first.transfer.status == StockTransfer.IN_TRANSIT
    assert first.transfer.quantity_received == 4
    assert balance_of(store, mug) == {**ZERO, "on_hand": 4, "incoming": 2}
    last = services.stock_transfer_receive(transfer_id=transfer.id, actor="t")
    # Then the transfer is received and everything is on the store's shelf
    assert last.transfer.status == StockTransfer.RECEIVED
    assert last.transfer.quantity_received == 6
    assert balance_of(store, mug) == {**ZERO, "on_hand": 6}


def test_a_transfer_needs_available_units_at_the_source(wh, store, mug):
    receive(wh, mug, 3)
    with refused("insufficient_stock"):
        services.stock_transfer_send(
            source_code="WH1", destination_code="ST1", sku_code="MUG", quantity=4, actor="t"
        )
    assert StockTransfer.objects.count() == 0


def test_a_transfer_to_the_same_location_is_refused(wh, mug):
    receive(wh, mug, 3)
    with refused("transfer_same_location"):
        services.stock_transfer_send(
            source_code="WH1", destination_code="WH1", sku_code="MUG", quantity=1, actor="t"
        )


def test_receiving_more_than_in_transit_is_refused(wh, store, mug):
    receive(wh, mug, 5)
    sent = services.stock_transfer_send(
        source_code="WH1", destination_code="ST1", sku_code="MUG", quantity=5, actor="t"
    )
    with refused("quantity_exceeds_in_transit"):
        services.stock_transfer_receive(transfer_id=sent.transfer.id, quantity=6, actor="t")
    services.stock_transfer_receive(transfer_id=sent.transfer.id, actor="t")
    with refused("transfer_already_received"):
        services.stock_transfer_receive(transfer_id=sent.transfer.id, quantity=1, actor="t")
    with refused("transfer_not_found"):
        services.stock_transfer_receive(transfer_id=999_999, actor="t")


# --- the ledger check -------------------------------------------------------------------------


def test_the_check_agrees_after_every_kind_of_change(wh, store, mug):
    receive(wh, mug, 10)
    services.stock_adjust(location_code="WH1", sku_code="MUG", delta=-1, reason="lost", actor="t")
    services.stock_count(location_code="WH1", sku_code="MUG", counted=8, actor="t")
    services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=1, actor="t")
    services.stock_safety_set(location_code="WH1", sku_code="MUG", quantity=2, actor="t")
    sent = services.stock_transfer_send(
        source_code="WH1", destination_code="ST1", sku_code="MUG", quantity=3, actor="t"
    )
    services.stock_transfer_receive(transfer_id=sent.transfer.id, quantity=1, actor="t")
    _commit(wh, mug, 1)
    result = services.inventory_check()
    assert result.ok
    assert result.checked == 2


def test_the_check_finds_a_tampered_balance_and_repair_restores_the_ledger_truth(wh, mug):
    receive(wh, mug, 10)
    StockBalance.objects.filter(location=wh, sku=mug).update(on_hand=13, incoming=1)
    result = services.inventory_check()
    assert not result.ok
    [difference] = result.differences
    assert difference.fields == {"on_hand": (13, 10), "incoming": (1, 0)}
    assert result.location_codes == {wh.id: "WH1"}
    assert result.sku_codes == {mug.id: "MUG"}
    repaired = services.inventory_repair()
    assert repaired.repaired is True
    assert balance_of(wh, mug) == {**ZERO, "on_hand": 10}
    assert services.inventory_check().ok


def test_balances_lock_answers_the_existing_rows_in_primary_key_order(wh, store, mug):
    # Given two balance rows (and an id no row has)
    receive(wh, mug, 1)
    receive(store, mug, 1)
    first, second = StockBalance.objects.order_by("pk").values_list("pk", flat=True)
    # When they are locked, named out of order and twice, with the unknown id
    locked = balances_lock([second, first, second, second + 1000])
    # Then the existing rows are locked and answered in primary-key order, nothing changed
    assert locked == [first, second]
    assert balances_lock([]) == []
    assert StockBalance.objects.get(pk=first).on_hand == 1
