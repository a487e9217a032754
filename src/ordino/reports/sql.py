"""Vendor-specific SQL expressions the KPI queries need, so that neither database runs a
Python function per row (Django's own date truncation and datetime subtraction do on SQLite),
and so that money adds up exactly on both."""

from __future__ import annotations

from django.db.models import Aggregate, BigIntegerField, CharField, Func, IntegerField

MONEY_SCALE = 1000  # stored amounts carry at most 3 decimals (docs/security.md, inputs)


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


class MoneySumMilli(Aggregate):
    """The exact sum of an amount column in thousandths, as an integer.

    SQLite keeps NUMERIC values as REAL, and its SUM adds them as floats (445.34 came back as
    445.340000000000, 88411.46 as 88411.4600000001); each stored amount is exact to 15
    significant digits, so it is turned into an integer of thousandths before it is added.
    PostgreSQL adds numerics exactly."""

    function = "SUM"
    output_field = BigIntegerField()
    template = f"%(function)s(CAST(ROUND(%(expressions)s * {MONEY_SCALE}) AS INTEGER))"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(%(function)s(%(expressions)s * {MONEY_SCALE}) AS BIGINT)",
            **extra,
        )


class UtcWeek(Func):
    """The Monday of a timestamp's UTC week as 'YYYY-MM-DD' (ISO weeks start on Monday)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # back six days, then forward to the next Monday: the Monday on or before the day
        return self.as_sql(
            compiler,
            connection,
            template="date(substr(%(expressions)s, 1, 10), '-6 days', 'weekday 1')",
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(date_trunc('week', %(expressions)s AT TIME ZONE 'UTC'), "
            "'YYYY-MM-DD')",
        )
