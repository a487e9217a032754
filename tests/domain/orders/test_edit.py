from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from ordino.core.domain.errors import DomainError
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.orders.domain import status as st
from ordino.orders.domain.cancellation import LineCut
from ordino.orders.domain.edit import (
    LineState,
    NewLine,
    edit_plan,
    line_value,
)
from ordino.orders.domain.edit_result import edit_apply, edit_status
from ordino.orders.domain.pricing import LineMoneyIn, order_price

D = Decimal


def line(
    line_no=1,
    *,
    ordered=3,
    cancelled=0,
    backordered=0,
    allocated=None,
    unit_price="10.00",
    line_discount="0",
    order_discount="0",
    tax="0",
    total=None,
    holdings=None,
    released="",
    needs=None,
):
    allocated = ordered - cancelled - backordered if allocated is None else allocated
    unit, disc, share, tax_ = D(unit_price), D(line_discount), D(order_discount), D(tax)
    return LineState(
        line_no=line_no,
        ordered=ordered,
        cancelled=cancelled,
        backordered=backordered,
        allocated=allocated,
        shipped=0,
        unit_price=unit,
        line_discount=disc,
        order_discount=share,
        tax=tax_,
        total=D(total) if total is not None else unit * ordered - disc - share + tax_,
        needs=needs or {100 + line_no: 1},
        holdings=holdings if holdings is not None else [(line_no * 10, 1, allocated)],
        released=released,
    )


def new(sku="CAP", quantity=2, unit_price="7.50", discount="0", tax="0", needs=None):
    return NewLine(sku, quantity, D(unit_price), D(discount), D(tax), needs or {200: 1})


def test_a_reduction_cancels_backordered_units_first_and_gives_back_their_share():
    # given 3 tees: 1 backordered, 2 reserved; line total 30.00
    tees = line(backordered=1)
    # when the customer wants 1
    plan = edit_plan(currency="EUR", lines=[tees], change=[(1, 1)])
    # then the backordered unit and one reserved unit are cancelled, one item released
    assert plan.cancellation.lines == [LineCut(1, 2, 1, 1)]
    assert plan.cancellation.releases == {(1, 101): 1}
    assert plan.amount_delta == D("-20.00")
    assert plan.demands == []


def test_removing_a_line_cancels_everything_left_of_it():
    plan = edit_plan(currency="EUR", lines=[line(1), line(2, ordered=1)], remove=[2])
    assert plan.cancellation.lines == [LineCut(2, 1, 0, 1)]
    assert plan.cancellation.holding_cuts == [(20, 1)]
    assert plan.amount_delta == D("-10.00")


def test_an_increase_prices_new_units_like_the_old_and_keeps_the_order_discount_share():
    # given 2 × 10.00 with 1.00 line discount, 1.90 tax and 0.50 of the order discount: 20.40
    mugs = line(ordered=2, line_discount="1.00", tax="1.90", order_discount="0.50")
    assert mugs.total == D("20.40")
    # when the customer wants 3
    plan = edit_plan(currency="EUR", lines=[mugs], change=[(1, 3)])
    # then discount and tax scale with the quantity, the order discount share does not
    [increase] = plan.increases
    assert (increase.quantity, increase.ordered) == (1, 3)
    assert (increase.line_discount, increase.tax, increase.total) == (
        D("1.50"),
        D("2.85"),
        D("30.85"),
    )
    assert plan.amount_delta == D("10.45")
    assert plan.demands == [LineDemand(key=1, quantity=1, components={101: 1})]


def test_scaled_amounts_round_half_even_to_the_minor_unit():
    tees = line(ordered=3, tax="1.00")  # 0.333... per unit
    plan = edit_plan(currency="EUR", lines=[tees], change=[(1, 4)])
    assert plan.increases[0].tax == D("1.33")


