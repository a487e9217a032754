"""Captures allocated to lines with caps (payments/domain/ledger.py: allocate_capped): what a
line would get beyond what it still needs captured (an exchange moved its returned units' money
to the new lines) goes to the lines with room; the parts add up exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.money import quantum
from ordino.payments.domain.ledger import LineMoney, Txn, allocate_capped, order_balance

D = Decimal


def test_what_a_line_cannot_take_goes_to_the_lines_with_room():
    # the tee line shipped 39.98, one tee (19.99) came back in an exchange for a cap not shipped
    assert allocate_capped(D("49.48"), [D("19.99"), D("9.50"), D(0), D(0)],
                           [D("19.99"), D("9.50"), D("19.99"), D(0)], "EUR") == [
        D("19.99"), D("9.50"), D("19.99"), D("0.00"),
    ]  # fmt: skip


def test_beyond_every_cap_the_rest_follows_the_weights():
    assert allocate_capped(D("12"), [D(1), D(1)], [D(5), D(5)], "JPY") == [D(6), D(6)]


def test_an_even_exchange_leaves_nothing_outstanding_per_line():
    # two tees (39.98) and a mug (9.50) captured; a tee exchanged for a cap: the tee is back,
    # the cap not shipped yet — its money is the tee's
    b = order_balance(
        currency="EUR",
        ordered=D("49.48"),
        payment_ids=[1],
        txns=[
            Txn(1, "authorize", D("49.48"), "succeeded"),
            Txn(1, "capture", D("49.48"), "succeeded"),
        ],
        lines=[
            LineMoney(1, D("39.98"), shipped=D("39.98"), returned=D("19.99"), exchanged=D("19.99")),
            LineMoney(2, D("9.50"), shipped=D("9.50")),
            LineMoney(3, D("19.99"), shipped=D(0)),
        ],
    )
    assert b.outstanding == D(0)
    assert [(x.line_no, x.captured, x.outstanding) for x in b.lines] == [
        (1, D("19.99"), D(0)), (2, D("9.50"), D(0)), (3, D("19.99"), D(0)), (0, D(0), D(0)),
    ]  # fmt: skip


@given(
    st.sampled_from(["JPY", "EUR", "KWD"]),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=6),
    st.integers(0, 10**7),
)
def test_parts_add_up_and_stay_within_their_caps_when_they_can(currency, rows, units):
    q = quantum(currency)
    caps = [D(cap) * q for cap, _ in rows]
    weights = [min(D(w) * q, cap) for (_, w), cap in zip(rows, caps, strict=True)]
    total = D(units) * q
    parts = allocate_capped(total, weights, caps, currency)
    assert sum(parts, D(0)) == total
    assert all(p >= 0 and p == p.quantize(q) for p in parts)
    if total <= sum(caps, D(0)):
        assert all(p <= cap for p, cap in zip(parts, caps, strict=True))
