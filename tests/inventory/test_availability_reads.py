"""The availability hot path (inventory/availability_reads.py) answers exactly what the ORM
reads did (tests/inventory/availability_reference.py), in a fixed number of statements, and the
hand-built JSON is what the response schemas would have rendered."""

from __future__ import annotations

import json
import random

import pytest
from ninja.responses import NinjaJSONEncoder

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.inventory import selectors
from ordino.inventory.models import StockBalance
from ordino.inventory.schemas import (
    AvailabilityOut,
    BulkAvailabilityOut,
    availability_body,
    bulk_availability_body,
    json_answer,
)
from tests.factories import make_channel, make_kit, make_location, make_sku
from tests.inventory import availability_reference as reference

pytestmark = pytest.mark.django_db


def world_make(seed: int) -> dict:
    """A generated network: locations of shared priorities, some inactive; simple SKUs with
    random balances (safety stock, unavailable, committed, incoming; some rows all zero, some
    pairs without a row); kits, one of a component stocked nowhere and one without components;
    channels with a buffer and excluded locations (an inactive one among them)."""
    rng = random.Random(seed)
    locations = [
        make_location(f"L{seed}-{i}", priority=rng.choice([1, 2, 5]), is_active=rng.random() > 0.25)
        for i in range(7)
    ]
    simple = [make_sku(f"S{seed}-{i}") for i in range(14)]
    balances = []
    for sku in simple[:-1]:  # the last SKU has no balance anywhere
        for location in locations:
            if rng.random() < 0.35:
                continue
            on_hand = rng.choice([0, rng.randint(0, 40)])
            committed = rng.randint(0, on_hand)
            unavailable = rng.randint(0, on_hand - committed)
            balances.append(
                StockBalance(
                    location=location,
                    sku=sku,
                    on_hand=on_hand,
                    committed=committed,
                    unavailable=unavailable,
                    safety_stock=rng.choice([0, 0, rng.randint(0, 12)]),
                    incoming=rng.choice([0, rng.randint(0, 9)]),
                )
            )
    StockBalance.objects.bulk_create(balances)
    kits = [
        make_kit(f"K{seed}-0", [(simple[0], 2), (simple[1], 1)]),
        make_kit(f"K{seed}-1", [(simple[2], 1), (simple[-1], 1)]),
        make_kit(f"K{seed}-2", []),
        make_kit(f"K{seed}-3", [(simple[3], 3)]),
    ]
    channels = [
        make_channel(f"web{seed}"),
        make_channel(f"market{seed}", kind="marketplace", stock_buffer=rng.randint(1, 30)),
        make_channel(f"pos{seed}", kind="pos", stock_buffer=2),
    ]
    channels[1].excluded_locations.add(*rng.sample(locations, 3))
    channels[2].excluded_locations.add(*[loc for loc in locations if not loc.is_active][:1])
    seen = frozenset(loc.id for loc in rng.sample(locations, 4))
    scopes = [
        UNRESTRICTED,
        Scope(location_ids=seen),
        Scope(location_ids=frozenset()),
        Scope(channel_ids=frozenset({channels[1].id})),
        Scope(channel_ids=frozenset({channels[2].id}), location_ids=seen),
    ]
    codes = [s.code for s in simple] + [k.code for k in kits] + ["GHOST"]
    return {
        "codes": codes,
        "channels": [None, *(c.code for c in channels), "nope"],
        "scopes": scopes,
    }


def outcome(read, **kwargs):
    """The answer, or the refusal: its status, code and field errors."""
    try:
        return read(**kwargs)
    except DomainError as exc:
        return ("refused", exc.status, exc.code, exc.errors)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_sku_answers_as_the_orm_reads_did(seed):
    # Given a generated network
    world = world_make(seed)
    compared = 0
    for scope in world["scopes"]:
        for channel in world["channels"]:
            for code in world["codes"]:
                # When one SKU is asked through the hot path and through the ORM reference
                ask = {"sku_code": code, "channel_code": channel, "scope": scope}
                fast = outcome(selectors.availability_for_sku, **ask)
                slow = outcome(reference.availability_for_sku, **ask)
                # Then the answers (or refusals) are equal
                assert fast == slow, ask
                compared += 1
    assert compared == 5 * 5 * 19


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_skus_answer_as_the_orm_reads_did(seed):
    # Given a generated network, and a request naming SKUs twice and an unknown one
    world = world_make(seed)
    asked = world["codes"][::-1] + world["codes"][:3]
    for scope in world["scopes"]:
        for channel in world["channels"]:
            # When they are asked at once through the hot path and through the ORM reference
            ask = {"sku_codes": asked, "channel_code": channel, "scope": scope}
            fast = outcome(selectors.availability_bulk, **ask)
            slow = outcome(reference.availability_bulk, **ask)
            # Then the items, in the order asked, and the unknown codes are equal
            if isinstance(slow, tuple):
                assert fast == slow, ask
                continue
            assert fast.items == [reference.as_bulk_item(item) for item in slow.items], ask
            assert fast.unknown_sku_codes == slow.unknown_sku_codes == ["GHOST"]


