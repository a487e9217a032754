"""What is in each parcel (shipping/domain/contents.py, weights.py): typed, checked against the
fulfillment order's open units, and spread over its lines for customs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.contents import contents_within, open_by_sku, units_by_line
from ordino.shipping.domain.weights import (
    MAX_CONTENT_LINES,
    MAX_UNITS,
    Parcel,
    parcel_parse,
    parcel_text,
)

OPEN = {"TEE": 2, "MUG": 1}


def _refusal(call) -> tuple[str, str, str]:
    with pytest.raises(DomainError) as caught:
        call()
    exc = caught.value
    return exc.code, exc.message, exc.errors[0]["field"] if exc.errors else ""


# -- typed ---------------------------------------------------------------------------------------


def test_a_parcel_typed_with_what_it_holds():
    parcel = parcel_parse(" 30x20x10@1.2 : TEE*2,  MUG ,SKU-9 * 3")
    assert (parcel.length_cm, parcel.weight_kg) == (Decimal("30"), Decimal("1.2"))
    assert parcel.contents == (("TEE", 2), ("MUG", 1), ("SKU-9", 3))


def test_a_sku_typed_twice_counts_its_units_together():
    assert parcel_parse("30x20x10@1.2: TEE*2, MUG, TEE").contents == (("TEE", 3), ("MUG", 1))


def test_a_parcel_without_contents_is_as_before():
    assert parcel_parse("30x20x10@1.2").contents == ()
    assert parcel_parse("30x20x10@1.2:").contents == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30x20x10@1: TEE*x", ("invalid_parcel", "parcels")),
        ("30x20x10@1: TEE*-1", ("invalid_parcel", "parcels")),
        ("30x20x10@1: TEE*1234567", ("invalid_parcel", "parcels")),
        ("30x20x10@1: TEE*0", ("invalid_parcel", "contents.0.quantity")),
        (f"30x20x10@1: TEE*{MAX_UNITS + 1}", ("invalid_parcel", "contents.0.quantity")),
        ("30x20x10@1: *2", ("invalid_parcel", "contents.0.sku")),
        ("30x20x10@1: " + "X" * 65, ("invalid_parcel", "contents.0.sku")),
    ],
)
def test_a_badly_typed_item_is_refused_naming_where(text, expected):
    code, _message, field = _refusal(lambda: parcel_parse(text))
    assert (code, field) == expected


def test_a_parcel_names_at_most_so_many_skus():
    many = tuple((f"S{i}", 1) for i in range(MAX_CONTENT_LINES + 1))
    code, message, field = _refusal(lambda: Parcel(*(Decimal(1),) * 4, contents=many))
    assert (code, message, field) == (
        "invalid_parcel",
        f"A parcel names at most {MAX_CONTENT_LINES} SKUs.",
        "contents",
    )
    assert len(Parcel(*(Decimal(1),) * 4, contents=many[:-1]).contents) == MAX_CONTENT_LINES


def test_a_sku_named_twice_in_a_parcel_is_refused():
    twice = (("TEE", 1), ("TEE", 2))
    code, message, field = _refusal(lambda: Parcel(*(Decimal(1),) * 4, contents=twice))
    assert (code, message, field) == (
        "invalid_parcel",
        "A parcel's SKU 'TEE': named twice.",
        "contents.1.sku",
    )


_SKU = st.text(alphabet="ABCDEFGHIJ-_0123456789", min_size=1, max_size=64)


@given(
    sides=st.tuples(*[st.decimals("0.001", "999.999", places=3)] * 4),
    contents=st.dictionaries(_SKU, st.integers(1, MAX_UNITS), max_size=20),
)
def test_a_parcel_reads_back_from_its_text(sides, contents):
    parcel = Parcel(*sides, contents=tuple(contents.items()))
    assert parcel_parse(parcel_text(parcel)) == parcel


# -- against the open units ----------------------------------------------------------------------


def test_parcels_holding_the_open_units_between_them_pass():
    contents_within([(("TEE", 1),), (("TEE", 1), ("MUG", 1))], OPEN)
    contents_within([(), ()], OPEN)  # none says: every parcel declares every open unit


@pytest.mark.parametrize(
    ("parcels", "message", "field"),
    [
        (
            [(("TEE", 1),), ()],
            "Parcel 2 does not say what it holds while others do: say it for each parcel, "
            "or for none.",
            "parcels.1.contents",
        ),
        (
            [(("CAP", 1),)],
            "Parcel 1 holds CAP, which is not open on this fulfillment order (open: TEE×2, MUG×1).",
            "parcels.0.contents.0.sku",
        ),
        (
            [(("TEE", 2),), (("MUG", 1), ("TEE", 1))],
            "The parcels hold 3 of TEE; 2 are open.",
            "parcels.1.contents.1.quantity",
        ),
    ],
)
def test_contents_beyond_the_open_units_are_refused_naming_the_parcel(parcels, message, field):
    assert _refusal(lambda: contents_within(parcels, OPEN)) == (
        "parcel_contents_invalid",
        message,
        field,
    )


def test_a_sku_on_two_lines_fills_the_first_lines_open_units_first():
    lines = [(1, "TEE", 2), (2, "MUG", 1), (3, "TEE", 4)]
    assert open_by_sku((sku, n) for _, sku, n in lines) == {"TEE": 6, "MUG": 1}
    assert units_by_line((("TEE", 3),), lines) == {1: 2, 2: 0, 3: 1}
    assert units_by_line((("MUG", 1), ("TEE", 1)), lines) == {1: 1, 2: 1, 3: 0}
