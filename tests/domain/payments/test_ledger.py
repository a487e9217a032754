"""The payment ledger's arithmetic: balances from transactions, what shipments make due,
refunds of units, card numbers refused. No database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum
from ordino.payments.domain.cards import card_data_check, looks_like_pan
from ordino.payments.domain.ledger import LineMoney, Txn, order_balance, payment_balance
from ordino.payments.domain.schedule import LineUnits, capture_due, line_refund, split_over


def test_only_succeeded_transactions_move_money_and_in_flight_ones_are_held():
    # given an authorization, a capture that succeeded, one in flight and a declined refund
    txns = [
        Txn(1, "authorize", D("100.00"), "succeeded"),
        Txn(1, "capture", D("30.00"), "succeeded"),
        Txn(1, "capture", D("20.00"), "unknown"),
        Txn(1, "refund", D("10.00"), "failed", declined=True),
    ]
    # when the balance is computed
    b = payment_balance(1, txns)
    # then captured counts the success, open holds back the capture in flight, the declined
    # refund never happened
    assert (b.authorized, b.captured, b.refunded, b.open, b.refundable) == (
        D("100.00"), D("30.00"), D("0"), D("50.00"), D("30.00"),
    )  # fmt: skip


def test_a_failed_call_the_provider_did_not_decline_is_in_flight():
    # given a capture and a refund that failed at the provider (an error: retried with its key)
    txns = [
        Txn(1, "authorize", D("100.00"), "succeeded"),
        Txn(1, "capture", D("60.00"), "succeeded"),
        Txn(1, "capture", D("40.00"), "failed"),
        Txn(1, "refund", D("25.00"), "failed"),
    ]
    # when the balance is computed
    b = payment_balance(1, txns)
    # then both are held as in flight: nothing left open to capture, 35 left to refund
    assert (b.captured, b.capturing, b.open, b.refunding, b.refundable) == (
        D("60.00"), D("40.00"), D("0"), D("25.00"), D("35.00"),
    )  # fmt: skip


def test_reauthorization_moves_no_money():
    txns = [Txn(1, "authorize", D("5"), "succeeded"), Txn(1, "reauthorize", D("5"), "succeeded")]
    assert payment_balance(1, txns).authorized == D("5")


@pytest.mark.parametrize(
    ("currency", "price", "expected_first"),
    [("JPY", D("1000"), D("333")), ("EUR", D("10.00"), D("3.33")), ("KWD", D("1.000"), D("0.333"))],
)
def test_captures_follow_shipped_units_and_the_last_takes_the_remainder(
    currency, price, expected_first
):
    # given one line of 3 units worth `price` in all and no shipping
    def line(shipped: int) -> LineUnits:
        return LineUnits(1, price, D(0), ordered=3, cancelled=0, shipped=shipped)

    # when 1 unit, then all 3, shipped
    first = capture_due(lines=[line(1)], current_total=price, currency=currency)
    last = capture_due(lines=[line(3)], current_total=price, currency=currency)
    # then the first capture is one unit's share, the last exactly the total
    assert first == expected_first
    assert last == price


def test_shipping_is_captured_with_the_first_shipment():
    lines = [LineUnits(1, D("20.00"), D(0), 2, 0, 1), LineUnits(2, D("10.00"), D(0), 1, 0, 0)]
    assert capture_due(lines=lines, current_total=D("34.90"), currency="EUR") == D("14.90")


def test_cancelled_units_are_not_due():
    # 3 units of 30.00, 1 cancelled (current total 20.00), 2 shipped: all due
    lines = [LineUnits(1, D("30.00"), D(0), 3, 1, 2)]
    assert capture_due(lines=lines, current_total=D("20.00"), currency="EUR") == D("20.00")


def test_split_takes_in_order_and_at_most_what_each_has():
    assert split_over(D("15"), [(1, D("10")), (2, D("10"))]) == [(1, D("10")), (2, D("5"))]
    assert split_over(D("0"), [(1, D("10"))]) == []


def test_line_refunds_unit_by_unit_add_up_to_the_line():
    line = LineUnits(1, D("10.00"), D("1.60"), ordered=3, cancelled=0, shipped=3)
    parts = [
        line_refund(line=line, quantity=1, refunded_before=i, currency="EUR") for i in range(3)
    ]
    assert sum(p.amount for p in parts) == D("10.00")
    assert sum(p.tax for p in parts) == D("1.60")


def test_refunding_every_unit_kept_after_a_cancellation_gives_back_the_money_left():
    # given 4 units for 493.81 EUR, 2 cancelled (the last two's share 246.90: the line 246.91)
    line = LineUnits(1, D("493.81"), D("0.01"), ordered=4, cancelled=2, shipped=2)
    # when both kept units are refunded, one by one
    parts = [
        line_refund(line=line, quantity=1, refunded_before=i, currency="EUR") for i in range(2)
    ]
    # then they give back the line's money now, as its invoices billed it, not a cent more
    assert [p.amount for p in parts] == [D("123.45"), D("123.46")]
    assert sum(p.amount for p in parts) == line.money_now("EUR") == D("246.91")


def test_refunding_more_units_than_shipped_is_refused():
    line = LineUnits(1, D("10.00"), D(0), ordered=3, cancelled=0, shipped=1)
    with pytest.raises(DomainError) as exc:
        line_refund(line=line, quantity=2, refunded_before=0, currency="EUR")
    assert exc.value.code == "refund_exceeds_units"


@pytest.mark.parametrize(
    "text", ["4242424242424242", "4242 4242 4242 4242", "card 5555-5555-5555-4444 exp"]
)
def test_card_numbers_are_recognised(text):
    assert looks_like_pan(text)


@pytest.mark.parametrize("text", ["tok_approve", "pm_1Nq2", "1234567890123", "order 42"])
def test_tokens_are_not_card_numbers(text):
    assert not looks_like_pan(text)


def test_a_card_number_as_token_is_refused():
    with pytest.raises(DomainError) as exc:
        card_data_check(token="4000056655665556", brand="", last4="", field="payments.0")
    assert (exc.value.code, exc.value.errors[0]["field"]) == (
        "card_number_refused",
        "payments.0.token",
    )


# --- the invariants, over random sequences (part 7 of issue 10) --------------------------------

CURRENCIES = st.sampled_from(["JPY", "EUR", "KWD"])
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["authorize", "capture", "void", "refund"]),
        st.integers(min_value=0, max_value=1),  # which payment
        st.integers(min_value=1, max_value=50_000),  # minor units asked
        st.sampled_from(["succeeded", "succeeded", "failed", "unknown"]),
    ),
    max_size=40,
)


@given(
    currency=CURRENCIES,
    steps=STEPS,
    weights=st.lists(st.integers(0, 10_000), min_size=1, max_size=5),
)
def test_random_sequences_keep_the_invariants(currency, steps, weights):
    # given two payments and a random sequence of calls, each asked only for what the ledger
    # allows (as the services ask), with random outcomes
    q = quantum(currency)
    txns: list[Txn] = []
    for kind, pid, units, status in steps:
        b = payment_balance(pid, txns)
        room = {
            "authorize": D(units) * q,
            "capture": b.open,
            "void": b.open,
            "refund": b.refundable,
        }[kind]
        amount = min(D(units) * q, room)
        if amount > 0:
            txns.append(Txn(pid, kind, amount, status))
        # then after every step: nothing negative, refunded <= captured <= authorized - voided
        for p in (0, 1):
            bal = payment_balance(p, txns)
            assert min(bal.authorized, bal.captured, bal.refunded, bal.voided, bal.open) >= 0
            assert bal.refunded + bal.refunding <= bal.captured + _flying(txns, p, "capture")
            assert bal.refunded <= bal.captured
            assert bal.captured + bal.voided <= bal.authorized
    # and the order's line allocations add up exactly to its totals
    lines = [LineMoney(i + 1, D(w) * q, shipped=D(w // 3) * q) for i, w in enumerate(weights)]
    ordered = sum((x.amount for x in lines), D(0))
    balance = order_balance(
        currency=currency, ordered=ordered, payment_ids=[0, 1], txns=txns, lines=lines
    )
    assert sum((x.captured for x in balance.lines), D(0)) == balance.captured
    assert balance.outstanding >= 0 and balance.overpaid >= 0
    assert all(x.captured >= 0 for x in balance.lines)


def _flying(txns: list[Txn], pid: int, kind: str) -> D:
    return sum((t.amount for t in txns if t.payment_id == pid and t.kind == kind
                and t.status in ("pending", "unknown")), D(0))  # fmt: skip