def test_more_than_1000_skus_are_refused_before_any_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        refused = outcome(selectors.availability_bulk, sku_codes=[f"X{i}" for i in range(1001)])
    assert refused[:3] == ("refused", 422, "too_many_skus")
    assert refused[3][0]["field"] == "skus"


# --- statement counts ----------------------------------------------------------------------


@pytest.fixture
def network(db):
    """Three locations, 60 SKUs stocked at two, a kit, a channel excluding one location."""
    locations = [make_location(f"N{i}", priority=i) for i in range(3)]
    skus = [make_sku(f"N-{i}") for i in range(60)]
    StockBalance.objects.bulk_create(
        StockBalance(location=loc, sku=sku, on_hand=5) for loc in locations[:2] for sku in skus
    )
    make_kit("N-KIT", [(skus[0], 2), (skus[1], 1)])
    make_channel("web").excluded_locations.add(locations[2])
    return [s.code for s in skus]


@pytest.mark.parametrize(
    ("code", "channel", "statements"),
    [
        ("N-0", None, 1),  # the SKU and its balances
        ("N-0", "web", 2),  # and the channel with its excluded locations
        ("N-KIT", None, 4),  # and the locations, the kit's components, their balances
        ("N-KIT", "web", 5),
    ],
)
def test_one_sku_costs_a_fixed_number_of_statements(
    network, code, channel, statements, django_assert_num_queries
):
    with django_assert_num_queries(statements):
        selectors.availability_for_sku(sku_code=code, channel_code=channel)


@pytest.mark.parametrize("how_many", [1, 60])
@pytest.mark.parametrize(
    ("kit", "channel", "statements"),
    [
        (False, None, 3),  # SKUs, locations, balances
        (False, "web", 4),  # and the channel
        (True, "web", 5),  # and the kits' components
    ],
)
def test_many_skus_cost_the_same_statements_whatever_their_number(
    network, how_many, kit, channel, statements, django_assert_num_queries
):
    codes = network[:how_many] + (["N-KIT"] if kit else [])
    with django_assert_num_queries(statements):
        result = selectors.availability_bulk(sku_codes=codes, channel_code=channel)
    assert len(result.items) == how_many + kit


# --- the JSON ------------------------------------------------------------------------------


def rendered(schema, value) -> bytes:
    """What django-ninja answered for `value` through the response schema."""
    data = schema.model_validate(value).model_dump()
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@pytest.mark.parametrize("seed", [4])
def test_the_hand_built_json_is_what_the_schemas_render(seed):
    # Given a generated network, read by every scope and channel
    world = world_make(seed)
    for scope in world["scopes"][:2]:
        for channel in world["channels"][:-1]:
            bulk = selectors.availability_bulk(
                sku_codes=world["codes"], channel_code=channel, scope=scope
            )
            # Then the bulk answer is the schema's rendering, byte for byte
            as_before = {"items": bulk.items, "unknown_skus": bulk.unknown_sku_codes}
            assert json_answer(bulk_availability_body(bulk)).content == rendered(
                BulkAvailabilityOut, as_before
            )
            for code in world["codes"][:-1]:
                one = selectors.availability_for_sku(
                    sku_code=code, channel_code=channel, scope=scope
                )
                # And so is each SKU's, rendered from the selector's answer as before
                assert json_answer(availability_body(one)).content == rendered(AvailabilityOut, one)
    assert json_answer({}).headers["Content-Type"] == "application/json; charset=utf-8"
