"""A quote says why; a parcel a service cannot carry gets a reason instead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ordino.shipping.domain.policy import offer_choose, offers_make
from ordino.shipping.domain.quote import Destination, Service, Surcharge, parcel_quote
from ordino.shipping.domain.sheets import Bracket, rate_sheet_check
from ordino.shipping.domain.weights import DimRule, Parcel
from ordino.shipping.domain.zones import ZoneRule, zone_rules_check

D = Decimal
ZONES = zone_rules_check([ZoneRule("1", "DE", row=2), ZoneRule("2", "AT", row=3)])
SHEET = rate_sheet_check(
    "EUR",
    "kg",
    [
        Bracket("1", D(0), D(2), D("4.90"), row=2),
        Bracket("1", D(2), D(10), D("7.90"), row=3),
        Bracket("2", D(0), D(10), D("12.50"), row=4),
    ],
)
STANDARD = Service(
    "dhl",
    "standard",
    "DHL Paket",
    DimRule("kg", D(5000), D(0), D("0.5")),
    transit_days=2,
    max_weight=D(10),
    max_longest=D(120),
    max_length_plus_girth=D(300),
    surcharges=(
        Surcharge("fuel", percent=D("12.5")),
        Surcharge("residential", amount=D("1.20")),
        Surcharge("oversize", amount=D("20.00"), longest=D(100)),
        Surcharge("remote_area", amount=D("5.00"), prefixes=("18565",)),  # Hiddensee
    ),
)
BOX = Parcel(D(30), D(20), D(10), D("1.2"))
HOME = Destination("DE", postal_code="10115", residential=True)


def test_a_quote_names_its_zone_weights_bracket_and_surcharges():
    q = parcel_quote(STANDARD, SHEET, ZONES, BOX, HOME)
    # 4.90 base, fuel 12.5 % = 0.6125 → 0.61, residential 1.20
    assert (q.zone.zone, q.weights.billable, q.base, q.total) == (
        "1",
        D("1.5"),
        D("4.90"),
        D("6.71"),
    )
    assert q.why == (
        "zone 1: DE (row 2)",
        "actual 1.2 kg, dimensional 1.2 kg: billed on the actual weight, rounded up to 1.5 kg",
        "bracket above 0 up to 2 kg (row 2): 4.90 EUR",
        "fuel: 0.61 EUR (12.5 % of the base 4.90)",
        "residential: 1.20 EUR (a home address)",
    )


def test_oversize_and_remote_area_apply_where_they_should():
    long_box = Parcel(D(110), D(20), D(10), D(3))  # past 100 cm, under the 120 cm limit
    q = parcel_quote(STANDARD, SHEET, ZONES, long_box, Destination("DE", postal_code="18565"))
    assert [c.kind for c in q.surcharges] == ["fuel", "oversize", "remote_area"]
    assert q.total == D("7.90") + D("0.99") + D("20.00") + D("5.00")


@pytest.mark.parametrize(
    ("parcel", "to", "code"),
    [
        (Parcel(D(130), D(20), D(10), D(3)), HOME, "parcel_too_large"),
        (Parcel(D(100), D(61), D(40), D(3)), HOME, "parcel_too_large"),  # 302 cm
        (Parcel(D(30), D(20), D(10), D(11)), HOME, "parcel_too_heavy"),
        (BOX, Destination("FR", postal_code="75001"), "address_not_covered"),
    ],
)
def test_a_parcel_the_service_cannot_carry_gets_a_reason(parcel, to, code):
    refusal = parcel_quote(STANDARD, SHEET, ZONES, parcel, to)
    assert refusal.code == code


def test_a_shipment_is_offered_only_by_services_that_carry_every_parcel():
    express = Service(
        "dhl", "express", "DHL Express", STANDARD.dim, transit_days=1, max_weight=D(5)
    )
    heavy = Parcel(D(30), D(20), D(10), D(7))
    answers = [
        [parcel_quote(s, SHEET, ZONES, p, HOME) for s in (STANDARD, express)] for p in (BOX, heavy)
    ]
    offers, left_out = offers_make(answers, date(2026, 12, 4))  # a Friday
    assert [(o.service.code, o.total, o.delivery) for o in offers] == [
        ("standard", D("6.71") + D("10.09"), date(2026, 12, 8)),  # Tuesday: 2 working days
    ]
    assert [(r.service.code, r.code) for r in left_out] == [("express", "parcel_too_heavy")]
    choice = offer_choose("cheapest", offers, left_out)
    assert choice.chosen.service.code == "standard" and choice.runners_up == ()
