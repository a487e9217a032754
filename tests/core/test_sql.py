"""core/sql.py: inserts and reads whose text is built once store and read exactly what the ORM
stores and reads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.sql import columns, instances_insert, instances_of
from ordino.customers.models import Customer
from ordino.events.models import OutboxEvent
from ordino.locations.models import Location
from ordino.sourcing.models import LocationSchedule

pytestmark = pytest.mark.django_db

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
