"""Store credit expiry's pure rules: which credit a spend takes (soonest-expiring first), what a
release gives back, what expires; and for any sequence of entries the lots left add up to the
spendable balance the replay proves (docs/payments.md, "Store credit expiry")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.payments.domain.credit import (
    CreditFigures,
    LotEntry,
    credit_apply,
    credit_expiring,
    credit_lots,
)

D = Decimal
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def test_a_spend_takes_the_soonest_expiring_credit_first_and_never_expiring_last():
    entries = [
        LotEntry(1, "goodwill", D("10"), None),
        LotEntry(2, "goodwill", D("10"), T0 + timedelta(days=30)),
        LotEntry(3, "issued", D("10"), T0 + timedelta(days=10)),
        LotEntry(4, "held", D("15"), payment_id=7),
    ]
    assert [(lot.entry_id, lot.left) for lot in credit_lots(entries)] == [
        (1, D("10")), (2, D("5")), (3, D("0")),
    ]  # fmt: skip
    # when the hold is released in part, it goes back where it came from, latest first
    released = [*entries, LotEntry(5, "released", D("7"), payment_id=7)]
    assert [(lot.entry_id, lot.left) for lot in credit_lots(released)] == [
        (1, D("10")), (2, D("10")), (3, D("2")),
    ]  # fmt: skip
    # and what is left of each passed expiry expires, soonest first
    assert credit_expiring(released, T0 + timedelta(days=31)) == [(3, D("2")), (2, D("10"))]
    assert credit_expiring(released, T0 + timedelta(days=10)) == [(3, D("2"))]
    assert credit_expiring(released, T0) == []


@st.composite
def sequences(draw):
    """Valid entries: each applied to the figures so far, refused ones left out."""
    figures, entries, holds = CreditFigures(D(0), D(0)), [], {}
    for i in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["issued", "goodwill", "adjusted", "held", "released",
                                     "redeemed", "expired"]))  # fmt: skip
        amount = D(draw(st.integers(1, 5000))).scaleb(-2)
        payment = None
        if kind in ("held", "released", "redeemed"):
            payment = draw(st.integers(1, 4))
            if kind != "held":
                amount = min(amount, holds.get(payment, D(0)))
        expires = None
        if kind in ("issued", "goodwill") and draw(st.booleans()):
            expires = T0 + timedelta(days=draw(st.integers(0, 60)))
        if kind == "expired":  # the job's amounts: what is left of a passed lot
            due = credit_expiring(entries, T0 + timedelta(days=draw(st.integers(0, 60))))
            if not due:
                continue
            amount = due[0][1]
        try:
            figures = credit_apply(figures, kind, amount)
        except Exception:
            continue
        if kind == "held":
            holds[payment] = holds.get(payment, D(0)) + amount
        elif kind in ("released", "redeemed"):
            holds[payment] -= amount
        entries.append(LotEntry(i, kind, amount, expires, payment))
    return entries, figures


@settings(max_examples=300, deadline=None)
@given(sequences())
def test_the_lots_left_add_up_to_the_spendable_balance(case):
    entries, figures = case
    lots = credit_lots(entries)
    assert all(lot.left >= 0 for lot in lots)
    assert sum((lot.left for lot in lots), D(0)) == figures.balance
    # and expiring everything due leaves nothing due
    later = T0 + timedelta(days=61)
    due = credit_expiring(entries, later)
    assert sum((a for _, a in due), D(0)) <= figures.balance
    done = entries + [LotEntry(1000 + n, "expired", a) for n, (_, a) in enumerate(due)]
    assert credit_expiring(done, later) == []
