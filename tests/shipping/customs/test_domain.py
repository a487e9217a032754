"""The customs rules, pure (docs/shipping.md, "Customs"): which parcels need a declaration, an
item per order line with the paid price of its units, exact; the CN22/CN23 choice; a refusal
naming every SKU without customs data; the value limit; the US export exemption."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.customs import (
    EU_CUSTOMS_UNION,
    LineToDeclare,
    declaration_make,
    declaration_needed,
    eel_pfc,
)


def line(sku="TEE", quantity=2, ordered=2, total="39.98", **extra) -> LineToDeclare:
    given = {"name": f"Item {sku}", "hs_code": "610910", "origin_country": "PT",
             "description": "Cotton T-shirt", "unit_weight_grams": 180, **extra}  # fmt: skip
    return LineToDeclare(sku=sku, quantity=quantity, ordered=ordered,
                         line_total=Decimal(total), **given)  # fmt: skip


def make(lines, **extra):
    given = {"currency": "EUR", "signer": "Lager Ost", "sender_country": "DE",
             "recipient_country": "CH", **extra}  # fmt: skip
    return declaration_make(lines=lines, **given)


def test_the_eu_customs_union_is_the_27_member_states():
    assert len(EU_CUSTOMS_UNION) == 27
    assert {"DE", "FR", "IE", "CY", "HR"} <= EU_CUSTOMS_UNION
    assert not {"GB", "CH", "NO", "IS", "LI", "MC"} & EU_CUSTOMS_UNION


@pytest.mark.parametrize(
    ("origin", "destination", "needed"),
    [
        ("DE", "DE", False),  # domestic
        ("DE", "FR", False),  # inside the customs union
        ("de", "at", False),  # case does not matter
        ("DE", "CH", True),  # leaving it
        ("DE", "GB", True),
        ("CH", "DE", True),  # entering it
        ("US", "CA", True),
        ("US", "US", False),
        ("GB", "NO", True),
    ],
)
def test_a_declaration_is_needed_across_a_customs_border(origin, destination, needed):
    assert declaration_needed(origin, destination) is needed


def test_an_item_per_line_with_its_paid_price_and_weight():
    # given two lines, one shipping 1 of 3 units paid 59.70 together
    declaration = make([line(), line("MUG", quantity=1, ordered=3, total="59.70",
                                     hs_code="691200", origin_country="CN",
                                     description="", unit_weight_grams=350)])  # fmt: skip
    # then each line is an item, valued at its share of what was paid, exact
    assert [(i.sku, i.description, i.quantity, i.value, i.net_weight_grams, i.hs_code,
             i.origin_country) for i in declaration.items] == [
        ("TEE", "Cotton T-shirt", 2, Decimal("39.98"), 360, "610910", "PT"),
        ("MUG", "Item MUG", 1, Decimal("19.90"), 350, "691200", "CN"),
    ]  # fmt: skip
    assert (declaration.value, declaration.net_weight_grams) == (Decimal("59.88"), 710)
    assert (declaration.form, declaration.contents_type, declaration.non_delivery) == (
        "CN22",
        "merchandise",
        "return",
    )
    assert (declaration.signer, declaration.currency) == ("Lager Ost", "EUR")


def test_a_share_is_rounded_half_up_to_the_currency_minor_unit():
    # 10.00 for 3 units: one unit is 3.333..., declared 3.33; in JPY, 1000 / 3 → 333
    assert make([line(quantity=1, ordered=3, total="10.00")]).items[0].value == Decimal("3.33")
    jpy = make([line(quantity=2, ordered=3, total="1000")], currency="JPY")
    assert jpy.items[0].value == Decimal("667")


def test_a_cn23_past_300_or_past_four_items():
    assert make([line(total="300.00")]).form == "CN22"
    assert make([line(total="300.01")]).form == "CN23"
    five = [line(f"S{i}", total="1.00") for i in range(5)]
    assert make(five[:4]).form == "CN22"
    assert make(five).form == "CN23"


def test_a_line_with_nothing_in_the_parcel_is_left_out_and_an_empty_parcel_refused():
    assert [i.sku for i in make([line(), line("MUG", quantity=0)]).items] == ["TEE"]
    with pytest.raises(DomainError) as refused:
        make([line(quantity=0)])
    assert (refused.value.code, refused.value.status) == ("nothing_to_declare", 409)


def test_skus_without_customs_data_are_refused_naming_each():
    with pytest.raises(DomainError) as refused:
        make([line(hs_code=""), line("MUG", origin_country="", unit_weight_grams=None),
              line("CAP")])  # fmt: skip
    error = refused.value
    assert (error.code, error.status) == ("customs_data_missing", 422)
    assert "TEE, MUG" not in error.message and "MUG, TEE" in error.message
    assert [e["field"] for e in error.errors] == [
        "TEE.hs_code",
        "MUG.origin_country",
        "MUG.weight_grams",
    ]


def test_a_value_past_the_limit_is_refused():
    assert make([line(total="1000.00")]).value == Decimal("1000.00")
    with pytest.raises(DomainError) as refused:
        make([line(total="1000.01")])
    assert refused.value.code == "customs_value_over_limit"
    assert make([line(total="1500")], value_limit=Decimal(2000)).form == "CN23"


def test_the_us_export_exemption():
    assert eel_pfc(make([line()], sender_country="US", recipient_country="GB")) == (
        "NOEEI 30.37(a)"
    )
    assert eel_pfc(make([line()], sender_country="US", recipient_country="CA")) == "NOEEI 30.36"
    assert eel_pfc(make([line()])) == ""


def test_units_given_free_are_declared_at_their_price_before_discounts():
    # given a line discounted to nothing (a free mug priced 9.50), beside a paid one
    free = line("MUG", quantity=2, ordered=2, total="0.00", unit_price=Decimal("9.50"))
    # when the parcel is declared
    declaration = make([line(), free])
    # then the free units carry their price, the paid ones what was paid
    assert [(i.sku, i.value) for i in declaration.items] == [
        ("TEE", Decimal("39.98")),
        ("MUG", Decimal("19.00")),
    ]


def test_a_share_rounding_to_nothing_is_declared_at_its_price():
    # given 1 of 3 units of a line paid 0.01 in all (its share rounds to 0.00), priced 4.00
    cheap = line("PIN", quantity=1, ordered=3, total="0.01", unit_price=Decimal("4.00"))
    # then the unit is declared at its price
    assert [(i.sku, i.value) for i in make([cheap]).items] == [("PIN", Decimal("4.00"))]


def test_an_item_of_no_value_at_all_is_refused_naming_it():
    # given a gift with no price, paid nothing
    gift = line("GIFT", quantity=1, ordered=1, total="0", unit_price=Decimal(0))
    # when the parcel is declared: refused, naming the SKU
    with pytest.raises(DomainError) as refused:
        make([line(), gift])
    assert (refused.value.code, refused.value.errors) == (
        "customs_value_missing",
        [{"field": "GIFT.value", "code": "required", "message": "GIFT has no value to declare."}],
    )
    assert refused.value.message == (
        "A customs declaration values each item above zero; GIFT was paid nothing and has no "
        "price. Give the line a price. Nothing was bought."
    )
