"""PostgreSQL: leave 15 % of each stock balance page free, so that an update that changes no
indexed column (on hand, committed: a feed, a reservation) writes the new row version on the
same page without touching the four indexes (a heap-only tuple). A million-row feed's
balance updates took a third of the time or less (docs/performance.md, "Bulk stock feed"). Pages written
before this keep their old fill until rewritten (VACUUM FULL). SQLite has no such setting."""

from django.db import migrations

FILLFACTOR = 85


def fillfactor_set(apps, schema_editor, value: int | None = FILLFACTOR) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("inventory", "StockBalance")._meta.db_table)
    if value is None:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    else:
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")


def fillfactor_reset(apps, schema_editor) -> None:
    fillfactor_set(apps, schema_editor, None)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_balances_and_movements_64_bit"),
    ]

    operations = [migrations.RunPython(fillfactor_set, fillfactor_reset)]
