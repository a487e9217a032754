"""A GIN index on shipments' tracking numbers (jsonb containment), PostgreSQL only: the console's
search finds an order by a tracking number (orders/search.py)."""

from django.db import migrations


def _run(statements):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: small databases, no index needed
        for statement in statements:
            schema_editor.execute(statement)

    return forwards


CREATE = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS shipment_tracking_gin_idx ON fulfillment_shipment USING gin (tracking_numbers jsonb_path_ops)",
]
DROP = [
    "DROP INDEX CONCURRENTLY IF EXISTS shipment_tracking_gin_idx",
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: a live table is not locked while it builds

    dependencies = [("fulfillment", "0003_fulfillment_order_pickup_code")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
