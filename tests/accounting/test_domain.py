"""The journal's rules: each fact's entries, and any sequence of facts balances per currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.accounting.domain.journal import (
    DocumentFact,
    MoneyFact,
    account_totals,
    entries_of,
    journal,
    trial_balance,
)
from ordino.core.domain.errors import DomainError

DAY = date(2026, 11, 3)
D = Decimal


def invoice(kind="invoice", currency="EUR", net="100.00", tax="19.00", s_net="4.12", s_tax="0.78"):
    return DocumentFact(kind, DAY, "INV-2026-000001", "EXT-1", currency, D(net), D(tax),
                        D(s_net), D(s_tax))  # fmt: skip


def rows(entries):
    return [(e.account, e.debit, e.credit) for e in entries]


def test_an_invoice_credits_sales_shipping_and_tax_and_debits_receivables():
    # given an invoice of 100.00 net, 19.00 tax, shipping 4.12 + 0.78 tax
    # when it is posted
    entries = entries_of(invoice())
    # then the gross is owed and each part is income or tax
    assert rows(entries) == [
        ("Receivables", D("123.90"), D(0)),
        ("Sales", D(0), D("100.00")),
        ("Shipping income", D(0), D("4.12")),
        ("Tax payable", D(0), D("19.78")),
    ]
    assert {(e.reference, e.order, e.currency, e.day) for e in entries} == {
        ("INV-2026-000001", "EXT-1", "EUR", DAY)
    }


def test_a_credit_note_is_the_mirror_with_sales_returns():
    entries = entries_of(invoice(kind="credit_note", s_net="0", s_tax="0"))
    assert rows(entries) == [
        ("Sales returns", D("100.00"), D(0)),
        ("Tax payable", D("19.00"), D(0)),
        ("Receivables", D(0), D("119.00")),
    ]


def test_an_invoice_books_sales_before_discounts_and_the_discounts_apart():
    # given an invoice of 100.00 net after a 20.00 discount, 19.00 tax, no shipping
    fact = DocumentFact("invoice", DAY, "INV-1", "EXT-1", "EUR", D("100.00"), D("19.00"),
                        D(0), D(0), lines_discount=D("20.00"))  # fmt: skip
    # when it is posted: gross sales 120.00, discounts 20.00, the customer owes 119.00
    assert rows(entries_of(fact)) == [
        ("Receivables", D("119.00"), D(0)),
        ("Discounts", D("20.00"), D(0)),
        ("Sales", D(0), D("120.00")),
        ("Tax payable", D(0), D("19.00")),
    ]


def test_a_credit_note_gives_back_gross_sales_and_its_discount():
    fact = DocumentFact("credit_note", DAY, "CN-1", "EXT-1", "JPY", D("900"), D("0"),
                        D(0), D(0), lines_discount=D("100"))  # fmt: skip
    assert rows(entries_of(fact)) == [
        ("Sales returns", D("1000"), D(0)),
        ("Discounts", D(0), D("100")),
        ("Receivables", D(0), D("900")),
    ]


@pytest.mark.parametrize(
    ("kind", "debit", "credit"),
    [
        ("capture", "Payment clearing:test", "Receivables"),
        ("refund", "Receivables", "Payment clearing:test"),
        ("goodwill", "Goodwill expense", "Receivables"),
    ],
)
def test_money_moves_between_clearing_receivables_and_goodwill(kind, debit, credit):
    fact = MoneyFact(kind, DAY, "test", D("1000"), "JPY", "refund:7", "EXT-1")
    assert rows(entries_of(fact)) == [(debit, D(1000), D(0)), (credit, D(0), D(1000))]


@pytest.mark.parametrize(
    ("kind", "provider", "debit", "credit"),
    [
        ("capture", "store_credit", "Store credit liability", "Receivables"),  # redeemed
        ("refund", "store_credit", "Receivables", "Store credit liability"),  # to store credit
        ("credit_goodwill", "", "Goodwill expense", "Store credit liability"),
        ("credit_adjusted", "", "Store credit liability", "Goodwill expense"),
    ],
)
def test_store_credit_moves_the_liability_not_a_clearing_account(kind, provider, debit, credit):
    fact = MoneyFact(kind, DAY, provider, D("1.250"), "KWD", "credit:3", "EXT-1")
    assert rows(entries_of(fact)) == [(debit, D("1.250"), D(0)), (credit, D(0), D("1.250"))]


def test_an_amount_with_more_decimals_than_its_currency_is_refused():
    fact = MoneyFact("capture", DAY, "test", D("10.5"), "JPY", "x", "EXT-1")
    with pytest.raises(DomainError):
        entries_of(fact)


def test_a_zero_amount_posts_nothing():
    assert entries_of(MoneyFact("capture", DAY, "test", D(0), "EUR", "x", "EXT-1")) == []


def test_totals_and_trial_balance_per_currency_in_kwd():
    # given an invoice in KWD (3 decimals) paid in full
    doc = invoice(currency="KWD", net="10.001", tax="0.500", s_net="1.250", s_tax="0.062")
    paid = MoneyFact("capture", DAY, "test", D("11.813"), "KWD", "pay", "EXT-1")
    entries = journal([doc, paid])
    # then the receivable is settled and debits equal credits
    totals = {t.account: t.balance for t in account_totals(entries)}
    assert totals["Receivables"] == D(0)
    assert totals["Payment clearing:test"] == D("11.813")
    [tb] = trial_balance(entries)
    assert (tb.currency, tb.debit, tb.credit) == ("KWD", D("23.626"), D("23.626"))
    assert tb.balanced


CURRENCIES = {"JPY": 0, "EUR": 2, "KWD": 3}


@st.composite
def facts(draw):
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    places = CURRENCIES[currency]

    def amount():
        return Decimal(draw(st.integers(0, 10**7))).scaleb(-places)

    if draw(st.booleans()):
        kind = draw(st.sampled_from(["invoice", "credit_note"]))
        return DocumentFact(kind, DAY, "N", "O", currency, amount(), amount(), amount(), amount(),
                            lines_discount=amount())  # fmt: skip
    kind = draw(st.sampled_from(["capture", "refund", "goodwill", "credit_goodwill",
                                 "credit_adjusted"]))  # fmt: skip
    provider = draw(st.sampled_from(["test", "stripe", "store_credit"]))
    return MoneyFact(kind, DAY, provider, amount(), currency, "R", "O")


@given(st.lists(facts(), max_size=40))
def test_any_sequence_of_facts_balances_per_currency(sequence):
    entries = journal(sequence)
    for tb in trial_balance(entries):
        assert tb.debit == tb.credit
    assert all((e.debit == 0) != (e.credit == 0) for e in entries)
    assert all(e.debit >= 0 and e.credit >= 0 for e in entries)
    # each entry keeps its currency's decimals
    for e in entries:
        assert -(e.debit + e.credit).as_tuple().exponent <= max(CURRENCIES[e.currency], 0)
