"""Packing: first fit down the units by volume, the smallest box type that takes what remains,
every parcel explained (docs/shipping.md, "Parcels and packing")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.packing import BoxType, Item, pack
from ordino.shipping.domain.weights import Parcel

SMALL = BoxType("BOX-S", (250, 200, 100), (260, 210, 110), 150, 5000)  # 5 l, 4.5 l usable
LARGE = BoxType("BOX-L", (400, 300, 300), (410, 310, 310), 400, 20000)  # 36 l, 32.4 l usable


def tee(quantity: int) -> Item:
    return Item("TEE", 240, 200, 30, 250, quantity)


def test_three_tees_go_in_the_smallest_box_that_takes_them_and_say_so():
    # given three folded T-shirts of 240 × 200 × 30 mm (1.44 l, 250 g each), a small and a
    # large box; when packed
    parcels = pack([Item("TEE", 200, 240, 30, 250, 3)], [LARGE, SMALL])
    # then one small box: 4.32 of 4.5 l, 0.15 + 0.75 = 0.9 of 5 kg
    assert [p.box.code for p in parcels] == ["BOX-S"]
    assert parcels[0].contents == [("TEE", 3)]
    assert parcels[0].gross_weight_g == 900
    assert parcels[0].why == (
        "TEE ×3 in BOX-S: 4.3 of 4.5 l, 0.9 of 5 kg (the smallest box that takes all that remained)"
    )


def test_more_than_the_largest_box_takes_opens_another_box():
    # given 22 mugs of 1 kg, 100 × 100 × 100 mm: the large box takes 19 by weight (0.4 + 19)
    mugs = Item("MUG", 100, 100, 100, 1000, 22)
    # when packed
    parcels = pack([mugs], [SMALL, LARGE])
    # then the large box with 19, and a small box takes the 3 that remain (3 l, 3.15 kg)
    assert [(p.box.code, p.contents) for p in parcels] == [
        ("BOX-L", [("MUG", 19)]),
        ("BOX-S", [("MUG", 3)]),
    ]
    assert parcels[0].why.endswith("(no box takes all 22 units left: it takes the most)")
    assert parcels[1].gross_weight_g == 3150


def test_a_parcel_rates_as_the_box_outer_sides_and_gross_weight():
    # given one packed small box of 900 g gross
    parcel = pack([Item("TEE", 200, 240, 30, 250, 3)], [SMALL])[0]
    # when converted for rating: then cm and kg, exactly
    assert parcel.parcel() == Parcel(Decimal(26), Decimal(21), Decimal(11), Decimal("0.9"))


def test_one_item_the_size_of_the_box_fits_it_alone():
    # given an item exactly the small box's inner size (over 90 % of its volume)
    # when packed: then it goes in the small box alone
    parcels = pack([Item("CRATE", 100, 250, 200, 1000, 2)], [SMALL])
    assert [p.contents for p in parcels] == [[("CRATE", 1)], [("CRATE", 1)]]


def test_an_item_without_dimensions_is_refused_naming_its_sku():
    with pytest.raises(DomainError) as refused:
        pack([tee(1), Item("GIFT-CARD", None, None, None, 5, 1)], [SMALL])
    assert refused.value.code == "sku_not_measured"
    assert "GIFT-CARD" in refused.value.message


def test_an_item_that_fits_no_box_is_refused_naming_it():
    with pytest.raises(DomainError) as refused:
        pack([tee(1), Item("SKI", 1800, 100, 50, 2000, 1)], [SMALL, LARGE])
    assert refused.value.code == "item_fits_no_box"
    assert refused.value.message == "SKU SKI (1800×100×50 mm, 2000 g) fits no box type."


def test_an_item_too_heavy_for_every_box_is_refused():
    with pytest.raises(DomainError) as refused:
        pack([Item("ANVIL", 100, 100, 100, 19601, 1)], [SMALL, LARGE])
    assert refused.value.code == "item_fits_no_box"


def test_no_box_types_is_refused():
    with pytest.raises(DomainError) as refused:
        pack([tee(1)], [])
    assert refused.value.code == "no_box_types"


@pytest.mark.parametrize(
    ("inner", "outer", "tare", "max_weight", "field"),
    [
        ((0, 10, 10), (10, 10, 10), 0, 10, "inner"),
        ((10, 10, 10), (10, 10, 9), 0, 10, "outer"),
        ((10, 10, 10), (10, 10, 10), 10, 10, "max_weight_g"),
        ((10, 10, 10), (10, 10, 10), -1, 10, "tare_g"),
    ],
)
def test_a_box_type_out_of_bounds_is_refused(inner, outer, tare, max_weight, field):
    with pytest.raises(DomainError) as refused:
        BoxType("B", inner, outer, tare, max_weight)
    assert refused.value.errors[0]["field"] == field


# ----------------------------------------------------------------------------- properties

side = st.integers(min_value=10, max_value=400)
items = st.lists(
    st.builds(
        Item,
        st.sampled_from(["A", "B", "C", "D", "E", "F"]),
        side,
        side,
        side,
        st.integers(min_value=0, max_value=5000),
        st.integers(min_value=1, max_value=6),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda i: i.sku,
)
BOXES = [SMALL, LARGE, BoxType("BOX-XL", (600, 500, 450), (620, 520, 470), 900, 30000)]


@settings(max_examples=150, deadline=None)
@given(items)
def test_every_unit_is_packed_once_within_each_box_limits_deterministically(wanted):
    try:
        parcels = pack(wanted, BOXES)
    except DomainError as refused:
        assert refused.code == "item_fits_no_box"
        return
    # every unit packed exactly once
    packed: dict[str, int] = {}
    for p in parcels:
        for sku, n in p.contents:
            packed[sku] = packed.get(sku, 0) + n
    assert packed == {i.sku: i.quantity for i in wanted}
    for p in parcels:
        # no box over its maximum weight, nor over its usable volume (but a single unit)
        assert p.gross_weight_g <= p.box.max_weight_g
        assert len(p.units) == 1 or p.items_volume <= p.box.capacity
        # every unit fits its box's sides
        assert all(
            all(u <= b for u, b in zip(unit.sides, p.box.sides, strict=True)) for unit in p.units
        )
    # deterministic, whatever the order of the lines and of the box types
    assert pack(list(reversed(wanted)), list(reversed(BOXES))) == parcels