def test_an_increase_after_a_cancellation_counts_only_units_still_wanted():
    # given 3 tees at 10.00, one already cancelled: worth 20.00
    tees = line(ordered=3, cancelled=1)
    # when the customer wants 4 again
    plan = edit_plan(currency="EUR", lines=[tees], change=[(1, 4)])
    # then 2 more are ordered (5 in all, 1 cancelled) and the line is worth 40.00
    assert (plan.increases[0].quantity, plan.increases[0].ordered) == (2, 5)
    assert plan.values == {1: (D("20.00"), D("40.00"))}
    assert plan.amount_delta == D("20.00")


def test_an_added_line_is_priced_alone_without_a_share_of_the_order_discount():
    plan = edit_plan(
        currency="EUR",
        lines=[line(1), line(2)],
        add=[new(quantity=2, unit_price="7.50", discount="1.00", tax="2.66", needs={7: 1, 8: 2})],
    )
    [added] = plan.added
    assert (added.line_no, added.order_discount, added.total) == (3, D(0), D("16.66"))
    assert plan.demands == [LineDemand(key=3, quantity=2, components={7: 1, 8: 2})]
    assert plan.amount_delta == D("16.66")


def test_a_quantity_equal_to_what_is_wanted_changes_nothing():
    plan = edit_plan(currency="EUR", lines=[line()], change=[(1, 3)])
    assert plan.empty
    assert plan.amount_delta == 0


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(DomainError) as err:
        edit_plan(
            currency="JPY",
            lines=[line(1, unit_price="1000"), line(2, ordered=2, cancelled=2)],
            add=[new(unit_price="10.5"), new(quantity=0)],
            change=[(9, 1), (1, 0), (1, 2)],
            remove=[2],
        )
    assert (err.value.code, err.value.status) == ("invalid_edit", 422)
    assert [(e["field"], e["code"]) for e in err.value.errors] == [
        ("change_lines.0.line_no", "line_not_found"),
        ("change_lines.1.quantity", "quantity_invalid"),
        ("change_lines.2.line_no", "line_repeated"),
        ("remove_lines.0", "line_cancelled"),
        ("add_lines.1.quantity", "quantity_invalid"),
    ]


def test_money_finer_than_the_currency_is_refused_on_the_added_line():
    with pytest.raises(DomainError) as err:
        edit_plan(currency="JPY", lines=[line(unit_price="1000")], add=[new(unit_price="10.5")])
    assert err.value.errors == [
        {
            "field": "add_lines.0.unit_price",
            "code": "money_precision",
            "message": "10.5 has more decimals than JPY allows (0).",
        }
    ]


def test_a_released_line_is_a_conflict_naming_it():
    held = line(2, released="fulfillment order 5 at WH-A is accepted")
    with pytest.raises(DomainError) as err:
        edit_plan(currency="EUR", lines=[line(1), held], change=[(1, 1), (2, 1)])
    assert (err.value.code, err.value.status) == ("line_released", 409)
    assert err.value.errors == [
        {
            "field": "change_lines.1.line_no",
            "code": "line_released",
            "message": "Line 2 is released: fulfillment order 5 at WH-A is accepted.",
        }
    ]


def test_removing_every_line_asks_for_a_cancellation_instead():
    with pytest.raises(DomainError) as err:
        edit_plan(currency="EUR", lines=[line(1), line(2)], remove=[1, 2])
    assert err.value.code == "edit_removes_everything"
    assert "cancel the order instead" in err.value.message


def test_removing_every_line_while_adding_one_is_an_edit():
    plan = edit_plan(currency="EUR", lines=[line(1)], remove=[1], add=[new()])
    assert plan.amount_delta == D("-30.00") + D("15.00")


def test_apply_moves_the_buckets_and_backorders_what_was_not_reserved():
    lines = [line(1, backordered=1), line(2, ordered=1)]
    plan = edit_plan(currency="EUR", lines=lines, change=[(1, 1), (2, 4)], add=[new(quantity=2)])
    after = edit_apply(lines, plan, reserved={2: 1, 3: 2})
    assert [(a.ordered, a.cancelled, a.backordered, a.allocated) for a in after] == [
        (3, 2, 0, 1),
        (4, 0, 2, 2),
        (2, 0, 0, 2),
    ]
    assert after[0].holdings == [(10, 1, 1)]
    assert edit_status(st.ALLOCATED, after) == st.BACKORDERED


