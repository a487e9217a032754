"""Trigram indexes on customers' names, PostgreSQL only: the console's search matches a name by its
start, case-insensitively (customers/search.py: UPPER(name) LIKE 'BO%')."""

from django.db import migrations


def _run(statements):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: small databases, no index needed
        for statement in statements:
            schema_editor.execute(statement)

    return forwards


CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_first_name_trgm_idx ON customers_customer USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_last_name_trgm_idx ON customers_customer USING gin (UPPER(last_name::text) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX CONCURRENTLY IF EXISTS customer_first_name_trgm_idx",
    "DROP INDEX CONCURRENTLY IF EXISTS customer_last_name_trgm_idx",
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: a live table is not locked while it builds

    dependencies = [("customers", "0004_clock_created_at")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
