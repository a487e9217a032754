"""16 store-credit payments racing on one customer's credit (PostgreSQL, threads with a
connection each): the hold is taken under the account's row lock, so the credit is never
overspent and never negative (docs/payments.md, "Store credit")."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from ordino.core.domain.errors import DomainError
from ordino.orders.models import Order
from ordino.payments.commands import NewPayment
from ordino.payments.credit_selectors import credit_proven
from ordino.payments.models import StoreCreditAccount, StoreCreditEntry
from ordino.payments.services import IssueCredit, credit_issue, payment_add
from tests.factories import order_body
from tests.payments.conftest import card

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 16


def test_concurrent_redemptions_never_overspend(api, stocked):
    if connection.vendor != "postgresql":
        pytest.skip("a race needs PostgreSQL's row locks; SQLite serialises writers")
    # given 16 orders of 49.48 EUR of one customer, each with 5.00 left to pay, and 32.00 of
    # store credit
    orders = [
        api.post("/orders", order_body(f"W-{n}", payments=[card(amount="44.48")])).json()
        for n in range(RACERS)
    ]
    customer_id = Order.objects.get(pk=orders[0]["id"]).customer_id
    credit_issue(command=IssueCredit(customer_id, "EUR", Decimal("32.00"), "race", "test"))
    # when each order adds 5.00 of store credit at once
    start = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def pay(order_id: int) -> None:
        start.wait()
        try:
            new = NewPayment("store_credit", "store_credit", amount=Decimal("5"))
            payment_add(order_id=order_id, payment=new, actor="test")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(o["id"],)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then 6 were held (30.00 of 32.00), the others refused; the account proves it
    assert outcomes.count("ok") == 6
    assert outcomes.count("store_credit_insufficient") == RACERS - 6
    account = StoreCreditAccount.objects.get()
    assert (account.balance, account.held) == (Decimal("2.000"), Decimal("30.000"))
    assert StoreCreditEntry.objects.filter(kind="held").count() == 6
    credit_proven(account)
