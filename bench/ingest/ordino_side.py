"""Steps run inside Ordino (Django set up against the bench database, in a child process via
tests.concurrency.live.django_call): load the shop, capture the statements of the mix's
orders, run order_capture as a bare use case, and read the server's command line."""

from __future__ import annotations

import json

from django.db import connection, connections
from django.test import Client

from bench.ingest import clients
from bench.ingest.statements import (
    ID_BASE,
    ID_RANGE,
    Capture,
    Statement,
    insert_tables,
    param_encode,
    summary,
)
from ordino.accounts.services import token_create
from ordino.catalog.models import Product, Sku
from ordino.channels.models import Channel
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.locations.models import Location
from ordino.orders.commands import CaptureOrder
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_capture


def shop_load(*, skus: list[str], locations: list[str], stock: list[list], units: int) -> dict:
    """A BRL marketplace channel, sellers as locations, products as SKUs, `units` of stock of
    every (location, SKU) pair the mix sells."""
    Channel.objects.create(
        code="olist", name="Olist marketplace", kind="marketplace", currency="BRL"
    )
    loc_ids = {
        code: Location.objects.create(
            code=code, name=code, kind=Location.WAREHOUSE, country="BR", ships=True
        ).pk
        for code in locations
    }
    Product.objects.bulk_create([Product(code=f"P-{c}", name=c) for c in skus])
    products = dict(Product.objects.values_list("code", "id"))
    Sku.objects.bulk_create(
        [Sku(product_id=products[f"P-{c}"], code=c, name=c, weight_grams=500) for c in skus]
    )
    sku_ids = dict(Sku.objects.values_list("code", "id"))
    movements_apply(
        [Movement(loc_ids[loc], sku_ids[sku], EXTERNAL, AVAILABLE, units) for loc, sku in stock],
        context=LedgerContext(reason="receive", actor="bench", reference="bench-seed"),
    )
    return {"token": token_create(name="bench", scopes="*").secret}


def server_argv(*, bind: str, workers: int) -> list[str]:
    """The command line `ordino serve` execs (so the HTTP floor runs under the same server)."""
    from ordino.console.services import gunicorn_argv

    return gunicorn_argv(bind=bind, workers=workers)


# --- statement capture -------------------------------------------------------------------------


def _id_tables() -> list[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.get_table_list(cursor)
        names = []
        for info in tables:
            if info.type != "t":
                continue
            columns = connection.introspection.get_table_description(cursor, info.name)
            # integer ids only: a task backend's table keys its rows by UUID (no MAX, no sequence)
            if any(c.name == "id" and _integer(c) for c in columns):
                names.append(info.name)
    return sorted(names)


def _integer(column) -> bool:
    kind = connection.introspection.get_field_type(column.type_code, column)
    return kind in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                    "BigIntegerField", "SmallIntegerField", "PositiveIntegerField")  # fmt: skip


def ids_make_distinct() -> dict[str, int]:
    """Every table's next id starts at a range of its own above ID_BASE (statements.py says
    why); returns each table's highest id so far."""
    tables = _id_tables()
    room = 2**31 - ID_BASE  # some tables' ids are 32-bit integers
    step = min(ID_RANGE, room // max(1, len(tables)))
    highest = {}
    with connection.cursor() as cursor:
        for index, table in enumerate(tables):
            base = ID_BASE + index * step
            cursor.execute(f'SELECT MAX(id) FROM "{table}"')
            if (cursor.fetchone()[0] or 0) >= ID_BASE:
                raise RuntimeError(f"{table} has ids above {ID_BASE}: not a fresh bench database")
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
                sequence = cursor.fetchone()[0]
                if sequence is None:
                    continue
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, base])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                sql = "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)"
                cursor.execute(sql, [table, base])
            highest[table] = base
    return highest


def _recorded(action, highest: dict[str, int], unique: list[str]) -> Capture:
    statements: list[Statement] = []

    def record(execute, sql, params, many, context):
        if many:
            encoded = [[param_encode(p) for p in row] for row in params]
        else:
            encoded = [param_encode(p) for p in (params or ())]
        statements.append(Statement(sql, encoded, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    created: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        for table in dict.fromkeys(t for s in statements for t in insert_tables(s.sql)):
            cursor.execute(f'SELECT id FROM "{table}" WHERE id > %s ORDER BY id', [highest[table]])
            created[table] = [row[0] for row in cursor.fetchall()]
            if created[table]:
                highest[table] = created[table][-1]
    return Capture(statements, created, unique)


def _use_case(body: dict) -> None:
    result = order_capture(command=OrderCreateIn(**body).command(), actor="bench")
    assert not result.replayed


def _http(client: Client, token: str, body: dict, key: str) -> None:
    response = client.post(
        "/api/v1/orders",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 201, response.content


def mix_capture(*, token: str, orders: list[dict], http: bool = True) -> dict:
    """Each order captured three times with distinct external ids: once to warm up (caches,
    the customer exists afterwards, as in every timed round), once through the use case and
    once through HTTP (django.test.Client: token, Idempotency-Key, the request's transaction),
    with every statement recorded. Returns both capture lists as JSON."""
    highest = ids_make_distinct()
    client = Client()
    use_case, over_http = [], []
    for index, body in enumerate(orders):
        warm = {**body, "external_id": f"WARM-{index:06d}"}
        _recorded(lambda b=warm: _use_case(b), highest, [])  # moves `highest` past its rows
        ext = f"CAPT-{index:06d}-UC"
        captured = {**body, "external_id": ext}
        use_case.append(_recorded(lambda b=captured: _use_case(b), highest, [ext]))
        if http:
            ext, key = f"CAPT-{index:06d}-HT", f"CAPTKEY-{index:06d}-HT"
            captured = {**body, "external_id": ext}
            over_http.append(
                _recorded(lambda b=captured, k=key: _http(client, token, b, k), highest, [ext, key])
            )
    return {
        "use_case": [c.as_json() for c in use_case],
        "http": [c.as_json() for c in over_http],
    }


def statements_count(*, captures: list[dict]) -> dict:
    """summary() of each capture's statement list."""
    return [summary(c["statements"]) for c in captures]


# --- the bare use case, timed --------------------------------------------------------------


class UseCase:
    """order_capture in this process: each client thread its own Django connection."""

    def __init__(self, commands: list[CaptureOrder]) -> None:
        self.commands = commands

    def connect(self):
        connection.ensure_connection()  # opened before the first order, as the floors' are
        return None

    def run(self, conn, job: int):
        result = order_capture(command=self.commands[job], actor="bench")
        return ("replayed" if result.replayed else "created"), conn

    def close(self, conn) -> None:
        connection.close()


def use_case_run(*, orders: list[dict], clients_count: int, processes: int) -> dict:
    """The orders through order_capture, timed like every other side (clients.drive). One
    order first, untimed, with an external id of its own: imports and caches are warm in the
    processes forked from this one, as in a server's long-lived workers."""
    commands = [OrderCreateIn(**body).command() for body in orders]  # the adapter's part, untimed
    warm = {**orders[0], "external_id": orders[0]["external_id"] + "-warm"}
    order_capture(command=OrderCreateIn(**warm).command(), actor="bench")
    connections.close_all()  # nothing open across the fork
    result = clients.drive(UseCase(commands), list(range(len(commands))), clients_count, processes)
    return result
