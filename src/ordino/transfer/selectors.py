"""Reads: import jobs and mappings, and Ordino's side of a reconciliation (orders' table, read
here as a selector may: docs/architecture.md, "The layers of a module")."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet

from ordino.core.domain.errors import NotFound
from ordino.core.domain.money import quantum
from ordino.orders.models import Order
from ordino.transfer.domain.reconcile import OrderFacts
from ordino.transfer.models import ImportJob, ImportMapping
from ordino.transfer.progress import import_job_stalled, progress_read


def import_job_get(*, job_id: int) -> ImportJob:
    """The job, with a running job's figures from the cache (progress.py) and whether its
    worker seems gone (`stalled`: the sweep will run it again or fail it)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound("import_job", job_id)
    return import_job_progress(job)


def import_job_progress(job: ImportJob) -> ImportJob:
    """`job` with the cached figures merged while it runs: rows_done, rows_total,
    progress_at (when its worker last wrote them) and stalled."""
    job.progress_at = None
    if job.status == ImportJob.RUNNING:
        cached = progress_read(job_id=job.pk)
        if cached is not None:
            job.rows_done = max(job.rows_done, cached.rows_done)
            job.rows_total = max(job.rows_total, cached.rows_total)
            job.progress_at = cached.at
    job.stalled = import_job_stalled(job)
    return job


def import_job_list() -> QuerySet[ImportJob]:
    return ImportJob.objects.order_by("-id")


def import_mapping_list(*, kind: str | None = None) -> QuerySet[ImportMapping]:
    qs = ImportMapping.objects.order_by("kind", "name")
    return qs.filter(kind=kind) if kind else qs


def orders_facts(
    *, channels: set[str], since: datetime | None = None, until: datetime | None = None
) -> list[OrderFacts]:
    """Ordino's orders of these channels (placed within [since, until] when given), as a
    reconciliation compares them."""
    qs = Order.objects.filter(channel__code__in=sorted(channels))
    if since is not None:
        qs = qs.filter(placed_at__gte=since)
    if until is not None:
        qs = qs.filter(placed_at__lte=until)
    rows = qs.annotate(line_count=Count("lines")).order_by("id").values_list(
        "channel__code", "external_id", "grand_total", "currency", "placed_at", "status",
        "line_count",
    )  # fmt: skip
    return [
        OrderFacts(channel, ext, total.quantize(quantum(currency)), currency, placed, status, lines)
        for channel, ext, total, currency, placed, status, lines in rows.iterator(chunk_size=2000)
    ]
