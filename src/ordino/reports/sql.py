"""Two vendor-specific SQL expressions the KPI queries need, so that neither database runs a
Python function per row (Django's own date truncation and datetime subtraction do on SQLite)."""

from __future__ import annotations

from django.db.models import CharField, Func, IntegerField


class UtcDay(Func):
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD'."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores aware datetimes as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 10)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        )


class MinutesBetween(Func):
    """Whole minutes from the second timestamp to the first (floored)."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            # whole seconds first (julianday is a float), then integer division
            template="(CAST(round((julianday(%(expressions)s)) * 86400.0) AS INTEGER) / 60)",
            arg_joiner=") - julianday(",
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(floor(extract(epoch FROM (%(expressions)s)) / 60) AS INTEGER)",
            arg_joiner=" - ",
        )
