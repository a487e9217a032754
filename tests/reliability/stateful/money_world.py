"""One example's world for the money model (tests/reliability/test_money_model.py): a channel in
each of JPY, EUR and KWD (0, 2 and 3 decimals), a warehouse and a store (where returns go),
three SKUs stocked at the warehouse, all with fresh codes; and `money_read`, everything of the
world that money touches, in a fixed number of queries."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models
from django.db.models import Sum

from ordino.events.models import OutboxEvent
from ordino.inventory.domain.ledger import FIELDS, Movement, Quantities, balances_project
from ordino.inventory.domain.operations import balances_compare
from ordino.inventory.models import StockBalance, StockMovement
from ordino.invoices.models import Invoice
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry
from ordino.payments.models import (
    Payment,
    PaymentTransaction,
    Refund,
    ScriptedProviderCall,
    StoreCreditAccount,
    StoreCreditEntry,
)
from ordino.returns.models import Return, ReturnLine
from tests.factories import make_channel, make_location, make_sku, stock

_EXAMPLES = itertools.count(1)

CURRENCIES = ("JPY", "EUR", "KWD")
SKUS = ("A", "B", "C")
STOCK = 10_000  # at the warehouse per SKU: orders always find stock, money is what is tested

# Prices, taxes and shipping in each currency's own decimals: zero, the smallest unit, prices
# that do not divide evenly, and a large one.
PRICES = {
    "JPY": ("0", "1", "333", "999", "12345"),
    "EUR": ("0.00", "0.01", "3.33", "19.99", "123.45"),
    "KWD": ("0.000", "0.001", "3.333", "19.999", "123.457"),
}
TAXES = {
    "JPY": ("0", "1", "80"),
    "EUR": ("0.00", "0.01", "1.60"),
    "KWD": ("0.000", "0.001", "1.605"),
}
SHIPPING = {"JPY": ("0", "500"), "EUR": ("0.00", "4.90"), "KWD": ("0.000", "1.250")}


@dataclass
class MoneyWorld:
    prefix: str
    channel_codes: dict[str, str]  # currency → channel code
    channel_ids: list[int]
    warehouse: tuple[int, str]  # (id, code)
    store: tuple[int, str]
    sku_ids: dict[str, int]
    sku_codes: dict[str, str]

    @property
    def location_ids(self) -> list[int]:
        return [self.warehouse[0], self.store[0]]

    def email(self, n: int) -> str:
        return f"{self.prefix.lower()}-c{n}@example.com"


def money_world_create() -> MoneyWorld:
    prefix = f"MM{next(_EXAMPLES)}"
    channels = {c: make_channel(f"{prefix}-{c.lower()}", currency=c) for c in CURRENCIES}
    warehouse = make_location(f"{prefix}-WA", priority=10)
    store = make_location(f"{prefix}-ST", kind="store", priority=30)
    skus = {s: make_sku(f"{prefix}-{s}") for s in SKUS}
    for sku in skus.values():
        stock(warehouse, sku, STOCK)
    return MoneyWorld(
        prefix=prefix,
        channel_codes={c: ch.code for c, ch in channels.items()},
        channel_ids=[ch.pk for ch in channels.values()],
        warehouse=(warehouse.pk, warehouse.code),
        store=(store.pk, store.code),
        sku_ids={s: v.pk for s, v in skus.items()},
        sku_codes={s: v.code for s, v in skus.items()},
    )


# --- the read ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderMoney:
    id: int
    external_id: str
    status: str
    currency: str
    current_total: Decimal
    grand_total: Decimal
    shipping: Decimal  # price + tax
    customer_id: int | None


@dataclass(frozen=True)
class LineMoneyRow:
    id: int
    order_id: int
    line_no: int
    sku_id: int
    ordered: int
    cancelled: int
    shipped: int
    returned: int
    total: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PaymentRow:
    id: int
    order_id: int
    method: str
    provider: str
    token: str
    amount: Decimal
    status: str


@dataclass(frozen=True)
class TxnRow:
    id: int
    payment_id: int
    refund_id: int | None
    kind: str
    amount: Decimal
    status: str
    declined: bool
    key: str


@dataclass(frozen=True)
class RefundRow:
    id: int
    order_id: int
    amount: Decimal
    lines: tuple[tuple[int, int, Decimal], ...]  # (line no, quantity, amount)
    shipping: Decimal
    goodwill: Decimal
    status: str
    to: str
    source: str


@dataclass(frozen=True)
class ReturnLineRow:
    id: int
    return_id: int
    order_line_id: int
    quantity: int
    restocked: int
    damaged: int
    needs_processing: int
    missing: int
    refund_total: Decimal = Decimal(0)  # the refund decision of the units that came back

    @property
    def graded(self) -> int:
        return self.restocked + self.damaged + self.needs_processing + self.missing


@dataclass
class MoneySnapshot:
    orders: dict[int, OrderMoney]
    lines: dict[int, LineMoneyRow]
    changes: dict[int, list[tuple[str, Decimal]]]  # order id → [(kind, amount_delta)]
    payments: dict[int, PaymentRow]
    txns: dict[int, TxnRow]
    refunds: dict[int, RefundRow]
    returns: dict[int, tuple[int, str, bool]]  # id → (order id, state, is an exchange)
    return_lines: dict[int, ReturnLineRow]
    balances: dict[
        tuple[int, int], tuple[int, int, int]
    ]  # (loc, sku) → (on hand, committed, unavailable)
    provider_calls: dict[str, tuple[str, Decimal, str]]  # key → (kind, amount, outcome)
    credit: dict[tuple[int, str], tuple[Decimal, Decimal]]  # (customer, currency) → (balance, held)
    credit_entries: dict[tuple[int, str], list[tuple[str, Decimal, Decimal, Decimal]]]
    documents: dict[int, list[tuple[str, Decimal]]]  # order id → [(kind, total)]
    counts: tuple[int, ...] = field(default_factory=tuple)

    def lines_of(self, order_id: int) -> list[LineMoneyRow]:
        return sorted(
            (x for x in self.lines.values() if x.order_id == order_id), key=lambda x: x.line_no
        )

    def payments_of(self, order_id: int) -> list[PaymentRow]:
        return sorted(
            (p for p in self.payments.values() if p.order_id == order_id), key=lambda p: p.id
        )

    def txns_of(self, payment_id: int) -> list[TxnRow]:
        return sorted(
            (t for t in self.txns.values() if t.payment_id == payment_id), key=lambda t: t.id
        )


def _dec(value) -> Decimal:
    return Decimal(str(value))


_MILLI = Decimal("0.001")  # the money columns keep 3 decimals


def _reader(model, fields: tuple[str, ...]):
    """A function turning raw rows of `fields` into Python values as the ORM would (SQLite
    answers decimals as numbers and JSON as text). Raw SQL: the ORM's own overhead, paid on
    every step, would make the read several times slower."""
    convert = []
    for name in fields:
        f = model._meta.get_field(name)
        if isinstance(f, models.DecimalField):
            convert.append(lambda v: Decimal(str(v)).quantize(_MILLI))
        elif isinstance(f, models.JSONField):
            convert.append(lambda v: json.loads(v) if isinstance(v, str) else v)
        elif isinstance(f, models.BooleanField):
            convert.append(bool)
        else:
            convert.append(lambda v: v)
    return lambda row: tuple(
        c(v) if v is not None else None for c, v in zip(convert, row, strict=True)
    )


def _select(model, fields: tuple[str, ...], where: str, params: list) -> list[tuple]:
    """SELECT `fields` FROM the model's table WHERE `where`, in id order."""
    q = connection.ops.quote_name
    columns = ", ".join(q(model._meta.get_field(name).column) for name in fields)
    sql = f"SELECT {columns} FROM {q(model._meta.db_table)} WHERE {where} ORDER BY id"
    if not params:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    read = _reader(model, fields)
    return [read(r) for r in rows]


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def money_read(world: MoneyWorld) -> MoneySnapshot:
    """Everything of the world that money touches, in about a dozen raw queries."""
    ch = world.channel_ids
    order_rows = _select(Order, ("id", "external_id", "status", "currency", "current_total",
                                 "grand_total", "shipping_price", "shipping_tax", "customer"),
                         _in("channel_id", ch), ch)  # fmt: skip
    orders = {r[0]: OrderMoney(*r[:6], shipping=r[6] + r[7], customer_id=r[8]) for r in order_rows}
    oids = list(orders)
    lines = {
        r[0]: LineMoneyRow(*r)
        for r in _select(OrderLine, ("id", "order", "line_no", "sku", "quantity_ordered",
                                     "quantity_cancelled", "quantity_shipped", "quantity_returned",
                                     "total", "tax"), _in("order_id", oids), oids)
    }  # fmt: skip
    changes: dict[int, list[tuple[str, Decimal]]] = {}
    for order_id, kind, delta in _select(
        OrderChange, ("order", "kind", "amount_delta"), _in("order_id", oids), oids
    ):
        changes.setdefault(order_id, []).append((kind, delta))
    payments = {
        r[0]: PaymentRow(*r)
        for r in _select(Payment, ("id", "order", "method", "provider", "token", "amount",
                                   "status"), _in("order_id", oids), oids)
    }  # fmt: skip
    pids = list(payments)
    txns = {
        r[0]: TxnRow(*r)
        for r in _select(PaymentTransaction, ("id", "payment", "refund", "kind", "amount", "status",
                                              "declined", "idempotency_key"),
                         _in("payment_id", pids), pids)
    }  # fmt: skip
    refunds = {
        r[0]: RefundRow(
            r[0], r[1], r[2],
            tuple((int(x["line_no"]), int(x["quantity"]), _dec(x["amount"])) for x in r[3]),
            *r[4:],
        )
        for r in _select(Refund, ("id", "order", "amount", "lines", "shipping", "goodwill",
                                  "status", "to", "source"), _in("order_id", oids), oids)
    }  # fmt: skip
    returns = {
        pk: (order_id, state, exchange is not None)
        for pk, order_id, state, exchange in _select(
            Return, ("id", "order", "state", "exchange"), _in("order_id", oids), oids
        )
    }
    rids = list(returns)
    return_lines = {
        r[0]: ReturnLineRow(*r)
        for r in _select(ReturnLine, ("id", "ret", "order_line", "quantity", "quantity_restocked",
                                      "quantity_damaged", "quantity_needs_processing",
                                      "quantity_missing", "refund_total"),
                 _in("ret_id", rids), rids)
    }  # fmt: skip
    locs = world.location_ids
    balances = {
        (loc, sku): (on_hand, committed, unavailable)
        for loc, sku, on_hand, committed, unavailable in _select(
            StockBalance, ("location", "sku", "on_hand", "committed", "unavailable"),
            _in("location_id", locs), locs,
        )
    }  # fmt: skip
    keys = [t.key for t in txns.values()]
    provider_calls = {
        key: (kind, amount, outcome)
        for key, kind, amount, outcome in _select(
            ScriptedProviderCall, ("idempotency_key", "kind", "amount", "outcome"),
            _in("idempotency_key", keys), keys,
        )
    }  # fmt: skip
    cids = sorted({o.customer_id for o in orders.values() if o.customer_id})
    accounts = {
        pk: (c, cur, balance, held)
        for pk, c, cur, balance, held in _select(
            StoreCreditAccount, ("id", "customer", "currency", "balance", "held"),
            _in("customer_id", cids), cids,
        )
    }  # fmt: skip
    credit = {(c, cur): (balance, held) for c, cur, balance, held in accounts.values()}
    credit_entries: dict[tuple[int, str], list] = {}
    aids = list(accounts)
    for account_id, *entry in _select(
        StoreCreditEntry, ("account", "kind", "amount", "balance_after", "held_after"),
        _in("account_id", aids), aids,
    ):  # fmt: skip
        credit_entries.setdefault(accounts[account_id][:2], []).append(tuple(entry))
    documents: dict[int, list[tuple[str, Decimal]]] = {}
    for order_id, kind, total in _select(
        Invoice, ("order", "kind", "total"), _in("order_id", oids), oids
    ):
        documents.setdefault(order_id, []).append((kind, total))
    return MoneySnapshot(
        orders, lines, changes, payments, txns, refunds, returns, return_lines, balances,
        provider_calls, credit, credit_entries, documents, world_clock(),
    )  # fmt: skip