def test_an_order_on_hold_stays_on_hold():
    assert edit_status(st.ON_HOLD, [line()]) == st.ON_HOLD


# Property: after any sequence of edits the buckets add up, and the money differences of the
# edits sum to current_total − grand_total, which is always shipping + what the lines are worth.

money_cents = hs.integers(min_value=0, max_value=50_000).map(lambda c: D(c).scaleb(-2))


@hs.composite
def orders(draw):
    count = draw(hs.integers(1, 4))
    inputs = []
    for _ in range(count):
        quantity = draw(hs.integers(1, 5))
        unit = draw(money_cents)
        discount = draw(hs.integers(0, int(unit * quantity * 100)))
        inputs.append(LineMoneyIn(quantity, unit, D(discount).scaleb(-2), draw(money_cents)))
    nets = sum(i.unit_price * i.quantity - i.discount for i in inputs)
    order_discount = D(draw(hs.integers(0, int(nets * 100)))).scaleb(-2)
    shipping = draw(money_cents)
    money = order_price(
        lines=inputs,
        currency="EUR",
        order_discount=order_discount,
        shipping_price=shipping,
        shipping_tax=D(0),
        expected_total=None,
    )
    lines = []
    for n, (i, priced) in enumerate(zip(inputs, money.lines, strict=True), start=1):
        allocated = draw(hs.integers(0, i.quantity))
        lines.append(
            LineState(
                line_no=n,
                ordered=i.quantity,
                cancelled=0,
                backordered=i.quantity - allocated,
                allocated=allocated,
                shipped=0,
                unit_price=i.unit_price,
                line_discount=priced.line_discount,
                order_discount=priced.order_discount,
                tax=priced.tax,
                total=priced.total,
                needs={n: 1},
                holdings=[(n, 1, allocated)] if allocated else [],
            )
        )
    return lines, money.grand_total, shipping


edits = hs.lists(
    hs.tuples(
        hs.sampled_from(["add", "change", "remove"]),
        hs.integers(1, 6),  # line number
        hs.integers(1, 8),  # quantity
        money_cents,
        hs.integers(0, 8),  # items reserved
    ),
    min_size=1,
    max_size=8,
)


def _value(lines):
    return sum((line_value(x.total, x.ordered, x.cancelled, "EUR") for x in lines), D(0))


@settings(max_examples=300, deadline=None)
@given(orders(), edits)
def test_after_any_edits_buckets_add_up_and_the_deltas_explain_current_total(order, steps):
    lines, grand_total, shipping = order
    current_total = grand_total
    deltas = []
    for step, (kind, line_no, quantity, price, reservable) in enumerate(steps):
        args = {"add": [new(sku=f"S{step}", quantity=quantity, unit_price=str(price))]}
        if kind == "change":
            args = {"change": [(line_no, quantity)]}
        elif kind == "remove":
            args = {"remove": [line_no]}
        try:
            plan = edit_plan(currency="EUR", lines=lines, **args)
        except DomainError:
            continue  # a refused edit changes nothing
        reserved = {d.key: min(d.quantity, reservable) for d in plan.demands}
        lines = edit_apply(lines, plan, reserved)
        lines = [
            replace(x, holdings=[(x.line_no * 100 + step, 1, x.allocated)] if x.allocated else [])
            for x in lines
        ]
        deltas.append(plan.amount_delta)
        current_total += plan.amount_delta
        for x in lines:
            assert x.ordered == x.cancelled + x.backordered + x.allocated + x.shipped
            assert min(x.cancelled, x.backordered, x.allocated) >= 0
        assert current_total == shipping + _value(lines)
    assert sum(deltas, D(0)) == current_total - grand_total
    assert any(x.live for x in lines)  # an edit never leaves nothing to deliver
