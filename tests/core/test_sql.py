"""core/sql.py: inserts and reads whose text is built once store and read exactly what the ORM
stores and reads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.sql import columns, inserts_batched, instances_insert, instances_of
from ordino.customers.models import Customer
from ordino.events.models import OutboxEvent
from ordino.locations.models import Location
from ordino.sourcing.models import LocationSchedule

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (SQLite has no data-modifying WITH); runs in the PostgreSQL leg",
)
AT = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def test_instances_insert_stores_what_bulk_create_stores():
    # given two events with JSON payloads and an aware time
    payload = {"total": "12.30", "lines": [1, 2], "name": "Ré"}
    ours = [OutboxEvent(name="a", aggregate_id=7, payload=payload, created_at=AT)]
    ours.append(OutboxEvent(name="b", aggregate_id=8, payload=[], created_at=AT))
    # when they are inserted in one statement
    with CaptureQueriesContext(connection) as queries:
        inserted = instances_insert(ours)
    # then each has its id and reads back as written, and the ORM sees the same rows
    assert len(queries.captured_queries) == 1
    assert [e.pk for e in inserted] == sorted(e.pk for e in inserted)
    stored = {e.pk: e for e in OutboxEvent.objects.filter(pk__in=[e.pk for e in inserted])}
    assert [(stored[e.pk].name, stored[e.pk].payload, stored[e.pk].created_at) for e in ours] == [
        ("a", payload, AT),
        ("b", [], AT),
    ]
    assert all(not e._state.adding for e in inserted)


def test_instances_insert_of_nothing_costs_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert instances_insert([]) == []
    assert queries.captured_queries == []


def test_instances_of_converts_as_the_orm_does():
    # given a location with decimals and booleans, its schedule with JSON and a decimal
    location = Location.objects.create(
        code="L1", name="One", latitude=Decimal("48.856613"), longitude=Decimal("-2.352222"),
        ships=False, pickup=True,
    )  # fmt: skip
    LocationSchedule.objects.create(
        location=location, calendar={"weekly": {}}, cost_per_shipment=Decimal("4.10")
    )
    Customer.objects.create(email="a@example.com", tags=["vip"])
    # when read back through a hand-written statement
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns(Location, 'l')}, 42 FROM locations_location l")
        ((read, extra),) = instances_of(Location, cursor.fetchall(), extra=1)
        cursor.execute(f"SELECT {columns(Customer, 'c')} FROM customers_customer c")
        ((customer, _),) = instances_of(Customer, cursor.fetchall())
    # then every field equals what the ORM reads
    orm = Location.objects.get(pk=location.pk)
    for field in Location._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert type(read.latitude) is Decimal and read.ships is False and read.pickup is True
    assert extra == (42,)
    assert customer.tags == ["vip"] and customer.created_at == Customer.objects.get().created_at


def _events(n: int, name: str = "e") -> list[OutboxEvent]:
    return [
        OutboxEvent(name=f"{name}{i}", aggregate_id=i, payload={"i": i}, created_at=AT)
        for i in range(n)
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (SQLite has no data-modifying WITH); runs in the PostgreSQL leg",
)
def test_a_batch_takes_ids_in_one_statement_and_inserts_every_row_in_one_more():
    # given ids taken for 2 events and 1 customer
    with CaptureQueriesContext(connection) as queries, inserts_batched() as batch:
        batch.ids_take({OutboxEvent: 2, Customer: 1})
        events = instances_insert(_events(2))
        (customer,) = instances_insert([Customer(email="b@example.com")])
        # when nothing is flushed yet, the rows are not there but their ids are known
        assert not OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).exists()
    # then the ids in one statement, every row in one more (besides the test's own check)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len(sqls) == 3
    assert "nextval" in sqls[0] and sqls[2].startswith("WITH w0 AS (INSERT INTO")
    assert events[0].pk < events[1].pk
    stored = list(OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk"))
    assert [(e.name, e.payload, e.created_at) for e in stored] == [
        ("e0", {"i": 0}, AT),
        ("e1", {"i": 1}, AT),
    ]
    assert Customer.objects.get(pk=customer.pk).email == "b@example.com"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (SQLite has no data-modifying WITH); runs in the PostgreSQL leg",
)
def test_rows_beyond_the_ids_taken_are_inserted_at_once():
    # given ids for one event only
    with inserts_batched() as batch:
        batch.ids_take({OutboxEvent: 1})
        # when three are inserted, then two
        three = instances_insert(_events(3, "x"))
        one = instances_insert(_events(1, "y"))
        # then the three went in at once (no ids for them), the last waits for the batch
        assert OutboxEvent.objects.filter(name__startswith="x").count() == 3
        assert not OutboxEvent.objects.filter(pk=one[0].pk).exists()
    assert OutboxEvent.objects.filter(pk=one[0].pk).exists()
    assert len({e.pk for e in three + one}) == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (SQLite has no data-modifying WITH); runs in the PostgreSQL leg",
)
def test_a_batch_that_ends_in_an_error_inserts_nothing():
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), inserts_batched() as batch:
        batch.ids_take({OutboxEvent: 2})
        instances_insert(_events(2))
        raise RuntimeError("refused")
    assert OutboxEvent.objects.count() == before


def test_without_postgresql_a_batch_is_no_batch():
    with inserts_batched() as batch:
        if connection.vendor == "postgresql":
            assert batch is not None
            return
        assert batch is None
        (event,) = instances_insert(_events(1))
        assert OutboxEvent.objects.filter(pk=event.pk).exists()
