"""Store credit's ledger rules: each entry's effect, refusals, and that any sequence of entries
keeps both figures non-negative and replays to the same figures (payments/domain/credit.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.payments.domain.credit import (
    KINDS,
    CreditFigures,
    CreditInsufficient,
    EntryValues,
    credit_apply,
    credit_replay,
)

D = Decimal
START = CreditFigures(D("10.00"), D("4.00"))


@pytest.mark.parametrize(
    ("kind", "balance", "held"),
    [
        ("issued", "13.00", "4.00"),
        ("goodwill", "13.00", "4.00"),
        ("adjusted", "7.00", "4.00"),
        ("held", "7.00", "7.00"),
        ("redeemed", "10.00", "1.00"),
        ("released", "13.00", "1.00"),
    ],
)
def test_each_entry_moves_balance_and_held(kind, balance, held):
    assert credit_apply(START, kind, D("3.00")) == CreditFigures(D(balance), D(held))


@pytest.mark.parametrize(
    ("kind", "amount"),
    [("held", "10.01"), ("adjusted", "10.01"), ("redeemed", "4.01"), ("released", "4.01")],
)
def test_nothing_takes_more_than_there_is(kind, amount):
    with pytest.raises(CreditInsufficient) as refused:
        credit_apply(START, kind, D(amount))
    assert (refused.value.code, refused.value.status) == ("store_credit_insufficient", 422)


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_an_amount_is_positive(amount):
    with pytest.raises(DomainError) as refused:
        credit_apply(START, "issued", D(amount))
    assert refused.value.code == "invalid_amount"


def test_a_broken_chain_is_found():
    entries = [EntryValues("goodwill", D(5), D(5), D(0)), EntryValues("held", D(2), D(3), D(1))]
    with pytest.raises(ValueError, match="entry 1"):
        credit_replay(entries)


@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 10_000)), max_size=60))
def test_any_sequence_stays_non_negative_and_replays(steps):
    figures, written = CreditFigures(D(0), D(0)), []
    for kind, cents in steps:
        amount = D(cents).scaleb(-2)
        try:
            after = credit_apply(figures, kind, amount)
        except CreditInsufficient:
            continue  # refused: nothing written
        assert after.balance >= 0 and after.held >= 0
        written.append(EntryValues(kind, amount, after.balance, after.held))
        figures = after
    assert credit_replay(written) == figures