def world_clock() -> tuple:
    """A cheap sign that something was written (one query): the newest outbox event, timeline
    row, provider call and stock movement. Every use case writes its event or timeline row
    (docs/events.md), so an unchanged sign means an unchanged world: its invariants, pure
    functions of the rows, need not be read again."""
    tables = [
        m._meta.db_table
        for m in (OutboxEvent, OrderTimelineEntry, ScriptedProviderCall, StockMovement)
    ]
    sql = "SELECT " + ", ".join(f"(SELECT COALESCE(MAX(id), 0) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def ledger_problems(world: MoneyWorld) -> list[str]:
    """The world's stock balances against its ledger (the inventory check, for its locations
    only: the whole ledger grows with every example)."""
    rows = (
        StockMovement.objects.filter(location_id__in=world.location_ids)
        .values("location_id", "sku_id", "from_state", "to_state")
        .annotate(total=Sum("quantity"))
        .order_by()
        .values_list("location_id", "sku_id", "from_state", "to_state", "total")
    )
    ledger = balances_project(Movement(*row) for row in rows)
    stored = {
        (loc, sku): Quantities(*values)
        for loc, sku, *values in StockBalance.objects.filter(location_id__in=world.location_ids)
        .values_list("location_id", "sku_id", *FIELDS)
        .order_by()
    }
    return [f"balance differs from the ledger: {d}" for d in balances_compare(stored, ledger)]


def money_diff(before: MoneySnapshot, after: MoneySnapshot) -> list[str]:
    out = []
    for name in (
        "orders", "lines", "changes", "payments", "txns", "refunds", "returns", "return_lines",
        "balances", "provider_calls", "credit", "documents",
    ):  # fmt: skip
        a, b = getattr(before, name), getattr(after, name)
        for key in sorted(a.keys() | b.keys(), key=str):
            if a.get(key) != b.get(key):
                out.append(f"{name}[{key}]: {a.get(key)} → {b.get(key)}")
    if before.counts != after.counts:
        out.append(
            "(newest event, timeline row, provider call, movement): "
            f"{before.counts} → {after.counts}"
        )
    return out
