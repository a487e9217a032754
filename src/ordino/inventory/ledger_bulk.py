"""The ledger's set-based form for bulk counts (stock feeds): a chunk of counted rows is staged in
a temporary table and applied with a fixed handful of statements, whatever its size.

Part of the ledger (docs/design.md §10): like `ledger.py`, it changes balances only inside the
caller's transaction and appends one ledger row per changed balance. Per chunk:

1. stage the rows (line, location id, SKU id, counted) in `ordino_feed_rows`: `COPY` on
   PostgreSQL, one `executemany` on SQLite;
2. read the tally; on PostgreSQL the same statement locks the chunk's balance rows in
   primary-key order (`ORDER BY id FOR UPDATE`, the order `ledger.balances_lock` keeps), so
   the statements below see rows nobody else can change until the transaction ends (on SQLite
   the transaction holds the database's write lock from BEGIN); when a count above 0 met no
   balance, create the missing ones (`INSERT … SELECT … ON CONFLICT DO NOTHING`) and tally
   again;
3. list the refused rows (only when there are some), append the ledger rows with one
   `INSERT … SELECT`, and set on hand with one `UPDATE … FROM` — the rule is the one of
   `domain.feed.count_outcome`: unchanged when on hand equals the count, refused when the count
   is below committed + unavailable, otherwise one counted movement.

Only on hand changes: committed, safety stock, unavailable and incoming are read, never written,
so reservations made before the lock are kept and reservations after it wait for the commit.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from django.db import connection

from ordino.core.domain.clock import utcnow
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Quantities
from ordino.inventory.ledger import LedgerContext
from ordino.inventory.models import StockBalance, StockMovement

STAGE = "ordino_feed_rows"
COPY_ROWS = 10_000  # rows formatted per COPY write (bounded memory, few calls)

# Rows of the chunk that meet an existing balance; `f` is the staged row, `b` the balance.
_JOIN = (
    f"{{balance}} AS b JOIN {STAGE} AS f ON b.sku_id = f.sku_id AND b.location_id = f.location_id"
)


def _rule(holds: str, b: str = "b", f: str = "f") -> str:
    """The count rule (domain.feed.count_outcome) in SQL: `holds` is "<=" for a row that
    changes, ">" for one refused (the count is below committed + unavailable)."""
    return f"{f}.counted <> {b}.on_hand AND {b}.committed + {b}.unavailable {holds} {f}.counted"


_CHANGES, _REFUSED = _rule("<="), _rule(">")


@dataclass(frozen=True)
class ChunkOutcome:
    applied: int  # balances changed, one ledger row each
    unchanged: int
    refused: int
    refusals: list[tuple[int, int, int, int, Quantities]]  # line, location, SKU, counted, balance


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "balance": quote(StockBalance._meta.db_table),
        "movement": quote(StockMovement._meta.db_table),
    }


def stage_prepare() -> None:
    """Create the staging table for this connection (a temporary table: no other session sees
    it, nothing is logged for it). Once per feed; chunks empty it as they start."""
    temp = "TEMPORARY" if connection.vendor == "postgresql" else "TEMP"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE {temp} TABLE IF NOT EXISTS {STAGE} "
            "(line bigint NOT NULL, location_id bigint NOT NULL, sku_id bigint NOT NULL, "
            "counted bigint NOT NULL)"
        )


def counts_apply_staged(rows: array, *, context: LedgerContext, refusals_room: int) -> ChunkOutcome:
    """Apply one chunk of counts: `rows` is a flat run of (line, location id, SKU id, counted),
    four integers a row, each (location, SKU) at most once. Returns the tally and the first
    `refusals_room` refused rows by line, with the balance each met."""
    t = _tables()
    now = connection.ops.adapt_datetimefield_value(utcnow())
    count, positive = len(rows) // 4, len(rows) // 4 - rows[3::4].count(0)
    with connection.cursor() as cursor:
        _stage(cursor, rows)
        planner = _nested_loops(cursor)
        applied, refused, found = _tally(cursor, t)
        if found < positive:  # some count above 0 has no balance row yet: create, then recount
            _balances_create(cursor, t, now)
            applied, refused, found = _tally(cursor, t)
        refusals = _refusals(cursor, t, refusals_room) if refused and refusals_room > 0 else []
        if applied:
            _changes_write(cursor, t, context, now)
        if planner:
            cursor.execute(
                "SELECT set_config('enable_hashjoin', %s, true), "
                "set_config('enable_mergejoin', %s, true)",
                planner,
            )
    return ChunkOutcome(applied, count - applied - refused, refused, refusals)


def _balances_create(cursor, t: dict[str, str], now) -> None:
    cursor.execute(
        f"INSERT INTO {t['balance']} (location_id, sku_id, on_hand, committed, safety_stock, "
        "unavailable, incoming, updated_at) "
        "SELECT f.location_id, f.sku_id, 0, 0, 0, 0, 0, %s "
        f"FROM {STAGE} AS f WHERE f.counted > 0 AND NOT EXISTS (SELECT 1 FROM {t['balance']} "
        "AS b WHERE b.sku_id = f.sku_id AND b.location_id = f.location_id) "
        "ORDER BY f.location_id, f.sku_id ON CONFLICT DO NOTHING",
        [now],
    )


def _stage(cursor, rows: array) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {STAGE}")
        step = 4 * COPY_ROWS
        with cursor.cursor.copy(
            f"COPY {STAGE} (line, location_id, sku_id, counted) FROM STDIN"
        ) as copy:
            for start in range(0, len(rows), step):
                block = tuple(rows[start : start + step])
                # one C-level format for thousands of rows: Python never loops per row here
                copy.write(("%d\t%d\t%d\t%d\n" * (len(block) // 4)) % block)
        return
    cursor.execute(f"DELETE FROM {STAGE}")
    values = iter(rows)
    cursor.executemany(
        f"INSERT INTO {STAGE} (line, location_id, sku_id, counted) VALUES (%s, %s, %s, %s)",
        zip(values, values, values, values, strict=False),  # the flat run, four at a time
    )


def _nested_loops(cursor) -> list[str]:
    """PostgreSQL: join the chunk to its balances by index look-ups, for this chunk's statements
    only. The planner, knowing nothing of the staged rows, hashes the whole balance table (a
    full scan per statement: 3× slower at 20,000 rows against 1,000,000 balances,
    docs/performance.md "Bulk stock feed"). Returns the settings to restore."""
    if connection.vendor != "postgresql":
        return []
    cursor.execute(
        "SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin'), "
        "set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
    )
    return list(cursor.fetchone()[:2])


def _tally(cursor, t: dict[str, str]) -> tuple[int, int, int]:
    """(rows that change, rows refused, rows above 0 that have a balance) of the staged chunk;
    on PostgreSQL, locking the chunk's balance rows in primary-key order first (see the
    module's docstring)."""
    source = f"SELECT b.on_hand, b.committed, b.unavailable, f.counted FROM {_JOIN.format(**t)}"
    if connection.vendor == "postgresql":
        source += " ORDER BY b.id FOR UPDATE OF b"
    cursor.execute(
        f"SELECT COALESCE(SUM(CASE WHEN {_rule('<=', 'l', 'l')} THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN {_rule('>', 'l', 'l')} THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN l.counted > 0 THEN 1 ELSE 0 END), 0) FROM ({source}) AS l"
    )
    applied, refused, found = cursor.fetchone()
    return int(applied), int(refused), int(found)


