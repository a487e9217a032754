"""Indexes for finding an order by what a person has in hand (orders/search.py), PostgreSQL only:
external id alone (the unique key starts with the channel), upper(e-mail) for the
case-insensitive match, phone, and the shipping address's postal code."""

from django.db import migrations


def _run(statements):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: small databases, no index needed
        for statement in statements:
            schema_editor.execute(statement)

    return forwards


CREATE = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_external_id_idx ON orders_order (external_id)",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_email_upper_idx ON orders_order (UPPER(email::text))",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_phone_idx ON orders_order (phone)",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_postal_code_idx ON orders_order ((shipping_address -> 'postal_code'))",
]
DROP = [
    "DROP INDEX CONCURRENTLY IF EXISTS order_external_id_idx",
    "DROP INDEX CONCURRENTLY IF EXISTS order_email_upper_idx",
    "DROP INDEX CONCURRENTLY IF EXISTS order_phone_idx",
    "DROP INDEX CONCURRENTLY IF EXISTS order_postal_code_idx",
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: a live table is not locked while it builds

    dependencies = [("orders", "0007_order_origin_location")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
