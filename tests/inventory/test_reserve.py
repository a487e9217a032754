"""`balances_reserve`: the hot path's one statement that reserves every line of an order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.domain.bounds import MAX_BALANCE
from ordino.inventory.ledger import balances_reserve
from ordino.inventory.models import StockBalance
from tests.factories import make_location, make_sku, stock
from tests.inventory.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    wh = make_location("WH")
    skus = [make_sku(code) for code in ("A", "B", "C")]
    for sku, units in zip(skus, (10, 5, 3), strict=True):
        stock(wh, sku, units)
    return [StockBalance.objects.get(location=wh, sku=sku).pk for sku in skus]


def quantities(pk: int) -> tuple[int, int]:
    row = StockBalance.objects.get(pk=pk)
    return row.on_hand, row.committed


def test_every_row_is_reserved_in_one_statement(rows):
    # given three balances with 10, 5 and 3 available
    a, b, c = rows
    # when 4, 5 and 1 units are reserved together
    with CaptureQueriesContext(connection) as queries:
        done = balances_reserve({c: 1, a: 4, b: 5})
    # then all moved to committed, in one statement
    assert done is True
    assert len(queries.captured_queries) == 1
    assert [quantities(pk) for pk in rows] == [(10, 4), (5, 5), (3, 1)]


def test_one_row_short_leaves_every_row_as_it_was(rows):
    # given three balances, one of which holds too little
    a, b, c = rows
    StockBalance.objects.filter(pk=b).update(safety_stock=2)
    before = snapshot()
    # when 4 of A, 4 of B (only 3 may be sold above safety stock) and 1 of C are asked for
    done = balances_reserve({a: 4, b: 4, c: 1})
    # then nothing is reserved, not even the rows that had enough
    assert done is False
    assert snapshot() == before


def test_a_reservation_past_the_bound_is_refused(rows):
    # given a balance whose committed quantity is at the bound's edge
    a, b, _ = rows
    StockBalance.objects.filter(pk=a).update(on_hand=MAX_BALANCE, committed=MAX_BALANCE - 1)
    before = snapshot()
    # when 2 more would take committed past the bound
    done = balances_reserve({a: 2, b: 1})
    # then nothing moves
    assert done is False
    assert snapshot() == before


def test_nothing_to_reserve_costs_nothing(rows):
    with CaptureQueriesContext(connection) as queries:
        assert balances_reserve({}) is True
    assert queries.captured_queries == []