def _refusals(cursor, t: dict[str, str], room: int) -> list[tuple[int, int, int, int, Quantities]]:
    cursor.execute(
        "SELECT f.line, f.location_id, f.sku_id, f.counted, b.on_hand, b.committed, "
        f"b.safety_stock, b.unavailable, b.incoming FROM {_JOIN.format(**t)} "
        f"WHERE {_REFUSED} ORDER BY f.line LIMIT %s",
        [room],
    )
    return [(line, loc, sku, counted, Quantities(*q)) for line, loc, sku, counted, *q in cursor]


def _context_values(context: LedgerContext) -> tuple[str, str, str, str]:
    return (context.reason, context.reference, context.actor, context.note)


def _changes_write(cursor, t: dict[str, str], context: LedgerContext, now) -> None:
    """One ledger row per changing balance (in primary-key order), then the balances."""
    cursor.execute(
        f"INSERT INTO {t['movement']} (location_id, sku_id, from_state, to_state, quantity, "
        "reason, reference, actor, note, created_at) "
        "SELECT b.location_id, b.sku_id, "
        "CASE WHEN f.counted > b.on_hand THEN %s ELSE %s END, "
        "CASE WHEN f.counted > b.on_hand THEN %s ELSE %s END, "
        "ABS(f.counted - b.on_hand), %s, %s, %s, %s, %s "
        f"FROM {_JOIN.format(**t)} WHERE {_CHANGES} ORDER BY b.id",
        [EXTERNAL, AVAILABLE, AVAILABLE, EXTERNAL, *_context_values(context), now],
    )
    cursor.execute(
        f"UPDATE {t['balance']} AS b SET on_hand = f.counted, updated_at = %s FROM {STAGE} AS f "
        f"WHERE b.sku_id = f.sku_id AND b.location_id = f.location_id AND {_CHANGES}",
        [now],
    )
