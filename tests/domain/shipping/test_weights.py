"""Billable weight: the greater of actual and dimensional, rounded up to the service's
increment, in the service's units, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.weights import DimRule, Parcel, billable_weight, up_to

D = Decimal
INTERNATIONAL = DimRule("kg", D(5000), D(0), D("0.5"))
UPS = DimRule("lb", D(139), D(0), D(1))
USPS = DimRule("lb", D(166), D(1728), D(1))


def test_a_light_bulky_box_is_billed_by_its_volume_internationally():
    # given a 40 × 30 × 30 cm box of 2 kg: 36,000 cm³ / 5000 = 7.2 kg dimensional
    box = Parcel(D(40), D(30), D(30), D(2))
    # when it is weighed for an international service
    w = billable_weight(box, INTERNATIONAL)
    # then it is billed 7.5 kg (7.2 rounded up to the half kilo), by volume
    assert (w.actual, w.dimensional, w.billable, w.by_volume) == (
        D("2.000"),
        D("7.200"),
        D("7.5"),
        True,
    )
    assert "billed on the dimensional weight, rounded up to 7.5 kg" in w.why()


def test_ups_divides_cubic_inches_by_139_and_rounds_up_to_the_pound():
    # given a 12 × 12 × 12 in box (30.48 cm a side, exactly) of 5 lb
    box = Parcel(D("30.48"), D("30.48"), D("30.48"), D(5) * D("0.45359237"))
    # when weighed for UPS: 1728 / 139 = 12.43 lb
    w = billable_weight(box, UPS)
    # then 13 lb are billed
    assert (w.actual, w.dimensional, w.billable) == (D("5.000"), D("12.432"), D(13))


def test_usps_weighs_volume_only_above_one_cubic_foot():
    # given exactly one cubic foot of 3 lb, and a box a little larger
    cube = Parcel(D("30.48"), D("30.48"), D("30.48"), D(3) * D("0.45359237"))
    larger = Parcel(D("30.48"), D("30.48"), D("33.02"), D(3) * D("0.45359237"))  # 13 in
    # then the cube is billed by its weight, the larger box by 12×12×13/166 = 11.28 → 12 lb
    assert billable_weight(cube, USPS).billable == D(3)
    assert billable_weight(larger, USPS).billable == D(12)


def test_a_heavy_small_box_is_billed_by_its_weight():
    w = billable_weight(Parcel(D(20), D(15), D(10), D("4.2")), INTERNATIONAL)
    assert (w.billable, w.by_volume) == (D("4.5"), False)


@pytest.mark.parametrize("name", ["length_cm", "width_cm", "height_cm", "weight_kg"])
def test_a_parcel_without_size_or_weight_is_refused_naming_what(name):
    values = {"length_cm": D(10), "width_cm": D(10), "height_cm": D(10), "weight_kg": D(1)}
    values[name] = D(0)
    with pytest.raises(DomainError) as refused:
        Parcel(**values)
    assert (refused.value.code, refused.value.errors[0]["field"]) == ("invalid_parcel", name)


sizes = st.decimals(min_value=D("0.1"), max_value=D(300), places=1)


@given(
    sizes,
    sizes,
    sizes,
    st.decimals(min_value=D("0.01"), max_value=D(70), places=2),
    st.sampled_from([INTERNATIONAL, UPS, USPS]),
)
def test_billable_is_never_below_either_weight_nor_a_step_above_the_greater(long, w, h, kg, rule):
    parcel = Parcel(long, w, h, kg)
    got = billable_weight(parcel, rule)
    exact = max(parcel.weight(rule.unit), _dimensional(parcel, rule))
    assert exact <= got.billable < exact + rule.increment
    assert (got.billable / rule.increment) == (got.billable / rule.increment).to_integral_value()


def _dimensional(parcel: Parcel, rule: DimRule) -> Decimal:
    a, b, c = parcel.sides(rule.unit)
    volume = a * b * c
    return volume / rule.divisor if volume > rule.min_volume else D(0)


def test_up_to_keeps_an_exact_step():
    assert (up_to(D("7.5"), D("0.5")), up_to(D("7.5001"), D("0.5"))) == (D("7.5"), D(8))
