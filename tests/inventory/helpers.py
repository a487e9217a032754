"""Helpers for inventory tests: a snapshot of every balance and the ledger, to prove that a
refused call changed nothing."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction

from ordino.core.domain.errors import DomainError
from ordino.inventory.models import StockBalance, StockMovement, StockTransfer


def snapshot() -> tuple:
    balances = list(
        StockBalance.objects.order_by("id").values_list(
            "id",
            "location_id",
            "sku_id",
            "on_hand",
            "committed",
            "safety_stock",
            "unavailable",
            "incoming",
        )
    )
    transfers = list(StockTransfer.objects.order_by("id").values_list("id", "quantity_received"))
    return balances, StockMovement.objects.count(), transfers


@contextmanager
def refused(code: str):
    """Expect a DomainError with `code`, and that balances, ledger and transfers are unchanged.

    The call runs in a savepoint, as it runs in a transaction of its own from the command line
    and in the request's from the API: a use case takes no savepoint itself (`use_case_atomic`),
    so a refusal ends the transaction it runs in, here the test's."""
    before = snapshot()
    with pytest.raises(DomainError) as caught, transaction.atomic():
        yield caught
    assert caught.value.code == code, caught.value.message
    assert snapshot() == before


def quantities(balance: StockBalance) -> dict[str, int]:
    balance.refresh_from_db()
    return {
        "on_hand": balance.on_hand,
        "committed": balance.committed,
        "safety_stock": balance.safety_stock,
        "unavailable": balance.unavailable,
        "incoming": balance.incoming,
    }


def balance_of(location, sku) -> dict[str, int]:
    row = StockBalance.objects.filter(location=location, sku=sku).first()
    if row is None:
        return {}
    return quantities(row)
