"""The one place that changes stock balances: a conditional update per balance row, plus the
append-only ledger rows, inside the caller's transaction.

Rules (docs/design.md §10): each balance row changes with one `UPDATE ... WHERE <enough>`
whose row count says whether it held; rows are touched in primary-key order so that concurrent
writers on PostgreSQL never deadlock; correctness relies on no SELECT ... FOR UPDATE. A writer
that must hold several rows before it changes them (a batch, or two passes over the same rows)
locks them with `balances_lock`, the one place that locks balance rows. Counts in bulk (stock
feeds) go through `ledger_bulk.py`, the same rules set-based, locking in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import F, Q

from ordino.core.domain.bounds import MAX_BALANCE
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.sql import instances_insert
from ordino.inventory.domain.ledger import (
    AVAILABLE,
    COMMITTED,
    EXTERNAL,
    FIELDS,
    INCOMING,
    STATE_FIELDS,
    Movement,
    Quantities,
    movement_deltas,
)
from ordino.inventory.models import StockBalance, StockMovement

BALANCE_TABLE = StockBalance._meta.db_table


class InsufficientStock(Conflict):
    def __init__(self, *, location_id: int, sku_id: int, quantity: int, state: str) -> None:
        super().__init__(
            "insufficient_stock",
            f"Not enough {state} stock of SKU #{sku_id} at location #{location_id} "
            f"to move {quantity} unit(s).",
        )
        self.location_id = location_id
        self.sku_id = sku_id


@dataclass(frozen=True)
class LedgerContext:
    reason: str
    actor: str = ""
    reference: str = ""
    note: str = ""


def balance_ids(pairs: Iterable[tuple[int, int]], *, create: bool) -> dict[tuple[int, int], int]:
    """Balance row ids keyed (location_id, sku_id); with `create`, missing rows are inserted."""
    wanted = set(pairs)
    if not wanted:
        return {}
    found = _balance_ids_select(wanted)
    missing = wanted - found.keys()
    if missing and create:
        StockBalance.objects.bulk_create(
            [StockBalance(location_id=loc, sku_id=sku) for loc, sku in sorted(missing)],
            ignore_conflicts=True,  # a concurrent writer may have created it first
        )
        found = _balance_ids_select(wanted)
    return found


def _balance_ids_select(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    condition = Q()
    for loc, sku in pairs:
        condition |= Q(location_id=loc, sku_id=sku)
    rows = StockBalance.objects.filter(condition).values_list("location_id", "sku_id", "id")
    return {(loc, sku): pk for loc, sku, pk in rows}


def balances_lock(balance_ids: Iterable[int]) -> list[int]:
    """Lock these balance rows (SELECT ... FOR UPDATE) until the caller's transaction ends, always
    in primary-key order, and return the ids of those that exist, ascending.

    Every writer that locks several balance rows goes through here: locked in one order, two
    concurrent writers on PostgreSQL wait for each other instead of deadlocking
    (docs/architecture.md, "Lock order"). Call it inside a transaction. On SQLite it locks
    nothing (the write lock is the whole database's, taken at BEGIN) and only reads the ids.
    """
    ids = sorted(set(balance_ids))
    if not ids:
        return []
    if connection.vendor == "postgresql":  # one array parameter, however many rows (a feed)
        table = connection.ops.quote_name(BALANCE_TABLE)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids]
            )
            return [row[0] for row in cursor.fetchall()]
    return list(
        StockBalance.objects.filter(pk__in=ids)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


def balance_move(
    balance_id: int,
    from_state: str,
    to_state: str,
    quantity: int,
    *,
    respect_safety: bool,
    guarded: bool = True,
) -> bool:
    """Apply one movement to one balance row if the row holds enough; True when it did.

    `respect_safety`: taking from `available` may not dip into safety stock (selling), as
    opposed to physical removals (counts, damage), which may. `guarded=False` is only for
    policy quantities (setting safety stock), which may exceed what is physically there.
    """
    # Hand-written SQL: this statement runs for every line of every order, and building it
    # through the ORM cost more than running it. Names are fixed; values are parameters.
    deltas = movement_deltas(from_state, to_state, quantity)
    sets = ", ".join(f"{field} = {field} + %s" for field in deltas)
    params: list = [
        *deltas.values(),
        connection.ops.adapt_datetimefield_value(utcnow()),
        balance_id,
    ]
    # no named quantity grows past MAX_BALANCE (the columns are 64-bit; the bound is far inside)
    guard = "".join(f" AND {field} <= %s" for field, delta in deltas.items() if delta > 0)
    params += [MAX_BALANCE - delta for delta in deltas.values() if delta > 0]
    if not guarded:
        pass
    elif from_state == AVAILABLE:
        held = "committed + unavailable" + (" + safety_stock" if respect_safety else "")
        guard += f" AND on_hand >= {held} + %s"
        params.append(quantity)
    elif from_state != EXTERNAL:
        guard += f" AND {STATE_FIELDS[from_state][-1]} >= %s"
        params.append(quantity)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {BALANCE_TABLE} SET {sets}, updated_at = %s WHERE id = %s{guard}",
            params,
        )
        return cursor.rowcount == 1


def balances_reserve(quantities: Mapping[int, int]) -> bool:
    """Move `quantities` (balance id → units) from available to committed, all or none, in one
    statement whatever the number of rows; True when every row held enough (never dipping
    into safety stock). Order capture reserves with it: it is the hot path's only write to
    balances (docs/performance.md). A row that lacked stock leaves every row as it was."""
    rows = sorted(quantities.items())
    if not rows:
        return True
    if len(rows) == 1:
        ((balance_id, quantity),) = rows
        return balance_move(balance_id, AVAILABLE, COMMITTED, quantity, respect_safety=True)
    params: list = [connection.ops.adapt_datetimefield_value(utcnow())]
    for balance_id, quantity in rows:
        params += [balance_id, quantity]
    params.append(MAX_BALANCE)
    with connection.cursor() as cursor:
        cursor.execute(_reserve_sql(connection.vendor, len(rows)), params)
        moved = {row[0] for row in cursor.fetchall()}
    if len(moved) == len(rows):
        return True
    for balance_id, quantity in rows:  # undo the rows that did move
        if balance_id in moved:
            balance_move(balance_id, COMMITTED, AVAILABLE, quantity, respect_safety=False)
    return False


@cache
def _reserve_sql(vendor: str, rows: int) -> str:
    # Rows in id order: PostgreSQL locks them as it joins, the same order balances_lock uses.
    b = BALANCE_TABLE
    values = " UNION ALL ".join(["SELECT %s AS id, %s AS qty"] + ["SELECT %s, %s"] * (rows - 1))
    return (
        f"UPDATE {b} SET committed = {b}.committed + v.qty, updated_at = %s"
        f" FROM ({values}) AS v WHERE {b}.id = v.id AND {b}.committed <= %s - v.qty"
        f" AND {b}.on_hand >= {b}.committed + {b}.unavailable + {b}.safety_stock + v.qty"
        f" RETURNING {b}.id"
    )


def movements_apply(
    movements: Sequence[Movement],
    *,
    context: LedgerContext,
    respect_safety: bool = False,
    guarded: bool = True,
) -> list[StockMovement]:
    """Apply movements (all or none: the caller's transaction rolls back on InsufficientStock)
    and append them to the ledger. Rows are created for stock arriving from outside."""
    creatable = {
        (m.location_id, m.sku_id) for m in movements if m.from_state in (EXTERNAL, INCOMING)
    }
    ids = balance_ids(creatable, create=True)
    rest = {(m.location_id, m.sku_id) for m in movements} - creatable
    ids.update(balance_ids(rest, create=False))
    for m in sorted(movements, key=lambda m: ids.get((m.location_id, m.sku_id), 0)):
        balance_id = ids.get((m.location_id, m.sku_id))
        moved = balance_id is not None and balance_move(
            balance_id,
            m.from_state,
            m.to_state,
            m.quantity,
            respect_safety=respect_safety,
            guarded=guarded,
        )
        if not moved:
            if balance_id is not None:
                balance_bound_check(balance_id, m)
            raise InsufficientStock(
                location_id=m.location_id, sku_id=m.sku_id, quantity=m.quantity, state=m.from_state
            )
    return movements_log(movements, context=context)


def balance_bound_check(balance_id: int, movement: Movement) -> None:
    """Refuse (422 `balance_too_large`) a movement that would take a named quantity of the
    balance past MAX_BALANCE; called when its conditional update did not apply, to say why."""
    deltas = movement_deltas(movement.from_state, movement.to_state, movement.quantity)
    grows = [field for field, delta in deltas.items() if delta > 0]
    row = StockBalance.objects.filter(pk=balance_id).values(*grows).first() or {}
    for field in grows:
        if row.get(field, 0) + deltas[field] > MAX_BALANCE:
            raise DomainError(
                "balance_too_large",
                f"{movement.quantity} more unit(s) would take {field.replace('_', ' ')} past "
                f"{MAX_BALANCE}, the most one SKU at one location may hold.",
                field="quantity",
            )


def movements_log(movements: Sequence[Movement], *, context: LedgerContext) -> list[StockMovement]:
    """Append ledger rows, one statement for all of them."""
    now = utcnow()
    return instances_insert(
        [
            StockMovement(
                location_id=m.location_id,
                sku_id=m.sku_id,
                from_state=m.from_state,
                to_state=m.to_state,
                quantity=m.quantity,
                reason=context.reason,
                reference=context.reference,
                actor=context.actor,
                note=context.note,
                created_at=now,
            )
            for m in movements
        ]
    )


def movement_apply_observed(
    *,
    location_id: int,
    sku_id: int,
    plan: Callable[[Quantities], tuple[str, str, int] | None],
    context: LedgerContext,
    attempts: int = 10,
) -> tuple[Quantities, list[StockMovement]]:
    """Set a balance to a target derived from what it holds now (a count, a safety stock level).

    `plan` turns the current quantities into one movement (or None: nothing to do) and may raise
    a DomainError to refuse. The update applies only if the row still holds exactly what was read
    (an optimistic check inside the one conditional UPDATE); when a concurrent writer got there
    first, the row is re-read and re-planned. Returns the quantities after, and the ledger rows.
    """
    balance_id = balance_ids([(location_id, sku_id)], create=True)[(location_id, sku_id)]
    for _ in range(attempts):
        read = StockBalance.objects.filter(pk=balance_id).values(*FIELDS).get()
        current = Quantities(**read)
        step = plan(current)
        if step is None:
            return current, []
        from_state, to_state, quantity = step
        deltas = movement_deltas(from_state, to_state, quantity)
        changed = StockBalance.objects.filter(pk=balance_id, **read).update(
            **{field: F(field) + delta for field, delta in deltas.items()}, updated_at=utcnow()
        )
        if changed == 1:
            after = Quantities(**{f: read[f] + deltas.get(f, 0) for f in FIELDS})
            movement = Movement(location_id, sku_id, from_state, to_state, quantity)
            return after, movements_log([movement], context=context)
    raise Conflict(
        "stock_busy",
        f"The stock of SKU #{sku_id} at location #{location_id} kept changing; try again.",
    )


def balances_overwrite(rows: Mapping[tuple[int, int], Quantities]) -> int:
    """Repair only (`ordino inventory check --repair`): make balances equal the given quantities,
    keyed (location_id, sku_id), creating missing rows. Writes no ledger rows: the ledger is the
    truth being restored. Returns how many rows were written."""
    ids = balance_ids(rows.keys(), create=True)
    now = utcnow()
    for key in sorted(rows, key=lambda k: ids[k]):
        q = rows[key]
        StockBalance.objects.filter(pk=ids[key]).update(
            **{field: getattr(q, field) for field in FIELDS}, updated_at=now
        )
    return len(rows)
