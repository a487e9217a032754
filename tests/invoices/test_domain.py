"""The invoices' pure rules: numbers, cumulative shares that tie out, the tax summary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.invoices.domain.amounts import (
    DocLine,
    OrderLineMoney,
    Totals,
    invoice_lines,
    shipping_gross_split,
    tax_summary,
    totals,
)
from ordino.invoices.domain.numbering import number_format
from ordino.orders.domain.pricing import cancelled_amount


def test_a_number_reads_prefix_year_and_six_digits():
    assert number_format(prefix="INV", year=2026, sequence=123) == "INV-2026-000123"
    assert number_format(prefix="CN", year=None, sequence=7) == "CN-000007"
    assert number_format(prefix="INV", year=2026, sequence=1234567) == "INV-2026-1234567"
    with pytest.raises(ValueError):
        number_format(prefix="INV", year=2026, sequence=0)


def line(ordered, total, tax, cancelled=0, no=1):
    return OrderLineMoney(
        no, "TEE", "Tee", ordered, cancelled, Decimal(0), Decimal(total), Decimal(tax)
    )


@pytest.mark.parametrize(
    ("currency", "total", "tax", "parts"),
    [
        # largest remainder: 1 of 3 units is 333.33 → 333; 2 of 3 is 666.67 → 667; so 334 next
        ("JPY", "1000", "91", [("333", "30"), ("334", "31"), ("333", "30")]),
        ("EUR", "0.01", "0.00", [("0.00", "0.00"), ("0.01", "0.00"), ("0.00", "0.00")]),
        ("EUR", "10.00", "1.60", [("3.33", "0.53"), ("3.34", "0.54"), ("3.33", "0.53")]),
        ("KWD", "1.000", "0.050", [("0.333", "0.017"), ("0.334", "0.016"), ("0.333", "0.017")]),
    ],
)
def test_three_shipments_of_one_unit_each_add_up_to_the_line(currency, total, tax, parts):
    # given a line of 3 units; when each unit ships on its own invoice
    got = []
    for before in range(3):
        (doc,) = invoice_lines(
            [line(3, total, tax)], billed_before={1: before}, billing={1: 1}, currency=currency
        )
        got.append((doc.total, doc.tax))
        assert doc.net == doc.total - doc.tax
    # then each takes its cumulative share, and together they are the line exactly
    assert got == [(Decimal(a), Decimal(b)) for a, b in parts]
    assert sum(t for t, _ in got) == Decimal(total)
    assert sum(x for _, x in got) == Decimal(tax)


def test_billing_beyond_what_is_left_is_refused():
    with pytest.raises(ValueError):
        invoice_lines(
            [line(3, "9.00", "0", cancelled=1)],
            billed_before={1: 1},
            billing={1: 2},
            currency="EUR",
        )


@given(
    ordered=st.integers(1, 12),
    cancelled=st.integers(0, 11),
    minor=st.integers(0, 10**6),
    tax_share=st.integers(0, 100),
    cuts=st.lists(st.integers(1, 12), max_size=12),
    currency=st.sampled_from(["JPY", "EUR", "KWD"]),
)
def test_invoices_and_cancellations_add_up_to_the_line(
    ordered, cancelled, minor, tax_share, cuts, currency
):
    # given a line, some of its units cancelled, the rest shipped in any number of parts
    cancelled = min(cancelled, ordered - 1)
    places = {"JPY": 0, "EUR": 2, "KWD": 3}[currency]
    total = Decimal(minor).scaleb(-places)
    tax = (total * tax_share / 100).quantize(Decimal(1).scaleb(-places))
    left, billed, invoiced_total, invoiced_tax = ordered - cancelled, 0, Decimal(0), Decimal(0)
    for cut in [*cuts, left]:
        units = min(cut, left - billed)
        if not units:
            continue
        (doc,) = invoice_lines(
            [line(ordered, total, tax, cancelled)],
            billed_before={1: billed},
            billing={1: units},
            currency=currency,
        )
        billed += units
        invoiced_total += doc.total
        invoiced_tax += doc.tax
    # then the invoices and the cancelled share (as orders' cancel counts it) are the line
    assert invoiced_total + cancelled_amount(total, ordered, cancelled, currency) == total
    assert invoiced_tax + cancelled_amount(tax, ordered, cancelled, currency) == tax


def test_the_tax_summary_groups_by_rate_with_shipping_under_unknown():
    # given a 19% line, a 7% line and one of unknown rate, and shipping
    docs = [
        DocLine(
            1,
            "TEE",
            "",
            1,
            Decimal("10"),
            Decimal("10.00"),
            Decimal("1.90"),
            Decimal("11.90"),
            Decimal("19"),
        ),
        DocLine(
            2,
            "BOOK",
            "",
            1,
            Decimal("10"),
            Decimal("10.00"),
            Decimal("0.70"),
            Decimal("10.70"),
            Decimal("7"),
        ),
        DocLine(3, "MUG", "", 1, Decimal("5"), Decimal("5.00"), Decimal("0.50"), Decimal("5.50")),
    ]
    # then one row per rate, ascending, the unknown rate (with shipping) last
    assert tax_summary(docs, Decimal("4.00"), Decimal("0.76")) == [
        (Decimal("7"), Decimal("10.00"), Decimal("0.70")),
        (Decimal("19"), Decimal("10.00"), Decimal("1.90")),
        (None, Decimal("9.00"), Decimal("1.26")),
    ]
    assert totals(docs, Decimal("4.00"), Decimal("0.76")) == Totals(
        Decimal("29.00"), Decimal("3.86"), Decimal("32.86")
    )


@pytest.mark.parametrize(
    ("currency", "price", "tax", "parts"),
    [
        ("EUR", Decimal("4.95"), Decimal("0.94"), [Decimal("2"), Decimal("1"), Decimal("2.89")]),
        ("JPY", Decimal("500"), Decimal("50"), [Decimal("1"), Decimal("549")]),
        ("KWD", Decimal("1.000"), Decimal("0.150"), [Decimal("0.333"), Decimal("0.817")]),
    ],
)
def test_shipping_given_back_in_parts_splits_its_tax_exactly(currency, price, tax, parts):
    # given shipping of `price` + `tax`, given back in `parts` that add up to all of it
    before, nets, taxes = Decimal(0), [], []
    for gross in parts:
        # when each part is split into net and tax
        net, part_tax = shipping_gross_split(
            gross, before=before, price=price, tax=tax, currency=currency
        )
        before += gross
        nets.append(net)
        taxes.append(part_tax)
        assert net + part_tax == gross
    # then the parts' tax adds up exactly to the shipping's tax, and the nets to its price
    assert (sum(taxes), sum(nets)) == (tax, price)
