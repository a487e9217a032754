"""What each stock operation moves and when it is refused. No database."""

from __future__ import annotations

import pytest

from ordino.core.domain.errors import DomainError
from ordino.inventory.domain.availability import channel_available, kit_available
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, INCOMING, SAFETY, Quantities
from ordino.inventory.domain.operations import (
    ADJUST_REASONS,
    BalanceDifference,
    adjustment_step,
    balances_compare,
    count_step,
    quantity_check,
    receipt_step,
    safety_step,
    transfer_receive_check,
)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", None, True])
def test_a_quantity_must_be_a_positive_whole_number(bad):
    with pytest.raises(DomainError) as refused:
        quantity_check(bad, field="quantity")
    assert refused.value.code == "quantity_invalid"
    assert refused.value.errors[0]["field"] == "quantity"


def test_zero_is_allowed_where_it_means_none():
    assert quantity_check(0, field="counted", allow_zero=True) == 0


def test_adjustments_need_a_known_reason():
    assert ADJUST_REASONS == ("found", "lost", "correction", "theft", "expired")
    with pytest.raises(DomainError) as refused:
        adjustment_step(delta=2, reason="because")
    assert refused.value.errors == [
        {
            "field": "reason",
            "code": "reason_invalid",
            "message": "Unknown adjustment reason 'because'; "
            "use one of: found, lost, correction, theft, expired.",
        }
    ]


def test_found_units_arrive_and_lost_units_leave():
    assert adjustment_step(delta=3, reason="found") == (EXTERNAL, AVAILABLE, 3)
    assert adjustment_step(delta=-2, reason="theft") == (AVAILABLE, EXTERNAL, 2)


def test_an_adjustment_of_nothing_is_refused():
    with pytest.raises(DomainError) as refused:
        adjustment_step(delta=0, reason="correction")
    assert refused.value.errors[0]["field"] == "delta"


def test_a_count_moves_only_the_difference():
    current = Quantities(on_hand=10, committed=2)
    assert count_step(current, 10) is None
    assert count_step(current, 13) == (EXTERNAL, AVAILABLE, 3)
    assert count_step(current, 4) == (AVAILABLE, EXTERNAL, 6)


def test_a_count_below_committed_and_unavailable_is_refused():
    # Given 5 units committed to orders and 2 damaged on the shelf
    current = Quantities(on_hand=10, committed=5, unavailable=2)
    # When someone counts 6, Then it is refused: at least 7 units must be there
    with pytest.raises(DomainError) as refused:
        count_step(current, 6)
    assert refused.value.code == "count_below_committed"
    assert "5 unit(s) are committed to orders and 2 are unavailable" in refused.value.message
    assert count_step(current, 7) == (AVAILABLE, EXTERNAL, 3)


def test_safety_stock_moves_up_and_down_from_available():
    assert safety_step(Quantities(on_hand=10, safety_stock=2), 5) == (AVAILABLE, SAFETY, 3)
    assert safety_step(Quantities(on_hand=10, safety_stock=5), 1) == (SAFETY, AVAILABLE, 4)
    assert safety_step(Quantities(on_hand=10, safety_stock=5), 5) is None


def test_receipts_come_from_outside_or_from_incoming():
    assert receipt_step(quantity=4, expected=False) == (EXTERNAL, AVAILABLE, 4)
    assert receipt_step(quantity=4, expected=True) == (INCOMING, AVAILABLE, 4)


def test_a_transfer_cannot_receive_more_than_is_in_transit():
    assert transfer_receive_check(quantity=10, received=4, receiving=6) == 6
    with pytest.raises(DomainError) as refused:
        transfer_receive_check(quantity=10, received=4, receiving=7)
    assert refused.value.code == "quantity_exceeds_in_transit"
    with pytest.raises(DomainError) as done:
        transfer_receive_check(quantity=10, received=10, receiving=1)
    assert done.value.code == "transfer_already_received"
    assert done.value.status == 409


def test_balances_compare_reports_only_real_differences():
    stored = {
        (1, 1): Quantities(on_hand=5),
        (1, 2): Quantities(on_hand=9, committed=1),
        (2, 1): Quantities(),  # an empty row with no movements agrees
    }
    ledger = {
        (1, 1): Quantities(on_hand=5),
        (1, 2): Quantities(on_hand=7, committed=1),
        (3, 3): Quantities(incoming=2),  # movements but no balance row
    }
    differences = balances_compare(stored, ledger)
    assert differences == [
        BalanceDifference(
            1, 2, Quantities(on_hand=9, committed=1), Quantities(on_hand=7, committed=1)
        ),
        BalanceDifference(3, 3, None, Quantities(incoming=2)),
    ]
    assert differences[0].fields == {"on_hand": (9, 7)}
    assert differences[1].fields == {"incoming": (0, 2)}


def test_a_kit_is_limited_by_its_scarcest_component():
    # Given a kit of 2 cups and 1 saucer, with 9 cups and 3 saucers available
    assert kit_available({1: 2, 2: 1}, {1: 9, 2: 3}) == 3
    assert kit_available({1: 2, 2: 1}, {1: 9}) == 0


def test_a_channel_skips_excluded_locations_and_keeps_its_buffer():
    assert channel_available({1: 10, 2: 5, 3: 7}, excluded=[2], buffer=3) == 14
    assert channel_available({1: 2}, buffer=5) == 0


def test_receiving_a_transfer_received_in_full_says_so_whatever_the_quantity():
    with pytest.raises(DomainError) as err:
        transfer_receive_check(quantity=3, received=3, receiving=0)
    assert err.value.code == "transfer_already_received"
