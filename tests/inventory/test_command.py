"""`ordino inventory check [--repair]` and the operators' stock commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ordino.inventory import services
from ordino.inventory.models import StockBalance, StockMovement
from tests.factories import make_location, make_sku
from tests.inventory.helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked():
    wh, st = make_location("WH1"), make_location("ST1")
    mug, cup = make_sku("MUG"), make_sku("CUP")
    for location, sku, quantity in ((wh, mug, 10), (wh, cup, 4), (st, mug, 2)):
        services.stock_receive(
            location_code=location.code, sku_code=sku.code, quantity=quantity, actor="t"
        )
    services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=1, actor="t")
    return wh, st, mug, cup


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("inventory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_clean_ledger_checks_out(stocked):
    out, _ = run("check")
    assert out.strip() == "ledger and balances agree: 3 balances checked"


def test_an_empty_database_checks_out(db):
    out, _ = run("check")
    assert out.strip() == "ledger and balances agree: 0 balances checked"


def test_a_tampered_balance_is_reported_and_exits_1(stocked):
    # Given someone edited a balance behind the ledger's back
    wh, _, mug, _ = stocked
    StockBalance.objects.filter(location=wh, sku=mug).update(on_hand=15, unavailable=0)
    # When the check runs, Then it names the balance and each field, and exits 1
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("inventory", "check", stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert str(failed.value) == (
        "ledger and balances differ: 1 of 3 balances "
        "(run `ordino inventory check --repair` to rewrite them from the ledger)"
    )
    assert out.getvalue().strip() == "WH1 MUG: on_hand 15 (ledger 10), unavailable 0 (ledger 1)"


def test_a_missing_balance_row_is_reported(stocked):
    _, st, mug, _ = stocked
    StockBalance.objects.filter(location=st, sku=mug).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("inventory", "check", stdout=out)
    assert out.getvalue().strip() == "ST1 MUG (no balance row): on_hand 0 (ledger 2)"


def test_repair_rewrites_balances_from_the_ledger_with_a_warning(stocked):
    wh, st, mug, cup = stocked
    StockBalance.objects.filter(location=wh, sku=cup).update(on_hand=1)
    StockBalance.objects.filter(location=st, sku=mug).delete()
    movements = StockMovement.objects.count()
    out, err = run("check", "--repair")
    assert "Stop every server and worker first" in err
    assert out.splitlines()[-1] == "repaired 2 balance(s) from the ledger; 3 balances checked"
    assert balance_of(wh, cup)["on_hand"] == 4
    assert balance_of(st, mug)["on_hand"] == 2
    assert StockMovement.objects.count() == movements  # the ledger itself is untouched
    out, _ = run("check")
    assert out.strip() == "ledger and balances agree: 3 balances checked"


def test_operators_receive_count_and_adjust_from_the_command_line(stocked):
    wh, _, mug, _ = stocked
    out, _ = run("receive", "--location", "WH1", "--sku", "MUG", "--quantity", "5")
    assert out.splitlines()[0] == (
        "WH1 MUG: on hand 15, committed 0, safety 0, unavailable 1, incoming 0, available 14"
    )
    run("count", "--location", "WH1", "--sku", "MUG", "--counted", "12")
    run("adjust", "--location", "WH1", "--sku", "MUG", "--delta", "-2", "--reason", "theft")
    assert balance_of(wh, mug)["on_hand"] == 10
    last = StockMovement.objects.order_by("-id").first()
    assert (last.reason, last.actor.startswith("cli:")) == ("theft", True)


def test_a_refused_command_is_an_error_and_changes_nothing(stocked):
    movements = StockMovement.objects.count()
    # (each in a savepoint: from the command line a command is a transaction of its own)
    with pytest.raises(CommandError) as failed, transaction.atomic():
        run("receive", "--location", "WH1", "--sku", "MUG", "--quantity", "0")
    assert "quantity must be a whole number greater than 0" in str(failed.value)
    with pytest.raises(CommandError) as failed, transaction.atomic():
        run("receive", "--location", "WH1", "--sku", "NOPE", "--quantity", "1")
    assert str(failed.value) == "No sku 'NOPE'."
    assert StockMovement.objects.count() == movements
