"""What a label says: the parcels of a shipment, tracking numbers Code 128 can carry, text cut
to fit, "i of N", and a bulk print's order (docs/shipping.md, "Labels")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.label_text import text_cut, text_fold
from ordino.shipping.domain.labels import (
    RECIPIENT_WIDTH,
    TRACKING_MAX,
    PackageFacts,
    ShipmentFacts,
    address_lines,
    labels_of,
    labels_order,
    parcel_text,
    shipment_labels_make,
    tracking_check,
    weight_text,
)

FACTS = ShipmentFacts(
    shipment_id=5,
    order_reference="Order WEB-7",
    carrier="DHL",
    service="Paket",
    sender={
        "name": "Lager",
        "line1": "Hafenstr. 1",
        "postal_code": "20457",
        "city": "Hamburg",
        "country": "DE",
    },
    recipient={
        "name": "Ada",
        "line1": "Linden 1",
        "postal_code": "10117",
        "city": "Berlin",
        "country": "de",
    },
    day=date(2026, 12, 2),
    tracking_numbers=("T1",),
)


def test_a_shipment_without_packages_has_one_parcel_per_tracking_number():
    labels = shipment_labels_make(replace(FACTS, tracking_numbers=("T1", "T2")))
    assert [(label.tracking_number, label.parcel_text, label.weight) for label in labels] == [
        ("T1", "1 of 2", ""),
        ("T2", "2 of 2", ""),
    ]
    assert labels[0].recipient == ("Ada", "Linden 1", "10117 Berlin", "DE")
    assert labels[0].sender == ("Lager", "Hafenstr. 1", "20457 Hamburg", "DE")
    assert labels[0].reference == "Order WEB-7 / shipment 5"


def test_packages_are_the_parcels_with_their_own_weight_and_tracking_number():
    packages = (PackageFacts(1250, "P1"), PackageFacts(800, "P2"), PackageFacts(None, "P3"))
    facts = replace(FACTS, tracking_numbers=("P1", "P2", "P3"), packages=packages)
    labels = shipment_labels_make(facts)
    assert [(label.tracking_number, label.weight, label.parcel_text) for label in labels] == [
        ("P1", "1.25 kg", "1 of 3"),
        ("P2", "0.8 kg", "2 of 3"),
        ("P3", "", "3 of 3"),
    ]


def test_a_single_package_takes_the_shipments_single_tracking_number():
    facts = replace(FACTS, tracking_numbers=("ONLY",), packages=(PackageFacts(500, ""),))
    assert [label.tracking_number for label in shipment_labels_make(facts)] == ["ONLY"]


def test_a_package_without_a_tracking_number_is_refused_naming_it():
    packages = (PackageFacts(500, "P1"), PackageFacts(700, ""))
    facts = replace(FACTS, tracking_numbers=("P1", "P2"), packages=packages)
    with pytest.raises(DomainError) as refused:
        shipment_labels_make(facts)
    assert refused.value.code == "package_without_tracking"
    assert refused.value.message == (
        "Package 2 of shipment 5 has no tracking number: its label would have no barcode."
    )
    assert refused.value.errors[0]["field"] == "packages.1.tracking_number"


@pytest.mark.parametrize(
    "value", ["", "X" * (TRACKING_MAX + 1), "AB\tC", "ABC\x7f", "ÄBC", "AB\nC", "中"]
)
def test_a_tracking_number_code_128_cannot_carry_is_refused_naming_the_field(value):
    with pytest.raises(DomainError) as refused:
        tracking_check(value, field="tracking_numbers.0")
    assert refused.value.code == "tracking_not_printable"
    assert refused.value.errors[0]["field"] == "tracking_numbers.0"


@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40))
def test_every_printable_ascii_tracking_number_up_to_40_is_taken_as_it_is(value):
    assert tracking_check(value, field="f") == value


def test_a_stored_tracking_number_too_long_for_a_barcode_names_its_package():
    packages = (PackageFacts(500, "P1"), PackageFacts(500, "Y" * 41))
    with pytest.raises(DomainError) as refused:
        shipment_labels_make(replace(FACTS, packages=packages))
    assert refused.value.errors[0]["field"] == "packages.1.tracking_number"


def test_parcel_text_and_weight_text():
    assert parcel_text(1, 1) == "1 of 1"
    assert parcel_text(12, 999) == "12 of 999"
    with pytest.raises(ValueError):
        parcel_text(3, 2)
    assert weight_text(1000) == "1 kg"
    assert weight_text(31500) == "31.5 kg"
    assert weight_text(None) == ""


def test_text_folds_to_what_the_fonts_print_and_cuts_with_a_mark():
    assert text_fold("Łódź\tul.\n  Piotrkowska  中") == "Lódz ul. Piotrkowska ?"
    assert text_fold("Zoë Straße €5 Œuvre") == "Zoë Straße €5 Œuvre"
    assert text_cut("Unter den Linden 1", 10) == "Unter d..."
    assert text_cut("short", 10) == "short"


@given(st.text(max_size=300), st.integers(min_value=4, max_value=60))
def test_cut_text_always_fits_prints_and_has_no_controls(text, limit):
    cut = text_cut(text, limit)
    assert len(cut) <= limit
    cut.encode("cp1252")
    assert cut == " ".join(cut.split())


def test_empty_address_parts_leave_no_lines():
    assert address_lines(
        {"line1": "Hauptstr. 5", "city": "Köln", "country": "de", "name": " ", "region": ""},
        width=34,
        company=True,
    ) == (
        "Hauptstr. 5",
        "Köln",
        "DE",
    )
    long = address_lines({"name": "N" * 80, "company": "ACME"}, width=RECIPIENT_WIDTH, company=True)
    assert long == ("N" * 31 + "...", "ACME")


def test_a_bulk_print_is_by_shipment_then_parcel_each_once():
    a = shipment_labels_make(replace(FACTS, shipment_id=9, tracking_numbers=("A1", "A2")))
    b = shipment_labels_make(replace(FACTS, shipment_id=3, tracking_numbers=("B1",)))
    ordered = labels_order([a[1], b[0], a[0], a[1], b[0]])
    assert [(label.shipment_id, label.index) for label in ordered] == [(3, 1), (9, 1), (9, 2)]


def test_one_tracking_number_on_two_parcels_is_refused_naming_both():
    with pytest.raises(DomainError) as refused:
        labels_of([FACTS, replace(FACTS, shipment_id=6)])
    assert refused.value.code == "duplicate_tracking_number"
    assert refused.value.message == (
        "Tracking number 'T1' is on parcel 1 of 1 of shipment 5 and parcel 1 of 1 of shipment "
        "6: a parcel's label is printed once."
    )


@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 4)), max_size=60))
def test_any_listing_of_shipments_prints_each_parcel_once_in_order(picks):
    # given shipments listed in any order, some more than once
    shipments = [
        replace(FACTS, shipment_id=sid, tracking_numbers=tuple(f"S{sid}P{i}" for i in range(n)))
        for sid, n in picks
    ]
    unique = {f.shipment_id: f for f in shipments}  # the last listing of a shipment wins
    # when their labels are ordered
    labels = labels_order(label for f in unique.values() for label in shipment_labels_make(f))
    # then every parcel once, by shipment then parcel
    keys = [label.key for label in labels]
    assert keys == sorted(set(keys))
    assert len(keys) == sum(len(f.tracking_numbers) for f in unique.values())
