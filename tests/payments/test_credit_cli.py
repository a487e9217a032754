"""`ordino credit balance|issue` (docs/payments.md, "Store credit")."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.customers.models import Customer
from ordino.payments.models import StoreCreditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada() -> int:
    return Customer.objects.create(email="ada@example.com", first_name="Ada").pk


def run(*args: str) -> str:
    out = StringIO()
    call_command("credit", *args, stdout=out)
    return out.getvalue().strip()


def test_issue_then_take_back_then_the_balance_is_proven(ada):
    assert run("balance", str(ada)) == f"Customer {ada} has no store credit."
    given = run("issue", str(ada), "--amount", "12.50", "--currency", "eur", "--reason", "late")
    assert given == "Store credit goodwill: 12.5 EUR; balance 12.5."
    taken = run("issue", str(ada), "--amount", "2", "--currency", "EUR", "--reason", "typo",
                "--take-back")  # fmt: skip
    assert taken == "Store credit adjusted: 2 EUR; balance 10.5."
    assert run("balance", str(ada)) == "EUR balance 10.50 held 0.00 (2 entries, proven)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "0", "--currency", "EUR", "--reason", "r"], "An amount above 0"),
        (["--amount", "1.001", "--currency", "EUR", "--reason", "r"], "more decimals"),
        (["--amount", "1", "--currency", "EUR", "--reason", "r", "--take-back"], "balance"),
        (["--amount", "1", "--currency", "XYZ", "--reason", "r"], "Unknown currency"),
        (["--amount", "x", "--currency", "EUR", "--reason", "r"], "not an amount"),
    ],
)
def test_refusals_say_why_and_change_nothing(ada, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("credit", "issue", str(ada), *args, stdout=StringIO())
    assert StoreCreditEntry.objects.count() == 0


def test_an_unknown_customer_is_refused():
    with pytest.raises(CommandError, match="No customer 999"):
        call_command("credit", "balance", "999", stdout=StringIO())
