"""Gapless numbers: taken in the issuing transaction under the series row's lock.

`series_lock` locks the series row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers), creating it on first use. Whoever holds the lock reads
`next_number`, issues, and bumps it with a conditional update before commit; a concurrent issue
waits on the lock and then reads the bumped number. A rolled-back issue rolls the bump back with
it, so its number is given to the next issue: no gap, no repeat (docs/invoices.md, "Numbering").

Holding the series lock also serialises every issue of the series, so the reads an issue makes
after it (what earlier invoices of the order billed) are not raced by another issue."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError

from ordino.core.domain.errors import Conflict
from ordino.core.transactions import savepoint
from ordino.invoices.domain.numbering import number_format
from ordino.invoices.models import DocumentSeries

# Series created on first use: code → (prefix, restarts yearly).
SERIES_DEFAULTS = {"INV": ("INV", True), "CN": ("CN", True)}


def series_lock(*, code: str, at: datetime) -> DocumentSeries:
    """The series row for `code` in `at`'s year, locked until the transaction ends."""
    prefix, per_year = SERIES_DEFAULTS.get(code, (code, True))
    year = at.year if per_year else 0
    for _ in range(2):
        series = DocumentSeries.objects.select_for_update().filter(code=code, year=year).first()
        if series is not None:
            return series
        try:
            with savepoint():  # a concurrent first issue may create it: then lock theirs
                DocumentSeries.objects.create(
                    code=code, year=year, prefix=prefix, per_year=per_year
                )
        except IntegrityError:
            continue
    series = DocumentSeries.objects.select_for_update().get(code=code, year=year)
    return series


def number_take(series: DocumentSeries) -> tuple[int, str]:
    """The next number of a series locked by `series_lock`: (sequence, printed number)."""
    sequence = series.next_number
    taken = DocumentSeries.objects.filter(pk=series.pk, next_number=sequence).update(
        next_number=sequence + 1
    )
    if not taken:  # only without the lock (a caller's bug): never hand out a number twice
        raise Conflict("series_changed", "The document series moved meanwhile; retry.")
    series.next_number = sequence + 1
    printed = number_format(
        prefix=series.prefix, year=series.year or None, sequence=sequence, width=series.width
    )
    return sequence, printed
