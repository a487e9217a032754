from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from ordino.orders.domain.allocation import Candidate, LineDemand, allocation_plan


def simple(key: int, sku: int, quantity: int) -> LineDemand:
    return LineDemand(key=key, quantity=quantity, components={sku: 1})


def test_prefers_one_location_that_covers_everything_over_a_better_priority():
    plan = allocation_plan(
        [simple(0, 1, 2), simple(1, 2, 1)],
        [
            Candidate(10, priority=1, available={1: 5}),
            Candidate(20, priority=2, available={1: 5, 2: 5}),
        ],
    )
    assert [(p.key, p.location_id, p.quantity) for p in plan.picks] == [(0, 20, 2), (1, 20, 1)]
    assert plan.backordered == {}


def test_among_locations_that_cover_everything_the_best_priority_wins():
    plan = allocation_plan(
        [simple(0, 1, 1)],
        [Candidate(20, priority=5, available={1: 9}), Candidate(10, priority=1, available={1: 9})],
    )
    assert [p.location_id for p in plan.picks] == [10]


def test_splits_over_the_fewest_locations_when_none_covers_everything():
    plan = allocation_plan(
        [simple(0, 1, 5)],
        [
            Candidate(1, priority=1, available={1: 1}),
            Candidate(2, priority=2, available={1: 3}),
            Candidate(3, priority=3, available={1: 2}),
        ],
    )
    assert [(p.location_id, p.quantity) for p in plan.picks] == [(2, 3), (3, 2)]


def test_what_nobody_has_is_backordered():
    plan = allocation_plan([simple(0, 1, 4), simple(1, 2, 1)], [Candidate(1, 1, {1: 3})])
    assert plan.backordered == {0: 1, 1: 1}


def test_a_kit_needs_every_component_at_the_same_location():
    kit = LineDemand(key=0, quantity=2, components={1: 1, 2: 2})
    plan = allocation_plan(
        [kit],
        [Candidate(1, 1, {1: 5, 2: 1}), Candidate(2, 2, {1: 1, 2: 4})],
    )
    # location 1 makes no kit (one unit of component 2), location 2 makes one
    assert [(p.location_id, p.quantity) for p in plan.picks] == [(2, 1)]
    assert plan.backordered == {0: 1}
    assert plan.units_by_location([kit]) == {(2, 1): 1, (2, 2): 2}


demands_strategy = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 6)), min_size=1, max_size=6)
candidates_strategy = st.lists(
    st.tuples(
        st.integers(1, 5),
        st.dictionaries(st.integers(1, 4), st.integers(0, 8), max_size=4),
    ),
    max_size=6,
)


@given(demands_strategy, candidates_strategy)
def test_never_assigns_more_than_available_and_accounts_for_every_unit(raw_demands, raw_candidates):
    demands = [simple(i, sku, qty) for i, (sku, qty) in enumerate(raw_demands)]
    candidates = [
        Candidate(location_id=i + 1, priority=prio, available=stock)
        for i, (prio, stock) in enumerate(raw_candidates)
    ]
    plan = allocation_plan(demands, candidates)
    used: dict[tuple[int, int], int] = defaultdict(int)
    placed: dict[int, int] = defaultdict(int)
    for pick in plan.picks:
        assert pick.quantity > 0
        placed[pick.key] += pick.quantity
        for sku, per in demands[pick.key].components.items():
            used[(pick.location_id, sku)] += per * pick.quantity
    stock = {(c.location_id, sku): qty for c in candidates for sku, qty in c.available.items()}
    assert all(qty <= stock.get(slot, 0) for slot, qty in used.items())
    for d in demands:
        assert placed[d.key] + plan.backordered.get(d.key, 0) == d.quantity
    # deterministic for equal inputs
    again = allocation_plan(demands, candidates)
    assert again.picks == plan.picks and again.backordered == plan.backordered


@given(demands_strategy, candidates_strategy)
def test_backorders_only_what_the_network_cannot_cover(raw_demands, raw_candidates):
    demands = [simple(i, sku, qty) for i, (sku, qty) in enumerate(raw_demands)]
    candidates = [Candidate(i + 1, p, s) for i, (p, s) in enumerate(raw_candidates)]
    plan = allocation_plan(demands, candidates)
    wanted: dict[int, int] = defaultdict(int)
    for d in demands:
        wanted[next(iter(d.components))] += d.quantity
    network: dict[int, int] = defaultdict(int)
    for c in candidates:
        for sku, qty in c.available.items():
            network[sku] += qty
    backordered: dict[int, int] = defaultdict(int)
    for key, qty in plan.backordered.items():
        backordered[next(iter(demands[key].components))] += qty
    for sku, qty in wanted.items():
        assert backordered[sku] == max(0, qty - network[sku])
