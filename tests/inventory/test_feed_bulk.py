"""The bulk stock feed at size: a generated feed of thousands of rows writes exactly the ledger
rows and balances the per-row rule gives, and costs a fixed number of statements per chunk,
never per row (docs/performance.md, "Bulk stock feed")."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.catalog.models import Product, Sku
from ordino.inventory.domain import feed as dom
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, EXTERNAL, Movement, Quantities
from ordino.inventory.feed import stock_feed_apply
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockBalance, StockMovement
from ordino.inventory.services import inventory_check
from tests.factories import make_location

SKUS = 2500  # × 2 locations: a 5,000-row feed


@pytest.fixture
def warehouse(db):
    """Two locations, 2,500 SKUs; the first location holds stock of every third SKU, a few
    of them with units committed to orders (all through the ledger)."""
    locations = [make_location("A", priority=1), make_location("B", priority=2)]
    Product.objects.bulk_create(Product(code=f"P{i}", name=f"P{i}") for i in range(SKUS))
    products = dict(Product.objects.values_list("code", "id"))
    Sku.objects.bulk_create(
        Sku(product_id=products[f"P{i}"], code=f"S{i:05d}", name=f"S{i}") for i in range(SKUS)
    )
    skus = list(Sku.objects.order_by("code"))
    here = locations[0].pk
    received = [Movement(here, s.pk, EXTERNAL, AVAILABLE, 10 + i % 7) for i, s in enumerate(skus)]
    movements_apply(received[::3], context=LedgerContext(reason="receive"))
    reserved = [Movement(here, s.pk, AVAILABLE, COMMITTED, 8) for s in skus[::30]]
    movements_apply(reserved, context=LedgerContext(reason="reserve"))
    return locations, skus


def _feed(locations, skus, seed: int) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    return [(loc.code, sku.code, rng.randint(0, 20)) for loc in locations for sku in skus]


def _balances() -> dict[tuple[int, int], Quantities]:
    fields = ("location_id", "sku_id", "on_hand", "committed", "safety_stock", "unavailable")
    rows = StockBalance.objects.values_list(*fields, "incoming")
    return {(loc, sku): Quantities(*q) for loc, sku, *q in rows}


def _expected(rows, locations, skus, before):
    """What the per-row rule (domain.feed.count_outcome) makes of `rows` from `before`."""
    loc_ids = {loc.code: loc.pk for loc in locations}
    sku_ids = {sku.code: sku.pk for sku in skus}
    after, moves, refused_lines = dict(before), [], []
    for line, (loc, sku, counted) in enumerate(rows, start=1):
        key = (loc_ids[loc], sku_ids[sku])
        current = before.get(key, Quantities())
        outcome = dom.count_outcome(current, counted)
        if outcome.kind == dom.CHANGED:
            moves.append((*key, *outcome.step))
            after[key] = Quantities(counted, *(getattr(current, f) for f in _REST))
        elif outcome.kind == dom.REFUSED:
            refused_lines.append(line)
    return after, moves, refused_lines


_REST = ("committed", "safety_stock", "unavailable", "incoming")


@pytest.mark.parametrize("chunk_rows", [20_000, 700], ids=["one chunk", "eight chunks"])
def test_a_generated_feed_writes_exactly_the_ledger_rows_and_balances_of_the_rule(
    warehouse, monkeypatch, chunk_rows
):
    # Given a 5,000-row feed over stocked, reserved and never-stocked balances
    monkeypatch.setattr("ordino.inventory.feed.CHUNK_ROWS", chunk_rows)
    locations, skus = warehouse
    rows = _feed(locations, skus, seed=3)
    before = _balances()
    after, moves, refused_lines = _expected(rows, locations, skus, before)
    ledger_before = StockMovement.objects.count()
    # When it is applied
    feed = stock_feed_apply(rows_or_file=rows, actor="bulk")
    # Then the tallies, the balances and the ledger rows are exactly the rule's
    assert (feed.rows, feed.applied, feed.refused) == (5000, len(moves), len(refused_lines))
    assert feed.unchanged == 5000 - len(moves) - len(refused_lines)
    assert refused_lines and moves  # the feed exercises every outcome
    assert [r["line"] for r in feed.refusals] == refused_lines
    assert {k: v for k, v in _balances().items() if k in after or v != Quantities()} == {
        k: v for k, v in after.items() if v != Quantities() or k in before
    }
    written = StockMovement.objects.filter(reason="feed").order_by("id")
    assert sorted(
        (m.location_id, m.sku_id, m.from_state, m.to_state, m.quantity) for m in written
    ) == sorted(moves)
    assert {(m.reference, m.actor) for m in written} == {(f"feed:{feed.pk}", "bulk")}
    assert StockMovement.objects.count() == ledger_before + len(moves)
    assert inventory_check().ok


def test_within_a_chunk_ledger_rows_follow_the_balances_primary_key_order(warehouse):
    locations, skus = warehouse
    stock_feed_apply(rows_or_file=_feed(locations, skus, seed=5)[::-1], actor="bulk")
    ids = {(b.location_id, b.sku_id): b.pk for b in StockBalance.objects.all()}
    written = StockMovement.objects.filter(reason="feed").order_by("id")
    order = [ids[(m.location_id, m.sku_id)] for m in written]
    assert order == sorted(order)


def _statements(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        stock_feed_apply(rows_or_file=rows, actor="bulk")
    return len(queries)


def test_a_feed_costs_a_fixed_number_of_statements_per_chunk_not_per_row(warehouse, monkeypatch):
    # Given chunks of 200 rows, and counts for balances that exist (every third SKU at the
    # first location) that no reservation refuses (at least the 8 committed)
    monkeypatch.setattr("ordino.inventory.feed.CHUNK_ROWS", 200)
    locations, skus = warehouse
    rng = random.Random(7)
    counts = [(locations[0].code, sku.code, rng.randint(8, 40)) for sku in skus[::3]]
    # When feeds of 400 and 834 rows are applied (2 and 5 chunks; each chunk changes some
    # balances), then the first again (nothing changes)
    small = _statements(counts[:400])
    large = _statements([(loc, sku, n + 1) for loc, sku, n in counts])
    unchanged = _statements([(loc, sku, n + 1) for loc, sku, n in counts[:400]])
    # Then every chunk costs the same few statements, whatever its rows: the SKU look-up, empty
    # and fill the staging table, the tally (on PostgreSQL it locks), the ledger rows, the
    # balances, the feed's progress; PostgreSQL also sets and restores the join strategy (and
    # sends the rows with COPY, which the count does not see). A chunk where nothing changes
    # writes neither ledger rows nor balances (and one that meets missing balances creates
    # them and tallies again: two more). The rest is the locations, the feed's own row (made,
    # finished), the staging table and the event.
    per_chunk = 8 if connection.vendor == "postgresql" else 7
    assert large - small == 3 * per_chunk
    assert small - unchanged == 2 * 2
    assert small - 2 * per_chunk == 5
