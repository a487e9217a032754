"""The scope rule, as pure predicates (docs/security.md, "Principals and their scopes")."""

from __future__ import annotations

import pytest

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import (
    CHANGE,
    HAND_OVER,
    READ,
    UNRESTRICTED,
    WORK,
    FulfillmentFacts,
    OrderFacts,
    Scope,
)

WEB, MARKET = 1, 2
WAREHOUSE, STORE, OTHER = 10, 20, 30


def scope(channels=None, locations=None) -> Scope:
    return Scope(
        channel_ids=frozenset(channels) if channels is not None else None,
        location_ids=frozenset(locations) if locations is not None else None,
    )


def test_unrestricted_reaches_everything_and_writes_configuration():
    order = OrderFacts(channel_id=MARKET, fulfillment_location_ids=frozenset({OTHER}))
    fo = FulfillmentFacts(channel_id=MARKET, location_id=OTHER)
    assert not UNRESTRICTED.restricted
    assert all(UNRESTRICTED.reaches_order(order, reach) for reach in (READ, CHANGE))
    assert all(UNRESTRICTED.reaches_fulfillment(fo, r) for r in (READ, WORK, HAND_OVER))
    assert UNRESTRICTED.sells_in(MARKET)
    UNRESTRICTED.require_unrestricted("changing the catalog")
    UNRESTRICTED.require_whole_network("the KPI report")


@pytest.mark.parametrize(
    ("limits", "channel", "sells"),
    [
        ({"channels": {WEB}}, WEB, True),
        ({"channels": {WEB}}, MARKET, False),
        ({"locations": {STORE}}, WEB, False),  # a location alone names no channel to sell in
        ({"channels": {WEB}, "locations": {STORE}}, WEB, True),
        ({"channels": {WEB}, "locations": {STORE}}, MARKET, False),
    ],
)
def test_who_sells_in_which_channel(limits, channel, sells):
    assert scope(**limits).sells_in(channel) is sells


def test_a_location_reads_the_orders_it_captured_fulfils_or_hands_over_and_changes_its_own():
    store = scope(locations={STORE})
    captured = OrderFacts(WEB, origin_location_id=STORE)
    fulfilled = OrderFacts(WEB, fulfillment_location_ids=frozenset({STORE}))
    collected = OrderFacts(WEB, pickup_location_id=STORE)
    elsewhere = OrderFacts(WEB, fulfillment_location_ids=frozenset({WAREHOUSE}))
    assert [store.reaches_order(o, READ) for o in (captured, fulfilled, collected, elsewhere)] == [
        True,
        True,
        True,
        False,
    ]
    assert [store.reaches_order(o, CHANGE) for o in (captured, fulfilled, collected)] == [
        True,
        False,
        False,
    ]


def test_both_limits_are_the_intersection():
    till = scope(channels={MARKET}, locations={STORE})
    assert not till.reaches_order(OrderFacts(WEB, origin_location_id=STORE), READ)
    assert not till.reaches_order(OrderFacts(MARKET, origin_location_id=OTHER), READ)
    assert till.reaches_order(OrderFacts(MARKET, origin_location_id=STORE), CHANGE)
    fo = FulfillmentFacts(WEB, location_id=STORE)
    assert not till.reaches_fulfillment(fo, READ)


def test_ship_to_store_is_worked_by_the_warehouse_and_handed_over_by_the_store():
    fo = FulfillmentFacts(WEB, location_id=WAREHOUSE, pickup_location_id=STORE)
    warehouse, store = scope(locations={WAREHOUSE}), scope(locations={STORE})
    assert [warehouse.reaches_fulfillment(fo, r) for r in (READ, WORK, HAND_OVER)] == [
        True,
        True,
        False,
    ]
    assert [store.reaches_fulfillment(fo, r) for r in (READ, WORK, HAND_OVER)] == [
        True,
        False,
        True,
    ]
    # a pickup from the store's own shelves: the store does both
    own = FulfillmentFacts(WEB, location_id=STORE, pickup_location_id=STORE)
    assert all(store.reaches_fulfillment(own, r) for r in (READ, WORK, HAND_OVER))


def test_a_channel_limit_keeps_other_channels_fulfillment_orders_out():
    fo = FulfillmentFacts(MARKET, location_id=WAREHOUSE)
    web = scope(channels={WEB})
    assert not any(web.reaches_fulfillment(fo, r) for r in (READ, WORK, HAND_OVER))


def test_customers_known_in_the_channel_and_reached_through_orders():
    assert scope(channels={WEB}).sees_customer(known_in={WEB, MARKET}, orders_reached=False)
    assert not scope(channels={WEB}).sees_customer(known_in={MARKET}, orders_reached=True)
    assert scope(locations={STORE}).sees_customer(known_in=set(), orders_reached=True)
    assert not scope(locations={STORE}).sees_customer(known_in={WEB}, orders_reached=False)


def test_the_till_a_capture_records():
    assert scope(locations={STORE}).origin_location(None) == STORE
    assert scope(locations={STORE, OTHER}).origin_location(None) is None
    assert scope(locations={STORE}).origin_location(STORE) == STORE
    assert UNRESTRICTED.origin_location(None) is None


@pytest.mark.parametrize("limits", [{"channels": {WEB}}, {"locations": {STORE}}])
def test_restricted_tokens_do_not_write_configuration(limits):
    with pytest.raises(DomainError) as refused:
        scope(**limits).require_unrestricted("changing the catalog")
    assert (refused.value.status, refused.value.code) == (403, "token_restricted")


def test_only_a_location_limit_is_kept_from_whole_network_answers():
    scope(channels={WEB}).require_whole_network("the KPI report")
    with pytest.raises(DomainError) as refused:
        scope(locations={STORE}).require_whole_network("the KPI report")
    assert (refused.value.status, refused.value.code) == (403, "token_restricted")
