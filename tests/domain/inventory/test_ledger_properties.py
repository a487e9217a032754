"""The ledger's arithmetic, without a database: property tests over random movement sequences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.inventory.domain.ledger import (
    AVAILABLE,
    COMMITTED,
    EXTERNAL,
    FIELDS,
    INCOMING,
    SAFETY,
    STATES,
    UNAVAILABLE,
    Movement,
    Quantities,
    balances_project,
    counted_movement,
    movement_deltas,
)
from ordino.inventory.domain.operations import count_step

PAIRS = [(a, b) for a in STATES for b in STATES if a != b]

movements = st.lists(
    st.builds(
        lambda loc, sku, pair, qty: Movement(loc, sku, pair[0], pair[1], qty),
        st.integers(1, 3),
        st.integers(1, 3),
        st.sampled_from(PAIRS),
        st.integers(1, 50),
    ),
    max_size=60,
)


def apply_one_by_one(sequence: list[Movement]) -> dict[tuple[int, int], dict[str, int]]:
    balances: dict[tuple[int, int], dict[str, int]] = {}
    for m in sequence:
        row = balances.setdefault((m.location_id, m.sku_id), dict.fromkeys(FIELDS, 0))
        for field, delta in movement_deltas(m.from_state, m.to_state, m.quantity).items():
            row[field] += delta
    return balances


@given(movements)
def test_projecting_the_ledger_equals_applying_each_movement_in_turn(sequence):
    # Given any sequence of movements
    # When the ledger is projected in one go
    projected = balances_project(sequence)
    # Then it equals applying the deltas one movement at a time
    expected = {key: Quantities(**row) for key, row in apply_one_by_one(sequence).items()}
    assert projected == expected


@given(movements)
def test_projecting_summed_movements_equals_projecting_every_movement(sequence):
    # Given the ledger summed per (location, SKU, from state, to state), as the check does in SQL
    sums: dict[tuple, int] = {}
    for m in sequence:
        key = (m.location_id, m.sku_id, m.from_state, m.to_state)
        sums[key] = sums.get(key, 0) + m.quantity
    summed = [Movement(*key, total) for key, total in sums.items()]
    # Then the balances are the same as from every single movement
    assert balances_project(summed) == balances_project(sequence)


@given(
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 1000),
)
def test_available_is_what_is_free_and_none_when_claims_exceed_on_hand(
    on_hand, committed, safety, unavailable
):
    # Given a balance whose claims (committed, safety, unavailable) may exceed on hand
    q = Quantities(
        on_hand=on_hand, committed=committed, safety_stock=safety, unavailable=unavailable
    )
    free = on_hand - committed - safety - unavailable
    # Then available is exactly the free units when there are any, and 0 when claims exceed
    # on hand (a count found fewer units than were promised): never a negative promise
    if free >= 0:
        assert q.available == free
    else:
        assert q.available == 0


def test_available_of_a_balance_whose_claims_exceed_on_hand_is_zero():
    assert Quantities(on_hand=5, committed=4, safety_stock=3).available == 0
    assert Quantities(on_hand=5, committed=4, safety_stock=1).available == 0
    assert Quantities(on_hand=5, committed=1, unavailable=1, safety_stock=1).available == 2


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_counted_movement_reaches_the_count(on_hand, counted):
    # Given a balance with some units on hand, when a count is recorded
    step = counted_movement(on_hand, counted)
    # Then applying its movement leaves exactly the counted units on hand
    if step is None:
        assert counted == on_hand
        return
    from_state, to_state, quantity = step
    assert quantity > 0
    after = on_hand + movement_deltas(from_state, to_state, quantity).get("on_hand", 0)
    assert after == counted


@settings(max_examples=200)
@given(
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(0, 300),
)
def test_a_valid_count_never_oversells(committed, unavailable, free, counted):
    # Given a balance whose on hand holds committed, unavailable and some free units
    current = Quantities(
        on_hand=committed + unavailable + free, committed=committed, unavailable=unavailable
    )
    try:
        step = count_step(current, counted)
    except Exception as exc:  # refused: the count is below what must be on hand
        assert counted < committed + unavailable
        assert getattr(exc, "code", None) == "count_below_committed"
        return
    # Then the counted balance still covers committed and unavailable units
    on_hand = current.on_hand
    if step is not None:
        on_hand += movement_deltas(*step).get("on_hand", 0)
    assert on_hand == counted >= committed + unavailable


def test_each_state_counts_in_its_named_quantities():
    assert movement_deltas(EXTERNAL, AVAILABLE, 5) == {"on_hand": 5}
    assert movement_deltas(AVAILABLE, COMMITTED, 2) == {"committed": 2}
    assert movement_deltas(AVAILABLE, SAFETY, 3) == {"safety_stock": 3}
    assert movement_deltas(AVAILABLE, UNAVAILABLE, 1) == {"unavailable": 1}
    assert movement_deltas(UNAVAILABLE, EXTERNAL, 1) == {"on_hand": -1, "unavailable": -1}
    assert movement_deltas(EXTERNAL, INCOMING, 4) == {"incoming": 4}
    assert movement_deltas(INCOMING, AVAILABLE, 4) == {"incoming": -4, "on_hand": 4}
